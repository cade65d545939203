package replay_test

import (
	"bufio"
	"context"
	"flag"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/klauspost/compress/gzip"
	"github.com/stretchr/testify/require"

	"github.com/example/landing-zone-audit/internal/cloudtrailgen"
	"github.com/example/landing-zone-audit/internal/replay"
)

// The benchmarks' input sizes: small by default, so that CI's one run of
// every benchmark stays quick; -replay.lines=1073741824 measures 1 GiB.
var (
	linesSize   = flag.Int64("replay.lines", 16<<20, "bytes of JSON Lines for BenchmarkReplayJSONLines")
	archiveDays = flag.Int("replay.days", 1, "days of the generated archive for the .json.gz benchmarks (10 files of 500 events a day)")
)

var (
	benchOnce  sync.Map // input path by name
	benchMutex sync.Mutex
)

// benchInput generates an input once per process and returns its path.
func benchInput(b *testing.B, name string, write func(path string) error) string {
	b.Helper()
	benchMutex.Lock()
	defer benchMutex.Unlock()
	if p, ok := benchOnce.Load(name); ok {
		return p.(string)
	}
	dir, err := os.MkdirTemp("", "replay-bench-")
	require.NoError(b, err)
	path := filepath.Join(dir, name)
	require.NoError(b, write(path))
	benchOnce.Store(name, path)
	return path
}

func linesFile(b *testing.B) string {
	return benchInput(b, "events.jsonl", func(path string) error {
		f, err := os.Create(path)
		if err != nil {
			return err
		}
		w := bufio.NewWriterSize(f, 1<<20)
		g := cloudtrailgen.New(1, accounts, "elevated-security-role", elevatedAccounts)
		if _, err := g.WriteLines(w, *linesSize, start, 30, regions); err != nil {
			return err
		}
		if err := w.Flush(); err != nil {
			return err
		}
		return f.Close()
	})
}

func archiveDir(b *testing.B) string {
	return benchInput(b, "archive", func(path string) error {
		g := cloudtrailgen.New(1, accounts[:1], "elevated-security-role", elevatedAccounts)
		a := cloudtrailgen.Archive{Organization: "o-exampleorg1", Regions: regions[:1], Start: start, Days: *archiveDays, FilesPerDay: 10, EventsPerFile: 500}
		_, err := a.Write(g, path)
		return err
	})
}

// peakHeap samples the heap while f runs and returns the most it held.
func peakHeap(f func()) uint64 {
	var peak atomic.Uint64
	done := make(chan struct{})
	go func() {
		var m runtime.MemStats
		tick := time.NewTicker(5 * time.Millisecond)
		defer tick.Stop()
		for {
			runtime.ReadMemStats(&m)
			if m.HeapInuse > peak.Load() {
				peak.Store(m.HeapInuse)
			}
			select {
			case <-done:
				return
			case <-tick.C:
			}
		}
	}()
	f()
	close(done)
	return peak.Load()
}

func benchReplay(b *testing.B, source string, parallel int) {
	alarms := stackAlarms()
	var rep *replay.Report
	var peak uint64
	b.ResetTimer()
	for b.Loop() {
		peak = max(peak, peakHeap(func() {
			var err error
			rep, err = replay.Run(context.Background(), alarms, replay.Options{Sources: []string{source}, Parallel: parallel})
			require.NoError(b, err)
		}))
	}
	b.SetBytes(rep.Summary.Bytes)
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
	b.ReportMetric(float64(rep.Summary.Events)/b.Elapsed().Seconds()*float64(b.N), "events/s")
	b.ReportMetric(100*float64(rep.Summary.Parsed)/float64(rep.Summary.Events), "%parsed")
}

// BenchmarkReplayJSONLines runs the CIS and elevated-role alarms over
// uncompressed JSON Lines, on one core and on two.
func BenchmarkReplayJSONLines(b *testing.B) {
	path := linesFile(b)
	b.Run("cores=1", func(b *testing.B) { benchReplay(b, path, 1) })
	b.Run("cores=2", func(b *testing.B) {
		// One file is read by one worker: split it for two.
		dir := benchInput(b, "lines-split", func(dir string) error { return split(path, dir, 2) })
		benchReplay(b, dir, 2)
	})
}

// BenchmarkReplayGzip runs the alarms over CloudTrail's .json.gz files;
// BenchmarkGunzip decompresses the same files and does nothing else, the
// floor replay is measured against.
func BenchmarkReplayGzip(b *testing.B) {
	dir := archiveDir(b)
	b.Run("cores=1", func(b *testing.B) { benchReplay(b, dir, 1) })
	b.Run("cores=2", func(b *testing.B) { benchReplay(b, dir, 2) })
}

func BenchmarkGunzip(b *testing.B) {
	dir := archiveDir(b)
	var files []string
	require.NoError(b, filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.Contains(p, "/CloudTrail/") {
			files = append(files, p)
		}
		return err
	}))
	var stored int64
	zr := new(gzip.Reader)
	for b.Loop() {
		stored = 0
		for _, p := range files {
			f, err := os.Open(p)
			require.NoError(b, err)
			info, _ := f.Stat()
			stored += info.Size()
			require.NoError(b, zr.Reset(bufio.NewReaderSize(f, 64<<10)))
			_, err = io.Copy(io.Discard, zr)
			require.NoError(b, err)
			f.Close()
		}
	}
	b.SetBytes(stored)
}

// split deals the lines of path into n files under dir.
func split(path, dir string, n int) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	in, err := os.Open(path)
	if err != nil {
		return err
	}
	defer in.Close()
	var outs []*bufio.Writer
	var files []*os.File
	for i := range n {
		f, err := os.Create(filepath.Join(dir, "part-"+string(rune('a'+i))+".jsonl"))
		if err != nil {
			return err
		}
		files = append(files, f)
		outs = append(outs, bufio.NewWriterSize(f, 1<<20))
	}
	sc := bufio.NewScanner(in)
	sc.Buffer(nil, 1<<20)
	for i := 0; sc.Scan(); i++ {
		w := outs[i%n]
		w.Write(sc.Bytes())
		w.WriteByte('\n')
	}
	for i := range outs {
		if err := outs[i].Flush(); err != nil {
			return err
		}
		if err := files[i].Close(); err != nil {
			return err
		}
	}
	return sc.Err()
}

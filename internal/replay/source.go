package replay

import (
	"context"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// store is where log files live: a directory tree or an S3 bucket. Paths
// are slash-separated; a directory path ends with a slash on S3.
type store interface {
	// list returns the directories and files directly in dir.
	list(ctx context.Context, dir string) (dirs []string, files []logFile, err error)
	open(ctx context.Context, f logFile) (io.ReadCloser, error)
}

// logFile is one file to read.
type logFile struct {
	store store
	path  string // as the store knows it
	name  string // as reports show it
	size  int64
	// from and to bound the part of the file to read, when to > 0.
	from, to int64
}

// Scope narrows what is read, from the layout CloudTrail writes:
// AWSLogs/[<organization>/]<account>/CloudTrail/<region>/YYYY/MM/DD/.
type Scope struct {
	// Since and Until are the first and last days (UTC) whose events count;
	// zero means no bound.
	Since, Until time.Time
	Accounts     []string
	Regions      []string
}

// slack is how far around the days in scope files are read: CloudTrail
// files an event under the day it delivers it, minutes after the call.
const slack = 24 * time.Hour

// inTime reports whether an event at t counts.
func (s Scope) inTime(t time.Time) bool {
	if !s.Since.IsZero() && t.Before(s.Since) {
		return false
	}
	return s.Until.IsZero() || t.Before(s.Until.Add(24*time.Hour))
}

// daysOverlap reports whether files dated in [from, to) can hold events in scope.
func (s Scope) daysOverlap(from, to time.Time) bool {
	if !s.Since.IsZero() && !to.After(s.Since.Add(-slack)) {
		return false
	}
	return s.Until.IsZero() || from.Before(s.Until.Add(24*time.Hour+slack))
}

// layout is what a path says about the files under it.
type layout struct {
	account, service, region string
	date                     []int // year, month, day as far as the path goes
}

// parseLayout reads the CloudTrail layout from a path's segments; ok is
// false when the path is not under an AWSLogs directory.
func parseLayout(path string) (l layout, ok bool) {
	segs := strings.Split(strings.Trim(filepath.ToSlash(path), "/"), "/")
	k := slices.Index(segs, "AWSLogs")
	if k < 0 {
		return l, false
	}
	rest := segs[k+1:]
	if len(rest) > 0 && strings.HasPrefix(rest[0], "o-") {
		rest = rest[1:] // an organization trail's organization ID
	}
	fields := []*string{&l.account, &l.service, &l.region}
	for i := 0; i < len(rest) && i < len(fields); i++ {
		*fields[i] = rest[i]
	}
	if len(rest) > 3 {
		for _, s := range rest[3:min(len(rest), 6)] {
			n, err := strconv.Atoi(s)
			if err != nil {
				break
			}
			l.date = append(l.date, n)
		}
	}
	return l, true
}

// keep reports whether anything under path can be in scope: outside an
// AWSLogs layout everything is; inside, only CloudTrail's own log files
// (not its digests or other services' files) of the accounts, regions and
// days asked for.
func (s Scope) keep(l layout) bool {
	if l.account != "" && len(s.Accounts) > 0 && !slices.Contains(s.Accounts, l.account) {
		return false
	}
	if l.service != "" && l.service != "CloudTrail" {
		return false
	}
	if l.region != "" && len(s.Regions) > 0 && !slices.Contains(s.Regions, l.region) {
		return false
	}
	if len(l.date) > 0 {
		from := time.Date(l.date[0], 1, 1, 0, 0, 0, 0, time.UTC)
		to := from.AddDate(1, 0, 0)
		if len(l.date) > 1 {
			from = time.Date(l.date[0], time.Month(l.date[1]), 1, 0, 0, 0, 0, time.UTC)
			to = from.AddDate(0, 1, 0)
		}
		if len(l.date) > 2 {
			from = time.Date(l.date[0], time.Month(l.date[1]), l.date[2], 0, 0, 0, 0, time.UTC)
			to = from.AddDate(0, 0, 1)
		}
		if !s.daysOverlap(from, to) {
			return false
		}
	}
	return true
}

// keepDir reports whether to walk into a directory.
func (s Scope) keepDir(dir string) bool {
	if strings.Contains(filepath.Base(strings.TrimSuffix(dir, "/")), "CloudTrail-Digest") {
		return false
	}
	l, ok := parseLayout(dir)
	return !ok || s.keep(l)
}

// logExtensions are the files replay reads in a directory.
var logExtensions = []string{".json", ".json.gz", ".jsonl", ".jsonl.gz", ".ndjson", ".ndjson.gz"}

// keepFile reports whether to read a file found in a directory: a log file
// by its extension, not a digest, in scope by its directory.
func (s Scope) keepFile(path string) bool {
	base := filepath.Base(path)
	if strings.Contains(base, "CloudTrail-Digest") || !slices.ContainsFunc(logExtensions, func(ext string) bool { return strings.HasSuffix(base, ext) }) {
		return false
	}
	l, ok := parseLayout(filepath.Dir(filepath.FromSlash(path)))
	return !ok || s.keep(l)
}

// walk lists the directories under roots, listers at a time, deepest first
// (so the directories waiting stay few), and sends every file in scope to
// out. It returns when everything is listed or ctx ends; a directory it
// cannot list is reported to problem and skipped.
func walk(ctx context.Context, st store, roots []string, s Scope, listers int, out chan<- logFile, problem func(path string, err error)) {
	var (
		mu      sync.Mutex
		cond    = sync.NewCond(&mu)
		pending = slices.Clone(roots)
		active  int
	)
	stop := context.AfterFunc(ctx, func() {
		mu.Lock()
		defer mu.Unlock()
		cond.Broadcast()
	})
	defer stop()
	var wg sync.WaitGroup
	for range listers {
		wg.Go(func() {
			for {
				mu.Lock()
				for len(pending) == 0 && active > 0 && ctx.Err() == nil {
					cond.Wait()
				}
				if len(pending) == 0 || ctx.Err() != nil {
					cond.Broadcast()
					mu.Unlock()
					return
				}
				dir := pending[len(pending)-1]
				pending = pending[:len(pending)-1]
				active++
				mu.Unlock()

				dirs, files, err := st.list(ctx, dir)
				if err != nil && ctx.Err() == nil {
					problem(dir, err)
				}
				for _, f := range files {
					if !s.keepFile(f.path) {
						continue
					}
					select {
					case out <- f:
					case <-ctx.Done():
					}
				}
				mu.Lock()
				for _, d := range slices.Backward(dirs) {
					if s.keepDir(d) {
						pending = append(pending, d)
					}
				}
				active--
				cond.Broadcast()
				mu.Unlock()
			}
		})
	}
	wg.Wait()
}

// localStore reads a directory tree.
type localStore struct{}

func (localStore) list(_ context.Context, dir string) ([]string, []logFile, error) {
	entries, err := os.ReadDir(dir)
	var dirs []string
	var files []logFile
	for _, e := range entries {
		path := filepath.Join(dir, e.Name())
		info, ierr := e.Info()
		if ierr == nil && info.Mode()&fs.ModeSymlink != 0 {
			info, ierr = os.Stat(path)
		}
		if ierr != nil {
			// Reading it will say what is wrong (a dangling link, a file gone).
			files = append(files, logFile{store: localStore{}, path: path, name: path})
			continue
		}
		if info.IsDir() {
			dirs = append(dirs, path)
		} else if info.Mode().IsRegular() {
			files = append(files, logFile{store: localStore{}, path: path, name: path, size: info.Size()})
		}
	}
	return dirs, files, err
}

func (localStore) open(_ context.Context, f logFile) (io.ReadCloser, error) {
	file, err := os.Open(f.path)
	if err != nil || f.to == 0 {
		return file, err
	}
	return section{io.NewSectionReader(file, f.from, f.to-f.from), file}, nil
}

package replay

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/example/landing-zone-audit/internal/eventstream"
)

// DefaultSplitSize is the size from which a local file of JSON Lines is read
// by several workers at once, each from a line boundary: one large export
// would otherwise keep every core but one idle.
const DefaultSplitSize = 64 << 20

// parts returns the pieces of f that workers read: f itself, or, for a
// local file of JSON Lines at least size bytes long, n byte ranges that
// each start at a line. A file of any other shape (CloudTrail's Records,
// pretty-printed JSON, gzip) is read whole, since only a line boundary is a
// place where an event is known to start.
func parts(f logFile, n int, size int64) []logFile {
	if _, ok := f.store.(localStore); !ok || n < 2 || f.size < size || f.to > 0 {
		return []logFile{f}
	}
	file, err := os.Open(f.path)
	if err != nil {
		return []logFile{f} // the worker reports it
	}
	defer file.Close()
	if !jsonLines(file) {
		return []logFile{f}
	}
	var out []logFile
	from := int64(0)
	for k := 1; k <= n; k++ {
		to := f.size
		if k < n {
			var err error
			if to, err = boundary(file, int64(k)*f.size/int64(n), f.size); err != nil {
				return []logFile{f}
			}
		}
		if to <= from {
			continue
		}
		p := f
		p.from, p.to = from, to
		out = append(out, p)
		from = to
	}
	return out
}

// jsonLines reports whether r starts with a line that is a whole JSON
// object: JSON Lines, not one document spread over lines.
func jsonLines(r io.ReaderAt) bool {
	buf := make([]byte, 1<<20)
	n, _ := r.ReadAt(buf, 0)
	line, _, found := bytes.Cut(buf[:n], []byte("\n"))
	line = bytes.TrimSpace(bytes.TrimPrefix(line, []byte("\xef\xbb\xbf")))
	return found && len(line) > 0 && line[0] == '{' && json.Valid(line)
}

// boundary returns where the first part that starts at or after at begins:
// the first line there that opens an object just after a line that closed
// one (blank lines between them allowed). A newline never falls inside a
// JSON string, and in JSON a } ending one line is followed by a { opening
// the next only between top-level values, so a part never starts inside an
// event, even in a file that holds pretty-printed events after its first
// line. end means none within the largest event the reader takes. The file
// is read forward once, in blocks.
func boundary(r io.ReaderAt, at, end int64) (int64, error) {
	limit := min(end, at+eventstream.DefaultMaxEventSize)
	// Start a little before at-1, the earliest newline that counts, to see
	// how the line before it ends.
	pos := max(0, at-1-256)
	var last byte          // the last byte before pos that is not white space
	candidate := int64(-1) // a line start at or after at, while its first byte is awaited
	buf := make([]byte, 64<<10)
	for pos < limit {
		n, err := r.ReadAt(buf[:min(int64(len(buf)), end-pos)], pos)
		for i, c := range buf[:n] {
			switch c {
			case '\n':
				if p := pos + int64(i) + 1; candidate < 0 && p >= at {
					if p >= end {
						return end, nil
					}
					candidate = p
				}
				continue
			case ' ', '\t', '\r':
				continue
			}
			if candidate >= 0 {
				if c == '{' && last == '}' {
					return candidate, nil
				}
				candidate = -1
			}
			last = c
		}
		pos += int64(n)
		if err != nil && !errors.Is(err, io.EOF) {
			return 0, err
		}
		if n == 0 {
			break
		}
	}
	return end, nil
}

// section is the byte range of a file that a part reads.
type section struct {
	*io.SectionReader
	file *os.File
}

func (s section) Close() error { return s.file.Close() }

// partName is how a report names a part: its line numbers count from its
// first byte.
func partName(f logFile) string {
	if f.from == 0 {
		return f.name
	}
	return fmt.Sprintf("%s (from byte %d; lines count from there)", f.name, f.from)
}

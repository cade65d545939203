package eventstream

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/example/landing-zone-audit/internal/cloudtrailgen"
)

// FuzzReader reads the same input with the Reader and with refReader, the
// plain byte-at-a-time scanner it replaced, and requires the same answer
// from every call: the same event bytes, the same errors (with their lines
// and columns), the same counts, line and shape. The input arrives in
// chunks of varying size, so that every state of the scanner is also
// resumed after a short read.
func FuzzReader(f *testing.F) {
	ok := `{"eventName":"A"}`
	for _, s := range []string{
		ok + "\n" + ok + "\n",
		`{"eventName":"A","n":[1,{"x":"}]"}]}` + "\r\n" + `{"eventName":"B","s":"quote \" and \\"}`,
		"\ufeff{\n  \"eventName\": \"A\",\n  \"n\": [1, {\"x\": \"}]\"}]\n}\n\n" + ok,
		"[" + ok + ",\n " + ok + "]",
		`{"Records":[` + ok + "," + ok + `]}`,
		"{ \"Records\" : [\n" + ok + ",\n" + ok + "\n], \"x\": {\"Records\": [1]}, \"y\": \"]\" }\n",
		ok + "\nnot json\n" + ok + "\n",
		ok + "\n  \"ConsoleLogin\"\n",
		ok + "\n" + `{"a": [1}` + "\n" + ok + "\n",
		ok + "\n" + `{"a": "b`,
		`{"Records":[` + ok + `, "x", 3, [], ` + ok + `]}`,
		`{"Records":[` + ok + `, {"eventName":"B"`,
		`{"Records":[` + ok + `,`,
		`[` + ok + ok + `]`,
		// Escapes at every distance from an 8-byte boundary, runs of
		// backslashes of both parities, brackets and newlines in strings,
		// backslashes and quotes outside strings.
		`{"a":"\\\"}","b":"\\\\","c":"x\\\\\\\"]"}` + "\n" + `{"d":"\"\"\"\"\"\"\"\"\"","e":[{"f":"\\"}]}`,
		`{"p":"{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [{\"Effect\": \"Allow\"}]\n}"}` + "\n",
		`{\"a":1}` + "\n" + `{"a":"]"\}` + "\n" + `{"a":"b` + "\n" + `c"}`,
		`{"a":[{"b":[[[{}]]]}]]}` + "\n" + `{"YyY_":"\u007f"}` + "\x7f" + `}`,
		"{\"a\":\"\x00\x01\xff\xfe\"}\n[{]\n{}}\n",
	} {
		f.Add([]byte(s), uint16(0))
		f.Add([]byte(s), uint16(1))
		f.Add([]byte(s), uint16(0x0307))
	}
	// Generated CloudTrail events as JSON Lines and as a Records file.
	g := cloudtrailgen.New(3, []string{"111111111111"}, "elevated-security-role", []string{"111111111111"})
	t := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	var lines, records []byte
	records = append(records, `{"Records":[`...)
	for i := range 4 {
		ev := g.Append(nil, t, "111111111111", "eu-west-2")
		lines = append(append(lines, ev...), '\n')
		if i > 0 {
			records = append(records, ',')
		}
		records = append(records, ev...)
	}
	records = append(records, "]}"...)
	f.Add(lines, uint16(0))
	f.Add(lines, uint16(0x0b05))
	f.Add(records, uint16(0x2101))
	// Many lines whose escapes and brackets fall at every offset.
	var many strings.Builder
	for i := range 300 {
		many.WriteString(`{"eventName":"A","s":"` + strings.Repeat(`\"x`, i%7) + strings.Repeat(`\\`, i%3) + `","n":[` + strings.Repeat("[", i%4) + strings.Repeat("]", i%4) + `]}` + "\n")
	}
	// The input read up to a backslash in a string, and then a block's worth.
	for _, escapes := range []string{`\`, `\\`, `\\\`} {
		head := `{"pad":"` + strings.Repeat("p", 70) + `","a":"x` + escapes
		f.Add([]byte(head+`"`+strings.Repeat("y", 100)+`"}`+"\n"+ok+"\n"), uint16(len(head))|0xff00)
	}
	f.Add([]byte(many.String()), uint16(0))
	f.Add([]byte(many.String()), uint16(0x0d03))

	f.Fuzz(func(t *testing.T, in []byte, chunks uint16) {
		compareReaders(t, in, newChunked(in, chunks), newChunked(in, chunks))
	})
}

// Every place the input can be cut by a short read: the Reader resumes
// where refReader does, inside strings, escapes, brackets and blocks.
func TestReaderEverySplit(t *testing.T) {
	t.Parallel()
	g := cloudtrailgen.New(5, []string{"111111111111"}, "elevated-security-role", []string{"111111111111"})
	var in []byte
	for i := range 3 {
		in = g.Append(in, time.Date(2026, 3, 1, 0, 0, i, 0, time.UTC), "111111111111", "eu-west-2")
		// Escapes of both parities, and brackets inside and outside strings.
		in = append(in, "\n"+`{"policy":"{\"Statement\":[{\"Effect\":\"Allow\"}]}\\","x":[[{"y":"]}\\\""}]],"z":"`...)
		in = append(in, strings.Repeat(`a\\b\"`, i*7)...)
		in = append(in, `"}`+"\n"...)
	}
	for cut := 1; cut < len(in); cut++ {
		compareReaders(t, in, io.MultiReader(bytes.NewReader(in[:cut]), bytes.NewReader(in[cut:])),
			io.MultiReader(bytes.NewReader(in[:cut]), bytes.NewReader(in[cut:])))
		if t.Failed() {
			t.Fatalf("input cut at byte %d", cut)
		}
	}
}

// compareReaders requires the Reader and refReader to answer every call
// alike, reading in from src and refSrc.
func compareReaders(t *testing.T, in []byte, src, refSrc io.Reader) {
	t.Helper()
	got, want := NewReader(src), newRefReader(refSrc)
	for call := 1; ; call++ {
		ev, err := got.Next()
		refEv, refErr := want.Next()
		if !bytes.Equal(ev, refEv) || errString(err) != errString(refErr) {
			t.Fatalf("call %d: got %q, %v; want %q, %v", call, ev, err, refEv, refErr)
		}
		var e, refE *Error
		if errors.As(err, &e) != errors.As(refErr, &refE) || e != nil && *e != *refE {
			t.Fatalf("call %d: got error %#v, want %#v", call, e, refE)
		}
		if got.Events() != want.Events() || got.Line() != want.Line() || got.Shape() != want.Shape() {
			t.Fatalf("call %d: got events %d, line %d, shape %d; want %d, %d, %d",
				call, got.Events(), got.Line(), got.Shape(), want.Events(), want.Line(), want.Shape())
		}
		if err != nil && e == nil {
			// io.EOF or a fatal error: every later call says it again.
			if _, again := got.Next(); errString(again) != errString(err) {
				t.Fatalf("after %v, the next call returned %v", err, again)
			}
			return
		}
		if call > len(in)+2 {
			t.Fatalf("%d calls on %d bytes of input", call, len(in))
		}
	}
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// chunked hands out its input in reads whose sizes cycle through the
// bytes of a pattern: 0 means the whole input at once, 1 one byte a time.
type chunked struct {
	in      []byte
	pattern [2]byte
	n       int
}

func newChunked(in []byte, pattern uint16) *chunked {
	return &chunked{in: in, pattern: [2]byte{byte(pattern), byte(pattern >> 8)}}
}

func (c *chunked) Read(p []byte) (int, error) {
	if len(c.in) == 0 {
		return 0, io.EOF
	}
	size := len(c.in)
	if s := int(c.pattern[c.n%2]); s > 0 {
		size = s
	} else if c.pattern != [2]byte{} {
		size = 1 // a zero beside a non-zero size
	}
	c.n++
	n := copy(p[:min(len(p), size)], c.in)
	c.in = c.in[n:]
	return n, nil
}

package eventstream_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/example/landing-zone-audit/internal/eventstream"
)

// read returns every event (compacted) and every error, reading through
// recoverable ones, as replay and test-filter do.
func read(t *testing.T, r io.Reader) (events []string, errs []string) {
	t.Helper()
	rd := eventstream.NewReader(r)
	for {
		ev, err := rd.Next()
		if err == io.EOF {
			return events, errs
		}
		if err != nil {
			errs = append(errs, err.Error())
			var e *eventstream.Error
			if errors.As(err, &e) {
				continue
			}
			return events, errs
		}
		var b bytes.Buffer
		require.NoError(t, json.Compact(&b, ev), "event %q", ev)
		events = append(events, b.String())
	}
}

func TestReaderShapes(t *testing.T) {
	t.Parallel()
	a, b := `{"eventName":"A","n":[1,{"x":"}]"}]}`, `{"eventName":"B","s":"quote \" and \\"}`
	pretty := "{\n  \"eventName\": \"A\",\n  \"n\": [1, {\"x\": \"}]\"}]\n}"
	cases := []struct {
		name, in string
		shape    eventstream.Shape
	}{
		{"JSON Lines", a + "\n" + b + "\n", eventstream.ShapeObject},
		{"JSON Lines with CRLF and no final newline", a + "\r\n" + b, eventstream.ShapeObject},
		{"documents back to back, pretty-printed", pretty + "\n\n" + b, eventstream.ShapeObject},
		{"a byte-order mark", "\ufeff" + a + "\n" + b, eventstream.ShapeObject},
		{"an array", "[" + a + ",\n " + b + "]", eventstream.ShapeArray},
		// CloudTrail writes {"Records":[...]}; other members after the array are skipped.
		{"a CloudTrail file", `{"Records":[` + a + "," + b + `]}`, eventstream.ShapeRecords},
		{"a CloudTrail file, spaced, with members after Records", "{ \"Records\" : [\n" + pretty + ",\n" + b + "\n], \"x\": {\"Records\": [1]}, \"y\": \"]\" }\n", eventstream.ShapeRecords},
	}
	for _, tc := range cases {
		for _, chunked := range []bool{false, true} {
			t.Run(tc.name, func(t *testing.T) {
				t.Parallel()
				var r io.Reader = strings.NewReader(tc.in)
				if chunked {
					r = iotest.OneByteReader(r) // every state resumes after a short read
				}
				events, errs := read(t, r)
				assert.Empty(t, errs)
				assert.Equal(t, []string{`{"eventName":"A","n":[1,{"x":"}]"}]}`, `{"eventName":"B","s":"quote \" and \\"}`}, events)
				rd := eventstream.NewReader(strings.NewReader(tc.in))
				for {
					if _, err := rd.Next(); err != nil {
						break
					}
				}
				assert.Equal(t, tc.shape, rd.Shape())
			})
		}
	}
}

func TestReaderBadInput(t *testing.T) {
	t.Parallel()
	ok := `{"eventName":"A"}`
	cases := []struct {
		name, in string
		events   int
		errs     []string
	}{
		{"a line that is not JSON, between good ones", ok + "\nnot json\n" + ok + "\n", 2,
			[]string{"document 2 (line 2, column 1) is not valid JSON"}},
		{"a JSON scalar", ok + "\n  \"ConsoleLogin\"\n", 1,
			[]string{"document 2 (line 2, column 3) is not a JSON object"}},
		{"an unbalanced line in JSON Lines", ok + "\n" + `{"a": [1}` + "\n" + ok + "\n", 2,
			[]string{`document 2 (line 2, column 1) is not valid JSON: unexpected '}'`}},
		{"a cut last line", ok + "\n" + `{"a": "b`, 1,
			[]string{"document 2 (line 2, column 1) is not valid JSON: the input ends inside an event"}},
		{"a Records element that is not an object", `{"Records":[` + ok + `, "x", 3, [], ` + ok + `]}`, 2,
			[]string{"event 2 (line 1, column 32) is not a JSON object", "event 3 (line 1, column 37) is not a JSON object", "event 4 (line 1, column 40) is not a JSON object"}},
		{"a truncated CloudTrail file", `{"Records":[` + ok + `, {"eventName":"B"`, 1,
			[]string{"a CloudTrail file's Records is not valid JSON: the input ends inside an event"}},
		{"a CloudTrail file cut between events", `{"Records":[` + ok + `,`, 1,
			[]string{"the input ends inside a CloudTrail file's Records"}},
		{"missing comma", `[` + ok + ok + `]`, 1,
			[]string{"expected , or ] after an event"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			events, errs := read(t, strings.NewReader(tc.in))
			assert.Len(t, events, tc.events)
			require.Len(t, errs, len(tc.errs), "%q", errs)
			for i, want := range tc.errs {
				assert.Contains(t, errs[i], want)
			}
		})
	}
}

// A source error (a corrupt gzip stream, a dropped connection) ends the
// input and is returned again.
func TestReaderSourceError(t *testing.T) {
	t.Parallel()
	boom := errors.New("boom")
	rd := eventstream.NewReader(io.MultiReader(strings.NewReader(`{"Records":[{"a":1},{"a"`), iotest.ErrReader(boom)))
	ev, err := rd.Next()
	require.NoError(t, err)
	assert.JSONEq(t, `{"a":1}`, string(ev))
	_, err = rd.Next()
	assert.ErrorIs(t, err, boom)
	_, err = rd.Next()
	assert.ErrorIs(t, err, boom)
}

// Memory is bounded by the largest event, not the input: a long stream of
// events never grows the buffer past its first size, and an event over the
// limit is refused.
func TestReaderMemoryBound(t *testing.T) {
	t.Parallel()
	line := `{"eventName":"ListBuckets","pad":"` + strings.Repeat("x", 1000) + `"}` + "\n"
	n := 20_000 // 20 MB of input
	rd := eventstream.NewReader(io.MultiReader(repeat(line, n)...))
	count := 0
	for {
		_, err := rd.Next()
		if err == io.EOF {
			break
		}
		require.NoError(t, err)
		count++
	}
	assert.Equal(t, n, count)
	assert.Equal(t, n+1, rd.Line())

	rd = eventstream.NewReader(strings.NewReader(`{"pad":"` + strings.Repeat("x", 300_000) + `"}` + "\n" + `{"a":1}`))
	rd.MaxEventSize = 256 << 10
	_, err := rd.Next()
	assert.ErrorContains(t, err, "larger than")
}

func repeat(s string, n int) []io.Reader {
	rs := make([]io.Reader, n)
	for i := range rs {
		rs[i] = strings.NewReader(s)
	}
	return rs
}

func TestReaderEmpty(t *testing.T) {
	t.Parallel()
	for in, shape := range map[string]eventstream.Shape{"": eventstream.ShapeNone, " \n": eventstream.ShapeNone, "[]": eventstream.ShapeArray, `{"Records":[]}`: eventstream.ShapeRecords} {
		rd := eventstream.NewReader(strings.NewReader(in))
		_, err := rd.Next()
		assert.Equal(t, io.EOF, err, in)
		assert.Equal(t, 0, rd.Events(), in)
		assert.Equal(t, shape, rd.Shape(), in)
	}
}

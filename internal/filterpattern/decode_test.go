package filterpattern_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/example/landing-zone-audit/internal/cloudtrailgen"
	"github.com/example/landing-zone-audit/internal/filterpattern"
)

// stdDecode is the reference ParseEvent must agree with: encoding/json's
// Decoder with UseNumber, then nothing but whitespace.
func stdDecode(event []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(event))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, errors.New("data after top-level value")
	}
	return v, nil
}

// parseEvent decodes with the package's decoder.
func parseEvent(event []byte) (any, error) {
	e, err := filterpattern.ParseEvent(event)
	if err != nil {
		return nil, err
	}
	return e.Value(), nil
}

var errorOffset = regexp.MustCompile(` at offset (\d+)$`)

// checkSameDecode fails unless ParseEvent and encoding/json both reject
// event, or both accept it with deeply equal values; a rejection must
// carry the package's prefix and an offset inside the event.
func checkSameDecode(t *testing.T, event []byte) {
	t.Helper()
	want, wantErr := stdDecode(event)
	got, err := parseEvent(event)
	if (err == nil) != (wantErr == nil) {
		t.Fatalf("%q: ParseEvent error %v, encoding/json error %v", event, err, wantErr)
	}
	if err != nil {
		msg := err.Error()
		if !strings.HasPrefix(msg, "filterpattern: invalid JSON event: ") {
			t.Fatalf("%q: error %q lacks the package's prefix", event, msg)
		}
		if m := errorOffset.FindStringSubmatch(msg); m != nil {
			if off, _ := strconv.Atoi(m[1]); off > len(event) {
				t.Fatalf("%q: error %q: offset past the end", event, msg)
			}
		} else if msg != "filterpattern: invalid JSON event: empty input" {
			t.Fatalf("%q: error %q names no offset", event, msg)
		}
		return
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("%q: ParseEvent = %#v, encoding/json = %#v", event, got, want)
	}
}

// nest wraps inner in depth arrays or objects.
func nest(depth int, open, inner, close string) string {
	return strings.Repeat(open, depth) + inner + strings.Repeat(close, depth)
}

// decodeSeeds reach every branch of the decoder: each kind of value, each
// escape, surrogates paired, lone and misordered, invalid UTF-8, the edges
// of the number grammar, the nesting limit, duplicates, and every way a
// document can be cut short, malformed or followed by more data.
var decodeSeeds = []string{
	// Empty and whitespace.
	``, ` `, " \t\r\n", "\f1", "\v1", "\u00a01", "\ufeff{}", "\xef\xbb\xbf{}",
	// Scalars and literals.
	`null`, `true`, `false`, ` true `, `nul`, `nulx`, `tru`, `truex`, `falsy`, `f`, `n`, `t`, `True`, `NULL`,
	`[true,false,null]`, `[truefalse]`, `{"a":nul}`,
	// Numbers.
	`0`, `-0`, `-0.0`, `1`, `-1`, `123456789012345678901234567890`, `1.5`, `1e5`, `1E5`, `1e+5`, `1e-5`, `1E-05`,
	`0.1e1`, `-0e0`, `01`, `-01`, `00`, `1.`, `1.e5`, `.5`, `+1`, `-`, `--1`, `1e`, `1e+`, `1ee5`, `1.5.5`, `0x10`,
	`1_000`, `Infinity`, `NaN`, `-Infinity`, `1 2`, `[1,2]`, `[-]`, `[1.]`, `[01]`, `{"a":-0.0e-0}`, `9007199254740993`,
	`1e999999`, `[1e]`, `[0,-0,1.25E+3]`,
	// Strings and escapes.
	`""`, `"a"`, `"hello world"`, `"\"\\\/\b\f\n\r\t"`, `"\u0041\u00e9\u4e2d"`, `"\u0000"`, `"\u001f"`,
	`"\uD834\uDD1E"`, `"\ud834\udd1e"`, `"\uD834"`, `"\uD834x"`, `"\uDD1E"`, `"\uDD1E\uD834"`, `"\uD834\uD834\uDD1E"`,
	`"\uD834\u0041"`, `"\uD834\u"`, `"\uD834\uZZZZ"`, `"\uD834\n"`, `"\uDBFF\uDFFF"`, `"\uD800\uDC00"`, `"\uFFFD"`, `"\uFFFF"`,
	`"\u12"`, `"\u12G4"`, `"\u"`, `"\U0041"`, `"\x41"`, `"\'"`, `"\a"`, `"\`, `"\"`, `"abc`, `"`, `"a\"b"`,
	"\"tab\there\"", "\"nl\nhere\"", "\"\x00\"", "\"\x1f\"", "\"\x7f\"",
	"\"caf\u00e9 \u4e2d\u6587 \U0001f600\"", "\"\xff\"", "\"a\xffb\"", "\"\xc3\"", "\"\xc3(\"", "\"\xe2\x82\"", "\"\xed\xa0\x80\"",
	"\"\xf4\x90\x80\x80\"", "\"\xc0\xaf\"", "\"\xef\xbf\xbd\"", "\"\xff\\n\"", "\"\\n\xff\"", "\"\xf0\x9f\x98\"",
	"\xff", "[\xff]", "{\"\xff\":1}", "{\"a\xffb\\u00e9\":\"\\ud800\"}",
	// Objects.
	`{}`, `{ }`, `{"a":1}`, ` { "a" : 1 , "b" : [ ] } `, `{"a":1,"a":2}`, `{"a":{"x":1},"a":{"y":2}}`, `{"":0}`,
	`{"a"}`, `{"a":}`, `{"a" 1}`, `{"a":1,}`, `{,}`, `{"a":1 "b":2}`, `{a:1}`, `{'a':1}`, `{"a":1]`, `{1:2}`,
	`{"a\nb":1}`, `{"\u00e9":1,"é":2}`, `{"eventName":"x","eventName":"y"}`, `{"a":1}}`, `{`, `{"`, `{"a`, `{"a"`, `{"a":`, `{"a":1`, `{"a":1,`,
	// Arrays.
	`[]`, `[ ]`, `[1]`, `[1,2,3]`, `[[],[[]],{}]`, `[,]`, `[1,]`, `[,1]`, `[1 2]`, `[1}`, `[`, `[1`, `[1,`, `]`, `}`, `,`, `:`,
	// Data after the value.
	`{} {}`, `{}x`, `{} x`, `[]]`, `1x`, `1 x`, `"a""b"`, `"a" "b"`, `null,`, "{}\x00", "{}\n\n", `{}/`,
	// A CloudTrail-like record.
	`{"eventVersion":"1.10","userIdentity":{"type":"Root","arn":"arn:aws:iam::111122223333:root"},"eventTime":"2026-01-01T00:00:00Z","readOnly":false,"resources":[{"ARN":"arn:aws:s3:::b","type":"AWS::S3::Bucket"}],"responseElements":null,"additionalEventData":{"bytesTransferredIn":0.0}}`,
	// Nesting at and past encoding/json's limit.
	nest(10000, "[", "", "]"),
	nest(10001, "[", "", "]"),
	nest(10000, `{"a":`, "1", "}"),
	nest(10001, `{"a":`, "1", "}"),
	nest(5000, `[{"a":`, "[]", "}]"),
	nest(10001, "[", "", ""),
}

// FuzzDecodeEvent checks that ParseEvent accepts exactly the events
// encoding/json accepts and decodes them to deeply equal values, and that
// its errors carry the package's prefix and an offset inside the event.
func FuzzDecodeEvent(f *testing.F) {
	for _, s := range decodeSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, event []byte) {
		checkSameDecode(t, event)
	})
}

// generatedEvents returns n CloudTrail records from the project's
// generator, with every kind of event the alarms watch for.
func generatedEvents(n int) [][]byte {
	g := cloudtrailgen.New(7, []string{"111111111111", "444444444444"}, "elevated-security-role", []string{"444444444444"})
	events := make([][]byte, n)
	for i := range events {
		events[i] = g.Append(nil, time.Unix(int64(i)*60, 0), "444444444444", "eu-west-2")
	}
	return events
}

// Generated CloudTrail records decode as encoding/json decodes them, as they
// come, indented, and with every / written as \/ (as some writers do), which
// takes the decoder off its fast path for strings. The events are decoded
// by several goroutines at once and compared only once all are decoded, so
// a value that shared memory with the pooled decoder, or with another
// event, would show.
func TestParseEventCloudTrailLikeEncodingJSON(t *testing.T) {
	t.Parallel()
	var events [][]byte
	for _, ev := range generatedEvents(3000) {
		var indented bytes.Buffer
		require.NoError(t, json.Indent(&indented, ev, "", "\t"))
		events = append(events, ev, indented.Bytes(), bytes.ReplaceAll(ev, []byte("/"), []byte(`\/`)))
	}
	got := make([]any, len(events))
	errs := make([]error, len(events))
	var wg sync.WaitGroup
	const workers = 4
	for w := range workers {
		wg.Go(func() {
			for i := w; i < len(events); i += workers {
				got[i], errs[i] = parseEvent(events[i])
			}
		})
	}
	wg.Wait()
	for i, ev := range events {
		want, err := stdDecode(ev)
		require.NoError(t, err)
		require.NoError(t, errs[i], "%s", ev)
		require.Equal(t, want, got[i], "%s", ev)
	}
}

// The seeds hold every case FuzzDecodeEvent was written for; this runs them
// as a plain test too, with names, so a failure says which case broke.
func TestParseEventSeedsLikeEncodingJSON(t *testing.T) {
	t.Parallel()
	for _, s := range decodeSeeds {
		name := s
		if len(name) > 40 {
			name = name[:40]
		}
		t.Run(name, func(t *testing.T) {
			checkSameDecode(t, []byte(s))
		})
	}
}

// A rejected event's error says what was wrong and at which byte.
func TestParseEventErrors(t *testing.T) {
	t.Parallel()
	for event, want := range map[string]string{
		``:                        "empty input",
		" \n":                     "empty input",
		`{"a": 1`:                 "unexpected end of input after object key:value pair at offset 7",
		`{"a": 01}`:               "invalid character '1' after object key:value pair at offset 7",
		`{"a": 1} x`:              "unexpected data after top-level value at offset 9",
		`{"a": 1} {"a": 1}`:       "unexpected data after top-level value at offset 9",
		`not json`:                "invalid character 'o' in literal null (expecting 'u') at offset 1",
		`[1,]`:                    "invalid character ']' looking for beginning of value at offset 3",
		`{"a":1,}`:                "invalid character '}' looking for beginning of object key string at offset 7",
		`{"a" 1}`:                 "invalid character '1' after object key at offset 5",
		`"\q"`:                    "invalid character 'q' in string escape code at offset 2",
		`"\u12x4"`:                `invalid character 'x' in \u hexadecimal character escape at offset 5`,
		"\"a\x01\"":               "invalid byte 0x01 in string literal at offset 2",
		`"abc`:                    "unexpected end of input in string literal at offset 4",
		`1.`:                      "unexpected end of input after decimal point in numeric literal at offset 2",
		`-x`:                      "invalid character 'x' in numeric literal at offset 1",
		`1e+`:                     "unexpected end of input in exponent of numeric literal at offset 3",
		"\xef\xbb\xbf{}":          "invalid byte 0xef looking for beginning of value at offset 0",
		nest(10001, "[", "", "]"): "arrays and objects nested more than 10000 deep at offset 10000",
	} {
		_, err := filterpattern.ParseEvent([]byte(event))
		require.Error(t, err, "%q", event)
		assert.Equal(t, "filterpattern: invalid JSON event: "+want, err.Error(), "%.40q", event)
	}
}

// BenchmarkParseEvent parses generated CloudTrail records, one per
// operation, with the package's decoder and with encoding/json.
func BenchmarkParseEvent(b *testing.B) {
	events := generatedEvents(1000)
	size := 0
	for _, ev := range events {
		size += len(ev)
	}
	for _, bc := range []struct {
		name   string
		decode func([]byte) (any, error)
	}{
		{"decoder", parseEvent},
		{"encoding_json", stdDecode},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.SetBytes(int64(size / len(events)))
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				if _, err := bc.decode(events[i%len(events)]); err != nil {
					b.Fatal(err)
				}
				i++
			}
		})
	}
}

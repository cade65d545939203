package eventstream

import (
	"bytes"
	"flag"
	"io"
	"testing"
	"time"

	"github.com/example/landing-zone-audit/internal/cloudtrailgen"
)

// The benchmark's input size: small by default so that CI's one run stays
// quick; -eventstream.size=268435456 measures 256 MiB.
var benchSize = flag.Int("eventstream.size", 16<<20, "bytes of generated CloudTrail events for BenchmarkReader")

// benchInputs are generated CloudTrail events (about 1.2 KB each) as JSON
// Lines and as one CloudTrail file, {"Records":[...]}.
func benchInputs() (lines, records []byte) {
	g := cloudtrailgen.New(1, []string{"111111111111", "222222222222", "333333333333"}, "elevated-security-role", []string{"333333333333"})
	t := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	records = append(records, `{"Records":[`...)
	var ev []byte
	for len(lines) < *benchSize {
		ev = g.Append(ev[:0], t, "111111111111", "eu-west-2")
		lines = append(append(lines, ev...), '\n')
		if len(records) > len(`{"Records":[`) {
			records = append(records, ',')
		}
		records = append(records, ev...)
		t = t.Add(time.Second)
	}
	records = append(records, "]}"...)
	return lines, records
}

// BenchmarkReader reads generated CloudTrail events, as JSON Lines and as a
// CloudTrail file, with the Reader and, for comparison, with refReader.
func BenchmarkReader(b *testing.B) {
	lines, records := benchInputs()
	for _, in := range []struct {
		name string
		data []byte
	}{{"JSONLines", lines}, {"Records", records}} {
		for _, rd := range []struct {
			name string
			new  func(io.Reader) events
		}{
			{"", func(r io.Reader) events { return NewReader(r) }},
			{"/reference", func(r io.Reader) events { return newRefReader(r) }},
		} {
			b.Run(in.name+rd.name, func(b *testing.B) {
				b.SetBytes(int64(len(in.data)))
				b.ReportAllocs()
				for b.Loop() {
					r := rd.new(bytes.NewReader(in.data))
					n := 0
					for {
						_, err := r.Next()
						if err == io.EOF {
							break
						}
						if err != nil {
							b.Fatal(err)
						}
						n++
					}
					if n == 0 {
						b.Fatal("no events")
					}
				}
			})
		}
	}
}

type events interface{ Next() ([]byte, error) }

package filterpattern_test

import (
	"testing"

	"github.com/example/landing-zone-audit/internal/filterpattern"
)

// BenchmarkMatch parses a CIS-style pattern once and matches it against a
// realistic CloudTrail ConsoleLogin record many times.
func BenchmarkMatch(b *testing.B) {
	p, err := filterpattern.Parse(`{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") && ($.userIdentity.type = "IAMUser") && ($.responseElements.ConsoleLogin = "Success") }`)
	if err != nil {
		b.Fatal(err)
	}
	event := []byte(consoleLogin)
	b.SetBytes(int64(len(event)))
	b.ReportAllocs()
	for b.Loop() {
		ok, err := p.Match(event)
		if err != nil || !ok {
			b.Fatalf("Match = %v, %v; want true, nil", ok, err)
		}
	}
}

package eventpattern_test

import (
	"testing"

	"github.com/example/landing-zone-audit/internal/eventpattern"
)

func BenchmarkMatch(b *testing.B) {
	p, err := eventpattern.Parse([]byte(guardDutyPattern))
	if err != nil {
		b.Fatal(err)
	}
	event := []byte(guardDutyFinding("aws.guardduty", "Recon:EC2/PortProbeUnprotectedPort", 8))
	b.SetBytes(int64(len(event)))
	b.ReportAllocs()
	for b.Loop() {
		ok, err := p.Match(event)
		if err != nil || !ok {
			b.Fatalf("Match = %v, %v; want true, nil", ok, err)
		}
	}
}

func BenchmarkParse(b *testing.B) {
	pattern := []byte(guardDutyPattern)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := eventpattern.Parse(pattern); err != nil {
			b.Fatal(err)
		}
	}
}

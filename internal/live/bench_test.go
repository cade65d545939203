package live_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/example/landing-zone-audit/internal/live"
	"github.com/example/landing-zone-audit/internal/live/livetest"
)

// BenchmarkScan reads every account of kumo's organization in four regions
// with 20 ms added to every call (a same-continent round trip to AWS), at
// the default concurrency and at 64. The time per account and region, times
// 2,000, estimates a 500-account × 4-region organization; `go test
// -bench Scan ./internal/live` prints both.
func BenchmarkScan(b *testing.B) {
	f, srv := livetest.NewFake(b)
	f.Latency = 20 * time.Millisecond
	regions := []string{"us-east-1", "us-west-2", "eu-west-1", "eu-central-1"}
	for _, concurrency := range []int{16, 64} {
		b.Run(fmt.Sprintf("concurrency=%d", concurrency), func(b *testing.B) {
			var accountRegions int
			for b.Loop() {
				o, err := live.Scan(context.Background(), livetest.StaticConfig(srv.URL, livetest.ManagementKey), live.Options{Regions: regions, RoleName: "OrganizationAccountAccessRole", Concurrency: concurrency})
				if err != nil {
					b.Fatal(err)
				}
				accountRegions = len(o.State) * len(regions)
			}
			perAccountRegion := b.Elapsed() / time.Duration(b.N*accountRegions)
			b.ReportMetric(float64(perAccountRegion.Microseconds())/1000, "ms/account-region")
			b.ReportMetric((perAccountRegion * 2000).Seconds(), "s/500x4-estimate")
		})
	}
}

package tests

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/pulumi/pulumi/pkg/v3/resource/deploy"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"

	"github.com/example/landing-zone-audit/config"
	"github.com/example/landing-zone-audit/internal/plan"
)

var scaleOut = flag.String("scale-out", "", "write a generated organization's stack file here (with -scale-accounts, -scale-regions)")
var scaleAccounts = flag.Int("scale-accounts", 500, "accounts in the generated organization")
var scaleRegions = flag.Int("scale-regions", 4, "governed regions in the generated organization")

var scaleRegionNames = []string{"eu-west-2", "eu-west-1", "us-east-1", "us-west-2", "ap-southeast-2", "eu-central-1"}

// scaleConfig is a generated organization of n accounts (the three core
// accounts plus members) governing r regions, in direct or stackset mode.
// The elevated role is watched in the security account only: one filter per
// four accounts would exceed CloudWatch's 100 filters per log group.
func scaleConfig(n, r int, mode string) map[string]any {
	accounts := map[string]any{
		"management": map[string]string{"id": "100000000001", "email": "aws-management@example.com"},
		"security":   map[string]string{"id": "100000000002"},
		"logArchive": map[string]string{"id": "100000000003"},
	}
	for i := 3; i < n; i++ {
		accounts[fmt.Sprintf("member%d", i)] = map[string]string{"id": fmt.Sprintf("2%011d", i), "email": fmt.Sprintf("member%d@example.com", i)}
	}
	cfg := map[string]any{
		"pulumi:disable-default-providers": []string{"aws"},
		ns + "organizationId":              "o-scaletest01",
		ns + "resourcePrefix":              "scale",
		ns + "homeRegion":                  scaleRegionNames[0],
		ns + "governedRegions":             scaleRegionNames[:r],
		ns + "accounts":                    accounts,
		ns + "alertEmails":                 []string{"soc@example.com"},
		ns + "alarms":                      map[string]any{"elevatedRoles": []map[string]any{{"roleName": "elevated-security-role", "accounts": []string{"security"}}}},
		ns + "memberBaseline":              mode,
		ns + "stackSet":                    map[string]any{"organizationalUnitIds": []string{"ou-ab12-workloads1"}},
		ns + "securityHub":                 map[string]any{"targets": []string{"r-ab12"}},
		// Direct mode at this size is over the default deploy budget on purpose.
		ns + "maxProviderProcesses": n*len(scaleRegionNames) + 10,
	}
	return cfg
}

// scaleStackFile writes scaleConfig as a stack file and returns its path.
func scaleStackFile(t testing.TB, n, r int, mode string) string {
	t.Helper()
	data, err := yaml.Marshal(map[string]any{"config": scaleConfig(n, r, mode)})
	require.NoError(t, err)
	path := filepath.Join(t.TempDir(), "Pulumi.scale.yaml")
	require.NoError(t, os.WriteFile(path, data, 0o644))
	return path
}

// scaleRaw loads a generated organization as the engine would.
func scaleRaw(t testing.TB, n, r int, mode string) config.Source {
	t.Helper()
	return loadStackFile(t, scaleStackFile(t, n, r, mode))
}

// TestScaleStackFile writes a generated organization to -scale-out, for
// measuring `go run . plan --config` (time and peak memory) by hand.
func TestScaleStackFile(t *testing.T) {
	if *scaleOut == "" {
		t.Skip("set -scale-out to write a generated stack file")
	}
	data, err := yaml.Marshal(map[string]any{"config": scaleConfig(*scaleAccounts, *scaleRegions, "direct")})
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(*scaleOut, data, 0o644))
}

// The plan grows linearly: per account and per region the same resources.
func TestScaleIsLinear(t *testing.T) {
	t.Parallel()
	small := len(runPlan(t, scaleRaw(t, 20, 2, "direct")).Resources)
	large := len(runPlan(t, scaleRaw(t, 40, 2, "direct")).Resources)
	larger := len(runPlan(t, scaleRaw(t, 60, 2, "direct")).Resources)
	require.Equal(t, large-small, larger-large, "each 20 accounts add the same number of resources")
	r2 := len(runPlan(t, scaleRaw(t, 20, 2, "direct")).Resources)
	r3 := len(runPlan(t, scaleRaw(t, 20, 3, "direct")).Resources)
	r4 := len(runPlan(t, scaleRaw(t, 20, 4, "direct")).Resources)
	require.Equal(t, r3-r2, r4-r3, "each region adds the same number of resources")
	fanned := len(runPlan(t, scaleRaw(t, 60, 2, "stackset")).Resources)
	require.Equal(t, fanned, len(runPlan(t, scaleRaw(t, 20, 2, "stackset")).Resources), "StackSet mode does not grow with member accounts")
}

func BenchmarkPlan(b *testing.B) {
	for _, mode := range []string{"direct", "stackset"} {
		for _, n := range []int{10, 100, 500} {
			for _, r := range []int{2, 4} {
				raw := scaleRaw(b, n, r, mode)
				b.Run(fmt.Sprintf("%s/accounts=%d/regions=%d", mode, n, r), func(b *testing.B) {
					benchmarkPlan(b, stackProgram, raw)
				})
				if mode == "direct" {
					resources := len(runPlan(b, raw).Resources)
					b.Run(fmt.Sprintf("baseline/accounts=%d/regions=%d", n, r), func(b *testing.B) {
						benchmarkPlan(b, trivialProgram(resources), raw)
					})
				}
			}
		}
	}
}

// BenchmarkEnginePreview times Pulumi's own engine previewing generated
// organizations with deploytest stand-in providers: the engine, not the
// lifecycletest harness, whose snapshot checks grow with the square of the
// resources.
func BenchmarkEnginePreview(b *testing.B) {
	for _, c := range []struct {
		mode string
		n, r int
	}{{"direct", 10, 2}, {"direct", 100, 2}, {"direct", 100, 4}, {"stackset", 500, 4}} {
		path := scaleStackFile(b, c.n, c.r, c.mode)
		b.Run(fmt.Sprintf("%s/accounts=%d/regions=%d", c.mode, c.n, c.r), func(b *testing.B) {
			b.ReportAllocs()
			var resources int
			start := time.Now()
			for b.Loop() {
				s := newEngineStack(b, path)
				st, err := s.preview()
				if err != nil {
					b.Fatal(err)
				}
				resources = len(st[deploy.OpCreate])
			}
			b.ReportMetric(float64(resources), "resources/op")
			b.ReportMetric(float64(resources*b.N)/time.Since(start).Seconds(), "resources/s")
		})
	}
}

func benchmarkPlan(b *testing.B, program plan.Program, raw config.Source) {
	b.ReportAllocs()
	var resources int
	start := time.Now()
	for b.Loop() {
		p, err := plan.Run(program, "bench", raw)
		if err != nil {
			b.Fatal(err)
		}
		resources = len(p.Resources)
	}
	b.ReportMetric(float64(resources), "resources/op")
	b.ReportMetric(float64(resources*b.N)/time.Since(start).Seconds(), "resources/s")
}

// trivialProgram registers n resources with no inputs through the same mock
// engine: the cost of the engine itself, to compare the program against.
func trivialProgram(n int) plan.Program {
	return func(config.Source) pulumi.RunFunc {
		return func(ctx *pulumi.Context) error {
			for i := 0; i < n; i++ {
				var r pulumi.CustomResourceState
				if err := ctx.RegisterResource("test:index:Trivial", fmt.Sprintf("r%d", i), nil, &r); err != nil {
					return err
				}
			}
			return nil
		}
	}
}

// At 500 accounts the policies that list accounts stay within AWS's limits
// (S3 bucket policies 20 KB, KMS key policies 32 KB).
func TestPoliciesFitAt500Accounts(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("a large generated organization; skipped with -short")
	}
	p := runPlan(t, scaleRaw(t, 500, 2, "direct"))
	bucketPolicy := one(t, p, typeBucketPolicy, "config-bucket-policy").Inputs["policy"].(string)
	require.LessOrEqual(t, len(bucketPolicy), 20*1024)
	keyPolicy := one(t, p, typeKey, "config-bucket-key").Inputs["policy"].(string)
	require.LessOrEqual(t, len(keyPolicy), 32*1024)
}

// With custom recorder roles the policies list every role: what config
// validation lets through must still fit.
func TestPoliciesFitAtTheValidatedLimit(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("a large generated organization; skipped with -short")
	}
	raw := scaleRaw(t, 120, 2, "direct")
	raw = with(raw, "awsConfig", map[string]any{"recorderRole": "custom"})
	p := runPlan(t, raw)
	require.LessOrEqual(t, len(one(t, p, typeBucketPolicy, "config-bucket-policy").Inputs["policy"].(string)), 20*1024)
	require.LessOrEqual(t, len(one(t, p, typeKey, "config-bucket-key").Inputs["policy"].(string)), 32*1024)
	raw = scaleRaw(t, 150, 2, "direct")
	raw = with(raw, "awsConfig", map[string]any{"recorderRole": "custom"})
	_, err := plan.Run(stackProgram, "bench", raw)
	require.ErrorContains(t, err, "landing-zone-audit:accounts: 150 accounts would push the Config bucket policy")
}

package tests

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/example/landing-zone-audit/config"
)

// footprintStacks are the example stacks and generated organizations whose
// providers the footprint tests count.
func footprintStacks(t *testing.T) map[string]config.Source {
	t.Helper()
	stackSet := with(with(exampleConfig(t), "memberBaseline", "stackset"), "stackSet", map[string]any{"organizationalUnitIds": []string{"r-ab12"}})
	stacks := map[string]config.Source{
		"prod":                          exampleConfig(t),
		"large":                         loadStackFile(t, "../Pulumi.large.yaml"),
		"controltower":                  loadStackFile(t, "../Pulumi.controltower.yaml"),
		"brownfield":                    loadStackFile(t, "../Pulumi.brownfield.yaml"),
		"config off":                    with(exampleConfig(t), "awsConfig", map[string]any{"enabled": false}),
		"invitation":                    with(exampleConfig(t), "guardDuty", map[string]any{"mode": "invitation"}),
		"chat outside governed regions": with(with(exampleConfig(t), "governedRegions", []string{"eu-west-2"}), "chat", exampleChat),
		"control tower, config off":     with(loadStackFile(t, "../Pulumi.controltower.yaml"), "awsConfig", map[string]any{"enabled": false}),
		"full":                          loadStackFile(t, "../Pulumi.full.yaml"),
		// Security Lake's account in every region, where StackSet mode has
		// log archive in the home region only.
		"stackset, security lake":        with(stackSet, "securityLake", map[string]any{"enabled": true}),
		"stackset, security lake in dev": with(stackSet, "securityLake", map[string]any{"enabled": true, "account": "dev"}),
	}
	for _, mode := range []string{"direct", "stackset"} {
		for _, n := range []int{10, 60} {
			for _, r := range []int{2, 4} {
				stacks[fmt.Sprintf("%s-%dx%d", mode, n, r)] = scaleRaw(t, n, r, mode)
			}
		}
	}
	return stacks
}

// Pulumi starts one plugin process per provider resource, used or not. Every
// provider the program registers has a resource, and the count is the one
// config.Footprint states (what the budget check and the plan report).
func TestEveryProviderIsUsedAndCounted(t *testing.T) {
	t.Parallel()
	for name, src := range footprintStacks(t) {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			cfg, err := config.Load(src)
			require.NoError(t, err)
			p := runPlan(t, src)
			used := map[string]int{}
			for _, r := range p.Resources {
				if r.Provider != "" {
					used[r.Provider]++
				}
			}
			var got config.Footprint
			for _, prov := range p.Resources {
				if !prov.IsProvider() {
					continue
				}
				assert.NotZero(t, used[prov.Name], "provider %s has no resource: an idle plugin process at pulumi up", prov.Name)
				if strings.HasSuffix(prov.Type, ":aws-native") {
					got.AWSNative++
				} else {
					got.AWS++
				}
			}
			assert.Equal(t, cfg.Footprint(), got)
			assert.Equal(t, got, p.Footprint, "the plan reports what it registered")
		})
	}
}

// StackSet mode's footprint does not grow with the accounts: management and
// security per region, log archive once, AWS Native at most twice — at most
// 2 × regions + 3, so 11 at 500 accounts × 4 regions.
func TestStackSetFootprintIsIndependentOfAccounts(t *testing.T) {
	if testing.Short() {
		t.Skip("a large generated organization; skipped with -short")
	}
	t.Parallel()
	for _, n := range []int{10, 100, 500} {
		for _, r := range []int{1, 2, 4} {
			p := runPlan(t, scaleRaw(t, n, r, "stackset"))
			f := p.Footprint
			assert.LessOrEqual(t, f.Processes(), 2*r+3, "%d accounts × %d regions", n, r)
			assert.LessOrEqual(t, f.AWSNative, 2)
		}
	}
	assert.Equal(t, 11, runPlan(t, scaleRaw(t, 500, 4, "stackset")).Footprint.Processes())
}

// A stack over the deploy budget is refused with the count, the memory and
// the fix; raising maxProviderProcesses lets it through.
func TestProviderBudget(t *testing.T) {
	t.Parallel()
	src := scaleRaw(t, 30, 3, "direct")
	src = with(src, "maxProviderProcesses", 40)
	_, err := config.Load(src)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "landing-zone-audit:maxProviderProcesses: the stack would start 92 provider processes at pulumi up (30 accounts × 3 regions), about 15.6–39.6 GB, over the budget of 40; use memberBaseline: stackset")
	_, err = config.Load(with(src, "maxProviderProcesses", 92))
	assert.NoError(t, err)
	_, err = config.Load(with(scaleRaw(t, 30, 3, "stackset"), "maxProviderProcesses", 40))
	assert.NoError(t, err, "the same organization in StackSet mode fits")
	_, err = config.Load(with(src, "maxProviderProcesses", 0))
	assert.ErrorContains(t, err, "landing-zone-audit:maxProviderProcesses: 0 is not a number of processes")
}

package tests

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/example/landing-zone-audit/config"
	"github.com/example/landing-zone-audit/internal/cli"
	"github.com/example/landing-zone-audit/internal/plan"
	"github.com/example/landing-zone-audit/internal/program"
	"github.com/example/landing-zone-audit/internal/providers"
)

func TestProvidersPerAccountAndRegion(t *testing.T) {
	t.Parallel()
	cfg, p := exampleStack(t)
	provs := named(p, "pulumi:providers:aws")
	require.Len(t, provs, len(cfg.Accounts)*len(cfg.GovernedRegions))
	for _, alias := range cfg.Aliases() {
		for _, region := range cfg.GovernedRegions {
			prov, ok := provs[providers.Name(alias, region)]
			require.True(t, ok, "provider for %s in %s", alias, region)
			id := cfg.AccountID(alias)
			assert.Equal(t, region, prov.Inputs["region"])
			assert.Equal(t, []any{id}, prov.Inputs["allowedAccountIds"])
			if alias != "management" {
				assert.Equal(t, "arn:aws:iam::"+id+":role/OrganizationAccountAccessRole", input(prov, "assumeRole.roleArn"))
			}
			assert.Equal(t, "landing-zone-audit", input(prov, "defaultTags.tags.managed-by"))
			assert.Equal(t, "prod", input(prov, "defaultTags.tags.pulumi-stack"))
		}
	}
}

// AWS Organizations creates OrganizationAccountAccessRole only in the
// member accounts it creates ("Accessing member accounts in your
// organization", orgs_manage_accounts_access.html); the management account
// has no such role unless someone made one. By default the management
// providers use the caller's own credentials, still pinned to the account.
func TestManagementUsesCallerCredentialsByDefault(t *testing.T) {
	t.Parallel()
	p := runPlan(t, exampleConfig(t))
	for _, mgmt := range []plan.Resource{
		one(t, p, typeAWSProvider, providers.Name("management", "eu-west-2")),
		one(t, p, typeAWSProvider, providers.Name("management", "eu-west-1")),
		one(t, p, typeNativeProvider, providers.NativeName("management", "eu-west-2")),
	} {
		assert.Nil(t, mgmt.Inputs["assumeRole"], "%s: no role to assume in management", mgmt.Name)
		assert.Equal(t, []any{prodManagementID}, mgmt.Inputs["allowedAccountIds"], "still pinned to its account")
	}
	t.Run("management by assumed role", func(t *testing.T) {
		p := runPlan(t, with(exampleConfig(t), "managementCredentials", "assumeRole"))
		assert.Equal(t, "arn:aws:iam::"+prodManagementID+":role/OrganizationAccountAccessRole", input(one(t, p, typeAWSProvider, "aws-management-eu-west-2"), "assumeRole.roleArn"))
	})
}

func TestDefaultProviderDisabledInExampleStack(t *testing.T) {
	t.Parallel()
	raw := exampleConfig(t)
	var disabled []string
	require.NoError(t, json.Unmarshal([]byte(raw.Values["pulumi:disable-default-providers"]), &disabled))
	assert.Contains(t, disabled, "aws")
}

// Graph invariants of the example stack.
func TestGraphInvariants(t *testing.T) {
	t.Parallel()
	p := runPlan(t, exampleConfig(t))
	byURN := map[string]plan.Resource{}
	components := 0
	for _, r := range p.Resources {
		_, dup := byURN[r.URN]
		require.False(t, dup, "duplicate URN %s", r.URN)
		byURN[r.URN] = r
		if !r.Custom {
			components++
		}
	}
	for _, r := range p.Resources {
		switch {
		case r.IsProvider():
			assert.Empty(t, r.Parent, "providers are top level: %s", r.Name)
		case strings.HasPrefix(r.Type, "aws:"), strings.HasPrefix(r.Type, "aws-native:"):
			require.NotEmpty(t, r.Provider, "%s has no explicit provider", r.URN)
			prov := byURN[providerURNOf(t, p, r.Provider)]
			want := providers.Name(r.Account, r.Region)
			if strings.HasPrefix(r.Type, "aws-native:") {
				want = providers.NativeName(r.Account, r.Region)
			}
			assert.Equal(t, want, r.Provider, "%s", r.URN)
			assert.Equal(t, prov.Inputs["region"], r.Region)
			assert.Equal(t, []any{r.AccountID}, prov.Inputs["allowedAccountIds"])
			parent, ok := byURN[r.Parent]
			require.True(t, ok, "%s has no component parent", r.URN)
			assert.False(t, parent.Custom, "%s's parent is a component", r.URN)
		case !r.Custom:
			if r.Parent != "" {
				_, ok := byURN[r.Parent]
				assert.True(t, ok || resource.URN(r.Parent).QualifiedType() == resource.RootStackType, "%s", r.URN)
			}
		}
	}
	requirePlacementMatchesNames(t, p)
	// One RegisterResourceOutputs per component, plus the stack's own outputs.
	assert.Equal(t, components+1, p.ComponentOutputs)
}

func providerURNOf(t testing.TB, p *plan.Plan, name string) string {
	t.Helper()
	for _, r := range p.Resources {
		if r.IsProvider() && r.Name == name {
			return r.URN
		}
	}
	t.Fatalf("no provider %s", name)
	return ""
}

func TestPlanIsDeterministic(t *testing.T) {
	t.Parallel()
	var first []byte
	for i := 0; i < 3; i++ {
		var out bytes.Buffer
		require.NoError(t, runPlan(t, exampleConfig(t)).Write(&out, "json"))
		if first == nil {
			first = out.Bytes()
			continue
		}
		require.Equal(t, string(first), out.String(), "run %d differs", i)
	}
}

// The example stack's plan is kept in testdata; run `go test ./tests -update`
// after an intended change and review the diff.
func TestExamplePlanGolden(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	require.NoError(t, runPlan(t, exampleConfig(t)).Write(&out, "json"))
	golden := filepath.Join("testdata", "prod-plan.golden.json")
	if *update {
		require.NoError(t, os.WriteFile(golden, out.Bytes(), 0o644))
	}
	want, err := os.ReadFile(golden)
	require.NoError(t, err, "run go test ./tests -update to create it")
	require.Equal(t, string(want), out.String(), "plan changed; if intended, run go test ./tests -update")
}

func runCLI(t testing.TB, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := cli.Main(program.Program, args, strings.NewReader(stdin), &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

func TestPlanCommandJSONShape(t *testing.T) {
	t.Parallel()
	code, stdout, stderr := runCLI(t, "", "plan", "--config", "../Pulumi.prod.yaml", "--format", "json")
	require.Equal(t, 0, code, stderr)
	var doc map[string]any
	require.NoError(t, json.Unmarshal([]byte(stdout), &doc))
	assert.Equal(t, "landing-zone-audit", doc["project"])
	assert.Equal(t, "prod", doc["stack"])
	assert.IsType(t, map[string]any{}, doc["outputs"])
	resources := doc["resources"].([]any)
	require.NotEmpty(t, resources)
	for _, r := range resources {
		for _, k := range []string{"urn", "type", "name", "parent", "custom", "provider", "account", "accountId", "region", "inputs"} {
			assert.Contains(t, r, k)
		}
	}
}

func TestPlanCommandFormats(t *testing.T) {
	t.Parallel()
	code, stdout, stderr := runCLI(t, "", "plan", "--config", "../Pulumi.prod.yaml")
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, stdout, "management ("+prodManagementID+") eu-west-2:")
	assert.Contains(t, stdout, typeTrail)
	assert.Regexp(t, `\d+ resources: \d+ AWS resources, \d+ components, \d+ providers`, stdout)

	code, stdout, stderr = runCLI(t, "", "plan", "--config", "../Pulumi.prod.yaml", "--format", "mermaid")
	require.Equal(t, 0, code, stderr)
	assert.True(t, strings.HasPrefix(stdout, "flowchart LR\n"))
	assert.Contains(t, stdout, "subgraph acct_management[\"management ("+prodManagementID+")\"]\n    subgraph grp_management_eu_west_1[\"eu-west-1\"]")
	assert.Contains(t, stdout, "OrgTrail<br/>orgtrail")
	assert.Contains(t, stdout, " --> ")

	code, stdout, stderr = runCLI(t, "", "plan", "--config", "../Pulumi.prod.yaml", "--format", "yaml")
	assert.Equal(t, 2, code)
	assert.Empty(t, stdout)
	assert.Contains(t, stderr, "--format")
}

func TestPlanCommandRejectsBadConfig(t *testing.T) {
	t.Parallel()
	bad := `config:
  landing-zone-audit:organizationId: o-BAD
  landing-zone-audit:resourcePrefix: acme
  landing-zone-audit:homeRegion: us-east-1
  landing-zone-audit:governedRegions: [eu-west-2]
  landing-zone-audit:colour: blue
  landing-zone-audit:accounts:
    management: {id: "111111111111"}
    security: {id: "12345"}
`
	path := filepath.Join(t.TempDir(), "Pulumi.bad.yaml")
	require.NoError(t, os.WriteFile(path, []byte(bad), 0o644))
	code, stdout, stderr := runCLI(t, "", "plan", "--config", path)
	assert.Equal(t, 2, code)
	assert.Empty(t, stdout)
	assert.Contains(t, stderr, "landing-zone-audit:colour: unknown key")
	assert.NotContains(t, stderr, "goroutine", "no stack trace")

	// With the unknown key gone, every remaining problem is reported at once.
	require.NoError(t, os.WriteFile(path, []byte(strings.ReplaceAll(bad, "  landing-zone-audit:colour: blue\n", "")), 0o644))
	code, stdout, stderr = runCLI(t, "", "plan", "--config", path)
	assert.Equal(t, 2, code)
	assert.Empty(t, stdout)
	for _, key := range []string{"organizationId", "governedRegions", "accounts", "accounts.security.id"} {
		assert.Contains(t, stderr, "landing-zone-audit:"+key+":")
	}
}

func TestPlanCommandUsage(t *testing.T) {
	t.Parallel()
	code, _, stderr := runCLI(t, "")
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, "usage:")
	code, _, stderr = runCLI(t, "", "plan", "--config", "does-not-exist.yaml")
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, "does-not-exist.yaml")
}

// requirePlacementMatchesNames checks each resource's account and region
// against what its logical name says, independently of its provider: a
// resource handed the wrong (but valid) provider fails here.
func requirePlacementMatchesNames(t *testing.T, p *plan.Plan) {
	t.Helper()
	cfg, err := config.Load(exampleConfig(t))
	require.NoError(t, err)
	checked := 0
	for _, r := range p.Resources {
		if !r.Custom || r.IsProvider() {
			continue
		}
		for _, region := range cfg.GovernedRegions {
			if strings.Contains(r.Name+"-", "-"+region+"-") {
				assert.Equal(t, region, r.Region, "%s names region %s", r.Name, region)
				checked++
			}
		}
		for _, alias := range cfg.Aliases() {
			want := ""
			switch {
			case strings.HasPrefix(r.Name, "config-"+alias+"-"), strings.HasSuffix(r.Name, "-"+alias+"-detector"), strings.HasSuffix(r.Name, "-"+alias+"-accepter"):
				want = alias
			case strings.HasSuffix(r.Name, "-"+alias+"-member"), strings.HasPrefix(r.Name, "security-alerts-"):
				want = "security"
			}
			if want != "" {
				assert.Equal(t, want, r.Account, "%s belongs in %s", r.Name, want)
				checked++
			}
		}
	}
	require.Greater(t, checked, 50, "names carry placement for most per-account resources")
}

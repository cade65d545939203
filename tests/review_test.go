package tests

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"

	"github.com/example/landing-zone-audit/internal/plan"
)

// Values AWS assigns at deploy time are shown as unknown, as pulumi preview
// shows them, never as invented IDs.
func TestPlanMarksValuesKnownOnlyAfterDeploy(t *testing.T) {
	t.Parallel()
	p := runPlan(t, exampleConfig(t))
	topic := one(t, p, typeTopic, "alerts")
	assert.Equal(t, "arn:aws:kms:eu-west-2:"+prodManagementID+":key/"+plan.Unknown, topic.Inputs["kmsMasterKeyId"])
	member := one(t, p, typeGuardDutyMember, "guardduty-eu-west-2-management-member")
	assert.Equal(t, plan.Unknown, member.Inputs["detectorId"])
	assert.Contains(t, p.Outputs["configAggregatorArn"], plan.Unknown)
	uuid := regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{32}`)
	var out bytes.Buffer
	require.NoError(t, p.Write(&out, "json"))
	assert.False(t, uuid.Match(out.Bytes()), "no invented key or detector ID in the plan: %s", uuid.Find(out.Bytes()))
}

// The JSON plan is readable and diffable: no HTML escaping (&&, >= stay as
// written), and every policy input also as a parsed document.
func TestPlanJSONForReview(t *testing.T) {
	t.Parallel()
	p := runPlan(t, exampleConfig(t))
	var out bytes.Buffer
	require.NoError(t, p.Write(&out, "json"))
	assert.Contains(t, out.String(), "&&")
	assert.NotContains(t, out.String(), `\u0026`)
	var decoded struct {
		Resources []struct {
			Name     string
			Policies map[string]struct {
				Statement []map[string]any
			}
		}
	}
	require.NoError(t, json.Unmarshal(out.Bytes(), &decoded))
	for _, r := range decoded.Resources {
		if r.Name == "config-bucket-policy" {
			require.NotEmpty(t, r.Policies["policy"].Statement)
			assert.Equal(t, "ConfigAclCheck", r.Policies["policy"].Statement[0]["Sid"])
			return
		}
	}
	t.Fatal("no config-bucket-policy")
}

// plan --diff OLD.json says what a stack-file change adds, removes and
// changes, per resource and property (a policy by its parsed statements).
func TestPlanDiff(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	code, old, stderr := runCLI(t, "", "plan", "--config", "../Pulumi.prod.yaml", "--format", "json")
	require.Equal(t, 0, code, stderr)
	oldPath := filepath.Join(dir, "old.json")
	require.NoError(t, os.WriteFile(oldPath, []byte(old), 0o644))

	code, stdout, stderr := runCLI(t, "", "plan", "--config", "../Pulumi.prod.yaml", "--diff", oldPath)
	require.Equal(t, 0, code, stderr)
	assert.Equal(t, "no changes\n", stdout)

	var accounts map[string]map[string]any
	src := exampleConfig(t)
	require.NoError(t, json.Unmarshal([]byte(src.Values[ns+"accounts"]), &accounts))
	accounts["ops"] = map[string]any{"id": "666666666666"}
	changed := writeStackFile(t, with(src, "accounts", accounts))
	code, stdout, stderr = runCLI(t, "", "plan", "--config", changed, "--stack", "prod", "--diff", oldPath)
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, stdout, "+ aws:cfg/recorder:Recorder config-ops-eu-west-1-recorder (ops eu-west-1)\n")
	assert.Contains(t, stdout, "+ pulumi:providers:aws aws-ops-eu-west-2 (ops eu-west-2)\n")
	assert.Contains(t, stdout, "~ aws:s3/bucketPolicy:BucketPolicy config-bucket-policy (logArchive eu-west-2)\n")
	assert.Regexp(t, `    policies\.policy\.Statement\[2\]\.Condition\.StringEquals\.aws:SourceAccount\[\d\]: .*"666666666666"`, stdout)
	assert.NotContains(t, stdout, "inputs.policy", "policies are compared statement by statement")
	// The running cost follows: the new account's recorders, one per region.
	assert.Regexp(t, `\n\d+ to add, 2 to change, 0 to remove\nrunning cost:\n  ~ config: recorders \(account × region\) (\d+) → (\d+)\n$`, stdout)
}

// Mermaid node IDs come from URNs: adding an account changes only lines
// about that account (and the resources that list the accounts).
func TestMermaidIDsAreStable(t *testing.T) {
	t.Parallel()
	render := func(p *plan.Plan) map[string]bool {
		var out bytes.Buffer
		require.NoError(t, p.Write(&out, "mermaid"))
		lines := map[string]bool{}
		for _, l := range strings.Split(out.String(), "\n") {
			lines[l] = true
		}
		return lines
	}
	base := exampleConfig(t)
	before := render(runPlan(t, base))
	var accounts map[string]map[string]any
	require.NoError(t, json.Unmarshal([]byte(base.Values[ns+"accounts"]), &accounts))
	accounts["ops"] = map[string]any{"id": "666666666666"}
	after := render(runPlan(t, with(base, "accounts", accounts)))
	for l := range before {
		assert.True(t, after[l], "line changed although it is not about the new account: %q", l)
	}
	assert.True(t, after[`  subgraph acct_ops["ops (666666666666)"]`])
}

// Mermaid refuses more than 500 edges by default: a large organization is
// drawn by account, region and service, with the component dependencies.
func TestMermaidSummaryForLargeOrganizations(t *testing.T) {
	t.Parallel()
	p := runPlan(t, scaleRaw(t, 40, 3, "direct"))
	var out bytes.Buffer
	require.NoError(t, p.Write(&out, "mermaid"))
	assert.LessOrEqual(t, strings.Count(out.String(), "-->")+strings.Count(out.String(), "-.->"), 500)
	assert.Contains(t, out.String(), `subgraph grp_member10_eu_west_1["member10 (200000000010) eu-west-1"]`)
	assert.Regexp(t, `grp_member10_eu_west_1_cfg\["cfg: 3"\]`, out.String())
	assert.Contains(t, out.String(), `(["elevated-role"]) -.-> `, "component dependencies: the alarm reads the trail's log group")

	small := runPlan(t, exampleConfig(t))
	out.Reset()
	require.NoError(t, small.Write(&out, "mermaid"))
	assert.Contains(t, out.String(), " -.-> ", "dependency edges between components")
}

// The table shows physical names, per-account totals at the top with the
// core accounts first, what the StackSet deploys where, and the manual
// prerequisites; --format summary counts per service.
func TestPlanTableForReview(t *testing.T) {
	t.Parallel()
	code, stdout, stderr := runCLI(t, "", "plan", "--config", "../Pulumi.large.yaml")
	require.Equal(t, 0, code, stderr)
	assert.Regexp(t, `aws:s3/bucketV2:BucketV2\s+config-bucket\s+globex-config-100000000003`, stdout)
	mgmt, sec, la := strings.Index(stdout, "\nmanagement  "), strings.Index(stdout, "\nsecurity  "), strings.Index(stdout, "\nlogArchive  ")
	assert.True(t, mgmt > 0 && mgmt < sec && sec < la, "core accounts first in the totals")
	assert.Contains(t, stdout, "StackSet globex-member-baseline deploys in us-east-1 to every account in [ou-ab12-workloads1 ou-ab12-sandbox01] except [100000000001 100000000002 100000000003] (member-baseline-us-east-1)")
	assert.Contains(t, stdout, "aws cloudformation activate-organizations-access")
	assert.Contains(t, stdout, "aws organizations enable-aws-service-access --service-principal guardduty.amazonaws.com")
	assert.Contains(t, stdout, "confirm the")

	code, stdout, stderr = runCLI(t, "", "plan", "--config", "../Pulumi.prod.yaml", "--format", "summary")
	require.Equal(t, 0, code, stderr)
	assert.Regexp(t, `prod \(`+prodWorkloadID+`\) eu-west-1: 4 resources\n  cfg\s+3\n  provider\s+1\n`, stdout)
	assert.NotContains(t, stdout, typeRecorder)
}

// The workflow posts the offline plan diff and previews on pull requests,
// and deploys only from main behind an environment with reviewers.
func TestWorkflow(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile("../.github/workflows/pulumi.yml")
	require.NoError(t, err)
	var wf struct {
		Jobs map[string]struct {
			If          string
			Environment string
			Needs       any
			Steps       []struct {
				Name string
				Run  string
				With map[string]any
			}
		}
	}
	require.NoError(t, yamlUnmarshal(data, &wf))
	preview, up := wf.Jobs["preview"], wf.Jobs["up"]
	assert.Contains(t, preview.If, "pull_request")
	var diffed, commented bool
	for _, s := range preview.Steps {
		diffed = diffed || strings.Contains(s.Run, "plan --stack \"$STACK\" --diff")
		commented = commented || strings.Contains(s.Run, "gh pr comment")
	}
	assert.True(t, diffed && commented, "the plan diff goes to the pull request")
	assert.Contains(t, up.If, "refs/heads/main")
	assert.Equal(t, "production", up.Environment, "up waits for the environment's reviewers")
	assert.Equal(t, "check", wf.Jobs["up"].Needs)
}

func yamlUnmarshal(data []byte, v any) error { return yaml.Unmarshal(data, v) }

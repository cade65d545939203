package cli_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"

	"github.com/example/landing-zone-audit/internal/cli"
	"github.com/example/landing-zone-audit/internal/live/livetest"
	"github.com/example/landing-zone-audit/internal/program"
)

// inProject runs the test in a copy of the project (its Pulumi.yaml) with
// the AWS SDK pointed at url through its own settings: AWS_ENDPOINT_URL
// (AWS SDKs and Tools reference guide, "Service-specific endpoints") and
// the environment's credentials, first in the standard chain.
func inProject(t *testing.T, url, key string) string {
	project, err := os.ReadFile("../../Pulumi.yaml")
	require.NoError(t, err)
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "Pulumi.yaml"), project, 0o644))
	t.Chdir(dir)
	for k, v := range map[string]string{
		"AWS_ENDPOINT_URL": url, "AWS_ACCESS_KEY_ID": key, "AWS_SECRET_ACCESS_KEY": "secret", "AWS_SESSION_TOKEN": "",
		"AWS_REGION": "us-east-1", "AWS_PROFILE": "", "AWS_CONFIG_FILE": filepath.Join(dir, "none"),
		"AWS_SHARED_CREDENTIALS_FILE": filepath.Join(dir, "none"), "AWS_EC2_METADATA_DISABLED": "true",
	} {
		t.Setenv(k, v)
	}
	return dir
}

func run(args ...string) (int, string, string) {
	var stdout, stderr bytes.Buffer
	code := cli.Main(program.Program, args, strings.NewReader(""), &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

// init against a 50-account organization served by kumo writes a stack file
// that passes validation as written, and plan on it adopts what exists
// instead of creating it.
func TestInitThenPlan(t *testing.T) {
	f, srv := livetest.NewFake(t)
	_, org := livetest.StartKumo(t)
	audit, logArchive := org.Accounts["Audit"], org.Accounts["Log Archive"]
	f.At(audit, "us-east-1").Detectors = []string{"5ab6c7d8e9f00112233445566778899a"}
	f.At(audit, "us-east-1").Hub = true
	f.At(livetest.ManagementID, "us-west-2").Detectors = []string{"9f8e7d6c5b4a39281706f5e4d3c2b1a0"}
	f.At(org.Accounts["Workload 05"], "us-west-2").Recorders = []string{"old-tool"}
	f.At(org.Accounts["Workload 05"], "us-west-2").DeliveryChannels = []string{"old-tool-channel"}
	f.At(org.Accounts["Workload 06"], "us-east-1").Detectors = []string{"00112233445566778899aabbccddeeff"}
	f.Unassumable[org.Accounts["Workload 09"]] = true
	f.Admins["guardduty.amazonaws.com"] = org.Accounts["Workload 10"]
	dir := inProject(t, srv.URL, livetest.ManagementKey)

	code, stdout, stderr := run("init", "--stack", "org50", "--regions", "us-east-1,us-west-2", "--prefix", "acme")
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, stdout, "wrote Pulumi.org50.yaml: 50 accounts, 2 OUs")
	assert.Contains(t, stderr, org.Accounts["Workload 09"]+": sts AssumeRole OrganizationAccountAccessRole", "what could not be read is named")
	text, err := os.ReadFile(filepath.Join(dir, "Pulumi.org50.yaml"))
	require.NoError(t, err)

	var file struct {
		Config map[string]any `yaml:"config"`
	}
	require.NoError(t, yaml.Unmarshal(text, &file))
	accounts := file.Config["landing-zone-audit:accounts"].(map[string]any)
	assert.Len(t, accounts, livetest.OrgAccounts)
	assert.Equal(t, audit, accounts["security"].(map[string]any)["id"], "Audit, Control Tower's name, is the security account")
	assert.Equal(t, logArchive, accounts["logArchive"].(map[string]any)["id"])
	assert.Equal(t, livetest.ManagementID, accounts["management"].(map[string]any)["id"])
	assert.Equal(t, org.Accounts["Workload 05"], accounts["workload05"].(map[string]any)["id"], "aliases from names")
	assert.Equal(t, org.ID, file.Config["landing-zone-audit:organizationId"])
	adopt := file.Config["landing-zone-audit:adopt"].(map[string]any)
	assert.Equal(t, map[string]any{
		"security":   map[string]any{"us-east-1": "5ab6c7d8e9f00112233445566778899a"},
		"management": map[string]any{"us-west-2": "9f8e7d6c5b4a39281706f5e4d3c2b1a0"},
	}, adopt["guardDutyDetectors"])
	recorders := adopt["configRecorders"].(map[string]any)
	assert.NotContains(t, recorders, "workload05", "50 accounts × 2 regions is StackSet mode: the StackSet, not the stack, records the members")
	assert.Contains(t, string(text), "# DECIDE: recorders the stack does not manage exist in workload05 us-west-2 (old-tool)")
	assert.Equal(t, "stackset", file.Config["landing-zone-audit:memberBaseline"])
	assert.Equal(t, map[string]any{"recorder": "default", "deliveryChannel": "default"}, recorders["management"].(map[string]any)["us-east-1"], "the management account's recorder, from kumo")
	assert.Equal(t, true, adopt["securityHub"])
	assert.Contains(t, string(text), "# DECIDE: organization trail org-trail", "the older trail needs a decision")
	assert.Contains(t, string(text), "# DECIDE: guardduty.amazonaws.com's delegated administrator is "+org.Accounts["Workload 10"])
	assert.Contains(t, string(text), "# UNVERIFIED: workload09")
	assert.Contains(t, string(text), "1 member detectors exist")
	assert.Contains(t, string(text), "#   "+org.RootID+"  root")

	code, stdout, stderr = run("plan", "--stack", "org50", "--format", "json")
	require.Equal(t, 0, code, stderr)
	var p struct {
		Resources []struct {
			Type, Name, Account, Region, Import string
		}
	}
	require.NoError(t, json.Unmarshal([]byte(stdout), &p))
	imported := map[string]string{}
	for _, r := range p.Resources {
		if r.Import != "" {
			imported[r.Type+" "+r.Account+" "+r.Region] = r.Import
		}
	}
	assert.Equal(t, "5ab6c7d8e9f00112233445566778899a", imported["aws:guardduty/detector:Detector security us-east-1"])
	assert.Equal(t, "9f8e7d6c5b4a39281706f5e4d3c2b1a0", imported["aws:guardduty/detector:Detector management us-west-2"])
	assert.Equal(t, "default", imported["aws:cfg/recorder:Recorder management us-west-2"])
	assert.Equal(t, "arn:aws:securityhub:us-east-1:"+audit+":hub/default", imported["aws-native:securityhub:Hub security us-east-1"], "Security Hub is adopted")

	code, _, stderr = run("init", "--stack", "org50", "--regions", "us-east-1")
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, "Pulumi.org50.yaml exists; pass --force to overwrite it")
}

// init writes nothing that does not pass validation, and names the flags
// it needs.
func TestInitRefusesBadInput(t *testing.T) {
	_, srv := livetest.NewFake(t)
	dir := inProject(t, srv.URL, livetest.ManagementKey)

	code, _, stderr := run("init")
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, "init: --stack NAME and --regions R1,R2 required")

	code, _, stderr = run("init", "--stack", "bad", "--regions", "us-east-1", "--prefix", "Bad_Prefix")
	assert.Equal(t, 1, code)
	assert.Contains(t, stderr, "does not pass validation; nothing written")
	assert.Contains(t, stderr, "resourcePrefix")
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	assert.Len(t, entries, 1, "only Pulumi.yaml: nothing written")

	code, _, stderr = run("init", "--stack", "x", "--regions", "us-east-1", "--security-account", "Nobody")
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, `--security-account "Nobody" names no active member account`)
}

// Member credentials: a clear message naming both accounts.
func TestInitWithMemberCredentials(t *testing.T) {
	_, srv := livetest.NewFake(t)
	_, org := livetest.StartKumo(t)
	inProject(t, srv.URL, "ASIA"+org.Accounts["Workload 01"]+"0000")
	code, _, stderr := run("init", "--stack", "x", "--regions", "us-east-1")
	assert.Equal(t, 1, code)
	assert.Contains(t, stderr, "the credentials are of account "+org.Accounts["Workload 01"]+", a member; run with credentials of the management account "+livetest.ManagementID)
}

// preflight on the stack init wrote: the first FAIL sets the exit status,
// and --format json carries every check with its fix.
func TestPreflightAgainstTheOrganization(t *testing.T) {
	f, srv := livetest.NewFake(t)
	_, org := livetest.StartKumo(t)
	f.At(org.Accounts["Audit"], "us-east-1").Detectors = []string{"5ab6c7d8e9f00112233445566778899a"}
	inProject(t, srv.URL, livetest.ManagementKey)
	code, _, stderr := run("init", "--stack", "org", "--regions", "us-east-1,us-west-2")
	require.Equal(t, 0, code, stderr)

	code, stdout, stderr := run("preflight", "--stack", "org", "--format", "json")
	assert.Equal(t, 1, code, "trusted access is not enabled in the fake: %s", stderr)
	var checks []struct{ Name, Status, Detail, Fix string }
	require.NoError(t, json.Unmarshal([]byte(stdout), &checks))
	byName := map[string]string{}
	for _, c := range checks {
		byName[c.Name] = c.Status + " " + c.Fix
	}
	assert.Equal(t, "PASS ", byName["caller is the management account"])
	assert.Equal(t, "PASS ", byName["all features enabled"])
	assert.Equal(t, "PASS ", byName["detector security us-east-1"][:5], "init adopted the detector")
	assert.Equal(t, "FAIL aws organizations enable-aws-service-access --service-principal guardduty.amazonaws.com", byName["trusted access guardduty.amazonaws.com"])
	assert.Equal(t, "PASS ", byName["policy type SERVICE_CONTROL_POLICY"], "kumo enables service control policies on its root")
	assert.Equal(t, "FAIL aws organizations enable-policy-type --root-id "+org.RootID+" --policy-type RESOURCE_CONTROL_POLICY", byName["policy type RESOURCE_CONTROL_POLICY"])
	assert.Equal(t, "PASS ", byName["SCPs on root"])
	assert.Equal(t, "PASS ", byName["deploy role in security"])
	assert.NotContains(t, byName, "deploy role in workload01", "StackSet mode assumes no role in the members")

	f.TrustedAccess = []string{"access-analyzer.amazonaws.com", "cloudtrail.amazonaws.com", "config-multiaccountsetup.amazonaws.com", "config.amazonaws.com", "guardduty.amazonaws.com", "member.org.stacksets.cloudformation.amazonaws.com", "securityhub.amazonaws.com"}
	f.RootPolicyTypes = []string{"RESOURCE_CONTROL_POLICY"}
	code, stdout, stderr = run("preflight", "--stack", "org")
	assert.Equal(t, 0, code, "%s%s", stdout, stderr)
	assert.Contains(t, stdout, "0 failed")

	f.Policies[org.RootID] = []string{"FullAWSAccess", "deny-regions", "deny-leave", "deny-iam-users"}
	code, stdout, _ = run("preflight", "--stack", "org")
	assert.Equal(t, 1, code)
	assert.Regexp(t, `FAIL\s+SCPs on root\s+4 attached \(FullAWSAccess, deny-regions, deny-leave, deny-iam-users\) \+ 2 from the stack = 6`, stdout)
}

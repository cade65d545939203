package tests

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/pkg/v3/secrets/passphrase"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/example/landing-zone-audit/config"
	"github.com/example/landing-zone-audit/internal/plan"
	"github.com/example/landing-zone-audit/internal/stackfile"
)

// In StackSet mode a member listed under accounts (for owners routing) gets
// its recorder from the StackSet when it sits in one of its OUs: the plan
// excludes it from no organization rule or pack. Which accounts are outside
// the OUs, listed or not, is read from the organization at deploy time
// (TestEngineRulesExcludeAccountsWithoutRecorder), and the plan names them
// so. AWS Config deploys an organization rule to every account not in
// ExcludedAccounts (API_PutOrganizationConfigRule).
func TestStackSetPlanExcludesNoListedMember(t *testing.T) {
	t.Parallel()
	p := runPlan(t, stacksetOf(exampleConfig(t)))
	outside := plan.ReadAtDeploy("organization accounts outside ou-ab12-workloads1")
	rules := append(p.ByType(typeOrganizationManagedRule), p.ByType(typeOrganizationConformancePack)...)
	require.NotEmpty(t, rules)
	for _, r := range rules {
		assert.Equal(t, []any{outside}, r.Inputs["excludedAccounts"], "%s excludes only the accounts outside the StackSet's OUs", r.Name)
		for _, member := range []string{prodWorkloadID, prodDevID} {
			assert.NotContains(t, r.Inputs["excludedAccounts"], member, "%s: a listed member keeps its rules", r.Name)
		}
	}
}

// The plan table shows, on each organization rule and pack, the accounts
// it excludes, by alias where the stack names them.
func TestPlanTableShowsExclusions(t *testing.T) {
	t.Parallel()
	p := runPlan(t, with(exampleConfig(t), "awsConfig", map[string]any{
		"rules":           []map[string]any{{"identifier": "S3_BUCKET_VERSIONING_ENABLED", "excludedAccounts": []string{"dev"}}},
		"conformancePack": map[string]any{"enabled": true, "deliveryBucket": "awsconfigconforms-acme"},
	}))
	var out bytes.Buffer
	require.NoError(t, p.Write(&out, "table"))
	lines := map[string]string{}
	for _, l := range strings.Split(out.String(), "\n") {
		if f := strings.Fields(l); len(f) > 1 {
			lines[f[1]] = l
		}
	}
	unlisted := plan.ReadAtDeploy("organization accounts not in the stack")
	assert.True(t, strings.HasSuffix(lines["config-org-eu-west-1-s3-bucket-versioning-enabled"], "(excludes dev "+prodDevID+", "+unlisted+")"), lines["config-org-eu-west-1-s3-bucket-versioning-enabled"])
	assert.True(t, strings.HasSuffix(lines["config-org-eu-west-1-restricted-ssh"], "(excludes "+unlisted+")"), lines["config-org-eu-west-1-restricted-ssh"])
	assert.True(t, strings.HasSuffix(lines["config-org-pack"], "(excludes "+unlisted+")"), lines["config-org-pack"])
	assert.NotContains(t, lines["config-bucket"], "excludes", "only organization rules and packs exclude accounts")
}

// Adopting existing detectors turns two creates into imports: plan --diff
// reports each as a change of the resource's import, and of its retention
// (an adopted resource survives pulumi destroy).
func TestPlanDiffReportsAdoption(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	code, old, stderr := runCLI(t, "", "plan", "--config", "../Pulumi.prod.yaml", "--format", "json")
	require.Equal(t, 0, code, stderr)
	oldPath := filepath.Join(dir, "old.json")
	require.NoError(t, os.WriteFile(oldPath, []byte(old), 0o644))

	const other = "fedcba9876543210fedcba9876543210"
	adopted := writeStackFile(t, with(exampleConfig(t), "adopt", map[string]any{
		"guardDutyDetectors": map[string]any{"security": map[string]any{"eu-west-2": existingDetector, "eu-west-1": other}},
	}))
	code, stdout, stderr := runCLI(t, "", "plan", "--config", adopted, "--stack", "prod", "--diff", oldPath)
	require.Equal(t, 0, code, stderr)
	assert.Equal(t, "~ aws:guardduty/detector:Detector guardduty-eu-west-1-security-detector (security eu-west-1)\n"+
		"    import: + \""+other+"\"\n"+
		"    retainOnDelete: false → true\n"+
		"~ aws:guardduty/detector:Detector guardduty-eu-west-2-security-detector (security eu-west-2)\n"+
		"    import: + \""+existingDetector+"\"\n"+
		"    retainOnDelete: false → true\n"+
		"0 to add, 2 to change, 0 to remove\n", stdout)
}

// plan chooses the stack as Pulumi's CLI does (pulumi.com/docs/iac/cli/
// environment-variables, PULUMI_STACK: "The --stack command line flag,
// PULUMI_STACK, Stack selected with pulumi stack select"). The selection
// Pulumi keeps outside the repository is not read: with several stack
// files and neither named, plan refuses instead of planning the example.
// Not parallel: it sets PULUMI_STACK and changes directory.
func TestPlanSelectsTheStackAsPulumiDoes(t *testing.T) {
	t.Setenv("PULUMI_STACK", "")
	code, stdout, stderr := runCLI(t, "", "plan")
	assert.Equal(t, 2, code)
	assert.Empty(t, stdout)
	assert.Regexp(t, `no stack selected and the project has \d+ stack files \(.+\); name one with --stack NAME or PULUMI_STACK=NAME`, stderr)
	for _, f := range exampleStackFiles {
		name, _ := stackfile.StackName(f)
		assert.Contains(t, stderr, name, "every stack file is named")
	}

	t.Setenv("PULUMI_STACK", "large")
	code, stdout, stderr = runCLI(t, "", "plan", "--format", "json")
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, stdout, `"stack": "large"`)
	assert.Contains(t, stdout, "globex-", "Pulumi.large.yaml's resources")

	code, stdout, stderr = runCLI(t, "", "plan", "--stack", "prod", "--format", "json")
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, stdout, `"stack": "prod"`, "--stack before PULUMI_STACK")

	t.Setenv("PULUMI_STACK", "acme/landing-zone-audit/full")
	code, stdout, stderr = runCLI(t, "", "plan", "--format", "json")
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, stdout, `"stack": "full"`, "a fully qualified name reads the stack's own file")

	t.Setenv("PULUMI_STACK", "staging")
	code, _, stderr = runCLI(t, "", "plan")
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, "Pulumi.staging.yaml")

	// A project with one stack file plans it.
	dir := t.TempDir()
	for _, f := range []string{projectFile, "../Pulumi.prod.yaml"} {
		data, err := os.ReadFile(f)
		require.NoError(t, err)
		name := filepath.Base(f)
		if f != projectFile {
			name = "Pulumi.team.yaml"
		}
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), data, 0o644))
	}
	t.Setenv("PULUMI_STACK", "")
	t.Chdir(dir)
	code, stdout, stderr = runCLI(t, "", "plan", "--format", "json")
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, stdout, `"stack": "team"`)
}

// A secure: value that is no ciphertext of the stack's secrets provider
// stops pulumi preview ("failed to decrypt configuration key", from
// pkg/engine/errors.go): plan refuses it too, naming the key. Pulumi's
// passphrase and cloud-KMS providers write v1:<nonce>:<ciphertext>
// (symmetricCrypter, sdk/go/common/resource/config/crypt.go); Pulumi
// Cloud writes base64 (pkg/secrets/service).
func TestPlanRefusesSecureValuesThatAreNoCiphertext(t *testing.T) {
	t.Parallel()
	base, err := os.ReadFile("../Pulumi.prod.yaml")
	require.NoError(t, err)
	salt, sm, err := passphrase.NewPassphraseSecretsManager("correct horse battery staple")
	require.NoError(t, err)
	real, err := sm.Encrypter().EncryptValue(context.Background(), "https://events.pagerduty.com/integration/x/enqueue")
	require.NoError(t, err)
	stack := func(header, url, email string) string {
		text := header + string(base) + "\n  landing-zone-audit:paging:\n    url:\n      secure: " + url + "\n"
		if email != "" {
			text = strings.Replace(text, "landing-zone-audit:alertEmails:\n", "landing-zone-audit:alertEmails:\n    - secure: "+email+"\n", 1)
		}
		return text
	}
	cases := []struct {
		name, content string
		want          []string
	}{
		{"passphrase, plain text", stack("encryptionsalt: "+salt+"\n", "https://events.pagerduty.com/x", ""),
			[]string{"landing-zone-audit:paging: the secure: value is not a ciphertext of this stack's secrets provider (passphrase, which writes v1:<nonce>:<ciphertext>", "pulumi config set --secret"}},
		{"passphrase, two keys", stack("encryptionsalt: "+salt+"\n", "v1:bm9uY2U=:Y3Q=", "soc@example.com"),
			[]string{"landing-zone-audit:alertEmails: the secure: value", "landing-zone-audit:paging: the secure: value", "the nonce is not 12 bytes of base64"}},
		{"Pulumi Cloud, not base64", stack("", "not base64!", ""),
			[]string{"landing-zone-audit:paging: the secure: value is not a ciphertext of this stack's secrets provider (Pulumi Cloud, which writes base64: url: not base64)"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			path := writeFile(t, t.TempDir(), "../Pulumi.prod.yaml", tc.content)
			code, stdout, stderr := runCLI(t, "", "plan", "--config", path)
			assert.Equal(t, 2, code)
			assert.Empty(t, stdout)
			for _, w := range tc.want {
				assert.Contains(t, stderr, w)
			}
		})
	}
	t.Run("a real ciphertext", func(t *testing.T) {
		t.Parallel()
		path := writeFile(t, t.TempDir(), "../Pulumi.prod.yaml", stack("encryptionsalt: "+salt+"\n", real, ""))
		code, _, stderr := runCLI(t, "", "plan", "--config", path)
		assert.Equal(t, 0, code, stderr)
	})
}

// pulumi import protects what it imports unless --protect=false (pulumi
// CLI docs, pulumi import: "--protect Allow resources to be protected under
// the current stack (default true)"); the program declares no protection,
// so the next up would change every imported resource. The command plan
// prints carries the flag and the stack.
func TestImportCommandLeavesResourcesUnprotected(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "import.json")
	code, stdout, stderr := runCLI(t, "", "plan", "--stack", "prod", "--import-file", path)
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, stdout, "pulumi import --file "+path+" --generate-code=false --protect=false -s prod\n")
}

// Two Security Hub findings of one detail-type are told apart by their
// finding IDs and titles, which Security Hub sends in detail.findings[].Id
// and .Title (Security Hub User Guide, "EventBridge event formats").
func TestEventPatternCommandNamesEachFinding(t *testing.T) {
	t.Parallel()
	var events []string
	var want []map[string]any
	for _, f := range []string{"critical.json", "inspector-high.json"} {
		data, err := os.ReadFile(filepath.Join("testdata", "securityhub", f))
		require.NoError(t, err)
		events = append(events, string(data))
		var ev struct {
			Detail struct{ Findings []map[string]any } `json:"detail"`
		}
		require.NoError(t, json.Unmarshal(data, &ev))
		want = append(want, ev.Detail.Findings[0])
	}
	code, stdout, stderr := runCLI(t, "["+strings.Join(events, ",")+"]", "test-event-pattern", "--pattern", `{"source":["aws.securityhub"]}`, "--format", "json")
	require.Equal(t, 0, code, stderr)
	var got []map[string]any
	require.NoError(t, json.Unmarshal([]byte(stdout), &got))
	require.Len(t, got, 2)
	for i := range got {
		assert.Equal(t, want[i]["Id"], got[i]["id"])
		assert.Equal(t, want[i]["Title"], got[i]["title"])
	}
	assert.NotEqual(t, got[0]["id"], got[1]["id"])
}

// An OU ID's error says which part is malformed. AWS Organizations API
// reference, OrganizationalUnit Id: "ou-" followed by 4 to 32 lowercase
// letters or digits (the root's ID), a dash, and 8 to 32 lowercase letters
// or digits; Root Id: "r-" followed by 4 to 32 lowercase letters or digits.
func TestOUIDErrorsNameTheMalformedPart(t *testing.T) {
	t.Parallel()
	cases := map[string]string{
		"ou-AB12-workloads1":   `the root part "AB12" has 'A', which is not a lowercase letter or digit`,
		"ou-ab1-workloads1":    `the root part "ab1" has 3 characters, not 4 to 32`,
		"ou-ab12-work":         `the OU part "work" has 4 characters, not 8 to 32`,
		"ou-ab1-work":          `the root part "ab1" has 3 characters, not 4 to 32, and the OU part "work" has 4 characters, not 8 to 32`,
		"ou-ab12workloads1":    "it has no dash between the root part and the OU part",
		"OU-ab12-workloads1":   "it must start with ou- or r- (lowercase)",
		"r-ab1":                `is not a root ID: the part after r- has 3 characters, not 4 to 32`,
		"ou-ab12-workloads_01": `the OU part "workloads_01" has '_'`,
	}
	for id, want := range cases {
		_, err := config.Load(with(with(exampleConfig(t), "memberBaseline", "stackset"), "stackSet", map[string]any{"organizationalUnitIds": []string{id}}))
		require.Error(t, err, id)
		assert.Contains(t, err.Error(), "landing-zone-audit:stackSet.organizationalUnitIds[0]: "+`"`+id+`"`, id)
		assert.Contains(t, err.Error(), want, id)
		assert.Contains(t, err.Error(), "a dash, and 8 to 32 lowercase letters or digits", "the error gives AWS's format")
	}
	_, err := config.Load(with(exampleConfig(t), "securityHub", map[string]any{"targets": []string{"ou-ab12-work"}}))
	require.Error(t, err)
	assert.Contains(t, err.Error(), `landing-zone-audit:securityHub.targets[0]: "ou-ab12-work" is not an organizational unit ID: the OU part "work" has 4 characters`)
	_, err = config.Load(with(with(exampleConfig(t), "memberBaseline", "stackset"), "stackSet", map[string]any{"organizationalUnitIds": []string{"ou-ab12-workloads1", "r-ab12"}}))
	assert.NoError(t, err)
}

// The example watches elevated-security-role, which an organization may
// not have: the plan asks, per account, to check that each watched role
// exists, and names none when the alarm is off.
func TestPlanAsksToCheckWatchedRoles(t *testing.T) {
	t.Parallel()
	p := runPlan(t, exampleConfig(t))
	assert.Equal(t, []plan.WatchedRole{
		{Role: "elevated-security-role", Account: "prod", AccountID: prodWorkloadID},
		{Role: "elevated-security-role", Account: "dev", AccountID: prodDevID},
	}, p.WatchedRoles)
	var out bytes.Buffer
	require.NoError(t, p.Write(&out, "table"))
	assert.Contains(t, out.String(), "\n  prod ("+prodWorkloadID+"): aws iam get-role --role-name elevated-security-role\n")
	assert.Contains(t, out.String(), "\n  dev ("+prodDevID+"): aws iam get-role --role-name elevated-security-role\n")

	off := runPlan(t, with(exampleConfig(t), "alarms", map[string]any{"elevatedRoleDisabled": true}))
	assert.Empty(t, off.WatchedRoles)
}

// How the engine treats a resource is part of what a change does: adopting
// it, protecting or retaining it, moving it to another provider. Each is a
// change in plan --diff, though no input changed.
func TestPlanDiffComparesHowTheEngineTreatsAResource(t *testing.T) {
	t.Parallel()
	base := plan.Resource{URN: "urn:pulumi:prod::p::aws:guardduty/detector:Detector::d", Type: "aws:guardduty/detector:Detector", Name: "d", Provider: "aws-security-eu-west-2", Inputs: map[string]any{"enable": true}}
	cases := map[string]func(r *plan.Resource){
		"import":         func(r *plan.Resource) { r.Import = existingDetector },
		"protect":        func(r *plan.Resource) { r.Protect = true },
		"retainOnDelete": func(r *plan.Resource) { r.RetainOnDelete = true },
		"provider":       func(r *plan.Resource) { r.Provider = "aws-security-eu-west-1" },
	}
	for path, change := range cases {
		next := base
		change(&next)
		changes := plan.Diff(&plan.Plan{Resources: []plan.Resource{base}}, &plan.Plan{Resources: []plan.Resource{next}})
		require.Len(t, changes, 1, path)
		require.Len(t, changes[0].Properties, 1, path)
		assert.Equal(t, path, changes[0].Properties[0].Path)
	}
}

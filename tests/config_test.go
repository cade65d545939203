package tests

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/example/landing-zone-audit/config"
)

func TestExampleConfigLoads(t *testing.T) {
	t.Parallel()
	cfg, err := config.Load(exampleConfig(t))
	require.NoError(t, err)
	assert.Equal(t, "o-exampleorg1", cfg.OrganizationID)
	assert.Equal(t, []string{"eu-west-2", "eu-west-1"}, cfg.GovernedRegions)
	assert.GreaterOrEqual(t, len(cfg.Accounts), 4)
	assert.Equal(t, "OrganizationAccountAccessRole", cfg.AccessRoleName, "default applied")
	for _, a := range cfg.Accounts {
		assert.True(t, strings.HasSuffix(a.Email, "@example.com"), "example stack uses example.com addresses")
	}
}

func TestConfigValidation(t *testing.T) {
	t.Parallel()
	base := exampleConfig(t)
	accounts := func(edit func(map[string]map[string]string)) map[string]map[string]string {
		a := map[string]map[string]string{
			"management": {"id": prodManagementID, "email": "aws-management@example.com"}, "security": {"id": prodSecurityID},
			"logArchive": {"id": prodLogArchiveID}, "prod": {"id": prodWorkloadID}, "dev": {"id": prodDevID},
		}
		edit(a)
		return a
	}
	cases := []struct {
		name string
		raw  config.Source
		want []string // each must appear in the error, naming the key
	}{
		{"malformed organization ID", with(base, "organizationId", "o-ABC"), []string{"landing-zone-audit:organizationId:"}},
		{"missing organization ID", without(base, "organizationId"), []string{"landing-zone-audit:organizationId:"}},
		{"bad account ID", with(base, "accounts", accounts(func(a map[string]map[string]string) { a["prod"]["id"] = "12345" })),
			[]string{"landing-zone-audit:accounts.prod.id:", "12 digits"}},
		{"duplicate account ID", with(base, "accounts", accounts(func(a map[string]map[string]string) { a["prod"]["id"] = prodSecurityID })),
			[]string{"landing-zone-audit:accounts.prod.id:", `also the ID of "security"`}},
		{"missing required alias", with(base, "accounts", accounts(func(a map[string]map[string]string) { delete(a, "logArchive") })),
			[]string{"landing-zone-audit:accounts:", `"logArchive"`}},
		{"bad email", with(base, "accounts", accounts(func(a map[string]map[string]string) { a["prod"]["email"] = "not-an-address" })),
			[]string{"landing-zone-audit:accounts.prod.email:"}},
		{"unknown key", with(base, "governedRegion", `["eu-west-2"]`), []string{"landing-zone-audit:governedRegion: unknown key", `did you mean "governedRegions"`}},
		{"unknown nested field", with(base, "orgTrail", map[string]any{"logRetentionDay": 7}), []string{"landing-zone-audit:orgTrail.logRetentionDay: unknown field", `did you mean "logRetentionDays"`}},
		{"wrong type", with(base, "orgTrail", map[string]any{"logRetentionDays": "seven"}), []string{`landing-zone-audit:orgTrail.logRetentionDays: found the text "seven", expected a whole number`}},
		{"home region outside governed regions", with(base, "homeRegion", "us-east-1"), []string{"landing-zone-audit:governedRegions: does not contain homeRegion"}},
		{"unknown region", with(base, "governedRegions", []string{"eu-west-2", "eu-west-9"}), []string{"landing-zone-audit:governedRegions[1]:"}},
		{"duplicate region", with(base, "governedRegions", []string{"eu-west-2", "eu-west-2"}), []string{"landing-zone-audit:governedRegions[1]:", "twice"}},
		{"mixed partitions", with(base, "governedRegions", []string{"eu-west-2", "cn-north-1"}), []string{"landing-zone-audit:governedRegions[1]:", "partition"}},
		{"prefix with capitals", with(base, "resourcePrefix", "Acme"), []string{"landing-zone-audit:resourcePrefix:"}},
		{"prefix too long", with(base, "resourcePrefix", strings.Repeat("a", 21)), []string{"landing-zone-audit:resourcePrefix:"}},
		{"bad access role", with(base, "accessRoleName", "bad role"), []string{"landing-zone-audit:accessRoleName:"}},
		{"bad credentials mode", with(base, "managementCredentials", "profile"), []string{"landing-zone-audit:managementCredentials:"}},
		{"bad alert email", with(base, "alertEmails", []string{"x"}), []string{"landing-zone-audit:alertEmails[0]:"}},
		{"negative deletion days", with(base, "orgTrail", map[string]any{"logDeletionDays": -1}), []string{"landing-zone-audit:orgTrail.logDeletionDays:"}},
		{"unsupported retention", with(base, "orgTrail", map[string]any{"logRetentionDays": 8}), []string{"landing-zone-audit:orgTrail.logRetentionDays:"}},
		{"unknown object lock mode", with(base, "orgTrail", map[string]any{"objectLock": map[string]any{"mode": "STRICT", "days": 30}}), []string{"landing-zone-audit:orgTrail.objectLock.mode:"}},
		{"object lock outlives expiry", with(base, "orgTrail", map[string]any{"objectLock": map[string]any{"mode": "COMPLIANCE", "days": 4000}}), []string{"landing-zone-audit:orgTrail.objectLock.days:"}},
		{"glacier after expiry", with(base, "orgTrail", map[string]any{"glacierTransitionDays": 400}), []string{"landing-zone-audit:orgTrail.glacierTransitionDays:"}},
		{"bucket name too long", with(base, "orgTrail", map[string]any{"bucketName": strings.Repeat("b", 64)}), []string{"landing-zone-audit:orgTrail.bucketName:"}},
		{"bucket name invalid", with(base, "orgTrail", map[string]any{"bucketName": "Bad_Bucket"}), []string{"landing-zone-audit:orgTrail.bucketName:"}},
		{"bucket account", with(base, "orgTrail", map[string]any{"bucketAccount": "prod"}), []string{"landing-zone-audit:orgTrail.bucketAccount:"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			cfg, err := config.Load(tc.raw)
			require.Error(t, err)
			assert.Nil(t, cfg)
			for _, w := range tc.want {
				assert.Contains(t, err.Error(), w)
			}
			for _, line := range strings.Split(err.Error(), "\n") {
				assert.True(t, strings.HasPrefix(line, "landing-zone-audit:"), "every line names its key: %q", line)
			}
		})
	}
}

func TestConfigReportsEveryProblemAtOnce(t *testing.T) {
	t.Parallel()
	raw := with(with(with(exampleConfig(t), "organizationId", "bad"), "homeRegion", "us-east-1"), "resourcePrefix", "X")
	_, err := config.Load(raw)
	require.Error(t, err)
	for _, key := range []string{"organizationId", "governedRegions", "resourcePrefix"} {
		assert.Contains(t, err.Error(), "landing-zone-audit:"+key+":")
	}
}

func TestOtherNamespacesAreLeftAlone(t *testing.T) {
	t.Parallel()
	raw := exampleConfig(t)
	raw.Values["aws:region"] = "eu-west-2"
	_, err := config.Load(raw)
	require.NoError(t, err)
}

func TestTooManyAccountsForDirectMode(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("a large generated organization; skipped with -short")
	}
	accounts := map[string]map[string]string{
		"management": {"id": prodManagementID, "email": "aws-management@example.com"}, "security": {"id": prodSecurityID}, "logArchive": {"id": prodLogArchiveID},
	}
	for i := 0; i < 1300; i++ {
		accounts[fmt.Sprintf("member%d", i)] = map[string]string{"id": fmt.Sprintf("9%011d", i)}
	}
	raw := with(with(exampleConfig(t), "accounts", accounts), "alarms", map[string]any{"elevatedRoles": []map[string]any{{"roleName": "r", "accounts": []string{"security"}}}})
	_, err := config.Load(raw)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "landing-zone-audit:accounts: 1303 accounts would push the Config bucket policy")
	_, err = config.Load(with(with(raw, "memberBaseline", "stackset"), "stackSet", map[string]any{"organizationalUnitIds": []string{"r-ab12"}}))
	require.NoError(t, err, "StackSet mode does not list the accounts")
}

// Opt-in regions are disabled in every account until enabled (AWS Account
// Management guide), so governing one is refused until the stack confirms
// it under optInRegions; and AWS Config records no global IAM types in a
// region it opened in after February 2022, so that region cannot be home.
func TestOptInRegions(t *testing.T) {
	t.Parallel()
	src := with(exampleConfig(t), "governedRegions", []string{"eu-west-2", "eu-west-1", "me-central-1"})
	_, err := config.Load(src)
	require.Error(t, err)
	assert.Contains(t, err.Error(), `landing-zone-audit:governedRegions[2]: "me-central-1" is an opt-in region`)
	assert.Contains(t, err.Error(), "optInRegions")

	p := runPlan(t, with(src, "optInRegions", []string{"me-central-1"}))
	assert.NotEmpty(t, named(p, typeDetector)["guardduty-me-central-1-security-detector"].URN, "governed once confirmed")

	_, err = config.Load(with(with(src, "optInRegions", []string{"me-central-1", "af-south-1", "eu-west-1"}), "homeRegion", "eu-west-2"))
	require.Error(t, err)
	assert.Contains(t, err.Error(), `landing-zone-audit:optInRegions[1]: "af-south-1" is not governed`)
	assert.Contains(t, err.Error(), `landing-zone-audit:optInRegions[2]: "eu-west-1" is not an opt-in region`)

	_, err = config.Load(with(with(src, "optInRegions", []string{"me-central-1"}), "homeRegion", "me-central-1"))
	require.Error(t, err)
	assert.Contains(t, err.Error(), `landing-zone-audit:homeRegion: "me-central-1" opened after February 2022`)
}

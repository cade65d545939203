package tests

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/example/landing-zone-audit/config"
	"github.com/example/landing-zone-audit/internal/eventpattern"
)

// Amazon Inspector (off by default): per governed region, Inspector runs in
// the security account, the management account designates it delegated
// administrator (the Inspector user guide's "Managing multiple accounts"
// has the administrator designated per Region), the
// organization configuration auto-enables the chosen scans for new
// members, and an enabler activates them in the existing accounts.
func TestInspectorAcrossTheOrganization(t *testing.T) {
	t.Parallel()
	assert.Empty(t, runPlan(t, exampleConfig(t)).ByType(typeInspectorOrganizationConfiguration), "off by default")
	p := runPlan(t, with(exampleConfig(t), "inspector", map[string]any{"enabled": true, "ec2": true, "ecr": true, "lambda": true, "lambdaCode": true}))
	for _, region := range []string{"eu-west-2", "eu-west-1"} {
		prefix := "inspector-" + region
		self := one(t, p, typeInspectorEnabler, prefix+"-administrator")
		admin := one(t, p, typeDelegatedAdminAccount, prefix+"-delegated-admin")
		org := one(t, p, typeInspectorOrganizationConfiguration, prefix+"-organization-configuration")
		members := one(t, p, typeInspectorEnabler, prefix+"-members")
		assert.Equal(t, []string{"security", "management", "security", "security"}, []string{self.Account, admin.Account, org.Account, members.Account})
		for _, r := range []string{self.Region, admin.Region, org.Region, members.Region} {
			assert.Equal(t, region, r)
		}
		assert.Equal(t, prodSecurityID, admin.Inputs["accountId"])
		assert.True(t, dependsOn(admin, self), "Inspector runs in the administrator first")
		assert.True(t, dependsOn(org, admin), "the organization configuration after the designation")
		assert.True(t, dependsOn(members, org), "existing members after the organization configuration")
		for _, scan := range []string{"ec2", "ecr", "lambda", "lambdaCode"} {
			assert.Equal(t, true, input(org, "autoEnable."+scan), scan)
		}
		assert.ElementsMatch(t, []any{"EC2", "ECR", "LAMBDA", "LAMBDA_CODE"}, members.Inputs["resourceTypes"])
		assert.ElementsMatch(t, []any{prodManagementID, prodLogArchiveID, prodWorkloadID, prodDevID}, members.Inputs["accountIds"], "every listed account but the administrator")
	}

	_, err := config.Load(with(exampleConfig(t), "inspector", map[string]any{"enabled": true, "ec2": false, "ecr": false, "lambda": false, "lambdaCode": true}))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "landing-zone-audit:inspector.lambdaCode: Lambda code scanning needs Lambda standard scanning")
}

// Inspector sends its findings to Security Hub (Inspector user guide,
// "Integration with AWS Security Hub"); the Security Hub alert rule alerts
// on a HIGH one as on any other product's.
func TestInspectorFindingsAlertThroughSecurityHub(t *testing.T) {
	t.Parallel()
	p := runPlan(t, with(exampleConfig(t), "inspector", map[string]any{"enabled": true}))
	rule := one(t, p, typeEventRule, "securityhub-findings-rule")
	pattern, err := eventpattern.Parse([]byte(rule.Inputs["eventPattern"].(string)))
	require.NoError(t, err)
	finding, err := os.ReadFile(filepath.Join("testdata", "securityhub", "inspector-high.json"))
	require.NoError(t, err)
	matched, err := pattern.Match(finding)
	require.NoError(t, err)
	assert.True(t, matched)
}

package main_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/example/landing-zone-audit/config"
)

// Amazon Macie (off by default), per governed region as the Macie user
// guide's "Managing multiple accounts with AWS Organizations" has it (the
// delegated administrator is designated per Region): Macie enabled in
// security, the designation from management, auto-enable from the
// administrator, then every listed account associated as a member by its
// email (API_CreateMember; organization accounts get no invitation).
func TestMacieAcrossTheOrganization(t *testing.T) {
	t.Parallel()
	assert.Empty(t, runPlan(t, exampleConfig(t)).ByType(typeMacieAccount), "off by default")
	p := runPlan(t, with(exampleConfig(t), "macie", map[string]any{"enabled": true, "findingPublishingFrequency": "ONE_HOUR"}))
	for _, region := range []string{"eu-west-2", "eu-west-1"} {
		prefix := "macie-" + region
		self := one(t, p, typeMacieAccount, prefix+"-administrator")
		admin := one(t, p, typeMacieOrganizationAdminAccount, prefix+"-delegated-admin")
		org := one(t, p, typeMacieOrganizationConfiguration, prefix+"-organization-configuration")
		assert.Equal(t, []string{"security", "management", "security"}, []string{self.Account, admin.Account, org.Account})
		assert.Equal(t, []string{region, region, region}, []string{self.Region, admin.Region, org.Region})
		assert.Equal(t, "ONE_HOUR", self.Inputs["findingPublishingFrequency"])
		assert.Equal(t, prodSecurityID, admin.Inputs["adminAccountId"])
		assert.True(t, dependsOn(admin, self), "Macie runs in the administrator first")
		assert.True(t, dependsOn(org, admin), "auto-enable after the designation")
		assert.Equal(t, true, org.Inputs["autoEnable"])
		var members []string
		for _, m := range p.ByType(typeMacieMember) {
			if m.Region == region {
				members = append(members, m.Inputs["accountId"].(string))
				assert.True(t, dependsOn(m, org), m.URN)
				assert.Equal(t, "ENABLED", m.Inputs["status"])
				assert.Nil(t, m.Inputs["invite"], "organization accounts are associated, not invited")
			}
		}
		assert.ElementsMatch(t, []string{prodManagementID, prodLogArchiveID, prodWorkloadID, prodDevID}, members)
	}

	_, err := config.Load(with(exampleConfig(t), "macie", map[string]any{"enabled": true, "findingPublishingFrequency": "DAILY"}))
	require.Error(t, err)
	assert.Contains(t, err.Error(), `landing-zone-audit:macie.findingPublishingFrequency: "DAILY" is not a frequency Macie accepts`)
}

// Macie publishes policy findings to Security Hub (Macie user guide,
// "Amazon Macie integration with AWS Security Hub"); the Security Hub alert
// rule alerts on a HIGH one as on any product's, so Macie needs no rule of
// its own.
func TestMacieFindingsAlertThroughSecurityHub(t *testing.T) {
	t.Parallel()
	p := runPlan(t, with(exampleConfig(t), "macie", map[string]any{"enabled": true}))
	assert.True(t, ruleMatches(t, one(t, p, typeEventRule, "securityhub-findings-rule"), "securityhub", "macie-high.json"))
	for _, r := range p.ByType(typeEventRule) {
		assert.NotContains(t, r.Name, "macie", "no second rule")
	}
}

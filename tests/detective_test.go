package tests

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/example/landing-zone-audit/config"
)

const (
	detectiveGraph     = typeDetectiveGraph
	detectiveAdmin     = typeDetectiveOrganizationAdminAccount
	detectiveOrgConfig = typeDetectiveOrganizationConfiguration
	detectiveMember    = typeDetectiveMember
)

// Amazon Detective (off by default), per governed region as the Detective
// administration guide's "Designating the Detective administrator account"
// has it (EnableOrganizationAdminAccount works "in the current Region"):
// the graph in security (API_CreateGraph returns the account's existing
// graph rather than a second one), the designation from management, the
// organization configuration's auto-enable from the administrator (only it
// may call UpdateOrganizationConfiguration), then every listed account as a
// member without an invitation email (API_CreateMembers enables
// organization accounts directly and takes each one's email).
func TestDetectiveAcrossTheOrganization(t *testing.T) {
	t.Parallel()
	assert.Empty(t, runPlan(t, exampleConfig(t)).ByType(detectiveGraph), "off by default")
	p := runPlan(t, with(exampleConfig(t), "detective", map[string]any{"enabled": true}))
	for _, region := range []string{"eu-west-2", "eu-west-1"} {
		prefix := "detective-" + region
		graph := one(t, p, detectiveGraph, prefix+"-graph")
		admin := one(t, p, detectiveAdmin, prefix+"-delegated-admin")
		org := one(t, p, detectiveOrgConfig, prefix+"-organization-configuration")
		assert.Equal(t, []string{"security", "management", "security"}, []string{graph.Account, admin.Account, org.Account})
		assert.Equal(t, []string{region, region, region}, []string{graph.Region, admin.Region, org.Region})
		assert.Equal(t, prodSecurityID, admin.Inputs["accountId"])
		assert.True(t, dependsOn(admin, graph), "the administrator's own graph before the designation")
		assert.True(t, dependsOn(org, admin), "the organization configuration after the designation")
		assert.Equal(t, true, org.Inputs["autoEnable"], "accounts that join later are enabled")

		// Detective ingests GuardDuty findings and cannot be enabled where
		// GuardDuty is not: the graph waits for this region's detector in security.
		detector := one(t, p, typeDetector, "guardduty-"+region+"-security-detector")
		assert.True(t, dependsOn(graph, detector), "the graph waits for GuardDuty in its account and region")

		var members []string
		for _, m := range p.ByType(detectiveMember) {
			if m.Region != region {
				continue
			}
			members = append(members, m.Inputs["accountId"].(string))
			assert.Equal(t, "security", m.Account, m.URN)
			assert.True(t, dependsOn(m, org), "members after the organization configuration: %s", m.URN)
			assert.Equal(t, true, m.Inputs["disableEmailNotification"], "organization accounts get no invitation: %s", m.URN)
			assert.NotEmpty(t, m.Inputs["emailAddress"], m.URN)
			// email_address is ForceNew and read back from ListMembers
			// (terraform-provider-aws detective/member.go): it counts only
			// at creation, or a differing report would replace the member.
			assert.Equal(t, []string{"emailAddress"}, m.IgnoreChanges, m.URN)
		}
		assert.ElementsMatch(t, []string{prodManagementID, prodLogArchiveID, prodWorkloadID, prodDevID}, members,
			"every listed account but the administrator, in %s", region)
	}
	assert.Contains(t, p.Outputs, "detectiveGraphArns")
}

// Detective's CreateMembers takes each account's email address, so every
// listed account needs one; the error names each account's key.
func TestDetectiveNeedsAccountEmails(t *testing.T) {
	t.Parallel()
	src := with(exampleConfig(t), "accounts", map[string]any{
		"management": map[string]any{"id": prodManagementID, "email": "root@example.com"},
		"security":   map[string]any{"id": prodSecurityID},
		"logArchive": map[string]any{"id": prodLogArchiveID, "email": "log@example.com"},
		"prod":       map[string]any{"id": prodWorkloadID},
		"dev":        map[string]any{"id": prodDevID},
	})
	_, err := config.Load(src)
	require.NoError(t, err, "emails are needed only with Detective")
	_, err = config.Load(with(src, "detective", map[string]any{"enabled": true}))
	require.Error(t, err)
	for _, alias := range []string{"prod", "dev"} {
		assert.Contains(t, err.Error(), "landing-zone-audit:accounts."+alias+".email: required with detective.enabled")
	}
	assert.NotContains(t, err.Error(), "accounts.security.email", "the administrator is not a member")
	assert.NotContains(t, err.Error(), "accounts.logArchive.email")
	assert.NotContains(t, err.Error(), "accounts.management.email")
}

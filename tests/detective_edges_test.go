package tests

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/example/landing-zone-audit/internal/plan"
)

// Detective keeps a member that is not yet a GuardDuty customer
// ACCEPTED_BUT_DISABLED (Detective API reference, MemberDetail:
// DisabledReason VOLUME_UNKNOWN, "usually because the member account is not
// enrolled in Amazon GuardDuty"), and the provider's member create waits for
// INVITED or ENABLED only, failing on any other status
// (terraform-provider-aws internal/service/detective/member.go,
// waitMemberInvited). So each Detective member waits for what proves its
// account is enrolled in GuardDuty in that region. In organization mode
// auto-enable may take up to 24 hours to reach an existing account
// (GuardDuty API, UpdateOrganizationConfiguration), so the administrator
// adds each listed account itself (GuardDuty API, CreateMembers: a
// delegated administrator's CreateMembers enables GuardDuty in the added
// organization accounts) and the Detective member waits for that GuardDuty
// member; the management account's GuardDuty member already exists; in
// invitation mode, the member's accepted invitation.
func TestDetectiveMembersWaitForGuardDutyEnrolment(t *testing.T) {
	t.Parallel()
	aliases := map[string]string{prodManagementID: "management", prodLogArchiveID: "logArchive", prodWorkloadID: "prod", prodDevID: "dev"}
	check := func(t *testing.T, p *plan.Plan, proof func(region, alias string) string) {
		members := p.ByType(detectiveMember)
		require.Len(t, members, 8, "four accounts in two regions")
		for _, m := range members {
			alias := aliases[m.Inputs["accountId"].(string)]
			require.NotEmpty(t, alias, m.Name)
			enrolment := resourceNamed(t, p, proof(m.Region, alias))
			assert.Equal(t, m.Region, enrolment.Region)
			assert.True(t, dependsOn(m, enrolment), "%s waits for %s", m.Name, enrolment.Name)
		}
	}
	t.Run("organization mode", func(t *testing.T) {
		t.Parallel()
		p := runPlan(t, with(exampleConfig(t), "detective", map[string]any{"enabled": true}))
		check(t, p, func(region, alias string) string { return "guardduty-" + region + "-" + alias + "-member" })
		for _, alias := range []string{"logArchive", "prod", "dev"} {
			for _, region := range []string{"eu-west-2", "eu-west-1"} {
				gm := one(t, p, typeGuardDutyMember, "guardduty-"+region+"-"+alias+"-member")
				assert.Equal(t, []string{"security", region}, []string{gm.Account, gm.Region}, "the administrator adds it")
				assert.Equal(t, false, gm.Inputs["invite"], "an organization account: no invitation")
				assert.NotEmpty(t, gm.Inputs["email"])
				// email is ForceNew and read back (terraform-provider-aws
				// guardduty/member.go): a differing report would disassociate
				// and re-add the account; invite reads back true once Enabled.
				assert.ElementsMatch(t, []string{"invite", "email"}, gm.IgnoreChanges)
				assert.True(t, dependsOn(gm, one(t, p, typeGuardDutyOrganizationConfiguration, "guardduty-"+region+"-organization-configuration")))
			}
		}
		assert.Empty(t, named(runPlan(t, exampleConfig(t)), typeGuardDutyMember)["guardduty-eu-west-2-prod-member"].Name,
			"without Detective, auto-enable alone enrols the members")
	})
	t.Run("invitation mode", func(t *testing.T) {
		t.Parallel()
		p := runPlan(t, with(with(exampleConfig(t), "detective", map[string]any{"enabled": true}), "guardDuty", map[string]any{"mode": "invitation"}))
		check(t, p, func(region, alias string) string {
			if alias == "management" {
				return "guardduty-" + region + "-management-detector" // a standalone GuardDuty customer
			}
			return "guardduty-" + region + "-" + alias + "-accepter"
		})
	})
}

// Detective enables an account only once it has been a GuardDuty customer
// for 48 hours (Detective administration guide, "Enabling a member account
// that is Not enabled": "The member account has not been an Amazon
// GuardDuty customer for at least 48 hours"). The full example turns
// GuardDuty and Detective on in the same up, so it creates the behavior
// graphs and enrols the accounts in GuardDuty at once, and leaves
// Detective's members to an up two days later (detective.enableAccounts);
// the plan says what this up gets and what an account that joins later gets
// (Detective's organization auto-enable, which enables it once it qualifies).
func TestDetectiveFirstRunWithGuardDuty(t *testing.T) {
	t.Parallel()
	prereq := func(p *plan.Plan) string {
		var out strings.Builder
		require.NoError(t, p.Write(&out, "table"))
		_, text, _ := strings.Cut(out.String(), "Before pulumi up")
		return text
	}
	first := fullPlan(t)
	assert.Len(t, first.ByType(detectiveGraph), 2, "the graphs in the first up")
	assert.Empty(t, first.ByType(detectiveMember), "no member before its account has been a GuardDuty customer for 48 hours")
	assert.Len(t, first.ByType(typeGuardDutyMember), 6, "the administrator enrols management and the two other accounts in both regions at once")
	text := prereq(first)
	assert.Contains(t, text, "Detective: behavior graphs only; the listed accounts become members in an up with detective.enableAccounts: true, at least 48 hours after GuardDuty started in them.")
	assert.Contains(t, text, "Accounts that join the organization later are members through Detective's auto-enable")

	src := loadStackFile(t, "../Pulumi.full.yaml")
	later := runPlan(t, with(src, "detective", map[string]any{"enabled": true, "enableAccounts": true}))
	assert.Len(t, later.ByType(detectiveMember), 6, "management, logArchive and shop in both regions")
	assert.Contains(t, prereq(later), "Detective enables 3 listed accounts, each after its GuardDuty enrolment; each must have been a GuardDuty customer for 48 hours")
}

// resourceNamed returns the resource with the given logical name, of any type.
func resourceNamed(t *testing.T, p *plan.Plan, name string) plan.Resource {
	t.Helper()
	for _, r := range p.Resources {
		if r.Name == name {
			return r
		}
	}
	t.Fatalf("no resource named %s", name)
	return plan.Resource{}
}

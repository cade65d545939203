package tests

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

const typeInspectorMemberAssociation = "aws:inspector2/memberAssociation:MemberAssociation"

// Inspector's administrator enables scans only in accounts associated with
// it: Enable for an account that is not fails with "ACCESS_DENIED: Invoking
// account does not have access to this account" (terraform-provider-aws
// issue 27646, closed by PR 28921, which added
// aws_inspector2_member_association; the provider's enabler tests,
// inspector2/enabler_test.go testAccEnablerConfig_MemberAccount, associate
// the member after the delegated administrator and enable it after the
// association). The Inspector user guide ("Removing the delegated
// administrator") has the delegated administrator associate members itself.
func TestInspectorAssociatesMembersBeforeEnablingThem(t *testing.T) {
	t.Parallel()
	p := runPlan(t, with(exampleConfig(t), "inspector", map[string]any{"enabled": true, "ec2": true}))
	members := []string{prodManagementID, prodLogArchiveID, prodWorkloadID, prodDevID}
	for _, region := range []string{"eu-west-2", "eu-west-1"} {
		prefix := "inspector-" + region
		admin := one(t, p, typeDelegatedAdminAccount, prefix+"-delegated-admin")
		enabler := one(t, p, typeInspectorEnabler, prefix+"-members")
		for _, id := range members {
			a := one(t, p, typeInspectorMemberAssociation, prefix+"-member-"+id)
			assert.Equal(t, "security", a.Account, "the administrator associates its members")
			assert.Equal(t, region, a.Region)
			assert.Equal(t, id, a.Inputs["accountId"])
			assert.True(t, dependsOn(a, admin), "associated once security is the delegated administrator")
			assert.True(t, dependsOn(enabler, a), "%s is enabled only after its association", id)
		}
	}
	for _, a := range p.ByType(typeInspectorMemberAssociation) {
		assert.NotEqual(t, prodSecurityID, a.Inputs["accountId"], "the administrator is not its own member")
	}
	assert.Len(t, p.ByType(typeInspectorMemberAssociation), 2*len(members), "one per member per governed region")

	// AssociateMember refuses an account already associated ("ValidationException:
	// ... already a member or associated member", terraform-provider-aws PR
	// 33935's test run); the import file adopts it by account ID, the ID the
	// provider imports it by (inspector2/member_association.go).
	f, _ := p.ImportFile()
	imported := map[string]string{}
	for _, s := range f.Resources {
		if s.Type == typeInspectorMemberAssociation {
			imported[s.Name] = s.ID
		}
	}
	assert.Equal(t, prodDevID, imported["inspector-eu-west-1-member-"+prodDevID])
	assert.Len(t, imported, 2*len(members))
}

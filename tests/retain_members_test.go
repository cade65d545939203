package tests

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A StackSet instance that is replaced or dropped must not take the member
// accounts' stacks with it. terraform-provider-aws
// internal/service/cloudformation/stack_set_instance.go: deploymentTargets
// (and its accounts) are ForceNew, and the delete sends
// DeleteStackInstances with the instance's targets and RetainStacks =
// retain_stack (default false), which deletes every targeted account's
// recorder and delivery channel. With retainOnDelete the engine never calls
// the provider's delete: a replacement's CreateStackInstances covers the
// accounts again and a dropped instance leaves its stacks in place.
func TestStackSetInstancesRetainMemberStacks(t *testing.T) {
	t.Parallel()
	p := runPlan(t, loadStackFile(t, "../Pulumi.large.yaml"))
	instances := p.ByType(typeStackSetInstance)
	require.NotEmpty(t, instances)
	for _, inst := range instances {
		assert.True(t, inst.RetainOnDelete, "%s deletes member stacks when replaced or dropped", inst.Name)
	}
}

// GuardDuty API reference, DeleteMembers: "With
// autoEnableOrganizationMembers configuration for your organization set to
// ALL, you'll receive an error if you attempt to disable GuardDuty for a
// member account in your organization" (DisassociateMembers says the same);
// terraform-provider-aws internal/service/guardduty/member.go deletes a
// member with DeleteMembers. The members the administrator adds so that
// Detective can follow (organization mode, auto-enable ALL) are owned by
// the organization's auto-enable once they exist: turning Detective off or
// destroying the stack leaves them members instead of failing the up.
func TestGuardDutyOrganizationMembersRetained(t *testing.T) {
	t.Parallel()
	p := runPlan(t, loadStackFile(t, "../Pulumi.full.yaml"))
	org := p.ByType(typeGuardDutyOrganizationConfiguration)
	require.NotEmpty(t, org)
	for _, o := range org {
		require.Equal(t, "ALL", o.Inputs["autoEnableOrganizationMembers"], o.Name)
	}
	members := p.ByType(typeGuardDutyMember)
	require.NotEmpty(t, members, "detective.enabled adds the organization's accounts as GuardDuty members")
	checked := 0
	for _, m := range members {
		if m.Inputs["invite"] != false || strings.HasSuffix(m.Name, "-management-member") {
			continue // invitation mode, or the management account, which auto-enable never enrols
		}
		checked++
		assert.True(t, m.RetainOnDelete, "%s: DeleteMembers fails while auto-enable is ALL", m.Name)
	}
	assert.NotZero(t, checked)
}

// The destroy view says what a kept instance leaves and what CloudFormation
// then refuses: DeleteStackSet fails while the StackSet has instances
// (CloudFormation API reference, DeleteStackSet: StackSetNotEmptyException).
func TestDestroyViewExplainsKeptInstancesAndMembers(t *testing.T) {
	t.Parallel()
	why := map[string]string{}
	for _, src := range []string{"../Pulumi.large.yaml", "../Pulumi.full.yaml"} {
		for _, k := range runPlan(t, loadStackFile(t, src)).Removal().Kept {
			why[k.Resource.Type] = k.Why
		}
	}
	assert.Contains(t, why[typeStackSetInstance], "delete-stack-instances")
	assert.Contains(t, why[typeGuardDutyMember], "DeleteMembers")
}

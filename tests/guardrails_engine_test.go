package tests

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/pkg/v3/resource/deploy"
	"github.com/pulumi/pulumi/pkg/v3/resource/plugin"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	typeOrgPolicy       = "aws:organizations/policy:Policy"
	typeOrgPolicyAttach = "aws:organizations/policyAttachment:PolicyAttachment"
)

var accountIDPattern = regexp.MustCompile(`^[0-9]{12}$`)

// isTarget reports whether id is a root, OU or account of the stand-in
// organization: the root, s.ous, or any account ID.
func (s *engineStack) isTarget(id string) bool {
	return id == standInRoot || slices.Contains(s.ous, id) || accountIDPattern.MatchString(id)
}

// invokePolicies answers ListPoliciesForTarget and DescribePolicy as
// Organizations would: every target holds FullAWSAccess (AWS attaches it
// to every root, OU and account when a policy type is enabled; AWS
// Organizations User Guide, "Service control policies"), the policies in
// s.policiesElsewhere, and the stack's own policies its attachments in the
// current state attach there.
func (s *engineStack) invokePolicies(req plugin.InvokeRequest) resource.PropertyMap {
	args := resource.ToResourcePropertyMap(req.Args)
	if req.Tok == tokenGetPolicy {
		id := args["policyId"].StringValue()
		name := strings.TrimPrefix(id, "p-")
		if s.snap != nil {
			for _, r := range s.snap.Resources {
				if string(r.Type) == typeOrgPolicy && string(r.ID) == id {
					name = r.Outputs["name"].StringValue()
				}
			}
		}
		return resource.NewPropertyMapFromMap(map[string]any{"id": id, "policyId": id, "name": name})
	}
	target := args["targetId"].StringValue()
	ids := []any{"p-FullAWSAccess"}
	for _, name := range s.policiesElsewhere[target] {
		ids = append(ids, "p-"+name)
	}
	if s.snap != nil {
		for _, r := range s.snap.Resources {
			if string(r.Type) == typeOrgPolicyAttach && r.Outputs["targetId"].StringValue() == target {
				ids = append(ids, r.Outputs["policyId"].StringValue())
				s.mu.Lock()
				s.policyLookups++
				s.mu.Unlock()
			}
		}
	}
	return resource.NewPropertyMapFromMap(map[string]any{"id": target, "targetId": target, "filter": args["filter"].StringValue(), "ids": ids})
}

// A stack with guardrails previews and updates, and a second up changes
// nothing although the target now holds the stack's own policies too:
// they are not counted against the five per target.
func TestEngineGuardrailsSecondUpIsANoOp(t *testing.T) {
	t.Parallel()
	s := newEngineStack(t, "../Pulumi.prod.yaml")
	preview, err := s.preview()
	require.NoError(t, err)
	var policies []string
	for _, urn := range preview.of(deploy.OpCreate) {
		if resource.URN(urn).Type() == typeOrgPolicy {
			policies = append(policies, resource.URN(urn).Name())
		}
	}
	require.NotEmpty(t, policies, "the preview shows the guardrails")
	up, err := s.up()
	require.NoError(t, err)
	assert.Equal(t, preview.of(deploy.OpCreate), up.of(deploy.OpCreate))
	again, err := s.up()
	require.NoError(t, err)
	assert.Empty(t, again.changes(), "a second up is a no-op")
	assert.Positive(t, s.policyLookups, "the second up saw its own policies attached, and did not count them")
}

// Turning the guardrails off detaches every policy before deleting it:
// Organizations refuses to delete an attached policy (AWS Organizations API
// Reference, DeletePolicy: PolicyInUseException).
func TestEngineGuardrailsOffDetachesBeforeDeleting(t *testing.T) {
	t.Parallel()
	s := newEngineStack(t, "../Pulumi.prod.yaml")
	up := upAfterChange(t, s, func(s *engineStack) { s.set("guardrails", map[string]any{"enabled": false}) })
	var deleted []string
	for _, urn := range up.of(deploy.OpDelete) {
		deleted = append(deleted, string(resource.URN(urn).Type()))
	}
	require.Contains(t, deleted, typeOrgPolicy)
	require.Contains(t, deleted, typeOrgPolicyAttach)
	for _, typ := range deleted {
		assert.Contains(t, []string{typeOrgPolicy, typeOrgPolicyAttach, "landingzone:audit:Guardrails"}, typ, "only the guardrails go")
	}
	detached := map[string]int{}  // policy name -> index of its last detach
	deletedAt := map[string]int{} // policy name -> index of its delete
	for i, call := range s.calls {
		op, urn, _ := strings.Cut(call, " ")
		if op != "delete" {
			continue
		}
		switch resource.URN(urn).Type() {
		case typeOrgPolicyAttach:
			// An attachment is named "<policy name>-<target>".
			name := resource.URN(urn).Name()
			detached[name[:strings.LastIndex(name, "-")]] = i
		case typeOrgPolicy:
			deletedAt[resource.URN(urn).Name()] = i
		}
	}
	require.NotEmpty(t, deletedAt)
	for policy, at := range deletedAt {
		d, ok := detached[policy]
		require.True(t, ok, "%s was deleted without being detached", policy)
		assert.Less(t, d, at, "%s is detached before it is deleted", policy)
	}
}

// Existing policies count toward the five per target, read at deploy:
// the preview fails with the count (AWS Organizations User Guide, "Quotas
// and service limits": five SCPs per root, OU or account).
func TestEngineGuardrailsCountExistingPolicies(t *testing.T) {
	t.Parallel()
	s := newEngineStack(t, "../Pulumi.prod.yaml")
	s.policiesElsewhere = map[string][]string{standInRoot: {"deny-regions", "deny-root-user", "sandbox-limits"}}
	_, err := s.preview()
	require.Error(t, err)
	assert.Contains(t, err.Error(), "landing-zone-audit:guardrails.targets (the root): root r-st4n already has 4 SERVICE_CONTROL_POLICY attached (FullAWSAccess, deny-regions, deny-root-user, sandbox-limits); with this stack's 2 that is 6, more than Organizations' 5 per target")
	assert.Empty(t, s.creates, "nothing is created")

	s.policiesElsewhere = map[string][]string{standInRoot: {"deny-regions", "deny-root-user"}}
	_, err = s.preview()
	require.NoError(t, err, "2 + FullAWSAccess + the stack's 2 is 5, within the limit")
}

// A policy type that is off on the root, and a target that is not the
// organization's, fail the preview with the fix.
func TestEngineGuardrailsPrerequisites(t *testing.T) {
	t.Parallel()
	s := newEngineStack(t, "../Pulumi.prod.yaml")
	s.policyTypesOff = []string{"SERVICE_CONTROL_POLICY", "RESOURCE_CONTROL_POLICY"}
	_, err := s.preview()
	require.Error(t, err)
	assert.Contains(t, err.Error(), "aws organizations enable-policy-type --root-id r-st4n --policy-type SERVICE_CONTROL_POLICY")

	s = newEngineStack(t, "../Pulumi.prod.yaml")
	s.ous = []string{"ou-ab12-cdefgh34"}
	s.set("guardrails", map[string]any{"targets": []string{"ou-ab12-cdefgh34", "ou-zz99-notinorg"}})
	_, err = s.preview()
	require.Error(t, err)
	assert.Contains(t, err.Error(), fmt.Sprintf("landing-zone-audit:guardrails.targets[1]: %q is not a root, OU or account of the organization", "ou-zz99-notinorg"))
	assert.NotContains(t, err.Error(), "targets[0]")
}

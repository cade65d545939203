package tests

import (
	"bytes"
	"slices"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/example/landing-zone-audit/internal/plan"
)

// kept indexes a removal's kept and refused resources by logical name.
func keptByName(rm plan.Removal) (kept, blocked map[string]plan.Kept) {
	kept, blocked = map[string]plan.Kept{}, map[string]plan.Kept{}
	for _, k := range rm.Kept {
		kept[k.Resource.Name] = k
	}
	for _, k := range rm.Blocked {
		blocked[k.Resource.Name] = k
	}
	return kept, blocked
}

// The plan's destroy view: adopted resources and evidence (buckets, the
// keys that decrypt them, the trail's log group) are kept; a key that only
// encrypted an SNS topic protects nothing once the topic is deleted (SNS
// stores no messages) and says so, with the command that deletes it
// (API_ScheduleKeyDeletion takes a key ID or ARN, not an alias); CloudTrail
// Lake's event data store with termination protection refuses deletion
// (CloudTrail user guide, "Change termination protection": a protected
// event data store cannot be deleted), so the destroy stops there.
func TestDestroyView(t *testing.T) {
	t.Parallel()
	src := with(with(exampleConfig(t), "adopt", adoptExisting), "cloudTrailLake", map[string]any{"enabled": true, "existingCustomer": true})
	p := runPlan(t, src)
	rm := p.Removal()
	kept, blocked := keptByName(rm)

	for _, name := range []string{"guardduty-eu-west-2-security-detector", "config-dev-eu-west-1-recorder", "config-dev-eu-west-1-delivery-channel", "securityhub-hub"} {
		assert.Contains(t, kept[name].Why, "adopted: it existed before the stack", name)
	}
	assert.Contains(t, kept["config-dev-eu-west-1-recorder-status"].Why, "keeps recording")
	for _, r := range slices.Concat(p.ByType(typeBucket), p.ByType(typeLogGroup), p.ByType(typeKey)) {
		_, ok := kept[r.Name]
		assert.True(t, ok, "%s is evidence or decrypts it", r.Name)
	}
	deleted := map[string]bool{}
	for _, r := range rm.Deleted {
		deleted[r.Name] = true
	}
	assert.True(t, deleted["guardduty-eu-west-1-security-detector"], "a detector the stack created is deleted")
	assert.True(t, deleted["alerts"], "the alert topic is deleted")

	idle := kept["alerts-key"]
	assert.True(t, idle.Idle, "the alert topic's key protects nothing after destroy")
	assert.Contains(t, idle.Why, "aws kms schedule-key-deletion --region eu-west-2 --key-id $(aws kms describe-key --key-id alias/acme-security-alerts --region eu-west-2")
	assert.Equal(t, "names a retained key", kept["alerts-key-alias"].Why, "the alias stays, so the key can be found")
	assert.False(t, kept["orgtrail-bucket-key"].Idle, "the trail's key decrypts the retained logs")
	assert.False(t, kept["config-bucket-key"].Idle)

	assert.Contains(t, blocked["cloudtrail-lake"].Why, "cloudTrailLake.terminationProtection")

	var out bytes.Buffer
	require.NoError(t, p.Write(&out, "destroy"))
	assert.Contains(t, out.String(), "alias/acme-security-alerts", "the view names each idle key")
}

// The plan's destroy view agrees with Pulumi's engine: a destroy of the
// deployed stack deletes through the providers exactly the resources the
// view lists as deleted, and nothing it lists as kept.
func TestEngineDestroyMatchesTheView(t *testing.T) {
	t.Parallel()
	rm := runPlan(t, with(exampleConfig(t), "adopt", adoptExisting)).Removal()
	s := newEngineStack(t, "../Pulumi.prod.yaml")
	s.set("adopt", adoptExisting)
	_, err := s.up()
	require.NoError(t, err)
	_, err = s.destroy()
	require.NoError(t, err)

	var want, got []string
	for _, r := range rm.Deleted {
		want = append(want, r.URN)
	}
	for urn := range s.deletes {
		got = append(got, string(urn))
	}
	slices.Sort(want)
	slices.Sort(got)
	assert.Equal(t, want, got)
	for _, k := range rm.Kept {
		assert.Zero(t, s.deletes[resource.URN(k.Resource.URN)], "%s is kept", k.Resource.Name)
	}
}

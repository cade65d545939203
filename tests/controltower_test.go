package tests

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/example/landing-zone-audit/config"
)

// Alongside Control Tower, which owns the organization trail and the AWS
// Config recorders of enrolled accounts (Control Tower user guide, "Resources
// created in the shared accounts"; its mandatory guardrails deny changes to
// them), the stack creates no trail and a recorder only in management, which
// Control Tower does not enrol in Config; the alarms read Control Tower's log
// group; GuardDuty, Security Hub, Access Analyzer, rules and the aggregator stay.
func TestControlTowerCoexistence(t *testing.T) {
	t.Parallel()
	p := runPlan(t, loadStackFile(t, "../Pulumi.controltower.yaml"))
	assert.Empty(t, p.ByType(typeTrail), "Control Tower's trail logs the organization")
	for _, r := range p.ByType(typeRecorder) {
		assert.Equal(t, "management", r.Account, "a recorder only where Control Tower records nothing: %s", r.URN)
	}
	assert.Len(t, p.ByType(typeRecorder), 2, "management, both governed regions")
	filters := p.ByType(typeLogMetricFilter)
	require.NotEmpty(t, filters)
	for _, f := range filters {
		assert.Equal(t, config.ControlTowerLogGroup, f.Inputs["logGroupName"], f.URN)
		assert.Equal(t, "management", f.Account, f.URN)
	}
	for _, typ := range []string{typeDetector, typeNativeSecurityHubHub, typeAnalyzer,
		typeOrganizationManagedRule, typeConfigurationAggregator} {
		assert.NotEmpty(t, p.ByType(typ), "%s stays", typ)
	}
	// Only management delivers to the stack's Config bucket.
	write := sid(t, policyOf(t, one(t, p, typeBucketPolicy, "config-bucket-policy"), "policy"), "ConfigWrite")
	assert.Equal(t, []any{"610000000001"}, write.Condition["StringEquals"]["aws:SourceAccount"])
	for _, r := range p.Resources {
		assert.False(t, strings.HasPrefix(r.Provider, "aws-workloads-"), "no provider in an enrolled member: %s", r.URN)
	}
}

// Each component switches off on its own, and what depends on it is asked
// for or refused by name.
func TestComponentSwitches(t *testing.T) {
	t.Parallel()
	t.Run("orgTrail off", func(t *testing.T) {
		t.Parallel()
		src := with(exampleConfig(t), "orgTrail", map[string]any{"enabled": false})
		_, err := config.Load(src)
		require.Error(t, err)
		assert.Contains(t, err.Error(), "landing-zone-audit:alarms.logGroupName: required with orgTrail.enabled: false")
		p := runPlan(t, with(src, "alarms", map[string]any{"logGroupName": "legacy/cloudtrail", "elevatedRoles": []any{map[string]any{"roleName": "elevated-security-role", "accounts": []string{"prod"}}}}))
		assert.Empty(t, p.ByType(typeTrail))
		assert.Empty(t, p.ByType(typeLogGroup), "no trail, no log group of the stack's own")
		for _, f := range p.ByType(typeLogMetricFilter) {
			assert.Equal(t, "legacy/cloudtrail", f.Inputs["logGroupName"], f.URN)
		}
		assert.NotContains(t, p.Outputs, "trailArn")
	})
	t.Run("awsConfig off", func(t *testing.T) {
		t.Parallel()
		p := runPlan(t, with(exampleConfig(t), "awsConfig", map[string]any{"enabled": false}))
		for _, r := range p.Resources {
			assert.False(t, strings.HasPrefix(r.Type, "aws:cfg/"), r.URN)
			assert.False(t, strings.HasPrefix(r.Name, "config-"), r.URN)
		}
	})
	t.Run("guardDuty off", func(t *testing.T) {
		t.Parallel()
		p := runPlan(t, with(exampleConfig(t), "guardDuty", map[string]any{"enabled": false}))
		for _, r := range p.Resources {
			assert.False(t, strings.HasPrefix(r.Type, "aws:guardduty/"), r.URN)
		}
		assert.NotEmpty(t, p.ByType(typeNativeSecurityHubHub), "Security Hub still alerts")
		_, err := config.Load(with(with(exampleConfig(t), "guardDuty", map[string]any{"enabled": false}), "detective", map[string]any{"enabled": true}))
		require.Error(t, err)
		assert.Contains(t, err.Error(), "landing-zone-audit:detective.enabled: Detective needs GuardDuty")
	})
	t.Run("refused", func(t *testing.T) {
		t.Parallel()
		_, err := config.Load(with(with(loadStackFile(t, "../Pulumi.controltower.yaml"), "memberBaseline", "stackset"), "stackSet", map[string]any{"organizationalUnitIds": []string{"ou-ab12-cdef3456"}}))
		require.Error(t, err)
		assert.Contains(t, err.Error(), "landing-zone-audit:memberBaseline: stackset deploys AWS Config recorders, which Control Tower owns")
		_, err = config.Load(with(exampleConfig(t), "alarms", map[string]any{"logGroupName": "x"}))
		require.Error(t, err)
		assert.Contains(t, err.Error(), "landing-zone-audit:alarms.logGroupName: set only when the stack deploys no trail")
	})
}

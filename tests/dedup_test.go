package tests

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/example/landing-zone-audit/internal/eventpattern"
	"github.com/example/landing-zone-audit/internal/plan"
)

// deliveries returns, per topic name, how many times one event reaches it:
// every EventBridge rule of the event's account and region whose pattern
// matches, through each of its targets. EventBridge evaluates every rule of
// the bus on each event, and each matching rule sends to all its targets
// (EventBridge user guide, "Rules in Amazon EventBridge").
func deliveries(t *testing.T, p *plan.Plan, fixture ...string) map[string]int {
	t.Helper()
	raw := readFixture(t, fixture...)
	event, err := json.Marshal(raw)
	require.NoError(t, err)
	account, region := raw["account"].(string), raw["region"].(string)
	out := map[string]int{}
	for _, rule := range p.ByType(typeEventRule) {
		if rule.AccountID != account || rule.Region != region {
			continue
		}
		pattern, err := eventpattern.Parse([]byte(rule.Inputs["eventPattern"].(string)))
		require.NoError(t, err)
		if ok, err := pattern.Match(event); err != nil || !ok {
			require.NoError(t, err)
			continue
		}
		for _, target := range p.ByType(typeEventTarget) {
			if target.AccountID == account && target.Region == region && target.Inputs["rule"] == rule.Inputs["name"] {
				arn, _ := target.Inputs["arn"].(string)
				out[arn[strings.LastIndex(arn, ":")+1:]]++
			}
		}
	}
	return out
}

// sum adds the deliveries of several events, by topic.
func sum(ds ...map[string]int) map[string]int {
	out := map[string]int{}
	for _, d := range ds {
		for k, v := range d {
			out[k] += v
		}
	}
	return out
}

// One incident, one page. GuardDuty sends each finding to EventBridge as a
// "GuardDuty Finding" event and to Security Hub, which sends it on as a
// "Security Hub Findings - Imported" event in ASFF, one finding per event
// under detail.findings, with ProductName "GuardDuty" (GuardDuty user
// guide, "Integration with AWS Security Hub"; Security Hub user guide,
// "EventBridge event formats for Security Hub CSPM" and "ASFF top-level
// attributes": Security Hub populates ProductName on every finding). The
// fixtures are one CRITICAL finding in both shapes. With GuardDuty's rules
// deployed, the Security Hub rules leave GuardDuty's findings to them, so
// the finding reaches each topic — email, chat, owners, paging — once;
// Security Hub's own control findings still alert and page through Security
// Hub.
func TestGuardDutyFindingPagesOnce(t *testing.T) {
	t.Parallel()
	src := withSecretPaging(withOwners(t))
	src = with(src, "chat", map[string]any{"slack": []any{map[string]any{"name": "soc", "workspaceId": "T07EA123LEP", "channelId": "C07EZ1ABC23"}}})
	p := runPlan(t, src)
	direct := deliveries(t, p, "guardduty", "critical-exfiltration.json")
	viaHub := deliveries(t, p, "securityhub", "guardduty-critical-exfiltration.json")
	assert.Equal(t, map[string]int{"acme-findings-alerts": 1, "acme-findings-chat": 1, "acme-owner-alerts-prod": 1, "acme-paging": 1}, sum(direct, viaHub),
		"each topic hears of the finding once")
	assert.Empty(t, viaHub, "GuardDuty's path carries GuardDuty's findings")

	control := deliveries(t, p, "securityhub", "critical.json")
	assert.Equal(t, map[string]int{"acme-findings-alerts": 1, "acme-findings-chat": 1, "acme-owner-alerts-prod": 1, "acme-paging": 1}, control,
		"a Security Hub control finding still alerts and pages, through Security Hub")

	t.Run("GuardDuty off in this stack", func(t *testing.T) {
		t.Parallel()
		// GuardDuty run by another tool still sends its findings to Security
		// Hub: with no GuardDuty rule here, Security Hub's path carries them.
		p := runPlan(t, with(withSecretPaging(exampleConfig(t)), "guardDuty", map[string]any{"enabled": false}))
		assert.Equal(t, map[string]int{"acme-findings-alerts": 1, "acme-paging": 1},
			deliveries(t, p, "securityhub", "guardduty-critical-exfiltration.json"))
	})
}

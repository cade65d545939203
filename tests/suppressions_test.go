package tests

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/example/landing-zone-audit/config"
	"github.com/example/landing-zone-audit/internal/eventpattern"
	"github.com/example/landing-zone-audit/internal/plan"
)

// The dev account runs a vulnerability scanner that probes its instances,
// and a sandbox security group open on purpose.
var exampleSuppressions = []any{
	map[string]any{
		"name": "dev-scanner-port-probes", "reason": "The dev vulnerability scanner probes every instance nightly (change SEC-142)",
		"expires": "2099-12-31", "accounts": []string{"dev"},
		"guardDutyFindingTypes": []string{"Recon:EC2/PortProbeUnprotectedPort"},
	},
	map[string]any{
		"name": "dev-sandbox-open-sg", "reason": "The dev sandbox security group is open to the training VPN by design",
		"accounts": []string{"dev"}, "securityHubControls": []string{"EC2.19"},
	},
}

func readFixture(t *testing.T, parts ...string) map[string]any {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(append([]string{"testdata"}, parts...)...))
	require.NoError(t, err)
	var event map[string]any
	require.NoError(t, json.Unmarshal(data, &event))
	return event
}

// archives applies a GuardDuty filter's criteria (API_FindingCriterion:
// every criterion must hold; Eq matches any listed value) to a finding event.
func archives(filter plan.Resource, event map[string]any) bool {
	detail := event["detail"].(map[string]any)
	for _, c := range filter.Inputs["findingCriteria"].(map[string]any)["criterions"].([]any) {
		c := c.(map[string]any)
		value, _ := detail[c["field"].(string)].(string)
		if !slices.Contains(c["equals"].([]any), any(value)) {
			return false
		}
	}
	return true
}

// automationMatches applies a Security Hub automation rule's criteria
// (API_AutomationRulesFindingFilters: filters of different fields are ANDed,
// values of one field ORed) to a finding.
func automationMatches(rule plan.Resource, finding map[string]any) bool {
	criteria := rule.Inputs["criteria"].(map[string]any)
	field := map[string]string{
		"complianceSecurityControlIds": finding["Compliance"].(map[string]any)["SecurityControlId"].(string),
		"awsAccountIds":                finding["AwsAccountId"].(string),
	}
	for key, filters := range criteria {
		matched := false
		for _, f := range filters.([]any) {
			f := f.(map[string]any)
			matched = matched || (f["comparison"] == "EQUALS" && f["value"] == field[key])
		}
		if !matched {
			return false
		}
	}
	return true
}

// Suppressions as code: a GuardDuty archive filter in the administrator in
// every governed region (the administrator's filters apply to its members'
// findings, and archived findings go to neither EventBridge nor Security
// Hub: GuardDuty user guide, "Suppression rules"), and a Security Hub
// automation rule in the administrator in every governed region (a CSPM rule
// applies only in its own region: Security Hub user guide, "Creating
// automation rules") that sets the workflow to SUPPRESSED, which the alert
// rule's Workflow.Status NEW no longer matches. Each carries its reason, and
// the plan lists every suppression.
func TestSuppressions(t *testing.T) {
	t.Parallel()
	p := runPlan(t, with(exampleConfig(t), "suppressions", exampleSuppressions))

	var filters []plan.Resource
	for _, r := range p.ByType(typeGuardDutyFilter) {
		filters = append(filters, r)
		assert.Equal(t, "security", r.Account, "in the administrator: %s", r.URN)
		assert.Equal(t, "ARCHIVE", r.Inputs["action"])
		assert.Equal(t, "dev-scanner-port-probes", r.Inputs["name"])
		assert.Contains(t, r.Inputs["description"], "change SEC-142")
		assert.Contains(t, r.Inputs["description"], "expires 2099-12-31")
	}
	require.Len(t, filters, 2, "one per governed region")
	assert.ElementsMatch(t, []string{"eu-west-2", "eu-west-1"}, []string{filters[0].Region, filters[1].Region})
	for _, f := range filters {
		detector := one(t, p, typeDetector, "guardduty-"+f.Region+"-security-detector")
		assert.True(t, dependsOn(f, detector), "the filter belongs to the administrator's detector in %s", f.Region)
	}
	assert.True(t, archives(filters[0], readFixture(t, "guardduty", "port-probe-dev-scanner.json")), "the scanner's probes in dev are archived")
	assert.False(t, archives(filters[0], readFixture(t, "guardduty", "medium-port-probe.json")), "the same finding in prod still alerts")
	assert.False(t, archives(filters[0], readFixture(t, "guardduty", "high-crypto-mining.json")), "other types still alert")

	rule := one(t, p, typeAutomationRule, "securityhub-eu-west-2-suppress-dev-sandbox-open-sg")
	assert.Equal(t, "security", rule.Account)
	assert.Equal(t, "eu-west-2", rule.Region)
	assert.Equal(t, "ENABLED", rule.Inputs["ruleStatus"])
	update := rule.Inputs["actions"].([]any)[0].(map[string]any)["findingFieldsUpdate"].(map[string]any)
	assert.Equal(t, "SUPPRESSED", update["workflow"].(map[string]any)["status"])
	assert.Contains(t, update["note"].(map[string]any)["text"], "training VPN")

	alert := one(t, p, typeEventRule, "securityhub-findings-rule")
	pattern, err := eventpattern.Parse([]byte(alert.Inputs["eventPattern"].(string)))
	require.NoError(t, err)
	matches := func(event map[string]any) bool {
		b, err := json.Marshal(event)
		require.NoError(t, err)
		ok, err := pattern.Match(b)
		require.NoError(t, err)
		return ok
	}
	sandbox := readFixture(t, "securityhub", "high-ec2-19-dev.json")
	finding := sandbox["detail"].(map[string]any)["findings"].([]any)[0].(map[string]any)
	require.True(t, matches(sandbox), "without the rule the finding alerts")
	require.True(t, automationMatches(rule, finding))
	finding["Workflow"] = map[string]any{"Status": update["workflow"].(map[string]any)["status"]}
	assert.False(t, matches(sandbox), "once the rule has suppressed it, it no longer alerts")
	assert.False(t, automationMatches(rule, readFixture(t, "securityhub", "high.json")["detail"].(map[string]any)["findings"].([]any)[0].(map[string]any)),
		"another control's finding is not suppressed")

	var out strings.Builder
	require.NoError(t, p.Write(&out, "table"))
	assert.Contains(t, out.String(), "suppressed: GuardDuty dev-scanner-port-probes (eu-west-1, eu-west-2): The dev vulnerability scanner")
	assert.Contains(t, out.String(), "suppressed: Security Hub dev-sandbox-open-sg (eu-west-1, eu-west-2): The dev sandbox")
}

// Bad suppressions are all reported, each by key; one about to expire warns.
func TestSuppressionValidation(t *testing.T) {
	t.Parallel()
	_, err := config.Load(with(exampleConfig(t), "suppressions", []any{
		map[string]any{"name": "x", "guardDutyFindingTypes": []string{"PortProbe"}},
		map[string]any{"name": "old", "reason": "r", "expires": "2020-01-01", "securityHubControls": []string{"ec2-19"}, "accounts": []string{"nobody"}},
		map[string]any{"name": "old", "reason": "r", "expires": "31/12/2099"},
	}))
	require.Error(t, err)
	for _, want := range []string{
		`suppressions[0].name: "x" is not a suppression name`,
		"suppressions[0].reason: required",
		`suppressions[0].guardDutyFindingTypes[0]: "PortProbe" is not a GuardDuty finding type`,
		"suppressions[1].expires: 2020-01-01 has passed",
		`suppressions[1].securityHubControls[0]: "ec2-19" is not a security control ID`,
		`suppressions[1].accounts[0]: "nobody" is not an alias`,
		`suppressions[2].name: "old" names two suppressions`,
		`suppressions[2].expires: "31/12/2099" is not a date`,
		"suppressions[2]: suppresses nothing",
	} {
		assert.Contains(t, err.Error(), "landing-zone-audit:"+want)
	}

	soon := time.Now().UTC().AddDate(0, 0, 10).Format(time.DateOnly)
	cfg, err := config.Load(with(exampleConfig(t), "suppressions", []any{
		map[string]any{"name": "soon", "reason": "r", "expires": soon, "securityHubControls": []string{"EC2.19"}},
	}))
	require.NoError(t, err)
	require.Len(t, cfg.Warnings(), 1)
	assert.Contains(t, cfg.Warnings()[0], "suppressions[0]: soon expires on "+soon)
}

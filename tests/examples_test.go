package tests

import (
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The examples show every kind of suppression: Pulumi.full.yaml carries a
// GuardDuty filter and a Security Hub automation rule, in every governed
// region of the administrator.
func TestExamplesShowEverySuppression(t *testing.T) {
	t.Parallel()
	p := runPlan(t, loadStackFile(t, "../Pulumi.full.yaml"))
	for _, typ := range []string{"aws:guardduty/filter:Filter", "aws:securityhub/automationRule:AutomationRule"} {
		regions := map[string]bool{}
		for _, r := range p.ByType(typ) {
			assert.Equal(t, "security", r.Account, "%s %s", typ, r.Name)
			regions[r.Region] = true
		}
		assert.Len(t, regions, 2, "%s in each governed region", typ)
	}
}

// A dead-letter alarm tells the operator where the runbook is: the alerts
// page, which has the row for undelivered alerts.
func TestDeadLetterAlarmsPointToTheAlertsPage(t *testing.T) {
	t.Parallel()
	page, err := os.ReadFile("../docs/alerts.md")
	require.NoError(t, err)
	require.Contains(t, string(page), "an alert could not be delivered")
	p := runPlan(t, exampleConfig(t))
	var n int
	for _, r := range p.ByType("aws:cloudwatch/metricAlarm:MetricAlarm") {
		if strings.HasSuffix(r.Name, "-dlq-alarm") {
			n++
			assert.True(t, strings.HasSuffix(r.Inputs["alarmDescription"].(string), "; see docs/alerts.md"), r.Name)
		}
	}
	assert.NotZero(t, n)
}

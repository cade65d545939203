package tests

import (
	"bytes"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/example/landing-zone-audit/internal/plan"
)

// driver returns the plan's running cost line of a service and driver.
func driver(t *testing.T, p *plan.Plan, service, prefix string) plan.CostDriver {
	t.Helper()
	for _, c := range p.RunningCost {
		if c.Service == service && len(c.Driver) >= len(prefix) && c.Driver[:len(prefix)] == prefix {
			return c
		}
	}
	t.Fatalf("no %s cost driver %q in %+v", service, prefix, p.RunningCost)
	return plan.CostDriver{}
}

// The plan states the running cost: KMS keys at AWS's fixed $1 a key-month
// (AWS KMS pricing), and the drivers of the rest — recorders with what they
// record and how often, rule and pack evaluations, the trail's CloudWatch
// Logs ingestion, GuardDuty's plans, Security Hub's standards — counted from
// the resources the plan registers, in the table and the JSON. A change
// shows what it adds: the GuardDuty findings export adds a key ($1 a month).
func TestRunningCost(t *testing.T) {
	t.Parallel()
	base := exampleConfig(t)
	p := runPlan(t, base)

	keys := driver(t, p, "kms", "customer managed keys")
	assert.Equal(t, len(p.ByType(typeKey)), keys.Count)
	assert.InDelta(t, float64(keys.Count), keys.MonthlyUSD, 1e-9, "$1 per key-month")

	rec := driver(t, p, "config", "recorders")
	assert.Equal(t, len(p.ByType(typeRecorder)), rec.Count)
	assert.Equal(t, "all supported resource types, continuously", rec.Detail)
	assert.Equal(t, len(p.ByType(typeOrganizationManagedRule)), driver(t, p, "config", "organization rules").Count)
	assert.Positive(t, driver(t, p, "config", "organization conformance pack rules").Count)
	assert.Contains(t, driver(t, p, "logs", "trail delivering").Detail, "every account of the organization")
	assert.Contains(t, driver(t, p, "guardduty", "detectors").Detail, "S3_DATA_EVENTS")
	assert.NotContains(t, driver(t, p, "guardduty", "detectors").Detail, "RUNTIME_MONITORING", "runtime monitoring is off by default")
	hub := driver(t, p, "securityhub", "standards")
	assert.Equal(t, 2, hub.Count)
	assert.Contains(t, hub.Detail, "cis-aws-foundations-benchmark")

	t.Run("a change shows what it adds", func(t *testing.T) {
		t.Parallel()
		changed := runPlan(t, with(with(base, "guardDuty", map[string]any{
			"findingsExport": true, "features": map[string]any{"runtimeMonitoring": true},
		}), "awsConfig", map[string]any{"recording": map[string]any{"preset": "costConscious"}}))
		assert.InDelta(t, keys.MonthlyUSD+1, driver(t, changed, "kms", "customer managed keys").MonthlyUSD, 1e-9, "the export bucket's key")
		assert.Contains(t, driver(t, changed, "guardduty", "detectors").Detail, "RUNTIME_MONITORING")
		lines := plan.CostChanges(p, changed)
		assert.Contains(t, lines, fmt.Sprintf("~ kms: customer managed keys %d → %d", keys.Count, keys.Count+1), "plan --diff shows the key it adds")
		assert.Contains(t, lines, fmt.Sprintf("fixed running cost: $%.2f → $%.2f a month", keys.MonthlyUSD, keys.MonthlyUSD+1))
		// costConscious: network interfaces not recorded, volumes and task
		// definitions daily (AWS Config API_RecordingGroup, API_RecordingMode).
		assert.Equal(t, "all supported types but AWS::EC2::NetworkInterface, continuously; AWS::EC2::Volume, AWS::ECS::TaskDefinition daily",
			driver(t, changed, "config", "recorders").Detail)
	})

	t.Run("table and JSON", func(t *testing.T) {
		t.Parallel()
		var table, js bytes.Buffer
		require.NoError(t, p.Write(&table, "table"))
		assert.Contains(t, table.String(), "running cost: $")
		require.NoError(t, p.Write(&js, "json"))
		var decoded struct {
			RunningCost []plan.CostDriver `json:"runningCost"`
		}
		require.NoError(t, json.Unmarshal(js.Bytes(), &decoded))
		assert.Equal(t, p.RunningCost, decoded.RunningCost)
	})
}

package tests

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/example/landing-zone-audit/internal/plan"
)

// CloudTrail Lake has been closed to new customers since 2026-05-31
// ("AWS CloudTrail Lake will no longer be open to new customers starting May
// 31, 2026 ... Existing customers can continue to use the service":
// CloudTrail user guide, "CloudTrail Lake availability change"). Switching it
// on therefore needs the explicit cloudTrailLake.existingCustomer, refused by
// key without it (nothing is planned); with it, the plan and the preview warn
// who can still use it.
func TestCloudTrailLakeClosedToNewCustomers(t *testing.T) {
	t.Parallel()
	_, err := plan.Run(stackProgram, "prod", with(exampleConfig(t), "cloudTrailLake", map[string]any{"enabled": true}))
	require.Error(t, err)
	assert.Contains(t, err.Error(), `landing-zone-audit:cloudTrailLake.existingCustomer: false, and CloudTrail Lake has been closed to new customers since 2026-05-31`)
	assert.Contains(t, err.Error(), "set cloudTrailLake.existingCustomer: true, otherwise switch cloudTrailLake off")

	p := runPlan(t, with(exampleConfig(t), "cloudTrailLake", map[string]any{"enabled": true, "existingCustomer": true}))
	one(t, p, typeEventDataStore, "cloudtrail-lake")
	var out strings.Builder
	require.NoError(t, p.Write(&out, "table"))
	assert.Contains(t, out.String(), "warning: landing-zone-audit:cloudTrailLake: CloudTrail Lake has been closed to new customers since 2026-05-31")

	full := runPlan(t, loadStackFile(t, "../Pulumi.full.yaml"))
	assert.Contains(t, strings.Join(full.Warnings, "\n"), "cloudTrailLake: CloudTrail Lake has been closed to new customers",
		"the full example says who can switch it on")
	off := runPlan(t, exampleConfig(t))
	assert.NotContains(t, strings.Join(off.Warnings, "\n"), "CloudTrail Lake", "no warning while it is off")
}

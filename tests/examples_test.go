package tests

import (
	"testing"

	"github.com/stretchr/testify/assert"
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

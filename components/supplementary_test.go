package components_test

import (
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/example/landing-zone-audit/components"
	"github.com/example/landing-zone-audit/internal/plan"
)

// The supplementary alarm set refuses nil and incomplete arguments and an
// unknown detection key, naming each, and registers nothing.
func TestSupplementaryAlarmsRejectBadArgs(t *testing.T) {
	t.Parallel()
	for name, tc := range map[string]struct {
		args *components.SupplementaryAlarmsArgs
		want []string
	}{
		"nil":        {nil, []string{"SupplementaryAlarms: args: required"}},
		"incomplete": {&components.SupplementaryAlarmsArgs{}, []string{"Provider", "Prefix", "Namespace", "LogGroupName/TopicArn"}},
		"unknown key": {&components.SupplementaryAlarmsArgs{Prefix: "acme", Namespace: "OrgTrailMetrics", LogGroupName: pulumi.String("lg"), TopicArn: pulumi.String("arn"),
			Disabled: []string{"rootUsage"}}, []string{`Disabled[0]: "rootUsage" is not a supplementary detection`}},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			rec := plan.NewRecorder(nil, "components", "test")
			err := pulumi.RunErr(func(ctx *pulumi.Context) error {
				_, err := components.NewSupplementaryAlarms(ctx, "detect", tc.args)
				return err
			}, pulumi.WithMocks("components", "test", rec))
			require.Error(t, err)
			for _, w := range tc.want {
				assert.Contains(t, err.Error(), w)
			}
			assert.Empty(t, rec.Resources(), "nothing registered")
		})
	}
}

// The CIS alarm set checks the same arguments as the supplementary set,
// through the same check: a missing log group or topic and an unknown
// control key are refused by name, and nothing is registered.
func TestCISAlarmsRejectBadArgs(t *testing.T) {
	t.Parallel()
	rec := plan.NewRecorder(nil, "components", "test")
	err := pulumi.RunErr(func(ctx *pulumi.Context) error {
		_, err := components.NewCISAlarms(ctx, "cis", &components.CISAlarmsArgs{Prefix: "acme", Namespace: "OrgTrailMetrics", Disabled: []string{"rootUsage", "stopLogging"}})
		return err
	}, pulumi.WithMocks("components", "test", rec))
	require.Error(t, err)
	for _, w := range []string{"Provider", "LogGroupName/TopicArn: required", `Disabled[1]: "stopLogging" is not a CIS control`} {
		assert.Contains(t, err.Error(), w)
	}
	assert.NotContains(t, err.Error(), "Disabled[0]", "rootUsage is a CIS control")
	assert.Empty(t, rec.Resources(), "nothing registered")
}

package tests

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/example/landing-zone-audit/config"
)

// A Security Hub CSPM automation rule's criteria take at most 20 control
// IDs and 100 account IDs (Security Hub API reference,
// AutomationRulesFindingFilters: ComplianceSecurityControlId "Maximum number
// of 20 items", AwsAccountId "Maximum number of 100 items"); the provider
// refuses more at preview (terraform-provider-aws
// securityhub/automation_rule.go, defaultFilterSchemaMaxSize = 20 and 100
// for aws_account_id). The configuration refuses them by key instead.
func TestSuppressionRespectsAutomationRuleLimits(t *testing.T) {
	t.Parallel()
	controls := func(n int) []string {
		var out []string
		for i := range n {
			out = append(out, fmt.Sprintf("EC2.%d", i+1))
		}
		return out
	}
	suppression := func(controls []string, accounts []string) []any {
		return []any{map[string]any{"name": "many-controls", "reason": "Expected in the sandbox accounts", "accounts": accounts, "securityHubControls": controls}}
	}

	_, err := config.Load(with(exampleConfig(t), "suppressions", suppression(controls(20), []string{"dev"})))
	require.NoError(t, err, "20 control IDs fit one rule")
	// A repeated control is one value of the provider's set.
	_, err = config.Load(with(exampleConfig(t), "suppressions", suppression(append(controls(20), "EC2.1"), []string{"dev"})))
	require.NoError(t, err)

	_, err = config.Load(with(exampleConfig(t), "suppressions", suppression(controls(21), []string{"dev"})))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "landing-zone-audit:suppressions[0].securityHubControls: 21 controls; a Security Hub automation rule matches at most 20 control IDs: split them into several suppressions")

	// 101 accounts, each an alias under accounts.
	src := exampleConfig(t)
	accounts := map[string]any{}
	var aliases []string
	for _, a := range []struct{ alias, id string }{{"management", prodManagementID}, {"security", prodSecurityID}, {"logArchive", prodLogArchiveID}} {
		accounts[a.alias] = map[string]any{"id": a.id, "email": "aws-" + strings.ToLower(a.alias) + "@example.com"}
	}
	for i := range 101 {
		alias := fmt.Sprintf("workload%03d", i)
		accounts[alias] = map[string]any{"id": fmt.Sprintf("9%011d", i), "email": alias + "@example.com"}
		aliases = append(aliases, alias)
	}
	src = with(with(with(without(src, "alarms"), "accounts", accounts), "maxProviderProcesses", 1000), "suppressions", suppression(controls(1), aliases))
	_, err = config.Load(src)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "landing-zone-audit:suppressions[0].accounts: 101 accounts; a Security Hub automation rule matches at most 100 account IDs")
	_, err = config.Load(with(src, "suppressions", suppression(controls(1), aliases[:100])))
	assert.NoError(t, err, "100 accounts fit one rule")
}

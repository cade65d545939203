package config

import (
	"fmt"
	"slices"
)

// Security Hub CSPM's automation-rule criteria take at most this many
// values in one filter list (API reference, AutomationRulesFindingFilters:
// ComplianceSecurityControlId "Maximum number of 20 items", AwsAccountId
// "Maximum number of 100 items"); the provider refuses more at preview
// without naming the key (terraform-provider-aws securityhub/automation_rule.go,
// defaultFilterSchemaMaxSize = 20, aws_account_id 100).
const (
	maxAutomationControlIDs = 20
	maxAutomationAccountIDs = 100
)

// validateSuppressionLimits refuses a suppression whose Security Hub
// automation rule would carry more values in one criterion than Security
// Hub accepts.
func (c *Config) validateSuppressionLimits(p *problems) {
	for i, s := range c.SuppressionsConfig {
		key := fmt.Sprintf("suppressions[%d]", i)
		// The provider keeps each criterion as a set: repeats count once.
		if n := len(distinct(s.SecurityHubControls)); n > maxAutomationControlIDs {
			p.add(key+".securityHubControls", "%d controls; a Security Hub automation rule matches at most %d control IDs: split them into several suppressions", n, maxAutomationControlIDs)
		}
		if n := len(distinct(s.Accounts)); n > maxAutomationAccountIDs && len(s.SecurityHubControls) > 0 {
			p.add(key+".accounts", "%d accounts; a Security Hub automation rule matches at most %d account IDs: split them into several suppressions, or list none to cover every account", n, maxAutomationAccountIDs)
		}
	}
}

func distinct(values []string) []string {
	return slices.Compact(slices.Sorted(slices.Values(values)))
}

package components

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/guardduty"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/securityhub"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Suppression is one expected kind of finding that is archived (GuardDuty)
// or suppressed (Security Hub) instead of alerting, reviewed as code.
type Suppression struct {
	// Name names the GuardDuty filter and the Security Hub automation rule.
	Name string
	// Description is the reason, and the expiry date if there is one.
	Description string
	// AccountIDs limits it to these accounts; none means every account.
	AccountIDs []string
	// FindingTypes are GuardDuty finding types (GuardDuty filter).
	FindingTypes []string
	// ControlIDs are Security Hub security control IDs (automation rule).
	ControlIDs []string
}

// Limits AWS documents: 100 saved filters per GuardDuty account and region
// (GuardDuty quotas), 100 automation rules per Security Hub administrator
// (Security Hub quotas).
const (
	MaxGuardDutyFilters       = 100
	MaxSecurityHubAutomations = 100
)

// guardDutySuppressions creates, in the administrator's detector of one
// region, an archive filter per suppression with finding types. GuardDuty
// applies an administrator's filters to its members' findings, and sends
// archived findings to neither EventBridge nor Security Hub (GuardDuty user
// guide, "Suppression rules"), so they never reach an alert rule.
func guardDutySuppressions(ctx *pulumi.Context, prefix string, parent pulumi.Resource, provider pulumi.ProviderResource, detectorID pulumi.StringInput, suppressions []Suppression) error {
	rank := 0
	for _, s := range suppressions {
		if len(s.FindingTypes) == 0 {
			continue
		}
		rank++
		criteria := guardduty.FilterFindingCriteriaCriterionArray{
			&guardduty.FilterFindingCriteriaCriterionArgs{Field: pulumi.String("type"), Equals: pulumi.ToStringArray(s.FindingTypes)},
		}
		if len(s.AccountIDs) > 0 {
			criteria = append(criteria, &guardduty.FilterFindingCriteriaCriterionArgs{Field: pulumi.String("accountId"), Equals: pulumi.ToStringArray(s.AccountIDs)})
		}
		if _, err := guardduty.NewFilter(ctx, fmt.Sprintf("%s-suppress-%s", prefix, s.Name), &guardduty.FilterArgs{
			DetectorId:      detectorID,
			Name:            pulumi.String(s.Name),
			Description:     pulumi.String(s.Description),
			Action:          pulumi.String("ARCHIVE"),
			Rank:            pulumi.Int(rank),
			FindingCriteria: &guardduty.FilterFindingCriteriaArgs{Criterions: criteria},
		}, children(parent, provider)...); err != nil {
			return err
		}
	}
	return nil
}

// securityHubSuppressions creates an automation rule per suppression with
// control IDs, in the administrator's home region: rules there apply to the
// findings of every linked region (Security Hub user guide, "Automation
// rules": with cross-Region aggregation they are created in the home
// Region). Each sets the workflow status to SUPPRESSED with the reason as a
// note, and the Security Hub alert rule matches only NEW findings.
func securityHubSuppressions(ctx *pulumi.Context, name string, parent pulumi.Resource, provider pulumi.ProviderResource, suppressions []Suppression, after pulumi.Resource) error {
	order := 0
	for _, s := range suppressions {
		if len(s.ControlIDs) == 0 {
			continue
		}
		order++
		var controls securityhub.AutomationRuleCriteriaComplianceSecurityControlIdArray
		for _, id := range s.ControlIDs {
			controls = append(controls, &securityhub.AutomationRuleCriteriaComplianceSecurityControlIdArgs{Comparison: pulumi.String("EQUALS"), Value: pulumi.String(id)})
		}
		criteria := &securityhub.AutomationRuleCriteriaArgs{ComplianceSecurityControlIds: controls}
		if len(s.AccountIDs) > 0 {
			var accounts securityhub.AutomationRuleCriteriaAwsAccountIdArray
			for _, id := range s.AccountIDs {
				accounts = append(accounts, &securityhub.AutomationRuleCriteriaAwsAccountIdArgs{Comparison: pulumi.String("EQUALS"), Value: pulumi.String(id)})
			}
			criteria.AwsAccountIds = accounts
		}
		if _, err := securityhub.NewAutomationRule(ctx, fmt.Sprintf("%s-suppress-%s", name, s.Name), &securityhub.AutomationRuleArgs{
			RuleName:    pulumi.String(s.Name),
			RuleOrder:   pulumi.Int(order),
			RuleStatus:  pulumi.String("ENABLED"),
			Description: pulumi.String(s.Description),
			Criteria:    criteria,
			Actions: securityhub.AutomationRuleActionArray{&securityhub.AutomationRuleActionArgs{
				Type: pulumi.String("FINDING_FIELDS_UPDATE"),
				FindingFieldsUpdate: &securityhub.AutomationRuleActionFindingFieldsUpdateArgs{
					Workflow: &securityhub.AutomationRuleActionFindingFieldsUpdateWorkflowArgs{Status: pulumi.String("SUPPRESSED")},
					Note: &securityhub.AutomationRuleActionFindingFieldsUpdateNoteArgs{
						Text: pulumi.String(s.Description), UpdatedBy: pulumi.String("landing-zone-audit suppression " + s.Name),
					},
				},
			}},
		}, children(parent, provider, pulumi.DependsOn([]pulumi.Resource{after}))...); err != nil {
			return err
		}
	}
	return nil
}

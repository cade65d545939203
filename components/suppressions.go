package components

import (
	"fmt"
	"strings"
	"unicode"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/guardduty"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/securityhub"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Suppression is one expected kind of finding that is archived (GuardDuty)
// or suppressed (Security Hub) instead of alerting, reviewed as code.
type Suppression struct {
	// Name names the GuardDuty filter and the Security Hub automation rule.
	Name string
	// Description is the reason, and the expiry date if there is one, as
	// written: Security Hub takes it whole; GuardDuty takes
	// GuardDutyFilterDescription(Description).
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

// MaxGuardDutyFilterDescription is the longest description CreateFilter
// takes (GuardDuty API reference, CreateFilter: description, maximum length
// 512).
const MaxGuardDutyFilterDescription = 512

// GuardDutyFilterDescription is a suppression's description as GuardDuty's
// CreateFilter accepts it: letters, digits, space and . - : / ( ) [ ] { } _
// only (the GuardDuty console's rule for filter descriptions; the API refuses
// commas and apostrophes with BadRequestException, terraform-provider-aws
// issues 28367 and 50076, while the provider checks only the length).
// Apostrophes are dropped ("shop's" reads "shops"), every other character
// outside the set becomes a space, and spaces do not repeat. The reason as
// written stays in the stack configuration and in Security Hub's note.
func GuardDutyFilterDescription(description, name string) string {
	var b strings.Builder
	space := false
	for _, r := range description {
		switch {
		case r == '\'' || r == '’':
			continue
		case r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r) || strings.ContainsRune(".-:/()[]{}_", r)):
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			b.WriteRune(r)
			space = false
		default:
			space = true
		}
	}
	out := b.String()
	if !strings.ContainsFunc(out, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) {
		// Nothing of the reason survives (a reason in another script): say
		// where to find it. Names hold only characters GuardDuty accepts.
		out = "Suppression " + name + " - its reason is in the stack configuration"
	}
	if len(out) > MaxGuardDutyFilterDescription {
		out = strings.TrimSpace(out[:MaxGuardDutyFilterDescription])
	}
	return out
}

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
			Description:     pulumi.String(GuardDutyFilterDescription(s.Description, s.Name)),
			Action:          pulumi.String("ARCHIVE"),
			Rank:            pulumi.Int(rank),
			FindingCriteria: &guardduty.FilterFindingCriteriaArgs{Criterions: criteria},
		}, children(parent, provider)...); err != nil {
			return err
		}
	}
	return nil
}

// securityHubSuppressions creates, in the administrator in one region, an
// automation rule per suppression with control IDs. These are Security Hub
// CSPM rules (CreateAutomationRule), which apply only in the region they are
// created in ("Creating automation rules": create the rule in each Region
// and account in which it is to apply; the "all linked Regions" behaviour
// belongs to the newer Security Hub's CreateAutomationRuleV2), so the caller
// creates them in every governed region. Each sets the workflow status to
// SUPPRESSED with the reason as a note, and the Security Hub alert rule
// matches only NEW findings. The home region's rules keep the names they had
// when they were created only there.
func securityHubSuppressions(ctx *pulumi.Context, name string, home bool, parent pulumi.Resource, account Account, suppressions []Suppression, after []pulumi.Resource) error {
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
		opts := children(parent, account.Provider, pulumi.DependsOn(after))
		if home {
			opts = append(opts, pulumi.Aliases([]pulumi.Alias{{Name: pulumi.String(fmt.Sprintf("%s-suppress-%s", name, s.Name))}}))
		}
		if _, err := securityhub.NewAutomationRule(ctx, fmt.Sprintf("%s-%s-suppress-%s", name, account.Region, s.Name), &securityhub.AutomationRuleArgs{
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
		}, opts...); err != nil {
			return err
		}
	}
	return nil
}

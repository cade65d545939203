package components

import (
	"fmt"
	"slices"
	"strings"

	nativehub "github.com/pulumi/pulumi-aws-native/sdk/go/aws/securityhub"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/securityhub"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/example/landing-zone-audit/internal/eventpattern"
	"github.com/example/landing-zone-audit/internal/jsondoc"
)

// Security Hub's administrator needs trusted access for securityhub.amazonaws.com.
var _ = needsTrustedAccess("aws-native:securityhub:DelegatedAdmin", "securityhub.amazonaws.com")

// SecurityHubOrgType is the type token of SecurityHubOrg.
const SecurityHubOrgType = "landingzone:audit:SecurityHubOrg"

// SecurityHubOrgArgs configures organization-wide Security Hub.
//
// Security Hub resources use AWS Native: its CloudFormation-generated schema
// models central configuration (configuration policies and their association
// with the root or OUs, the CENTRAL organization configuration) completely,
// from the same resource types AWS documents for it. The alert rule is plain
// EventBridge, built like every other alert with the AWS provider.
type SecurityHubOrgArgs struct {
	// ManagementNative is the AWS Native provider of the management account,
	// home region: it designates the delegated administrator.
	ManagementNative pulumi.ProviderResource
	// Security is the security account in the home region, where the
	// configuration and the aggregator live; SecurityNative is its AWS
	// Native provider there.
	Security       Account
	SecurityNative pulumi.ProviderResource
	// SecurityRegions is the security account in every governed region
	// (the home region among them): the other regions are linked to the
	// home region, and each region gets its own automation rules.
	SecurityRegions AccountRegions
	Prefix          string
	Options         SecurityHubOptions
	Alerts          AlertRoute // the security account's alert route, home region
	// RootID is the organization root, the policy's target when
	// Options.Targets names none.
	RootID pulumi.StringInput
	// ExistingHub says Security Hub is already enabled in the security
	// account's home region: its hub is imported, not created (CreateHub
	// refuses an account that is already subscribed).
	ExistingHub bool
	// DirectProducts are the finding products (ASFF ProductName) that
	// alert through EventBridge rules of their own, such as "GuardDuty"
	// where GuardDutyOrg's rules exist. Their findings also reach Security
	// Hub; its alert, owner and paging rules leave them out, so each
	// finding alerts and pages once, by one path.
	DirectProducts []string
}

// SecurityHubOptions are the configuration policy's settings.
type SecurityHubOptions struct {
	Targets          []string // root (r-…) or OUs (ou-…); none: RootID
	CISVersion       string
	DisabledControls []string
	AlertMinSeverity string // one of SeverityLabels
	// Suppressions with control IDs become automation rules.
	Suppressions []Suppression
	// PagingMinSeverity is the lowest severity label that pages, where the
	// alert route has a paging topic.
	PagingMinSeverity string
}

// SecurityHubOrg makes the security account Security Hub's delegated
// administrator and configures the organization centrally: one configuration
// policy (AWS Foundational Security Best Practices and CIS) associated with
// the organization root or OUs, a finding aggregator in the home region
// linking every governed region, and an alert for severe imported findings.
// GuardDuty and Config findings reach it through AWS's own integrations.
type SecurityHubOrg struct {
	pulumi.ResourceState

	Policy  *nativehub.ConfigurationPolicy
	RuleArn pulumi.StringOutput

	// associations apply the policy, which enables Security Hub in the
	// linked regions.
	associations []pulumi.Resource
}

// SecurityHubStandards returns the standards the configuration policy enables.
func SecurityHubStandards(partition, homeRegion, cisVersion string) []string {
	standard := func(path string) string {
		return fmt.Sprintf("arn:%s:securityhub:%s::standards/%s", partition, homeRegion, path)
	}
	return []string{
		standard("aws-foundational-security-best-practices/v/1.0.0"),
		standard("cis-aws-foundations-benchmark/v/" + cisVersion),
	}
}

// SecurityHubAlertPattern matches new, active imported findings at or above
// the given severity label, except those of the direct products (ASFF
// ProductName), which alert through rules of their own.
func SecurityHubAlertPattern(minLabel string, direct []string) string {
	return SecurityHubAlertPatternFor(minLabel, direct, "")
}

// SecurityHubAlertPatternFor is SecurityHubAlertPattern for the findings
// about one account (AwsAccountId); "" is every account.
func SecurityHubAlertPatternFor(minLabel string, direct []string, accountID string) string {
	i := slices.Index(SeverityLabels, minLabel)
	if i < 0 {
		i = len(SeverityLabels) - 1
	}
	labels := slices.Clone(SeverityLabels[i:])
	slices.Reverse(labels) // most severe first, for readers of the plan
	findings := map[string]any{
		"Severity":    map[string]any{"Label": labels},
		"Workflow":    map[string]any{"Status": []string{"NEW"}},
		"RecordState": []string{"ACTIVE"},
	}
	if accountID != "" {
		findings["AwsAccountId"] = []string{accountID}
	}
	if len(direct) > 0 {
		// Security Hub sets ProductName on every finding (ASFF), so
		// anything-but never drops a finding for lacking it.
		findings["ProductName"] = []any{map[string]any{"anything-but": direct}}
	}
	return jsondoc.MustMarshal(map[string]any{
		"source":      []string{"aws.securityhub"},
		"detail-type": []string{"Security Hub Findings - Imported"},
		"detail":      map[string]any{"findings": findings},
	})
}

func (a *SecurityHubOrgArgs) validate(pattern string) error {
	e := &argErrors{component: "SecurityHubOrg"}
	e.requireProvider("ManagementNative", a.ManagementNative)
	e.requireProvider("SecurityNative", a.SecurityNative)
	a.Security.check(e, "Security.")
	a.SecurityRegions.check(e, "SecurityRegions.")
	if a.Security.Region != "" && !slices.Contains(a.SecurityRegions.Regions, a.Security.Region) {
		e.add("SecurityRegions.Regions", "must include the home region %s", a.Security.Region)
	}
	e.require("Prefix", a.Prefix)
	if len(a.Options.Targets) == 0 && a.RootID == nil {
		e.add("Options.Targets", "required without RootID: the root or OUs the policy applies to")
	}
	if !a.Alerts.complete() {
		e.add("Alerts", "required: the findings topic and the delivery-failure topic")
	}
	if _, err := eventpattern.Parse([]byte(pattern)); err != nil {
		e.add("alert pattern", "%v", err)
	}
	return e.err()
}

// NewSecurityHubOrg creates, in order: the administrator's hub, the
// delegated administrator, the finding aggregator, the central organization
// configuration, the configuration policy and its associations.
func NewSecurityHubOrg(ctx *pulumi.Context, name string, args *SecurityHubOrgArgs, opts ...pulumi.ResourceOption) (_ *SecurityHubOrg, err error) {
	if args == nil {
		return nil, errNilArgs("SecurityHubOrg")
	}
	defer wrapChildError(&err, "SecurityHubOrg", name)
	pattern := SecurityHubAlertPattern(args.Options.AlertMinSeverity, args.DirectProducts)
	if err := args.validate(pattern); err != nil {
		return nil, err
	}
	c := &SecurityHubOrg{}
	if err := ctx.RegisterComponentResource(SecurityHubOrgType, name, c, opts...); err != nil {
		return nil, err
	}
	orgConfig, err := c.central(ctx, name, args)
	if err != nil {
		return nil, err
	}
	if err := c.policy(ctx, name, args, orgConfig); err != nil {
		return nil, err
	}
	if err := c.suppressions(ctx, name, args, orgConfig); err != nil {
		return nil, err
	}
	alert := findingAlert{
		Account:     args.Security,
		RuleName:    Names{args.Prefix}.SecurityHubRule(),
		Description: fmt.Sprintf("New Security Hub findings of severity %s or above, from every linked region", args.Options.AlertMinSeverity),
		Pattern:     pattern,
		Route:       args.Alerts,
		InputPaths: map[string]string{
			"account":  "$.detail.findings[0].AwsAccountId",
			"region":   "$.detail.findings[0].Region",
			"severity": "$.detail.findings[0].Severity.Label",
			"title":    "$.detail.findings[0].Title",
			"product":  "$.detail.findings[0].ProductName",
			"id":       "$.detail.findings[0].Id",
		},
		InputTemplate:   `Security Hub <severity> finding from <product> in account <account>, region <region>: <title>. Finding ID: <id>`,
		ChatTitle:       "product",
		ChatDescription: "title",
		ChatKeywords:    []string{"severity", "account", "region", "id"},
	}
	rule, err := newFindingAlert(ctx, name+"-findings", c, alert)
	if err != nil {
		return nil, err
	}
	for _, owner := range args.Alerts.Owners {
		o := alert
		o.RuleName = Names{args.Prefix}.SecurityHubOwnerRule(owner.Alias)
		o.Description = "Security Hub findings about account " + owner.AccountID + " (" + owner.Alias + "), for its owners"
		o.Pattern = SecurityHubAlertPatternFor(args.Options.AlertMinSeverity, args.DirectProducts, owner.AccountID)
		o.Route = AlertRoute{TopicArn: owner.TopicArn, FailureTopicArn: alert.Route.FailureTopicArn}
		if _, err := newFindingAlert(ctx, name+"-owner-"+owner.Alias, c, o); err != nil {
			return nil, err
		}
	}
	c.RuleArn = rule.Arn
	if args.Alerts.PagingTopicArn != nil {
		if _, err := newFindingAlert(ctx, name+"-paging", c, findingAlert{
			Account:     args.Security,
			RuleName:    Names{args.Prefix}.SecurityHubPagingRule(),
			Description: fmt.Sprintf("New Security Hub findings of severity %s or above page", args.Options.PagingMinSeverity),
			Pattern:     SecurityHubAlertPattern(args.Options.PagingMinSeverity, args.DirectProducts),
			Route:       AlertRoute{TopicArn: args.Alerts.PagingTopicArn, FailureTopicArn: args.Alerts.FailureTopicArn},
		}); err != nil {
			return nil, err
		}
	}
	return c, ctx.RegisterResourceOutputs(c, pulumi.Map{"policyArn": c.Policy.Arn, "ruleArn": c.RuleArn})
}

// central enables Security Hub in the administrator, designates it,
// aggregates findings in the home region and switches the organization to
// central configuration, in that order; it returns the last step.
func (c *SecurityHubOrg) central(ctx *pulumi.Context, name string, args *SecurityHubOrgArgs) (pulumi.Resource, error) {
	security := children(c, args.SecurityNative)
	after := func(r pulumi.Resource) []pulumi.ResourceOption {
		return append(slices.Clone(security), pulumi.DependsOn([]pulumi.Resource{r}))
	}
	// Enabled in the administrator first, so designation finds it subscribed
	// (standards come from the configuration policy, not the defaults).
	hubOpts := security
	if args.ExistingHub {
		// The hub's ARN is its CloudControl identifier. Whether default
		// standards were enabled matters only when a hub is created, so an
		// adopted hub's is left as it is.
		hubOpts = append(slices.Concat(security,
			adopted(fmt.Sprintf("arn:%s:securityhub:%s:%s:hub/default", args.Security.Partition, args.Security.Region, args.Security.AccountID))),
			pulumi.IgnoreChanges([]string{"enableDefaultStandards"}))
	}
	hub, err := nativehub.NewHub(ctx, name+"-hub", &nativehub.HubArgs{
		EnableDefaultStandards:  pulumi.Bool(false),
		ControlFindingGenerator: pulumi.String("SECURITY_CONTROL"),
		AutoEnableControls:      pulumi.Bool(true),
	}, hubOpts...)
	if err != nil {
		return nil, err
	}
	admin, err := nativehub.NewDelegatedAdmin(ctx, name+"-delegated-admin", &nativehub.DelegatedAdminArgs{
		AdminAccountId: pulumi.String(args.Security.AccountID),
	}, append(children(c, args.ManagementNative), pulumi.DependsOn([]pulumi.Resource{hub}))...)
	if err != nil {
		return nil, err
	}
	var linked []string
	for _, r := range args.SecurityRegions.Regions {
		if r != args.Security.Region {
			linked = append(linked, r)
		}
	}
	// The aggregator makes the home region Security Hub's home for central
	// configuration. With one governed region it links none: NO_REGIONS,
	// which the AWS provider takes (AWS Native's schema has only the three
	// older modes; ALL_REGIONS would switch Security Hub on everywhere).
	aggregatorArgs := &securityhub.FindingAggregatorArgs{
		LinkingMode:      pulumi.String("SPECIFIED_REGIONS"),
		SpecifiedRegions: pulumi.ToStringArray(linked),
	}
	if len(linked) == 0 {
		aggregatorArgs = &securityhub.FindingAggregatorArgs{LinkingMode: pulumi.String("NO_REGIONS")}
	}
	aggregator, err := securityhub.NewFindingAggregator(ctx, name+"-finding-aggregator", aggregatorArgs,
		append(children(c, args.Security.Provider), pulumi.DependsOn([]pulumi.Resource{admin}))...)
	if err != nil {
		return nil, err
	}
	// Central configuration needs the aggregator in the home region first.
	orgConfig, err := nativehub.NewOrganizationConfiguration(ctx, name+"-organization-configuration", &nativehub.OrganizationConfigurationArgs{
		AutoEnable:          pulumi.Bool(false),
		AutoEnableStandards: nativehub.OrganizationConfigurationAutoEnableStandardsNone,
		ConfigurationType:   nativehub.OrganizationConfigurationConfigurationTypeCentral,
	}, after(aggregator)...)
	if err != nil {
		return nil, err
	}
	return orgConfig, nil
}

// policy creates the configuration policy after central configuration and
// associates it with the targets.
func (c *SecurityHubOrg) policy(ctx *pulumi.Context, name string, args *SecurityHubOrgArgs, orgConfig pulumi.Resource) error {
	security := children(c, args.SecurityNative)
	var err error
	c.Policy, err = nativehub.NewConfigurationPolicy(ctx, name+"-policy", &nativehub.ConfigurationPolicyArgs{
		Name:        pulumi.String(Names{args.Prefix}.SecurityHubPolicy()),
		Description: pulumi.String("Security Hub on, with AWS Foundational Security Best Practices and CIS AWS Foundations"),
		ConfigurationPolicy: &nativehub.ConfigurationPolicyPolicyArgs{SecurityHub: &nativehub.ConfigurationPolicySecurityHubPolicyArgs{
			ServiceEnabled:             pulumi.Bool(true),
			EnabledStandardIdentifiers: pulumi.ToStringArray(SecurityHubStandards(args.Security.Partition, args.Security.Region, args.Options.CISVersion)),
			SecurityControlsConfiguration: &nativehub.ConfigurationPolicySecurityControlsConfigurationArgs{
				DisabledSecurityControlIdentifiers: pulumi.ToStringArray(nonNil(args.Options.DisabledControls)),
			},
		}},
	}, append(slices.Clone(security), pulumi.DependsOn([]pulumi.Resource{orgConfig}))...)
	if err != nil {
		return err
	}
	associate := func(suffix string, target pulumi.StringInput, targetType nativehub.PolicyAssociationTargetType) error {
		association, err := nativehub.NewPolicyAssociation(ctx, name+"-association-"+suffix, &nativehub.PolicyAssociationArgs{
			ConfigurationPolicyId: c.Policy.AwsId,
			TargetId:              target,
			TargetType:            targetType,
		}, security...)
		c.associations = append(c.associations, association)
		return err
	}
	if len(args.Options.Targets) == 0 {
		if err := associate("root", args.RootID, nativehub.PolicyAssociationTargetTypeRoot); err != nil {
			return err
		}
	}
	for _, target := range args.Options.Targets {
		targetType := nativehub.PolicyAssociationTargetTypeOrganizationalUnit
		if strings.HasPrefix(target, "r-") {
			targetType = nativehub.PolicyAssociationTargetTypeRoot
		}
		if err := associate(target, pulumi.String(target), targetType); err != nil {
			return err
		}
	}
	return nil
}

// suppressions creates the automation rules in every governed region. The
// home region's rules follow central configuration; a linked region's follow
// the policy's associations, which enable Security Hub there (an automation
// rule needs Security Hub enabled in its region).
func (c *SecurityHubOrg) suppressions(ctx *pulumi.Context, name string, args *SecurityHubOrgArgs, orgConfig pulumi.Resource) error {
	for _, region := range args.SecurityRegions.Regions {
		after := c.associations
		if region == args.Security.Region {
			after = []pulumi.Resource{orgConfig}
		}
		if err := securityHubSuppressions(ctx, name, region == args.Security.Region, c, args.SecurityRegions.In(region), args.Options.Suppressions, after); err != nil {
			return err
		}
	}
	return nil
}

// nonNil keeps an empty list a list (not null) in the resource's inputs.
func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

package components

import (
	_ "embed"
	"fmt"
	"maps"
	"slices"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cfg"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/example/landing-zone-audit/internal/jsondoc"
)

// Organization rules and packs needs trusted access for config-multiaccountsetup.amazonaws.com.
var _ = needsTrustedAccess("aws:cfg/organizationManagedRule:OrganizationManagedRule", "config-multiaccountsetup.amazonaws.com")

// Conformance pack templates kept in this repository.
var (
	// SecurityIdentityCompliancePack holds the 48 AWS managed rules of AWS's
	// sample "Operational Best Practices for Security, Identity, and
	// Compliance Services", as the walkthrough deploys it (the default).
	//
	//go:embed conformancepacks/security-identity-compliance.yaml
	SecurityIdentityCompliancePack string

	// SecurityServicesPack is a smaller pack: the 21 checks of the services
	// and controls this landing zone itself deploys.
	//
	//go:embed conformancepacks/security-services.yaml
	SecurityServicesPack string
)

// ConformancePackTemplates are the shipped packs by the name a stack picks them with.
var ConformancePackTemplates = map[string]string{
	"securityIdentityCompliance": SecurityIdentityCompliancePack,
	"securityServices":           SecurityServicesPack,
}

// ManagedRule is one organization rule built from an AWS managed rule.
type ManagedRule struct {
	Name                string
	Identifier          string
	Parameters          map[string]string
	ExcludedAccountIDs  []string
	ResourceTypesScopes []string
}

// ConformancePack is one organization conformance pack.
type ConformancePack struct {
	// Logical names the pack's resource: "<component>-pack" with "" (the
	// stack's first pack), "<component>-pack-<Logical>" otherwise.
	Logical            string
	Name               string
	Template           string // YAML
	DeliveryBucket     string // must start with "awsconfigconforms"; "" for none
	ExcludedAccountIDs []string
	Parameters         map[string]string // the template's input parameters
}

// ConfigOrgRulesArgs configures organization rules and the conformance pack,
// created from the management account.
type ConfigOrgRulesArgs struct {
	AccountRegions // management
	HomeRegion     string
	Prefix         string
	Rules          []ManagedRule
	Packs          []ConformancePack
	// Recorders are every recorder status of the organization: rules and
	// packs fail in accounts that do not record yet.
	Recorders []pulumi.Resource
	// Uncovered are the organization's accounts that have no recorder;
	// every rule and the pack exclude them (nil: none).
	Uncovered pulumi.StringArrayInput
}

// ConfigOrgRules holds the organization Config rules (in every governed
// region) and the conformance pack (home region), whose template is uploaded
// under a content-addressed key so a changed template redeploys the pack.
type ConfigOrgRules struct {
	pulumi.ResourceState

	RuleNames []string
	PackNames []string
}

// RestrictedSSH is the rule every organization gets.
var RestrictedSSH = ManagedRule{Name: "restricted-ssh", Identifier: "INCOMING_SSH_DISABLED", ResourceTypesScopes: []string{"AWS::EC2::SecurityGroup"}}

// NewConfigOrgRules creates the rules and the pack after every recorder.
func NewConfigOrgRules(ctx *pulumi.Context, name string, args *ConfigOrgRulesArgs, opts ...pulumi.ResourceOption) (_ *ConfigOrgRules, err error) {
	if args == nil {
		return nil, errNilArgs("ConfigOrgRules")
	}
	defer wrapChildError(&err, "ConfigOrgRules", name)
	e := &argErrors{component: "ConfigOrgRules"}
	args.AccountRegions.check(e, "")
	seen := map[string]bool{}
	for i, r := range args.Rules {
		if r.Identifier == "" || r.Name == "" || seen[r.Name] {
			e.add(fmt.Sprintf("Rules[%d]", i), "needs an identifier and a unique name (got %q, %q)", r.Identifier, r.Name)
		}
		seen[r.Name] = true
	}
	for i, p := range args.Packs {
		if p.Name == "" || p.Template == "" {
			e.add(fmt.Sprintf("Packs[%d]", i), "needs a name and a template")
		}
	}
	if err := e.err(); err != nil {
		return nil, err
	}
	c := &ConfigOrgRules{}
	if err := ctx.RegisterComponentResource(ConfigOrgRulesType, name, c, opts...); err != nil {
		return nil, err
	}
	after := pulumi.DependsOn(args.Recorders)
	for _, region := range args.Regions {
		child := append(children(c, args.Providers[region]), after)
		for _, r := range args.Rules {
			ruleArgs := &cfg.OrganizationManagedRuleArgs{
				Name:             pulumi.String(r.Name),
				RuleIdentifier:   pulumi.String(r.Identifier),
				Description:      pulumi.String(r.Name),
				ExcludedAccounts: excludedAccounts(r.ExcludedAccountIDs, args.Uncovered),
			}
			if len(r.ResourceTypesScopes) > 0 {
				ruleArgs.ResourceTypesScopes = pulumi.ToStringArray(r.ResourceTypesScopes)
			}
			if len(r.Parameters) > 0 {
				ruleArgs.InputParameters = pulumi.String(jsondoc.MustMarshal(r.Parameters))
			}
			if _, err := cfg.NewOrganizationManagedRule(ctx, fmt.Sprintf("%s-%s-%s", name, region, r.Name), ruleArgs, child...); err != nil {
				return nil, err
			}
		}
	}
	for _, r := range args.Rules {
		c.RuleNames = append(c.RuleNames, r.Name)
	}
	for _, pack := range args.Packs {
		if err := c.conformancePack(ctx, name, pack, args); err != nil {
			return nil, err
		}
	}
	return c, ctx.RegisterResourceOutputs(c, pulumi.Map{
		"ruleNames": pulumi.ToStringArray(c.RuleNames), "packNames": pulumi.ToStringArray(c.PackNames),
	})
}

// excludedAccounts joins the accounts a rule or pack excludes by
// configuration with those that have no recorder, sorted and unique.
func excludedAccounts(ids []string, uncovered pulumi.StringArrayInput) pulumi.StringArrayInput {
	if uncovered == nil {
		return pulumi.ToStringArray(nonNil(ids))
	}
	return uncovered.ToStringArrayOutput().ApplyT(func(more []string) []string {
		out := slices.Concat(nonNil(ids), more)
		slices.Sort(out)
		return slices.Compact(out)
	}).(pulumi.StringArrayOutput)
}

// MaxTemplateBodyBytes is the largest template PutOrganizationConformancePack
// takes inline (TemplateBody: 51,200 bytes; API_PutOrganizationConformancePack).
const MaxTemplateBodyBytes = 51200

// AWS Config's service limits (AWS Config Developer Guide, "Service Limits",
// configlimits.html) that a stack's rules and packs must fit, in every
// account and region they reach.
const (
	MaxRulesPerConformancePack    = 130
	MaxConformancePacksPerAccount = 50
	// MaxConfigRulesPerAccount counts rules of packs too
	// (MaxNumberOfConfigRulesExceededException: "the maximum number of 1000 rules").
	MaxConfigRulesPerAccount = 1000
)

// conformancePack deploys the organization conformance pack with its
// template inline: no bucket to hold it, and a changed template updates the pack.
func (c *ConfigOrgRules) conformancePack(ctx *pulumi.Context, name string, pack ConformancePack, args *ConfigOrgRulesArgs) error {
	home := children(c, args.Providers[args.HomeRegion])
	packArgs := &cfg.OrganizationConformancePackArgs{
		Name:             pulumi.String(pack.Name),
		TemplateBody:     pulumi.String(pack.Template),
		ExcludedAccounts: excludedAccounts(pack.ExcludedAccountIDs, args.Uncovered),
	}
	if pack.DeliveryBucket != "" {
		packArgs.DeliveryS3Bucket = pulumi.String(pack.DeliveryBucket)
	}
	if len(pack.Parameters) > 0 {
		var params cfg.OrganizationConformancePackInputParameterArray
		for _, k := range slices.Sorted(maps.Keys(pack.Parameters)) {
			params = append(params, &cfg.OrganizationConformancePackInputParameterArgs{
				ParameterName: pulumi.String(k), ParameterValue: pulumi.String(pack.Parameters[k]),
			})
		}
		packArgs.InputParameters = params
	}
	logical := name + "-pack"
	if pack.Logical != "" {
		logical += "-" + pack.Logical
	}
	_, err := cfg.NewOrganizationConformancePack(ctx, logical, packArgs, append(home, pulumi.DependsOn(args.Recorders))...)
	c.PackNames = append(c.PackNames, pack.Name)
	return err
}

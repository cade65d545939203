package components

import (
	_ "embed"
	"fmt"
	"sort"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cfg"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// An organization aggregator needs trusted access for config.amazonaws.com.
var _ = needsTrustedAccess("aws:cfg/configurationAggregator:ConfigurationAggregator", "config.amazonaws.com")

// ConfigAggregatorArgs configures the organization aggregator.
type ConfigAggregatorArgs struct {
	ManagementProvider pulumi.ProviderResource // registers the delegated administrator
	Security           Account                 // the administrator, home region
	Prefix             string
	Regions            []string // nil: all regions
}

// ConfigAggregator makes the security account AWS Config's delegated
// administrator and aggregates every account and region into it.
type ConfigAggregator struct {
	pulumi.ResourceState

	Aggregator *cfg.ConfigurationAggregator
}

// ConfigDelegatedServices are registered for the security account.
var ConfigDelegatedServices = []string{"config.amazonaws.com", "config-multiaccountsetup.amazonaws.com"}

// NewConfigAggregator creates the registrations, the aggregator role and the aggregator.
func NewConfigAggregator(ctx *pulumi.Context, name string, args *ConfigAggregatorArgs, opts ...pulumi.ResourceOption) (_ *ConfigAggregator, err error) {
	if args == nil {
		return nil, errNilArgs("ConfigAggregator")
	}
	defer wrapChildError(&err, "ConfigAggregator", name)
	e := &argErrors{component: "ConfigAggregator"}
	e.requireProvider("ManagementProvider", args.ManagementProvider)
	args.Security.check(e, "Security.")
	e.require("Prefix", args.Prefix)
	if err := e.err(); err != nil {
		return nil, err
	}
	c := &ConfigAggregator{}
	if err := ctx.RegisterComponentResource(ConfigAggregatorType, name, c, opts...); err != nil {
		return nil, err
	}
	var deps []pulumi.Resource
	for _, svc := range ConfigDelegatedServices {
		d, err := newDelegatedAdministrator(ctx, fmt.Sprintf("%s-%s", name, svc), svc, args.Security.AccountID,
			args.ManagementProvider, pulumi.Parent(c))
		if err != nil {
			return nil, err
		}
		deps = append(deps, d)
	}
	security := children(c, args.Security.Provider)
	trust := policy(allow("ConfigAssumesRole", service("config.amazonaws.com"), []string{"sts:AssumeRole"}, nil,
		Conditions{"StringEquals": {"aws:SourceAccount": args.Security.AccountID}}))
	role, err := iam.NewRole(ctx, name+"-role", &iam.RoleArgs{
		Name:             pulumi.String(Names{args.Prefix}.ConfigAggregatorRole()),
		AssumeRolePolicy: pulumi.String(trust.JSON()),
	}, security...)
	if err != nil {
		return nil, err
	}
	attach, err := iam.NewRolePolicyAttachment(ctx, name+"-role-organizations", &iam.RolePolicyAttachmentArgs{
		Role:      role.Name,
		PolicyArn: pulumi.String(fmt.Sprintf("arn:%s:iam::aws:policy/service-role/AWSConfigRoleForOrganizations", args.Security.Partition)),
	}, security...)
	if err != nil {
		return nil, err
	}
	source := &cfg.ConfigurationAggregatorOrganizationAggregationSourceArgs{RoleArn: role.Arn}
	if args.Regions == nil {
		source.AllRegions = pulumi.Bool(true)
	} else {
		regions := append([]string(nil), args.Regions...)
		sort.Strings(regions)
		source.Regions = pulumi.ToStringArray(regions)
	}
	c.Aggregator, err = cfg.NewConfigurationAggregator(ctx, name, &cfg.ConfigurationAggregatorArgs{
		Name:                          pulumi.String(Names{args.Prefix}.OrganizationAggregator()),
		OrganizationAggregationSource: source,
	}, append(security, pulumi.DependsOn(append(deps, attach)))...)
	if err != nil {
		return nil, err
	}
	return c, ctx.RegisterResourceOutputs(c, pulumi.Map{"arn": c.Aggregator.Arn})
}

package components

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/accessanalyzer"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// An organization analyzer needs trusted access for access-analyzer.amazonaws.com.
var _ = needsTrustedAccess("aws:accessanalyzer/analyzer:Analyzer", "access-analyzer.amazonaws.com")

// AccessAnalyzerOrgType is the type token of AccessAnalyzerOrg.
const AccessAnalyzerOrgType = "landingzone:audit:AccessAnalyzerOrg"

// AccessAnalyzerOrgArgs configures IAM Access Analyzer for the organization.
// It uses the AWS provider: its Analyzer models both analyzer kinds,
// including the unused-access configuration, and the delegated administrator
// is the same Organizations resource the Config aggregator uses.
type AccessAnalyzerOrgArgs struct {
	ManagementProvider pulumi.ProviderResource // registers the delegated administrator
	Security           AccountRegions          // the delegated administrator
	HomeRegion         string
	Prefix             string
	// UnusedAccessAgeDays, when positive, adds an organization unused-access
	// analyzer in the home region reporting access unused for that long.
	UnusedAccessAgeDays int
}

// AccessAnalyzerOrg makes the security account Access Analyzer's delegated
// administrator and creates an organization external-access analyzer in every
// governed region.
type AccessAnalyzerOrg struct {
	pulumi.ResourceState

	AnalyzerArns pulumi.StringMap // by region; "unused-access" for the unused-access analyzer
}

// NewAccessAnalyzerOrg creates the registration, then the analyzers.
func NewAccessAnalyzerOrg(ctx *pulumi.Context, name string, args *AccessAnalyzerOrgArgs, opts ...pulumi.ResourceOption) (_ *AccessAnalyzerOrg, err error) {
	if args == nil {
		return nil, errNilArgs("AccessAnalyzerOrg")
	}
	defer wrapChildError(&err, "AccessAnalyzerOrg", name)
	e := &argErrors{component: "AccessAnalyzerOrg"}
	e.requireProvider("ManagementProvider", args.ManagementProvider)
	args.Security.check(e, "Security.")
	e.require("Prefix", args.Prefix)
	if err := e.err(); err != nil {
		return nil, err
	}
	c := &AccessAnalyzerOrg{AnalyzerArns: pulumi.StringMap{}}
	if err := ctx.RegisterComponentResource(AccessAnalyzerOrgType, name, c, opts...); err != nil {
		return nil, err
	}
	admin, err := newDelegatedAdministrator(ctx, name+"-delegated-admin", "access-analyzer.amazonaws.com", args.Security.AccountID,
		args.ManagementProvider, pulumi.Parent(c))
	if err != nil {
		return nil, err
	}
	afterAdmin := pulumi.DependsOn([]pulumi.Resource{admin})
	for _, region := range args.Security.Regions {
		a, err := accessanalyzer.NewAnalyzer(ctx, fmt.Sprintf("%s-%s", name, region), &accessanalyzer.AnalyzerArgs{
			AnalyzerName: pulumi.String(Names{args.Prefix}.Analyzer()),
			Type:         pulumi.String("ORGANIZATION"),
		}, append(children(c, args.Security.Providers[region]), afterAdmin)...)
		if err != nil {
			return nil, err
		}
		c.AnalyzerArns[region] = a.Arn
	}
	if args.UnusedAccessAgeDays > 0 {
		a, err := accessanalyzer.NewAnalyzer(ctx, name+"-unused-access", &accessanalyzer.AnalyzerArgs{
			AnalyzerName: pulumi.String(Names{args.Prefix}.UnusedAccessAnalyzer()),
			Type:         pulumi.String("ORGANIZATION_UNUSED_ACCESS"),
			Configuration: &accessanalyzer.AnalyzerConfigurationArgs{UnusedAccess: &accessanalyzer.AnalyzerConfigurationUnusedAccessArgs{
				UnusedAccessAge: pulumi.Int(args.UnusedAccessAgeDays),
			}},
		}, append(children(c, args.Security.Providers[args.HomeRegion]), afterAdmin)...)
		if err != nil {
			return nil, err
		}
		c.AnalyzerArns["unused-access"] = a.Arn
	}
	return c, ctx.RegisterResourceOutputs(c, pulumi.Map{"analyzerArns": c.AnalyzerArns})
}

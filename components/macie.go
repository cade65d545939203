package components

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/macie2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// MacieOrgType is the type token of MacieOrg.
const MacieOrgType = "landingzone:audit:MacieOrg"

// MacieFrequencies are the finding publishing frequencies Macie accepts
// (API_EnableMacie).
var MacieFrequencies = []string{"FIFTEEN_MINUTES", "ONE_HOUR", "SIX_HOURS"}

// MacieOrgArgs configures Amazon Macie for the organization.
type MacieOrgArgs struct {
	RegionalAdministration
	// Members are the existing accounts to enable; auto-enable covers only
	// accounts that join later. Macie's CreateMember takes each one's email.
	Members                    []OrganizationMember
	FindingPublishingFrequency string
}

// MacieOrg makes the security account Macie's delegated administrator in
// every governed region, auto-enables new accounts and enables the existing
// ones. Macie publishes its policy findings to Security Hub, where the
// Security Hub alert rule reaches them.
type MacieOrg struct {
	pulumi.ResourceState
}

// NewMacieOrg creates, per region: Macie in the administrator, the delegated
// administrator, the organization configuration, then the members.
func NewMacieOrg(ctx *pulumi.Context, name string, args *MacieOrgArgs, opts ...pulumi.ResourceOption) (_ *MacieOrg, err error) {
	if args == nil {
		return nil, errNilArgs("MacieOrg")
	}
	defer wrapChildError(&err, "MacieOrg", name)
	e := &argErrors{component: "MacieOrg"}
	args.check(e)
	e.require("FindingPublishingFrequency", args.FindingPublishingFrequency)
	checkMembers(e, args.Members)
	if err := e.err(); err != nil {
		return nil, err
	}
	c := &MacieOrg{}
	if err := ctx.RegisterComponentResource(MacieOrgType, name, c, opts...); err != nil {
		return nil, err
	}
	for _, region := range args.Security.Regions {
		prefix := fmt.Sprintf("%s-%s", name, region)
		security := children(c, args.Security.Providers[region])
		// Macie runs in the administrator before it is designated, with the
		// publishing frequency members inherit.
		self, err := macie2.NewAccount(ctx, prefix+"-administrator", &macie2.AccountArgs{
			Status:                     pulumi.String("ENABLED"),
			FindingPublishingFrequency: pulumi.String(args.FindingPublishingFrequency),
		}, security...)
		if err != nil {
			return nil, err
		}
		admin, err := macie2.NewOrganizationAdminAccount(ctx, prefix+"-delegated-admin", &macie2.OrganizationAdminAccountArgs{
			AdminAccountId: pulumi.String(args.Security.AccountID),
		}, append(children(c, args.Management.Providers[region]), pulumi.DependsOn([]pulumi.Resource{self}))...)
		if err != nil {
			return nil, err
		}
		orgConfig, err := macie2.NewOrganizationConfiguration(ctx, prefix+"-organization-configuration", &macie2.OrganizationConfigurationArgs{
			AutoEnable: pulumi.Bool(true),
		}, append(security, pulumi.DependsOn([]pulumi.Resource{admin}))...)
		if err != nil {
			return nil, err
		}
		for _, m := range args.Members {
			if m.AccountID == args.Security.AccountID {
				continue
			}
			// An organization account is associated without an invitation.
			if _, err := macie2.NewMember(ctx, fmt.Sprintf("%s-member-%s", prefix, m.AccountID), &macie2.MemberArgs{
				AccountId: pulumi.String(m.AccountID),
				Email:     pulumi.String(m.Email),
				Status:    pulumi.String("ENABLED"),
			}, append(security, pulumi.DependsOn([]pulumi.Resource{orgConfig}))...); err != nil {
				return nil, err
			}
		}
	}
	return c, ctx.RegisterResourceOutputs(c, pulumi.Map{})
}

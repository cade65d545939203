package components

import (
	"fmt"
	"slices"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/inspector2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Inspector's administrator needs trusted access for inspector2.amazonaws.com.
var _ = needsTrustedAccess("aws:inspector2/delegatedAdminAccount:DelegatedAdminAccount", "inspector2.amazonaws.com")

// InspectorOrgType is the type token of InspectorOrg.
const InspectorOrgType = "landingzone:audit:InspectorOrg"

// InspectorScans are the Amazon Inspector scan types.
type InspectorScans struct {
	EC2, ECR, Lambda, LambdaCode bool
}

// resourceTypes are the scans as Inspector's Enable resource types.
func (s InspectorScans) resourceTypes() []string {
	var out []string
	for _, t := range []struct {
		on   bool
		name string
	}{{s.EC2, "EC2"}, {s.ECR, "ECR"}, {s.Lambda, "LAMBDA"}, {s.LambdaCode, "LAMBDA_CODE"}} {
		if t.on {
			out = append(out, t.name)
		}
	}
	return out
}

// InspectorOrgArgs configures Amazon Inspector for the organization.
type InspectorOrgArgs struct {
	RegionalAdministration
	// MemberAccountIDs are the existing accounts to enable (auto-enable
	// covers only accounts that join later).
	MemberAccountIDs []string
	Scans            InspectorScans
}

// InspectorOrg makes the security account Amazon Inspector's delegated
// administrator in every governed region, auto-enables the chosen scans for
// new members and enables them in the existing ones. Findings reach
// Security Hub through Inspector's own integration, and its alert rule.
type InspectorOrg struct {
	pulumi.ResourceState
}

// NewInspectorOrg creates, per region: Inspector in the administrator, the
// delegated administrator, the organization configuration, each member's
// association with the administrator, then the members' enablement.
func NewInspectorOrg(ctx *pulumi.Context, name string, args *InspectorOrgArgs, opts ...pulumi.ResourceOption) (_ *InspectorOrg, err error) {
	if args == nil {
		return nil, errNilArgs("InspectorOrg")
	}
	defer wrapChildError(&err, "InspectorOrg", name)
	e := &argErrors{component: "InspectorOrg"}
	args.check(e)
	types := args.Scans.resourceTypes()
	if len(types) == 0 {
		e.add("Scans", "required: at least one scan type")
	}
	if err := e.err(); err != nil {
		return nil, err
	}
	c := &InspectorOrg{}
	if err := ctx.RegisterComponentResource(InspectorOrgType, name, c, opts...); err != nil {
		return nil, err
	}
	members := slices.DeleteFunc(slices.Clone(args.MemberAccountIDs), func(id string) bool { return id == args.Security.AccountID })
	for _, region := range args.Security.Regions {
		prefix := fmt.Sprintf("%s-%s", name, region)
		security := children(c, args.Security.Providers[region])
		// Inspector runs in the administrator before it is designated.
		self, err := inspector2.NewEnabler(ctx, prefix+"-administrator", &inspector2.EnablerArgs{
			AccountIds:    pulumi.ToStringArray([]string{args.Security.AccountID}),
			ResourceTypes: pulumi.ToStringArray(types),
		}, security...)
		if err != nil {
			return nil, err
		}
		admin, err := inspector2.NewDelegatedAdminAccount(ctx, prefix+"-delegated-admin", &inspector2.DelegatedAdminAccountArgs{
			AccountId: pulumi.String(args.Security.AccountID),
		}, append(children(c, args.Management.Providers[region]), pulumi.DependsOn([]pulumi.Resource{self}))...)
		if err != nil {
			return nil, err
		}
		org, err := inspector2.NewOrganizationConfiguration(ctx, prefix+"-organization-configuration", &inspector2.OrganizationConfigurationArgs{
			AutoEnable: &inspector2.OrganizationConfigurationAutoEnableArgs{
				Ec2: pulumi.Bool(args.Scans.EC2), Ecr: pulumi.Bool(args.Scans.ECR),
				Lambda: pulumi.Bool(args.Scans.Lambda), LambdaCode: pulumi.Bool(args.Scans.LambdaCode),
			},
		}, append(security, pulumi.DependsOn([]pulumi.Resource{admin}))...)
		if err != nil {
			return nil, err
		}
		if len(members) == 0 {
			continue
		}
		// The administrator enables scans only in accounts associated with
		// it: Enable for an unassociated account fails with ACCESS_DENIED
		// (terraform-provider-aws issue 27646, fixed by the member
		// association resource; its enabler tests associate each member
		// first). Auto-enable covers only accounts that join later.
		enableAfter := []pulumi.Resource{org}
		for _, id := range members {
			association, err := inspector2.NewMemberAssociation(ctx, fmt.Sprintf("%s-member-%s", prefix, id), &inspector2.MemberAssociationArgs{
				AccountId: pulumi.String(id),
			}, append(security, pulumi.DependsOn([]pulumi.Resource{admin}))...)
			if err != nil {
				return nil, err
			}
			enableAfter = append(enableAfter, association)
		}
		if _, err := inspector2.NewEnabler(ctx, prefix+"-members", &inspector2.EnablerArgs{
			AccountIds:    pulumi.ToStringArray(members),
			ResourceTypes: pulumi.ToStringArray(types),
		}, append(security, pulumi.DependsOn(enableAfter))...); err != nil {
			return nil, err
		}
	}
	return c, ctx.RegisterResourceOutputs(c, pulumi.Map{})
}

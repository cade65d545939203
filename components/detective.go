package components

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/detective"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Detective's administrator needs trusted access for detective.amazonaws.com.
var _ = needsTrustedAccess("aws:detective/organizationAdminAccount:OrganizationAdminAccount", "detective.amazonaws.com")

// DetectiveOrgType is the type token of DetectiveOrg.
const DetectiveOrgType = "landingzone:audit:DetectiveOrg"

// DetectiveOrgArgs configures Amazon Detective for the organization.
type DetectiveOrgArgs struct {
	RegionalAdministration
	// Members are the existing accounts to enable; auto-enable covers only
	// accounts that join the organization later.
	Members []OrganizationMember
	// GuardDutyEnrolments are, by "<account ID>/<region>", what enrols each
	// member in GuardDuty in that region (GuardDutyOrg.Enrolments), which its
	// membership is created after: Detective keeps an account that is
	// not ACCEPTED_BUT_DISABLED (API reference, MemberDetail: DisabledReason
	// VOLUME_UNKNOWN, "usually because the member account is not enrolled in
	// Amazon GuardDuty"), and the provider's create accepts only INVITED or
	// ENABLED (terraform-provider-aws detective/member.go, waitMemberInvited).
	GuardDutyEnrolments map[string]pulumi.Resource
	// GuardDutyDetectors are the administrator's GuardDuty detectors by
	// region, which each region's behavior graph waits for: Detective
	// ingests GuardDuty's findings and AWS documents that it cannot be
	// enabled in an account without GuardDuty.
	GuardDutyDetectors map[string]pulumi.Resource
}

// DetectiveOrg makes the security account Detective's administrator in
// every governed region, with a behavior graph that auto-enables new
// accounts and enables the existing ones. Detective has no findings of its
// own to alert on: it is where responders investigate GuardDuty and
// Security Hub findings.
type DetectiveOrg struct {
	pulumi.ResourceState
	// GraphArns are the behavior graphs, by region.
	GraphArns pulumi.StringMapOutput
}

// NewDetectiveOrg creates, per region: the behavior graph in the
// administrator, the delegated administrator, the organization
// configuration, then the members.
func NewDetectiveOrg(ctx *pulumi.Context, name string, args *DetectiveOrgArgs, opts ...pulumi.ResourceOption) (_ *DetectiveOrg, err error) {
	if args == nil {
		return nil, errNilArgs("DetectiveOrg")
	}
	defer wrapChildError(&err, "DetectiveOrg", name)
	e := &argErrors{component: "DetectiveOrg"}
	args.check(e)
	for _, r := range args.Security.Regions {
		if args.GuardDutyDetectors[r] == nil {
			e.add("GuardDutyDetectors["+r+"]", "required: the graph waits for GuardDuty")
		}
	}
	checkMembers(e, args.Members)
	for _, m := range args.Members {
		for _, r := range args.Security.Regions {
			if m.AccountID != args.Security.AccountID && args.GuardDutyEnrolments[m.AccountID+"/"+r] == nil {
				e.add("GuardDutyEnrolments["+m.AccountID+"/"+r+"]", "required: the member waits for its GuardDuty enrolment")
			}
		}
	}
	if err := e.err(); err != nil {
		return nil, err
	}
	c := &DetectiveOrg{}
	if err := ctx.RegisterComponentResource(DetectiveOrgType, name, c, opts...); err != nil {
		return nil, err
	}
	graphs := pulumi.StringMap{}
	for _, region := range args.Security.Regions {
		prefix := fmt.Sprintf("%s-%s", name, region)
		security := children(c, args.Security.Providers[region])
		// CreateGraph in the administrator, before it is designated:
		// designating an account without a graph would create one outside
		// the stack, and CreateGraph returns the account's existing graph
		// rather than a second one (API_CreateGraph).
		graph, err := detective.NewGraph(ctx, prefix+"-graph", &detective.GraphArgs{},
			append(security, pulumi.DependsOn([]pulumi.Resource{args.GuardDutyDetectors[region]}))...)
		if err != nil {
			return nil, err
		}
		graphs[region] = graph.GraphArn
		admin, err := detective.NewOrganizationAdminAccount(ctx, prefix+"-delegated-admin", &detective.OrganizationAdminAccountArgs{
			AccountId: pulumi.String(args.Security.AccountID),
		}, append(children(c, args.Management.Providers[region]), pulumi.DependsOn([]pulumi.Resource{graph}))...)
		if err != nil {
			return nil, err
		}
		// Only the organization's Detective administrator may set the
		// organization configuration.
		orgConfig, err := detective.NewOrganizationConfiguration(ctx, prefix+"-organization-configuration", &detective.OrganizationConfigurationArgs{
			AutoEnable: pulumi.Bool(true),
			GraphArn:   graph.GraphArn,
		}, append(security, pulumi.DependsOn([]pulumi.Resource{admin}))...)
		if err != nil {
			return nil, err
		}
		for _, m := range args.Members {
			if m.AccountID == args.Security.AccountID {
				continue // the administrator is the graph's own account
			}
			// The email counts only when the member is created: the provider
			// reads it back from ListMembers and replaces a member whose
			// email differs (terraform-provider-aws detective/member.go,
			// email_address ForceNew), as Macie's does for organization
			// accounts, which it reports without one.
			if _, err := detective.NewMember(ctx, fmt.Sprintf("%s-member-%s", prefix, m.AccountID), &detective.MemberArgs{
				AccountId:                pulumi.String(m.AccountID),
				EmailAddress:             pulumi.String(m.Email),
				GraphArn:                 graph.GraphArn,
				DisableEmailNotification: pulumi.Bool(true),
			}, append(security, pulumi.DependsOn([]pulumi.Resource{orgConfig, args.GuardDutyEnrolments[m.AccountID+"/"+region]}), pulumi.IgnoreChanges([]string{"emailAddress"}))...); err != nil {
				return nil, err
			}
		}
	}
	c.GraphArns = graphs.ToStringMapOutput()
	return c, ctx.RegisterResourceOutputs(c, pulumi.Map{"graphArns": c.GraphArns})
}

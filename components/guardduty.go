package components

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/guardduty"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/example/landing-zone-audit/internal/eventpattern"
	"github.com/example/landing-zone-audit/internal/jsondoc"
)

// GuardDuty's administrator needs trusted access for guardduty.amazonaws.com.
var _ = needsTrustedAccess("aws:guardduty/organizationAdminAccount:OrganizationAdminAccount", "guardduty.amazonaws.com")

// GuardDutyOrgType is the type token of GuardDutyOrg.
const GuardDutyOrgType = "landingzone:audit:GuardDutyOrg"

// GuardDutyProductName is the ASFF ProductName of GuardDuty's findings in
// Security Hub, which GuardDuty sends there as well as to EventBridge.
const GuardDutyProductName = "GuardDuty"

// GuardDutyAccount is one account GuardDuty covers.
type GuardDutyAccount struct {
	AccountRegions
	Alias string
	Email string
	// ExistingDetectors are the account's detectors that already exist, by
	// region: GuardDuty allows one per account and region, so they are
	// imported and then updated to the stack's settings.
	ExistingDetectors map[string]string
}

// GuardDutyOrgArgs configures organization-wide GuardDuty.
type GuardDutyOrgArgs struct {
	Management GuardDutyAccount
	Security   GuardDutyAccount // the administrator
	// Members are the other accounts: invitation mode invites each (a
	// detector in the account, an invitation, an accepter); organization
	// mode, where auto-enable may take up to 24 hours to reach an existing
	// account, has the administrator add each at once (CreateMembers
	// enables GuardDuty in an organization account), which needs only the
	// account's ID and email, no provider.
	Members []GuardDutyAccount
	Regions []string
	Prefix  string
	Options GuardDutyOptions
	// Alerts are the security account's alert routes, per region.
	Alerts map[string]AlertRoute
	// Export is the log-archive account in the home region, where the
	// findings bucket lives when Options.FindingsExport is on.
	Export Account
	// OptInRegions are the governed regions that AWS disables by default,
	// where GuardDuty acts as its regional principal
	// (guardduty.<region>.amazonaws.com).
	OptInRegions []string
}

// GuardDutyOrg turns GuardDuty on across the organization with the security
// account as administrator, and alerts on findings that are severe enough or
// of a listed type (root credential use is Low severity but always alerts).
type GuardDutyOrg struct {
	pulumi.ResourceState

	// DetectorIDs maps "<alias>/<region>" to the detector ID.
	DetectorIDs pulumi.StringMap
	// RuleArns maps region to the finding alert rule's ARN.
	RuleArns pulumi.StringMap
	// Detectors maps "<alias>/<region>" to the detector, for what must
	// wait for GuardDuty in an account and region.
	Detectors map[string]pulumi.Resource
	// Enrolments maps "<account ID>/<region>" to what enrols the account in
	// GuardDuty there: the administrator's detector, the
	// management account's membership (organization mode) or detector
	// (invitation mode), and each member's membership or accepted
	// invitation. Services that need GuardDuty in an account (Detective)
	// are created after it. This orders the calls; it does not wait for the
	// member to read back Enabled (the provider's member create with invite
	// false does not wait either, terraform-provider-aws guardduty/member.go).
	Enrolments map[string]pulumi.Resource
}

// GuardDutyOptions are GuardDuty's organization-wide settings.
type GuardDutyOptions struct {
	Mode                       GuardDutyMode
	FindingPublishingFrequency string
	Features                   GuardDutyPlans
	AlertMinSeverity           float64
	AlertFindingTypes          []string
	FindingsExport             bool
	FindingsExportDays         int
	FindingsEvidenceManagers   []string // see LogBucketArgs
	// Suppressions with finding types become archive filters in the
	// administrator in every region.
	Suppressions []Suppression
	// PagingMinSeverity is the lowest severity that pages, where the alert
	// routes have a paging topic.
	PagingMinSeverity float64
}

// GuardDutyMode is how accounts join the administrator.
type GuardDutyMode string

// GuardDuty modes.
const (
	// GuardDutyOrganization: a delegated administrator auto-enables members.
	GuardDutyOrganization GuardDutyMode = "organization"
	// GuardDutyInvitation: the legacy invite-and-accept membership.
	GuardDutyInvitation GuardDutyMode = "invitation"
)

// GuardDutyPlans switches the protection plans.
type GuardDutyPlans struct {
	S3DataEvents, EKSAuditLogs, EBSMalwareProtection, RDSLoginEvents, LambdaNetworkLogs, RuntimeMonitoring bool
}

// GuardDutyFeature is a protection plan by GuardDuty's feature name.
type GuardDutyFeature struct {
	Name    string
	Enabled bool
}

// GuardDutyFeatures maps the configured protection plans to GuardDuty's feature names.
func GuardDutyFeatures(f GuardDutyPlans) []GuardDutyFeature {
	return []GuardDutyFeature{
		{"S3_DATA_EVENTS", f.S3DataEvents},
		{"EKS_AUDIT_LOGS", f.EKSAuditLogs},
		{"EBS_MALWARE_PROTECTION", f.EBSMalwareProtection},
		{"RDS_LOGIN_EVENTS", f.RDSLoginEvents},
		{"LAMBDA_NETWORK_LOGS", f.LambdaNetworkLogs},
		{"RUNTIME_MONITORING", f.RuntimeMonitoring},
	}
}

// FindingAlertPattern is the EventBridge pattern of the alert rule: a
// GuardDuty finding at or above minSeverity, or of one of the listed types.
func FindingAlertPattern(minSeverity float64, types []string) string {
	return FindingAlertPatternFor(minSeverity, types, "")
}

// FindingAlertPatternFor is FindingAlertPattern for the findings of one
// account (detail.accountId, the account the finding is about); "" is every
// account.
func FindingAlertPatternFor(minSeverity float64, types []string, accountID string) string {
	alternatives := []map[string]any{{"severity": []any{map[string]any{"numeric": []any{">=", minSeverity}}}}}
	if len(types) > 0 {
		alternatives = append(alternatives, map[string]any{"type": types})
	}
	detail := map[string]any{"$or": alternatives}
	if len(alternatives) == 1 {
		detail = alternatives[0]
	}
	if accountID != "" {
		detail["accountId"] = []string{accountID}
	}
	return jsondoc.MustMarshal(map[string]any{
		"source":      []string{"aws.guardduty"},
		"detail-type": []string{"GuardDuty Finding"},
		"detail":      detail,
	})
}

func (a *GuardDutyOrgArgs) validate(pattern string) error {
	e := &argErrors{component: "GuardDutyOrg"}
	e.require("Partition", a.Security.Partition)
	e.require("Prefix", a.Prefix)
	if len(a.Regions) == 0 {
		e.add("Regions", "required")
	}
	accounts := append([]GuardDutyAccount{a.Management, a.Security}, a.Members...)
	for _, acct := range accounts {
		e.require("account ID of "+acct.Alias, acct.AccountID)
		for _, r := range a.Regions {
			if a.Options.Mode == GuardDutyInvitation || acct.Alias == a.Management.Alias || acct.Alias == a.Security.Alias {
				e.requireProvider(fmt.Sprintf("Providers[%s] of %s", r, acct.Alias), acct.Providers[r])
			}
		}
	}
	for _, m := range a.Members {
		e.require("email of "+m.Alias, m.Email) // CreateMembers takes it
	}
	for _, r := range a.Regions {
		if !a.Alerts[r].complete() {
			e.add("Alerts["+r+"]", "required: findings alert the security account's topics in each region")
		}
	}
	if a.Options.FindingsExport {
		a.Export.check(e, "Export.")
	}
	if _, err := eventpattern.Parse([]byte(pattern)); err != nil {
		e.add("alert pattern", "%v", err)
	}
	return e.err()
}

// NewGuardDutyOrg creates, in every governed region, the detectors, the
// administrator and membership (organization or invitation mode) and the
// finding alerts in the administrator account.
func NewGuardDutyOrg(ctx *pulumi.Context, name string, args *GuardDutyOrgArgs, opts ...pulumi.ResourceOption) (_ *GuardDutyOrg, err error) {
	if args == nil {
		return nil, errNilArgs("GuardDutyOrg")
	}
	defer wrapChildError(&err, "GuardDutyOrg", name)
	pattern := FindingAlertPattern(args.Options.AlertMinSeverity, args.Options.AlertFindingTypes)
	if err := args.validate(pattern); err != nil {
		return nil, err
	}
	c := &GuardDutyOrg{DetectorIDs: pulumi.StringMap{}, RuleArns: pulumi.StringMap{}, Detectors: map[string]pulumi.Resource{}, Enrolments: map[string]pulumi.Resource{}}
	if err := ctx.RegisterComponentResource(GuardDutyOrgType, name, c, opts...); err != nil {
		return nil, err
	}
	var export *LogBucket
	if args.Options.FindingsExport {
		var err error
		if export, err = c.findingsBucket(ctx, name, args); err != nil {
			return nil, err
		}
	}
	for _, region := range args.Regions {
		prefix := fmt.Sprintf("%s-%s", name, region)
		var err error
		if args.Options.Mode == GuardDutyInvitation {
			err = c.invitation(ctx, prefix, region, args)
		} else {
			err = c.organization(ctx, prefix, region, args)
		}
		if err != nil {
			return nil, err
		}
		if err := c.alerts(ctx, prefix, region, pattern, args); err != nil {
			return nil, err
		}
		if err := guardDutySuppressions(ctx, prefix, c, args.Security.Providers[region], c.DetectorIDs[args.Security.Alias+"/"+region], args.Options.Suppressions); err != nil {
			return nil, err
		}
		if export != nil {
			if _, err := guardduty.NewPublishingDestination(ctx, prefix+"-findings-export", &guardduty.PublishingDestinationArgs{
				DetectorId:     c.DetectorIDs[args.Security.Alias+"/"+region],
				DestinationArn: export.Arn,
				KmsKeyArn:      export.Key.Arn,
			}, append(children(c, args.Security.Providers[region]), pulumi.DependsOn([]pulumi.Resource{export.Policy}))...); err != nil {
				return nil, err
			}
		}
	}
	return c, ctx.RegisterResourceOutputs(c, pulumi.Map{"detectorIds": c.DetectorIDs, "ruleArns": c.RuleArns})
}

func (c *GuardDutyOrg) detector(ctx *pulumi.Context, prefix, region string, acct GuardDutyAccount, args *GuardDutyOrgArgs, deps ...pulumi.Resource) (*guardduty.Detector, error) {
	opts := children(c, acct.Providers[region], pulumi.DependsOn(deps))
	if id := acct.ExistingDetectors[region]; id != "" {
		opts = append(opts, adopted(id)...)
	}
	d, err := guardduty.NewDetector(ctx, fmt.Sprintf("%s-%s-detector", prefix, acct.Alias), &guardduty.DetectorArgs{
		Enable:                     pulumi.Bool(true),
		FindingPublishingFrequency: pulumi.String(args.Options.FindingPublishingFrequency),
	}, opts...)
	if err != nil {
		return nil, err
	}
	c.DetectorIDs[acct.Alias+"/"+region] = d.ID().ToStringOutput()
	c.Detectors[acct.Alias+"/"+region] = d
	c.Enrolments[acct.AccountID+"/"+region] = d
	return d, nil
}

// organization designates the security account as administrator and
// auto-enables every member with the chosen protection plans. The security
// and management detectors exist first, so auto-enable never creates one
// that would conflict with them.
func (c *GuardDutyOrg) organization(ctx *pulumi.Context, prefix, region string, args *GuardDutyOrgArgs) error {
	adminDetector, err := c.detector(ctx, prefix, region, args.Security, args)
	if err != nil {
		return err
	}
	managementDetector, err := c.detector(ctx, prefix, region, args.Management, args)
	if err != nil {
		return err
	}
	admin, err := guardduty.NewOrganizationAdminAccount(ctx, prefix+"-admin-account", &guardduty.OrganizationAdminAccountArgs{
		AdminAccountId: pulumi.String(args.Security.AccountID),
	}, append(children(c, args.Management.Providers[region]), pulumi.DependsOn([]pulumi.Resource{adminDetector, managementDetector}))...)
	if err != nil {
		return err
	}
	security := children(c, args.Security.Providers[region])
	orgConfig, err := guardduty.NewOrganizationConfiguration(ctx, prefix+"-organization-configuration", &guardduty.OrganizationConfigurationArgs{
		DetectorId:                    adminDetector.ID(),
		AutoEnableOrganizationMembers: pulumi.String("ALL"),
	}, append(security, pulumi.DependsOn([]pulumi.Resource{admin}))...)
	if err != nil {
		return err
	}
	// GuardDuty's organization guide makes the management account an
	// exception: auto-enable does not enrol it, and it "must have GuardDuty
	// enabled" before the administrator adds it as a member. Its detector
	// exists; the administrator adds it, so root activity there reaches the
	// administrator's findings and alerts.
	if err := c.organizationMember(ctx, prefix+"-management-member", region, args.Management, adminDetector, security, false, managementDetector, orgConfig); err != nil {
		return err
	}
	orgFeatures := map[string]pulumi.Resource{}
	for _, f := range GuardDutyFeatures(args.Options.Features) {
		autoEnable := "NONE"
		if f.Enabled {
			autoEnable = "ALL"
		}
		featureArgs := &guardduty.OrganizationConfigurationFeatureArgs{
			DetectorId: adminDetector.ID(),
			Name:       pulumi.String(f.Name),
			AutoEnable: pulumi.String(autoEnable),
		}
		if f.Name == "RUNTIME_MONITORING" {
			var extra guardduty.OrganizationConfigurationFeatureAdditionalConfigurationArray
			for _, agent := range runtimeMonitoringAgents {
				extra = append(extra, &guardduty.OrganizationConfigurationFeatureAdditionalConfigurationArgs{
					Name: pulumi.String(agent), AutoEnable: pulumi.String(autoEnable),
				})
			}
			featureArgs.AdditionalConfigurations = extra
		}
		orgFeature, err := guardduty.NewOrganizationConfigurationFeature(ctx, fmt.Sprintf("%s-feature-%s", prefix, f.Name), featureArgs,
			append(security, pulumi.DependsOn([]pulumi.Resource{orgConfig}))...)
		if err != nil {
			return err
		}
		orgFeatures[f.Name] = orgFeature
	}
	// CreateMembers applies the organization's auto-enable settings to the
	// accounts it adds (API_CreateMembers): the members come after them.
	memberDeps := []pulumi.Resource{orgConfig}
	for _, f := range GuardDutyFeatures(args.Options.Features) {
		memberDeps = append(memberDeps, orgFeatures[f.Name])
	}
	for _, m := range args.Members {
		// Auto-enable ALL owns these memberships once they exist: GuardDuty
		// refuses DeleteMembers for them (API_DeleteMembers), so turning
		// Detective off or destroying the stack leaves them members.
		if err := c.organizationMember(ctx, fmt.Sprintf("%s-%s-member", prefix, m.Alias), region, m, adminDetector, security, true, memberDeps...); err != nil {
			return err
		}
	}
	// The organization configuration sets the members' plans; the
	// administrator's own detector is set on its own (GuardDuty user guide,
	// "Enabling S3 Protection in multiple-account environments" and
	// "Enabling Runtime Monitoring for multiple-account environments": the
	// delegated administrator account is configured apart from its members).
	return c.plans(ctx, prefix, region, args.Security, adminDetector, args, orgFeatures)
}

// plans sets each protection plan, on or off, on one account's detector
// (UpdateDetector). The provider's detector feature updates the detector
// whether it was created or adopted, and forgets the setting when deleted
// (terraform-provider-aws guardduty/detector_feature.go). Each plan waits
// for the resource in after of the same name, if any.
func (c *GuardDutyOrg) plans(ctx *pulumi.Context, prefix, region string, acct GuardDutyAccount, detector *guardduty.Detector, args *GuardDutyOrgArgs, after map[string]pulumi.Resource) error {
	for _, f := range GuardDutyFeatures(args.Options.Features) {
		status := planStatus(f)
		featureArgs := &guardduty.DetectorFeatureArgs{
			DetectorId: detector.ID(),
			Name:       pulumi.String(f.Name),
			Status:     pulumi.String(status),
		}
		if f.Name == "RUNTIME_MONITORING" {
			var extra guardduty.DetectorFeatureAdditionalConfigurationArray
			for _, agent := range runtimeMonitoringAgents {
				extra = append(extra, &guardduty.DetectorFeatureAdditionalConfigurationArgs{Name: pulumi.String(agent), Status: pulumi.String(status)})
			}
			featureArgs.AdditionalConfigurations = extra
		}
		opts := children(c, acct.Providers[region])
		if dep := after[f.Name]; dep != nil {
			opts = append(opts, pulumi.DependsOn([]pulumi.Resource{dep}))
		}
		if _, err := guardduty.NewDetectorFeature(ctx, fmt.Sprintf("%s-%s-feature-%s", prefix, acct.Alias, f.Name), featureArgs, opts...); err != nil {
			return err
		}
	}
	return nil
}

// organizationMember has the administrator add an organization account as
// a member without an invitation: GuardDuty enables the account at once
// (API_CreateMembers, as a delegated administrator), which enrols it.
func (c *GuardDutyOrg) organizationMember(ctx *pulumi.Context, name, region string, acct GuardDutyAccount, adminDetector *guardduty.Detector, security []pulumi.ResourceOption, retain bool, deps ...pulumi.Resource) error {
	m, err := guardduty.NewMember(ctx, name, &guardduty.MemberArgs{
		DetectorId:               adminDetector.ID(),
		AccountId:                pulumi.String(acct.AccountID),
		Email:                    pulumi.String(acct.Email),
		Invite:                   pulumi.Bool(false),
		DisableEmailNotification: pulumi.Bool(true),
		// The provider reads invite back as true once the member is Enabled
		// (terraform-provider-aws guardduty/member.go) and would disassociate
		// the account to "fix" it on the next update: invite is set once.
		// It reads the email back too, and email is ForceNew: a member whose
		// reported email differs would be deleted (disassociated) and added
		// again, so the email counts at creation only.
	}, append(security, pulumi.DependsOn(deps), pulumi.IgnoreChanges([]string{"invite", "email"}), pulumi.RetainOnDelete(retain))...)
	if err != nil {
		return err
	}
	c.Enrolments[acct.AccountID+"/"+region] = m
	return nil
}

// memberPlans sets each protection plan of an invited member from the
// administrator (UpdateMemberDetectors, which takes the administrator's
// detector and the member's account), once the member has accepted.
func (c *GuardDutyOrg) memberPlans(ctx *pulumi.Context, prefix, region string, m GuardDutyAccount, adminDetector *guardduty.Detector, args *GuardDutyOrgArgs, accepter pulumi.Resource) error {
	for _, f := range GuardDutyFeatures(args.Options.Features) {
		status := planStatus(f)
		featureArgs := &guardduty.MemberDetectorFeatureArgs{
			DetectorId: adminDetector.ID(),
			AccountId:  pulumi.String(m.AccountID),
			Name:       pulumi.String(f.Name),
			Status:     pulumi.String(status),
		}
		if f.Name == "RUNTIME_MONITORING" {
			var extra guardduty.MemberDetectorFeatureAdditionalConfigurationArray
			for _, agent := range runtimeMonitoringAgents {
				extra = append(extra, &guardduty.MemberDetectorFeatureAdditionalConfigurationArgs{Name: pulumi.String(agent), Status: pulumi.String(status)})
			}
			featureArgs.AdditionalConfigurations = extra
		}
		if _, err := guardduty.NewMemberDetectorFeature(ctx, fmt.Sprintf("%s-%s-feature-%s", prefix, m.Alias, f.Name), featureArgs,
			append(children(c, args.Security.Providers[region]), pulumi.DependsOn([]pulumi.Resource{accepter}))...); err != nil {
			return err
		}
	}
	return nil
}

func planStatus(f GuardDutyFeature) string {
	if f.Enabled {
		return "ENABLED"
	}
	return "DISABLED"
}

// runtimeMonitoringAgents are the agent managements that go with Runtime
// Monitoring, switched with it.
var runtimeMonitoringAgents = []string{"EKS_ADDON_MANAGEMENT", "ECS_FARGATE_AGENT_MANAGEMENT", "EC2_AGENT_MANAGEMENT"}

// invitation is the legacy mode: a detector in every account, the
// administrator inviting each member, each member accepting. The management
// account keeps a standalone detector: an invitation cannot make the
// organization's management account a member of another account.
func (c *GuardDutyOrg) invitation(ctx *pulumi.Context, prefix, region string, args *GuardDutyOrgArgs) error {
	adminDetector, err := c.detector(ctx, prefix, region, args.Security, args)
	if err != nil {
		return err
	}
	managementDetector, err := c.detector(ctx, prefix, region, args.Management, args)
	if err != nil {
		return err
	}
	// Without an organization configuration, the administrator and the
	// standalone management detector set their own plans, and the
	// administrator sets each member's once it has accepted.
	if err := c.plans(ctx, prefix, region, args.Security, adminDetector, args, nil); err != nil {
		return err
	}
	if err := c.plans(ctx, prefix, region, args.Management, managementDetector, args, nil); err != nil {
		return err
	}
	for _, m := range args.Members {
		memberDetector, err := c.detector(ctx, prefix, region, m, args)
		if err != nil {
			return err
		}
		member, err := guardduty.NewMember(ctx, fmt.Sprintf("%s-%s-member", prefix, m.Alias), &guardduty.MemberArgs{
			DetectorId:               adminDetector.ID(),
			AccountId:                pulumi.String(m.AccountID),
			Email:                    pulumi.String(m.Email),
			Invite:                   pulumi.Bool(true),
			DisableEmailNotification: pulumi.Bool(true),
		}, append(children(c, args.Security.Providers[region]), pulumi.DependsOn([]pulumi.Resource{memberDetector}))...)
		if err != nil {
			return err
		}
		accepter, err := guardduty.NewInviteAccepter(ctx, fmt.Sprintf("%s-%s-accepter", prefix, m.Alias), &guardduty.InviteAccepterArgs{
			DetectorId:      memberDetector.ID(),
			MasterAccountId: pulumi.String(args.Security.AccountID),
		}, append(children(c, m.Providers[region]), pulumi.DependsOn([]pulumi.Resource{member}))...)
		if err != nil {
			return err
		}
		if err := c.memberPlans(ctx, prefix, region, m, adminDetector, args, accepter); err != nil {
			return err
		}
		c.Enrolments[m.AccountID+"/"+region] = accepter
	}
	return nil
}

// alerts sends matching findings of the administrator account's region to
// that region's alert topic.
func (c *GuardDutyOrg) alerts(ctx *pulumi.Context, prefix, region, pattern string, args *GuardDutyOrgArgs) error {
	alert := findingAlert{
		Account:     args.Security.In(region),
		RuleName:    Names{args.Prefix}.GuardDutyRule(),
		Description: fmt.Sprintf("GuardDuty findings of severity %v or more, or of a listed type", args.Options.AlertMinSeverity),
		Pattern:     pattern,
		Route:       args.Alerts[region],
		InputPaths: map[string]string{
			"account":  "$.detail.accountId",
			"region":   "$.region",
			"type":     "$.detail.type",
			"severity": "$.detail.severity",
			"title":    "$.detail.title",
			"id":       "$.detail.id",
		},
		InputTemplate:   `GuardDuty finding <type> (severity <severity>) in account <account>, region <region>: <title>. Finding ID: <id>`,
		ChatTitle:       "type",
		ChatDescription: "title",
		ChatKeywords:    []string{"account", "region", "id"},
	}
	rule, err := newFindingAlert(ctx, prefix+"-findings", c, alert)
	if err != nil {
		return err
	}
	// The same alerts about one account also go to its owners.
	for _, owner := range alert.Route.Owners {
		o := alert
		o.RuleName = Names{args.Prefix}.GuardDutyOwnerRule(owner.Alias)
		o.Description = "GuardDuty findings about account " + owner.AccountID + " (" + owner.Alias + "), for its owners"
		o.Pattern = FindingAlertPatternFor(args.Options.AlertMinSeverity, args.Options.AlertFindingTypes, owner.AccountID)
		o.Route = AlertRoute{TopicArn: owner.TopicArn, FailureTopicArn: alert.Route.FailureTopicArn}
		if _, err := newFindingAlert(ctx, prefix+"-owner-"+owner.Alias, c, o); err != nil {
			return err
		}
	}
	c.RuleArns[region] = rule.Arn
	route := args.Alerts[region]
	if route.PagingTopicArn == nil {
		return nil
	}
	// The paging integration gets the finding event itself, which
	// PagerDuty's and Opsgenie's GuardDuty integrations parse.
	_, err = newFindingAlert(ctx, prefix+"-paging", c, findingAlert{
		Account:     args.Security.In(region),
		RuleName:    Names{args.Prefix}.GuardDutyPagingRule(),
		Description: fmt.Sprintf("GuardDuty findings of severity %v or more page", args.Options.PagingMinSeverity),
		Pattern:     FindingAlertPattern(args.Options.PagingMinSeverity, nil),
		Route:       AlertRoute{TopicArn: route.PagingTopicArn, FailureTopicArn: route.FailureTopicArn},
	})
	return err
}

// findingsBucket is the KMS-encrypted bucket (log archive, home region) that
// GuardDuty exports findings to from the administrator's detectors.
func (c *GuardDutyOrg) findingsBucket(ctx *pulumi.Context, name string, args *GuardDutyOrgArgs) (*LogBucket, error) {
	bucketName := Names{args.Prefix}.GuardDutyFindingsBucket(args.Export.AccountID)
	b := bucketArn(args.Security.Partition, bucketName)
	fromAdmin := Conditions{
		"StringEquals": {"aws:SourceAccount": args.Security.AccountID},
		"ArnLike":      {"aws:SourceArn": arn(args.Security.Partition, "guardduty", "*", args.Security.AccountID, "detector/*")},
	}
	// GuardDuty exporting from a region disabled by default signs as its
	// regional principal (GuardDuty user guide, "Exporting findings": in
	// such a region, replace guardduty.amazonaws.com with the regional
	// service endpoint in the key and bucket policies).
	gd := servicePrincipalsIn("guardduty", args.Regions, args.OptInRegions, args.Security.Partition)
	return NewLogBucket(ctx, name+"-findings", &LogBucketArgs{
		Account:      args.Export,
		BucketName:   bucketName,
		DeletionDays: args.Options.FindingsExportDays,
		// No Object Lock: S3 refuses a PutObject into a bucket with a default
		// retention unless it carries Content-MD5 or an x-amz-checksum header
		// (Amazon S3 API reference, PutObject), and GuardDuty documents no
		// such header for its findings export.
		EvidenceManagers: args.Options.FindingsEvidenceManagers,
		// Security Hub S3.9: server access logging on every bucket that is
		// not itself an access-log target.
		AccessLogBucketName: Names{args.Prefix}.GuardDutyAccessLogBucket(args.Export.AccountID),
		Key: &KeyArgs{
			Description: "Encrypts exported GuardDuty findings",
			Alias:       Names{args.Prefix}.GuardDutyKeyAlias(),
			Statements:  []Statement{allow("GuardDutyEncryptsFindings", gd, []string{"kms:GenerateDataKey"}, []string{"*"}, fromAdmin)},
		},
		Statements: []Statement{
			allow("GuardDutyGetBucketLocation", gd, []string{"s3:GetBucketLocation"}, []string{b}, fromAdmin),
			allow("GuardDutyWriteFindings", gd, []string{"s3:PutObject"}, []string{b + "/*"}, fromAdmin),
		},
	}, pulumi.Parent(c))
}

package components

import (
	_ "embed"
	"fmt"
	"slices"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudformation"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/example/landing-zone-audit/internal/jsondoc"
)

// MemberBaselineType is the type token of MemberBaseline.
const MemberBaselineType = "landingzone:audit:MemberBaseline"

// MemberBaselineArgs configures the member-account StackSet.
type MemberBaselineArgs struct {
	// Account is the management account in the home region: service-managed
	// StackSets are administered from there.
	Account
	StackSetName string
	Regions      []string // governed regions; the home region is deployed first
	Settings     RecorderSettings
	// OrganizationalUnitIDs are the OUs (or the root) whose accounts get the
	// baseline, including accounts that join them later.
	OrganizationalUnitIDs []string
	// ExcludedAccountIDs are deployed directly by this stack (the core accounts).
	ExcludedAccountIDs []string
	// AccountIDs are accounts the StackSet records wherever they sit in the
	// organization (the log archive): deployed to the root (RootID)
	// intersected with them, so no provider per region is needed for them.
	AccountIDs                 []string
	RootID                     pulumi.StringInput
	FailureTolerancePercentage int
	MaxConcurrentPercentage    int
	// BucketReady is what the instances wait for: the central bucket's
	// policy and key (LogBucket.DeliveryReady).
	BucketReady []pulumi.Resource
}

// MemberBaseline fans the per-account AWS Config baseline out to every member
// account through one service-managed CloudFormation StackSet with automatic
// deployment: accounts that join a targeted OU get it from AWS, without a
// `pulumi up`, and the stack needs no provider per member account.
type MemberBaseline struct {
	pulumi.ResourceState

	StackSet *cloudformation.StackSet
	// CoreStackSet records AccountIDs (nil without them).
	CoreStackSet *cloudformation.StackSet
	// Instances are the per-region deployments; organization rules wait for them.
	Instances []pulumi.Resource
}

// ensureConfigRoleCode is the custom resource's function: it creates
// AWSServiceRoleForConfig unless it exists.
//
//go:embed lambda/ensure_config_role.py
var ensureConfigRoleCode string

// MemberBaselineTemplate renders the StackSet's CloudFormation template from
// the same RecorderSettings the directly deployed recorders use: a recorder of
// every supported type (global types in the home region only) using the
// service-linked role, and a delivery channel to the central bucket.
// CloudFormation starts the recorder once its delivery channel exists.
//
// Every region's stack is the same and complete on its own, because an
// account that joins a targeted OU gets its stacks from automatic
// deployment, which ignores the region order, concurrency and parameter
// overrides (CloudFormation API, StackSetOperationPreferences; StackSets
// auto-deployment guide): its regions run in any order, or at once, and an
// account may have the service-linked role already. So no stack creates the
// role as a plain AWS::IAM::ServiceLinkedRole (IAM refuses a second one); in
// each, a custom resource creates it unless it exists, and the recorder
// waits for it (AWS Config refuses a role that does not exist).
func MemberBaselineTemplate(s RecorderSettings, kmsKeyArn string) string {
	slrArn := "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig"
	channel := map[string]any{
		"Name":                             RecorderName,
		"S3BucketName":                     s.BucketName,
		"ConfigSnapshotDeliveryProperties": map[string]any{"DeliveryFrequency": s.SnapshotFrequency},
	}
	if kmsKeyArn != "" {
		channel["S3KmsKeyArn"] = kmsKeyArn
	}
	resources := map[string]any{
		"ConfigRecorder": map[string]any{
			"Type":      "AWS::Config::ConfigurationRecorder",
			"DependsOn": []string{"EnsureConfigServiceLinkedRole"},
			"Properties": map[string]any{
				"Name":           RecorderName,
				"RoleARN":        map[string]any{"Fn::Sub": slrArn},
				"RecordingGroup": templateRecordingGroup(s),
			},
		},
		"ConfigDeliveryChannel": map[string]any{
			"Type":       "AWS::Config::DeliveryChannel",
			"DependsOn":  "ConfigRecorder",
			"Properties": channel,
		},
	}
	ensureConfigRole(resources, slrArn)
	tmpl := map[string]any{
		"AWSTemplateFormatVersion": "2010-09-09",
		"Description":              "landing-zone-audit member-account baseline: AWS Config recorder and delivery channel",
		"Conditions": map[string]any{
			// RecordsGlobalTypes, evaluated by CloudFormation in each region.
			"RecordsGlobalTypes": map[string]any{"Fn::Equals": []any{map[string]any{"Ref": "AWS::Region"}, s.HomeRegion}},
		},
		"Resources": resources,
	}
	remediationTemplate(tmpl["Resources"].(map[string]any), s.Remediation)
	if o, ok := s.override(); ok || (s.Frequency != "" && s.Frequency != "CONTINUOUS") {
		mode := map[string]any{"RecordingFrequency": orContinuous(s.Frequency)}
		if ok {
			mode["RecordingModeOverrides"] = []any{map[string]any{
				"ResourceTypes": o.ResourceTypes, "RecordingFrequency": o.Frequency, "Description": o.Description,
			}}
		}
		tmpl["Resources"].(map[string]any)["ConfigRecorder"].(map[string]any)["Properties"].(map[string]any)["RecordingMode"] = mode
	}
	b, err := jsondoc.MarshalIndent(tmpl, "  ")
	if err != nil {
		panic("marshal template: " + err.Error()) // plain maps and strings only
	}
	return b
}

// ensureConfigRole adds to a region's stack the custom resource
// EnsureConfigServiceLinkedRole, which creates AWSServiceRoleForConfig unless it
// exists and returns once IAM has it, with its function, the function's
// own role (it may create and read that one role and write its logs, as the
// IAM user guide's "Service-linked role permissions" has a principal that
// creates a given service-linked role) and its log group. The role and
// function have names CloudFormation generates per stack, so the regions'
// stacks never collide; the custom resource leaves the role on delete.
func ensureConfigRole(resources map[string]any, slrArn string) {
	allowStatement := func(sid string, actions []string, resource any, condition map[string]any) map[string]any {
		s := map[string]any{"Sid": sid, "Effect": "Allow", "Action": actions, "Resource": resource}
		if condition != nil {
			s["Condition"] = condition
		}
		return s
	}
	slr := map[string]any{"Fn::Sub": slrArn}
	resources["ConfigRoleFunctionLogs"] = map[string]any{
		"Type":       "AWS::Logs::LogGroup",
		"Properties": map[string]any{"RetentionInDays": 365},
	}
	resources["ConfigRoleFunctionRole"] = map[string]any{
		"Type": "AWS::IAM::Role",
		"Properties": map[string]any{
			"AssumeRolePolicyDocument": map[string]any{"Version": "2012-10-17", "Statement": []any{map[string]any{
				"Effect": "Allow", "Principal": map[string]any{"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole",
				"Condition": map[string]any{"StringEquals": map[string]any{"aws:SourceAccount": map[string]any{"Ref": "AWS::AccountId"}}},
			}}},
			"Policies": []any{map[string]any{
				"PolicyName": "ensure-config-service-linked-role",
				"PolicyDocument": map[string]any{"Version": "2012-10-17", "Statement": []any{
					allowStatement("CreateConfigServiceLinkedRole", []string{"iam:CreateServiceLinkedRole"}, slr,
						map[string]any{"StringEquals": map[string]any{"iam:AWSServiceName": "config.amazonaws.com"}}),
					allowStatement("SetUpConfigServiceLinkedRole", []string{"iam:AttachRolePolicy", "iam:PutRolePolicy"}, slr, nil),
					allowStatement("ReadConfigServiceLinkedRole", []string{"iam:GetRole"}, slr, nil),
					allowStatement("WriteOwnLogs", []string{"logs:CreateLogStream", "logs:PutLogEvents"},
						map[string]any{"Fn::GetAtt": []string{"ConfigRoleFunctionLogs", "Arn"}}, nil),
				}},
			}},
		},
	}
	resources["ConfigRoleFunction"] = map[string]any{
		"Type": "AWS::Lambda::Function",
		"Properties": map[string]any{
			"Description":   "Creates AWSServiceRoleForConfig unless it exists (landing-zone-audit member baseline)",
			"Runtime":       "python3.12",
			"Handler":       "index.handler",
			"Timeout":       180,
			"MemorySize":    128,
			"Role":          map[string]any{"Fn::GetAtt": []string{"ConfigRoleFunctionRole", "Arn"}},
			"LoggingConfig": map[string]any{"LogGroup": map[string]any{"Ref": "ConfigRoleFunctionLogs"}},
			// Inline code gets CloudFormation's cfnresponse module.
			"Code": map[string]any{"ZipFile": ensureConfigRoleCode},
		},
	}
	// A logical ID of its own: the template of earlier versions had an
	// AWS::IAM::ServiceLinkedRole (retained on delete) as
	// ConfigServiceLinkedRole, and CloudFormation refuses an update that
	// changes a resource's type.
	resources["EnsureConfigServiceLinkedRole"] = map[string]any{
		"Type": "Custom::ConfigServiceLinkedRole",
		"Properties": map[string]any{
			"ServiceToken":   map[string]any{"Fn::GetAtt": []string{"ConfigRoleFunction", "Arn"}},
			"ServiceTimeout": 300,
		},
	}
}

// templateRecordingGroup is the recorder's RecordingGroup, the same in every
// region but for the global IAM types, which only the home region records.
func templateRecordingGroup(s RecorderSettings) map[string]any {
	if len(s.Excluded) == 0 {
		return map[string]any{
			"AllSupported":               true,
			"IncludeGlobalResourceTypes": map[string]any{"Fn::If": []any{"RecordsGlobalTypes", true, false}},
		}
	}
	return map[string]any{
		"AllSupported":      false,
		"RecordingStrategy": map[string]any{"UseOnly": "EXCLUSION_BY_RESOURCE_TYPES"},
		"ExclusionByResourceTypes": map[string]any{"ResourceTypes": map[string]any{"Fn::If": []any{"RecordsGlobalTypes",
			s.excluded(true), s.excluded(false)}}},
	}
}

func (a *MemberBaselineArgs) validate() error {
	e := &argErrors{component: "MemberBaseline"}
	a.Account.check(e, "")
	e.require("StackSetName", a.StackSetName)
	e.require("Settings.HomeRegion", a.Settings.HomeRegion)
	e.require("Settings.BucketName", a.Settings.BucketName)
	if len(a.OrganizationalUnitIDs) == 0 {
		e.add("OrganizationalUnitIDs", "required: name the OUs or root to deploy to")
	}
	if len(a.AccountIDs) > 0 && a.RootID == nil {
		e.add("RootID", "required with AccountIDs: they are reached through the organization root")
	}
	if !slices.Contains(a.Regions, a.Settings.HomeRegion) {
		e.add("Regions", "must contain the home region %q", a.Settings.HomeRegion)
	}
	return e.err()
}

// regionOrder is the governed regions, home region first, the order of
// the stack's own operations (automatic deployment keeps to none).
func (a *MemberBaselineArgs) regionOrder() []string {
	order := []string{a.Settings.HomeRegion}
	for _, r := range a.Regions {
		if r != a.Settings.HomeRegion {
			order = append(order, r)
		}
	}
	return order
}

// NewMemberBaseline creates the StackSets and their instances in every governed region.
func NewMemberBaseline(ctx *pulumi.Context, name string, args *MemberBaselineArgs, opts ...pulumi.ResourceOption) (_ *MemberBaseline, err error) {
	if args == nil {
		return nil, errNilArgs("MemberBaseline")
	}
	defer wrapChildError(&err, "MemberBaseline", name)
	if err := args.validate(); err != nil {
		return nil, err
	}
	c := &MemberBaseline{}
	if err := ctx.RegisterComponentResource(MemberBaselineType, name, c, opts...); err != nil {
		return nil, err
	}
	body := pulumi.String(MemberBaselineTemplate(args.Settings, "")).ToStringOutput()
	if args.Settings.KMSKeyArn != nil {
		body = args.Settings.KMSKeyArn.ToStringOutput().ApplyT(func(key string) string {
			return MemberBaselineTemplate(args.Settings, key)
		}).(pulumi.StringOutput)
	}
	b := &baselineBuilder{ctx: ctx, c: c, args: args, child: children(c, args.Provider), body: body, previous: args.BucketReady}
	c.StackSet, err = b.stackSet(name, args.StackSetName, "AWS Config recorder and delivery channel in every member account and governed region", true)
	if err != nil {
		return nil, err
	}
	if len(args.AccountIDs) > 0 {
		// Automatic deployment ignores account filters ("Automatic deployments
		// do not consider account level targeting filters", StackSets
		// auto-deployment guide): an instance on the root intersected with
		// these accounts would reach every new account of the organization.
		// They get a StackSet of their own that never auto-deploys.
		c.CoreStackSet, err = b.stackSet(name+"-core", CoreStackSet(args.StackSetName), "AWS Config recorder and delivery channel in the listed core accounts", false)
		if err != nil {
			return nil, err
		}
	}
	if err := b.instances(name); err != nil {
		return nil, err
	}
	return c, ctx.RegisterResourceOutputs(c, pulumi.Map{"stackSetName": c.StackSet.Name, "stackSetId": c.StackSet.StackSetId})
}

// baselineBuilder creates the StackSets and their instances, one instance
// operation after the other.
type baselineBuilder struct {
	ctx      *pulumi.Context
	c        *MemberBaseline
	args     *MemberBaselineArgs
	child    []pulumi.ResourceOption
	body     pulumi.StringOutput
	previous []pulumi.Resource // what the next instance waits for
}

func (b *baselineBuilder) stackSet(logical, stackSetName, description string, autoDeploy bool) (*cloudformation.StackSet, error) {
	args := b.args
	capabilities := []string{"CAPABILITY_IAM"}
	if len(args.Settings.Remediation.Rules) > 0 {
		// The remediation role has a fixed name (AWS Config needs its ARN).
		capabilities = []string{"CAPABILITY_NAMED_IAM"}
	}
	return cloudformation.NewStackSet(b.ctx, logical, &cloudformation.StackSetArgs{
		Name:            pulumi.String(stackSetName),
		Description:     pulumi.String(description),
		PermissionModel: pulumi.String("SERVICE_MANAGED"),
		CallAs:          pulumi.String("SELF"),
		Capabilities:    pulumi.ToStringArray(capabilities),
		AutoDeployment: &cloudformation.StackSetAutoDeploymentArgs{
			Enabled:                      pulumi.Bool(autoDeploy),
			RetainStacksOnAccountRemoval: pulumi.Bool(false),
		},
		// Without managed execution a StackSet runs one operation at a time
		// and refuses the next with OperationInProgressException
		// (API_ManagedExecution); with it, CloudFormation queues conflicting
		// operations, such as an auto-deployment to a new account during an
		// update.
		ManagedExecution: &cloudformation.StackSetManagedExecutionArgs{Active: pulumi.Bool(true)},
		OperationPreferences: &cloudformation.StackSetOperationPreferencesArgs{
			FailureTolerancePercentage: pulumi.Int(args.FailureTolerancePercentage),
			MaxConcurrentPercentage:    pulumi.Int(args.MaxConcurrentPercentage),
			RegionConcurrencyType:      pulumi.String("SEQUENTIAL"),
			RegionOrders:               pulumi.ToStringArray(args.regionOrder()),
		},
		TemplateBody: b.body,
	}, b.child...)
}

// instance creates one StackSet instance after the previous one: the
// provider no longer retries an operation refused while another runs
// (terraform-provider-aws 28675, 36686).
func (b *baselineBuilder) instance(logical, region string, set *cloudformation.StackSet, targets *cloudformation.StackSetInstanceDeploymentTargetsArgs) error {
	inst, err := cloudformation.NewStackSetInstance(b.ctx, logical, &cloudformation.StackSetInstanceArgs{
		StackSetName:      set.Name,
		CallAs:            pulumi.String("SELF"),
		Region:            pulumi.String(region),
		DeploymentTargets: targets,
		OperationPreferences: &cloudformation.StackSetInstanceOperationPreferencesArgs{
			FailureTolerancePercentage: pulumi.Int(b.args.FailureTolerancePercentage),
			MaxConcurrentPercentage:    pulumi.Int(b.args.MaxConcurrentPercentage),
		},
		// Set at creation only: the provider updates an OU-targeted
		// instance with the OU IDs as accounts, which CloudFormation
		// refuses (terraform-provider-aws 39393, 40675).
	}, append(slices.Clone(b.child), pulumi.DependsOn(b.previous), pulumi.IgnoreChanges([]string{"operationPreferences"}))...)
	if err != nil {
		return err
	}
	b.previous = []pulumi.Resource{inst}
	b.c.Instances = append(b.c.Instances, inst)
	return nil
}

// instances deploys, region by region, home first: the OUs' accounts (the
// core accounts excluded: they have recorders) and the listed core accounts.
// The order spares CloudFormation a few custom-resource runs that find the
// role already created; correctness does not depend on it.
func (b *baselineBuilder) instances(name string) error {
	args := b.args
	ous := pulumi.ToStringArray(args.OrganizationalUnitIDs)
	for _, region := range args.regionOrder() {
		targets := &cloudformation.StackSetInstanceDeploymentTargetsArgs{OrganizationalUnitIds: ous}
		if len(args.ExcludedAccountIDs) > 0 {
			targets.AccountFilterType = pulumi.String("DIFFERENCE")
			targets.Accounts = pulumi.ToStringArray(args.ExcludedAccountIDs)
		}
		if err := b.instance(fmt.Sprintf("%s-%s", name, region), region, b.c.StackSet, targets); err != nil {
			return err
		}
		if len(args.AccountIDs) > 0 {
			if err := b.instance(fmt.Sprintf("%s-%s-core", name, region), region, b.c.CoreStackSet, &cloudformation.StackSetInstanceDeploymentTargetsArgs{
				OrganizationalUnitIds: pulumi.StringArray{args.RootID},
				AccountFilterType:     pulumi.String("INTERSECTION"),
				Accounts:              pulumi.ToStringArray(args.AccountIDs),
			}); err != nil {
				return err
			}
		}
	}
	return nil
}

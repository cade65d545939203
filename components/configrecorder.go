package components

import (
	_ "embed"
	"fmt"
	"slices"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cfg"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Type tokens of the AWS Config components.
const (
	ConfigRecorderType   = "landingzone:audit:ConfigRecorder"
	ConfigOrgRulesType   = "landingzone:audit:ConfigOrgRules"
	ConfigAggregatorType = "landingzone:audit:ConfigAggregator"
)

// RecorderName names every recorder and delivery channel: AWS's own default,
// so an existing pair can be adopted with `pulumi import`.
const RecorderName = "default"

// RecorderSettings are the AWS Config settings every account gets, whether
// its recorders are created directly or by the member-account StackSet: one
// definition serves both.
type RecorderSettings struct {
	HomeRegion        string             // the only region that records global types
	BucketName        string             // central delivery bucket
	KMSKeyArn         pulumi.StringInput // nil: the bucket's default encryption
	SnapshotFrequency string
	// Frequency is the default recording frequency (CONTINUOUS or DAILY).
	Frequency string
	Overrides []RecordingOverride
	// Excluded are resource types not recorded in any region.
	Excluded []string
	// Remediation, when it lists rules, gives every recorded account those
	// rules with automatic remediation and the automation role they run as.
	Remediation RemediationSettings
}

// remediationTrust lets SSM Automation, run by AWS Config for this
// account's rules, assume the remediation role.
func remediationTrust(accountID any) PolicyDocument {
	return policy(allow("SSMAutomationAssumesRole", service("ssm.amazonaws.com"), []string{"sts:AssumeRole"}, nil,
		Conditions{"StringEquals": {"aws:SourceAccount": accountID}}))
}

// remediationPolicy is what the runbooks may do: the actions they document
// needing, nothing else.
func remediationPolicy(actions []string) PolicyDocument {
	return policy(allow("RunSafeRemediations", nil, actions, []string{"*"}, nil))
}

// RecordingOverride records some resource types at another frequency.
type RecordingOverride struct {
	ResourceTypes []string
	Frequency     string
	Description   string
}

// GlobalIAMTypes are recorded in the home region only.
var GlobalIAMTypes = []string{"AWS::IAM::Group", "AWS::IAM::Policy", "AWS::IAM::Role", "AWS::IAM::User"}

// RecordsGlobalTypes reports whether the recorder in region records global
// resource types (IAM): only the home region does, so they are recorded once.
func (s RecorderSettings) RecordsGlobalTypes(region string) bool { return region == s.HomeRegion }

// ExcludedIn returns the types the recorder in region excludes; nil means
// it records every supported type. With exclusions, AWS Config records the
// global IAM types in every region unless excluded
// (API_ExclusionByResourceTypes), so the other regions exclude them too.
func (s RecorderSettings) ExcludedIn(region string) []string {
	return s.excluded(s.RecordsGlobalTypes(region))
}

func (s RecorderSettings) excluded(recordsGlobal bool) []string {
	if len(s.Excluded) == 0 {
		return nil
	}
	if recordsGlobal {
		return slices.Clone(s.Excluded)
	}
	out := slices.Concat(s.Excluded, GlobalIAMTypes)
	slices.Sort(out)
	return slices.Compact(out)
}

// recordingGroup is what the recorder in region records.
func (s RecorderSettings) recordingGroup(region string) *cfg.RecorderRecordingGroupArgs {
	excluded := s.ExcludedIn(region)
	if excluded == nil {
		return &cfg.RecorderRecordingGroupArgs{
			AllSupported:               pulumi.Bool(true),
			IncludeGlobalResourceTypes: pulumi.Bool(s.RecordsGlobalTypes(region)),
		}
	}
	return &cfg.RecorderRecordingGroupArgs{
		AllSupported:             pulumi.Bool(false),
		RecordingStrategies:      cfg.RecorderRecordingGroupRecordingStrategyArray{&cfg.RecorderRecordingGroupRecordingStrategyArgs{UseOnly: pulumi.String("EXCLUSION_BY_RESOURCE_TYPES")}},
		ExclusionByResourceTypes: cfg.RecorderRecordingGroupExclusionByResourceTypeArray{&cfg.RecorderRecordingGroupExclusionByResourceTypeArgs{ResourceTypes: pulumi.ToStringArray(excluded)}},
	}
}

// recordingMode is how often the recorders record; nil for the default
// (continuous, no overrides).
func (s RecorderSettings) recordingMode() *cfg.RecorderRecordingModeArgs {
	if (s.Frequency == "" || s.Frequency == "CONTINUOUS") && len(s.Overrides) == 0 {
		return nil
	}
	mode := &cfg.RecorderRecordingModeArgs{RecordingFrequency: pulumi.String(orContinuous(s.Frequency))}
	if o, ok := s.override(); ok {
		mode.RecordingModeOverride = &cfg.RecorderRecordingModeRecordingModeOverrideArgs{
			ResourceTypes:      pulumi.ToStringArray(o.ResourceTypes),
			RecordingFrequency: pulumi.String(o.Frequency),
			Description:        pulumi.String(o.Description),
		}
	}
	return mode
}

// override merges the overrides into the one the AWS provider takes
// (terraform-provider-aws recording_mode_override: at most one block);
// config checks they share a frequency.
func (s RecorderSettings) override() (RecordingOverride, bool) {
	if len(s.Overrides) == 0 {
		return RecordingOverride{}, false
	}
	merged := RecordingOverride{Frequency: s.Overrides[0].Frequency}
	var descriptions []string
	for _, o := range s.Overrides {
		merged.ResourceTypes = append(merged.ResourceTypes, o.ResourceTypes...)
		if o.Description != "" && !slices.Contains(descriptions, o.Description) {
			descriptions = append(descriptions, o.Description)
		}
	}
	slices.Sort(merged.ResourceTypes)
	merged.ResourceTypes = slices.Compact(merged.ResourceTypes)
	merged.Description = strings.Join(descriptions, "; ")
	return merged, true
}

func orContinuous(f string) string {
	if f == "" {
		return "CONTINUOUS"
	}
	return f
}

// ServiceLinkedRoleArn is the ARN of AWSServiceRoleForConfig in an account.
func ServiceLinkedRoleArn(partition, accountID string) string {
	return fmt.Sprintf("arn:%s:iam::%s:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig", partition, accountID)
}

// RecorderRole is the role AWS Config records with.
type RecorderRole string

// Recorder roles.
const (
	// RecorderRoleServiceLinked is AWSServiceRoleForConfig (Security Hub Config.1).
	RecorderRoleServiceLinked RecorderRole = "serviceLinked"
	// RecorderRoleCustom is a role of the stack's with service-role/AWS_ConfigRole.
	RecorderRoleCustom RecorderRole = "custom"
)

// ConfigRecorderArgs configures AWS Config in one account.
type ConfigRecorderArgs struct {
	AccountRegions
	Prefix           string
	RecorderRole     RecorderRole
	CreateLinkedRole bool // false where AWSServiceRoleForConfig already exists
	Settings         RecorderSettings
	// BucketReady is what the delivery channels wait for: the central
	// bucket's policy and key (LogBucket.DeliveryReady).
	BucketReady []pulumi.Resource
	// Existing are the recorders and delivery channels that already exist,
	// by region: they are imported under their own names (a recorder's or
	// channel's name is its ID, and renaming replaces it) and then updated
	// to the stack's settings.
	Existing map[string]ExistingRecorder
}

// ExistingRecorder names a region's existing recorder and, if there is one,
// its delivery channel.
type ExistingRecorder struct {
	Recorder, DeliveryChannel string
}

// adopt returns the resource's name and options: the existing one's, imported, or RecorderName.
func adopt(existing string, opts []pulumi.ResourceOption) (string, []pulumi.ResourceOption) {
	if existing == "" {
		return RecorderName, opts
	}
	return existing, append(opts, adopted(existing)...)
}

// ConfigRecorder records every supported resource type in one account across
// the governed regions and delivers to the central bucket. Each region gets
// exactly one recorder and one delivery channel, both named "default" so an
// existing pair can be adopted with `pulumi import`.
type ConfigRecorder struct {
	pulumi.ResourceState

	// Statuses are the started recorders, one per region: what organization
	// rules and packs must wait for.
	Statuses []pulumi.Resource
}

func (a *ConfigRecorderArgs) validate() error {
	e := &argErrors{component: "ConfigRecorder"}
	for _, v := range [][2]string{{"Settings.HomeRegion", a.Settings.HomeRegion}, {"Settings.BucketName", a.Settings.BucketName}, {"Prefix", a.Prefix}} {
		e.require(v[0], v[1])
	}
	if len(a.Regions) == 0 {
		e.add("Regions", "required")
	}
	a.AccountRegions.check(e, "")
	if _, ok := a.Providers[a.Settings.HomeRegion]; !ok {
		e.add("Settings.HomeRegion", "%q has no provider", a.Settings.HomeRegion)
	}
	e.require("Settings.SnapshotFrequency", a.Settings.SnapshotFrequency)
	return e.err()
}

// NewConfigRecorder creates the recorder role (once per account), then in
// every region the recorder, the delivery channel and, after the channel
// exists, the recorder status that starts recording.
func NewConfigRecorder(ctx *pulumi.Context, name string, args *ConfigRecorderArgs, opts ...pulumi.ResourceOption) (_ *ConfigRecorder, err error) {
	if args == nil {
		return nil, errNilArgs("ConfigRecorder")
	}
	defer wrapChildError(&err, "ConfigRecorder", name)
	if err := args.validate(); err != nil {
		return nil, err
	}
	c := &ConfigRecorder{}
	if err := ctx.RegisterComponentResource(ConfigRecorderType, name, c, opts...); err != nil {
		return nil, err
	}
	settings := args.Settings
	home := children(c, args.Providers[settings.HomeRegion])
	roleArn, roleDeps, err := args.recorderRole(ctx, name, home)
	if err != nil {
		return nil, err
	}
	remediation := settings.Remediation
	remediationRole, err := args.remediationRole(ctx, name, home)
	if err != nil {
		return nil, err
	}
	for _, region := range args.Regions {
		child := children(c, args.Providers[region])
		prefix := fmt.Sprintf("%s-%s", name, region)
		recorderName, recorderOpts := adopt(args.Existing[region].Recorder, append(child, pulumi.DependsOn(roleDeps)))
		recorder, err := cfg.NewRecorder(ctx, prefix+"-recorder", &cfg.RecorderArgs{
			Name:           pulumi.String(recorderName),
			RoleArn:        pulumi.String(roleArn),
			RecordingGroup: settings.recordingGroup(region),
			RecordingMode:  settings.recordingMode(),
		}, recorderOpts...)
		if err != nil {
			return nil, err
		}
		channelName, channelOpts := adopt(args.Existing[region].DeliveryChannel,
			append(child, pulumi.DependsOn(append([]pulumi.Resource{recorder}, args.BucketReady...))))
		channelArgs := &cfg.DeliveryChannelArgs{
			Name:         pulumi.String(channelName),
			S3BucketName: pulumi.String(settings.BucketName),
			SnapshotDeliveryProperties: &cfg.DeliveryChannelSnapshotDeliveryPropertiesArgs{
				DeliveryFrequency: pulumi.String(settings.SnapshotFrequency),
			},
		}
		if settings.KMSKeyArn != nil {
			channelArgs.S3KmsKeyArn = settings.KMSKeyArn
		}
		channel, err := cfg.NewDeliveryChannel(ctx, prefix+"-delivery-channel", channelArgs, channelOpts...)
		if err != nil {
			return nil, err
		}
		statusOpts := append(child, pulumi.DependsOn([]pulumi.Resource{channel}))
		if args.Existing[region].Recorder != "" {
			// Deleting a recorder status stops the recorder
			// (terraform-provider-aws configuration_recorder_status.go
			// calls StopConfigurationRecorder): an adopted recorder keeps
			// recording after destroy, as it did before the stack.
			statusOpts = append(statusOpts, pulumi.RetainOnDelete(true))
		}
		status, err := cfg.NewRecorderStatus(ctx, prefix+"-recorder-status", &cfg.RecorderStatusArgs{
			Name:      recorder.Name,
			IsEnabled: pulumi.Bool(true),
		}, statusOpts...)
		if err != nil {
			return nil, err
		}
		c.Statuses = append(c.Statuses, status)
		if err := remediations(ctx, prefix, region, remediation, settings, RoleArn(args.Partition, args.AccountID, remediation.RoleName),
			child, append([]pulumi.Resource{status}, remediationRole...)); err != nil {
			return nil, err
		}
	}
	return c, ctx.RegisterResourceOutputs(c, pulumi.Map{"roleArn": pulumi.String(roleArn)})
}

// remediationRole creates the role the safe automatic remediations run as
// (once per account), when the packs remediate, and returns what the first
// remediation must wait for.
func (a *ConfigRecorderArgs) remediationRole(ctx *pulumi.Context, name string, home []pulumi.ResourceOption) ([]pulumi.Resource, error) {
	remediation := a.Settings.Remediation
	if len(remediation.Rules) == 0 {
		return nil, nil
	}
	role, err := iam.NewRole(ctx, name+"-remediation-role", &iam.RoleArgs{
		Name:             pulumi.String(remediation.RoleName),
		Description:      pulumi.String(remediationRoleDescription),
		AssumeRolePolicy: pulumi.String(remediationTrust(a.AccountID).JSON()),
	}, home...)
	if err != nil {
		return nil, err
	}
	rolePolicy, err := iam.NewRolePolicy(ctx, name+"-remediation-role-policy", &iam.RolePolicyArgs{
		Role: role.Name, Name: pulumi.String("run-safe-remediations"),
		Policy: pulumi.String(remediationPolicy(RemediationActions(remediation.Rules)).JSON()),
	}, home...)
	if err != nil {
		return nil, err
	}
	// The first automatic run needs the role able to act.
	return []pulumi.Resource{role, rolePolicy}, nil
}

// recorderRole returns the role the recorders use and what creates it.
func (a *ConfigRecorderArgs) recorderRole(ctx *pulumi.Context, name string, opts []pulumi.ResourceOption) (string, []pulumi.Resource, error) {
	if a.RecorderRole == RecorderRoleServiceLinked {
		roleArn := ServiceLinkedRoleArn(a.Partition, a.AccountID)
		if !a.CreateLinkedRole {
			return roleArn, nil, nil
		}
		slr, err := iam.NewServiceLinkedRole(ctx, name+"-service-linked-role", &iam.ServiceLinkedRoleArgs{
			AwsServiceName: pulumi.String("config.amazonaws.com"),
		}, append(opts, pulumi.RetainOnDelete(true))...)
		return roleArn, []pulumi.Resource{slr}, err
	}
	roleName := Names{a.Prefix}.CustomRecorderRole()
	trust := policy(allow("ConfigAssumesRole", service("config.amazonaws.com"), []string{"sts:AssumeRole"}, nil,
		Conditions{"StringEquals": {"aws:SourceAccount": a.AccountID}}))
	role, err := iam.NewRole(ctx, name+"-recorder-role", &iam.RoleArgs{
		Name:             pulumi.String(roleName),
		AssumeRolePolicy: pulumi.String(trust.JSON()),
	}, opts...)
	if err != nil {
		return "", nil, err
	}
	attach, err := iam.NewRolePolicyAttachment(ctx, name+"-recorder-role-config", &iam.RolePolicyAttachmentArgs{
		Role:      role.Name,
		PolicyArn: pulumi.String(fmt.Sprintf("arn:%s:iam::aws:policy/service-role/AWS_ConfigRole", a.Partition)),
	}, opts...)
	if err != nil {
		return "", nil, err
	}
	b := bucketArn(a.Partition, a.Settings.BucketName)
	delivery := []Statement{
		allow("CheckBucket", nil, []string{"s3:GetBucketAcl", "s3:ListBucket"}, []string{b}, nil),
		allow("WriteSnapshots", nil, []string{"s3:PutObject"}, []string{fmt.Sprintf("%s/AWSLogs/%s/Config/*", b, a.AccountID)},
			Conditions{"StringEquals": {"s3:x-amz-acl": "bucket-owner-full-control"}}),
	}
	deliveryPolicy := pulumi.String(policy(delivery...).JSON()).ToStringOutput()
	if a.Settings.KMSKeyArn != nil {
		// The key is in another account: the role needs the grant too.
		deliveryPolicy = a.Settings.KMSKeyArn.ToStringOutput().ApplyT(func(key string) string {
			return policy(append(delivery, allow("EncryptSnapshots", nil,
				[]string{"kms:GenerateDataKey", "kms:Decrypt"}, []string{key}, nil))...).JSON()
		}).(pulumi.StringOutput)
	}
	inline, err := iam.NewRolePolicy(ctx, name+"-recorder-role-delivery", &iam.RolePolicyArgs{
		Role:   role.Name,
		Name:   pulumi.String("deliver-to-central-bucket"),
		Policy: deliveryPolicy,
	}, opts...)
	return RoleArn(a.Partition, a.AccountID, roleName), []pulumi.Resource{role, attach, inline}, err
}

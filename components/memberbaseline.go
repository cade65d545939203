package components

import (
	"encoding/json"
	"fmt"
	"slices"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudformation"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// MemberBaselineType is the type token of MemberBaseline.
const MemberBaselineType = "landingzone:audit:MemberBaseline"

// MemberBaselineArgs configures the member-account StackSet.
type MemberBaselineArgs struct {
	// Provider is the management account in the home region: service-managed
	// StackSets are administered from there.
	Provider     pulumi.ProviderResource
	StackSetName string
	Regions      []string // governed regions; the home region is deployed first
	Settings     RecorderSettings
	// OrganizationalUnitIDs are the OUs (or the root) whose accounts get the
	// baseline, including accounts that join them later.
	OrganizationalUnitIDs []string
	// ExcludedAccountIDs are deployed directly by this stack (the core accounts).
	ExcludedAccountIDs         []string
	FailureTolerancePercentage int
	MaxConcurrentPercentage    int
	// CreateServiceLinkedRole is false where member accounts already have
	// AWSServiceRoleForConfig.
	CreateServiceLinkedRole bool
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
	// Instances are the per-region deployments; organization rules wait for them.
	Instances []pulumi.Resource
}

// MemberBaselineTemplate renders the StackSet's CloudFormation template from
// the same RecorderSettings the directly deployed recorders use: a recorder of
// every supported type (global types in the home region only) using the
// service-linked role, and a delivery channel to the central bucket.
// CloudFormation starts the recorder once its delivery channel exists.
func MemberBaselineTemplate(s RecorderSettings, kmsKeyArn string) string {
	slrPath := "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/aws-service-role/config.amazonaws.com/"
	channel := map[string]any{
		"Name":                             RecorderName,
		"S3BucketName":                     s.BucketName,
		"ConfigSnapshotDeliveryProperties": map[string]any{"DeliveryFrequency": s.SnapshotFrequency},
	}
	if kmsKeyArn != "" {
		channel["S3KmsKeyArn"] = kmsKeyArn
	}
	tmpl := map[string]any{
		"AWSTemplateFormatVersion": "2010-09-09",
		"Description":              "landing-zone-audit member-account baseline: AWS Config recorder and delivery channel",
		"Parameters": map[string]any{
			"CreateServiceLinkedRole": map[string]any{
				"Type":          "String",
				"AllowedValues": []string{"true", "false"},
				"Default":       "true",
				"Description":   "false where member accounts already have AWSServiceRoleForConfig (IAM refuses to create it twice)",
			},
		},
		"Conditions": map[string]any{
			// RecordsGlobalTypes, evaluated by CloudFormation in each region.
			"RecordsGlobalTypes": map[string]any{"Fn::Equals": []any{map[string]any{"Ref": "AWS::Region"}, s.HomeRegion}},
			"CreatesRole": map[string]any{"Fn::And": []any{
				map[string]any{"Condition": "RecordsGlobalTypes"},
				map[string]any{"Fn::Equals": []any{map[string]any{"Ref": "CreateServiceLinkedRole"}, "true"}},
			}},
		},
		"Resources": map[string]any{
			// The role is global: created once, by the home region's stack.
			"ConfigServiceLinkedRole": map[string]any{
				"Type":           "AWS::IAM::ServiceLinkedRole",
				"Condition":      "CreatesRole",
				"DeletionPolicy": "Retain",
				"Properties":     map[string]any{"AWSServiceName": "config.amazonaws.com"},
			},
			"ConfigRecorder": map[string]any{
				"Type": "AWS::Config::ConfigurationRecorder",
				"Properties": map[string]any{
					"Name": RecorderName,
					"RoleARN": map[string]any{"Fn::If": []any{"CreatesRole",
						// Ref gives the role's name; naming the resource makes
						// the recorder wait for it.
						map[string]any{"Fn::Sub": slrPath + "${ConfigServiceLinkedRole}"},
						map[string]any{"Fn::Sub": slrPath + "AWSServiceRoleForConfig"}}},
					"RecordingGroup": map[string]any{
						"AllSupported":               true,
						"IncludeGlobalResourceTypes": map[string]any{"Fn::If": []any{"RecordsGlobalTypes", true, false}},
					},
				},
			},
			"ConfigDeliveryChannel": map[string]any{
				"Type":       "AWS::Config::DeliveryChannel",
				"DependsOn":  "ConfigRecorder",
				"Properties": channel,
			},
		},
	}
	b, _ := json.MarshalIndent(tmpl, "", "  ") // plain maps and strings always marshal
	return string(b)
}

// NewMemberBaseline creates the StackSet and one instance per governed region.
func NewMemberBaseline(ctx *pulumi.Context, name string, args *MemberBaselineArgs, opts ...pulumi.ResourceOption) (*MemberBaseline, error) {
	e := &argErrors{component: "MemberBaseline"}
	e.requireProvider("Provider", args.Provider)
	e.require("StackSetName", args.StackSetName)
	e.require("Settings.HomeRegion", args.Settings.HomeRegion)
	e.require("Settings.BucketName", args.Settings.BucketName)
	if len(args.OrganizationalUnitIDs) == 0 {
		e.add("OrganizationalUnitIDs", "required: name the OUs or root to deploy to")
	}
	if !slices.Contains(args.Regions, args.Settings.HomeRegion) {
		e.add("Regions", "must contain the home region %q", args.Settings.HomeRegion)
	}
	if err := e.err(); err != nil {
		return nil, err
	}
	c := &MemberBaseline{}
	if err := ctx.RegisterComponentResource(MemberBaselineType, name, c, opts...); err != nil {
		return nil, err
	}
	child := children(c, args.Provider)
	body := pulumi.String(MemberBaselineTemplate(args.Settings, "")).ToStringOutput()
	if args.Settings.KMSKeyArn != nil {
		body = args.Settings.KMSKeyArn.ToStringOutput().ApplyT(func(key string) string {
			return MemberBaselineTemplate(args.Settings, key)
		}).(pulumi.StringOutput)
	}
	// The home region goes first: its stack creates the service-linked role
	// the other regions' recorders use.
	order := []string{args.Settings.HomeRegion}
	for _, r := range args.Regions {
		if r != args.Settings.HomeRegion {
			order = append(order, r)
		}
	}
	var err error
	c.StackSet, err = cloudformation.NewStackSet(ctx, name, &cloudformation.StackSetArgs{
		Name:            pulumi.String(args.StackSetName),
		Description:     pulumi.String("AWS Config recorder and delivery channel in every member account and governed region"),
		PermissionModel: pulumi.String("SERVICE_MANAGED"),
		CallAs:          pulumi.String("SELF"),
		Capabilities:    pulumi.ToStringArray([]string{"CAPABILITY_IAM"}),
		AutoDeployment: &cloudformation.StackSetAutoDeploymentArgs{
			Enabled:                      pulumi.Bool(true),
			RetainStacksOnAccountRemoval: pulumi.Bool(false),
		},
		OperationPreferences: &cloudformation.StackSetOperationPreferencesArgs{
			FailureTolerancePercentage: pulumi.Int(args.FailureTolerancePercentage),
			MaxConcurrentPercentage:    pulumi.Int(args.MaxConcurrentPercentage),
			RegionConcurrencyType:      pulumi.String("SEQUENTIAL"),
			RegionOrders:               pulumi.ToStringArray(order),
		},
		TemplateBody: body,
		Parameters:   pulumi.StringMap{"CreateServiceLinkedRole": pulumi.String(fmt.Sprint(args.CreateServiceLinkedRole))},
	}, child...)
	if err != nil {
		return nil, err
	}
	var home pulumi.Resource
	for _, region := range order {
		targets := &cloudformation.StackSetInstanceDeploymentTargetsArgs{
			OrganizationalUnitIds: pulumi.ToStringArray(args.OrganizationalUnitIDs),
		}
		if len(args.ExcludedAccountIDs) > 0 {
			// The core accounts already have a recorder: a second one would fail.
			targets.AccountFilterType = pulumi.String("DIFFERENCE")
			targets.Accounts = pulumi.ToStringArray(args.ExcludedAccountIDs)
		}
		after := args.BucketReady
		if home != nil {
			after = append(append([]pulumi.Resource{}, after...), home)
		}
		instanceOpts := append(append([]pulumi.ResourceOption{}, child...), pulumi.DependsOn(after))
		inst, err := cloudformation.NewStackSetInstance(ctx, fmt.Sprintf("%s-%s", name, region), &cloudformation.StackSetInstanceArgs{
			StackSetName:      c.StackSet.Name,
			CallAs:            pulumi.String("SELF"),
			Region:            pulumi.String(region),
			DeploymentTargets: targets,
			OperationPreferences: &cloudformation.StackSetInstanceOperationPreferencesArgs{
				FailureTolerancePercentage: pulumi.Int(args.FailureTolerancePercentage),
				MaxConcurrentPercentage:    pulumi.Int(args.MaxConcurrentPercentage),
			},
		}, instanceOpts...)
		if err != nil {
			return nil, err
		}
		if home == nil {
			home = inst
		}
		c.Instances = append(c.Instances, inst)
	}
	return c, ctx.RegisterResourceOutputs(c, pulumi.Map{"stackSetName": c.StackSet.Name, "stackSetId": c.StackSet.StackSetId})
}

package components

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"sort"
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

// ConfigSources names the accounts AWS Config delivers for: the listed
// accounts, or, when AccountIDs is empty, every account of the organization
// (StackSet mode, where member accounts are not listed in the stack).
type ConfigSources struct {
	OrganizationID string
	AccountIDs     []string
}

// writers is the condition on who may write (and encrypt) snapshots.
func (s ConfigSources) writers() Conditions {
	if len(s.AccountIDs) == 0 {
		return Conditions{"StringEquals": {"aws:SourceOrgID": s.OrganizationID}}
	}
	return Conditions{"StringEquals": {"aws:SourceAccount": s.AccountIDs}}
}

// ConfigBucketStatements let AWS Config check and list the central bucket for
// the organization's accounts, and write each listed account's snapshots under
// that account's own prefix only (for a whole organization: under
// AWSLogs/*/Config/). The account list appears once, so the policy stays
// within S3's 20 KB limit for about a thousand accounts. roleArns, when set,
// are custom recorder roles that deliver instead of the service principal.
func ConfigBucketStatements(partition, bucket string, sources ConfigSources, roleArns []string) []Statement {
	b := bucketArn(partition, bucket)
	fromOrg := Conditions{"StringEquals": {"aws:SourceOrgID": sources.OrganizationID}}
	statements := []Statement{
		allow("ConfigAclCheck", service("config.amazonaws.com"), []string{"s3:GetBucketAcl"}, []string{b}, fromOrg),
		allow("ConfigListBucket", service("config.amazonaws.com"), []string{"s3:ListBucket"}, []string{b}, fromOrg),
	}
	// ${aws:SourceAccount} resolves to the delivering account: each account
	// writes only under its own prefix, whether the accounts are listed or
	// admitted by organization (StackSet mode).
	write := allow("ConfigWrite", service("config.amazonaws.com"), []string{"s3:PutObject"},
		[]string{b + "/AWSLogs/${aws:SourceAccount}/Config/*"}, sources.writers())
	write.Condition["StringEquals"]["s3:x-amz-acl"] = "bucket-owner-full-control"
	statements = append(statements, write)
	if len(roleArns) > 0 {
		roles := rolePrincipals(roleArns, sources.OrganizationID)
		writeRoles := rolePrincipals(roleArns, sources.OrganizationID)
		writeRoles["StringEquals"]["s3:x-amz-acl"] = "bucket-owner-full-control"
		statements = append(statements,
			allow("RecorderRolesCheckBucket", "*", []string{"s3:GetBucketAcl", "s3:ListBucket"}, []string{b}, roles),
			allow("RecorderRolesWrite", "*", []string{"s3:PutObject"}, []string{b + "/AWSLogs/${aws:PrincipalAccount}/Config/*"}, writeRoles))
	}
	return statements
}

// ConfigKeyStatements let AWS Config (or the custom recorder roles) encrypt
// snapshots for the organization's accounts.
func ConfigKeyStatements(sources ConfigSources, roleArns []string) []Statement {
	statements := []Statement{allow("ConfigEncryptsSnapshots", service("config.amazonaws.com"),
		[]string{"kms:GenerateDataKey", "kms:Decrypt"}, []string{"*"}, sources.writers())}
	if len(roleArns) > 0 {
		statements = append(statements, allow("RecorderRolesEncrypt", "*",
			[]string{"kms:GenerateDataKey", "kms:Decrypt"}, []string{"*"}, rolePrincipals(roleArns, sources.OrganizationID)))
	}
	return statements
}

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
	// Providers holds the account's provider in each governed region.
	Providers        map[string]pulumi.ProviderResource
	Regions          []string // governed regions, in order
	Partition        string
	AccountID        string
	ResourcePrefix   string
	RecorderRole     RecorderRole
	CreateLinkedRole bool // false where AWSServiceRoleForConfig already exists
	Settings         RecorderSettings
	// BucketReady is what the delivery channels wait for: the central
	// bucket's policy and key (LogBucket.DeliveryReady).
	BucketReady []pulumi.Resource
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
	for _, v := range [][2]string{{"Settings.HomeRegion", a.Settings.HomeRegion}, {"Partition", a.Partition}, {"AccountID", a.AccountID}, {"Settings.BucketName", a.Settings.BucketName}, {"ResourcePrefix", a.ResourcePrefix}} {
		e.require(v[0], v[1])
	}
	if len(a.Regions) == 0 {
		e.add("Regions", "required")
	}
	for _, r := range a.Regions {
		e.requireProvider("Providers["+r+"]", a.Providers[r])
	}
	if _, ok := a.Providers[a.Settings.HomeRegion]; !ok {
		e.add("Settings.HomeRegion", "%q has no provider", a.Settings.HomeRegion)
	}
	if a.RecorderRole != RecorderRoleServiceLinked && a.RecorderRole != RecorderRoleCustom {
		e.add("RecorderRole", "%q is not %s or %s", a.RecorderRole, RecorderRoleServiceLinked, RecorderRoleCustom)
	}
	e.require("Settings.SnapshotFrequency", a.Settings.SnapshotFrequency)
	return e.err()
}

// NewConfigRecorder creates the recorder role (once per account), then in
// every region the recorder, the delivery channel and, after the channel
// exists, the recorder status that starts recording.
func NewConfigRecorder(ctx *pulumi.Context, name string, args *ConfigRecorderArgs, opts ...pulumi.ResourceOption) (*ConfigRecorder, error) {
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
	for _, region := range args.Regions {
		child := children(c, args.Providers[region])
		prefix := fmt.Sprintf("%s-%s", name, region)
		recorder, err := cfg.NewRecorder(ctx, prefix+"-recorder", &cfg.RecorderArgs{
			Name:           pulumi.String(RecorderName),
			RoleArn:        pulumi.String(roleArn),
			RecordingGroup: settings.recordingGroup(region),
			RecordingMode:  settings.recordingMode(),
		}, append(child, pulumi.DependsOn(roleDeps))...)
		if err != nil {
			return nil, err
		}
		channelArgs := &cfg.DeliveryChannelArgs{
			Name:         pulumi.String(RecorderName),
			S3BucketName: pulumi.String(settings.BucketName),
			SnapshotDeliveryProperties: &cfg.DeliveryChannelSnapshotDeliveryPropertiesArgs{
				DeliveryFrequency: pulumi.String(settings.SnapshotFrequency),
			},
		}
		if settings.KMSKeyArn != nil {
			channelArgs.S3KmsKeyArn = settings.KMSKeyArn
		}
		channel, err := cfg.NewDeliveryChannel(ctx, prefix+"-delivery-channel", channelArgs,
			append(child, pulumi.DependsOn(append([]pulumi.Resource{recorder}, args.BucketReady...)))...)
		if err != nil {
			return nil, err
		}
		status, err := cfg.NewRecorderStatus(ctx, prefix+"-recorder-status", &cfg.RecorderStatusArgs{
			Name:      recorder.Name,
			IsEnabled: pulumi.Bool(true),
		}, append(child, pulumi.DependsOn([]pulumi.Resource{channel}))...)
		if err != nil {
			return nil, err
		}
		c.Statuses = append(c.Statuses, status)
	}
	return c, ctx.RegisterResourceOutputs(c, pulumi.Map{"roleArn": pulumi.String(roleArn)})
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
	roleName := Names{a.ResourcePrefix}.CustomRecorderRole()
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
	// Providers holds the management account's provider per governed region.
	Providers  map[string]pulumi.ProviderResource
	Regions    []string
	HomeRegion string
	Partition  string
	AccountID  string // management
	Prefix     string
	Rules      []ManagedRule
	Packs      []ConformancePack
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
func NewConfigOrgRules(ctx *pulumi.Context, name string, args *ConfigOrgRulesArgs, opts ...pulumi.ResourceOption) (*ConfigOrgRules, error) {
	e := &argErrors{component: "ConfigOrgRules"}
	for _, r := range args.Regions {
		e.requireProvider("Providers["+r+"]", args.Providers[r])
	}
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
				params, _ := json.Marshal(r.Parameters) // map[string]string always marshals
				ruleArgs.InputParameters = pulumi.String(string(params))
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

// ConfigAggregatorArgs configures the organization aggregator.
type ConfigAggregatorArgs struct {
	ManagementProvider pulumi.ProviderResource // registers the delegated administrator
	SecurityProvider   pulumi.ProviderResource // security account, home region
	Partition          string
	SecurityAccountID  string
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
func NewConfigAggregator(ctx *pulumi.Context, name string, args *ConfigAggregatorArgs, opts ...pulumi.ResourceOption) (*ConfigAggregator, error) {
	e := &argErrors{component: "ConfigAggregator"}
	e.requireProvider("ManagementProvider", args.ManagementProvider)
	e.requireProvider("SecurityProvider", args.SecurityProvider)
	e.require("SecurityAccountID", args.SecurityAccountID)
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
		d, err := newDelegatedAdministrator(ctx, fmt.Sprintf("%s-%s", name, svc), svc, args.SecurityAccountID,
			args.ManagementProvider, pulumi.Parent(c))
		if err != nil {
			return nil, err
		}
		deps = append(deps, d)
	}
	security := children(c, args.SecurityProvider)
	trust := policy(allow("ConfigAssumesRole", service("config.amazonaws.com"), []string{"sts:AssumeRole"}, nil,
		Conditions{"StringEquals": {"aws:SourceAccount": args.SecurityAccountID}}))
	role, err := iam.NewRole(ctx, name+"-role", &iam.RoleArgs{
		Name:             pulumi.String(Names{args.Prefix}.ConfigAggregatorRole()),
		AssumeRolePolicy: pulumi.String(trust.JSON()),
	}, security...)
	if err != nil {
		return nil, err
	}
	attach, err := iam.NewRolePolicyAttachment(ctx, name+"-role-organizations", &iam.RolePolicyAttachmentArgs{
		Role:      role.Name,
		PolicyArn: pulumi.String(fmt.Sprintf("arn:%s:iam::aws:policy/service-role/AWSConfigRoleForOrganizations", args.Partition)),
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

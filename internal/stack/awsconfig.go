package stack

import (
	"slices"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/example/landing-zone-audit/components"
	"github.com/example/landing-zone-audit/config"
	"github.com/example/landing-zone-audit/internal/providers"
)

// ConfigBucket creates the central Config bucket and its key in logArchive.
func ConfigBucket(ctx *pulumi.Context, cfg *config.Config, p *providers.Set) (*components.LogBucket, error) {
	ac := cfg.AWSConfig
	var roleArns []string
	if ac.RecorderRole == components.RecorderRoleCustom {
		for _, alias := range cfg.DirectAliases() {
			roleArns = append(roleArns, components.RoleArn(cfg.Partition(), cfg.AccountID(alias), cfg.Names().CustomRecorderRole()))
		}
	}
	// Listing every account keeps each to its own prefix; a StackSet-fed
	// organization is not listed, so its accounts are matched by organization.
	sources := components.ConfigSources{OrganizationID: cfg.OrganizationID, AccountIDs: cfg.AccountIDsOf(cfg.RecorderAliases())}
	if cfg.MemberBaseline == config.BaselineStackSet {
		sources.AccountIDs = nil
	}
	keyAlias := ""
	if ac.KMSEncryption {
		keyAlias = cfg.Names().ConfigKeyAlias()
	}
	return components.NewConfigBucket(ctx, "config-bucket", &components.ConfigBucketArgs{
		Account:             p.Account(config.LogArchive, cfg.HomeRegion),
		BucketName:          cfg.ConfigBucketName(),
		AccessLogBucketName: cfg.ConfigAccessLogBucketName(),
		KeyAlias:            keyAlias,
		DeletionDays:        ac.LogDeletionDays,
		Sources:             sources,
		RecorderRoleArns:    roleArns,
		EvidenceManagers:    cfg.EvidenceManagers(config.LogArchive),
	})
}

// recorderSettings are what every recorder records and where it delivers.
func recorderSettings(cfg *config.Config, bucket *components.LogBucket) components.RecorderSettings {
	var keyArn pulumi.StringInput
	if bucket.Key != nil {
		keyArn = bucket.Key.Arn
	}
	recording := cfg.EffectiveRecording()
	settings := components.RecorderSettings{
		HomeRegion:        cfg.HomeRegion,
		BucketName:        cfg.ConfigBucketName(),
		KMSKeyArn:         keyArn,
		SnapshotFrequency: cfg.AWSConfig.SnapshotFrequency,
		Frequency:         recording.Frequency,
		Excluded:          recording.ExcludedResourceTypes,
	}
	settings.Remediation = cfg.RemediationSettings()
	for _, o := range recording.Overrides {
		settings.Overrides = append(settings.Overrides, components.RecordingOverride{ResourceTypes: o.ResourceTypes, Frequency: o.Frequency, Description: o.Description})
	}
	return settings
}

// ConfigRecorders creates the recorders the stack deploys directly and
// returns what organization rules must wait for.
func ConfigRecorders(ctx *pulumi.Context, cfg *config.Config, p *providers.Set, bucket *components.LogBucket) ([]pulumi.Resource, error) {
	ac := cfg.AWSConfig
	settings := recorderSettings(cfg, bucket)
	var statuses []pulumi.Resource
	for _, alias := range cfg.RecorderAliases() {
		rec, err := components.NewConfigRecorder(ctx, "config-"+alias, &components.ConfigRecorderArgs{
			AccountRegions:   p.AccountRegions(alias, cfg.GovernedRegions),
			Prefix:           cfg.ResourcePrefix,
			RecorderRole:     ac.RecorderRole,
			CreateLinkedRole: !slices.Contains(ac.ExistingServiceLinkedRoles, alias),
			Settings:         settings,
			BucketReady:      bucket.DeliveryReady(),
			Existing:         cfg.ExistingRecorders(alias),
		})
		if err != nil {
			return nil, err
		}
		statuses = append(statuses, rec.Statuses...)
	}
	return statuses, nil
}

// MemberBaseline deploys the recorders of the organization's member
// accounts through a service-managed StackSet.
func MemberBaseline(ctx *pulumi.Context, cfg *config.Config, p *providers.Set, org Organization, bucket *components.LogBucket) (*components.MemberBaseline, error) {
	return components.NewMemberBaseline(ctx, "member-baseline", &components.MemberBaselineArgs{
		Account:                    p.Account(config.Management, cfg.HomeRegion),
		StackSetName:               cfg.Names().MemberBaselineStackSet(),
		Regions:                    cfg.GovernedRegions,
		Settings:                   recorderSettings(cfg, bucket),
		OrganizationalUnitIDs:      cfg.StackSet.OrganizationalUnitIDs,
		ExcludedAccountIDs:         cfg.AccountIDsOf(config.CoreAliases),
		AccountIDs:                 cfg.StackSetRecordedCoreAccounts(),
		RootID:                     org.RootID,
		FailureTolerancePercentage: cfg.StackSet.FailureTolerancePercentage,
		MaxConcurrentPercentage:    cfg.StackSet.MaxConcurrentPercentage,
		BucketReady:                bucket.DeliveryReady(),
	})
}

// ConfigOrgRules creates the organization rules and the conformance packs
// after every recorder.
func ConfigOrgRules(ctx *pulumi.Context, cfg *config.Config, p *providers.Set, org Organization, recorders []pulumi.Resource) (*components.ConfigOrgRules, error) {
	ac := cfg.AWSConfig
	rules := []components.ManagedRule{components.RestrictedSSH}
	for _, r := range ac.Rules {
		rules = append(rules, components.ManagedRule{
			Name: config.ManagedRuleName(r), Identifier: r.Identifier, Parameters: r.Parameters,
			ExcludedAccountIDs: cfg.AccountIDsOf(r.ExcludedAccounts),
		})
	}
	var packs []components.ConformancePack
	for _, pk := range cfg.Packs() {
		packs = append(packs, components.ConformancePack{
			Logical: pk.Logical, Name: pk.Spec.Name, Template: pk.Body,
			DeliveryBucket:     pk.Spec.DeliveryBucket,
			ExcludedAccountIDs: cfg.AccountIDsOf(pk.Spec.ExcludedAccounts),
			Parameters:         pk.Spec.Parameters,
		})
	}
	return components.NewConfigOrgRules(ctx, "config-org", &components.ConfigOrgRulesArgs{
		AccountRegions: p.AccountRegions(config.Management, cfg.GovernedRegions),
		HomeRegion:     cfg.HomeRegion,
		Prefix:         cfg.ResourcePrefix,
		Rules:          rules,
		Packs:          packs,
		Recorders:      recorders,
		Uncovered:      org.Uncovered,
	})
}

// ConfigAggregator makes security the delegated administrator with the
// organization aggregator.
func ConfigAggregator(ctx *pulumi.Context, cfg *config.Config, p *providers.Set) (*components.ConfigAggregator, error) {
	var regions []string
	if !cfg.AWSConfig.AggregateAllRegions {
		regions = cfg.GovernedRegions
	}
	return components.NewConfigAggregator(ctx, "config-aggregator", &components.ConfigAggregatorArgs{
		ManagementProvider: p.Home(config.Management),
		Security:           p.Account(config.Security, cfg.HomeRegion),
		Prefix:             cfg.ResourcePrefix,
		Regions:            regions,
	})
}

package stack

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/example/landing-zone-audit/components"
	"github.com/example/landing-zone-audit/config"
	"github.com/example/landing-zone-audit/internal/providers"
)

// Shared is what the organization-wide security services build on.
type Shared struct {
	// Alerts are the security account's finding alert topics, by region.
	Alerts map[string]components.AlertRoute
	// Org is what the stack reads from AWS Organizations.
	Org Organization
	// GuardDuty is the organization's GuardDuty, for services that need
	// it switched on first.
	GuardDuty *components.GuardDutyOrg
}

// Exports are the stack outputs a service adds, by name.
type Exports map[string]pulumi.Input

// Service deploys one organization-wide security service: it is called
// only when its config key switches it on.
type Service func(ctx *pulumi.Context, cfg *config.Config, p *providers.Set, shared Shared) (Exports, error)

// SecurityHub turns on Security Hub with central configuration.
func SecurityHub(ctx *pulumi.Context, cfg *config.Config, p *providers.Set, shared Shared) (Exports, error) {
	s := cfg.SecurityHub
	hub, err := components.NewSecurityHubOrg(ctx, "securityhub", &components.SecurityHubOrgArgs{
		ManagementNative: p.NativeHome(config.Management),
		Security:         p.Account(config.Security, cfg.HomeRegion),
		SecurityNative:   p.NativeHome(config.Security),
		SecurityRegions:  p.AccountRegions(config.Security, cfg.GovernedRegions),
		Prefix:           cfg.ResourcePrefix,
		Options: components.SecurityHubOptions{
			Targets: s.Targets, CISVersion: s.CISVersion, DisabledControls: s.DisabledControls, AlertMinSeverity: s.AlertMinSeverity,
			Suppressions:      cfg.Suppressions(),
			PagingMinSeverity: cfg.Paging.SecurityHubMinSeverity,
		},
		Alerts:      shared.Alerts[cfg.HomeRegion],
		RootID:      shared.Org.RootID,
		ExistingHub: cfg.Adopt.SecurityHub,
		// GuardDuty's findings alert through its own rules, in every
		// governed region, with its own thresholds; Security Hub carries
		// every other source.
		DirectProducts: directProducts(shared),
	})
	if err != nil {
		return nil, err
	}
	return Exports{"securityHubPolicyArn": hub.Policy.Arn, "securityHubRuleArn": hub.RuleArn}, nil
}

// directProducts are the finding products whose own alert rules the stack
// deploys: GuardDuty's, where GuardDutyOrg exists.
func directProducts(shared Shared) []string {
	if shared.GuardDuty == nil {
		return nil
	}
	return []string{components.GuardDutyProductName}
}

// AccessAnalyzer creates the organization's IAM Access Analyzers.
func AccessAnalyzer(ctx *pulumi.Context, cfg *config.Config, p *providers.Set, _ Shared) (Exports, error) {
	aa := cfg.AccessAnalyzer
	unusedAge := 0
	if aa.UnusedAccess {
		unusedAge = aa.UnusedAccessAgeDays
	}
	analyzers, err := components.NewAccessAnalyzerOrg(ctx, "access-analyzer", &components.AccessAnalyzerOrgArgs{
		ManagementProvider:  p.Home(config.Management),
		Security:            p.AccountRegions(config.Security, cfg.GovernedRegions),
		HomeRegion:          cfg.HomeRegion,
		Prefix:              cfg.ResourcePrefix,
		UnusedAccessAgeDays: unusedAge,
	})
	if err != nil {
		return nil, err
	}
	return Exports{"accessAnalyzerArns": analyzers.AnalyzerArns}, nil
}

// Inspector turns on Amazon Inspector across the organization.
func Inspector(ctx *pulumi.Context, cfg *config.Config, p *providers.Set, _ Shared) (Exports, error) {
	in := cfg.Inspector
	_, err := components.NewInspectorOrg(ctx, "inspector", &components.InspectorOrgArgs{
		RegionalAdministration: regionalAdministration(cfg, p),
		MemberAccountIDs:       cfg.AccountIDs(),
		Scans:                  components.InspectorScans{EC2: in.EC2, ECR: in.ECR, Lambda: in.Lambda, LambdaCode: in.LambdaCode},
	})
	return nil, err
}

// CloudTrailLake creates the organization event data store.
func CloudTrailLake(ctx *pulumi.Context, cfg *config.Config, p *providers.Set, _ Shared) (Exports, error) {
	lake := cfg.CloudTrailLake
	store, err := components.NewCloudTrailLake(ctx, "cloudtrail-lake", &components.CloudTrailLakeArgs{
		Account:               p.Account(config.Management, cfg.HomeRegion),
		ManagementNative:      p.NativeHome(config.Management),
		Prefix:                cfg.ResourcePrefix,
		RetentionDays:         lake.RetentionDays,
		TerminationProtection: lake.TerminationProtection,
	})
	if err != nil {
		return nil, err
	}
	return Exports{"eventDataStoreArn": store.Store.EventDataStoreArn}, nil
}

// Detective turns on Amazon Detective across the organization, after GuardDuty.
func Detective(ctx *pulumi.Context, cfg *config.Config, p *providers.Set, shared Shared) (Exports, error) {
	d, err := components.NewDetectiveOrg(ctx, "detective", &components.DetectiveOrgArgs{
		RegionalAdministration: regionalAdministration(cfg, p),
		Members:                detectiveMembers(cfg),
		GuardDutyEnrolments:    shared.GuardDuty.Enrolments,
		GuardDutyDetectors:     securityDetectors(cfg, shared.GuardDuty),
	})
	if err != nil {
		return nil, err
	}
	return Exports{"detectiveGraphArns": d.GraphArns}, nil
}

// ChatChannels delivers the alerts to the chat channels: one Chatbot
// configuration per channel in each account with alert topics, since
// Chatbot subscribes a channel only to its own account's topics. alarms is
// the management account's alarm topic; findings the security account's
// routes by region.
func ChatChannels(ctx *pulumi.Context, cfg *config.Config, p *providers.Set, alarms pulumi.StringInput, findings map[string]components.AlertRoute) error {
	for _, alias := range cfg.ChatAliases() {
		var topics []pulumi.StringInput
		if alias == config.Management {
			topics = append(topics, alarms)
		} else {
			for _, region := range cfg.GovernedRegions {
				// The chat topic carries the findings as notifications
				// Chatbot can show; the failure topic, CloudWatch alarms.
				topics = append(topics, findings[region].ChatTopicArn, findings[region].FailureTopicArn)
			}
		}
		if _, err := components.NewChatChannels(ctx, "chat-"+alias, &components.ChatChannelsArgs{
			Account:   p.Account(alias, cfg.ChatRegion()),
			Prefix:    cfg.ResourcePrefix,
			TopicArns: topics,
			Slack:     cfg.SlackChannels(),
			Teams:     cfg.TeamsChannels(),
		}); err != nil {
			return err
		}
	}
	return nil
}

// Macie turns on Amazon Macie across the organization.
func Macie(ctx *pulumi.Context, cfg *config.Config, p *providers.Set, _ Shared) (Exports, error) {
	args := &components.MacieOrgArgs{
		RegionalAdministration:     regionalAdministration(cfg, p),
		Members:                    organizationMembers(cfg),
		FindingPublishingFrequency: cfg.Macie.FindingPublishingFrequency,
	}
	if cfg.Macie.DiscoveryResults {
		security := cfg.AccountID(config.Security)
		args.Results = &components.MacieResults{
			Bucket:              p.Account(config.Security, cfg.HomeRegion),
			BucketName:          cfg.Names().MacieResultsBucket(security),
			AccessLogBucketName: cfg.Names().MacieResultsAccessLogBucket(security),
			KeyAlias:            cfg.Names().MacieResultsKeyAlias(),
			DeletionDays:        cfg.Macie.DiscoveryResultsDays,
			OptInRegions:        cfg.OptInRegions,
			EvidenceManagers:    cfg.EvidenceManagers(config.Security),
		}
	}
	m, err := components.NewMacieOrg(ctx, "macie", args)
	if err != nil || m.Results == nil {
		return nil, err
	}
	return Exports{"macieResultsBucketName": m.Results.Name}, nil
}

// organizationMembers are the listed accounts, with their emails.
func organizationMembers(cfg *config.Config) []components.OrganizationMember {
	var members []components.OrganizationMember
	for _, alias := range cfg.Aliases() {
		members = append(members, components.OrganizationMember{AccountID: cfg.AccountID(alias), Email: cfg.Accounts[alias].Email})
	}
	return members
}

// detectiveMembers are the accounts Detective enables now: none while
// detective.enableAccounts is off, in the up that turns GuardDuty on too.
func detectiveMembers(cfg *config.Config) []components.OrganizationMember {
	if !cfg.Detective.EnableAccounts {
		return nil
	}
	return organizationMembers(cfg)
}

// securityDetectors are the administrator's GuardDuty detectors by region.
func securityDetectors(cfg *config.Config, gd *components.GuardDutyOrg) map[string]pulumi.Resource {
	out := map[string]pulumi.Resource{}
	for _, region := range cfg.GovernedRegions {
		out[region] = gd.Detectors[config.Security+"/"+region]
	}
	return out
}

// regionalAdministration is the management and security accounts in every
// governed region.
func regionalAdministration(cfg *config.Config, p *providers.Set) components.RegionalAdministration {
	return components.RegionalAdministration{
		Management: p.AccountRegions(config.Management, cfg.GovernedRegions),
		Security:   p.AccountRegions(config.Security, cfg.GovernedRegions),
	}
}

// SecurityLake creates the organization's Amazon Security Lake in its
// delegated administrator's account.
func SecurityLake(ctx *pulumi.Context, cfg *config.Config, p *providers.Set, _ Shared) (Exports, error) {
	l := cfg.SecurityLake
	var transitions []components.SecurityLakeTransition
	for _, t := range l.Transitions {
		transitions = append(transitions, components.SecurityLakeTransition{Days: t.Days, StorageClass: t.StorageClass})
	}
	var subscribers []components.SecurityLakeSubscriber
	for _, s := range l.Subscribers {
		subscribers = append(subscribers, components.SecurityLakeSubscriber{
			Name: s.Name, AccountID: s.AccountID, ExternalID: s.ExternalID, AccessType: s.AccessType, Sources: s.Sources,
			SQSNotification: s.Notification == "sqs",
		})
	}
	lake, err := components.NewSecurityLake(ctx, "securitylake", &components.SecurityLakeArgs{
		ManagementProvider: p.Home(config.Management),
		AccountRegions:     p.AccountRegions(l.Account, cfg.GovernedRegions),
		HomeRegion:         cfg.HomeRegion,
		RollupRegion:       l.RollupRegion,
		Prefix:             cfg.ResourcePrefix,
		EnablerRoleArn:     components.RoleArn(cfg.Partition(), cfg.AccountID(l.Account), cfg.AccessRoleName),
		Sources:            l.Sources,
		ExpirationDays:     l.ExpirationDays,
		Transitions:        transitions,
		Subscribers:        subscribers,
	})
	if err != nil {
		return nil, err
	}
	return Exports{
		"securityLakeDataLakeArns":                     lake.DataLakeArns,
		"securityLakeOrganizationConfigurationCommand": pulumi.String(lake.OrganizationConfigurationCommand),
	}, nil
}

// Prerequisites checks what the stack needs but cannot create, before it
// creates anything: Security Lake's hand-made designation.
func Prerequisites(ctx *pulumi.Context, cfg *config.Config, p *providers.Set) error {
	if !cfg.SecurityLake.Enabled {
		return nil
	}
	return components.CheckSecurityLakeAdministrator(ctx, p.Home(config.Management), cfg.AccountID(cfg.SecurityLake.Account), cfg.HomeRegion)
}

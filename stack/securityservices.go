package stack

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/example/landing-zone-audit/components"
	"github.com/example/landing-zone-audit/config"
	"github.com/example/landing-zone-audit/providers"
)

// deploySecurityServices adds Security Hub, IAM Access Analyzer and
// CloudTrail Lake, each as configured.
func deploySecurityServices(ctx *pulumi.Context, cfg *config.Config, p *providers.Set, topics map[string]components.AlertRoute, org organization) error {
	if cfg.SecurityHub.Enabled {
		hub, err := components.NewSecurityHubOrg(ctx, "securityhub", &components.SecurityHubOrgArgs{
			ManagementNative:  p.NativeHome(config.Management),
			SecurityNative:    p.NativeHome(config.Security),
			SecurityAWS:       p.Home(config.Security),
			Partition:         cfg.Partition(),
			HomeRegion:        cfg.HomeRegion,
			Regions:           cfg.GovernedRegions,
			SecurityAccountID: cfg.AccountID(config.Security),
			Prefix:            cfg.ResourcePrefix,
			Options:           securityHubOptions(cfg.SecurityHub),
			Alerts:            topics[cfg.HomeRegion],
			RootID:            org.RootID,
		})
		if err != nil {
			return err
		}
		ctx.Export("securityHubPolicyArn", hub.Policy.Arn)
		ctx.Export("securityHubRuleArn", hub.RuleArn)
	}
	if aa := cfg.AccessAnalyzer; aa.Enabled {
		unusedAge := 0
		if aa.UnusedAccess {
			unusedAge = aa.UnusedAccessAgeDays
		}
		analyzers, err := components.NewAccessAnalyzerOrg(ctx, "access-analyzer", &components.AccessAnalyzerOrgArgs{
			ManagementProvider:  p.Home(config.Management),
			SecurityProviders:   p.Regions(config.Security, cfg.GovernedRegions),
			Regions:             cfg.GovernedRegions,
			HomeRegion:          cfg.HomeRegion,
			SecurityAccountID:   cfg.AccountID(config.Security),
			Prefix:              cfg.ResourcePrefix,
			UnusedAccessAgeDays: unusedAge,
		})
		if err != nil {
			return err
		}
		ctx.Export("accessAnalyzerArns", analyzers.AnalyzerArns)
	}
	if in := cfg.Inspector; in.Enabled {
		if _, err := components.NewInspectorOrg(ctx, "inspector", &components.InspectorOrgArgs{
			ManagementProviders: p.Regions(config.Management, cfg.GovernedRegions),
			SecurityProviders:   p.Regions(config.Security, cfg.GovernedRegions),
			Regions:             cfg.GovernedRegions,
			SecurityAccountID:   cfg.AccountID(config.Security),
			MemberAccountIDs:    cfg.AccountIDs(),
			Scans:               components.InspectorScans{EC2: in.EC2, ECR: in.ECR, Lambda: in.Lambda, LambdaCode: in.LambdaCode},
		}); err != nil {
			return err
		}
	}
	if lake := cfg.CloudTrailLake; lake.Enabled {
		store, err := components.NewCloudTrailLake(ctx, "cloudtrail-lake", &components.CloudTrailLakeArgs{
			ManagementNative:      p.NativeHome(config.Management),
			ManagementAWS:         p.Home(config.Management),
			Partition:             cfg.Partition(),
			Region:                cfg.HomeRegion,
			ManagementAccountID:   cfg.AccountID(config.Management),
			Prefix:                cfg.ResourcePrefix,
			RetentionDays:         lake.RetentionDays,
			TerminationProtection: lake.TerminationProtection,
		})
		if err != nil {
			return err
		}
		ctx.Export("eventDataStoreArn", store.Store.EventDataStoreArn)
	}
	return nil
}

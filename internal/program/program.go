// Package program is the stack's composition: the configuration is loaded
// and checked, one provider is made per account alias and region, and the
// components are created in dependency order with the exports operators
// need. main.go runs it under the Pulumi engine and from the offline
// subcommands; the whole-stack tests in tests/ run it under Pulumi's mock
// engine and its deployment engine. It lives in a package of its own because
// Go lets no other package import a command.
package program

import (
	"maps"
	"slices"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/example/landing-zone-audit/config"
	"github.com/example/landing-zone-audit/internal/providers"
	"github.com/example/landing-zone-audit/internal/stack"
)

// Program is the stack for a configuration: the Pulumi engine, the offline
// plan and the tests all run this one function.
func Program(src config.Source) pulumi.RunFunc {
	return func(ctx *pulumi.Context) error {
		// Every problem in the configuration is reported before anything is created.
		cfg, err := config.Load(src)
		if err != nil {
			return err
		}
		for _, w := range cfg.Warnings() {
			if err := ctx.Log.Warn(w, nil); err != nil {
				return err
			}
		}
		// One explicit provider per account alias and region.
		p := providers.New(ctx, cfg)
		if err := compose(ctx, cfg, p); err != nil {
			return err
		}
		return p.Err()
	}
}

// compose creates the components in dependency order and exports what
// operators need. The stack package turns the configuration into each
// component's arguments.
func compose(ctx *pulumi.Context, cfg *config.Config, p *providers.Set) error {
	if err := stack.Prerequisites(ctx, cfg, p); err != nil {
		return err
	}
	logGroup, err := trail(ctx, cfg, p)
	if err != nil {
		return err
	}
	var alarmTopic pulumi.StringInput
	if cfg.DeploysAlarms() {
		if alarmTopic, err = alarms(ctx, cfg, p, logGroup); err != nil {
			return err
		}
	}
	org := stack.ReadOrganization(ctx, cfg, p)
	if cfg.AWSConfig.Enabled {
		if err := awsConfig(ctx, cfg, p, org); err != nil {
			return err
		}
	}
	shared, err := guardDuty(ctx, cfg, p)
	if err != nil {
		return err
	}
	shared.Org = org
	if cfg.HasChat() {
		if err := stack.ChatChannels(ctx, cfg, p, alarmTopic, shared.Alerts); err != nil {
			return err
		}
	}

	// The other organization-wide security services, each switched on by
	// its own config key.
	services := []struct {
		enabled bool
		deploy  stack.Service
	}{
		{cfg.SecurityHub.Enabled, stack.SecurityHub},
		{cfg.AccessAnalyzer.Enabled, stack.AccessAnalyzer},
		{cfg.Inspector.Enabled, stack.Inspector},
		{cfg.CloudTrailLake.Enabled, stack.CloudTrailLake},
		{cfg.Detective.Enabled, stack.Detective},
		{cfg.Macie.Enabled, stack.Macie},
		{cfg.SecurityLake.Enabled, stack.SecurityLake},
	}
	for _, s := range services {
		if !s.enabled {
			continue
		}
		exports, err := s.deploy(ctx, cfg, p, shared)
		if err != nil {
			return err
		}
		for _, name := range slices.Sorted(maps.Keys(exports)) {
			ctx.Export(name, exports[name])
		}
	}
	// Last: the policies that keep member accounts from undoing the above.
	if cfg.DeploysServiceControlPolicies() || cfg.DeploysResourceControlPolicies() {
		if _, err := stack.Guardrails(ctx, cfg, p); err != nil {
			return err
		}
	}
	return nil
}

// trail creates the organization trail into the central bucket in
// logArchive, unless another trail (Control Tower's) logs the organization
// already, and returns the log group the alarms read.
func trail(ctx *pulumi.Context, cfg *config.Config, p *providers.Set) (pulumi.StringInput, error) {
	if !cfg.DeploysTrail() {
		return pulumi.String(cfg.AlarmLogGroupName()), nil
	}
	trail, err := stack.OrgTrail(ctx, cfg, p)
	if err != nil {
		return nil, err
	}
	ctx.Export("trailArn", trail.TrailArn)
	ctx.Export("trailBucketName", trail.Bucket.Name)
	ctx.Export("trailBucketArn", trail.Bucket.Arn)
	ctx.Export("trailLogGroupName", trail.LogGroup.Name)
	ctx.Export("trailLogGroupArn", trail.LogGroupArn)
	if trail.Key != nil {
		ctx.Export("trailKeyArn", trail.Key.Arn)
	}
	return trail.LogGroup.Name, nil
}

// alarms creates the management account's alert topic and the alarms on
// the trail's log group, and returns the topic.
func alarms(ctx *pulumi.Context, cfg *config.Config, p *providers.Set, logGroup pulumi.StringInput) (pulumi.StringInput, error) {
	alerts, err := stack.AlertTopic(ctx, cfg, p)
	if err != nil {
		return nil, err
	}
	ctx.Export("alertTopicArn", alerts.Arn)
	if !cfg.Alarms.ElevatedRoleDisabled {
		elevated, err := stack.ElevatedRoleAlarm(ctx, cfg, p, logGroup, alerts)
		if err != nil {
			return nil, err
		}
		ctx.Export("elevatedRoleAlarmArn", elevated.Alarm.Arn)
	}
	if cfg.Alarms.CISEnabled {
		if _, err := stack.CISAlarms(ctx, cfg, p, logGroup, alerts); err != nil {
			return nil, err
		}
	}
	if len(cfg.SupplementaryOn()) > 0 {
		if _, err := stack.SupplementaryAlarms(ctx, cfg, p, logGroup, alerts); err != nil {
			return nil, err
		}
	}
	return alerts.Arn, nil
}

// guardDuty creates the security account's finding alert topics in every
// governed region and GuardDuty across the organization, and returns what
// the other security services build on.
func guardDuty(ctx *pulumi.Context, cfg *config.Config, p *providers.Set) (stack.Shared, error) {
	var shared stack.Shared
	if cfg.DeploysAlertTopics() {
		topics, err := stack.SecurityAlertTopics(ctx, cfg, p)
		if err != nil {
			return shared, err
		}
		shared.Alerts = topics
	}
	if !cfg.GuardDuty.Enabled {
		return shared, nil
	}
	gd, err := stack.GuardDutyOrg(ctx, cfg, p, shared.Alerts)
	if err != nil {
		return shared, err
	}
	ctx.Export("guardDutyDetectorIds", gd.DetectorIDs)
	ctx.Export("guardDutyRuleArns", gd.RuleArns)
	shared.GuardDuty = gd
	return shared, nil
}

// awsConfig composes AWS Config: the central bucket, a recorder in every
// account and region (Control Tower's accounts have theirs), organization
// rules and packs after every recorder, and the aggregator in security.
func awsConfig(ctx *pulumi.Context, cfg *config.Config, p *providers.Set, org stack.Organization) error {
	var recorders []pulumi.Resource
	if len(cfg.RecorderAliases()) > 0 {
		bucket, err := stack.ConfigBucket(ctx, cfg, p)
		if err != nil {
			return err
		}
		ctx.Export("configBucketName", bucket.Name)
		if recorders, err = stack.ConfigRecorders(ctx, cfg, p, bucket); err != nil {
			return err
		}
		if cfg.MemberBaseline == config.BaselineStackSet {
			members, err := stack.MemberBaseline(ctx, cfg, p, org, bucket)
			if err != nil {
				return err
			}
			ctx.Export("memberBaselineStackSet", members.StackSet.Name)
			recorders = append(recorders, members.Instances...)
		}
	}
	rules, err := stack.ConfigOrgRules(ctx, cfg, p, org, recorders)
	if err != nil {
		return err
	}
	ctx.Export("configRuleNames", pulumi.ToStringArray(rules.RuleNames))
	ctx.Export("conformancePackNames", pulumi.ToStringArray(rules.PackNames))
	aggregator, err := stack.ConfigAggregator(ctx, cfg, p)
	if err != nil {
		return err
	}
	ctx.Export("configAggregatorArn", aggregator.Aggregator.Arn)
	return nil
}

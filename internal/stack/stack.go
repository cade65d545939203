// Package stack turns the stack's validated configuration into each
// component's arguments: one function per component, which main.go composes.
package stack

import (
	"encoding/json"
	"fmt"
	"os"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/example/landing-zone-audit/components"
	"github.com/example/landing-zone-audit/config"
	"github.com/example/landing-zone-audit/internal/providers"
)

// OrgTrail creates the organization trail and its central log bucket.
func OrgTrail(ctx *pulumi.Context, cfg *config.Config, p *providers.Set) (*components.OrgTrail, error) {
	return components.NewOrgTrail(ctx, "orgtrail", &components.OrgTrailArgs{
		Management:        p.Account(config.Management, cfg.HomeRegion),
		Bucket:            p.Account(cfg.OrgTrail.BucketAccount, cfg.HomeRegion),
		OrganizationID:    cfg.OrganizationID,
		SecurityAccountID: cfg.AccountID(config.Security),
		Prefix:            cfg.ResourcePrefix,
		TrailName:         cfg.TrailName(),
		BucketName:        cfg.TrailBucketName(),
		LogGroupName:      cfg.OrgTrail.LogGroupName,
		Options:           orgTrailOptions(cfg),
	})
}

// AlertTopic creates the management account's topic that the alarms notify.
func AlertTopic(ctx *pulumi.Context, cfg *config.Config, p *providers.Set) (*components.AlertTopic, error) {
	return components.NewAlertTopic(ctx, "alerts", &components.AlertTopicArgs{
		Account:      p.Account(config.Management, cfg.HomeRegion),
		TopicName:    cfg.AlertTopicName(),
		KeyAlias:     cfg.AlertTopicName(),
		Emails:       cfg.AlertEmails,
		SecretEmails: cfg.Secret["alertEmails"],
		Publishers:   []string{components.CloudWatchPrincipal, components.EventBridgePrincipal},
	})
}

// ElevatedRoleAlarm alarms when an elevated role is assumed, from the
// trail's log group.
func ElevatedRoleAlarm(ctx *pulumi.Context, cfg *config.Config, p *providers.Set, logGroup pulumi.StringInput, alerts *components.AlertTopic) (*components.ElevatedRoleAlarm, error) {
	return components.NewElevatedRoleAlarm(ctx, "elevated-role", &components.ElevatedRoleAlarmArgs{
		Account:       p.Account(config.Management, cfg.HomeRegion),
		LogGroupName:  logGroup,
		TopicArn:      alerts.Arn,
		AlarmName:     cfg.Names().ElevatedRoleAlarm(),
		Namespace:     cfg.Alarms.MetricNamespace,
		MetricName:    cfg.ElevatedRoleMetricName(),
		PeriodSeconds: cfg.Alarms.PeriodSeconds,
		Roles:         cfg.ElevatedRoles(),
	})
}

// CISAlarms creates the CIS benchmark's metric filters and alarms on the
// trail's log group.
func CISAlarms(ctx *pulumi.Context, cfg *config.Config, p *providers.Set, logGroup pulumi.StringInput, alerts *components.AlertTopic) (*components.CISAlarms, error) {
	return components.NewCISAlarms(ctx, "cis", &components.CISAlarmsArgs{
		Account:       p.Account(config.Management, cfg.HomeRegion),
		LogGroupName:  logGroup,
		TopicArn:      alerts.Arn,
		Prefix:        cfg.ResourcePrefix,
		Namespace:     cfg.Alarms.MetricNamespace,
		PeriodSeconds: cfg.Alarms.PeriodSeconds,
		Disabled:      cfg.Alarms.CISDisabledControls,
	})
}

// GuardDutyOrg turns GuardDuty on across the organization with the
// security account as administrator.
func GuardDutyOrg(ctx *pulumi.Context, cfg *config.Config, p *providers.Set, topics map[string]components.AlertRoute) (*components.GuardDutyOrg, error) {
	account := func(alias string) components.GuardDutyAccount {
		return components.GuardDutyAccount{
			AccountRegions:    p.AccountRegions(alias, cfg.GovernedRegions),
			Alias:             alias,
			Email:             cfg.Accounts[alias].Email,
			ExistingDetectors: cfg.ExistingDetectors(alias),
		}
	}
	// Invitation mode invites the members, with providers of their own.
	// Organization mode auto-enables them, within 24 hours; with Detective
	// on, whose members must have been GuardDuty customers for 48 hours, the
	// administrator adds the listed accounts itself, which enrols them at
	// once (starting that clock in the first up) and proves it.
	var members []components.GuardDutyAccount
	switch {
	case cfg.GuardDuty.Mode == components.GuardDutyInvitation:
		for _, alias := range cfg.DirectAliases() {
			if alias != config.Management && alias != config.Security {
				members = append(members, account(alias))
			}
		}
	case cfg.Detective.Enabled:
		for _, alias := range cfg.Aliases() {
			if alias != config.Management && alias != config.Security {
				members = append(members, components.GuardDutyAccount{
					AccountRegions: components.AccountRegions{AccountID: cfg.AccountID(alias), Partition: cfg.Partition()},
					Alias:          alias,
					Email:          cfg.Accounts[alias].Email,
				})
			}
		}
	}
	args := &components.GuardDutyOrgArgs{
		Management: account(config.Management),
		Security:   account(config.Security),
		Members:    members,
		Regions:    cfg.GovernedRegions,
		Prefix:     cfg.ResourcePrefix,
		Options:    guardDutyOptions(cfg),

		Alerts:       topics,
		OptInRegions: cfg.OptInRegions,
	}
	// The findings bucket's provider only where findings are exported: a
	// provider is a plugin process whether or not anything uses it.
	if cfg.GuardDuty.FindingsExport {
		args.Export = p.Account(config.LogArchive, cfg.HomeRegion)
	}
	return components.NewGuardDutyOrg(ctx, "guardduty", args)
}

// EngineConfig returns the configuration the Pulumi engine passes to the
// program through the environment (the same source the Pulumi SDK reads).
func EngineConfig() (config.Source, error) {
	src := config.Source{Project: os.Getenv(pulumi.EnvProject), Values: map[string]string{}}
	if env := os.Getenv(pulumi.EnvConfig); env != "" {
		if err := json.Unmarshal([]byte(env), &src.Values); err != nil {
			return src, fmt.Errorf("reading %s: %w", pulumi.EnvConfig, err)
		}
	}
	if env := os.Getenv(pulumi.EnvConfigSecretKeys); env != "" {
		if err := json.Unmarshal([]byte(env), &src.Secret); err != nil {
			return src, fmt.Errorf("reading %s: %w", pulumi.EnvConfigSecretKeys, err)
		}
	}
	return src, nil
}

// SecurityAlertTopics creates the security account's alert topics in every
// governed region: EventBridge rules can only target a topic of their own
// account and region. GuardDuty and Security Hub findings alert the findings
// topic (and the chat, owners' and paging topics where configured); alarms
// on undelivered alerts go to a second topic with its own key, which
// CloudWatch publishes to, so a broken findings path cannot silence them.
func SecurityAlertTopics(ctx *pulumi.Context, cfg *config.Config, p *providers.Set) (map[string]components.AlertRoute, error) {
	routes := map[string]components.AlertRoute{}
	for _, region := range cfg.GovernedRegions {
		// topic creates one topic; args says who subscribes and who publishes.
		topic := func(name, topicName string, args components.AlertTopicArgs) (pulumi.StringOutput, error) {
			args.Account = p.Account(config.Security, region)
			args.TopicName, args.KeyAlias = topicName, topicName
			if args.Publishers == nil {
				args.Publishers = []string{components.EventBridgePrincipal}
			}
			t, err := components.NewAlertTopic(ctx, name+"-"+region, &args)
			if err != nil {
				return pulumi.StringOutput{}, err
			}
			return t.Arn, nil
		}
		everyone := components.AlertTopicArgs{Emails: cfg.AlertEmails, SecretEmails: cfg.Secret["alertEmails"]}
		findings, err := topic("security-alerts", cfg.Names().FindingsTopic(), everyone)
		if err != nil {
			return nil, err
		}
		failures := everyone
		failures.Publishers = []string{components.CloudWatchPrincipal}
		failuresArn, err := topic("delivery-failures", cfg.Names().DeliveryFailuresTopic(), failures)
		if err != nil {
			return nil, err
		}
		route := components.AlertRoute{TopicArn: findings, FailureTopicArn: failuresArn}
		if cfg.HasChat() {
			if route.ChatTopicArn, err = topic("findings-chat", cfg.Names().FindingsChatTopic(), components.AlertTopicArgs{}); err != nil {
				return nil, err
			}
		}
		for _, alias := range cfg.Aliases() {
			owners := cfg.Accounts[alias].Owners
			if len(owners) == 0 {
				continue
			}
			arn, err := topic("owner-alerts-"+alias, cfg.Names().OwnerTopic(alias), components.AlertTopicArgs{Emails: owners})
			if err != nil {
				return nil, err
			}
			route.Owners = append(route.Owners, components.OwnerTopic{Alias: alias, AccountID: cfg.AccountID(alias), TopicArn: arn})
		}
		if cfg.Pages() {
			if route.PagingTopicArn, err = topic("paging", cfg.Names().PagingTopic(), components.AlertTopicArgs{PagingURL: cfg.Paging.URL}); err != nil {
				return nil, err
			}
		}
		routes[region] = route
	}
	return routes, nil
}

package stack

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/example/landing-zone-audit/components"
	"github.com/example/landing-zone-audit/config"
	"github.com/example/landing-zone-audit/internal/providers"
)

// SupplementaryAlarms creates the detections beyond the CIS set on the
// trail's log group.
func SupplementaryAlarms(ctx *pulumi.Context, cfg *config.Config, p *providers.Set, logGroup pulumi.StringInput, alerts *components.AlertTopic) (*components.SupplementaryAlarms, error) {
	return components.NewSupplementaryAlarms(ctx, "detect", &components.SupplementaryAlarmsArgs{
		Account:       p.Account(config.Management, cfg.HomeRegion),
		LogGroupName:  logGroup,
		TopicArn:      alerts.Arn,
		Prefix:        cfg.ResourcePrefix,
		Namespace:     cfg.Alarms.MetricNamespace,
		PeriodSeconds: cfg.Alarms.PeriodSeconds,
		Disabled:      cfg.SupplementaryDisabled(),
	})
}

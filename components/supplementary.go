package components

import (
	"fmt"
	"slices"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/example/landing-zone-audit/internal/detection"
)

// SupplementaryAlarmsType is the type token of SupplementaryAlarms.
const SupplementaryAlarmsType = "landingzone:audit:SupplementaryAlarms"

// SupplementaryAlarmsArgs configures the supplementary alarm set.
type SupplementaryAlarmsArgs struct {
	Account
	LogGroupName  pulumi.StringInput
	TopicArn      pulumi.StringInput
	Prefix        string
	Namespace     string
	PeriodSeconds int
	// Disabled lists detection.Supplementary keys to leave out.
	Disabled []string
}

// SupplementaryAlarms creates, in the management account's home region on
// the trail's log group, a metric filter and an alarm for each attack path
// the CIS patterns miss (detection.SupplementaryAlarms). Its notifications
// are built as the CIS alarms' are: what the alarm catches, which CIS
// control misses it, and the command that lists the events behind it.
type SupplementaryAlarms struct {
	pulumi.ResourceState

	Alarms map[string]*cloudwatch.MetricAlarm // by detection key
}

// NewSupplementaryAlarms creates one filter and alarm per enabled detection.
func NewSupplementaryAlarms(ctx *pulumi.Context, name string, args *SupplementaryAlarmsArgs, opts ...pulumi.ResourceOption) (_ *SupplementaryAlarms, err error) {
	if args == nil {
		return nil, errNilArgs("SupplementaryAlarms")
	}
	defer wrapChildError(&err, "SupplementaryAlarms", name)
	e := &argErrors{component: "SupplementaryAlarms"}
	checkAlarmSet(e, args.Account, args.LogGroupName, args.TopicArn, args.Prefix, args.Namespace, args.Disabled, detection.SupplementaryKeys(), "supplementary detection")
	var alarms []keyedAlarm
	for _, d := range detection.SupplementaryAlarms() {
		if slices.Contains(args.Disabled, d.Key) {
			continue
		}
		alarms = append(alarms, keyedAlarm{d.Key, logAlarm{
			name:        name + "-" + d.Key,
			alarmName:   Names{args.Prefix}.SupplementaryAlarm(d.Key),
			description: fmt.Sprintf("%s (supplementary detection: %s's published pattern misses it)", d.Title, d.Gap),
			metric:      d.MetricName,
			patterns:    []string{d.Pattern},
		}})
	}
	c := &SupplementaryAlarms{Alarms: map[string]*cloudwatch.MetricAlarm{}}
	target := alarmTarget{args.Provider, args.Region, args.LogGroupName, args.Namespace, args.PeriodSeconds, args.TopicArn}
	if err := newAlarmSet(ctx, SupplementaryAlarmsType, name, c, e, target, alarms, c.Alarms, opts); err != nil {
		return nil, err
	}
	return c, nil
}

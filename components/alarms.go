package components

import (
	"fmt"
	"slices"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/example/landing-zone-audit/internal/cis"
	"github.com/example/landing-zone-audit/internal/detection"
	"github.com/example/landing-zone-audit/internal/filterpattern"
)

// logAlarm is one metric filter (or several feeding one metric) and its alarm.
type logAlarm struct {
	name        string // logical name of the alarm resource
	alarmName   string
	description string
	metric      string
	patterns    []string
}

// alarmTarget is where log-metric alarms are created and whom they notify.
type alarmTarget struct {
	provider      pulumi.ProviderResource
	region        string
	logGroupName  pulumi.StringInput
	namespace     string
	periodSeconds int
	topicArn      pulumi.StringInput
}

// create registers the metric filters and the alarm of a under parent. Every
// pattern must parse: an invalid pattern is an error before anything exists.
// newAlarmSet checks a set's patterns with the other problems in e,
// registers the set's component and creates its alarms into created, in
// order; nothing is created when any problem is found.
func newAlarmSet(ctx *pulumi.Context, typ, name string, c pulumi.ComponentResource, e *argErrors, target alarmTarget, alarms []keyedAlarm, created map[string]*cloudwatch.MetricAlarm, opts []pulumi.ResourceOption) error {
	var patterns []string
	for _, a := range alarms {
		patterns = append(patterns, a.patterns...)
	}
	validatePatterns(e, "Patterns", patterns)
	if err := e.err(); err != nil {
		return err
	}
	if err := ctx.RegisterComponentResource(typ, name, c, opts...); err != nil {
		return err
	}
	outs, err := target.createSet(ctx, c, alarms, created)
	if err != nil {
		return err
	}
	return ctx.RegisterResourceOutputs(c, outs)
}

// checkAlarmSet checks what every alarm set is given: its account, the log
// group and topic, its names, and that Disabled names only keys of the set
// (each a what).
func checkAlarmSet(e *argErrors, a Account, logGroup, topic pulumi.StringInput, prefix, namespace string, disabled, keys []string, what string) {
	a.check(e, "")
	e.require("Prefix", prefix)
	e.require("Namespace", namespace)
	if logGroup == nil || topic == nil {
		e.add("LogGroupName/TopicArn", "required")
	}
	for i, k := range disabled {
		if !slices.Contains(keys, k) {
			e.add(fmt.Sprintf("Disabled[%d]", i), "%q is not a %s", k, what)
		}
	}
}

// keyedAlarm is one alarm of a set, under its key in the set.
type keyedAlarm struct {
	key string
	logAlarm
}

// createSet creates a set's alarms, in order, into created, and returns
// their ARNs by key: the outputs the set registers.
func (t alarmTarget) createSet(ctx *pulumi.Context, parent pulumi.Resource, alarms []keyedAlarm, created map[string]*cloudwatch.MetricAlarm) (pulumi.Map, error) {
	outs := pulumi.Map{}
	for _, a := range alarms {
		alarm, err := t.create(ctx, parent, a.logAlarm)
		if err != nil {
			return nil, err
		}
		created[a.key] = alarm
		outs[a.key] = alarm.Arn
	}
	return outs, nil
}

func (t alarmTarget) create(ctx *pulumi.Context, parent pulumi.Resource, a logAlarm) (*cloudwatch.MetricAlarm, error) {
	child := children(parent, t.provider)
	var filters []pulumi.Resource
	for i, pattern := range a.patterns {
		n := suffix(len(a.patterns), i)
		f, err := cloudwatch.NewLogMetricFilter(ctx, a.name+n+"-filter", &cloudwatch.LogMetricFilterArgs{
			Name:         pulumi.String(a.alarmName + n),
			LogGroupName: t.logGroupName,
			Pattern:      pulumi.String(pattern),
			MetricTransformation: &cloudwatch.LogMetricFilterMetricTransformationArgs{
				Name:      pulumi.String(a.metric),
				Namespace: pulumi.String(t.namespace),
				Value:     pulumi.String("1"),
			},
		}, child...)
		if err != nil {
			return nil, err
		}
		filters = append(filters, f)
	}
	return cloudwatch.NewMetricAlarm(ctx, a.name+"-alarm", &cloudwatch.MetricAlarmArgs{
		Name:               pulumi.String(a.alarmName),
		AlarmDescription:   t.description(a),
		Namespace:          pulumi.String(t.namespace),
		MetricName:         pulumi.String(a.metric),
		Statistic:          pulumi.String("Sum"),
		Period:             pulumi.Int(t.periodSeconds),
		EvaluationPeriods:  pulumi.Int(1),
		Threshold:          pulumi.Float64(1),
		ComparisonOperator: pulumi.String("GreaterThanOrEqualToThreshold"),
		TreatMissingData:   pulumi.String("notBreaching"),
		AlarmActions:       pulumi.Array{t.topicArn},
	}, append(child, pulumi.DependsOn(filters))...)
}

// eventsWindowSeconds is how far back the alarm's command looks for the
// matching events: CloudTrail delivers events to CloudWatch Logs within
// about 15 minutes of the call (CloudTrail user guide, "CloudTrail
// supported services"), so twice that covers the events behind the alarm.
const eventsWindowSeconds = 1800

// MaxAlarmDescription is the longest AlarmDescription CloudWatch takes
// (API_PutMetricAlarm).
const MaxAlarmDescription = 1024

// description says what the alarm means and gives the command that lists
// the CloudTrail events behind it — account, principal, event name, source
// IP and time — with the alarm's own filter pattern, read back from the
// filter so the command never drifts from it. The notification carries it.
func (t alarmTarget) description(a logAlarm) pulumi.StringOutput {
	filter := a.alarmName + suffix(len(a.patterns), 0)
	more := ""
	if len(a.patterns) > 1 {
		more = fmt.Sprintf(" (and with --filter-name-prefix %s-2 ... -%d for its other filters)", a.alarmName, len(a.patterns))
	}
	return t.logGroupName.ToStringOutput().ApplyT(func(logGroup string) string {
		command := fmt.Sprintf(`The events behind it%s: aws logs filter-log-events --region %s --log-group-name %s --start-time $(( $(date +%%s) - %d ))000 --filter-pattern "$(aws logs describe-metric-filters --region %s --log-group-name %s --filter-name-prefix %s --query 'metricFilters[0].filterPattern' --output text)"`,
			more, t.region, logGroup, eventsWindowSeconds, t.region, logGroup, filter)
		// The command matters more than a long list of roles: shorten the
		// description first, and drop the command only if it alone is too long.
		room := MaxAlarmDescription - len(command) - len(". ")
		switch {
		case room < 40:
			return truncate(a.description, MaxAlarmDescription)
		case len(a.description) > room:
			return truncate(a.description, room) + ". " + command
		}
		return a.description + ". " + command
	}).(pulumi.StringOutput)
}

// truncate cuts s to at most n bytes, ending in "...".
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n-3] + "..."
}

// suffix numbers the i-th of n filters; a lone filter gets no number.
func suffix(n, i int) string {
	if n == 1 {
		return ""
	}
	return fmt.Sprintf("-%d", i+1)
}

// validatePatterns parses every pattern with the filter-pattern evaluator.
func validatePatterns(e *argErrors, arg string, patterns []string) {
	for i, p := range patterns {
		if len(p) > detection.MaxPatternLength {
			e.add(fmt.Sprintf("%s[%d]", arg, i), "pattern is %d characters; CloudWatch Logs accepts at most %d", len(p), detection.MaxPatternLength)
		}
		if _, err := filterpattern.Parse(p); err != nil {
			e.add(fmt.Sprintf("%s[%d]", arg, i), "%v", err)
		}
	}
}

// ElevatedRoleAlarmType is the type token of ElevatedRoleAlarm.
const ElevatedRoleAlarmType = "landingzone:audit:ElevatedRoleAlarm"

// ElevatedRoleAlarmArgs configures the elevated-role alarm.
type ElevatedRoleAlarmArgs struct {
	Account
	LogGroupName  pulumi.StringInput
	TopicArn      pulumi.StringInput
	AlarmName     string
	Namespace     string
	MetricName    string
	PeriodSeconds int
	Roles         []detection.ElevatedRole
}

// ElevatedRoleAlarm raises an alarm whenever anyone switches into (console)
// or assumes (API) one of the elevated roles, in any of its accounts.
type ElevatedRoleAlarm struct {
	pulumi.ResourceState

	Alarm    *cloudwatch.MetricAlarm
	Patterns []string // the filter patterns, for review and tests
}

func (a *ElevatedRoleAlarmArgs) validate(patterns []string) error {
	e := &argErrors{component: "ElevatedRoleAlarm"}
	a.Account.check(e, "")
	for _, v := range [][2]string{{"AlarmName", a.AlarmName}, {"Namespace", a.Namespace}, {"MetricName", a.MetricName}} {
		e.require(v[0], v[1])
	}
	if a.LogGroupName == nil || a.TopicArn == nil {
		e.add("LogGroupName/TopicArn", "required")
	}
	if len(a.Roles) == 0 {
		e.add("Roles", "required: name at least one role")
	}
	for i, r := range a.Roles {
		if r.RoleName == "" || len(r.AccountIDs) == 0 {
			e.add(fmt.Sprintf("Roles[%d]", i), "needs a role name and the accounts the role lives in")
		}
	}
	validatePatterns(e, "Patterns", patterns)
	return e.err()
}

// NewElevatedRoleAlarm creates the metric filters and the alarm on the trail's log group.
func NewElevatedRoleAlarm(ctx *pulumi.Context, name string, args *ElevatedRoleAlarmArgs, opts ...pulumi.ResourceOption) (_ *ElevatedRoleAlarm, err error) {
	if args == nil {
		return nil, errNilArgs("ElevatedRoleAlarm")
	}
	defer wrapChildError(&err, "ElevatedRoleAlarm", name)
	patterns := detection.ElevatedRolePatterns(args.Partition, args.Roles)
	if err := args.validate(patterns); err != nil {
		return nil, err
	}
	c := &ElevatedRoleAlarm{Patterns: patterns}
	if err := ctx.RegisterComponentResource(ElevatedRoleAlarmType, name, c, opts...); err != nil {
		return nil, err
	}
	var roleNames []string
	for _, r := range args.Roles {
		roleNames = append(roleNames, r.RoleName)
	}
	target := alarmTarget{args.Provider, args.Region, args.LogGroupName, args.Namespace, args.PeriodSeconds, args.TopicArn}
	c.Alarm, err = target.create(ctx, c, logAlarm{
		name:        name,
		alarmName:   args.AlarmName,
		description: "An elevated role was used (console SwitchRole or API AssumeRole): " + strings.Join(roleNames, ", "),
		metric:      args.MetricName,
		patterns:    patterns,
	})
	if err != nil {
		return nil, err
	}
	return c, ctx.RegisterResourceOutputs(c, pulumi.Map{"alarmArn": c.Alarm.Arn})
}

// CISAlarmsType is the type token of CISAlarms.
const CISAlarmsType = "landingzone:audit:CISAlarms"

// CISAlarmsArgs configures the CIS alarm set.
type CISAlarmsArgs struct {
	Account
	LogGroupName  pulumi.StringInput
	TopicArn      pulumi.StringInput
	Prefix        string
	Namespace     string
	PeriodSeconds int
	// Disabled lists cis.Control keys to leave out.
	Disabled []string
}

// CISAlarms creates the log metric filters and alarms that Security Hub's
// CloudWatch.1–14 controls (and CIS 4.15) look for, with the published
// filter patterns exactly as written.
type CISAlarms struct {
	pulumi.ResourceState

	Alarms map[string]*cloudwatch.MetricAlarm // by control key
}

// NewCISAlarms creates one filter and alarm per enabled control.
func NewCISAlarms(ctx *pulumi.Context, name string, args *CISAlarmsArgs, opts ...pulumi.ResourceOption) (_ *CISAlarms, err error) {
	if args == nil {
		return nil, errNilArgs("CISAlarms")
	}
	defer wrapChildError(&err, "CISAlarms", name)
	e := &argErrors{component: "CISAlarms"}
	var keys []string
	for _, ctl := range cis.Controls() {
		keys = append(keys, ctl.Key)
	}
	checkAlarmSet(e, args.Account, args.LogGroupName, args.TopicArn, args.Prefix, args.Namespace, args.Disabled, keys, "CIS control")
	var alarms []keyedAlarm
	for _, ctl := range cis.Controls() {
		if slices.Contains(args.Disabled, ctl.Key) {
			continue
		}
		alarms = append(alarms, keyedAlarm{ctl.Key, logAlarm{
			name:        name + "-" + ctl.Key,
			alarmName:   Names{args.Prefix}.CISAlarm(ctl.Key),
			description: fmt.Sprintf("%s (%s)", ctl.Title, ctl.ID),
			metric:      ctl.MetricName,
			patterns:    []string{ctl.Pattern},
		}})
	}
	c := &CISAlarms{Alarms: map[string]*cloudwatch.MetricAlarm{}}
	target := alarmTarget{args.Provider, args.Region, args.LogGroupName, args.Namespace, args.PeriodSeconds, args.TopicArn}
	if err := newAlarmSet(ctx, CISAlarmsType, name, c, e, target, alarms, c.Alarms, opts); err != nil {
		return nil, err
	}
	return c, nil
}

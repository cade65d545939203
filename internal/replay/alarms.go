// Package replay runs a stack's metric-filter alarms over CloudTrail log
// files, from a directory tree or S3, and reports how often each would have
// matched and fired: per day, per alarm period, per principal, account,
// source IP and event name.
//
// The alarms come from the stack's plan (the program run offline, as
// `plan` does), so every metric filter and alarm the stack deploys is
// replayed exactly as deployed, whichever component created it.
package replay

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/example/landing-zone-audit/internal/filterpattern"
	"github.com/example/landing-zone-audit/internal/plan"
)

// The plan's resource types of a metric filter and an alarm.
const (
	metricFilterType = "aws:cloudwatch/logMetricFilter:LogMetricFilter"
	metricAlarmType  = "aws:cloudwatch/metricAlarm:MetricAlarm"
)

// Alarm is a CloudWatch alarm on a metric that metric filters feed, with
// what it takes to replay it.
type Alarm struct {
	Name      string   `json:"name"`
	Namespace string   `json:"namespace"`
	Metric    string   `json:"metric"`
	Account   string   `json:"account"`
	Region    string   `json:"region"`
	Patterns  []string `json:"patterns"` // of the metric filters that feed the metric
	// Value is what one matching event adds to the metric (the filters'
	// metric value).
	Value              float64 `json:"value"`
	PeriodSeconds      int     `json:"period"`
	EvaluationPeriods  int     `json:"evaluationPeriods"`
	DatapointsToAlarm  int     `json:"datapointsToAlarm"`
	Threshold          float64 `json:"threshold"`
	Statistic          string  `json:"statistic"`
	ComparisonOperator string  `json:"comparisonOperator"`
	TreatMissingData   string  `json:"treatMissingData"`

	compiled []*filterpattern.Pattern
}

// metricKey names a metric where it lives.
type metricKey struct{ account, region, namespace, name string }

// FromPlan returns every alarm in the plan that metric filters feed, by
// name, with the patterns of its filters. An alarm replay cannot reproduce
// (a filter whose value is not a constant, a statistic other than Sum,
// SampleCount, Average, Minimum or Maximum) is an error naming it.
func FromPlan(p *plan.Plan) ([]Alarm, error) {
	type filter struct {
		pattern string
		value   string
	}
	filters := map[metricKey][]filter{}
	for _, r := range p.Resources {
		if r.Type != metricFilterType {
			continue
		}
		mt, _ := r.Inputs["metricTransformation"].(map[string]any)
		key := metricKey{r.Account, r.Region, str(mt["namespace"]), str(mt["name"])}
		filters[key] = append(filters[key], filter{str(r.Inputs["pattern"]), str(mt["value"])})
	}
	var alarms []Alarm
	var errs []error
	for _, r := range p.Resources {
		if r.Type != metricAlarmType {
			continue
		}
		in := r.Inputs
		key := metricKey{r.Account, r.Region, str(in["namespace"]), str(in["metricName"])}
		fs := filters[key]
		if len(fs) == 0 {
			continue // an alarm on a service's own metric, not on log events
		}
		a := Alarm{
			Name:               str(in["name"]),
			Namespace:          key.namespace,
			Metric:             key.name,
			Account:            r.Account,
			Region:             r.Region,
			PeriodSeconds:      int(num(in["period"])),
			EvaluationPeriods:  int(num(in["evaluationPeriods"])),
			DatapointsToAlarm:  int(num(in["datapointsToAlarm"])),
			Threshold:          num(in["threshold"]),
			Statistic:          str(in["statistic"]),
			ComparisonOperator: str(in["comparisonOperator"]),
			TreatMissingData:   str(in["treatMissingData"]),
		}
		if a.DatapointsToAlarm == 0 {
			a.DatapointsToAlarm = a.EvaluationPeriods // CloudWatch's default
		}
		for _, f := range fs {
			v, err := strconv.ParseFloat(f.value, 64)
			if err != nil {
				errs = append(errs, fmt.Errorf("alarm %s: a metric filter's value %q is not a constant; replay counts events, each adding a constant", a.Name, f.value))
				continue
			}
			if len(a.Patterns) > 0 && v != a.Value {
				errs = append(errs, fmt.Errorf("alarm %s: its metric filters add different values (%v and %v)", a.Name, a.Value, v))
			}
			a.Value = v
			a.Patterns = append(a.Patterns, f.pattern)
		}
		if err := a.compile(); err != nil {
			errs = append(errs, err)
			continue
		}
		alarms = append(alarms, a)
	}
	slices.SortFunc(alarms, func(a, b Alarm) int { return strings.Compare(a.Name, b.Name) })
	return alarms, errors.Join(errs...)
}

// statistics are the alarm statistics replay computes from counts.
var statistics = []string{"Sum", "SampleCount", "Average", "Minimum", "Maximum"}

// compile parses the alarm's patterns and checks that replay can evaluate it.
func (a *Alarm) compile() error {
	if !slices.Contains(statistics, a.Statistic) {
		return fmt.Errorf("alarm %s: statistic %q; replay computes %v", a.Name, a.Statistic, statistics)
	}
	if _, ok := comparisons[a.ComparisonOperator]; !ok {
		return fmt.Errorf("alarm %s: comparison operator %q is not one replay knows", a.Name, a.ComparisonOperator)
	}
	if a.PeriodSeconds <= 0 || a.EvaluationPeriods <= 0 || a.DatapointsToAlarm <= 0 || a.DatapointsToAlarm > a.EvaluationPeriods {
		return fmt.Errorf("alarm %s: period %d s, %d of %d evaluation periods: not an alarm CloudWatch accepts", a.Name, a.PeriodSeconds, a.DatapointsToAlarm, a.EvaluationPeriods)
	}
	a.compiled = a.compiled[:0]
	for _, text := range a.Patterns {
		p, err := filterpattern.Parse(text)
		if err != nil {
			return fmt.Errorf("alarm %s: %w", a.Name, err)
		}
		a.compiled = append(a.compiled, p)
	}
	return nil
}

// comparisons are CloudWatch's threshold comparisons (the anomaly-detection
// band operators need a model, not a threshold).
var comparisons = map[string]func(v, threshold float64) bool{
	"GreaterThanOrEqualToThreshold": func(v, t float64) bool { return v >= t },
	"GreaterThanThreshold":          func(v, t float64) bool { return v > t },
	"LessThanThreshold":             func(v, t float64) bool { return v < t },
	"LessThanOrEqualToThreshold":    func(v, t float64) bool { return v <= t },
}

func str(v any) string {
	s, _ := v.(string)
	return s
}

func num(v any) float64 {
	switch v := v.(type) {
	case float64:
		return v
	case int:
		return float64(v)
	case string:
		f, _ := strconv.ParseFloat(v, 64)
		return f
	}
	return 0
}

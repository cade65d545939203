package tests

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/example/landing-zone-audit/config"
	"github.com/example/landing-zone-audit/internal/detection"
	"github.com/example/landing-zone-audit/internal/plan"
)

// supplementaryExpectations maps each supplementary detection to the events
// it must fire on and the look-alikes it must stay silent on. The events are
// written from AWS's documentation of them (the comments in
// detection/supplementary.go name the pages).
func supplementaryExpectations(t testing.TB) map[string]struct{ Match, NoMatch []string } {
	t.Helper()
	data, err := os.ReadFile("testdata/cloudtrail/supplementary.json")
	require.NoError(t, err)
	var exp map[string]struct{ Match, NoMatch []string }
	require.NoError(t, json.Unmarshal(data, &exp))
	return exp
}

// Each supplementary alarm's pattern, as the engine saw it, fires on the
// documented events of its attack path and stays silent on the benign
// look-alikes (read-only calls, AWS service events, federated sign-ins,
// sign-in failures the CIS alarm already counts); and the CIS alarm it
// supplements really misses the events it catches.
func TestSupplementaryAlarmsFireOnTheirEvents(t *testing.T) {
	t.Parallel()
	p := runPlan(t, exampleConfig(t))
	filters := named(p, typeLogMetricFilter)
	exp := supplementaryExpectations(t)
	gaps := map[string]string{}
	for _, d := range detection.SupplementaryAlarms() {
		gaps[d.Key] = d.Gap
		require.Contains(t, exp, d.Key, "every supplementary detection has fixtures")
	}
	cisKey := map[string]string{}
	for key := range publishedCISPatterns {
		cisKey[cisControlID(key)] = key
	}
	for key, e := range exp {
		f, ok := filters["detect-"+key+"-filter"]
		require.True(t, ok, key)
		require.NotEmpty(t, e.Match, key)
		require.NotEmpty(t, e.NoMatch, key)
		for _, ev := range e.Match {
			assert.True(t, matchesAny(t, []plan.Resource{f}, fixture(t, ev)), "%s should fire on %s", key, ev)
			gap := filters["cis-"+cisKey[gaps[key]]+"-filter"]
			assert.False(t, matchesAny(t, []plan.Resource{gap}, fixture(t, ev)), "%s (%s) already catches %s", gaps[key], cisKey[gaps[key]], ev)
		}
		for _, ev := range e.NoMatch {
			assert.False(t, matchesAny(t, []plan.Resource{f}, fixture(t, ev)), "%s should stay silent on %s", key, ev)
		}
	}
}

// cisControlID is the Security Hub control of a CIS alarm key.
func cisControlID(key string) string {
	for id, k := range map[string]string{
		"CloudWatch.1": "rootUsage", "CloudWatch.2": "unauthorizedApiCalls", "CloudWatch.3": "consoleSignInWithoutMfa",
		"CloudWatch.4": "iamPolicyChanges", "CloudWatch.5": "cloudTrailChanges", "CloudWatch.6": "consoleAuthFailures",
	} {
		if k == key {
			return id
		}
	}
	return ""
}

// The supplementary alarms notify the alert topic as the CIS alarms do, with
// their own metric, the prefix in their names and a description that says
// what they catch and which CIS control misses it (the command that lists
// the events is checked for every alarm by TestAlarmNotificationsListTheEvents).
func TestSupplementaryAlarmsNotifyLikeTheCISAlarms(t *testing.T) {
	t.Parallel()
	p := runPlan(t, exampleConfig(t))
	for _, d := range detection.SupplementaryAlarms() {
		f := one(t, p, typeLogMetricFilter, "detect-"+d.Key+"-filter")
		assert.Equal(t, "management", f.Account)
		assert.Equal(t, "eu-west-2", f.Region)
		assert.Equal(t, "OrgTrail/org-audit-log", f.Inputs["logGroupName"])
		assert.Equal(t, d.MetricName, input(f, "metricTransformation.name"))
		assert.Equal(t, "OrgTrailMetrics", input(f, "metricTransformation.namespace"))

		alarm := one(t, p, typeMetricAlarm, "detect-"+d.Key+"-alarm")
		assert.Equal(t, "acme-detect-"+d.Key, alarm.Inputs["name"])
		assert.Equal(t, []any{alertTopicArn}, alarm.Inputs["alarmActions"], d.Key)
		assert.Equal(t, d.MetricName, alarm.Inputs["metricName"])
		assert.Equal(t, 60.0, alarm.Inputs["period"], "standard-resolution metrics need 60 s or more")
		assert.Equal(t, 1.0, alarm.Inputs["threshold"])
		assert.Equal(t, "GreaterThanOrEqualToThreshold", alarm.Inputs["comparisonOperator"])
		assert.Equal(t, "notBreaching", alarm.Inputs["treatMissingData"])
		desc := alarm.Inputs["alarmDescription"].(string)
		assert.True(t, strings.HasPrefix(desc, d.Title), d.Key)
		assert.Contains(t, desc, d.Gap+"'s published pattern misses it")
		assert.True(t, dependsOn(alarm, f))
	}
}

// alarms.supplementary turns the set off, or single detections by name; an
// unknown name or a switch that is not true/false is refused naming the key.
func TestSupplementaryAlarmsAreSwitchable(t *testing.T) {
	t.Parallel()
	t.Run("one switched off", func(t *testing.T) {
		t.Parallel()
		p := runPlan(t, with(exampleConfig(t), "alarms", map[string]any{"supplementary": map[string]any{"alarms": map[string]any{"vpceAccessDenied": false}}}))
		filters := named(p, typeLogMetricFilter)
		assert.NotContains(t, filters, "detect-vpceAccessDenied-filter")
		assert.Contains(t, filters, "detect-rootConsoleActions-filter")
		assert.Contains(t, filters, "cis-rootUsage-filter")
		var out strings.Builder
		require.NoError(t, p.Write(&out, "table"))
		assert.NotContains(t, out.String(), "network activity events", "no note once the alarm is off")
	})
	t.Run("the set switched off", func(t *testing.T) {
		t.Parallel()
		p := runPlan(t, with(exampleConfig(t), "alarms", map[string]any{"supplementary": map[string]any{"enabled": false}}))
		assert.Empty(t, p.ByType("landingzone:audit:SupplementaryAlarms"))
		for name := range named(p, typeLogMetricFilter) {
			assert.False(t, strings.HasPrefix(name, "detect-"), name)
		}
	})
	t.Run("bad switches", func(t *testing.T) {
		t.Parallel()
		_, err := config.Load(with(exampleConfig(t), "alarms", map[string]any{"supplementary": map[string]any{"alarms": map[string]any{"rootSigninWithoutMfa": false}}}))
		require.Error(t, err)
		assert.Contains(t, err.Error(), "landing-zone-audit:alarms.supplementary.alarms.rootSigninWithoutMfa: not a supplementary alarm")
		assert.Contains(t, err.Error(), `did you mean "rootSignInWithoutMfa"`)

		_, err = config.Load(with(exampleConfig(t), "alarms", map[string]any{"supplementary": map[string]any{"alarms": map[string]any{"vpceAccessDenied": "off"}}}))
		require.Error(t, err)
		assert.Contains(t, err.Error(), `landing-zone-audit:alarms.supplementary.alarms.vpceAccessDenied: found the text "off", expected true or false`)

		_, err = config.Load(with(exampleConfig(t), "alarms", map[string]any{"supplementary": true}))
		require.Error(t, err)
		assert.Contains(t, err.Error(), "landing-zone-audit:alarms.supplementary: found true, expected a mapping of fields")
	})
}

// VPC endpoint denials are network activity events, which a trail logs only
// when its event selectors select them (CloudTrail user guide, "CloudTrail
// record contents", network activity events are not logged by default): the
// plan says so while the alarm is on and the stack's trail selects none, and
// for a trail it does not deploy, that the trail must select them.
func TestPlanNotesTheVpceAlarmNeedsNetworkActivityEvents(t *testing.T) {
	t.Parallel()
	for name, tc := range map[string]struct {
		src  config.Source
		want string
	}{
		"the stack's trail": {exampleConfig(t), "and the organization trail this stack deploys selects none"},
		"an existing trail": {with(with(exampleConfig(t), "orgTrail", map[string]any{"enabled": false}), "alarms", map[string]any{"logGroupName": "existing-trail-logs"}),
			"and the existing trail must select them (eventCategory NetworkActivity)"},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var out strings.Builder
			require.NoError(t, runPlan(t, tc.src).Write(&out, "table"))
			assert.Contains(t, out.String(), "note: acme-detect-vpceAccessDenied counts requests refused by VPC endpoint policies, which CloudTrail logs only as network activity events, "+tc.want)
		})
	}
}

// CloudWatch Logs allows 100 metric filters per log group (CloudWatch Logs
// quotas, "Metric filters: 100 per log group"); the CIS, elevated-role and
// supplementary filters share the trail's log group, so a configuration
// whose three sets together need more is refused with the count, and fits
// once the supplementary set is switched off.
func TestMetricFilterQuotaCountsTheSupplementaryAlarms(t *testing.T) {
	t.Parallel()
	base := with(exampleConfig(t), "maxProviderProcesses", 4000)
	accountsFor := func(n int) map[string]map[string]string {
		a := map[string]map[string]string{
			"management": {"id": prodManagementID, "email": "aws-management@example.com"}, "security": {"id": prodSecurityID}, "logArchive": {"id": prodLogArchiveID},
		}
		for i := 0; i < n; i++ {
			a[fmt.Sprintf("member%d", i)] = map[string]string{"id": fmt.Sprintf("9%011d", i)}
		}
		return a
	}
	off := map[string]any{"supplementary": map[string]any{"enabled": false}}
	// Find an organization whose CIS and elevated-role filters fit but
	// leave fewer than the supplementary set needs.
	var raw config.Source
	var without config.MetricFilters
	for n := 300; n < 500; n += 2 {
		src := with(with(base, "accounts", accountsFor(n)), "alarms", off)
		cfg, err := config.Load(src)
		require.NoError(t, err, n)
		without = cfg.MetricFilters()
		if without.Total()+len(detection.SupplementaryKeys()) > detection.MaxFiltersPerLogGroup {
			raw = src
			break
		}
	}
	require.NotEmpty(t, raw.Values, "no organization size found")
	require.LessOrEqual(t, without.Total(), detection.MaxFiltersPerLogGroup)

	_, err := config.Load(with(raw, "alarms", map[string]any{}))
	require.Error(t, err)
	want := fmt.Sprintf("landing-zone-audit:alarms.elevatedRoles: needs %d metric filters on the trail's log group (CIS %d, elevated-role %d, supplementary %d); CloudWatch Logs allows 100",
		without.Total()+len(detection.SupplementaryKeys()), without.CIS, without.ElevatedRole, len(detection.SupplementaryKeys()))
	assert.Contains(t, err.Error(), want)
	assert.Contains(t, err.Error(), "alarms.supplementary.alarms.<name>: false")
}

// The plan says how many of the log group's 100 metric filters the stack
// uses and how many remain for others.
func TestPlanSaysHowManyMetricFiltersRemain(t *testing.T) {
	t.Parallel()
	p := runPlan(t, exampleConfig(t))
	n := len(p.ByType(typeLogMetricFilter))
	require.Equal(t, len(publishedCISPatterns)+1+len(detection.SupplementaryKeys()), n)
	code, stdout, stderr := runCLI(t, "", "plan", "--config", writeStackFile(t, exampleConfig(t)))
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, stdout, fmt.Sprintf("metric filters on log group OrgTrail/org-audit-log (management eu-west-2): %d of 100, %d remain\n", n, 100-n))
}

// docs/detection.md's table says which alarm catches which fixture event;
// it is the evaluator's answer for every alarm of the example stack (CIS,
// elevated-role and supplementary) on every event in testdata/cloudtrail.
func TestDetectionDocsTableIsTheEvaluatorsAnswer(t *testing.T) {
	t.Parallel()
	p := runPlan(t, exampleConfig(t))
	alarmOf := map[string][]plan.Resource{}
	for _, f := range p.ByType(typeLogMetricFilter) {
		alarm := strings.TrimSuffix(f.Name, "-filter")
		alarm = regexp.MustCompile(`-\d+$`).ReplaceAllString(alarm, "")
		alarmOf[alarm] = append(alarmOf[alarm], f)
	}
	events, err := filepath.Glob("testdata/cloudtrail/*.json")
	require.NoError(t, err)
	want := map[string]string{}
	for _, path := range events {
		name := filepath.Base(path)
		if name == "expectations.json" || name == "supplementary.json" {
			continue
		}
		var fired []string
		for alarm, filters := range alarmOf {
			if matchesAny(t, filters, fixture(t, name)) {
				fired = append(fired, "`"+alarm+"`")
			}
		}
		sort.Strings(fired)
		if len(fired) == 0 {
			fired = []string{"none"}
		}
		want[strings.TrimSuffix(name, ".json")] = strings.Join(fired, ", ")
	}

	doc, err := os.ReadFile("../docs/detection.md")
	require.NoError(t, err)
	got := map[string]string{}
	for _, m := range regexp.MustCompile("(?m)^\\| `([a-z0-9-]+)` \\| (.+?) \\|$").FindAllStringSubmatch(string(doc), -1) {
		got[m[1]] = m[2]
	}
	assert.Equal(t, want, got, "regenerate the table in docs/detection.md from the evaluator's answers")
}

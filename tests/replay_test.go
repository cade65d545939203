package tests

import (
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/example/landing-zone-audit/internal/cloudtrailgen"
	"github.com/example/landing-zone-audit/internal/replay"
)

// replayArchive writes a small archive of the example organization: 5
// accounts, 1 day, 4 files of 150 events each.
func replayArchive(t *testing.T) string {
	t.Helper()
	root := t.TempDir()
	g := cloudtrailgen.New(11, []string{prodManagementID, "222222222222", "333333333333", "444444444444", "555555555555"},
		"elevated-security-role", []string{"444444444444", "555555555555"})
	a := cloudtrailgen.Archive{Organization: "o-exampleorg1", Regions: []string{"eu-west-2"}, Start: time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC), Days: 1, FilesPerDay: 4, EventsPerFile: 150}
	_, err := a.Write(g, root)
	require.NoError(t, err)
	return root
}

// replay takes its alarms from the stack's plan: every metric alarm that
// metric filters feed, with the filters' patterns and the alarm's own
// period, evaluation periods, threshold and statistic, whichever component
// deployed it.
func TestReplayTakesEveryMetricFilterAlarmOfThePlan(t *testing.T) {
	t.Parallel()
	_, p := exampleStack(t)
	alarms, err := replay.FromPlan(p)
	require.NoError(t, err)

	filters := p.ByType("aws:cloudwatch/logMetricFilter:LogMetricFilter")
	var want []string
	for _, a := range p.ByType(typeMetricAlarm) {
		var patterns []string
		for _, f := range filters {
			mt := f.Inputs["metricTransformation"].(map[string]any)
			if mt["name"] == a.Inputs["metricName"] && mt["namespace"] == a.Inputs["namespace"] {
				patterns = append(patterns, f.Inputs["pattern"].(string))
			}
		}
		if len(patterns) == 0 {
			continue // not fed by log events
		}
		name := a.Inputs["name"].(string)
		want = append(want, name)
		i := slices.IndexFunc(alarms, func(r replay.Alarm) bool { return r.Name == name })
		require.GreaterOrEqual(t, i, 0, "alarm %s is not replayed", name)
		got := alarms[i]
		assert.ElementsMatch(t, patterns, got.Patterns, name)
		assert.Equal(t, a.Inputs["period"], float64(got.PeriodSeconds), name)
		assert.Equal(t, a.Inputs["evaluationPeriods"], float64(got.EvaluationPeriods), name)
		assert.Equal(t, a.Inputs["threshold"], got.Threshold, name)
		assert.Equal(t, a.Inputs["statistic"], got.Statistic, name)
		assert.Equal(t, a.Inputs["comparisonOperator"], got.ComparisonOperator, name)
	}
	assert.Len(t, alarms, len(want))
	assert.Contains(t, want, "acme-elevated-role-used")
	assert.Contains(t, want, "acme-cis-rootUsage")
}

func TestReplayCommand(t *testing.T) {
	t.Parallel()
	_, p := exampleStack(t)
	alarms, err := replay.FromPlan(p)
	require.NoError(t, err)
	root := replayArchive(t)
	dir := t.TempDir()
	chart, events := filepath.Join(dir, "chart.svg"), filepath.Join(dir, "events.jsonl")
	code, stdout, stderr := runCLI(t, "", "replay", "--config", "../Pulumi.prod.yaml", root, "--format", "json", "--chart", chart, "--events", events)
	require.Equal(t, 0, code, stderr)
	var rep replay.Report
	require.NoError(t, json.Unmarshal([]byte(stdout), &rep))
	assert.Equal(t, int64(20), rep.Summary.Files)
	assert.Equal(t, int64(3000), rep.Summary.Events)
	var matches int64
	for _, a := range rep.Alarms {
		matches += a.Matches
	}
	assert.Positive(t, matches)
	assert.Contains(t, stderr, fmt.Sprintf("replay: %d alarms over 20 files", len(alarms)))
	assert.Len(t, rep.Alarms, len(alarms))

	data, err := os.ReadFile(events)
	require.NoError(t, err)
	assert.Positive(t, strings.Count(string(data), "\n"))
	svg, err := os.ReadFile(chart)
	require.NoError(t, err)
	require.NoError(t, xml.Unmarshal(svg, new(struct{ XMLName xml.Name })))
	assert.Contains(t, string(svg), "acme-cis-unauthorizedApiCalls 2026-02-01: ")

	code, stdout, _ = runCLI(t, "", "replay", "--config", "../Pulumi.prod.yaml", "--format", "csv", "--alarm", "acme-cis-rootUsage", root)
	require.Equal(t, 0, code)
	rows, err := csv.NewReader(strings.NewReader(stdout)).ReadAll()
	require.NoError(t, err)
	require.Len(t, rows, 2)
	assert.Equal(t, "acme-cis-rootUsage", rows[1][0])

	// Bad input: named, the run goes on, and the status says so.
	bad := filepath.Join(t.TempDir(), "bad.jsonl")
	require.NoError(t, os.WriteFile(bad, []byte("not json\n"), 0o644))
	code, stdout, stderr = runCLI(t, "", "replay", "--config", "../Pulumi.prod.yaml", root, bad)
	assert.Equal(t, 3, code, stderr)
	assert.Contains(t, stdout, bad+": 1 events skipped, the first: document 1 (line 1, column 1) is not valid JSON")
	assert.Contains(t, stderr, "1 files could not be read in full")
}

// A stack that deploys no metric-filter alarm says so; bad flags are
// refused, every problem at once.
func TestReplayCommandRefuses(t *testing.T) {
	t.Parallel()
	off := map[string]any{"elevatedRoleDisabled": true, "cisEnabled": false, "supplementary": map[string]any{"enabled": false}}
	src := with(with(exampleConfig(t), "alarms", off), "alertEmails", []string{})
	code, _, stderr := runCLI(t, "", "replay", "--config", writeStackFile(t, src), ".")
	assert.Equal(t, 2, code, stderr)
	assert.Contains(t, stderr, "deploys no metric-filter alarms")

	code, _, stderr = runCLI(t, "", "replay", "--since", "2026-13-01", "--until", "yesterday", "--account", "123", "--region", "Europe", "--format", "xml")
	assert.Equal(t, 2, code)
	for _, want := range []string{"name at least one source", `--since "2026-13-01" is not a day`, `--until "yesterday"`, `--account "123" is not an account ID`, `--region "Europe"`, `--format "xml"`} {
		assert.Contains(t, stderr, want)
	}

	code, _, stderr = runCLI(t, "", "replay", "--config", "../Pulumi.prod.yaml", "--alarm", "nope", ".")
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, "the stack deploys no such alarm; it deploys acme-cis-")
}

// replay chooses the stack as plan does (--stack, then PULUMI_STACK, then
// the project's only stack file), rather than a stack of its own choosing.
// Not parallel: it sets PULUMI_STACK.
func TestReplaySelectsTheStackAsPlanDoes(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "events.jsonl"), []byte(`{"eventName":"StopLogging","eventSource":"cloudtrail.amazonaws.com"}`+"\n"), 0o600))

	t.Setenv("PULUMI_STACK", "")
	code, stdout, stderr := runCLI(t, "", "replay", dir)
	assert.Equal(t, 2, code)
	assert.Empty(t, stdout)
	assert.Regexp(t, `replay: no stack selected and the project has \d+ stack files`, stderr)

	t.Setenv("PULUMI_STACK", "large")
	code, stdout, stderr = runCLI(t, "", "replay", "--format", "json", dir)
	require.Equal(t, 0, code, stderr)
	var rep struct {
		Alarms []struct{ Name string } `json:"alarms"`
	}
	require.NoError(t, json.Unmarshal([]byte(stdout), &rep))
	require.NotEmpty(t, rep.Alarms)
	for _, a := range rep.Alarms {
		assert.True(t, strings.HasPrefix(a.Name, "globex-"), "Pulumi.large.yaml's alarm, not prod's: %s", a.Name)
	}

	code, stdout, stderr = runCLI(t, "", "replay", "--stack", "prod", "--format", "json", dir)
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, stdout, `"acme-cis-`, "--stack before PULUMI_STACK")
}

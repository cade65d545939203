package replay_test

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"encoding/xml"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/example/landing-zone-audit/internal/cis"
	"github.com/example/landing-zone-audit/internal/cloudtrailgen"
	"github.com/example/landing-zone-audit/internal/detection"
	"github.com/example/landing-zone-audit/internal/filterpattern"
	"github.com/example/landing-zone-audit/internal/replay"
)

var (
	accounts         = []string{"111111111111", "222222222222", "333333333333", "444444444444", "555555555555"}
	elevatedAccounts = []string{"444444444444", "555555555555"}
	regions          = []string{"eu-west-2", "eu-west-1"}
	start            = time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
)

// stackAlarms are alarms the example stack deploys (Pulumi.prod.yaml):
// every CIS control, the supplementary set and the elevated-role alarm,
// 60-second periods, Sum >= 1
// over one period, as components/alarms.go creates them.
func stackAlarms() []replay.Alarm {
	alarm := func(name string, patterns []string) replay.Alarm {
		return replay.Alarm{Name: name, Namespace: "OrgTrailMetrics", Metric: name, Patterns: patterns, Value: 1,
			PeriodSeconds: 60, EvaluationPeriods: 1, DatapointsToAlarm: 1, Threshold: 1, Statistic: "Sum",
			ComparisonOperator: "GreaterThanOrEqualToThreshold", TreatMissingData: "notBreaching"}
	}
	var alarms []replay.Alarm
	for _, c := range cis.Controls() {
		alarms = append(alarms, alarm("cis-"+c.Key, []string{c.Pattern}))
	}
	for _, s := range detection.SupplementaryAlarms() {
		alarms = append(alarms, alarm("supplementary-"+s.Key, []string{s.Pattern}))
	}
	return append(alarms, alarm("elevated-role", detection.ElevatedRolePatterns("aws", []detection.ElevatedRole{{RoleName: "elevated-security-role", AccountIDs: elevatedAccounts}})))
}

var (
	archiveOnce sync.Once
	archiveRoot string
	archiveErr  error
)

func TestMain(m *testing.M) {
	code := m.Run()
	if archiveRoot != "" {
		os.RemoveAll(archiveRoot)
	}
	os.Exit(code)
}

// sharedArchive is one generated archive that the tests only read.
func sharedArchive(t testing.TB) string {
	t.Helper()
	archiveOnce.Do(func() {
		archiveRoot, archiveErr = os.MkdirTemp("", "replay-archive-")
		if archiveErr == nil {
			writeArchive(t, archiveRoot)
		}
	})
	require.NoError(t, archiveErr)
	return archiveRoot
}

// writeArchive writes 5 accounts x 2 regions x 5 days x 6 files = 300 log
// files of 100 events, with digests beside them.
func writeArchive(t testing.TB, root string) {
	t.Helper()
	g := cloudtrailgen.New(7, accounts, "elevated-security-role", elevatedAccounts)
	a := cloudtrailgen.Archive{Organization: "o-exampleorg1", Regions: regions, Start: start, Days: 5, FilesPerDay: 6, EventsPerFile: 100}
	paths, err := a.Write(g, root)
	require.NoError(t, err)
	require.Len(t, paths, 300)
}

// expected is the independent check: every log file read whole with the
// standard library, every event decoded and matched with the reference
// evaluator (filterpattern.Match), with no streaming reader, no raw-bytes
// check and no parallelism.
type expected struct {
	matches    int64
	days       map[string]int64
	minutes    map[int64]bool
	principals map[string]int64
	eventIDs   map[string]bool
}

func reference(t testing.TB, root string, alarms []replay.Alarm, keep func(ev map[string]any) bool) map[string]*expected {
	t.Helper()
	out := map[string]*expected{}
	for _, a := range alarms {
		out[a.Name] = &expected{days: map[string]int64{}, minutes: map[int64]bool{}, principals: map[string]int64{}, eventIDs: map[string]bool{}}
	}
	patterns := map[string][]*filterpattern.Pattern{}
	for _, a := range alarms {
		for _, text := range a.Patterns {
			p, err := filterpattern.Parse(text)
			require.NoError(t, err)
			patterns[a.Name] = append(patterns[a.Name], p)
		}
	}
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		// The check reads the files as CloudTrail writes them, the standard
		// library's way: whole, with compress/gzip and encoding/json.
		if err != nil || d.IsDir() || strings.Contains(path, "CloudTrail-Digest") || !strings.HasSuffix(path, ".json.gz") {
			return err
		}
		f, err := os.Open(path)
		require.NoError(t, err)
		defer f.Close()
		zr, err := gzip.NewReader(f)
		require.NoError(t, err)
		var file struct{ Records []json.RawMessage }
		require.NoError(t, json.NewDecoder(zr).Decode(&file), path)
		for _, ev := range file.Records {
			var fields map[string]any
			require.NoError(t, json.Unmarshal(ev, &fields))
			if keep != nil && !keep(fields) {
				continue
			}
			parsed, err := filterpattern.ParseEvent(ev)
			require.NoError(t, err)
			for _, a := range alarms {
				hit := false
				for _, p := range patterns[a.Name] {
					ok, err := p.MatchEvent(parsed)
					require.NoError(t, err)
					hit = hit || ok
				}
				if !hit {
					continue
				}
				e := out[a.Name]
				e.matches++
				when, err := time.Parse(time.RFC3339, fields["eventTime"].(string))
				require.NoError(t, err)
				e.days[when.Format(time.DateOnly)]++
				e.minutes[when.Unix()/60] = true
				id := fields["userIdentity"].(map[string]any)
				principal, _ := id["arn"].(string)
				if principal == "" {
					principal, _ = id["invokedBy"].(string)
				}
				e.principals[principal]++
				e.eventIDs[fields["eventID"].(string)] = true
			}
		}
		return nil
	})
	require.NoError(t, err)
	return out
}

// check compares a replay's report with the independent check.
func check(t *testing.T, rep *replay.Report, want map[string]*expected) {
	t.Helper()
	require.Len(t, rep.Alarms, len(want))
	for _, a := range rep.Alarms {
		e := want[a.Name]
		assert.Equal(t, e.matches, a.Matches, a.Name)
		days := map[string]int64{}
		for _, d := range a.Days {
			days[d.Value] = d.Count
		}
		assert.Equal(t, e.days, days, a.Name)
		// Sum >= 1 over a 60-second period: a period breaches when it holds
		// a match, and each run of consecutive breaching minutes is one alarm.
		assert.Equal(t, int64(len(e.minutes)), a.BreachingPeriods, a.Name)
		var runs int64
		for m := range e.minutes {
			if !e.minutes[m-1] {
				runs++
			}
		}
		assert.Equal(t, runs, a.Alarms, a.Name)
		for _, p := range a.TopPrincipals {
			assert.Equal(t, e.principals[p.Value], p.Count, "%s: %s", a.Name, p.Value)
		}
	}
}

// The replay of a generated archive of 300 files reproduces, alarm by
// alarm, what the independent check finds: matches, days, breaching
// periods, alarms and principals; digest files are skipped.
func TestReplayArchive(t *testing.T) {
	t.Parallel()
	root := sharedArchive(t)
	alarms := stackAlarms()
	want := reference(t, root, alarms, nil)
	for name, e := range want {
		require.Positive(t, e.matches, "the archive holds no match for %s: the check would prove nothing", name)
	}

	var events bytes.Buffer
	rep, err := replay.Run(context.Background(), alarms, replay.Options{Sources: []string{root}, Events: &events, Parallel: 3})
	require.NoError(t, err)
	check(t, rep, want)
	assert.Equal(t, int64(300), rep.Summary.Files, "300 log files; the digests are not read")
	assert.Equal(t, int64(30_000), rep.Summary.Events)
	assert.Empty(t, rep.Problems)
	assert.Less(t, rep.Summary.Parsed, rep.Summary.Events/10, "the raw-bytes check rules most events out")

	// --events: each matching event once, with the alarms it matched.
	seen := map[string][]string{}
	sc := bufio.NewScanner(&events)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var rec replay.EventRecord
		require.NoError(t, json.Unmarshal(sc.Bytes(), &rec))
		var ev struct{ EventID string }
		require.NoError(t, json.Unmarshal(rec.Event, &ev))
		assert.NotContains(t, seen, ev.EventID)
		seen[ev.EventID] = rec.Alarms
		assert.True(t, strings.HasPrefix(rec.File, root), rec.File)
	}
	for name, e := range want {
		for id := range e.eventIDs {
			assert.Contains(t, seen[id], name)
		}
	}
}

// --since, --until, --account and --region narrow the directories read and
// the events counted, as the check finds with the same filter on each event.
func TestReplayScope(t *testing.T) {
	t.Parallel()
	root := sharedArchive(t)
	alarms := stackAlarms()
	since, until := start.AddDate(0, 0, 1), start.AddDate(0, 0, 2)
	want := reference(t, root, alarms, func(ev map[string]any) bool {
		when, _ := time.Parse(time.RFC3339, ev["eventTime"].(string))
		return !when.Before(since) && when.Before(until.AddDate(0, 0, 1)) &&
			ev["recipientAccountId"] == "444444444444" && ev["awsRegion"] == "eu-west-1"
	})
	rep, err := replay.Run(context.Background(), alarms, replay.Options{
		Sources: []string{root},
		Scope:   replay.Scope{Since: since, Until: until, Accounts: []string{"444444444444"}, Regions: []string{"eu-west-1"}},
	})
	require.NoError(t, err)
	check(t, rep, want)
	// The day before, the two days and the day after, as CloudTrail may
	// file an event under the next day: 4 days of 6 files.
	assert.Equal(t, int64(24), rep.Summary.Files)
}

// Bad input is counted per file with its path and the run goes on; the
// good files' events all count. --strict stops at the first.
func TestReplayBadInput(t *testing.T) {
	t.Parallel()
	root := sharedArchive(t)
	alarms := stackAlarms()
	want := reference(t, root, alarms, nil)

	bad := t.TempDir()
	benign := `{"eventVersion":"1.10","eventTime":"2026-03-01T00:00:00Z","eventSource":"s3.amazonaws.com","eventName":"ListBuckets","recipientAccountId":"111111111111"}`
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	_, _ = zw.Write([]byte(`{"Records":[` + strings.Repeat(benign+",", 200) + benign + `]}`))
	require.NoError(t, zw.Close())
	files := map[string][]byte{
		"truncated.json.gz":   gz.Bytes()[:gz.Len()/2],
		"corrupt.json.gz":     append([]byte{0x1f, 0x8b}, bytes.Repeat([]byte("x"), 100)...),
		"not-json.jsonl":      []byte(benign + "\nnot json\n" + benign + "\n"),
		"records.json":        []byte(`{"Records":[` + benign + `, "not an event", ` + benign + `]}`),
		"fine-but-empty.json": []byte(`{"Records":[]}`),
	}
	for name, data := range files {
		require.NoError(t, os.WriteFile(filepath.Join(bad, name), data, 0o644))
	}
	require.NoError(t, os.Symlink(filepath.Join(bad, "gone"), filepath.Join(bad, "dangling.json.gz")))

	rep, err := replay.Run(context.Background(), alarms, replay.Options{Sources: []string{root, bad}})
	require.NoError(t, err)
	check(t, rep, want)
	byPath := map[string]replay.Problem{}
	for _, p := range rep.Problems {
		byPath[filepath.Base(p.Path)] = p
	}
	assert.Len(t, rep.Problems, 5, "%+v", rep.Problems)
	assert.Contains(t, byPath["truncated.json.gz"].Error, "unexpected EOF")
	assert.Contains(t, byPath["corrupt.json.gz"].Error, "gzip")
	assert.Equal(t, int64(1), byPath["not-json.jsonl"].BadEvents)
	assert.Contains(t, byPath["not-json.jsonl"].FirstBadEvent, "line 2")
	assert.Equal(t, int64(1), byPath["records.json"].BadEvents)
	assert.Contains(t, byPath["records.json"].FirstBadEvent, "is not a JSON object")
	assert.Contains(t, byPath["dangling.json.gz"].Error, "no such file")
	assert.Equal(t, int64(2), rep.Summary.BadEvents)

	rep, err = replay.Run(context.Background(), alarms, replay.Options{Sources: []string{bad}, Strict: true, Parallel: 1})
	require.NoError(t, err)
	assert.True(t, rep.Summary.Stopped)
	assert.Len(t, rep.Problems, 1)
}

// A source that does not exist stops the replay before anything is read.
func TestReplaySourceErrors(t *testing.T) {
	t.Parallel()
	_, err := replay.Run(context.Background(), stackAlarms(), replay.Options{Sources: []string{"/nonexistent/archive", "ftp://x/y"}})
	assert.ErrorContains(t, err, "/nonexistent/archive")
	assert.ErrorContains(t, err, "only directories, files and s3://bucket/prefix")
	_, err = replay.Run(context.Background(), nil, replay.Options{Sources: []string{"."}})
	assert.ErrorContains(t, err, "no alarms")
}

// The outputs: JSON that reads back as the report, CSV with one row per
// alarm, and an SVG chart with a cell per alarm and day with matches.
func TestReplayOutputs(t *testing.T) {
	t.Parallel()
	root := sharedArchive(t)
	rep, err := replay.Run(context.Background(), stackAlarms(), replay.Options{Sources: []string{root}})
	require.NoError(t, err)

	var js bytes.Buffer
	require.NoError(t, rep.Write(&js, "json"))
	var back replay.Report
	require.NoError(t, json.Unmarshal(js.Bytes(), &back))
	assert.Equal(t, rep.Alarms[0].Matches, back.Alarms[0].Matches)
	assert.Equal(t, rep.Alarms[0].Days, back.Alarms[0].Days)

	var csvOut bytes.Buffer
	require.NoError(t, rep.Write(&csvOut, "csv"))
	lines := strings.Split(strings.TrimSpace(csvOut.String()), "\n")
	assert.Len(t, lines, 1+len(rep.Alarms))

	var svg bytes.Buffer
	require.NoError(t, rep.WriteChart(&svg))
	cells := 0
	for _, a := range rep.Alarms {
		cells += len(a.Days)
		for _, d := range a.Days {
			assert.Contains(t, svg.String(), "<title>"+a.Name+" "+d.Value+": ")
		}
	}
	assert.Equal(t, cells, strings.Count(svg.String(), "</title></rect>")-10, "one titled cell per alarm-day, and the legend's ten")
	require.NoError(t, xmlWellFormed(svg.Bytes()))
}

func xmlWellFormed(b []byte) error {
	dec := xml.NewDecoder(bytes.NewReader(b))
	for {
		_, err := dec.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

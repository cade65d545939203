package cis_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/example/landing-zone-audit/internal/cis"
	"github.com/example/landing-zone-audit/internal/filterpattern"
)

const fixtureDir = "../../tests/testdata/cloudtrail"

// extraExpectationKeys are entries in expectations.json that are not cis
// controls (they belong to other packages' alarms).
var extraExpectationKeys = []string{"elevatedRole"}

type expectation struct {
	Match   []string `json:"match"`
	NoMatch []string `json:"noMatch"`
}

func loadExpectations(t *testing.T) map[string]expectation {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(fixtureDir, "expectations.json"))
	if err != nil {
		t.Fatalf("reading expectations: %v", err)
	}
	var exp map[string]expectation
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&exp); err != nil {
		t.Fatalf("decoding expectations: %v", err)
	}
	return exp
}

// loadEvent reads a fixture and compacts it to one line, the form a
// CloudTrail record takes as a CloudWatch Logs event message.
func loadEvent(t *testing.T, name string) []byte {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(fixtureDir, name))
	if err != nil {
		t.Fatalf("reading fixture: %v", err)
	}
	var buf bytes.Buffer
	if err := json.Compact(&buf, raw); err != nil {
		t.Fatalf("fixture %s is not valid JSON: %v", name, err)
	}
	return buf.Bytes()
}

func TestControlsListShape(t *testing.T) {
	controls := cis.Controls()
	if got, want := len(controls), 15; got != want {
		t.Fatalf("len(Controls()) = %d, want %d", got, want)
	}

	wantIDs := []string{
		"CloudWatch.1", "CloudWatch.2", "CloudWatch.3", "CloudWatch.4", "CloudWatch.5",
		"CloudWatch.6", "CloudWatch.7", "CloudWatch.8", "CloudWatch.9", "CloudWatch.10",
		"CloudWatch.11", "CloudWatch.12", "CloudWatch.13", "CloudWatch.14", "CIS.4.15",
	}
	ids := map[string]bool{}
	keys := map[string]bool{}
	metrics := map[string]bool{}
	for i, c := range controls {
		if c.ID != wantIDs[i] {
			t.Errorf("controls[%d].ID = %q, want %q (ID order)", i, c.ID, wantIDs[i])
		}
		for field, v := range map[string]string{
			"ID": c.ID, "Key": c.Key, "Title": c.Title, "MetricName": c.MetricName, "Pattern": c.Pattern,
		} {
			if strings.TrimSpace(v) == "" {
				t.Errorf("%s: %s is empty", c.ID, field)
			}
		}
		if ids[c.ID] {
			t.Errorf("duplicate ID %q", c.ID)
		}
		if keys[c.Key] {
			t.Errorf("duplicate Key %q", c.Key)
		}
		if metrics[c.MetricName] {
			t.Errorf("duplicate MetricName %q", c.MetricName)
		}
		ids[c.ID], keys[c.Key], metrics[c.MetricName] = true, true, true

		if !strings.HasPrefix(c.Pattern, "{") || !strings.HasSuffix(c.Pattern, "}") {
			t.Errorf("%s: pattern is not a braced JSON filter: %q", c.ID, c.Pattern)
		}
		if c.Pattern != strings.TrimSpace(c.Pattern) || strings.ContainsAny(c.Pattern, "\t\r\n") {
			t.Errorf("%s: pattern has stray whitespace: %q", c.ID, c.Pattern)
		}
	}
}

func TestControlsReturnsCopy(t *testing.T) {
	a := cis.Controls()
	a[0].Pattern = "tampered"
	if b := cis.Controls(); b[0].Pattern == "tampered" {
		t.Fatal("modifying the result of Controls() changed later results")
	}
}

func TestExpectationsCoverControls(t *testing.T) {
	exp := loadExpectations(t)
	controlKeys := map[string]bool{}
	for _, c := range cis.Controls() {
		controlKeys[c.Key] = true
		e, ok := exp[c.Key]
		if !ok {
			t.Errorf("expectations.json has no entry for %s (%s)", c.Key, c.ID)
			continue
		}
		if len(e.Match) == 0 {
			t.Errorf("%s: no positive fixtures", c.Key)
		}
		if len(e.NoMatch) == 0 {
			t.Errorf("%s: no negative fixtures", c.Key)
		}
	}
	for key, e := range exp {
		if !controlKeys[key] && !slices.Contains(extraExpectationKeys, key) {
			t.Errorf("expectations.json entry %q is neither a cis control key nor a known extra", key)
		}
		for _, name := range e.Match {
			if slices.Contains(e.NoMatch, name) {
				t.Errorf("%s: %s listed as both match and noMatch", key, name)
			}
		}
		for _, name := range append(slices.Clone(e.Match), e.NoMatch...) {
			if _, err := os.Stat(filepath.Join(fixtureDir, name)); err != nil {
				t.Errorf("%s: fixture %s: %v", key, name, err)
			}
		}
	}
}

func TestFixturesAreCloudTrailRecords(t *testing.T) {
	names, err := filepath.Glob(filepath.Join(fixtureDir, "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range names {
		name := filepath.Base(path)
		if name == "expectations.json" || name == "supplementary.json" {
			continue
		}
		var rec map[string]any
		if err := json.Unmarshal(loadEvent(t, name), &rec); err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		for _, field := range []string{
			"eventVersion", "userIdentity", "eventTime", "eventSource", "eventName",
			"awsRegion", "sourceIPAddress", "userAgent", "eventID", "eventType", "recipientAccountId",
		} {
			if _, ok := rec[field]; !ok {
				t.Errorf("%s: missing %s", name, field)
			}
		}
	}
}

func TestPatternsAgainstFixtures(t *testing.T) {
	exp := loadExpectations(t)
	for _, c := range cis.Controls() {
		t.Run(c.ID, func(t *testing.T) {
			p, err := filterpattern.Parse(c.Pattern)
			if err != nil {
				t.Fatalf("Parse(%q): %v", c.Pattern, err)
			}
			e := exp[c.Key]
			check := func(name string, want bool) {
				got, err := p.Match(loadEvent(t, name))
				if err != nil {
					t.Errorf("%s: Match error: %v", name, err)
					return
				}
				if got != want {
					t.Errorf("%s (%s) on %s: matched = %v, want %v", c.ID, c.Key, name, got, want)
				}
			}
			for _, name := range e.Match {
				check(name, true)
			}
			for _, name := range e.NoMatch {
				check(name, false)
			}
		})
	}
}

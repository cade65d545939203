package replay

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/example/landing-zone-audit/internal/cis"
	"github.com/example/landing-zone-audit/internal/cloudtrailgen"
	"github.com/example/landing-zone-audit/internal/detection"
	"github.com/example/landing-zone-audit/internal/filterpattern"
)

// The prefilter never rules out an event a pattern matches: over every
// alarm of the example stack, patterns that mix short and long texts under
// && and ||, and generated events of every kind the alarms watch for. It
// also rules out most events, or it would save nothing.
func TestCandidatesNeverRuleOutAMatch(t *testing.T) {
	t.Parallel()
	var sources []string
	for _, c := range cis.Controls() {
		sources = append(sources, c.Pattern)
	}
	for _, s := range detection.SupplementaryAlarms() {
		sources = append(sources, s.Pattern)
	}
	sources = append(sources, detection.ElevatedRolePatterns("aws", []detection.ElevatedRole{{RoleName: "elevated-security-role", AccountIDs: []string{"444444444444"}}})...)
	sources = append(sources,
		`{ ($.userIdentity.type = "Root") || ($.eventName = "StopLogging") }`,
		`{ ($.userIdentity.type = "IAMUser") && ($.eventSource = "kms.amazonaws.com") }`,
		`{ ($.eventName = "ConsoleLogin") && (($.userIdentity.type = "Root") || ($.errorMessage = "Failed authentication")) }`,
	)
	var patterns []*filterpattern.Pattern
	for _, s := range sources {
		p, err := filterpattern.Parse(s)
		require.NoError(t, err, s)
		patterns = append(patterns, p)
	}
	pf := newPrefilter(patterns)
	require.NotEmpty(t, pf.always, "some pattern has no trigger")

	g := cloudtrailgen.New(7, []string{"111111111111", "444444444444"}, "elevated-security-role", []string{"444444444444"})
	var events [][]byte
	for i := range 20_000 {
		events = append(events, g.Append(nil, time.Unix(int64(i)*60, 0), "444444444444", "eu-west-2"))
	}
	events = append(events,
		// A \u escape may hide one pattern's text while another's shows.
		[]byte(`{"eventName":"Stop\u004cogging","errorCode":"AccessDenied"}`),
		[]byte(`{"userIdentity":{"type":"\u0052oot"}}`),
	)
	texts, candidate := pf.newTexts(), make([]bool, len(patterns))
	matches, ruledOut := 0, 0
	for _, ev := range events {
		some := pf.candidates(ev, texts, candidate)
		if !some {
			ruledOut++
		}
		parsed, err := filterpattern.ParseEvent(ev)
		require.NoError(t, err)
		for i, p := range patterns {
			ok, err := p.MatchEvent(parsed)
			require.NoError(t, err)
			if ok {
				matches++
				assert.True(t, candidate[i], "%s matches %s but the prefilter ruled it out", sources[i], ev)
			}
		}
	}
	assert.Greater(t, matches, 500, "the events exercise the patterns")
	assert.Greater(t, ruledOut, len(events)/2, "the prefilter rules out most events")
}

// BenchmarkCandidates measures the raw-bytes pass alone over generated
// events with every alarm of the example stack.
func BenchmarkCandidates(b *testing.B) {
	var patterns []*filterpattern.Pattern
	add := func(s string) {
		p, err := filterpattern.Parse(s)
		require.NoError(b, err)
		patterns = append(patterns, p)
	}
	for _, c := range cis.Controls() {
		add(c.Pattern)
	}
	for _, s := range detection.SupplementaryAlarms() {
		add(s.Pattern)
	}
	for _, s := range detection.ElevatedRolePatterns("aws", []detection.ElevatedRole{{RoleName: "elevated-security-role", AccountIDs: []string{"444444444444"}}}) {
		add(s)
	}
	pf := newPrefilter(patterns)
	g := cloudtrailgen.New(1, []string{"111111111111", "444444444444"}, "elevated-security-role", []string{"444444444444"})
	var events [][]byte
	size := 0
	for i := range 10_000 {
		ev := g.Append(nil, time.Unix(int64(i)*60, 0), "444444444444", "eu-west-2")
		events = append(events, ev)
		size += len(ev)
	}
	texts, candidate := pf.newTexts(), make([]bool, len(patterns))
	b.SetBytes(int64(size))
	for b.Loop() {
		for _, ev := range events {
			pf.candidates(ev, texts, candidate)
		}
	}
}

package filterpattern_test

import (
	"bytes"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/example/landing-zone-audit/internal/cis"
	"github.com/example/landing-zone-audit/internal/cloudtrailgen"
	"github.com/example/landing-zone-audit/internal/detection"
	"github.com/example/landing-zone-audit/internal/filterpattern"
)

func holds(n filterpattern.Need, raw []byte) bool {
	switch n.Kind {
	case filterpattern.NeedText:
		return bytes.Contains(raw, []byte(n.Text))
	case filterpattern.NeedAll:
		for _, s := range n.Subs {
			if !holds(s, raw) {
				return false
			}
		}
		return true
	case filterpattern.NeedAny:
		for _, s := range n.Subs {
			if holds(s, raw) {
				return true
			}
		}
		return false
	}
	return true
}

func TestPrefilterNeeds(t *testing.T) {
	t.Parallel()
	text := func(s string) filterpattern.Need { return filterpattern.Need{Kind: filterpattern.NeedText, Text: s} }
	for pattern, want := range map[string]filterpattern.Need{
		// A value only a string can have is written between quotes.
		`{ $.eventName = "StopLogging" }`: text(`"StopLogging"`),
		// A negation or NOT EXISTS needs nothing; && keeps what its operands need.
		`{$.userIdentity.type="Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType !="AwsServiceEvent"}`: text(`"Root"`),
		// Wildcards are cut off, and so is the quote on their side; || needs one of its operands.
		`{($.errorCode="*UnauthorizedOperation") || ($.errorCode="AccessDenied*")}`: {Kind: filterpattern.NeedAny, Subs: []filterpattern.Need{text(`UnauthorizedOperation"`), text(`"AccessDenied`)}},
		`{ $.a = "*x*" }`: text("x"),
		// JSON may write / as \/: a value is split at it, and only its ends take quotes.
		`{ $.arn = "arn:aws:iam::111122223333:role/admin" }`: {Kind: filterpattern.NeedAll, Subs: []filterpattern.Need{text(`"arn:aws:iam::111122223333:role`), text(`admin"`)}},
		`{ $.a = "/x/" }`: text("x"),
		// String comparisons match numbers and booleans by their text, which
		// JSON writes without quotes.
		`{ $.readOnly = "true" }`: text("true"),
		`{ $.code = "-1.5e3" }`:   text("-1.5e3"),
		`{ $.code = 3600* }`:      text("3600"),
		// One operand of || that needs nothing makes the whole need nothing.
		`{ $.a = "x" || $.b > 3 }`: {},
		`{ $.a = * }`:              {},
	} {
		p, err := filterpattern.Parse(pattern)
		require.NoError(t, err)
		assert.Equal(t, want, p.Prefilter(), pattern)
	}
}

// Every event a pattern matches meets the pattern's need, over the CIS and
// elevated-role patterns and 10,000 generated CloudTrail events (with every
// kind of event the alarms watch for), and over events written with the
// escapes JSON allows, except \u, which replay checks for itself.
func TestPrefilterNeverRulesOutAMatch(t *testing.T) {
	t.Parallel()
	var patterns []string
	for _, c := range cis.Controls() {
		patterns = append(patterns, c.Pattern)
	}
	patterns = append(patterns, detection.ElevatedRolePatterns("aws", []detection.ElevatedRole{{RoleName: "elevated-security-role", AccountIDs: []string{"444444444444"}}})...)
	for _, s := range detection.SupplementaryAlarms() {
		patterns = append(patterns, s.Pattern)
	}
	patterns = append(patterns, `{ $.requestParameters.roleArn = "arn:aws:iam::444444444444:role/*" }`, `{ $.sourceIPAddress = "*.amazonaws.com" }`,
		`{ $.readOnly = "true" }`, `{ $.requestParameters.durationSeconds = "3600" }`, `{ $.eventVersion = "1.10" }`)

	g := cloudtrailgen.New(3, []string{"111111111111", "444444444444"}, "elevated-security-role", []string{"444444444444"})
	var events [][]byte
	for i := range 10_000 {
		events = append(events, g.Append(nil, time.Unix(int64(i)*60, 0), "444444444444", "eu-west-2"))
	}
	events = append(events,
		[]byte(`{"eventName":"SwitchRole","userIdentity":{"arn":"arn:aws:sts::444444444444:assumed-role\/elevated-security-role\/alice"}}`),
		[]byte(`{"requestParameters":{"roleArn":"arn:aws:iam::444444444444:role\/x"},"eventName":"AssumeRole"}`),
		[]byte(`{"errorCode":"AccessDenied\t"}`),
		[]byte(`{"readOnly":true,"requestParameters":{"durationSeconds":3600}}`),
		[]byte(`{"readOnly":"true","requestParameters":{"durationSeconds":"3600"}}`),
		[]byte(`{ "eventName" : "StopLogging" , "userIdentity" : { "type" : "Root" } }`),
	)
	matched := 0
	for _, text := range patterns {
		p, err := filterpattern.Parse(text)
		require.NoError(t, err)
		need := p.Prefilter()
		for _, ev := range events {
			ok, err := p.Match(ev)
			require.NoError(t, err)
			if !ok {
				continue
			}
			matched++
			require.False(t, bytes.Contains(ev, []byte(`\u`)))
			assert.True(t, holds(need, ev), "%s matches %s but its need rules it out", text, ev)
		}
	}
	assert.Greater(t, matched, 200, "the events exercise the patterns")

	// \u can hide a needed text: replay parses such events whatever their need says.
	p, _ := filterpattern.Parse(`{ $.eventName = "StopLogging" }`)
	ev := []byte(`{"eventName":"Stop\u004cogging"}`)
	ok, _ := p.Match(ev)
	assert.True(t, ok)
	assert.False(t, holds(p.Prefilter(), ev), "the need alone would miss it")
}

package detection_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/example/landing-zone-audit/internal/cis"
	"github.com/example/landing-zone-audit/internal/detection"
	"github.com/example/landing-zone-audit/internal/filterpattern"
)

// Every supplementary pattern is a valid CloudWatch Logs filter pattern
// within PutMetricFilter's 1,024 characters, with a trailing or leading
// wildcard only (none here), and keys and metric names unique across the
// CIS set too: each alarm needs its own metric.
func TestSupplementaryPatternsAreValidAndUnique(t *testing.T) {
	t.Parallel()
	keys, metrics := map[string]bool{}, map[string]bool{}
	for _, c := range cis.Controls() {
		keys[c.Key], metrics[c.MetricName] = true, true
	}
	for _, d := range detection.SupplementaryAlarms() {
		_, err := filterpattern.Parse(d.Pattern)
		require.NoError(t, err, d.Key)
		assert.LessOrEqual(t, len(d.Pattern), detection.MaxPatternLength, d.Key)
		assert.NotContains(t, d.Pattern, "*", d.Key)
		assert.False(t, keys[d.Key], "duplicate key %s", d.Key)
		assert.False(t, metrics[d.MetricName], "duplicate metric %s", d.MetricName)
		keys[d.Key], metrics[d.MetricName] = true, true
		assert.NotEmpty(t, d.Gap)
		assert.NotEmpty(t, d.Title)
	}
	assert.Equal(t, len(detection.SupplementaryAlarms()), len(detection.SupplementaryKeys()))
}

// A record without the field a comparison reads still counts where leaving
// it out would hide the event: CloudWatch Logs never matches != on a missing
// field (filterpattern.Pattern.Match), so each such clause has a NOT EXISTS
// alternative.
func TestSupplementaryPatternsCountRecordsWithoutTheField(t *testing.T) {
	t.Parallel()
	pattern := map[string]string{}
	for _, d := range detection.SupplementaryAlarms() {
		pattern[d.Key] = d.Pattern
	}
	for key, event := range map[string]string{
		"rootSignInWithoutMfa": `{"eventName":"ConsoleLogin","userIdentity":{"type":"Root"},"responseElements":{"ConsoleLogin":"Success"},"additionalEventData":{"MobileVersion":"No"}}`,
		"otherSignInFailures":  `{"eventName":"ConsoleLogin","userIdentity":{"type":"IAMUser"},"responseElements":{"ConsoleLogin":"Failure"}}`,
		"rootConsoleActions":   `{"eventName":"CreateAccessKey","eventType":"AwsApiCall","userIdentity":{"type":"Root","invokedBy":"signin.amazonaws.com"}}`,
	} {
		p, err := filterpattern.Parse(pattern[key])
		require.NoError(t, err)
		ok, err := p.Match([]byte(event))
		require.NoError(t, err)
		assert.True(t, ok, key)
	}
}

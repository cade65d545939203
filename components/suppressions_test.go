package components_test

import (
	"regexp"
	"strings"
	"testing"
	"testing/quick"

	"github.com/stretchr/testify/assert"

	"github.com/example/landing-zone-audit/components"
)

// CreateFilter accepts a description of at most 512 letters, digits, spaces
// and . - : / ( ) [ ] { } _ (GuardDuty API reference, CreateFilter; the
// GuardDuty console's message for filter descriptions; terraform-provider-aws
// issues 28367 and 50076 show commas and apostrophes refused). Whatever the
// reason, the description sent is one GuardDuty accepts.
func TestGuardDutyFilterDescription(t *testing.T) {
	t.Parallel()
	accepted := regexp.MustCompile(`^[A-Za-z0-9 .\-:/()\[\]{}_]{0,512}$`)
	for reason, want := range map[string]string{
		"The shop's weekly load test (runbook OPS-77)": "The shops weekly load test (runbook OPS-77)",
		"a,b;c  d\n\te":             "a b c d e",
		"Café über naïve":           "Caf ber na ve",
		"  leading and trailing  ":  "leading and trailing",
		"[x]{y}(z) a/b_c-d.e:f":     "[x]{y}(z) a/b_c-d.e:f",
		"障害対応のため":                   "Suppression probes - its reason is in the stack configuration",
		strings.Repeat("ab, ", 300): strings.TrimSpace(strings.Repeat("ab ", 300)[:512]),
	} {
		got := components.GuardDutyFilterDescription(reason, "probes")
		assert.Equal(t, want, got, reason)
		assert.Regexp(t, accepted, got)
	}
	check := func(reason string) bool {
		return accepted.MatchString(components.GuardDutyFilterDescription(reason, "probes"))
	}
	assert.NoError(t, quick.Check(check, &quick.Config{MaxCount: 5000}))
}

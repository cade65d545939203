package tests

import (
	"encoding/base64"
	"testing"

	pulumiconfig "github.com/pulumi/pulumi/sdk/v3/go/common/resource/config"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/example/landing-zone-audit/config"
)

const pagingURL = "https://events.pagerduty.com/integration/0123456789abcdef0123456789abcdef/enqueue"

// withSecretPaging sets the paging key as `pulumi config set --secret --path
// paging.url` leaves it: the whole key listed among the secret keys.
func withSecretPaging(src config.Source) config.Source {
	out := with(src, "paging", map[string]any{"url": pagingURL})
	out.Secret = append(append([]string(nil), src.Secret...), ns+"paging")
	return out
}

// Severity tiers: every alert to email (and chat), the most severe to a
// paging service. The paging rules' patterns are the alert patterns at the
// paging thresholds (GuardDuty 8, Security Hub CRITICAL by default), judged
// on the finding fixtures; the paging topic in each region is subscribed
// over HTTPS with the integration URL, which stays a secret, and gets the
// finding event itself (PagerDuty's and Opsgenie's GuardDuty and Security
// Hub integrations parse it).
func TestPagingTier(t *testing.T) {
	t.Parallel()
	p := runPlan(t, withSecretPaging(exampleConfig(t)))
	cases := map[string]map[string]bool{
		"guardduty-eu-west-2-paging-rule": {
			"guardduty/critical-exfiltration.json": true, "guardduty/high-crypto-mining.json": true,
			"guardduty/high-at-threshold.json": false, "guardduty/medium-port-probe.json": false,
		},
		"securityhub-paging-rule": {"securityhub/critical.json": true, "securityhub/high.json": false},
	}
	for name, fixtures := range cases {
		rule := one(t, p, typeEventRule, name)
		assert.Equal(t, "security", rule.Account)
		for fixture, pages := range fixtures {
			assert.Equal(t, pages, ruleMatches(t, rule, fixture), "%s on %s", name, fixture)
		}
		target := one(t, p, typeEventTarget, name[:len(name)-len("-rule")]+"-target")
		assert.Contains(t, target.Inputs["arn"], ":acme-paging")
		assert.Nil(t, target.Inputs["inputTransformer"], "the event itself")
		assert.NotEmpty(t, input(target, "deadLetterConfig.arn"))
	}
	for _, region := range []string{"eu-west-2", "eu-west-1"} {
		sub := one(t, p, typeSubscription, "paging-"+region+"-paging")
		assert.Equal(t, "https", sub.Inputs["protocol"])
		assert.Equal(t, "[secret]", sub.Inputs["endpoint"], "the URL is a secret in the plan and the state")
		assert.Equal(t, "security", sub.Account)
	}
	for _, sub := range runPlan(t, exampleConfig(t)).ByType(typeSubscription) {
		assert.NotEqual(t, "https", sub.Inputs["protocol"], "no paging without a URL")
	}
}

// Under Pulumi's engine the paging URL stays secret in the state.
func TestEnginePagingURLStaysSecret(t *testing.T) {
	t.Parallel()
	s := newEngineStack(t, "../Pulumi.prod.yaml")
	s.config[pulumiconfig.MustMakeKey(s.project.Name.String(), "paging")] = pulumiconfig.NewSecureObjectValue(
		`{"url":{"secure":"` + base64.StdEncoding.EncodeToString([]byte(pagingURL)) + `"}}`)
	_, err := s.up()
	require.NoError(t, err)
	endpoint := s.state(typeSubscription, "paging-eu-west-2-paging").Inputs["endpoint"]
	require.True(t, endpoint.IsSecret())
	assert.Equal(t, pagingURL, endpoint.SecretValue().Element.StringValue())
}

// A paging URL in plain text is refused: it lets anyone who reads it raise pages.
func TestPagingValidation(t *testing.T) {
	t.Parallel()
	_, err := config.Load(with(exampleConfig(t), "paging", map[string]any{"url": "http://pager.example.com", "guardDutyMinSeverity": 11, "securityHubMinSeverity": "URGENT"}))
	require.Error(t, err)
	for _, want := range []string{
		"paging.url: is in plain text, but an integration URL lets anyone raise pages; store it as a secret: pulumi config set --secret --path paging.url URL",
		"paging.url: not an https:// URL",
		"paging.guardDutyMinSeverity: 11 is outside",
		`paging.securityHubMinSeverity: "URGENT" is not a severity label`,
	} {
		assert.Contains(t, err.Error(), "landing-zone-audit:"+want)
	}
}

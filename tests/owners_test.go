package tests

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/example/landing-zone-audit/config"
)

// withOwners gives prod and dev owners of their own.
func withOwners(t *testing.T) config.Source {
	return with(exampleConfig(t), "accounts", map[string]any{
		"management": map[string]any{"id": prodManagementID, "email": "aws-management@example.com"},
		"security":   map[string]any{"id": prodSecurityID, "email": "aws-security@example.com"},
		"logArchive": map[string]any{"id": prodLogArchiveID, "email": "aws-log-archive@example.com"},
		"prod":       map[string]any{"id": prodWorkloadID, "email": "aws-prod@example.com", "owners": []string{"payments-team@example.com"}},
		"dev":        map[string]any{"id": prodDevID, "email": "aws-dev@example.com", "owners": []string{"dev-leads@example.com"}},
	})
}

// Routing to owners: an account that names owners gets a topic of its own
// in the security account in each region, and rules — GuardDuty's in every
// region, Security Hub's in the home region — with the same alert patterns
// narrowed to findings about that account (GuardDuty detail.accountId,
// Security Hub AwsAccountId: the account the finding is about, not the
// administrator that forwards it), judged on fixtures of both accounts.
func TestOwnersGetTheirAccountsFindings(t *testing.T) {
	t.Parallel()
	p := runPlan(t, withOwners(t))
	matches := func(rule string, fixture ...string) bool {
		return ruleMatches(t, one(t, p, typeEventRule, rule), fixture...)
	}
	for _, region := range []string{"eu-west-2", "eu-west-1"} {
		rule := "guardduty-" + region + "-owner-prod-rule"
		assert.True(t, matches(rule, "guardduty", "high-crypto-mining.json"), "a High finding in prod reaches prod's owners")
		assert.True(t, matches(rule, "guardduty", "root-credential-usage-low.json"), "and a listed type")
		assert.False(t, matches(rule, "guardduty", "high-crypto-mining-dev.json"), "dev's finding does not")
		assert.False(t, matches(rule, "guardduty", "medium-port-probe.json"), "nor one below the threshold")
		assert.True(t, matches("guardduty-"+region+"-owner-dev-rule", "guardduty", "high-crypto-mining-dev.json"))

		target := one(t, p, typeEventTarget, "guardduty-"+region+"-owner-prod-target")
		assert.Equal(t, "arn:aws:sns:"+region+":"+prodSecurityID+":acme-owner-alerts-prod", target.Inputs["arn"])
		sub := one(t, p, typeSubscription, "owner-alerts-prod-"+region+"-email-0")
		assert.Equal(t, "payments-team@example.com", sub.Inputs["endpoint"])
	}
	assert.True(t, matches("securityhub-owner-dev-rule", "securityhub", "high-ec2-19-dev.json"))
	assert.False(t, matches("securityhub-owner-dev-rule", "securityhub", "high.json"), "prod's finding is not dev's")
	assert.True(t, matches("securityhub-findings-rule", "securityhub", "high-ec2-19-dev.json"), "everything still reaches alertEmails")

	_, err := config.Load(with(exampleConfig(t), "accounts", map[string]any{
		"management": map[string]any{"id": prodManagementID, "email": "aws-management@example.com"},
		"security":   map[string]any{"id": prodSecurityID},
		"logArchive": map[string]any{"id": prodLogArchiveID},
		"prod":       map[string]any{"id": prodWorkloadID, "owners": []string{"payments team"}},
	}))
	require.Error(t, err)
	assert.Contains(t, err.Error(), `landing-zone-audit:accounts.prod.owners[0]: "payments team" is not an email address`)
}

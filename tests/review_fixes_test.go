package tests

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/example/landing-zone-audit/config"
)

// A paging URL stored as a secret reads as config.SecretPlaceholder offline
// (plan cannot decrypt it): it is accepted there, its being secret checked.
func TestPagingSecretPlansOffline(t *testing.T) {
	t.Parallel()
	src := with(exampleConfig(t), "paging", map[string]any{"url": config.SecretPlaceholder})
	src.Secret = append(append([]string(nil), src.Secret...), ns+"paging")
	_, err := config.Load(src)
	require.NoError(t, err)
}

// CloudFormation needs CAPABILITY_NAMED_IAM for a role with a fixed name,
// which the remediation role has (API_CreateStackSet Capabilities).
func TestStackSetCapabilitiesFollowTheTemplate(t *testing.T) {
	t.Parallel()
	plain := one(t, runPlan(t, loadStackFile(t, "../Pulumi.large.yaml")), typeStackSet, "member-baseline")
	assert.Equal(t, []any{"CAPABILITY_IAM"}, plain.Inputs["capabilities"])
	named := one(t, runPlan(t, withRemediation(loadStackFile(t, "../Pulumi.large.yaml"), map[string]any{"enabled": true})), typeStackSet, "member-baseline")
	assert.Equal(t, []any{"CAPABILITY_NAMED_IAM"}, named.Inputs["capabilities"])
}

// An alarm description longer than CloudWatch's 1,024 characters fails
// PutMetricAlarm: a long role list is shortened, the command kept.
func TestAlarmDescriptionFitsWithManyRoles(t *testing.T) {
	t.Parallel()
	var roles []any
	for i := range 40 {
		roles = append(roles, map[string]any{"roleName": fmt.Sprintf("break-glass-administrator-%02d", i), "accounts": []string{"prod"}})
	}
	p := runPlan(t, with(exampleConfig(t), "alarms", map[string]any{"elevatedRoles": roles}))
	desc := one(t, p, typeMetricAlarm, "elevated-role-alarm").Inputs["alarmDescription"].(string)
	assert.LessOrEqual(t, len(desc), 1024)
	assert.Contains(t, desc, "aws logs filter-log-events")
	assert.Contains(t, desc, "...")
}

// Settings that would deploy nothing, or fail at deploy, are refused by key.
func TestSwitchCombinationsRefused(t *testing.T) {
	t.Parallel()
	gov := with(with(exampleConfig(t), "homeRegion", "us-gov-west-1"), "governedRegions", []string{"us-gov-west-1"})
	_, err := config.Load(with(gov, "chat", exampleChat))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "landing-zone-audit:chat: AWS Chatbot's API is offered only in commercial regions")

	off := with(with(exampleConfig(t), "guardDuty", map[string]any{"enabled": false}), "securityHub", map[string]any{"enabled": false})
	_, err = config.Load(with(off, "accounts", map[string]any{
		"management": map[string]any{"id": prodManagementID, "email": "aws-management@example.com"},
		"security":   map[string]any{"id": prodSecurityID},
		"logArchive": map[string]any{"id": prodLogArchiveID},
		"prod":       map[string]any{"id": prodWorkloadID, "owners": []string{"team@example.com"}},
		"dev":        map[string]any{"id": prodDevID},
	}))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "landing-zone-audit:accounts.prod.owners: GuardDuty and Security Hub are off")

	_, err = config.Load(with(exampleConfig(t), "awsConfig", map[string]any{"enabled": false, "remediation": map[string]any{"enabled": true}}))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "landing-zone-audit:awsConfig.remediation: AWS Config is off")
}

// In StackSet mode the services that enable existing accounts one by one
// reach only the listed ones; the plan and preview say so.
func TestStackSetMembersWarning(t *testing.T) {
	t.Parallel()
	cfg, err := config.Load(with(loadStackFile(t, "../Pulumi.large.yaml"), "detective", map[string]any{"enabled": true}))
	require.NoError(t, err)
	var found bool
	for _, w := range cfg.Warnings() {
		found = found || strings.Contains(w, "detective: enabled in StackSet mode")
	}
	assert.True(t, found, "%v", cfg.Warnings())
}

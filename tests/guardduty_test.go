package tests

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/example/landing-zone-audit/config"
	"github.com/example/landing-zone-audit/internal/eventpattern"
	"github.com/example/landing-zone-audit/internal/plan"
)

func TestGuardDutyOrganizationMode(t *testing.T) {
	t.Parallel()
	p := runPlan(t, exampleConfig(t))
	for _, region := range []string{"eu-west-2", "eu-west-1"} {
		prefix := "guardduty-" + region
		secDet := one(t, p, typeDetector, prefix+"-security-detector")
		assert.Equal(t, "security", secDet.Account)
		assert.Equal(t, region, secDet.Region)
		assert.Equal(t, "FIFTEEN_MINUTES", secDet.Inputs["findingPublishingFrequency"])
		admin := one(t, p, typeGuardDutyOrganizationAdminAccount, prefix+"-admin-account")
		assert.Equal(t, "management", admin.Account)
		assert.Equal(t, region, admin.Region)
		assert.Equal(t, prodSecurityID, admin.Inputs["adminAccountId"])
		assert.True(t, dependsOn(admin, secDet), "the administrator's detector exists before it is designated")
		mgmtDet := one(t, p, typeDetector, prefix+"-management-detector")
		assert.Equal(t, "management", mgmtDet.Account)
		assert.True(t, dependsOn(admin, mgmtDet), "the management detector exists before auto-enable could create one")
		orgCfg := one(t, p, typeGuardDutyOrganizationConfiguration, prefix+"-organization-configuration")
		assert.Equal(t, "security", orgCfg.Account)
		assert.Equal(t, "ALL", orgCfg.Inputs["autoEnableOrganizationMembers"])
		assert.True(t, dependsOn(orgCfg, admin))
		wantFeatures := map[string]string{"S3_DATA_EVENTS": "ALL", "EKS_AUDIT_LOGS": "ALL", "EBS_MALWARE_PROTECTION": "ALL",
			"RDS_LOGIN_EVENTS": "ALL", "LAMBDA_NETWORK_LOGS": "ALL", "RUNTIME_MONITORING": "NONE"}
		for name, auto := range wantFeatures {
			f := one(t, p, typeOrganizationConfigurationFeature, prefix+"-feature-"+name)
			assert.Equal(t, auto, f.Inputs["autoEnable"], name)
			assert.Equal(t, name, f.Inputs["name"])
			assert.Equal(t, "security", f.Account)
			assert.True(t, dependsOn(f, orgCfg))
		}
	}
	for _, r := range p.ByType(typeDetector) {
		assert.Contains(t, []string{"management", "security"}, r.Account, "organization mode leaves member detectors to auto-enable")
	}
	for _, m := range p.ByType(typeGuardDutyMember) {
		assert.Equal(t, prodManagementID, m.Inputs["accountId"], "members come from auto-enable, except the management account")
	}
	ids := p.Outputs["guardDutyDetectorIds"].(map[string]any)
	assert.Len(t, ids, 4)
	assert.Contains(t, ids, "security/eu-west-1")
}

func TestGuardDutyInvitationMode(t *testing.T) {
	t.Parallel()
	p := runPlan(t, with(exampleConfig(t), "guardDuty", map[string]any{"mode": "invitation", "features": map[string]bool{"runtimeMonitoring": true}}))
	assert.Empty(t, p.ByType(typeGuardDutyOrganizationAdminAccount))
	assert.Empty(t, p.ByType(typeGuardDutyOrganizationConfiguration))
	assert.Len(t, p.ByType(typeDetector), 10, "a detector in every account and region")
	requirePlacementMatchesNames(t, p)
	for _, region := range []string{"eu-west-2", "eu-west-1"} {
		prefix := "guardduty-" + region
		adminDet := one(t, p, typeDetector, prefix+"-security-detector")
		for _, m := range []struct{ alias, id, email string }{{"logArchive", prodLogArchiveID, "aws-log-archive@example.com"}, {"prod", prodWorkloadID, "aws-prod@example.com"}, {"dev", prodDevID, "aws-dev@example.com"}} {
			member := one(t, p, typeGuardDutyMember, prefix+"-"+m.alias+"-member")
			assert.Equal(t, "security", member.Account)
			assert.Equal(t, m.id, member.Inputs["accountId"])
			assert.Equal(t, m.email, member.Inputs["email"])
			assert.Equal(t, true, member.Inputs["invite"])
			assert.Equal(t, adminDetIDOf(t, p, adminDet), member.Inputs["detectorId"])
			memberDet := one(t, p, typeDetector, prefix+"-"+m.alias+"-detector")
			assert.True(t, dependsOn(member, memberDet))
			acc := one(t, p, typeInviteAccepter, prefix+"-"+m.alias+"-accepter")
			assert.Equal(t, m.alias, acc.Account)
			assert.Equal(t, prodSecurityID, acc.Inputs["masterAccountId"])
			assert.True(t, dependsOn(acc, member), "accept after the invitation")
		}
		assert.NotContains(t, named(p, typeGuardDutyMember), prefix+"-management-member", "the management account cannot be invited")
	}

	_, err := plan.Run(stackProgram, "prod", with(with(exampleConfig(t), "guardDuty", map[string]any{"mode": "invitation"}),
		"accounts", map[string]map[string]string{"management": {"id": prodManagementID}, "security": {"id": prodSecurityID}, "logArchive": {"id": prodLogArchiveID}, "prod": {"id": prodWorkloadID}, "dev": {"id": prodDevID}}))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "landing-zone-audit:accounts.prod.email:")
}

func adminDetIDOf(t testing.TB, p *plan.Plan, det plan.Resource) string {
	t.Helper()
	ids := p.Outputs["guardDutyDetectorIds"].(map[string]any)
	return ids["security/"+det.Region].(string)
}

func TestGuardDutyAlerts(t *testing.T) {
	t.Parallel()
	p := runPlan(t, exampleConfig(t))
	for _, region := range []string{"eu-west-2", "eu-west-1"} {
		prefix := "guardduty-" + region
		rule := one(t, p, typeEventRule, prefix+"-findings-rule")
		assert.Equal(t, "security", rule.Account)
		assert.Equal(t, region, rule.Region)
		target := one(t, p, typeEventTarget, prefix+"-findings-target")
		topicArn := "arn:aws:sns:" + region + ":" + prodSecurityID + ":acme-findings-alerts"
		assert.Equal(t, topicArn, target.Inputs["arn"])
		assert.Equal(t, "arn:aws:sqs:"+region+":"+prodSecurityID+":acme-guardduty-findings-dlq", input(target, "deadLetterConfig.arn"))
		assert.Equal(t, 185.0, input(target, "retryPolicy.maximumRetryAttempts"))
		tmpl := input(target, "inputTransformer.inputTemplate").(string)
		assert.False(t, strings.HasPrefix(tmpl, `"`), "plain text, not a JSON string a quoted title would break")
		for _, field := range []string{"account", "region", "type", "severity", "title"} {
			assert.Contains(t, tmpl, "<"+field+">")
			assert.NotEmpty(t, input(target, "inputTransformer.inputPaths."+field))
		}
		topic := one(t, p, typeTopic, "security-alerts-"+region)
		assert.Equal(t, "security", topic.Account)
		assert.Regexp(t, `^arn:aws:kms:`+region+`:`+prodSecurityID+`:key/`, topic.Inputs["kmsMasterKeyId"])
		tp := policyOf(t, one(t, p, typeTopicPolicy, "security-alerts-"+region+"-policy"), "policy")
		s := sid(t, tp, "PublisherPublishesEventBridge")
		assert.Equal(t, prodSecurityID, s.Condition["StringEquals"]["aws:SourceAccount"])
		dlqPolicy := policyOf(t, one(t, p, typeQueuePolicy, prefix+"-findings-dlq-policy"), "policy")
		assert.Equal(t, "arn:aws:events:"+region+":"+prodSecurityID+":rule/acme-guardduty-findings", sid(t, dlqPolicy, "EventBridgeDeadLetters").Condition["ArnEquals"]["aws:SourceArn"])
		assert.Equal(t, true, one(t, p, typeQueue, prefix+"-findings-dlq").Inputs["sqsManagedSseEnabled"])
	}
}

// The rule's pattern, taken from the plan, alerts on root credential use (Low)
// and on High or Critical findings, and stays silent on the rest.
func TestGuardDutyAlertPatternOnFindings(t *testing.T) {
	t.Parallel()
	p := runPlan(t, exampleConfig(t))
	rule := one(t, p, typeEventRule, "guardduty-eu-west-2-findings-rule")
	pattern, err := eventpattern.Parse([]byte(rule.Inputs["eventPattern"].(string)))
	require.NoError(t, err)
	cases := map[string]bool{
		"root-credential-usage-low.json": true,
		"high-crypto-mining.json":        true,
		"critical-exfiltration.json":     true,
		"medium-port-probe.json":         false,
		"low-other-type.json":            false,
		// High starts at 7.0 (GuardDuty severity levels: High 7.0–8.9).
		"high-at-threshold.json":           true,
		"medium-just-below-threshold.json": false,
		"securityhub-high.json":            false,
	}
	for file, want := range cases {
		ev, err := os.ReadFile(filepath.Join("testdata", "guardduty", file))
		require.NoError(t, err)
		got, err := pattern.Match(ev)
		require.NoError(t, err)
		assert.Equal(t, want, got, file)
	}

	// The same answers through the command-line matcher.
	var events []string
	for _, f := range []string{"root-credential-usage-low.json", "medium-port-probe.json"} {
		b, err := os.ReadFile(filepath.Join("testdata", "guardduty", f))
		require.NoError(t, err)
		events = append(events, string(b))
	}
	code, stdout, stderr := runCLI(t, "["+strings.Join(events, ",")+"]", "test-event-pattern", "--pattern", rule.Inputs["eventPattern"].(string))
	require.Equal(t, 0, code, stderr)
	// The two findings share a detail-type (and, in these fixtures, an event
	// and finding ID): each line names the finding's title too.
	assert.Equal(t, "1  GuardDuty Finding (aws.guardduty)  16afba5c5c43e07c9e3e5e2e544e95df \"API ListBuckets was invoked using root credentials\"       match\n"+
		"2  GuardDuty Finding (aws.guardduty)  16afba5c5c43e07c9e3e5e2e544e95df \"Unprotected port on EC2 instance i-0abc is being probed\"  no-match\n", stdout)
	code, stdout, stderr = runCLI(t, "{}", "test-event-pattern", "--pattern", `{"source": "aws.guardduty"}`)
	assert.Equal(t, 2, code)
	assert.Empty(t, stdout)
	assert.Contains(t, stderr, "source")
}

func TestGuardDutyOptions(t *testing.T) {
	t.Parallel()
	p := runPlan(t, with(exampleConfig(t), "guardDuty", map[string]any{
		"findingPublishingFrequency": "ONE_HOUR", "alertMinSeverity": 4, "alertFindingTypes": []string{},
		"features": map[string]bool{"s3DataEvents": false},
	}))
	det := one(t, p, typeDetector, "guardduty-eu-west-2-security-detector")
	assert.Equal(t, "ONE_HOUR", det.Inputs["findingPublishingFrequency"])
	f := one(t, p, typeOrganizationConfigurationFeature, "guardduty-eu-west-2-feature-S3_DATA_EVENTS")
	assert.Equal(t, "NONE", f.Inputs["autoEnable"])
	rule := one(t, p, typeEventRule, "guardduty-eu-west-2-findings-rule")
	pattern, err := eventpattern.Parse([]byte(rule.Inputs["eventPattern"].(string)))
	require.NoError(t, err)
	ev, err := os.ReadFile(filepath.Join("testdata", "guardduty", "medium-port-probe.json"))
	require.NoError(t, err)
	ok, err := pattern.Match(ev)
	require.NoError(t, err)
	assert.True(t, ok, "a threshold of 4 alerts on Medium findings")

	_, err = plan.Run(stackProgram, "prod", with(exampleConfig(t), "guardDuty", map[string]any{"mode": "master", "alertMinSeverity": 11, "alertFindingTypes": []string{"root"}}))
	require.Error(t, err)
	for _, key := range []string{"guardDuty.mode", "guardDuty.alertMinSeverity", "guardDuty.alertFindingTypes[0]"} {
		assert.Contains(t, err.Error(), "landing-zone-audit:"+key+":")
	}
}

func TestGuardDutyFindingsExport(t *testing.T) {
	t.Parallel()
	p := runPlan(t, exampleConfig(t))
	assert.Empty(t, p.ByType(typePublishingDestination), "off by default")

	t.Run("findings export", func(t *testing.T) {
		p := runPlan(t, with(exampleConfig(t), "guardDuty", map[string]any{"findingsExport": true}))
		bucket := one(t, p, typeBucket, "guardduty-findings")
		assert.Equal(t, "logArchive", bucket.Account)
		assert.Equal(t, "acme-guardduty-findings-"+prodLogArchiveID, bucket.Inputs["bucket"])
		key := one(t, p, typeKey, "guardduty-findings-key")
		assert.Equal(t, "logArchive", key.Account)
		ks := sid(t, policyOf(t, key, "policy"), "GuardDutyEncryptsFindings")
		assert.Equal(t, []string{"guardduty.amazonaws.com"}, []string(ks.Principal.Service))
		assert.Equal(t, prodSecurityID, ks.Condition["StringEquals"]["aws:SourceAccount"])
		bp := policyOf(t, one(t, p, typeBucketPolicy, "guardduty-findings-policy"), "policy")
		requireNoOpenWildcardPrincipal(t, bp)
		w := sid(t, bp, "GuardDutyWriteFindings")
		assert.Equal(t, []string{"arn:aws:s3:::acme-guardduty-findings-" + prodLogArchiveID + "/*"}, []string(w.Resource))
		assert.Equal(t, "arn:aws:guardduty:*:"+prodSecurityID+":detector/*", w.Condition["ArnLike"]["aws:SourceArn"])
		requireTLSOnly(t, bp, "s3:*", "arn:aws:s3:::acme-guardduty-findings-"+prodLogArchiveID, "arn:aws:s3:::acme-guardduty-findings-"+prodLogArchiveID+"/*")
		for _, region := range []string{"eu-west-1", "eu-west-2"} {
			dest := one(t, p, typePublishingDestination, "guardduty-"+region+"-findings-export")
			assert.Equal(t, "security", dest.Account)
			assert.Equal(t, region, dest.Region)
			assert.Equal(t, "arn:aws:s3:::acme-guardduty-findings-"+prodLogArchiveID, dest.Inputs["destinationArn"])
			assert.Regexp(t, `^arn:aws:kms:eu-west-2:`+prodLogArchiveID+`:key/`, dest.Inputs["kmsKeyArn"])
			assert.Equal(t, p.Outputs["guardDutyDetectorIds"].(map[string]any)["security/"+region], dest.Inputs["detectorId"])
		}
	})
}

// GuardDuty's organization guide (add-member-accounts-guardduty-organization):
// "There is an exception to the organization management account. Before the
// management account gets added as a GuardDuty member, it must have GuardDuty
// enabled." Auto-enable does not enrol it; in every governed region the
// administrator adds it, after its detector exists, so its findings (root
// credential use among them) reach the administrator's alert rule.
func TestGuardDutyEnrolsTheManagementAccount(t *testing.T) {
	t.Parallel()
	p := runPlan(t, exampleConfig(t))
	for _, region := range []string{"eu-west-2", "eu-west-1"} {
		prefix := "guardduty-" + region
		m := one(t, p, typeGuardDutyMember, prefix+"-management-member")
		assert.Equal(t, "security", m.Account, "the administrator adds the member")
		assert.Equal(t, region, m.Region)
		assert.Equal(t, prodManagementID, m.Inputs["accountId"])
		assert.Equal(t, "aws-management@example.com", m.Inputs["email"])
		assert.Equal(t, false, m.Inputs["invite"], "an organization member, not an invitation")
		// terraform-provider-aws guardduty/member.go reads invite back as true
		// for an Enabled member and would disassociate it on the next update.
		assert.Contains(t, m.IgnoreChanges, "invite")
		assert.True(t, dependsOn(m, one(t, p, typeDetector, prefix+"-security-detector")), "added to the administrator's detector")
		assert.True(t, dependsOn(m, one(t, p, typeDetector, prefix+"-management-detector")), "GuardDuty is enabled in management first")
		assert.True(t, dependsOn(m, one(t, p, typeGuardDutyOrganizationConfiguration, prefix+"-organization-configuration")))
	}
	_, err := config.Load(with(exampleConfig(t), "accounts", map[string]any{
		"management": map[string]string{"id": prodManagementID}, "security": map[string]string{"id": prodSecurityID}, "logArchive": map[string]string{"id": prodLogArchiveID},
	}))
	assert.ErrorContains(t, err, "landing-zone-audit:accounts.management.email: missing; GuardDuty does not auto-enable the management account")
}

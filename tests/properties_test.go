package tests

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/example/landing-zone-audit/config"
)

// Security properties that have a named assertion of their own, so that
// breaking one fails a test that says which, not only the golden plan.

// A custom recorder role writes only its own account's prefix of the Config
// bucket (AWS Config's bucket-policy guide: AWSLogs/<account>/Config/*).
func TestCustomRecorderRoleWritesOnlyItsPrefix(t *testing.T) {
	t.Parallel()
	p := runPlan(t, with(exampleConfig(t), "awsConfig", map[string]any{"recorderRole": "custom"}))
	for alias, id := range map[string]string{"prod": prodWorkloadID, "dev": prodDevID} {
		perms := policyOf(t, one(t, p, typeRolePolicy, "config-"+alias+"-recorder-role-delivery"), "policy")
		write := sid(t, perms, "WriteSnapshots")
		assert.Equal(t, []string{configBucketArn + "/AWSLogs/" + id + "/Config/*"}, []string(write.Resource), "%s writes only its own prefix", alias)
		assert.Equal(t, []string{"s3:PutObject"}, []string(write.Action))
	}
}

// GuardDuty checks the destination when a publishing destination is
// created: it must be able to write the bucket and use the key by then
// (GuardDuty user guide, "Exporting findings": the bucket policy and key
// policy come first).
func TestGuardDutyExportWaitsForBucketPolicyAndKey(t *testing.T) {
	t.Parallel()
	p := runPlan(t, with(exampleConfig(t), "guardDuty", map[string]any{"findingsExport": true}))
	policy := one(t, p, typeBucketPolicy, "guardduty-findings-policy")
	key := one(t, p, typeKey, "guardduty-findings-key")
	for _, region := range []string{"eu-west-1", "eu-west-2"} {
		dest := one(t, p, typePublishingDestination, "guardduty-"+region+"-findings-export")
		assert.True(t, dependsOn(dest, policy), "%s waits for the bucket policy", dest.Name)
		assert.True(t, dependsOn(dest, key), "%s waits for the key", dest.Name)
	}
}

// Config rejects what AWS would: an account ID is exactly 12 digits, a
// Glacier transition comes before expiry, and Object Lock may hold objects
// as long as the lifecycle keeps them (equal is allowed).
func TestRetentionAndAccountIDBoundaries(t *testing.T) {
	t.Parallel()
	base := exampleConfig(t)
	var accounts map[string]map[string]any
	require.NoError(t, jsonUnmarshal(base.Values[ns+"accounts"], &accounts))
	accounts["prod"]["id"] = "44444444444" // 11 digits
	_, err := config.Load(with(base, "accounts", accounts))
	assert.ErrorContains(t, err, "landing-zone-audit:accounts.prod.id: \"44444444444\" is not an AWS account ID")

	_, err = config.Load(with(base, "orgTrail", map[string]any{"logDeletionDays": 365, "glacierTransitionDays": 365}))
	assert.ErrorContains(t, err, "landing-zone-audit:orgTrail.glacierTransitionDays: 365 is not before logDeletionDays (365)")

	_, err = config.Load(with(base, "orgTrail", map[string]any{"logDeletionDays": 365, "objectLock": map[string]any{"mode": "GOVERNANCE", "days": 365}}))
	assert.NoError(t, err, "Object Lock for as long as the logs are kept")
	_, err = config.Load(with(base, "orgTrail", map[string]any{"logDeletionDays": 365, "objectLock": map[string]any{"mode": "GOVERNANCE", "days": 366}}))
	assert.ErrorContains(t, err, "landing-zone-audit:orgTrail.objectLock.days: 366 exceeds the lifecycle expiry")
}

// Every dead-letter queue denies requests without TLS (Security Hub SQS
// best practice; aws:SecureTransport).
func TestDeadLetterQueuesDenyInsecureTransport(t *testing.T) {
	t.Parallel()
	p := runPlan(t, exampleConfig(t))
	queues := p.ByType(typeQueue)
	require.NotEmpty(t, queues)
	for _, q := range queues {
		dlqPolicy := policyOf(t, one(t, p, typeQueuePolicy, q.Name+"-policy"), "policy")
		requireTLSOnly(t, dlqPolicy, "sqs:*", "arn:aws:sqs:"+q.Region+":"+q.AccountID+":"+q.Inputs["name"].(string))
	}
}

// S3 server access log delivery is limited to the source bucket and its
// account (S3 user guide, "Permissions for log delivery": aws:SourceArn and
// aws:SourceAccount).
func TestAccessLogDeliveryIsScopedToItsSource(t *testing.T) {
	t.Parallel()
	p := runPlan(t, exampleConfig(t))
	for target, source := range map[string][2]string{
		"orgtrail-bucket-access-logs-policy": {trailBucketArn, prodLogArchiveID},
		"config-bucket-access-logs-policy":   {configBucketArn, prodLogArchiveID},
	} {
		s := sid(t, policyOf(t, one(t, p, typeBucketPolicy, target), "policy"), "S3ServerAccessLogs")
		assert.Equal(t, source[0], s.Condition["ArnLike"]["aws:SourceArn"], target)
		assert.Equal(t, source[1], s.Condition["StringEquals"]["aws:SourceAccount"], target)
	}
}

// AWS Config encrypts snapshots with the central key only for the listed
// accounts' deliveries (AWS Config developer guide, "Permissions for the KMS
// key": aws:SourceAccount on config.amazonaws.com).
func TestConfigKeyIsScopedToTheOrganizationsAccounts(t *testing.T) {
	t.Parallel()
	cfg, p := exampleStack(t)
	s := sid(t, policyOf(t, one(t, p, typeKey, "config-bucket-key"), "policy"), "ConfigEncryptsSnapshots")
	assert.Equal(t, []string{"config.amazonaws.com"}, []string(s.Principal.Service))
	assert.ElementsMatch(t, []string{"kms:GenerateDataKey", "kms:Decrypt"}, []string(s.Action))
	var ids []any
	for _, id := range cfg.AccountIDs() {
		ids = append(ids, id)
	}
	assert.ElementsMatch(t, ids, s.Condition["StringEquals"]["aws:SourceAccount"])
}

// The security account decrypts trail logs only: the key policy requires
// CloudTrail's encryption context (CloudTrail guide, "Enable CloudTrail log
// file decryption permissions").
func TestSecurityAccountDecryptsOnlyTrailLogs(t *testing.T) {
	t.Parallel()
	p := runPlan(t, exampleConfig(t))
	dec := sid(t, policyOf(t, one(t, p, typeKey, "orgtrail-bucket-key"), "policy"), "SecurityAccountDecryptsLogs")
	assert.Equal(t, "arn:aws:cloudtrail:*:"+prodManagementID+":trail/*", dec.Condition["StringLike"]["kms:EncryptionContext:aws:cloudtrail:arn"])
	assert.Equal(t, prodSecurityID, dec.Condition["StringEquals"]["kms:CallerAccount"])
}

// Only CloudWatch alarms and EventBridge rules publish to the alert topic
// (SNS access-policy guide: service principals with aws:SourceArn).
func TestAlertTopicPublishersAreTheTwoServices(t *testing.T) {
	t.Parallel()
	p := runPlan(t, exampleConfig(t))
	var publishers []string
	for _, s := range policyOf(t, one(t, p, typeTopicPolicy, "alerts-policy"), "policy") {
		if s.Effect == "Allow" {
			assert.Empty(t, s.Principal.AWS, "%s: no account principals", s.Sid)
			assert.False(t, s.Principal.Everyone, "%s: not everyone", s.Sid)
			publishers = append(publishers, s.Principal.Service...)
		}
	}
	assert.ElementsMatch(t, []string{"cloudwatch.amazonaws.com", "events.amazonaws.com"}, publishers)
}

// Runtime Monitoring's automated agents follow the feature (GuardDuty API
// UpdateOrganizationConfiguration: EKS_ADDON_MANAGEMENT,
// ECS_FARGATE_AGENT_MANAGEMENT, EC2_AGENT_MANAGEMENT).
func TestRuntimeMonitoringAgentsFollowTheFeature(t *testing.T) {
	t.Parallel()
	for enabled, want := range map[bool]string{true: "ALL", false: "NONE"} {
		p := runPlan(t, with(exampleConfig(t), "guardDuty", map[string]any{"features": map[string]any{"runtimeMonitoring": enabled}}))
		f := one(t, p, typeOrganizationConfigurationFeature, "guardduty-eu-west-2-feature-RUNTIME_MONITORING")
		assert.Equal(t, want, f.Inputs["autoEnable"])
		extra, _ := f.Inputs["additionalConfigurations"].([]any)
		var names []any
		for _, e := range extra {
			m := e.(map[string]any)
			names = append(names, m["name"])
			assert.Equal(t, want, m["autoEnable"], "%v follows the feature", m["name"])
		}
		assert.ElementsMatch(t, []any{"EKS_ADDON_MANAGEMENT", "ECS_FARGATE_AGENT_MANAGEMENT", "EC2_AGENT_MANAGEMENT"}, names)
	}
}

func jsonUnmarshal(text string, v any) error { return json.Unmarshal([]byte(text), v) }

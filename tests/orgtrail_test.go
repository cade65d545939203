package tests

import (
	"strconv"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/example/landing-zone-audit/components"
	"github.com/example/landing-zone-audit/internal/plan"
)

const (
	trailArn       = "arn:aws:cloudtrail:eu-west-2:" + prodManagementID + ":trail/acme-org-trail"
	trailBucket    = "acme-orgtrail-" + prodLogArchiveID
	trailBucketArn = "arn:aws:s3:::" + trailBucket
	logGroupArn    = "arn:aws:logs:eu-west-2:" + prodManagementID + ":log-group:OrgTrail/org-audit-log"
)

func TestOrgTrailDefaults(t *testing.T) {
	t.Parallel()
	p := runPlan(t, exampleConfig(t))

	trail := one(t, p, typeTrail, "orgtrail")
	assert.Equal(t, "management", trail.Account)
	assert.Equal(t, "eu-west-2", trail.Region)
	for _, k := range []string{"isOrganizationTrail", "isMultiRegionTrail", "includeGlobalServiceEvents", "enableLogFileValidation", "enableLogging"} {
		assert.Equal(t, true, trail.Inputs[k], k)
	}
	assert.Equal(t, trailBucket, trail.Inputs["s3BucketName"])
	assert.Equal(t, logGroupArn+":*", trail.Inputs["cloudWatchLogsGroupArn"])
	assert.Equal(t, "arn:aws:iam::"+prodManagementID+":role/acme-orgtrail-cloudwatch", trail.Inputs["cloudWatchLogsRoleArn"])
	key := one(t, p, typeKey, "orgtrail-bucket-key")
	assert.Regexp(t, `^arn:aws:kms:eu-west-2:`+prodLogArchiveID+`:key/`, trail.Inputs["kmsKeyId"], "customer key by default (CloudTrail.2)")
	assert.Nil(t, trail.Inputs["insightSelectors"])

	// Management events selected exactly once, no data events by default.
	selectors := trail.Inputs["advancedEventSelectors"].([]any)
	require.Len(t, selectors, 1)
	assert.Equal(t, "Management", input(trail, "advancedEventSelectors.0.fieldSelectors.0.equals.0"))

	// The trail waits for the bucket policy, log group and role.
	for _, dep := range []plan.Resource{
		one(t, p, typeBucketPolicy, "orgtrail-bucket-policy"),
		one(t, p, typeLogGroup, "orgtrail-log-group"),
		one(t, p, typeRole, "orgtrail-cloudwatch-role"),
		one(t, p, typeRolePolicy, "orgtrail-cloudwatch-role-policy"),
	} {
		assert.True(t, dependsOn(trail, dep), "trail depends on %s", dep.Name)
	}

	logGroup := one(t, p, typeLogGroup, "orgtrail-log-group")
	assert.Equal(t, "management", logGroup.Account)
	assert.Equal(t, "OrgTrail/org-audit-log", logGroup.Inputs["name"])
	// Security Hub CloudWatch.16: log groups are kept at least 365 days
	// (the control's default minRetentionTime).
	assert.Equal(t, 365.0, logGroup.Inputs["retentionInDays"])

	assert.Equal(t, "logArchive", key.Account)
	assert.Equal(t, true, key.Inputs["enableKeyRotation"])
	assert.True(t, key.RetainOnDelete, "the key outlives the stack")

	assert.Equal(t, trailArn, p.Outputs["trailArn"])
	assert.Equal(t, trailBucket, p.Outputs["trailBucketName"])
	assert.Equal(t, trailBucketArn, p.Outputs["trailBucketArn"])
	assert.Equal(t, logGroupArn, p.Outputs["trailLogGroupArn"])
	assert.Equal(t, "OrgTrail/org-audit-log", p.Outputs["trailLogGroupName"])
	assert.Regexp(t, `^arn:aws:kms:eu-west-2:`+prodLogArchiveID+`:key/`, p.Outputs["trailKeyArn"])
}

func TestOrgTrailBucketIsHardened(t *testing.T) {
	t.Parallel()
	p := runPlan(t, exampleConfig(t))
	bucket := one(t, p, typeBucket, "orgtrail-bucket")
	assert.Equal(t, "logArchive", bucket.Account)
	assert.Equal(t, trailBucket, bucket.Inputs["bucket"])
	assert.True(t, bucket.RetainOnDelete, "deleting the stack keeps the logs")
	// objectLockEnabled forces a new bucket in the provider
	// (terraform-provider-aws internal/service/s3/bucket.go: ForceNew), so
	// it is never set on a retained, fixed-name bucket.
	assert.NotContains(t, bucket.Inputs, "objectLockEnabled")

	pab := one(t, p, typeBucketPublicAccessBlock, "orgtrail-bucket-public-access-block")
	for _, k := range []string{"blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"} {
		assert.Equal(t, true, pab.Inputs[k], k)
	}
	assert.Equal(t, trailBucket, pab.Inputs["bucket"])
	own := one(t, p, typeBucketOwnershipControls, "orgtrail-bucket-ownership")
	assert.Equal(t, "BucketOwnerEnforced", input(own, "rule.objectOwnership"))
	enc := one(t, p, typeBucketServerSideEncryptionConfigurationV2, "orgtrail-bucket-encryption")
	assert.Equal(t, "aws:kms", input(enc, "rules.0.applyServerSideEncryptionByDefault.sseAlgorithm"))
	assert.Regexp(t, `^arn:aws:kms:eu-west-2:`+prodLogArchiveID+`:key/`, input(enc, "rules.0.applyServerSideEncryptionByDefault.kmsMasterKeyId"))
	ver := one(t, p, typeBucketVersioningV2, "orgtrail-bucket-versioning")
	assert.Equal(t, "Enabled", input(ver, "versioningConfiguration.status"))
	lc := one(t, p, typeBucketLifecycleConfigurationV2, "orgtrail-bucket-lifecycle")
	assert.Equal(t, 365.0, input(lc, "rules.0.expiration.days"))
	assert.Equal(t, 365.0, input(lc, "rules.0.noncurrentVersionExpiration.noncurrentDays"))
	assert.Nil(t, input(lc, "rules.0.transitions"))

	// Access logging to a separate hardened bucket that only S3 logging may write, for this source.
	logging := one(t, p, typeBucketLoggingV2, "orgtrail-bucket-logging")
	assert.Equal(t, "acme-orgtrail-access-"+prodLogArchiveID, logging.Inputs["targetBucket"])
	accessPolicy := policyOf(t, one(t, p, typeBucketPolicy, "orgtrail-bucket-access-logs-policy"), "policy")
	s := sid(t, accessPolicy, "S3ServerAccessLogs")
	assert.Equal(t, []string{"logging.s3.amazonaws.com"}, []string(s.Principal.Service))
	assert.Equal(t, trailBucketArn, s.Condition["ArnLike"]["aws:SourceArn"])
	requireTLSOnly(t, accessPolicy, "s3:*", "arn:aws:s3:::acme-orgtrail-access-"+prodLogArchiveID, "arn:aws:s3:::acme-orgtrail-access-"+prodLogArchiveID+"/*")
	accessEnc := one(t, p, typeBucketServerSideEncryptionConfigurationV2, "orgtrail-bucket-access-logs-encryption")
	assert.Equal(t, "AES256", input(accessEnc, "rules.0.applyServerSideEncryptionByDefault.sseAlgorithm"), "S3 log targets take SSE-S3")
}

func TestOrgTrailBucketPolicy(t *testing.T) {
	t.Parallel()
	p := runPlan(t, exampleConfig(t))
	bp := one(t, p, typeBucketPolicy, "orgtrail-bucket-policy")
	assert.Equal(t, "logArchive", bp.Account)
	statements := policyOf(t, bp, "policy")
	require.Len(t, statements, 6, "four grants and denies, and the two evidence denies (TestLogBucketsDenyErasingEvidence)")

	read := sid(t, statements, "SecurityAccountReadsLogs")
	assert.Equal(t, []string{"arn:aws:iam::" + prodSecurityID + ":root"}, []string(read.Principal.AWS), "the security account can read what it may decrypt")
	assert.ElementsMatch(t, []string{"s3:GetObject", "s3:ListBucket"}, []string(read.Action))
	assert.ElementsMatch(t, []string{trailBucketArn, trailBucketArn + "/AWSLogs/*"}, []string(read.Resource))

	acl := sid(t, statements, "CloudTrailAclCheck")
	assert.Equal(t, "Allow", acl.Effect)
	assert.Equal(t, []string{"cloudtrail.amazonaws.com"}, []string(acl.Principal.Service))
	assert.Equal(t, []string{"s3:GetBucketAcl"}, []string(acl.Action))
	assert.Equal(t, []string{trailBucketArn}, []string(acl.Resource))
	assert.Equal(t, trailArn, acl.Condition["StringEquals"]["aws:SourceArn"])

	write := sid(t, statements, "CloudTrailWrite")
	assert.Equal(t, []string{"cloudtrail.amazonaws.com"}, []string(write.Principal.Service))
	assert.Equal(t, []string{"s3:PutObject"}, []string(write.Action))
	assert.ElementsMatch(t, []string{trailBucketArn + "/AWSLogs/" + prodManagementID + "/*", trailBucketArn + "/AWSLogs/o-exampleorg1/*"}, []string(write.Resource))
	assert.Equal(t, "bucket-owner-full-control", write.Condition["StringEquals"]["s3:x-amz-acl"])
	assert.Equal(t, trailArn, write.Condition["StringEquals"]["aws:SourceArn"])

	requireTLSOnly(t, statements, "s3:*", trailBucketArn, trailBucketArn+"/*")
	requireNoOpenWildcardPrincipal(t, statements)
}

func TestOrgTrailKeyPolicy(t *testing.T) {
	t.Parallel()
	p := runPlan(t, exampleConfig(t))
	statements := policyOf(t, one(t, p, typeKey, "orgtrail-bucket-key"), "policy")
	requireNoOpenWildcardPrincipal(t, statements)
	enc := sid(t, statements, "CloudTrailEncryptLogs")
	assert.Equal(t, []string{"cloudtrail.amazonaws.com"}, []string(enc.Principal.Service))
	assert.Equal(t, []string{"kms:GenerateDataKey*"}, []string(enc.Action))
	assert.Equal(t, "arn:aws:cloudtrail:*:"+prodManagementID+":trail/*", enc.Condition["StringLike"]["kms:EncryptionContext:aws:cloudtrail:arn"])
	assert.Equal(t, trailArn, enc.Condition["StringEquals"]["aws:SourceArn"])
	dec := sid(t, statements, "SecurityAccountDecryptsLogs")
	assert.Equal(t, []string{"arn:aws:iam::" + prodSecurityID + ":root"}, []string(dec.Principal.AWS))
	assert.Contains(t, dec.Action, "kms:Decrypt")
	assert.Equal(t, prodSecurityID, dec.Condition["StringEquals"]["kms:CallerAccount"])
	admin := sid(t, statements, "AccountAdministersKeyThroughIAM")
	assert.Equal(t, []string{"arn:aws:iam::" + prodLogArchiveID + ":root"}, []string(admin.Principal.AWS), "the key's own account administers it")
}

func TestOrgTrailDeliveryRole(t *testing.T) {
	t.Parallel()
	p := runPlan(t, exampleConfig(t))
	role := one(t, p, typeRole, "orgtrail-cloudwatch-role")
	assert.Equal(t, "management", role.Account)
	trust := policyOf(t, role, "assumeRolePolicy")
	require.Len(t, trust, 1)
	assert.Equal(t, []string{"cloudtrail.amazonaws.com"}, []string(trust[0].Principal.Service))
	assert.Equal(t, []string{"sts:AssumeRole"}, []string(trust[0].Action))
	assert.Equal(t, trailArn, trust[0].Condition["StringEquals"]["aws:SourceArn"])
	assert.Equal(t, prodManagementID, trust[0].Condition["StringEquals"]["aws:SourceAccount"])

	perms := policyOf(t, one(t, p, typeRolePolicy, "orgtrail-cloudwatch-role-policy"), "policy")
	require.Len(t, perms, 1)
	assert.ElementsMatch(t, []string{"logs:CreateLogStream", "logs:PutLogEvents"}, []string(perms[0].Action))
	assert.ElementsMatch(t, []string{
		logGroupArn + ":log-stream:" + prodManagementID + "_CloudTrail_eu-west-2*",
		logGroupArn + ":log-stream:o-exampleorg1_*",
	}, []string(perms[0].Resource))
}

func TestOrgTrailOptions(t *testing.T) {
	t.Parallel()
	base := exampleConfig(t)

	t.Run("sse-s3 instead of kms", func(t *testing.T) {
		t.Parallel()
		p := runPlan(t, with(base, "orgTrail", map[string]any{"kmsEncryption": false}))
		assert.NotContains(t, named(p, typeKey), "orgtrail-bucket-key")
		assert.Nil(t, one(t, p, typeTrail, "orgtrail").Inputs["kmsKeyId"])
		enc := one(t, p, typeBucketServerSideEncryptionConfigurationV2, "orgtrail-bucket-encryption")
		assert.Equal(t, "AES256", input(enc, "rules.0.applyServerSideEncryptionByDefault.sseAlgorithm"))
		assert.Nil(t, p.Outputs["trailKeyArn"])
	})
	t.Run("data events exclude the trail's own buckets", func(t *testing.T) {
		t.Parallel()
		p := runPlan(t, with(base, "orgTrail", map[string]any{"dataEvents": map[string]bool{"s3": true, "lambda": true}}))
		trail := one(t, p, typeTrail, "orgtrail")
		selectors := trail.Inputs["advancedEventSelectors"].([]any)
		require.Len(t, selectors, 3)
		management := 0
		for i := range selectors {
			if input(trail, "advancedEventSelectors."+strconv.Itoa(i)+".fieldSelectors.0.equals.0") == "Management" {
				management++
			}
		}
		assert.Equal(t, 1, management, "management events selected exactly once")
		assert.Equal(t, "AWS::S3::Object", input(trail, "advancedEventSelectors.1.fieldSelectors.1.equals.0"))
		assert.Equal(t, "resources.ARN", input(trail, "advancedEventSelectors.1.fieldSelectors.2.field"))
		assert.ElementsMatch(t, []any{trailBucketArn + "/", "arn:aws:s3:::acme-orgtrail-access-" + prodLogArchiveID + "/"},
			input(trail, "advancedEventSelectors.1.fieldSelectors.2.notStartsWiths"))
		assert.Equal(t, "AWS::Lambda::Function", input(trail, "advancedEventSelectors.2.fieldSelectors.1.equals.0"))
	})
	t.Run("insights", func(t *testing.T) {
		t.Parallel()
		p := runPlan(t, with(base, "orgTrail", map[string]any{"insights": true}))
		trail := one(t, p, typeTrail, "orgtrail")
		assert.Equal(t, []any{map[string]any{"insightType": "ApiCallRateInsight"}, map[string]any{"insightType": "ApiErrorRateInsight"}}, trail.Inputs["insightSelectors"])
	})
	t.Run("object lock and glacier", func(t *testing.T) {
		t.Parallel()
		p := runPlan(t, with(base, "orgTrail", map[string]any{
			"objectLock": map[string]any{"mode": "COMPLIANCE", "days": 90}, "glacierTransitionDays": 30,
		}))
		// S3 PutObjectLockConfiguration: "You can enable Object Lock for new
		// or existing buckets" (versioning on first); the bucket keeps no flag.
		assert.NotContains(t, one(t, p, typeBucket, "orgtrail-bucket").Inputs, "objectLockEnabled")
		lock := one(t, p, typeBucketObjectLockConfigurationV2, "orgtrail-bucket-object-lock")
		assert.Equal(t, "Enabled", lock.Inputs["objectLockEnabled"])
		assert.True(t, dependsOn(lock, one(t, p, typeBucketVersioningV2, "orgtrail-bucket-versioning")), "versioning is on before Object Lock")
		assert.Equal(t, "COMPLIANCE", input(lock, "rule.defaultRetention.mode"))
		assert.Equal(t, 90.0, input(lock, "rule.defaultRetention.days"))
		lc := one(t, p, typeBucketLifecycleConfigurationV2, "orgtrail-bucket-lifecycle")
		assert.Equal(t, 30.0, input(lc, "rules.0.transitions.0.days"))
		assert.Equal(t, "GLACIER", input(lc, "rules.0.transitions.0.storageClass"))
	})
	t.Run("bucket in management, no access logging, log group key", func(t *testing.T) {
		t.Parallel()
		p := runPlan(t, with(base, "orgTrail", map[string]any{"bucketAccount": "management", "accessLogging": false, "logGroupKmsEncryption": true}))
		bucket := one(t, p, typeBucket, "orgtrail-bucket")
		assert.Equal(t, "management", bucket.Account)
		assert.Equal(t, "acme-orgtrail-"+prodManagementID, bucket.Inputs["bucket"])
		assert.NotContains(t, named(p, typeBucketLoggingV2), "orgtrail-bucket-logging")
		logKey := one(t, p, typeKey, "orgtrail-log-group-key")
		assert.Equal(t, "management", logKey.Account)
		s := sid(t, policyOf(t, logKey, "policy"), "CloudWatchLogsUseKey")
		assert.Equal(t, []string{"logs.eu-west-2.amazonaws.com"}, []string(s.Principal.Service))
		assert.Equal(t, logGroupArn, s.Condition["ArnEquals"]["kms:EncryptionContext:aws:logs:arn"])
		assert.Regexp(t, `^arn:aws:kms:eu-west-2:`+prodManagementID+`:key/`, one(t, p, typeLogGroup, "orgtrail-log-group").Inputs["kmsKeyId"])
	})
}

// Missing component arguments are all reported and nothing is registered;
// the user's settings are checked once, by config.
func TestOrgTrailRejectsMissingArgs(t *testing.T) {
	t.Parallel()
	rec := plan.NewRecorder(nil, "landing-zone-audit", "test")
	err := pulumi.RunErr(func(ctx *pulumi.Context) error {
		_, err := components.NewOrgTrail(ctx, "bad", &components.OrgTrailArgs{})
		return err
	}, pulumi.WithMocks("landing-zone-audit", "test", rec))
	require.Error(t, err)
	for _, want := range []string{"Management.Provider", "Bucket.Provider", "Bucket.AccountID", "OrganizationID", "BucketName", "TrailName"} {
		assert.Contains(t, err.Error(), want)
	}
	assert.Empty(t, rec.Resources(), "nothing registered")
}

// Nothing hard-codes the partition: in China every ARN and service domain follows.
func TestChinaPartition(t *testing.T) {
	t.Parallel()
	raw := with(with(with(exampleConfig(t), "homeRegion", "cn-north-1"), "governedRegions", []string{"cn-north-1", "cn-northwest-1"}),
		"orgTrail", map[string]any{"logGroupKmsEncryption": true})
	p := runPlan(t, raw)
	trail := one(t, p, typeTrail, "orgtrail")
	assert.Equal(t, "arn:aws-cn:iam::"+prodManagementID+":role/acme-orgtrail-cloudwatch", trail.Inputs["cloudWatchLogsRoleArn"])
	write := sid(t, policyOf(t, one(t, p, typeBucketPolicy, "orgtrail-bucket-policy"), "policy"), "CloudTrailWrite")
	assert.Equal(t, "arn:aws-cn:cloudtrail:cn-north-1:"+prodManagementID+":trail/acme-org-trail", write.Condition["StringEquals"]["aws:SourceArn"])
	s := sid(t, policyOf(t, one(t, p, typeKey, "orgtrail-log-group-key"), "policy"), "CloudWatchLogsUseKey")
	assert.Equal(t, []string{"logs.cn-north-1.amazonaws.com.cn"}, []string(s.Principal.Service))
	for _, r := range p.Resources {
		for _, v := range r.Inputs {
			if text, ok := v.(string); ok {
				assert.NotContains(t, text, "arn:aws:", "%s names the aws partition", r.Name)
			}
		}
	}
}

// CloudTrail's key-policy guide (create-kms-key-policy-for-cloudtrail.html):
// "If you are using an existing S3 bucket with an S3 Bucket Key, kms:Decrypt
// permissions are required to create or update a trail with SSE-KMS
// encryption enabled." The trail bucket uses a Bucket Key and its key lives
// in log archive, so the management account, which creates the trail, may
// decrypt with it, from its own account only.
func TestTrailCreatorMayDecryptWithTheBucketKey(t *testing.T) {
	t.Parallel()
	p := runPlan(t, exampleConfig(t))
	enc := one(t, p, typeBucketServerSideEncryptionConfigurationV2, "orgtrail-bucket-encryption")
	require.Equal(t, true, input(enc, "rules.0.bucketKeyEnabled"), "the trail bucket uses an S3 Bucket Key")
	key := one(t, p, typeKey, "orgtrail-bucket-key")
	require.Equal(t, "logArchive", key.Account)
	creator := sid(t, policyOf(t, key, "policy"), "TrailCreatorDecrypts")
	assert.Equal(t, "Allow", creator.Effect)
	assert.Equal(t, []string{"arn:aws:iam::" + prodManagementID + ":root"}, []string(creator.Principal.AWS))
	assert.Equal(t, []string{"kms:Decrypt"}, []string(creator.Action))
	assert.Equal(t, prodManagementID, creator.Condition["StringEquals"]["kms:CallerAccount"])
	trail := one(t, p, typeTrail, "orgtrail")
	assert.Equal(t, "management", trail.Account, "the management account creates the trail")
	// The same guide lists CloudTrail's own kms:Decrypt as required here.
	ct := sid(t, policyOf(t, key, "policy"), "CloudTrailDecryptsTrail")
	assert.Equal(t, []string{"cloudtrail.amazonaws.com"}, []string(ct.Principal.Service))
	assert.Equal(t, []string{"kms:Decrypt"}, []string(ct.Action))
	assert.Equal(t, "arn:aws:cloudtrail:eu-west-2:"+prodManagementID+":trail/acme-org-trail", ct.Condition["StringEquals"]["aws:SourceArn"])
}

package components_test

import (
	"encoding/json"
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/example/landing-zone-audit/components"
	"github.com/example/landing-zone-audit/internal/plan"
)

// Components are constructed and tested on their own: no stack
// configuration, one constructor under the recording mock engine.

const testAccount = "123456789012"

// record runs build with an AWS provider for testAccount in eu-west-1 and
// returns the AWS resources the engine saw, by logical name.
func record(t *testing.T, build func(ctx *pulumi.Context, provider pulumi.ProviderResource) error) map[string]plan.Resource {
	t.Helper()
	rec := plan.NewRecorder(nil, "components", "test")
	err := pulumi.RunErr(func(ctx *pulumi.Context) error {
		p, err := aws.NewProvider(ctx, "aws-test", &aws.ProviderArgs{
			Region: pulumi.String("eu-west-1"), AllowedAccountIds: pulumi.ToStringArray([]string{testAccount}),
		})
		if err != nil {
			return err
		}
		return build(ctx, p)
	}, pulumi.WithMocks("components", "test", rec))
	require.NoError(t, err)
	out := map[string]plan.Resource{}
	for _, r := range rec.Resources() {
		if r.Custom && !r.IsProvider() {
			out[r.Name] = r
		}
	}
	return out
}

// statements parses a policy input into Sid → statement.
func statements(t *testing.T, r plan.Resource, key string) map[string]map[string]any {
	t.Helper()
	var doc struct{ Statement []map[string]any }
	require.NoError(t, json.Unmarshal([]byte(r.Inputs[key].(string)), &doc))
	out := map[string]map[string]any{}
	for _, s := range doc.Statement {
		out[s["Sid"].(string)] = s
	}
	return out
}

// A log bucket alone: all four public-access blocks, owner-enforced
// ownership, SSE-KMS with its own rotating key and a Bucket Key,
// versioning, a TLS-only deny, and the bucket and key retained on destroy.
func TestLogBucket(t *testing.T) {
	t.Parallel()
	got := record(t, func(ctx *pulumi.Context, p pulumi.ProviderResource) error {
		_, err := components.NewLogBucket(ctx, "logs", &components.LogBucketArgs{
			Account:    components.Account{Provider: p, Partition: "aws", AccountID: testAccount, Region: "eu-west-1"},
			BucketName: "example-logs-123456789012",
			Key:        &components.KeyArgs{Description: "test", Alias: "example-logs"}, DeletionDays: 30,
		})
		return err
	})
	assert.True(t, got["logs"].RetainOnDelete, "the bucket survives destroy")
	assert.True(t, got["logs-key"].RetainOnDelete, "the key survives destroy")
	assert.Equal(t, true, got["logs-key"].Inputs["enableKeyRotation"])
	for _, k := range []string{"blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"} {
		assert.Equal(t, true, got["logs-public-access-block"].Inputs[k], k)
	}
	rule := got["logs-encryption"].Inputs["rules"].([]any)[0].(map[string]any)
	assert.Equal(t, true, rule["bucketKeyEnabled"])
	assert.Equal(t, "aws:kms", rule["applyServerSideEncryptionByDefault"].(map[string]any)["sseAlgorithm"])
	assert.Equal(t, "Enabled", got["logs-versioning"].Inputs["versioningConfiguration"].(map[string]any)["status"])
	deny := statements(t, got["logs-policy"], "policy")["DenyInsecureTransport"]
	assert.Equal(t, "Deny", deny["Effect"])
	assert.Equal(t, map[string]any{"aws:SecureTransport": "false"}, deny["Condition"].(map[string]any)["Bool"])
	assert.NotContains(t, got, "logs-object-lock", "no Object Lock unless asked")
}

// Missing arguments are all reported, and nothing is registered.
func TestLogBucketRejectsMissingArgs(t *testing.T) {
	t.Parallel()
	rec := plan.NewRecorder(nil, "components", "test")
	err := pulumi.RunErr(func(ctx *pulumi.Context) error {
		_, err := components.NewLogBucket(ctx, "logs", &components.LogBucketArgs{})
		return err
	}, pulumi.WithMocks("components", "test", rec))
	require.Error(t, err)
	for _, want := range []string{"Provider", "Partition", "AccountID", "BucketName"} {
		assert.Contains(t, err.Error(), want)
	}
	assert.Empty(t, rec.Resources())
}

// An alert topic published only by CloudWatch: its key lets CloudWatch in
// under the alarm's account and ARN, and nothing lets EventBridge in.
func TestAlertTopicForCloudWatchOnly(t *testing.T) {
	t.Parallel()
	got := record(t, func(ctx *pulumi.Context, p pulumi.ProviderResource) error {
		_, err := components.NewAlertTopic(ctx, "alerts", &components.AlertTopicArgs{
			Account:   components.Account{Provider: p, Partition: "aws", Region: "eu-west-1", AccountID: testAccount},
			TopicName: "example-alerts", KeyAlias: "example-alerts", Emails: []string{"soc@example.com"},
			Publishers: []string{components.CloudWatchPrincipal},
		})
		return err
	})
	key := statements(t, got["alerts-key"], "policy")
	assert.Contains(t, key, "PublisherUsesKeyCloudWatch")
	assert.NotContains(t, key, "PublisherUsesKeyEventBridge")
	cond := key["PublisherUsesKeyCloudWatch"]["Condition"].(map[string]any)
	assert.Equal(t, testAccount, cond["StringEquals"].(map[string]any)["aws:SourceAccount"])
	assert.Equal(t, "soc@example.com", got["alerts-email-0"].Inputs["endpoint"])
}

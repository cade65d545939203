package components_test

import (
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"

	"github.com/example/landing-zone-audit/components"
)

// AWS Config's bucket and key admit AWS Config only for the listed accounts
// (or, with none listed, the organization), each writing under its own
// AWSLogs/<account>/Config/ prefix: the bucket policy the AWS Config
// developer guide gives ("Permissions for the Amazon S3 Bucket"), with
// aws:SourceAccount as its confused-deputy condition.
func TestConfigBucketAdmitsOnlyTheSources(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name     string
		accounts []string
		writers  map[string]any
	}{
		{"listed accounts", []string{"111111111111", "222222222222"}, map[string]any{"aws:SourceAccount": []any{"111111111111", "222222222222"}}},
		{"whole organization", nil, map[string]any{"aws:SourceOrgID": "o-exampleorg1"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := record(t, func(ctx *pulumi.Context, p pulumi.ProviderResource) error {
				_, err := components.NewConfigBucket(ctx, "config-bucket", &components.ConfigBucketArgs{
					Account:    components.Account{Provider: p, Partition: "aws", AccountID: testAccount, Region: "eu-west-1"},
					BucketName: "example-config-123456789012", AccessLogBucketName: "example-config-access-123456789012",
					KeyAlias: "example-config", DeletionDays: 365,
					Sources: components.ConfigSources{OrganizationID: "o-exampleorg1", AccountIDs: tc.accounts},
				})
				return err
			})
			bucket := statements(t, got["config-bucket-policy"], "policy")
			write := bucket["ConfigWrite"]
			assert.Equal(t, map[string]any{"Service": []any{"config.amazonaws.com"}}, write["Principal"])
			assert.Equal(t, []any{"arn:aws:s3:::example-config-123456789012/AWSLogs/${aws:SourceAccount}/Config/*"}, write["Resource"])
			equals := write["Condition"].(map[string]any)["StringEquals"].(map[string]any)
			for k, v := range tc.writers {
				assert.Equal(t, v, equals[k], k)
			}
			assert.Equal(t, "bucket-owner-full-control", equals["s3:x-amz-acl"])
			for _, sid := range []string{"ConfigAclCheck", "ConfigListBucket"} {
				assert.Equal(t, map[string]any{"aws:SourceOrgID": "o-exampleorg1"}, bucket[sid]["Condition"].(map[string]any)["StringEquals"], sid)
			}
			assert.NotContains(t, bucket, "RecorderRolesWrite", "no custom roles, no role statements")

			key := statements(t, got["config-bucket-key"], "policy")["ConfigEncryptsSnapshots"]
			keyEquals := key["Condition"].(map[string]any)["StringEquals"].(map[string]any)
			for k, v := range tc.writers {
				assert.Equal(t, v, keyEquals[k], "the key is conditioned like the write: %s", k)
			}
		})
	}
}

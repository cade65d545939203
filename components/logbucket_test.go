package components_test

import (
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"

	"github.com/example/landing-zone-audit/components"
)

// A retained log bucket keeps what protects its logs: the Terraform AWS
// provider that pulumi-aws bridges deletes each setting with the S3 call
// that undoes it (internal/service/s3: DeletePublicAccessBlock,
// DeleteBucketOwnershipControls, DeleteBucketEncryption, DeleteBucketPolicy,
// versioning suspended), so a destroy that deleted them would leave the
// evidence with ACLs back on, no TLS-only deny and versioning suspended.
// Access logging is optional and is not retained, so switching it off
// still switches it off.
func TestLogBucketKeepsItsProtectionOnDestroy(t *testing.T) {
	t.Parallel()
	got := record(t, func(ctx *pulumi.Context, p pulumi.ProviderResource) error {
		_, err := components.NewLogBucket(ctx, "logs", &components.LogBucketArgs{
			Account:    components.Account{Provider: p, Partition: "aws", AccountID: testAccount, Region: "eu-west-1"},
			BucketName: "example-logs-123456789012", AccessLogBucketName: "example-access-logs-123456789012",
			Key:          &components.KeyArgs{Description: "test", Alias: "example-logs"},
			DeletionDays: 30, ObjectLock: components.ObjectLock{Mode: components.ObjectLockGovernance, Days: 30},
		})
		return err
	})
	for _, name := range []string{"logs", "logs-key", "logs-public-access-block", "logs-ownership", "logs-encryption",
		"logs-versioning", "logs-lifecycle", "logs-object-lock", "logs-policy"} {
		assert.True(t, got[name].RetainOnDelete, "%s survives destroy", name)
	}
	assert.False(t, got["logs-logging"].RetainOnDelete)
}

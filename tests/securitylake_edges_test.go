package tests

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/example/landing-zone-audit/internal/plan"
)

// Security Lake user guide, "Service-linked role permissions for resource
// management": with a customer managed key the resource-management
// service-linked role must be allowed to use it; its managed policy
// (SecurityLakeResourceManagementServiceRolePolicy) has no KMS actions, and
// the role compacts and rewrites the lake's objects through S3. The role may
// not exist when the key is created, and KMS refuses a principal that does
// not exist, so each region's key names it in an aws:PrincipalArn condition,
// through S3 in that region and from the lake account only.
func TestSecurityLakeKeysAllowTheResourceManagementRole(t *testing.T) {
	t.Parallel()
	p := fullPlan(t)
	for _, region := range []string{lakeRollup, lakeOther} {
		statements := policyOf(t, one(t, p, typeKey, "securitylake-"+region+"-key"), "policy")
		s := sid(t, statements, "ResourceManagementUsesKey")
		assert.Equal(t, "Allow", s.Effect)
		assert.ElementsMatch(t, []string{"kms:Decrypt", "kms:GenerateDataKey"}, []string(s.Action), "decrypt and encrypt through S3")
		assert.Equal(t, []string{"*"}, []string(s.Principal.AWS), "named in the condition, so a missing role is no error")
		assert.Equal(t, "arn:aws:iam::"+lakeAccountID+":role/aws-service-role/resource-management.securitylake.amazonaws.com/AWSServiceRoleForSecurityLakeResourceManagement",
			s.Condition["ArnEquals"]["aws:PrincipalArn"])
		assert.Equal(t, lakeAccountID, s.Condition["StringEquals"]["kms:CallerAccount"])
		assert.Equal(t, "s3."+region+".amazonaws.com", s.Condition["StringEquals"]["kms:ViaService"])
	}
}

// S3 user guide, "Replicating encrypted objects", section "Amazon S3
// Bucket Keys and replication": "To use replication with an S3 Bucket Key,
// the AWS KMS key policy for the KMS key used to encrypt the object replica
// must include kms:Decrypt permissions for the calling principal" (S3
// verifies the Bucket Key with it), and the encryption context is then the
// bucket's ARN. Replicas keep their source's Bucket Key setting
// ("Using an S3 Bucket Key with replication"), so the replication role may
// decrypt with the rollup region's key as well as encrypt, through S3, for
// the rollup region's lake bucket, whose ARN the condition's prefix matches.
func TestSecurityLakeReplicationRoleDecryptsWithTheRollupKey(t *testing.T) {
	t.Parallel()
	p := fullPlan(t)
	statements := policyOf(t, one(t, p, typeRolePolicy, "securitylake-replication-role-policy"), "policy")
	var decrypts []statement
	for _, s := range statements {
		if s.Effect == "Allow" && slices.Contains(s.Action, "kms:Decrypt") && len(s.Resource) == 1 && strings.Contains(s.Resource[0], ":"+lakeRollup+":"+lakeAccountID+":key/") {
			decrypts = append(decrypts, s)
		}
	}
	require.Len(t, decrypts, 1, "kms:Decrypt on the rollup region's key")
	d := decrypts[0]
	assert.Equal(t, "s3."+lakeRollup+".amazonaws.com", d.Condition["StringEquals"]["kms:ViaService"])
	bucketARN := "arn:aws:s3:::aws-security-data-lake-" + lakeRollup + "-example"
	pattern, _ := d.Condition["StringLike"]["kms:EncryptionContext:aws:s3:arn"].(string)
	assert.True(t, arnLike(pattern, bucketARN), "the Bucket Key's encryption context, the bucket ARN, is allowed")
}

// arnLike matches an IAM StringLike pattern with a trailing * against s.
func arnLike(pattern, s string) bool {
	if n := len(pattern); n > 0 && pattern[n-1] == '*' {
		return len(s) >= n-1 && s[:n-1] == pattern[:n-1]
	}
	return pattern == s
}

// The plan's prerequisites name what the lake account must check before the
// first up. An earlier Security Lake enablement leaves a Glue database
// amazon_security_lake_glue_db_<region> that makes a new data lake fail
// ("unexpected state 'FAILED'": terraform-provider-aws issue 40363, where
// the maintainers traced it to the lingering database); the command that
// finds it is given for each region with a lake. A query (LAKEFORMATION)
// subscriber needs Lake Formation cross-account version 2 or later, the
// creating role among the Lake Formation data lake administrators, and the
// subscriber's acceptance of the AWS RAM share within 12 hours (Security Lake
// user guide, "Managing query access for Security Lake subscribers").
func TestSecurityLakePlanNamesItsPrerequisites(t *testing.T) {
	t.Parallel()
	text := func(p *plan.Plan) string {
		var out strings.Builder
		require.NoError(t, p.Write(&out, "table"))
		_, prereq, ok := strings.Cut(out.String(), "Before pulumi up")
		require.True(t, ok)
		return prereq
	}
	full := text(fullPlan(t))
	for _, region := range []string{lakeRollup, lakeOther} {
		assert.Contains(t, full, "aws glue get-databases --region "+region+` --query "DatabaseList[?starts_with(Name, 'amazon_security_lake_glue_db')].Name"`)
	}
	assert.NotContains(t, full, "lakeformation", "no query subscriber, no Lake Formation step")

	src := loadStackFile(t, "../Pulumi.full.yaml")
	var lake map[string]any
	require.NoError(t, json.Unmarshal([]byte(src.Values["landing-zone-audit:securityLake"]), &lake))
	lake["subscribers"] = []map[string]any{{"name": "analysts", "accountId": "810000000010", "externalId": "analysts-1", "accessType": "LAKEFORMATION", "sources": []string{"CLOUD_TRAIL_MGMT"}}}
	query := text(runPlan(t, with(src, "securityLake", lake)))
	for _, want := range []string{
		"CROSS_ACCOUNT_VERSION",
		"Lake Formation cross-account version 2 or later",
		"Lake Formation data lake administrator",
		"account 810000000010 accepts the AWS RAM share within 12 hours",
		"aws ram accept-resource-share-invitation",
	} {
		assert.Contains(t, query, want)
	}
	assert.Contains(t, query, "in logArchive ("+lakeAccountID+") "+lakeRollup, "in the account and region that hold the subscriber")
}

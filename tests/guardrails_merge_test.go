package tests

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/example/landing-zone-audit/components"
)

// Conditions merge key by key: IAM ANDs every key of every operator (IAM
// user guide, "IAM JSON policy elements: Condition"), so a statement that
// gains kms:GrantIsForAWSResource keeps its own Bool keys, and an SCP
// statement's extra conditions keep the exemptions.
func TestMergeConditionsKeepsEveryKey(t *testing.T) {
	t.Parallel()
	own := components.Conditions{"Bool": {"aws:SecureTransport": "true"}}
	merged := components.MergeConditions(own, components.Conditions{"Bool": {"kms:GrantIsForAWSResource": "true"}})
	assert.Equal(t, map[string]any{"aws:SecureTransport": "true", "kms:GrantIsForAWSResource": "true"}, merged["Bool"])
	assert.Equal(t, map[string]any{"aws:SecureTransport": "true"}, own["Bool"], "the inputs are not changed")

	exempt := components.Conditions{"ArnNotLike": {"aws:PrincipalArn": []string{"arn:aws:iam::*:role/deploy"}}}
	extra := components.Conditions{"ArnNotLike": {"aws:SourceArn": "arn:aws:s3:::x"}}
	merged = components.MergeConditions(exempt, extra)
	assert.Len(t, merged["ArnNotLike"], 2, "the exemption survives an extra condition under the same operator")
}

package tests

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// GuardDuty exporting findings from a region disabled by default signs as
// the regional service principal: the GuardDuty user guide, "Exporting
// findings" (key policy and bucket policy): "If you're using GuardDuty in a
// manually-enabled Region, replace the value for the 'Service' with the
// service endpoint for the Region", e.g. guardduty.me-south-1.amazonaws.com.
// Without it the publishing destination of that region never verifies the
// bucket (terraform-provider-aws guardduty/publishing_destination.go waits
// for PUBLISHING after create). The same conditions scope both principals
// to the security account's detectors.
func TestGuardDutyFindingsExportFromOptInRegions(t *testing.T) {
	t.Parallel()
	src := with(with(with(exampleConfig(t), "governedRegions", []string{"eu-west-2", "eu-west-1", "me-south-1"}), "optInRegions", []string{"me-south-1"}),
		"guardDuty", map[string]any{"findingsExport": true})
	p := runPlan(t, src)
	principals := []string{"guardduty.amazonaws.com", "guardduty.me-south-1.amazonaws.com"}
	bucket := "arn:aws:s3:::acme-guardduty-findings-" + prodLogArchiveID
	key := sid(t, policyOf(t, one(t, p, typeKey, "guardduty-findings-key"), "policy"), "GuardDutyEncryptsFindings")
	bp := policyOf(t, one(t, p, typeBucketPolicy, "guardduty-findings-policy"), "policy")
	for _, s := range []statement{key, sid(t, bp, "GuardDutyGetBucketLocation"), sid(t, bp, "GuardDutyWriteFindings")} {
		assert.Equal(t, "Allow", s.Effect, s.Sid)
		assert.ElementsMatch(t, principals, []string(s.Principal.Service), s.Sid)
		assert.Equal(t, prodSecurityID, s.Condition["StringEquals"]["aws:SourceAccount"], s.Sid)
		assert.Equal(t, "arn:aws:guardduty:*:"+prodSecurityID+":detector/*", s.Condition["ArnLike"]["aws:SourceArn"], s.Sid)
	}
	assert.Equal(t, []string{bucket + "/*"}, []string(sid(t, bp, "GuardDutyWriteFindings").Resource))
	dest := one(t, p, typePublishingDestination, "guardduty-me-south-1-findings-export")
	assert.Equal(t, bucket, dest.Inputs["destinationArn"])
	assert.Contains(t, dest.Dependencies, one(t, p, typeBucketPolicy, "guardduty-findings-policy").URN, "the bucket admits GuardDuty first")

	// Without opt-in regions the policies name the global principal alone.
	p = runPlan(t, with(exampleConfig(t), "guardDuty", map[string]any{"findingsExport": true}))
	s := sid(t, policyOf(t, one(t, p, typeBucketPolicy, "guardduty-findings-policy"), "policy"), "GuardDutyWriteFindings")
	assert.Equal(t, []string{"guardduty.amazonaws.com"}, []string(s.Principal.Service))
}

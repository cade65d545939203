package tests

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/example/landing-zone-audit/config"
	"github.com/example/landing-zone-audit/internal/plan"
)

// Amazon Macie (off by default), per governed region as the Macie user
// guide's "Managing multiple accounts with AWS Organizations" has it (the
// delegated administrator is designated per Region): Macie enabled in
// security, the designation from management, auto-enable from the
// administrator, then every listed account associated as a member by its
// email (API_CreateMember; organization accounts get no invitation).
func TestMacieAcrossTheOrganization(t *testing.T) {
	t.Parallel()
	assert.Empty(t, runPlan(t, exampleConfig(t)).ByType(typeMacieAccount), "off by default")
	p := runPlan(t, with(exampleConfig(t), "macie", map[string]any{"enabled": true, "findingPublishingFrequency": "ONE_HOUR"}))
	for _, region := range []string{"eu-west-2", "eu-west-1"} {
		prefix := "macie-" + region
		self := one(t, p, typeMacieAccount, prefix+"-administrator")
		admin := one(t, p, typeMacieOrganizationAdminAccount, prefix+"-delegated-admin")
		org := one(t, p, typeMacieOrganizationConfiguration, prefix+"-organization-configuration")
		assert.Equal(t, []string{"security", "management", "security"}, []string{self.Account, admin.Account, org.Account})
		assert.Equal(t, []string{region, region, region}, []string{self.Region, admin.Region, org.Region})
		assert.Equal(t, "ONE_HOUR", self.Inputs["findingPublishingFrequency"])
		assert.Equal(t, prodSecurityID, admin.Inputs["adminAccountId"])
		assert.True(t, dependsOn(admin, self), "Macie runs in the administrator first")
		assert.True(t, dependsOn(org, admin), "auto-enable after the designation")
		assert.Equal(t, true, org.Inputs["autoEnable"])
		var members []string
		for _, m := range p.ByType(typeMacieMember) {
			if m.Region == region {
				members = append(members, m.Inputs["accountId"].(string))
				assert.True(t, dependsOn(m, org), m.URN)
				assert.Equal(t, "ENABLED", m.Inputs["status"])
				assert.Nil(t, m.Inputs["invite"], "organization accounts are associated, not invited")
				// Macie returns no email for organization members, and the
				// provider's email is ForceNew (terraform-provider-aws issues
				// 26218, 29013): without this every refresh would replace them.
				assert.Equal(t, []string{"email"}, m.IgnoreChanges, "the email counts only at creation")
			}
		}
		assert.ElementsMatch(t, []string{prodManagementID, prodLogArchiveID, prodWorkloadID, prodDevID}, members)
	}

	_, err := config.Load(with(exampleConfig(t), "macie", map[string]any{"enabled": true, "findingPublishingFrequency": "DAILY"}))
	require.Error(t, err)
	assert.Contains(t, err.Error(), `landing-zone-audit:macie.findingPublishingFrequency: "DAILY" is not a frequency Macie accepts`)
}

// Macie publishes policy findings to Security Hub (Macie user guide,
// "Amazon Macie integration with AWS Security Hub"); the Security Hub alert
// rule alerts on a HIGH one as on any product's, so Macie needs no rule of
// its own.
func TestMacieFindingsAlertThroughSecurityHub(t *testing.T) {
	t.Parallel()
	p := runPlan(t, with(exampleConfig(t), "macie", map[string]any{"enabled": true}))
	assert.True(t, ruleMatches(t, one(t, p, typeEventRule, "securityhub-findings-rule"), "securityhub", "macie-high.json"))
	for _, r := range p.ByType(typeEventRule) {
		assert.NotContains(t, r.Name, "macie", "no second rule")
	}
}

// With discoveryResults, the repository for sensitive data discovery
// results is one hardened bucket with its own key in the security account's
// home region, which Macie in every governed region writes to
// (PutClassificationExportConfiguration), as the Macie user guide's
// "Storing and retaining sensitive data discovery results" has it: the
// bucket and key policies admit Macie only for the administrator's export
// configuration and classification jobs, and Macie's setting waits for
// them, since Macie tests the repository when it is saved.
func TestMacieDiscoveryResultsRepository(t *testing.T) {
	t.Parallel()
	off := runPlan(t, with(exampleConfig(t), "macie", map[string]any{"enabled": true}))
	assert.Empty(t, off.ByType(typeClassificationExportConfiguration), "off by default")

	p := runPlan(t, loadStackFile(t, "../Pulumi.full.yaml"))
	const security = "810000000002"
	bucket := one(t, p, typeBucket, "macie-results")
	assert.Equal(t, []string{"security", "eu-west-1", "full-macie-results-" + security}, []string{bucket.Account, bucket.Region, bucket.Inputs["bucket"].(string)})
	one(t, p, typeBucket, "macie-results-access-logs") // Security Hub S3.9
	key := one(t, p, typeKey, "macie-results-key")
	assert.Equal(t, true, key.Inputs["enableKeyRotation"])
	assert.Equal(t, "eu-west-1", key.Region, "the key is in the bucket's region")

	sources := []any{
		"arn:aws:macie2:eu-west-1:" + security + ":export-configuration:*", "arn:aws:macie2:eu-west-1:" + security + ":classification-job/*",
		"arn:aws:macie2:eu-central-1:" + security + ":export-configuration:*", "arn:aws:macie2:eu-central-1:" + security + ":classification-job/*",
	}
	fromMacie := func(t *testing.T, s statement) {
		t.Helper()
		assert.Equal(t, []string{"macie.amazonaws.com"}, []string(s.Principal.Service), s.Sid)
		assert.Equal(t, security, s.Condition["StringEquals"]["aws:SourceAccount"], s.Sid)
		assert.ElementsMatch(t, sources, s.Condition["ArnLike"]["aws:SourceArn"], "%s: the administrator's own export configuration and jobs, in every governed region", s.Sid)
	}
	policy := policyOf(t, one(t, p, typeBucketPolicy, "macie-results-policy"), "policy")
	requireNoOpenWildcardPrincipal(t, policy)
	location := sid(t, policy, "MacieGetsBucketLocation")
	assert.Equal(t, []string{"s3:GetBucketLocation"}, []string(location.Action))
	assert.Equal(t, []string{"arn:aws:s3:::full-macie-results-" + security}, []string(location.Resource))
	fromMacie(t, location)
	write := sid(t, policy, "MacieWritesResults")
	assert.Equal(t, []string{"s3:PutObject"}, []string(write.Action))
	assert.Equal(t, []string{"arn:aws:s3:::full-macie-results-" + security + "/*"}, []string(write.Resource))
	fromMacie(t, write)
	deny := sid(t, policy, "DenyMacieUploadsWithoutKMS")
	assert.Equal(t, "Deny", deny.Effect)
	assert.Equal(t, "aws:kms", deny.Condition["StringNotEquals"]["s3:x-amz-server-side-encryption"])
	requireTLSOnly(t, policy, "s3:*", "arn:aws:s3:::full-macie-results-"+security, "arn:aws:s3:::full-macie-results-"+security+"/*")

	use := sid(t, policyOf(t, key, "policy"), "MacieEncryptsResults")
	assert.ElementsMatch(t, []string{"kms:GenerateDataKey", "kms:Encrypt"}, []string(use.Action))
	fromMacie(t, use)

	for _, region := range []string{"eu-west-1", "eu-central-1"} {
		export := one(t, p, typeClassificationExportConfiguration, "macie-"+region+"-results")
		assert.Equal(t, []string{"security", region}, []string{export.Account, export.Region})
		assert.Equal(t, "full-macie-results-"+security, input(export, "s3Destination.bucketName"))
		assert.Equal(t, "arn:aws:kms:eu-west-1:"+security+":key/"+plan.Unknown, input(export, "s3Destination.kmsKeyArn"), "the home region's key")
		assert.True(t, dependsOn(export, one(t, p, typeMacieAccount, "macie-"+region+"-administrator")), "Macie runs first")
		assert.Contains(t, export.Dependencies, one(t, p, typeBucketPolicy, "macie-results-policy").URN, "the bucket admits Macie first")
	}
}

// In an opt-in region Macie acts as its regional principal
// (macie.<region>.amazonaws.com, the user guide's policies for opt-in
// regions); the results of regions enabled by default must go to a bucket
// in such a region, so an opt-in home region is refused.
func TestMacieDiscoveryResultsInOptInRegions(t *testing.T) {
	t.Parallel()
	src := with(with(with(exampleConfig(t), "governedRegions", []string{"eu-west-2", "eu-west-1", "eu-south-1"}), "optInRegions", []string{"eu-south-1"}),
		"macie", map[string]any{"enabled": true, "discoveryResults": true})
	p := runPlan(t, src)
	s := sid(t, policyOf(t, one(t, p, typeBucketPolicy, "macie-results-policy"), "policy"), "MacieWritesResults")
	assert.ElementsMatch(t, []string{"macie.amazonaws.com", "macie.eu-south-1.amazonaws.com"}, []string(s.Principal.Service))

	_, err := config.Load(with(with(with(exampleConfig(t), "homeRegion", "eu-south-1"), "governedRegions", []string{"eu-south-1", "eu-west-2"}),
		"macie", map[string]any{"enabled": true, "discoveryResults": true, "discoveryResultsDays": 0}))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "landing-zone-audit:macie.discoveryResults: the results bucket would be in eu-south-1, an opt-in region")
	assert.Contains(t, err.Error(), "landing-zone-audit:macie.discoveryResultsDays: 0 is not a number of days")

	_, err = config.Load(with(exampleConfig(t), "macie", map[string]any{"discoveryResults": true}))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "landing-zone-audit:macie.discoveryResults: set with macie.enabled false")
}

// Under Pulumi's engine, a member account's email changed in the stack file
// replaces neither its Macie nor its Detective membership: the providers
// take the email only at creation and replace a member whose email differs
// (terraform-provider-aws macie2/member.go and detective/member.go, email
// ForceNew; Macie reports none for organization members, issues 26218 and
// 29013), and the members ignore it after creation.
func TestEngineMemberEmailChangeReplacesNoMember(t *testing.T) {
	t.Parallel()
	s := newEngineStack(t, "../Pulumi.full.yaml")
	up := upAfterChange(t, s, func(s *engineStack) {
		var accounts map[string]map[string]any
		s.get("accounts", &accounts)
		accounts["shop"]["email"] = "aws-shop-new@example.com"
		s.set("accounts", accounts)
	})
	for _, op := range lossSteps {
		for _, urn := range up[op] {
			assert.NotContains(t, []string{typeMacieMember, typeDetectiveMember}, string(urn.Type()), "%s of %s", op, urn)
		}
	}
	assert.NotEmpty(t, s.state(typeMacieMember, "macie-eu-west-1-member-810000000004"), "the member stays")
}

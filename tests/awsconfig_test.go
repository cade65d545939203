package tests

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"

	"github.com/example/landing-zone-audit/components"
	"github.com/example/landing-zone-audit/config"
	"github.com/example/landing-zone-audit/internal/plan"
)

const configBucketArn = "arn:aws:s3:::acme-config-" + prodLogArchiveID

func TestConfigRecorderInEveryAccountAndRegion(t *testing.T) {
	t.Parallel()
	cfg, p := exampleStack(t)
	type where struct{ account, region string }
	count := func(typ string) map[where]int {
		out := map[where]int{}
		for _, r := range p.ByType(typ) {
			out[where{r.Account, r.Region}]++
		}
		return out
	}
	recorders, channels, statuses := count(typeRecorder), count(typeDeliveryChannel), count(typeRecorderStatus)
	for _, alias := range cfg.Aliases() {
		for _, region := range cfg.GovernedRegions {
			w := where{alias, region}
			assert.Equal(t, 1, recorders[w], "one recorder in %v", w)
			assert.Equal(t, 1, channels[w], "one delivery channel in %v", w)
			assert.Equal(t, 1, statuses[w], "one recorder status in %v", w)
		}
	}
	assert.Len(t, recorders, len(cfg.Aliases())*len(cfg.GovernedRegions))

	bucketPolicy := one(t, p, typeBucketPolicy, "config-bucket-policy")
	bucketKey := one(t, p, typeKey, "config-bucket-key")
	for _, rec := range p.ByType(typeRecorder) {
		assert.Equal(t, true, input(rec, "recordingGroup.allSupported"))
		assert.Equal(t, rec.Region == "eu-west-2", input(rec, "recordingGroup.includeGlobalResourceTypes"), "global types only in the home region: %s", rec.Name)
		assert.Equal(t, fmt.Sprintf("arn:aws:iam::%s:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig", rec.AccountID), rec.Inputs["roleArn"])
		prefix := strings.TrimSuffix(rec.Name, "-recorder")
		channel := one(t, p, typeDeliveryChannel, prefix+"-delivery-channel")
		status := one(t, p, typeRecorderStatus, prefix+"-recorder-status")
		assert.Equal(t, "acme-config-"+prodLogArchiveID, channel.Inputs["s3BucketName"])
		assert.Equal(t, "One_Hour", input(channel, "snapshotDeliveryProperties.deliveryFrequency"))
		assert.Regexp(t, `^arn:aws:kms:eu-west-2:`+prodLogArchiveID+`:key/`, channel.Inputs["s3KmsKeyArn"])
		assert.True(t, dependsOn(status, channel), "status after channel: %s", status.Name)
		assert.True(t, dependsOn(channel, bucketPolicy) && dependsOn(channel, bucketKey), "%s waits for the bucket policy and key", channel.Name)
		assert.Equal(t, true, status.Inputs["isEnabled"])
	}
	slrs := p.ByType(typeServiceLinkedRole)
	assert.Len(t, slrs, len(cfg.Aliases()), "one service-linked role per account")
	for _, r := range slrs {
		assert.Equal(t, "config.amazonaws.com", r.Inputs["awsServiceName"])
		assert.Equal(t, "eu-west-2", r.Region)
	}
}

func TestConfigBucketPolicy(t *testing.T) {
	t.Parallel()
	cfg, p := exampleStack(t)
	bp := one(t, p, typeBucketPolicy, "config-bucket-policy")
	assert.Equal(t, "logArchive", bp.Account)
	statements := policyOf(t, bp, "policy")
	requireNoOpenWildcardPrincipal(t, statements)
	requireTLSOnly(t, statements, "s3:*", configBucketArn, configBucketArn+"/*")
	ids := []any{}
	for _, id := range cfg.AccountIDs() {
		ids = append(ids, id)
	}
	for sidName, action := range map[string]string{"ConfigAclCheck": "s3:GetBucketAcl", "ConfigListBucket": "s3:ListBucket"} {
		s := sid(t, statements, sidName)
		assert.Equal(t, []string{"config.amazonaws.com"}, []string(s.Principal.Service))
		assert.Equal(t, []string{action}, []string(s.Action))
		assert.Equal(t, []string{configBucketArn}, []string(s.Resource))
		assert.Equal(t, "o-exampleorg1", s.Condition["StringEquals"]["aws:SourceOrgID"], "reads are limited to the organization")
	}
	// One statement keeps every listed account to its own prefix: the
	// resource resolves ${aws:SourceAccount} to the requesting account.
	w := sid(t, statements, "ConfigWrite")
	assert.Equal(t, []string{"s3:PutObject"}, []string(w.Action))
	require.Len(t, w.Resource, 1)
	for _, id := range cfg.AccountIDs() {
		resolved := strings.ReplaceAll(w.Resource[0], "${aws:SourceAccount}", id)
		assert.Equal(t, configBucketArn+"/AWSLogs/"+id+"/Config/*", resolved)
	}
	assert.Equal(t, "bucket-owner-full-control", w.Condition["StringEquals"]["s3:x-amz-acl"])
	assert.ElementsMatch(t, ids, w.Condition["StringEquals"]["aws:SourceAccount"])
	bucket := one(t, p, typeBucket, "config-bucket")
	assert.True(t, bucket.RetainOnDelete)
	assert.Equal(t, "logArchive", bucket.Account)
}

func TestConfigOrgRulesAndPackWaitForEveryRecorder(t *testing.T) {
	t.Parallel()
	raw := with(exampleConfig(t), "awsConfig", map[string]any{
		"rules":           []map[string]any{{"identifier": "S3_BUCKET_VERSIONING_ENABLED", "parameters": map[string]string{"isMfaDeleteEnabled": "false"}, "excludedAccounts": []string{"dev"}}},
		"conformancePack": map[string]any{"enabled": true, "deliveryBucket": "awsconfigconforms-acme", "excludedAccounts": []string{"dev"}},
	})
	p := runPlan(t, raw)
	statuses := p.ByType(typeRecorderStatus)
	require.Len(t, statuses, 10)
	rules := p.ByType(typeOrganizationManagedRule)
	require.Len(t, rules, 4, "two rules in each of two regions")
	for _, r := range rules {
		assert.Equal(t, "management", r.Account)
		for _, s := range statuses {
			assert.True(t, dependsOn(r, s), "%s waits for %s", r.Name, s.Name)
		}
	}
	ssh := one(t, p, typeOrganizationManagedRule, "config-org-eu-west-1-restricted-ssh")
	assert.Equal(t, "INCOMING_SSH_DISABLED", ssh.Inputs["ruleIdentifier"])
	assert.Equal(t, "restricted-ssh", ssh.Inputs["name"])
	versioning := one(t, p, typeOrganizationManagedRule, "config-org-eu-west-2-s3-bucket-versioning-enabled")
	assert.Equal(t, `{"isMfaDeleteEnabled":"false"}`, versioning.Inputs["inputParameters"])
	uncovered := plan.ReadAtDeploy("organization accounts not in the stack")
	assert.Equal(t, []any{prodDevID, uncovered}, versioning.Inputs["excludedAccounts"])

	pack := one(t, p, typeOrganizationConformancePack, "config-org-pack")
	assert.Equal(t, "management", pack.Account)
	assert.Equal(t, "acme-security-services", pack.Inputs["name"])
	assert.Equal(t, "awsconfigconforms-acme", pack.Inputs["deliveryS3Bucket"])
	assert.Equal(t, []any{prodDevID, uncovered}, pack.Inputs["excludedAccounts"])
	for _, s := range statuses {
		assert.True(t, dependsOn(pack, s))
	}
	// PutOrganizationConformancePack takes the template inline up to 51,200
	// bytes (TemplateBody): no bucket holds it, so none needs hardening.
	assert.Equal(t, components.SecurityIdentityCompliancePack, pack.Inputs["templateBody"], "the walkthrough's pack by default; a changed template updates the pack")
	assert.LessOrEqual(t, len(components.SecurityIdentityCompliancePack), 51200)
	assert.NotContains(t, pack.Inputs, "templateS3Uri")
	assert.NotContains(t, named(p, typeBucket), "config-org-templates")

	t.Run("conformance pack off", func(t *testing.T) {
		p := runPlan(t, with(exampleConfig(t), "awsConfig", map[string]any{"conformancePack": map[string]any{"enabled": false}}))
		assert.Empty(t, p.ByType(typeOrganizationConformancePack))
		assert.Empty(t, p.ByType(typeBucketObjectv2))
	})
}

// packRules parses a pack template into rule logical ID → source identifier.
func packRules(t *testing.T, template string) map[string]string {
	t.Helper()
	var tmpl struct {
		Resources map[string]struct {
			Type       string `yaml:"Type"`
			Properties struct {
				ConfigRuleName string `yaml:"ConfigRuleName"`
				Source         struct {
					Owner            string `yaml:"Owner"`
					SourceIdentifier string `yaml:"SourceIdentifier"`
				} `yaml:"Source"`
			} `yaml:"Properties"`
		} `yaml:"Resources"`
	}
	require.NoError(t, yaml.Unmarshal([]byte(template), &tmpl))
	out := map[string]string{}
	names := map[string]bool{}
	for id, r := range tmpl.Resources {
		assert.Equal(t, "AWS::Config::ConfigRule", r.Type, id)
		assert.Equal(t, "AWS", r.Properties.Source.Owner, id)
		assert.False(t, names[r.Properties.ConfigRuleName], "duplicate rule name %s", r.Properties.ConfigRuleName)
		names[r.Properties.ConfigRuleName] = true
		out[id] = r.Properties.Source.SourceIdentifier
	}
	return out
}

func TestConformancePackTemplate(t *testing.T) {
	t.Parallel()
	for name, template := range components.ConformancePackTemplates {
		rules := packRules(t, template)
		require.GreaterOrEqual(t, len(rules), 15, name)
		assert.LessOrEqual(t, len(template), components.MaxTemplateBodyBytes, "%s fits PutOrganizationConformancePack's TemplateBody", name)
		for id, ident := range rules {
			assert.Contains(t, config.ManagedRules, ident, "%s/%s: %q is not an AWS managed rule", name, id, ident)
		}
		var params struct {
			Resources map[string]struct {
				Properties struct {
					InputParameters map[string]string `yaml:"InputParameters"`
				} `yaml:"Properties"`
			} `yaml:"Resources"`
		}
		require.NoError(t, yaml.Unmarshal([]byte(template), &params))
		for id, r := range params.Resources {
			for param := range r.Properties.InputParameters {
				assert.Contains(t, config.ManagedRules[rules[id]], param, "%s/%s: %s takes no parameter %s", name, id, rules[id], param)
			}
		}
	}
	p := runPlan(t, with(exampleConfig(t), "awsConfig", map[string]any{"conformancePack": map[string]any{"enabled": true, "template": "securityServices"}}))
	assert.Equal(t, components.SecurityServicesPack, one(t, p, typeOrganizationConformancePack, "config-org-pack").Inputs["templateBody"])
	_, err := config.Load(with(exampleConfig(t), "awsConfig", map[string]any{"conformancePack": map[string]any{"enabled": true, "template": "nist"}}))
	assert.ErrorContains(t, err, `landing-zone-audit:awsConfig.conformancePack.template: "nist" is not a pack shipped with the program`)
}

// awsSecurityIdentityComplianceSample are the AWS managed rule identifiers
// of AWS's sample conformance pack "Operational Best Practices for
// Security, Identity, and Compliance Services" (AWS Config developer guide,
// conformance pack sample templates; awslabs/aws-config-rules
// aws-config-conformance-packs/Operational-Best-Practices-For-Security-Identity-and-Compliance-Services.yaml),
// read on 2026-12-01. Refresh them from that template when AWS changes it.
var awsSecurityIdentityComplianceSample = map[string]bool{
	"ACCESS_KEYS_ROTATED": true, "ACCOUNT_PART_OF_ORGANIZATIONS": true, "ACM_CERTIFICATE_EXPIRATION_CHECK": true,
	"ALB_WAF_ENABLED": true, "API_GW_ASSOCIATED_WITH_WAF": true, "API_GW_EXECUTION_LOGGING_ENABLED": true,
	"CLOUD_TRAIL_CLOUD_WATCH_LOGS_ENABLED": true, "CLOUD_TRAIL_ENABLED": true, "CLOUD_TRAIL_ENCRYPTION_ENABLED": true,
	"CLOUD_TRAIL_LOG_FILE_VALIDATION_ENABLED": true, "CLOUDTRAIL_SECURITY_TRAIL_ENABLED": true, "CLOUDWATCH_ALARM_ACTION_CHECK": true,
	"CMK_BACKING_KEY_ROTATION_ENABLED": true, "ELB_LOGGING_ENABLED": true, "GUARDDUTY_ENABLED_CENTRALIZED": true,
	"GUARDDUTY_NON_ARCHIVED_FINDINGS": true, "IAM_CUSTOMER_POLICY_BLOCKED_KMS_ACTIONS": true, "IAM_GROUP_HAS_USERS_CHECK": true,
	"IAM_INLINE_POLICY_BLOCKED_KMS_ACTIONS": true, "IAM_NO_INLINE_POLICY_CHECK": true, "IAM_PASSWORD_POLICY": true,
	"IAM_POLICY_NO_STATEMENTS_WITH_ADMIN_ACCESS": true, "IAM_POLICY_NO_STATEMENTS_WITH_FULL_ACCESS": true, "IAM_ROOT_ACCESS_KEY_CHECK": true,
	"IAM_USER_GROUP_MEMBERSHIP_CHECK": true, "IAM_USER_MFA_ENABLED": true, "IAM_USER_NO_POLICIES_CHECK": true,
	"IAM_USER_UNUSED_CREDENTIALS_CHECK": true, "INCOMING_SSH_DISABLED": true, "KMS_CMK_NOT_SCHEDULED_FOR_DELETION": true,
	"MFA_ENABLED_FOR_IAM_CONSOLE_ACCESS": true, "MULTI_REGION_CLOUD_TRAIL_ENABLED": true, "NETFW_POLICY_RULE_GROUP_ASSOCIATED": true,
	"NETFW_STATELESS_RULE_GROUP_NOT_EMPTY": true, "RDS_LOGGING_ENABLED": true, "RESTRICTED_INCOMING_TRAFFIC": true,
	"ROOT_ACCOUNT_HARDWARE_MFA_ENABLED": true, "ROOT_ACCOUNT_MFA_ENABLED": true, "S3_ACCOUNT_LEVEL_PUBLIC_ACCESS_BLOCKS_PERIODIC": true,
	"S3_BUCKET_LOGGING_ENABLED": true, "SECRETSMANAGER_ROTATION_ENABLED_CHECK": true, "SECRETSMANAGER_SCHEDULED_ROTATION_SUCCESS_CHECK": true,
	"SECRETSMANAGER_SECRET_PERIODIC_ROTATION": true, "SECRETSMANAGER_SECRET_UNUSED": true, "SECURITYHUB_ENABLED": true,
	"VPC_DEFAULT_SECURITY_GROUP_CLOSED": true, "VPC_SG_OPEN_ONLY_TO_AUTHORIZED_PORTS": true, "WAFV2_LOGGING_ENABLED": true,
}

// The default organization pack is the walkthrough's: exactly the rules of
// AWS's published sample, and its documented default parameters.
func TestDefaultPackIsAWSsSample(t *testing.T) {
	t.Parallel()
	require.Len(t, awsSecurityIdentityComplianceSample, 48)
	got := map[string]bool{}
	for _, ident := range packRules(t, components.SecurityIdentityCompliancePack) {
		got[ident] = true
	}
	assert.Equal(t, awsSecurityIdentityComplianceSample, got)
	var tmpl struct {
		Resources map[string]struct {
			Properties struct {
				InputParameters map[string]string `yaml:"InputParameters"`
			} `yaml:"Properties"`
		} `yaml:"Resources"`
	}
	require.NoError(t, yaml.Unmarshal([]byte(components.SecurityIdentityCompliancePack), &tmpl))
	assert.Equal(t, map[string]string{"maxAccessKeyAge": "90"}, tmpl.Resources["AccessKeysRotated"].Properties.InputParameters)
	assert.Equal(t, "14", tmpl.Resources["IamPasswordPolicy"].Properties.InputParameters["MinimumPasswordLength"])
	assert.Equal(t, "24", tmpl.Resources["IamPasswordPolicy"].Properties.InputParameters["PasswordReusePrevention"])
	assert.Equal(t, map[string]string{"authorizedTcpPorts": "443"}, tmpl.Resources["VpcSgOpenOnlyToAuthorizedPorts"].Properties.InputParameters)
}

func TestConfigAggregator(t *testing.T) {
	t.Parallel()
	p := runPlan(t, exampleConfig(t))
	admins := p.ByType(typeDelegatedAdministrator)
	var services []any
	var adminRes []plan.Resource
	for _, a := range admins {
		if strings.HasPrefix(a.Name, "config-aggregator-") {
			assert.Equal(t, "management", a.Account)
			assert.Equal(t, prodSecurityID, a.Inputs["accountId"])
			services = append(services, a.Inputs["servicePrincipal"])
			adminRes = append(adminRes, a)
		}
	}
	assert.ElementsMatch(t, []any{"config.amazonaws.com", "config-multiaccountsetup.amazonaws.com"}, services)
	agg := one(t, p, typeConfigurationAggregator, "config-aggregator")
	assert.Equal(t, "security", agg.Account)
	assert.Equal(t, "eu-west-2", agg.Region)
	// Aggregate every region by default (scanners flag an aggregator that
	// leaves regions out); recording is still limited to the governed ones.
	assert.Equal(t, true, input(agg, "organizationAggregationSource.allRegions"))
	assert.Nil(t, input(agg, "organizationAggregationSource.regions"))
	assert.Equal(t, "arn:aws:iam::"+prodSecurityID+":role/acme-config-aggregator", input(agg, "organizationAggregationSource.roleArn"))
	for _, a := range adminRes {
		assert.True(t, dependsOn(agg, a), "aggregator after delegated admin")
	}
	role := one(t, p, typeRole, "config-aggregator-role")
	trust := policyOf(t, role, "assumeRolePolicy")
	assert.Equal(t, []string{"config.amazonaws.com"}, []string(trust[0].Principal.Service))
	attach := one(t, p, typeRolePolicyAttachment, "config-aggregator-role-organizations")
	assert.Equal(t, "arn:aws:iam::aws:policy/service-role/AWSConfigRoleForOrganizations", attach.Inputs["policyArn"])
	assert.Equal(t, agg.Inputs["name"], "acme-organization")
	assert.Regexp(t, `^arn:aws:config:eu-west-2:`+prodSecurityID+`:config-aggregator/`, p.Outputs["configAggregatorArn"])

	t.Run("governed regions only", func(t *testing.T) {
		p := runPlan(t, with(exampleConfig(t), "awsConfig", map[string]any{"aggregateAllRegions": false}))
		agg = one(t, p, typeConfigurationAggregator, "config-aggregator")
		assert.Equal(t, []any{"eu-west-1", "eu-west-2"}, input(agg, "organizationAggregationSource.regions"))
	})
}

func TestConfigCustomRecorderRole(t *testing.T) {
	t.Parallel()
	p := runPlan(t, with(exampleConfig(t), "awsConfig", map[string]any{"recorderRole": "custom"}))
	assert.Empty(t, p.ByType(typeServiceLinkedRole))
	role := one(t, p, typeRole, "config-prod-recorder-role")
	assert.Equal(t, "prod", role.Account)
	attach := one(t, p, typeRolePolicyAttachment, "config-prod-recorder-role-config")
	assert.Equal(t, "arn:aws:iam::aws:policy/service-role/AWS_ConfigRole", attach.Inputs["policyArn"])
	rec := one(t, p, typeRecorder, "config-prod-eu-west-1-recorder")
	assert.Equal(t, "arn:aws:iam::"+prodWorkloadID+":role/acme-config-recorder", rec.Inputs["roleArn"])
	perms := policyOf(t, one(t, p, typeRolePolicy, "config-prod-recorder-role-delivery"), "policy")
	for _, s := range perms {
		for _, a := range s.Action {
			assert.NotContains(t, a, "*", "no wildcard actions (IAM.21)")
		}
	}
	require.NotEmpty(t, perms)
	enc := sid(t, perms, "EncryptSnapshots")
	assert.ElementsMatch(t, []string{"kms:GenerateDataKey", "kms:Decrypt"}, []string(enc.Action))
	assert.Regexp(t, `^arn:aws:kms:eu-west-2:`+prodLogArchiveID+`:key/`, enc.Resource[0], "the role may use the central key in logArchive")

	// The bucket and key policies name the roles in conditions, not as
	// principals: IAM rejects a principal that does not exist yet.
	bp := policyOf(t, one(t, p, typeBucketPolicy, "config-bucket-policy"), "policy")
	requireNoOpenWildcardPrincipal(t, bp)
	w := sid(t, bp, "RecorderRolesWrite")
	assert.True(t, w.Principal.Everyone)
	assert.Contains(t, w.Condition["ArnEquals"]["aws:PrincipalArn"], "arn:aws:iam::"+prodWorkloadID+":role/acme-config-recorder")
	assert.Equal(t, "o-exampleorg1", w.Condition["StringEquals"]["aws:PrincipalOrgID"])
	assert.Equal(t, []string{configBucketArn + "/AWSLogs/${aws:PrincipalAccount}/Config/*"}, []string(w.Resource), "each role writes only its own account's prefix")
	kp := policyOf(t, one(t, p, typeKey, "config-bucket-key"), "policy")
	requireNoOpenWildcardPrincipal(t, kp)
	assert.Contains(t, sid(t, kp, "RecorderRolesEncrypt").Condition["ArnEquals"]["aws:PrincipalArn"], "arn:aws:iam::"+prodWorkloadID+":role/acme-config-recorder")
}

func TestConfigValidationErrors(t *testing.T) {
	t.Parallel()
	_, err := config.Load(with(exampleConfig(t), "awsConfig", map[string]any{
		"snapshotFrequency": "Hourly", "recorderRole": "legacy",
		"rules":           []map[string]any{{"identifier": "lower_case"}},
		"conformancePack": map[string]any{"enabled": true, "deliveryBucket": "my-bucket", "excludedAccounts": []string{"nope"}},
	}))
	require.Error(t, err)
	for _, key := range []string{"awsConfig.snapshotFrequency", "awsConfig.recorderRole", "awsConfig.rules[0].identifier", "awsConfig.conformancePack.deliveryBucket", "awsConfig.conformancePack.excludedAccounts[0]"} {
		assert.Contains(t, err.Error(), "landing-zone-audit:"+key+":")
	}
}

// Organization rules name AWS managed rules: an unknown identifier is an
// error with a did-you-mean, and a parameter that looks like a misspelt one
// of the rule's (names are case-sensitive) is one too.
func TestManagedRuleValidation(t *testing.T) {
	t.Parallel()
	_, err := config.Load(with(exampleConfig(t), "awsConfig", map[string]any{"rules": []map[string]any{
		{"identifier": "S3_BUCKET_VERSIONING_ENABLE"},
		{"identifier": "ACCESS_KEYS_ROTATED", "parameters": map[string]string{"maxaccesskeyage": "90"}},
		{"identifier": "ACCESS_KEYS_ROTATED", "name": "keys-rotated", "parameters": map[string]string{"maxAccessKeyAge": "90"}},
	}}))
	require.Error(t, err)
	assert.Contains(t, err.Error(), `landing-zone-audit:awsConfig.rules[0].identifier: "S3_BUCKET_VERSIONING_ENABLE" is not an AWS managed rule (did you mean "S3_BUCKET_VERSIONING_ENABLED"?)`)
	assert.Contains(t, err.Error(), `landing-zone-audit:awsConfig.rules[1].parameters.maxaccesskeyage: is not a parameter of this rule (did you mean "maxAccessKeyAge"?)`)
	assert.NotContains(t, err.Error(), "rules[2]")
}

// The managed-rule list is AWS's: every AWS-owned rule of AWS's conformance
// pack templates (awslabs/aws-config-rules, aws-config-conformance-packs/),
// with the parameter names they use. Refresh it by collecting Source
// SourceIdentifier and InputParameters keys of every AWS::Config::ConfigRule
// with Owner AWS in the newest templates, and update the commit and date in
// config/managedrules.go.
func TestManagedRuleListIsCurrent(t *testing.T) {
	t.Parallel()
	assert.Greater(t, len(config.ManagedRules), 350)
	for id := range awsSecurityIdentityComplianceSample {
		assert.Contains(t, config.ManagedRules, id)
	}
	assert.Contains(t, config.ManagedRules["IAM_PASSWORD_POLICY"], "MinimumPasswordLength")
}

// awsConfig.conformancePacks deploys packs of the stack's choice — shipped
// ones and the stack's own files, each with its name, exclusions and input
// parameters (OrganizationConformancePack ConformancePackInputParameters) —
// in place of conformancePack. A file that is not a pack template, names a
// rule AWS does not have, or two packs of one name are errors naming the key.
func TestConformancePacksOfYourChoice(t *testing.T) {
	t.Parallel()
	own := writePack(t, `Parameters:
  MaxAge: {Type: String, Default: '45'}
Resources:
  KeysRotated:
    Type: AWS::Config::ConfigRule
    Properties:
      ConfigRuleName: keys-rotated
      InputParameters: {maxAccessKeyAge: {Ref: MaxAge}}
      Source: {Owner: AWS, SourceIdentifier: ACCESS_KEYS_ROTATED}
`)
	p := runPlan(t, with(exampleConfig(t), "awsConfig", map[string]any{"conformancePacks": []map[string]any{
		{"name": "acme-baseline", "template": "securityServices", "excludedAccounts": []string{"dev"}},
		{"name": "acme-keys", "file": own, "parameters": map[string]string{"MaxAge": "30"}},
	}}))
	packs := named(p, typeOrganizationConformancePack)
	require.Len(t, packs, 2)
	base := packs["config-org-pack-acme-baseline"]
	assert.Equal(t, components.SecurityServicesPack, base.Inputs["templateBody"])
	assert.Contains(t, base.Inputs["excludedAccounts"], prodDevID)
	keys := packs["config-org-pack-acme-keys"]
	assert.Contains(t, keys.Inputs["templateBody"], "ACCESS_KEYS_ROTATED")
	assert.Equal(t, []any{map[string]any{"parameterName": "MaxAge", "parameterValue": "30"}}, keys.Inputs["inputParameters"])
	assert.Equal(t, []any{"acme-baseline", "acme-keys"}, p.Outputs["conformancePackNames"])

	bad := filepath.Join(t.TempDir(), "bad.yaml")
	require.NoError(t, os.WriteFile(bad, []byte("Resources:\n  X:\n    Type: AWS::Config::ConfigRule\n    Properties:\n      Source: {Owner: AWS, SourceIdentifier: ACCESS_KEY_ROTATED}\n"), 0o644))
	notPack := filepath.Join(t.TempDir(), "notes.txt")
	require.NoError(t, os.WriteFile(notPack, []byte("just some notes"), 0o644))
	_, err := config.Load(with(exampleConfig(t), "awsConfig", map[string]any{"conformancePacks": []map[string]any{
		{"name": "one", "file": bad},
		{"name": "one", "template": "securityServices"},
		{"name": "two", "file": notPack},
		{"name": "three", "file": "missing.yaml"},
		{"name": "four", "template": "securityServices", "file": own},
	}}))
	require.Error(t, err)
	for _, want := range []string{
		`landing-zone-audit:awsConfig.conformancePacks[0].file: rule X: "ACCESS_KEY_ROTATED" is not an AWS managed rule (did you mean "ACCESS_KEYS_ROTATED"?)`,
		`landing-zone-audit:awsConfig.conformancePacks[1].name: "one" is used twice`,
		`landing-zone-audit:awsConfig.conformancePacks[2].file: is not a conformance pack template`,
		`landing-zone-audit:awsConfig.conformancePacks[3].file: cannot be read`,
		`landing-zone-audit:awsConfig.conformancePacks[4]: needs exactly one of template`,
	} {
		assert.Contains(t, err.Error(), want)
	}
}

// A rule evaluating a resource type the recorder does not record reports
// nothing for it: AWS Config evaluates change-triggered rules on recorded
// configuration items only (AWS Config Developer Guide, "Evaluating
// Resources with AWS Config Rules"; "Recording AWS Resources"). The deploy
// goes ahead, and preview and plan warn naming the key, the rule and the type.
func TestRulesOnUnrecordedTypesWarn(t *testing.T) {
	t.Parallel()
	own := writePack(t, `Resources:
  VolumesTagged:
    Type: AWS::Config::ConfigRule
    Properties:
      Scope: {ComplianceResourceTypes: [AWS::EC2::Volume, AWS::S3::Bucket]}
      Source: {Owner: CUSTOM_POLICY, SourceIdentifier: CUSTOM_POLICY}
  KeysRotated:
    Type: AWS::Config::ConfigRule
    Properties:
      Source: {Owner: AWS, SourceIdentifier: ACCESS_KEYS_ROTATED}
`)
	src := with(exampleConfig(t), "awsConfig", map[string]any{
		"recording":        map[string]any{"excludedResourceTypes": []string{"AWS::EC2::Volume"}},
		"rules":            []map[string]any{{"identifier": "ENCRYPTED_VOLUMES"}, {"identifier": "S3_BUCKET_VERSIONING_ENABLED"}},
		"conformancePacks": []map[string]any{{"name": "own", "file": own}},
	})
	p := runPlan(t, src)
	assert.ElementsMatch(t, []string{
		"landing-zone-audit:awsConfig.rules[0]: rule ENCRYPTED_VOLUMES evaluates AWS::EC2::Volume, which awsConfig.recording does not record (excludedResourceTypes or its preset); the rule reports nothing for them",
		"landing-zone-audit:awsConfig.conformancePacks[0]: rule VolumesTagged (CUSTOM_POLICY) evaluates AWS::EC2::Volume, which awsConfig.recording does not record (excludedResourceTypes or its preset); the rule reports nothing for them",
	}, p.Warnings)
	var out strings.Builder
	require.NoError(t, p.Write(&out, "table"))
	assert.Contains(t, out.String(), "warning: landing-zone-audit:awsConfig.rules[0]: rule ENCRYPTED_VOLUMES evaluates AWS::EC2::Volume")

	// Recording everything: no warnings.
	assert.Empty(t, runPlan(t, exampleConfig(t)).Warnings)
}

// The AWS Config service limits (AWS Config Developer Guide, "Service
// Limits"): 130 rules per conformance pack, 50 conformance packs and 1000
// Config rules per account and region, pack rules included
// (MaxNumberOfConfigRulesExceededException). A stack over one is refused
// before anything is created, naming the key.
func TestConformancePackLimits(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	pack := func(name string, rules int) string {
		var b strings.Builder
		b.WriteString("Resources:\n")
		for i := range rules {
			fmt.Fprintf(&b, "  R%d:\n    Type: AWS::Config::ConfigRule\n    Properties: {Source: {Owner: AWS, SourceIdentifier: ACCESS_KEYS_ROTATED}}\n", i)
		}
		path := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(path, []byte(b.String()), 0o644))
		return path
	}
	packs := func(n int, file string) []map[string]any {
		var out []map[string]any
		for i := range n {
			out = append(out, map[string]any{"name": fmt.Sprintf("pack-%d", i), "file": file})
		}
		return out
	}
	full := pack("full.yaml", components.MaxRulesPerConformancePack)

	_, err := config.Load(with(exampleConfig(t), "awsConfig", map[string]any{"conformancePacks": packs(7, full)}))
	require.NoError(t, err, "7 full packs and restricted-ssh are 911 rules")

	_, err = config.Load(with(exampleConfig(t), "awsConfig", map[string]any{"conformancePacks": []map[string]any{
		{"name": "too-big", "file": pack("too-big.yaml", components.MaxRulesPerConformancePack+1)},
	}}))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "landing-zone-audit:awsConfig.conformancePacks[0].file: has 131 rules; a conformance pack holds at most 130")

	_, err = config.Load(with(exampleConfig(t), "awsConfig", map[string]any{"conformancePacks": packs(8, full)}))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "landing-zone-audit:awsConfig: deploys 1041 Config rules (rules and packs) to each account and region; AWS Config allows 1000")

	_, err = config.Load(with(exampleConfig(t), "awsConfig", map[string]any{"conformancePacks": packs(components.MaxConformancePacksPerAccount+1, pack("one.yaml", 1))}))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "landing-zone-audit:awsConfig.conformancePacks: lists 51 packs; an account holds at most 50")
}

// A pack rule's Scope names resource types AWS Config records (the
// supported-resource list kept in config/resourcetypes.go); a misspelt one
// would scope the rule to nothing, so it is refused with a did-you-mean.
func TestPackScopeTypesAreRecordedTypes(t *testing.T) {
	t.Parallel()
	own := writePack(t, `Resources:
  VolumesEncrypted:
    Type: AWS::Config::ConfigRule
    Properties:
      Scope: {ComplianceResourceTypes: [AWS::EC2::Volumes]}
      Source: {Owner: AWS, SourceIdentifier: ENCRYPTED_VOLUMES}
`)
	_, err := config.Load(with(exampleConfig(t), "awsConfig", map[string]any{"conformancePacks": []map[string]any{{"name": "own", "file": own}}}))
	require.Error(t, err)
	assert.Contains(t, err.Error(), `landing-zone-audit:awsConfig.conformancePacks[0].file: rule VolumesEncrypted: Scope names "AWS::EC2::Volumes", which is not a resource type AWS Config records (did you mean "AWS::EC2::Volume"?)`)
}

// writePack writes a conformance pack template to a file of its own and
// returns its path, for awsConfig.conformancePacks[].file.
func writePack(t *testing.T, template string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "own-pack.yaml")
	require.NoError(t, os.WriteFile(path, []byte(template), 0o644))
	return path
}

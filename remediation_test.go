package main_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"

	"github.com/example/landing-zone-audit/config"
)

func withRemediation(src config.Source, remediation map[string]any) config.Source {
	return with(src, "awsConfig", map[string]any{"remediation": remediation})
}

// Automatic remediation (off by default) for rules on the safe list only:
// the organization pack's template gains an AWS::Config::RemediationConfiguration
// per remediated rule — which an organization pack deploys in every member
// account (API_PutOrganizationConformancePack: it "can create AWS Config
// rules and remediation actions") — running AWS's runbook automatically with
// the configured attempts and retry period, on the non-compliant resource,
// as the account's own automation role; that role, in every account the
// stack records, may be assumed only by SSM for that account and may only
// do what the runbooks document needing.
func TestRemediation(t *testing.T) {
	t.Parallel()
	off := runPlan(t, exampleConfig(t))
	assert.NotContains(t, one(t, off, "aws:cfg/organizationConformancePack:OrganizationConformancePack", "config-org-pack").Inputs["templateBody"], "RemediationConfiguration", "off by default")
	assert.Empty(t, named(off, typeRole)["config-prod-remediation-role"].URN)

	p := runPlan(t, withRemediation(exampleConfig(t), map[string]any{"enabled": true, "maximumAutomaticAttempts": 3, "retryAttemptSeconds": 120}))
	var tmpl struct {
		Resources map[string]struct {
			Type       string         `yaml:"Type"`
			DependsOn  string         `yaml:"DependsOn"`
			Properties map[string]any `yaml:"Properties"`
		} `yaml:"Resources"`
	}
	body := one(t, p, "aws:cfg/organizationConformancePack:OrganizationConformancePack", "config-org-pack").Inputs["templateBody"].(string)
	require.NoError(t, yaml.Unmarshal([]byte(body), &tmpl))
	remediated := map[string]string{}
	for id, r := range tmpl.Resources {
		if r.Type != "AWS::Config::RemediationConfiguration" {
			continue
		}
		rule := tmpl.Resources[r.DependsOn]
		require.Equal(t, "AWS::Config::ConfigRule", rule.Type, "%s waits for its rule", id)
		identifier := rule.Properties["Source"].(map[string]any)["SourceIdentifier"].(string)
		remediated[identifier] = r.Properties["TargetId"].(string)
		assert.Equal(t, map[string]any{"Ref": r.DependsOn}, r.Properties["ConfigRuleName"], id)
		assert.Equal(t, "SSM_DOCUMENT", r.Properties["TargetType"])
		assert.Equal(t, true, r.Properties["Automatic"])
		assert.Equal(t, 3, r.Properties["MaximumAutomaticAttempts"])
		assert.Equal(t, 120, r.Properties["RetryAttemptSeconds"])
		params := r.Properties["Parameters"].(map[string]any)
		role := params["AutomationAssumeRole"].(map[string]any)["StaticValue"].(map[string]any)["Values"].([]any)[0]
		assert.Equal(t, map[string]any{"Fn::Sub": "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/acme-config-remediation"}, role, "each account's own role")
		for name, v := range params {
			if name != "AutomationAssumeRole" {
				assert.Equal(t, map[string]any{"ResourceValue": map[string]any{"Value": "RESOURCE_ID"}}, v, "%s: the non-compliant resource", id)
			}
		}
	}
	assert.Equal(t, map[string]string{
		"CLOUD_TRAIL_LOG_FILE_VALIDATION_ENABLED":        "AWSConfigRemediation-EnableCloudTrailLogFileValidation",
		"S3_ACCOUNT_LEVEL_PUBLIC_ACCESS_BLOCKS_PERIODIC": "AWSConfigRemediation-ConfigureS3PublicAccessBlock",
	}, remediated, "every safe rule the default pack holds, and nothing else (VPC_DEFAULT_SECURITY_GROUP_CLOSED is in the pack but not safe)")

	for _, alias := range []string{"management", "security", "logArchive", "prod", "dev"} {
		role := one(t, p, typeRole, "config-"+alias+"-remediation-role")
		assert.Equal(t, "eu-west-2", role.Region, "IAM is global: once, from the home region")
		trust := sid(t, policyOf(t, role, "assumeRolePolicy"), "SSMAutomationAssumesRole")
		assert.Equal(t, stringList{"ssm.amazonaws.com"}, trust.Principal.Service)
		assert.Equal(t, role.AccountID, trust.Condition["StringEquals"]["aws:SourceAccount"])
		actions := sid(t, policyOf(t, one(t, p, "aws:iam/rolePolicy:RolePolicy", "config-"+alias+"-remediation-role-policy"), "policy"), "RunSafeRemediations").Action
		assert.Equal(t, stringList{"cloudtrail:GetTrail", "cloudtrail:UpdateTrail", "s3:GetAccountPublicAccessBlock", "s3:PutAccountPublicAccessBlock"}, actions)
	}
}

// In StackSet mode the member accounts' automation role comes with their
// recorders, from the home region's StackSet instance.
func TestRemediationRoleInStackSetMembers(t *testing.T) {
	t.Parallel()
	p := runPlan(t, withRemediation(loadStackFile(t, "Pulumi.large.yaml"), map[string]any{"enabled": true, "rules": []string{"CLOUD_TRAIL_LOG_FILE_VALIDATION_ENABLED"}}))
	var tmpl struct {
		Resources map[string]struct {
			Type       string         `yaml:"Type"`
			Condition  string         `yaml:"Condition"`
			Properties map[string]any `yaml:"Properties"`
		} `yaml:"Resources"`
	}
	require.NoError(t, yaml.Unmarshal([]byte(one(t, p, "aws:cloudformation/stackSet:StackSet", "member-baseline").Inputs["templateBody"].(string)), &tmpl))
	role := tmpl.Resources["RemediationRole"]
	assert.Equal(t, "AWS::IAM::Role", role.Type)
	assert.Equal(t, "RecordsGlobalTypes", role.Condition, "created once, in the home region")
	assert.Equal(t, "globex-config-remediation", role.Properties["RoleName"])
	policies := role.Properties["Policies"].([]any)
	statement := policies[0].(map[string]any)["PolicyDocument"].(map[string]any)["Statement"].([]any)[0].(map[string]any)
	assert.Equal(t, []any{"cloudtrail:GetTrail", "cloudtrail:UpdateTrail"}, statement["Action"])
}

// Remediation of a rule off the safe list, of a rule in no pack, or with
// limits AWS refuses: each an error by key.
func TestRemediationValidation(t *testing.T) {
	t.Parallel()
	_, err := config.Load(withRemediation(exampleConfig(t), map[string]any{
		"enabled": true, "rules": []string{"VPC_DEFAULT_SECURITY_GROUP_CLOSED", "EC2_EBS_ENCRYPTION_BY_DEFAULT"},
		"maximumAutomaticAttempts": 0, "retryAttemptSeconds": 9999999,
	}))
	require.Error(t, err)
	for _, want := range []string{
		`awsConfig.remediation.rules[0]: "VPC_DEFAULT_SECURITY_GROUP_CLOSED" has no remediation this program runs automatically; those are CLOUD_TRAIL_LOG_FILE_VALIDATION_ENABLED, EC2_EBS_ENCRYPTION_BY_DEFAULT`,
		`awsConfig.remediation.rules[1]: "EC2_EBS_ENCRYPTION_BY_DEFAULT" is in none of the conformance packs`,
		"awsConfig.remediation.maximumAutomaticAttempts: 0 is outside",
		"awsConfig.remediation.retryAttemptSeconds: 9999999 is outside",
	} {
		assert.Contains(t, err.Error(), "landing-zone-audit:"+want)
	}
	_, err = config.Load(withRemediation(loadStackFile(t, "Pulumi.controltower.yaml"), map[string]any{"enabled": true}))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "landing-zone-audit:awsConfig.remediation: needs the automation role in every member account")
}

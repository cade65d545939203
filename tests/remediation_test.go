package tests

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

// Automatic remediation (off by default), for rules on the safe list only.
// AWS Config takes the automation role only as a literal ARN ("AWS Config
// does not support AWS CloudFormation intrinsic functions for the automation
// execution role", conformance pack prerequisites), so an organization
// pack cannot carry it for every account: each recorded account gets the
// rule and its RemediationConfiguration by the recorders' path, with its own
// role's ARN written out — runbook, attempts, retry period and the
// non-compliant resource as the runbook's parameter. The role may be
// assumed only by SSM for that account and may only do what the runbooks
// document needing. Account-wide settings are remediated from the home
// region only.
func TestRemediation(t *testing.T) {
	t.Parallel()
	off := runPlan(t, exampleConfig(t))
	assert.Empty(t, off.ByType(typeRemediationConfiguration), "off by default")
	assert.Empty(t, named(off, typeRole)["config-prod-remediation-role"].URN)

	p := runPlan(t, withRemediation(exampleConfig(t), map[string]any{
		"enabled": true, "maximumAutomaticAttempts": 3, "retryAttemptSeconds": 120,
		"rules": []string{"CLOUD_TRAIL_LOG_FILE_VALIDATION_ENABLED", "S3_ACCOUNT_LEVEL_PUBLIC_ACCESS_BLOCKS_PERIODIC"},
	}))
	assert.NotContains(t, one(t, p, typeOrganizationConformancePack, "config-org-pack").Inputs["templateBody"], "RemediationConfiguration")
	for _, alias := range []string{"management", "security", "logArchive", "prod", "dev"} {
		for _, region := range []string{"eu-west-2", "eu-west-1"} {
			prefix := "config-" + alias + "-" + region + "-remediate-"
			rule := one(t, p, typeConfigRule, prefix+"cloud_trail_log_file_validation_enabled")
			action := one(t, p, typeRemediationConfiguration, prefix+"cloud_trail_log_file_validation_enabled-action")
			assert.Equal(t, alias, action.Account)
			assert.Equal(t, "CLOUD_TRAIL_LOG_FILE_VALIDATION_ENABLED", input(rule, "source.sourceIdentifier"))
			assert.Equal(t, rule.Inputs["name"], action.Inputs["configRuleName"])
			assert.Equal(t, "AWSConfigRemediation-EnableCloudTrailLogFileValidation", action.Inputs["targetId"])
			assert.Equal(t, true, action.Inputs["automatic"])
			assert.Equal(t, 3.0, action.Inputs["maximumAutomaticAttempts"])
			assert.Equal(t, 120.0, action.Inputs["retryAttemptSeconds"])
			params := map[string]map[string]any{}
			for _, prm := range action.Inputs["parameters"].([]any) {
				prm := prm.(map[string]any)
				params[prm["name"].(string)] = prm
			}
			assert.Equal(t, "arn:aws:iam::"+action.AccountID+":role/acme-config-remediation", params["AutomationAssumeRole"]["staticValue"], "the account's own role, written out")
			assert.Equal(t, "RESOURCE_ID", params["TrailName"]["resourceValue"], "the non-compliant trail")
			status := one(t, p, typeRecorderStatus, "config-"+alias+"-"+region+"-recorder-status")
			assert.True(t, dependsOn(rule, status), "the rule waits for the recorder")

			account := named(p, typeConfigRule)[prefix+"s3_account_level_public_access_blocks_periodic"]
			assert.Equal(t, region == "eu-west-2", account.URN != "", "the account-wide block from the home region only (%s)", region)
		}
		role := one(t, p, typeRole, "config-"+alias+"-remediation-role")
		assert.Equal(t, "eu-west-2", role.Region, "IAM is global: once, from the home region")
		trust := sid(t, policyOf(t, role, "assumeRolePolicy"), "SSMAutomationAssumesRole")
		assert.Equal(t, stringList{"ssm.amazonaws.com"}, trust.Principal.Service)
		assert.Equal(t, role.AccountID, trust.Condition["StringEquals"]["aws:SourceAccount"])
		actions := sid(t, policyOf(t, one(t, p, typeRolePolicy, "config-"+alias+"-remediation-role-policy"), "policy"), "RunSafeRemediations").Action
		assert.Equal(t, stringList{"cloudtrail:GetTrail", "cloudtrail:UpdateTrail", "s3:GetAccountPublicAccessBlock", "s3:PutAccountPublicAccessBlock"}, actions)
	}
}

// In StackSet mode the member accounts get the rules, their remediations
// and the role from the member StackSet, where CloudFormation resolves the
// role's ARN in each account (a StackSet stack is CloudFormation proper).
func TestRemediationInStackSetMembers(t *testing.T) {
	t.Parallel()
	p := runPlan(t, withRemediation(loadStackFile(t, "../Pulumi.large.yaml"), map[string]any{"enabled": true}))
	var tmpl struct {
		Resources map[string]struct {
			Type       string         `yaml:"Type"`
			Condition  string         `yaml:"Condition"`
			Properties map[string]any `yaml:"Properties"`
		} `yaml:"Resources"`
	}
	require.NoError(t, yaml.Unmarshal([]byte(one(t, p, typeStackSet, "member-baseline").Inputs["templateBody"].(string)), &tmpl))
	role := tmpl.Resources["RemediationRole"]
	assert.Equal(t, "AWS::IAM::Role", role.Type)
	assert.Equal(t, "RecordsGlobalTypes", role.Condition, "created once, in the home region")
	assert.Equal(t, "globex-config-remediation", role.Properties["RoleName"])
	action := tmpl.Resources["CloudTrailLogFileValidationEnabledRemediation"]
	assert.Equal(t, "AWS::Config::RemediationConfiguration", action.Type)
	assert.Equal(t, "globex-remediate-cloud-trail-log-file-validation-enabled", action.Properties["ConfigRuleName"])
	assert.Equal(t, "RecordsGlobalTypes", tmpl.Resources["S3AccountLevelPublicAccessBlocksPeriodicRule"].Condition, "account-wide: home region only")
	assert.Empty(t, tmpl.Resources["Ec2EbsEncryptionByDefaultRule"].Condition, "regional: every region")
}

// Remediation of a rule off the safe list, or with limits AWS refuses, or
// alongside Control Tower: each an error by key.
func TestRemediationValidation(t *testing.T) {
	t.Parallel()
	_, err := config.Load(withRemediation(exampleConfig(t), map[string]any{
		"enabled": true, "rules": []string{"VPC_DEFAULT_SECURITY_GROUP_CLOSED"},
		"maximumAutomaticAttempts": 0, "retryAttemptSeconds": 9999999,
	}))
	require.Error(t, err)
	for _, want := range []string{
		`awsConfig.remediation.rules[0]: "VPC_DEFAULT_SECURITY_GROUP_CLOSED" has no remediation this program runs automatically; those are CLOUD_TRAIL_LOG_FILE_VALIDATION_ENABLED, EC2_EBS_ENCRYPTION_BY_DEFAULT`,
		"awsConfig.remediation.maximumAutomaticAttempts: 0 is outside",
		"awsConfig.remediation.retryAttemptSeconds: 9999999 is outside",
	} {
		assert.Contains(t, err.Error(), "landing-zone-audit:"+want)
	}
	_, err = config.Load(withRemediation(loadStackFile(t, "../Pulumi.controltower.yaml"), map[string]any{"enabled": true}))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "landing-zone-audit:awsConfig.remediation: needs a rule and the automation role in every member account")
}

package components

import (
	"fmt"
	"slices"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cfg"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Remediation is an SSM Automation runbook AWS publishes for a managed
// rule (AWS Systems Manager Automation runbook reference, AWSConfigRemediation-*),
// chosen because what it changes is narrow and reversible.
type Remediation struct {
	// Document is the runbook; ResourceParameter takes the non-compliant
	// resource's ID ("" for account-level rules, whose runbook needs none).
	Document, ResourceParameter string
	// Actions are what the automation role needs for this runbook (its
	// "Required IAM permissions").
	Actions []string
	// Changes says what it changes, for the README and the plan.
	Changes string
	// HomeOnly marks an account-wide setting, remediated from the home
	// region only.
	HomeOnly bool
}

// SafeRemediations are the rules automatic remediation may be switched on
// for, by managed rule identifier.
var SafeRemediations = map[string]Remediation{
	"CLOUD_TRAIL_LOG_FILE_VALIDATION_ENABLED": {
		Document: "AWSConfigRemediation-EnableCloudTrailLogFileValidation", ResourceParameter: "TrailName",
		Actions: []string{"cloudtrail:GetTrail", "cloudtrail:UpdateTrail"},
		Changes: "turns on log file validation of a trail of the account",
	},
	"S3_ACCOUNT_LEVEL_PUBLIC_ACCESS_BLOCKS_PERIODIC": {
		Document: "AWSConfigRemediation-ConfigureS3PublicAccessBlock", ResourceParameter: "AccountId",
		Actions:  []string{"s3:GetAccountPublicAccessBlock", "s3:PutAccountPublicAccessBlock"},
		Changes:  "sets all four S3 Block Public Access settings for the whole account (public bucket policies and ACLs stop working)",
		HomeOnly: true,
	},
	"S3_BUCKET_LEVEL_PUBLIC_ACCESS_PROHIBITED": {
		Document: "AWSConfigRemediation-ConfigureS3BucketPublicAccessBlock", ResourceParameter: "BucketName",
		Actions: []string{"s3:GetBucketPublicAccessBlock", "s3:PutBucketPublicAccessBlock"},
		Changes: "sets all four S3 Block Public Access settings on the bucket",
	},
	"EC2_EBS_ENCRYPTION_BY_DEFAULT": {
		Document: "AWSConfigRemediation-EnableEbsEncryptionByDefault",
		Actions:  []string{"ec2:EnableEbsEncryptionByDefault", "ec2:GetEbsEncryptionByDefault"},
		Changes:  "encrypts new EBS volumes of the account and region by default (existing volumes are untouched)",
	},
}

// RemediationSettings are which rules are remediated, and how.
type RemediationSettings struct {
	Rules        []string // managed rule identifiers, all in SafeRemediations
	Attempts     int      // MaximumAutomaticAttempts, 1–25
	RetrySeconds int      // RetryAttemptSeconds
	RoleName     string   // the automation role in every recorded account
	Prefix       string   // starts the rules' names
}

// RemediationActions are what the automation role needs for rules.
func RemediationActions(rules []string) []string {
	var out []string
	for _, r := range rules {
		out = append(out, SafeRemediations[r].Actions...)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// RuleName is the stack's own rule for a remediated managed rule: AWS
// Config takes the automation role as a literal ARN ("AWS Config does not
// support AWS CloudFormation intrinsic functions for the automation
// execution role", conformance pack prerequisites), which one organization
// pack template cannot give every account, so each account gets the rule
// and its remediation by the same path as its recorder.
func (s RemediationSettings) RuleName(identifier string) string {
	return Names{s.Prefix}.RemediationRule(identifier)
}

// runsIn says whether a rule's remediation runs in region: account-level
// settings once, from the home region.
func (r Remediation) runsIn(region, home string) bool { return !r.HomeOnly || region == home }

// remediations creates, in one account and region, each remediated rule and
// its automatic remediation with the account's automation role, after after.
func remediations(ctx *pulumi.Context, prefix, region string, s RemediationSettings, settings RecorderSettings, roleArn string, opts []pulumi.ResourceOption, after []pulumi.Resource) error {
	for _, id := range s.Rules {
		r := SafeRemediations[id]
		if !r.runsIn(region, settings.HomeRegion) {
			continue
		}
		name := s.RuleName(id)
		rule, err := cfg.NewRule(ctx, fmt.Sprintf("%s-remediate-%s", prefix, strings.ToLower(id)), &cfg.RuleArgs{
			Name:        pulumi.String(name),
			Description: pulumi.String("Remediated automatically: " + r.Changes),
			Source:      &cfg.RuleSourceArgs{Owner: pulumi.String("AWS"), SourceIdentifier: pulumi.String(id)},
		}, append(slices.Clone(opts), pulumi.DependsOn(after))...)
		if err != nil {
			return err
		}
		params := cfg.RemediationConfigurationParameterArray{
			&cfg.RemediationConfigurationParameterArgs{Name: pulumi.String("AutomationAssumeRole"), StaticValue: pulumi.String(roleArn)},
		}
		if r.ResourceParameter != "" {
			params = append(params, &cfg.RemediationConfigurationParameterArgs{Name: pulumi.String(r.ResourceParameter), ResourceValue: pulumi.String("RESOURCE_ID")})
		}
		if _, err := cfg.NewRemediationConfiguration(ctx, fmt.Sprintf("%s-remediate-%s-action", prefix, strings.ToLower(id)), &cfg.RemediationConfigurationArgs{
			ConfigRuleName:           rule.Name,
			TargetType:               pulumi.String("SSM_DOCUMENT"),
			TargetId:                 pulumi.String(r.Document),
			Automatic:                pulumi.Bool(true),
			MaximumAutomaticAttempts: pulumi.Int(s.Attempts),
			RetryAttemptSeconds:      pulumi.Int(s.RetrySeconds),
			Parameters:               params,
		}, opts...); err != nil {
			return err
		}
	}
	return nil
}

// remediationRoleDescription describes the automation role wherever it is created.
const remediationRoleDescription = "SSM Automation runs the automatic remediations of AWS Config rules"

// remediationTemplate adds the remediated rules, their remediations and
// the automation role to the member StackSet's template; CloudFormation
// resolves the role's ARN in each account.
func remediationTemplate(resources map[string]any, s RemediationSettings) {
	if len(s.Rules) == 0 {
		return
	}
	resources["RemediationRole"] = map[string]any{
		"Type":      "AWS::IAM::Role",
		"Condition": "RecordsGlobalTypes", // global, like the service-linked role
		"Properties": map[string]any{
			"RoleName":                 s.RoleName,
			"Description":              remediationRoleDescription,
			"AssumeRolePolicyDocument": remediationTrust(map[string]any{"Ref": "AWS::AccountId"}),
			"Policies": []any{map[string]any{
				"PolicyName":     "run-safe-remediations",
				"PolicyDocument": remediationPolicy(RemediationActions(s.Rules)),
			}},
		},
	}
	for _, id := range s.Rules {
		r := SafeRemediations[id]
		logical := camel(id)
		rule := map[string]any{
			"Type":      "AWS::Config::ConfigRule",
			"DependsOn": "ConfigDeliveryChannel",
			"Properties": map[string]any{
				"ConfigRuleName": s.RuleName(id),
				"Description":    "Remediated automatically: " + r.Changes,
				"Source":         map[string]any{"Owner": "AWS", "SourceIdentifier": id},
			},
		}
		params := map[string]any{"AutomationAssumeRole": map[string]any{"StaticValue": map[string]any{"Values": []any{
			map[string]any{"Fn::Sub": "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/" + s.RoleName},
		}}}}
		if r.ResourceParameter != "" {
			params[r.ResourceParameter] = map[string]any{"ResourceValue": map[string]any{"Value": "RESOURCE_ID"}}
		}
		action := map[string]any{
			"Type":      "AWS::Config::RemediationConfiguration",
			"DependsOn": []string{logical + "Rule"},
			"Properties": map[string]any{
				"ConfigRuleName":           s.RuleName(id),
				"TargetType":               "SSM_DOCUMENT",
				"TargetId":                 r.Document,
				"Automatic":                true,
				"MaximumAutomaticAttempts": s.Attempts,
				"RetryAttemptSeconds":      s.RetrySeconds,
				"Parameters":               params,
			},
		}
		if r.HomeOnly {
			rule["Condition"], action["Condition"] = "RecordsGlobalTypes", "RecordsGlobalTypes"
		}
		resources[logical+"Rule"] = rule
		resources[logical+"Remediation"] = action
	}
}

// camel turns a rule identifier into a CloudFormation logical ID:
// CLOUD_TRAIL_LOG_FILE_VALIDATION_ENABLED is CloudTrailLogFileValidationEnabled.
func camel(identifier string) string {
	var b strings.Builder
	for _, word := range strings.Split(strings.ToLower(identifier), "_") {
		if word != "" {
			b.WriteString(strings.ToUpper(word[:1]) + word[1:])
		}
	}
	return b.String()
}

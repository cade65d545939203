package components

import (
	"fmt"
	"slices"

	"gopkg.in/yaml.v3"
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
		Actions: []string{"s3:GetAccountPublicAccessBlock", "s3:PutAccountPublicAccessBlock"},
		Changes: "sets all four S3 Block Public Access settings for the whole account (public bucket policies and ACLs stop working)",
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

// RemediationSettings are how the packs' remediations run.
type RemediationSettings struct {
	Rules        []string // managed rule identifiers, all in SafeRemediations
	Attempts     int      // MaximumAutomaticAttempts, 1–25
	RetrySeconds int      // RetryAttemptSeconds
	RoleName     string   // the automation role in every member account
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

// WithRemediation adds an automatic AWS::Config::RemediationConfiguration
// to a conformance pack template for each of its rules in s.Rules, and
// returns the template and the rules it remediates. A conformance pack may
// hold remediation configurations, which an organization pack deploys in
// every member account (API_PutOrganizationConformancePack); each runs its
// runbook with the account's own automation role, named from the account
// the pack's stack runs in.
func WithRemediation(template string, s RemediationSettings) (string, []string, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(template), &doc); err != nil || len(doc.Content) == 0 {
		return "", nil, fmt.Errorf("not a YAML template: %v", err)
	}
	resources := mappingValue(doc.Content[0], "Resources")
	if resources == nil {
		return "", nil, fmt.Errorf("no Resources")
	}
	var done []string
	for i := 0; i+1 < len(resources.Content); i += 2 {
		logical, res := resources.Content[i].Value, resources.Content[i+1]
		var rule struct {
			Type       string `yaml:"Type"`
			Properties struct {
				Source struct {
					Owner            string `yaml:"Owner"`
					SourceIdentifier string `yaml:"SourceIdentifier"`
				} `yaml:"Source"`
			} `yaml:"Properties"`
		}
		if res.Decode(&rule) != nil || rule.Type != "AWS::Config::ConfigRule" || rule.Properties.Source.Owner != "AWS" {
			continue
		}
		id := rule.Properties.Source.SourceIdentifier
		r, ok := SafeRemediations[id]
		if !ok || !slices.Contains(s.Rules, id) {
			continue
		}
		params := map[string]any{"AutomationAssumeRole": map[string]any{"StaticValue": map[string]any{"Values": []any{
			map[string]any{"Fn::Sub": "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/" + s.RoleName},
		}}}}
		if r.ResourceParameter != "" {
			params[r.ResourceParameter] = map[string]any{"ResourceValue": map[string]any{"Value": "RESOURCE_ID"}}
		}
		var node yaml.Node
		if err := node.Encode(map[string]any{
			"Type":      "AWS::Config::RemediationConfiguration",
			"DependsOn": logical,
			"Properties": map[string]any{
				"ConfigRuleName":           map[string]any{"Ref": logical},
				"TargetType":               "SSM_DOCUMENT",
				"TargetId":                 r.Document,
				"Automatic":                true,
				"MaximumAutomaticAttempts": s.Attempts,
				"RetryAttemptSeconds":      s.RetrySeconds,
				"Parameters":               params,
			},
		}); err != nil {
			return "", nil, err
		}
		key := &yaml.Node{Kind: yaml.ScalarNode, Value: logical + "Remediation"}
		resources.Content = append(resources.Content, key, &node)
		done = append(done, id)
	}
	out, err := yaml.Marshal(&doc)
	return string(out), done, err
}

// mappingValue is the value of key in a YAML mapping node.
func mappingValue(m *yaml.Node, key string) *yaml.Node {
	if m.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

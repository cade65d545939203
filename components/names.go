package components

import (
	"fmt"
	"strings"
)

// Names builds every physical AWS name the program derives from the stack's
// prefix, in one place, next to the limits that bound them.
//
// The prefix is at most MaxPrefixLength characters. The longest derived
// names are the GuardDuty findings bucket and its access-log bucket
// ("<prefix>-guardduty-findings-<12 digits>": 20 + 20 + 12 = 52 of S3's 63)
// and the trail's delivery role ("<prefix>-orgtrail-cloudwatch": 20 + 20 of
// IAM's 64). A test checks every derived name of a maximal prefix against
// its service's limit.
type Names struct{ Prefix string }

// MaxPrefixLength bounds the prefix so that every derived name fits.
const MaxPrefixLength = 20

func (n Names) join(suffix string) string { return n.Prefix + "-" + suffix }

// TrailName is the organization trail.
func (n Names) TrailName() string { return n.join("org-trail") }

// TrailBucket is the central CloudTrail log bucket in account.
func (n Names) TrailBucket(account string) string {
	return fmt.Sprintf("%s-orgtrail-%s", n.Prefix, account)
}

// TrailAccessLogBucket receives the trail bucket's server access logs.
func (n Names) TrailAccessLogBucket(account string) string {
	return fmt.Sprintf("%s-orgtrail-access-%s", n.Prefix, account)
}

// TrailKeyAlias, TrailLogGroupKeyAlias and TrailDeliveryRole belong to the trail.
func (n Names) TrailKeyAlias() string         { return n.join("orgtrail") }
func (n Names) TrailLogGroupKeyAlias() string { return n.join("orgtrail-logs") }
func (n Names) TrailDeliveryRole() string     { return n.join("orgtrail-cloudwatch") }

// ConfigBucket, ConfigAccessLogBucket and ConfigKeyAlias are AWS Config's
// central delivery bucket in the log-archive account.
func (n Names) ConfigBucket(account string) string {
	return fmt.Sprintf("%s-config-%s", n.Prefix, account)
}
func (n Names) ConfigAccessLogBucket(account string) string {
	return fmt.Sprintf("%s-config-access-%s", n.Prefix, account)
}
func (n Names) ConfigKeyAlias() string { return n.join("config") }

// ConfigAggregatorRole and OrganizationAggregator are the aggregator's.
func (n Names) ConfigAggregatorRole() string   { return n.join("config-aggregator") }
func (n Names) OrganizationAggregator() string { return n.join("organization") }

// CustomRecorderRole is the recorder role when recorderRole is custom.
func (n Names) CustomRecorderRole() string { return n.join("config-recorder") }

// ConformancePack is the organization conformance pack.
func (n Names) ConformancePack() string { return n.join("security-services") }

// MemberBaselineStackSet is the member-account StackSet.
func (n Names) MemberBaselineStackSet() string { return n.join("member-baseline") }

// AlertTopic, FindingsTopic and DeliveryFailuresTopic are the alert topics.
func (n Names) AlertTopic() string            { return n.join("security-alerts") }
func (n Names) FindingsTopic() string         { return n.join("findings-alerts") }
func (n Names) DeliveryFailuresTopic() string { return n.join("alert-delivery-failures") }

// ElevatedRoleAlarm and ElevatedRoleMetric are the elevated-role alarm's.
func (n Names) ElevatedRoleAlarm() string  { return n.join("elevated-role-used") }
func (n Names) ElevatedRoleMetric() string { return n.join("switch-elevated-count") }

// CISAlarm is the alarm of one CIS control.
func (n Names) CISAlarm(key string) string { return n.join("cis-" + key) }

// SupplementaryAlarm is the alarm of one supplementary detection.
func (n Names) SupplementaryAlarm(key string) string { return n.join("detect-" + key) }

// GuardDutyRule, GuardDutyFindingsBucket, GuardDutyAccessLogBucket and
// GuardDutyKeyAlias are GuardDuty's.
func (n Names) GuardDutyRule() string { return n.join("guardduty-findings") }
func (n Names) GuardDutyFindingsBucket(account string) string {
	return fmt.Sprintf("%s-guardduty-findings-%s", n.Prefix, account)
}
func (n Names) GuardDutyAccessLogBucket(account string) string {
	return fmt.Sprintf("%s-guardduty-access-%s", n.Prefix, account)
}
func (n Names) GuardDutyKeyAlias() string { return n.join("guardduty-findings") }

// SecurityHubRule and SecurityHubPolicy are Security Hub's.
func (n Names) SecurityHubRule() string   { return n.join("securityhub-findings") }
func (n Names) SecurityHubPolicy() string { return n.join("security-baseline") }

// Analyzer and UnusedAccessAnalyzer are IAM Access Analyzer's.
func (n Names) Analyzer() string             { return n.join("organization") }
func (n Names) UnusedAccessAnalyzer() string { return n.join("organization-unused-access") }

// LakeKeyAlias and EventDataStore are CloudTrail Lake's.
func (n Names) LakeKeyAlias() string   { return n.join("cloudtrail-lake") }
func (n Names) EventDataStore() string { return n.join("organization-events") }

// ChatbotRole is the role AWS Chatbot assumes to show alert notifications.
func (n Names) ChatbotRole() string { return n.join("chatbot-notifications") }

// MaxChatChannelName bounds a chat channel's name so that its
// configuration name, "<prefix>-<name>", fits Chatbot's 128 characters.
const MaxChatChannelName = 128 - MaxPrefixLength - 1

// ChatChannel is the Chatbot configuration of the chat channel called name.
func (n Names) ChatChannel(name string) string { return n.join(name) }

// FindingsChatTopic carries the finding alerts, as chat notifications, to
// the chat channels.
func (n Names) FindingsChatTopic() string { return n.join("findings-chat") }

// PagingTopic, GuardDutyPagingRule and SecurityHubPagingRule carry the most
// severe findings to the paging integration.
func (n Names) PagingTopic() string           { return n.join("paging") }
func (n Names) GuardDutyPagingRule() string   { return n.join("guardduty-paging") }
func (n Names) SecurityHubPagingRule() string { return n.join("securityhub-paging") }

// OwnerTopic and OwnerRule route one account's finding alerts to its
// owners. An EventBridge rule name has at most 64 characters, and its
// dead-letter queue "<rule>-dlq" at most 80; MaxOwnerAlias keeps a rule of
// the longest prefix within them.
func (n Names) OwnerTopic(alias string) string           { return n.join("owner-alerts-" + alias) }
func (n Names) GuardDutyOwnerRule(alias string) string   { return n.join("gd-owner-" + alias) }
func (n Names) SecurityHubOwnerRule(alias string) string { return n.join("sh-owner-" + alias) }

// MaxOwnerAlias is the longest alias whose owner rules fit.
const MaxOwnerAlias = 64 - MaxPrefixLength - len("-gd-owner-")

// RemediationRole is the role SSM Automation assumes in every member
// account to run the packs' remediations.
func (n Names) RemediationRole() string { return n.join("config-remediation") }

// SecurityLakeKeyAlias is each region's Security Lake key (aliases are regional).
func (n Names) SecurityLakeKeyAlias() string { return n.join("securitylake") }

// SecurityLakeSubscriber names the subscription of subscriber name to
// source (the provider takes one source per subscriber). A subscriber name has at most 64 characters (API_CreateSubscriber), and the
// longest source is LAMBDA_EXECUTION; MaxSecurityLakeSubscriberName keeps
// every subscription of the longest prefix within them.
func (n Names) SecurityLakeSubscriber(name, source string) string {
	return n.join(name + "-" + sourceSlug(source))
}

// MaxSecurityLakeSubscriberName is the longest subscriber name whose
// subscriptions fit.
const MaxSecurityLakeSubscriberName = 64 - MaxPrefixLength - 2 - len("LAMBDA_EXECUTION")

// MacieResultsBucket, MacieResultsAccessLogBucket and MacieResultsKeyAlias
// are the repository for Macie's sensitive data discovery results in
// account ("<prefix>-macie-results-access-<12 digits>": 20 + 22 + 12 of
// S3's 63).
func (n Names) MacieResultsBucket(account string) string {
	return fmt.Sprintf("%s-macie-results-%s", n.Prefix, account)
}
func (n Names) MacieResultsAccessLogBucket(account string) string {
	return fmt.Sprintf("%s-macie-results-access-%s", n.Prefix, account)
}
func (n Names) MacieResultsKeyAlias() string { return n.join("macie-results") }

// DeadLetterQueue is a finding rule's dead-letter queue (SQS names: 80
// characters), and DeadLetterAlarm the alarm on messages waiting in it.
func DeadLetterQueue(rule string) string { return rule + "-dlq" }
func DeadLetterAlarm(rule string) string { return DeadLetterQueue(rule) + "-not-empty" }

// CoreStackSet is the StackSet of the listed core accounts beside stackSet.
func CoreStackSet(stackSet string) string { return stackSet + "-core" }

// RemediationRule is the per-account AWS Config rule that remediates the
// managed rule identifier (Config rule names: 128 characters).
func (n Names) RemediationRule(identifier string) string {
	return n.join("remediate-" + strings.ToLower(strings.ReplaceAll(identifier, "_", "-")))
}

// Guardrails names the organization policies ("<prefix>-guardrails-scp-1", …).
func (n Names) Guardrails() string { return n.join("guardrails") }

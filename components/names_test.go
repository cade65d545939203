package components_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/example/landing-zone-audit/components"
)

// Every name derived from the longest prefix config allows fits its
// service's limit: S3 bucket names 3–63 characters (S3 bucket naming rules),
// IAM role names 64 (IAM quotas), KMS alias names 256 with "alias/", SNS
// topic names 256, CloudWatch alarm names 255, CloudFormation StackSet
// names 128, conformance pack names 51 (PutOrganizationConformancePack),
// CloudTrail trail and event data store names 128, EventBridge rule names 64,
// Chatbot configuration names 128 (API_CreateSlackChannelConfiguration),
// Security Lake subscriber names 64 (API_CreateSubscriber).
func TestDerivedNamesFitTheirLimits(t *testing.T) {
	t.Parallel()
	n := components.Names{Prefix: strings.Repeat("p", components.MaxPrefixLength)}
	const account = "123456789012"
	for name, limit := range map[string]int{
		n.TrailName(): 128, n.EventDataStore(): 128, n.MemberBaselineStackSet(): 128,
		n.TrailDeliveryRole(): 64, n.ConfigAggregatorRole(): 64, n.CustomRecorderRole(): 64,
		"alias/" + n.TrailKeyAlias(): 256, "alias/" + n.TrailLogGroupKeyAlias(): 256, "alias/" + n.ConfigKeyAlias(): 256,
		"alias/" + n.GuardDutyKeyAlias(): 256, "alias/" + n.LakeKeyAlias(): 256,
		n.AlertTopic(): 256, n.FindingsTopic(): 256, n.DeliveryFailuresTopic(): 256,
		n.ElevatedRoleAlarm(): 255, n.CISAlarm("consoleSignInWithoutMfa"): 255, n.ElevatedRoleMetric(): 255,
		n.ConformancePack(): 51, n.SecurityHubPolicy(): 128, n.Analyzer(): 255, n.UnusedAccessAnalyzer(): 255,
		n.GuardDutyRule(): 64, n.SecurityHubRule(): 64, components.DeadLetterQueue(n.GuardDutyRule()): 80,
		n.PagingTopic(): 256, n.FindingsChatTopic(): 256, n.GuardDutyPagingRule(): 64, components.DeadLetterQueue(n.SecurityHubPagingRule()): 80,
		components.DeadLetterQueue(n.GuardDutyOwnerRule(strings.Repeat("a", components.MaxOwnerAlias))): 80,
		n.GuardDutyOwnerRule(strings.Repeat("a", components.MaxOwnerAlias)):                             64,
		n.SecurityHubOwnerRule(strings.Repeat("a", components.MaxOwnerAlias)):                           64,
		n.OwnerTopic(strings.Repeat("a", components.MaxOwnerAlias)):                                     256,
		n.ChatbotRole(): 64, n.ChatChannel(strings.Repeat("c", components.MaxChatChannelName)): 128,
		"alias/" + n.SecurityLakeKeyAlias(): 256, "alias/" + n.MacieResultsKeyAlias(): 256,
		components.DeadLetterAlarm(n.GuardDutyOwnerRule(strings.Repeat("a", components.MaxOwnerAlias))):             255,
		components.CoreStackSet(n.MemberBaselineStackSet()):                                                         128,
		n.RemediationRule("S3_ACCOUNT_LEVEL_PUBLIC_ACCESS_BLOCKS_PERIODIC"):                                         128,
		n.SecurityLakeSubscriber(strings.Repeat("s", components.MaxSecurityLakeSubscriberName), "LAMBDA_EXECUTION"): 64,
	} {
		assert.LessOrEqual(t, len(name), limit, name)
	}
	for _, bucket := range []string{
		n.TrailBucket(account), n.TrailAccessLogBucket(account), n.ConfigBucket(account), n.ConfigAccessLogBucket(account),
		n.GuardDutyFindingsBucket(account), n.GuardDutyAccessLogBucket(account),
		n.MacieResultsBucket(account), n.MacieResultsAccessLogBucket(account),
	} {
		assert.True(t, components.ValidBucketName(bucket), "%s (%d characters) is not a valid bucket name", bucket, len(bucket))
	}
}

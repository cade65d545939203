package tests

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/example/landing-zone-audit/internal/plan"
)

// The Amazon SNS guide ("Enable compatibility between event sources from AWS
// services and encrypted topics", sns-key-management.html) recommends, for
// EventBridge publishing to an encrypted topic, a key-policy statement for
// events.amazonaws.com on kms:GenerateDataKey* and kms:Decrypt with no
// condition, and says aws:SourceAccount, aws:SourceArn and aws:SourceOrgID
// are not supported there: EventBridge's KMS request carries none of them,
// so a statement conditioned on them denies every delivery. Every topic
// EventBridge publishes to must therefore let it use the key without them,
// and scope it in the topic policy, where the rule's ARN is known.
func TestEventBridgeCanUseEveryAlertTopicKey(t *testing.T) {
	t.Parallel()
	p := runPlan(t, exampleConfig(t))
	checked := 0
	for _, topic := range p.ByType(typeTopic) {
		topicPolicy := policyOf(t, one(t, p, typeTopicPolicy, topic.Name+"-policy"), "policy")
		publishes, ok := sidOK(topicPolicy, "PublisherPublishesEventBridge")
		if !ok {
			continue
		}
		checked++
		assert.Contains(t, publishes.Condition["ArnLike"]["aws:SourceArn"], ":rule/", "%s: the topic policy limits EventBridge to this account's rules", topic.Name)
		key := keyOf(t, p, topic)
		uses := sid(t, policyOf(t, key, "policy"), "PublisherUsesKeyEventBridge")
		assert.Equal(t, []string{"events.amazonaws.com"}, []string(uses.Principal.Service))
		assert.ElementsMatch(t, []string{"kms:GenerateDataKey*", "kms:Decrypt"}, []string(uses.Action))
		for _, conditions := range uses.Condition {
			for _, k := range []string{"aws:SourceArn", "aws:SourceAccount", "aws:SourceOrgID"} {
				assert.NotContains(t, conditions, k, "%s: EventBridge's KMS requests carry no %s; the condition would deny every alert", key.Name, k)
			}
		}
	}
	assert.Equal(t, 3, checked, "the management alert topic and the findings topic of each governed region")
}

// keyOf returns the customer key an alert topic is encrypted with.
func keyOf(t *testing.T, p *plan.Plan, topic plan.Resource) plan.Resource {
	t.Helper()
	key := one(t, p, typeKey, topic.Name+"-key")
	require.Equal(t, topic.Account, key.Account)
	require.Regexp(t, "^arn:aws:kms:"+topic.Region+":"+topic.AccountID+":key/", topic.Inputs["kmsMasterKeyId"])
	return key
}

// Failed deliveries are not silent: every alert dead-letter queue has an
// alarm on SQS's ApproximateNumberOfMessagesVisible (AWS/SQS metrics,
// dimension QueueName; sqs-available-cloudwatch-metrics.html) above 0, in
// the queue's account and region, notifying a topic that CloudWatch
// publishes to with its own key — not the findings topic whose delivery
// failed, nor its key.
func TestEveryDeadLetterQueueAlarms(t *testing.T) {
	t.Parallel()
	p := runPlan(t, exampleConfig(t))
	queues := p.ByType(typeQueue)
	require.NotEmpty(t, queues)
	alarms := p.ByType(typeMetricAlarm)
	for _, q := range queues {
		var found bool
		for _, a := range alarms {
			dims, _ := a.Inputs["dimensions"].(map[string]any)
			// SQS metrics are per account and region: the alarm lives with its queue.
			if a.Inputs["namespace"] != "AWS/SQS" || dims["QueueName"] != q.Inputs["name"] || a.Account != q.Account || a.Region != q.Region {
				continue
			}
			found = true
			assert.Equal(t, "ApproximateNumberOfMessagesVisible", a.Inputs["metricName"])
			assert.Equal(t, "GreaterThanThreshold", a.Inputs["comparisonOperator"])
			assert.Equal(t, 0.0, a.Inputs["threshold"])
			actions, _ := a.Inputs["alarmActions"].([]any)
			require.Len(t, actions, 1)
			failureTopic := topicByArn(t, p, actions[0].(string))
			assert.Equal(t, q.Region, failureTopic.Region)
			assert.NotContains(t, failureTopic.Inputs["name"], "findings", "%s: not the topic whose delivery failed", a.Name)
			fp := policyOf(t, one(t, p, typeTopicPolicy, failureTopic.Name+"-policy"), "policy")
			_, eventBridge := sidOK(fp, "PublisherPublishesEventBridge")
			assert.False(t, eventBridge, "the failure topic does not depend on EventBridge")
			sid(t, fp, "PublisherPublishesCloudWatch")
		}
		assert.True(t, found, "no alarm watches dead-letter queue %s", q.Inputs["name"])
	}
}

func topicByArn(t *testing.T, p *plan.Plan, arn string) plan.Resource {
	t.Helper()
	for _, topic := range p.ByType(typeTopic) {
		if "arn:aws:sns:"+topic.Region+":"+topic.AccountID+":"+topic.Inputs["name"].(string) == arn {
			return topic
		}
	}
	t.Fatalf("no topic %s", arn)
	return plan.Resource{}
}

// Security Hub S3.9 expects server access logging on every general purpose
// bucket; S3 delivers access logs to a target bucket whose policy lets
// logging.s3.amazonaws.com write (S3 user guide, "Enabling Amazon S3 server
// access logging"), and a target must not log into itself. Every bucket
// the program creates either logs to such a target or is one.
func TestEveryLogBucketHasServerAccessLogging(t *testing.T) {
	t.Parallel()
	p := runPlan(t, with(exampleConfig(t), "guardDuty", map[string]any{"findingsExport": true}))
	logging := map[string]plan.Resource{}
	for _, l := range p.ByType(typeBucketLoggingV2) {
		logging[strings.TrimSuffix(l.Name, "-logging")] = l
	}
	targets := map[string]bool{}
	for _, b := range p.ByType(typeBucket) {
		statements := policyOf(t, one(t, p, typeBucketPolicy, b.Name+"-policy"), "policy")
		if _, ok := sidOK(statements, "S3ServerAccessLogs"); ok {
			targets[b.Inputs["bucket"].(string)] = true
		}
	}
	require.NotEmpty(t, targets)
	for _, b := range p.ByType(typeBucket) {
		name := b.Inputs["bucket"].(string)
		if targets[name] {
			assert.NotContains(t, logging, b.Name, "%s is a log target and does not log into itself", name)
			continue
		}
		l, ok := logging[b.Name]
		if assert.True(t, ok, "%s has no server access logging", name) {
			assert.True(t, targets[l.Inputs["targetBucket"].(string)], "%s logs to %v, which S3's log delivery may write", name, l.Inputs["targetBucket"])
		}
	}
}

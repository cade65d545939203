package components

import (
	"fmt"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/sqs"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// AlertRoute is where the finding alerts of one region go: the findings
// topic, and a topic of its own that hears when delivery to it fails.
type AlertRoute struct {
	TopicArn pulumi.StringInput
	// FailureTopicArn receives the dead-letter queue's alarm. It shares
	// nothing with the path that failed (EventBridge, the findings topic and
	// its key): CloudWatch publishes to it with its own key.
	FailureTopicArn pulumi.StringInput
	// ChatTopicArn, when set, receives the same alerts as AWS Chatbot
	// custom notifications for the chat channels: Chatbot shows only the
	// event formats it knows and drops plain text.
	ChatTopicArn pulumi.StringInput
	// PagingTopicArn, when set, receives the most severe findings, as the
	// events themselves, for a paging integration.
	PagingTopicArn pulumi.StringInput
	// Owners get the alerts about their own account, in their own topic.
	Owners []OwnerTopic
}

// OwnerTopic is where one account's owners hear about their account.
type OwnerTopic struct {
	Alias, AccountID string
	TopicArn         pulumi.StringInput
}

func (r AlertRoute) complete() bool { return r.TopicArn != nil && r.FailureTopicArn != nil }

// findingAlert is an EventBridge rule that sends matching events to an alert
// topic of the same account and region, as a readable message, retrying for
// a day and keeping what still fails in a dead-letter queue.
type findingAlert struct {
	Account
	RuleName    string
	Description string
	Pattern     string // validated by the caller with eventpattern
	Route       AlertRoute
	InputPaths  map[string]string
	// InputTemplate is the email's text: plain text, not a JSON string, so
	// a value with quotes in it (EventBridge inserts values as they are)
	// cannot make the target's input invalid (API_InputTransformer takes
	// "<instance> is in state <status>" as a template).
	InputTemplate string
	// ChatTitle, ChatDescription and ChatKeywords name the InputPaths that
	// fill the chat notification.
	ChatTitle, ChatDescription string
	ChatKeywords               []string
}

// ChatNotification is the input template of an AWS Chatbot custom
// notification (Chatbot administrator guide, "Custom notifications":
// version 1.0, source custom, content with a title and description) whose
// title, description and keywords are the named input paths. Each
// placeholder stands unquoted, as a whole JSON value: EventBridge writes a
// path's value as JSON there, so a finding title with quotes in it still
// makes valid JSON, where a placeholder inside a quoted string would not be
// escaped (EventBridge user guide, "Input transformation").
func ChatNotification(title, description string, keywords []string) string {
	var kw []string
	for _, k := range keywords {
		kw = append(kw, "<"+k+">")
	}
	return fmt.Sprintf(`{"version":"1.0","source":"custom","content":{"textType":"client-markdown","title":<%s>,"description":<%s>,"keywords":[%s]}}`,
		title, description, strings.Join(kw, ","))
}

// newFindingAlert creates the dead-letter queue, the rule, its target and
// the alarm on undelivered alerts as children of parent, logical names
// starting with name.
func newFindingAlert(ctx *pulumi.Context, name string, parent pulumi.Resource, a findingAlert) (*cloudwatch.EventRule, error) {
	child := children(parent, a.Provider)
	ruleArn := arn(a.Partition, "events", a.Region, a.AccountID, "rule/"+a.RuleName)
	dlq, err := newDeadLetterQueue(ctx, name, a, ruleArn, child)
	if err != nil {
		return nil, err
	}
	rule, err := cloudwatch.NewEventRule(ctx, name+"-rule", &cloudwatch.EventRuleArgs{
		Name:         pulumi.String(a.RuleName),
		Description:  pulumi.String(a.Description),
		EventPattern: pulumi.String(a.Pattern),
	}, child...)
	if err != nil {
		return nil, err
	}
	// target sends the rule's events to a topic, retrying for a day and
	// keeping what still fails in the dead-letter queue; an empty template
	// sends the event itself.
	target := func(logical, id string, topicArn pulumi.StringInput, template string) error {
		var transformer cloudwatch.EventTargetInputTransformerPtrInput
		if template != "" {
			transformer = &cloudwatch.EventTargetInputTransformerArgs{
				InputPaths:    pulumi.ToStringMap(a.InputPaths),
				InputTemplate: pulumi.String(template),
			}
		}
		_, err := cloudwatch.NewEventTarget(ctx, logical, &cloudwatch.EventTargetArgs{
			Rule:             rule.Name,
			TargetId:         pulumi.String(id),
			Arn:              topicArn,
			InputTransformer: transformer,
			RetryPolicy: &cloudwatch.EventTargetRetryPolicyArgs{
				MaximumEventAgeInSeconds: pulumi.Int(24 * 3600),
				MaximumRetryAttempts:     pulumi.Int(185),
			},
			DeadLetterConfig: &cloudwatch.EventTargetDeadLetterConfigArgs{Arn: dlq.Arn},
		}, child...)
		return err
	}
	if err := target(name+"-target", "alert-topic", a.Route.TopicArn, a.InputTemplate); err != nil {
		return nil, err
	}
	if a.Route.ChatTopicArn != nil {
		if err := target(name+"-chat-target", "chat-topic", a.Route.ChatTopicArn, ChatNotification(a.ChatTitle, a.ChatDescription, a.ChatKeywords)); err != nil {
			return nil, err
		}
	}
	return rule, newDeadLetterAlarm(ctx, name, a, dlq, child)
}

// newDeadLetterQueue creates the queue that keeps a rule's undeliverable
// alerts, encrypted, writable only by that rule over TLS.
func newDeadLetterQueue(ctx *pulumi.Context, name string, a findingAlert, ruleArn string, child []pulumi.ResourceOption) (*sqs.Queue, error) {
	queueName := DeadLetterQueue(a.RuleName)
	queueArn := arn(a.Partition, "sqs", a.Region, a.AccountID, queueName)
	dlq, err := sqs.NewQueue(ctx, name+"-dlq", &sqs.QueueArgs{
		Name:                    pulumi.String(queueName),
		SqsManagedSseEnabled:    pulumi.Bool(true),
		MessageRetentionSeconds: pulumi.Int(14 * 24 * 3600),
	}, child...)
	if err != nil {
		return nil, err
	}
	if _, err := sqs.NewQueuePolicy(ctx, name+"-dlq-policy", &sqs.QueuePolicyArgs{
		QueueUrl: dlq.Url,
		Policy: pulumi.String(policy(
			allow("EventBridgeDeadLetters", service(EventBridgePrincipal), []string{"sqs:SendMessage"}, []string{queueArn},
				Conditions{"ArnEquals": {"aws:SourceArn": ruleArn}}),
			denyInsecureTransport("sqs:*", queueArn),
		).JSON()),
	}, child...); err != nil {
		return nil, err
	}
	return dlq, nil
}

// newDeadLetterAlarm raises an alarm when a rule's dead-letter queue holds
// an alert, which was never delivered: SQS publishes
// ApproximateNumberOfMessagesVisible (AWS/SQS, dimension QueueName) for
// active queues, a queue holding messages among them, so any visible
// message raises this alarm; the alarm notifies when it changes state.
func newDeadLetterAlarm(ctx *pulumi.Context, name string, a findingAlert, dlq *sqs.Queue, child []pulumi.ResourceOption) error {
	queueName := DeadLetterQueue(a.RuleName)
	_, err := cloudwatch.NewMetricAlarm(ctx, name+"-dlq-alarm", &cloudwatch.MetricAlarmArgs{
		Name:               pulumi.String(DeadLetterAlarm(a.RuleName)),
		AlarmDescription:   pulumi.String("Alerts of " + a.RuleName + " could not be delivered and wait in " + queueName + "; see docs/alerts.md"),
		Namespace:          pulumi.String("AWS/SQS"),
		MetricName:         pulumi.String("ApproximateNumberOfMessagesVisible"),
		Dimensions:         pulumi.StringMap{"QueueName": pulumi.String(queueName)},
		Statistic:          pulumi.String("Maximum"),
		Period:             pulumi.Int(300),
		EvaluationPeriods:  pulumi.Int(1),
		Threshold:          pulumi.Float64(0),
		ComparisonOperator: pulumi.String("GreaterThanThreshold"),
		TreatMissingData:   pulumi.String("notBreaching"),
		AlarmActions:       pulumi.Array{a.Route.FailureTopicArn},
	}, append(child, pulumi.DependsOn([]pulumi.Resource{dlq}))...)
	return err
}

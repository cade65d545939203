package components

import (
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/sqs"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// findingAlert is an EventBridge rule that sends matching events to an alert
// topic of the same account and region, as a readable message, retrying for
// a day and keeping what still fails in a dead-letter queue.
type findingAlert struct {
	Provider      pulumi.ProviderResource
	Partition     string
	Region        string
	AccountID     string
	RuleName      string
	Description   string
	Pattern       string // validated by the caller with eventpattern
	TopicArn      pulumi.StringInput
	InputPaths    map[string]string
	InputTemplate string
}

// newFindingAlert creates the dead-letter queue, the rule and its target as
// children of parent, logical names starting with name.
func newFindingAlert(ctx *pulumi.Context, name string, parent pulumi.Resource, a findingAlert) (*cloudwatch.EventRule, error) {
	child := children(parent, a.Provider)
	ruleArn := arn(a.Partition, "events", a.Region, a.AccountID, "rule/"+a.RuleName)
	queueName := a.RuleName + "-dlq"
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
	rule, err := cloudwatch.NewEventRule(ctx, name+"-rule", &cloudwatch.EventRuleArgs{
		Name:         pulumi.String(a.RuleName),
		Description:  pulumi.String(a.Description),
		EventPattern: pulumi.String(a.Pattern),
	}, child...)
	if err != nil {
		return nil, err
	}
	_, err = cloudwatch.NewEventTarget(ctx, name+"-target", &cloudwatch.EventTargetArgs{
		Rule:     rule.Name,
		TargetId: pulumi.String("alert-topic"),
		Arn:      a.TopicArn,
		InputTransformer: &cloudwatch.EventTargetInputTransformerArgs{
			InputPaths:    pulumi.ToStringMap(a.InputPaths),
			InputTemplate: pulumi.String(a.InputTemplate),
		},
		RetryPolicy: &cloudwatch.EventTargetRetryPolicyArgs{
			MaximumEventAgeInSeconds: pulumi.Int(24 * 3600),
			MaximumRetryAttempts:     pulumi.Int(185),
		},
		DeadLetterConfig: &cloudwatch.EventTargetDeadLetterConfigArgs{Arn: dlq.Arn},
	}, child...)
	return rule, err
}

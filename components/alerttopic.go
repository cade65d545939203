package components

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/kms"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/sns"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// AlertTopicType is the type token of AlertTopic.
const AlertTopicType = "landingzone:audit:AlertTopic"

// Service principals that publish alerts.
const (
	CloudWatchPrincipal  = "cloudwatch.amazonaws.com"
	EventBridgePrincipal = "events.amazonaws.com"
)

// AlertTopicArgs configures an alert topic.
type AlertTopicArgs struct {
	Account
	TopicName string
	KeyAlias  string // without "alias/"
	Emails    []string
	// SecretEmails keeps the addresses secret in state (the stack stores them as secrets).
	SecretEmails bool
	// PagingURL, when set, is subscribed over HTTPS: a paging service's
	// integration URL (PagerDuty, Opsgenie), a credential kept secret in state.
	PagingURL string
	// Publishers are the service principals allowed to publish (and to use
	// the key), each only for alarms or rules of this account and region.
	Publishers []string
}

// AlertTopic is an SNS topic encrypted with a customer key. CloudWatch alarms
// and EventBridge rules can publish to it (a topic under the AWS-managed SNS
// key silently drops their messages), and its email subscribers get the alerts.
// Alarms and rules must live in the topic's account and region.
type AlertTopic struct {
	pulumi.ResourceState

	Topic *sns.Topic
	Key   *kms.Key
	Arn   pulumi.StringOutput
}

func (a *AlertTopicArgs) validate() error {
	e := &argErrors{component: "AlertTopic"}
	a.Account.check(e, "")
	for _, v := range [][2]string{{"TopicName", a.TopicName}, {"KeyAlias", a.KeyAlias}} {
		e.require(v[0], v[1])
	}
	for i, p := range a.Publishers {
		if p != CloudWatchPrincipal && p != EventBridgePrincipal {
			e.add(fmt.Sprintf("Publishers[%d]", i), "%q is not supported; use %s or %s", p, CloudWatchPrincipal, EventBridgePrincipal)
		}
	}
	if len(a.Publishers) == 0 {
		e.add("Publishers", "required: name at least one service that publishes")
	}
	return e.err()
}

func (a *AlertTopicArgs) topicArn() string {
	return arn(a.Partition, "sns", a.Region, a.AccountID, a.TopicName)
}

// sourceConditions limit a publisher to this account's alarms or rules.
func (a *AlertTopicArgs) sourceConditions(principal string) Conditions {
	source := arn(a.Partition, "cloudwatch", a.Region, a.AccountID, "alarm:*")
	if principal == EventBridgePrincipal {
		source = arn(a.Partition, "events", a.Region, a.AccountID, "rule/*")
	}
	return Conditions{
		"StringEquals": {"aws:SourceAccount": a.AccountID},
		"ArnLike":      {"aws:SourceArn": source},
	}
}

// keyConditions are the key-policy conditions for a publisher: only those
// its KMS requests carry. The SNS guide ("Enable compatibility between event
// sources from AWS services and encrypted topics") says aws:SourceAccount,
// aws:SourceArn and aws:SourceOrgID are not supported in the key policy for
// EventBridge publishing to an encrypted topic: a statement conditioned on
// them denies every delivery. EventBridge is scoped by the topic policy,
// which does see the rule's ARN; CloudWatch alarms send both keys.
func (a *AlertTopicArgs) keyConditions(principal string) Conditions {
	if principal == EventBridgePrincipal {
		return nil
	}
	return a.sourceConditions(principal)
}

// NewAlertTopic creates the key, the topic, its policy and the email subscriptions.
func NewAlertTopic(ctx *pulumi.Context, name string, args *AlertTopicArgs, opts ...pulumi.ResourceOption) (_ *AlertTopic, err error) {
	if args == nil {
		return nil, errNilArgs("AlertTopic")
	}
	defer wrapChildError(&err, "AlertTopic", name)
	if err := args.validate(); err != nil {
		return nil, err
	}
	c := &AlertTopic{}
	if err := ctx.RegisterComponentResource(AlertTopicType, name, c, opts...); err != nil {
		return nil, err
	}
	child := children(c, args.Provider)
	var keyStatements, topicStatements []Statement
	for _, p := range args.Publishers {
		keyStatements = append(keyStatements, allow("PublisherUsesKey"+sidSuffix(p), service(p),
			[]string{"kms:GenerateDataKey*", "kms:Decrypt"}, []string{"*"}, args.keyConditions(p)))
		topicStatements = append(topicStatements, allow("PublisherPublishes"+sidSuffix(p), service(p),
			[]string{"sns:Publish"}, []string{args.topicArn()}, args.sourceConditions(p)))
	}
	c.Key, err = newKey(ctx, name+"-key", KeyArgs{
		Description: "Encrypts the security alert topic " + args.TopicName + " (Security Hub SNS.1)",
		Alias:       args.KeyAlias,
		Partition:   args.Partition,
		AccountID:   args.AccountID,
		Statements:  keyStatements,
	}, child...)
	if err != nil {
		return nil, err
	}
	c.Topic, err = sns.NewTopic(ctx, name, &sns.TopicArgs{
		Name:           pulumi.String(args.TopicName),
		DisplayName:    pulumi.String("Security alerts"),
		KmsMasterKeyId: c.Key.Arn,
	}, child...)
	if err != nil {
		return nil, err
	}
	topicStatements = append(topicStatements, denyInsecureTransport("sns:Publish", args.topicArn()))
	if _, err := sns.NewTopicPolicy(ctx, name+"-policy", &sns.TopicPolicyArgs{
		Arn:    c.Topic.Arn,
		Policy: pulumi.String(policy(topicStatements...).JSON()),
	}, child...); err != nil {
		return nil, err
	}
	for i, email := range args.Emails {
		endpoint := pulumi.String(email).ToStringOutput()
		if args.SecretEmails {
			endpoint = pulumi.ToSecret(endpoint).(pulumi.StringOutput)
		}
		if _, err := sns.NewTopicSubscription(ctx, fmt.Sprintf("%s-email-%d", name, i), &sns.TopicSubscriptionArgs{
			Topic:    c.Topic.Arn,
			Protocol: pulumi.String("email"),
			Endpoint: endpoint,
		}, child...); err != nil {
			return nil, err
		}
	}
	if args.PagingURL != "" {
		if _, err := sns.NewTopicSubscription(ctx, name+"-paging", &sns.TopicSubscriptionArgs{
			Topic:    c.Topic.Arn,
			Protocol: pulumi.String("https"),
			Endpoint: pulumi.ToSecret(pulumi.String(args.PagingURL)).(pulumi.StringOutput),
			// The integration confirms the subscription itself (SNS sends
			// it a SubscriptionConfirmation it answers).
			EndpointAutoConfirms: pulumi.Bool(true),
		}, child...); err != nil {
			return nil, err
		}
	}
	c.Arn = c.Topic.Arn
	return c, ctx.RegisterResourceOutputs(c, pulumi.Map{"arn": c.Arn, "keyArn": c.Key.Arn})
}

// sidSuffix turns "events.amazonaws.com" into "Events" for statement IDs.
func sidSuffix(principal string) string {
	if principal == EventBridgePrincipal {
		return "EventBridge"
	}
	return "CloudWatch"
}

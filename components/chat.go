package components

import (
	"fmt"
	"slices"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/chatbot"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// ChatChannelsType is the type token of ChatChannels.
const ChatChannelsType = "landingzone:audit:ChatChannels"

// ChatbotRegions are the regions the AWS Chatbot (Amazon Q Developer in
// chat applications) API is offered in (AWS CLI reference, chatbot).
var ChatbotRegions = []string{"us-east-2", "us-west-2", "eu-west-1", "ap-southeast-1"}

// SlackChannel is a Slack channel, in a workspace already authorized in the
// account's Chatbot console.
type SlackChannel struct {
	Name, WorkspaceID, ChannelID string
}

// TeamsChannel is a Microsoft Teams channel, its team already authorized in
// the account's Chatbot console; ChannelID is URL-encoded, as the API takes it.
type TeamsChannel struct {
	Name, TenantID, TeamID, ChannelID string
}

// ChatChannelsArgs configures the chat channels one account's alert topics
// notify. Chatbot subscribes a channel only to topics of its own account.
type ChatChannelsArgs struct {
	Account
	Prefix string
	// TopicArns are the account's alert topics, in any region.
	TopicArns []pulumi.StringInput
	Slack     []SlackChannel
	Teams     []TeamsChannel
}

// ChatChannels delivers an account's alerts to Slack and Teams channels.
// The channel role may only read CloudWatch alarms and metrics (to show an
// alarm's graph), the guardrail is CloudWatch read-only, and each user must
// bring a role of their own to run anything from the channel.
type ChatChannels struct {
	pulumi.ResourceState
}

// NewChatChannels creates the channel role and one configuration per channel.
func NewChatChannels(ctx *pulumi.Context, name string, args *ChatChannelsArgs, opts ...pulumi.ResourceOption) (_ *ChatChannels, err error) {
	if args == nil {
		return nil, errNilArgs("ChatChannels")
	}
	defer wrapChildError(&err, "ChatChannels", name)
	if err := args.check(); err != nil {
		return nil, err
	}
	c := &ChatChannels{}
	if err := ctx.RegisterComponentResource(ChatChannelsType, name, c, opts...); err != nil {
		return nil, err
	}
	child := children(c, args.Provider)
	names := Names{args.Prefix}
	role, rolePolicy, err := newChatbotRole(ctx, name, args, names, child)
	if err != nil {
		return nil, err
	}
	// The guardrail caps what any role may do from the channel, a user's
	// own included.
	guardrail := pulumi.ToStringArray([]string{fmt.Sprintf("arn:%s:iam::aws:policy/CloudWatchReadOnlyAccess", args.Partition)})
	topics := pulumi.StringArray(slices.Clone(args.TopicArns))
	after := append(slices.Clone(child), pulumi.DependsOn([]pulumi.Resource{rolePolicy}))
	for _, s := range args.Slack {
		if _, err := chatbot.NewSlackChannelConfiguration(ctx, name+"-slack-"+s.Name, &chatbot.SlackChannelConfigurationArgs{
			ConfigurationName:         pulumi.String(names.ChatChannel(s.Name)),
			IamRoleArn:                role.Arn,
			SlackTeamId:               pulumi.String(s.WorkspaceID),
			SlackChannelId:            pulumi.String(s.ChannelID),
			SnsTopicArns:              topics,
			GuardrailPolicyArns:       guardrail,
			LoggingLevel:              pulumi.String("ERROR"),
			UserAuthorizationRequired: pulumi.Bool(true),
		}, after...); err != nil {
			return nil, err
		}
	}
	for _, t := range args.Teams {
		if _, err := chatbot.NewTeamsChannelConfiguration(ctx, name+"-teams-"+t.Name, &chatbot.TeamsChannelConfigurationArgs{
			ConfigurationName:         pulumi.String(names.ChatChannel(t.Name)),
			IamRoleArn:                role.Arn,
			TenantId:                  pulumi.String(t.TenantID),
			TeamId:                    pulumi.String(t.TeamID),
			ChannelId:                 pulumi.String(t.ChannelID),
			SnsTopicArns:              topics,
			GuardrailPolicyArns:       guardrail,
			LoggingLevel:              pulumi.String("ERROR"),
			UserAuthorizationRequired: pulumi.Bool(true),
		}, after...); err != nil {
			return nil, err
		}
	}
	return c, ctx.RegisterResourceOutputs(c, pulumi.Map{})
}

// check refuses incomplete arguments, every problem at once.
func (args *ChatChannelsArgs) check() error {
	e := &argErrors{component: "ChatChannels"}
	args.Account.check(e, "")
	e.require("Prefix", args.Prefix)
	if len(args.TopicArns) == 0 {
		e.add("TopicArns", "required: the alert topics the channels receive")
	}
	for i, s := range args.Slack {
		for _, v := range [][2]string{{"Name", s.Name}, {"WorkspaceID", s.WorkspaceID}, {"ChannelID", s.ChannelID}} {
			e.require(fmt.Sprintf("Slack[%d].%s", i, v[0]), v[1])
		}
	}
	for i, t := range args.Teams {
		for _, v := range [][2]string{{"Name", t.Name}, {"TenantID", t.TenantID}, {"TeamID", t.TeamID}, {"ChannelID", t.ChannelID}} {
			e.require(fmt.Sprintf("Teams[%d].%s", i, v[0]), v[1])
		}
	}
	return e.err()
}

// newChatbotRole creates the role the channels use, which may only read
// CloudWatch alarms and metrics, and returns it with its policy.
func newChatbotRole(ctx *pulumi.Context, name string, args *ChatChannelsArgs, names Names, child []pulumi.ResourceOption) (*iam.Role, pulumi.Resource, error) {
	trust := policy(allow("ChatbotAssumesRole", service("chatbot.amazonaws.com"), []string{"sts:AssumeRole"}, nil,
		Conditions{"StringEquals": {"aws:SourceAccount": args.AccountID}}))
	role, err := iam.NewRole(ctx, name+"-role", &iam.RoleArgs{
		Name:             pulumi.String(names.ChatbotRole()),
		Description:      pulumi.String("AWS Chatbot shows alert notifications, with the alarm's graph, in chat channels"),
		AssumeRolePolicy: pulumi.String(trust.JSON()),
	}, child...)
	if err != nil {
		return nil, nil, err
	}
	read := policy(allow("ReadAlarmsForNotifications", nil,
		[]string{"cloudwatch:DescribeAlarms", "cloudwatch:GetMetricData", "cloudwatch:GetMetricStatistics", "cloudwatch:ListMetrics"}, []string{"*"}, nil))
	rolePolicy, err := iam.NewRolePolicy(ctx, name+"-role-policy", &iam.RolePolicyArgs{
		Role: role.Name, Name: pulumi.String("read-alarms"), Policy: pulumi.String(read.JSON()),
	}, child...)
	if err != nil {
		return nil, nil, err
	}
	return role, rolePolicy, nil
}

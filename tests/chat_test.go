package tests

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/example/landing-zone-audit/config"
	"github.com/example/landing-zone-audit/internal/plan"
)

const (
	typeSlackChannel = typeSlackChannelConfiguration
	typeTeamsChannel = typeTeamsChannelConfiguration
)

var exampleChat = map[string]any{
	"slack": []any{map[string]any{"name": "security-alerts", "workspaceId": "T07EA123LEP", "channelId": "C07EZ1ABC23"}},
	"teams": []any{map[string]any{
		"name": "soc", "tenantId": "1f2e3d4c-5b6a-4978-8a9b-0c1d2e3f4a5b", "teamId": "9a8b7c6d-5e4f-4321-9876-543210fedcba",
		"channelId": "19:0a1b2c3d4e5f@thread.tacv2",
	}},
}

// Chat delivery through AWS Chatbot: a configuration per channel in each
// account with alert topics — Chatbot subscribes a channel only to topics of
// its own account (Chatbot administrator guide, "Using Amazon SNS topics") —
// in a region Chatbot's API is in; the channel role may only read CloudWatch
// alarms and metrics, the guardrail is CloudWatch read-only (never
// administrator or the account-wide ReadOnlyAccess), and every user needs a
// role of their own to run anything.
func TestChatDelivery(t *testing.T) {
	t.Parallel()
	p := runPlan(t, with(exampleConfig(t), "chat", exampleChat))
	configs := append(p.ByType(typeSlackChannel), p.ByType(typeTeamsChannel)...)
	require.Len(t, configs, 4, "two channels in management and in security")
	for _, c := range configs {
		assert.Equal(t, "eu-west-1", c.Region, "the governed region Chatbot's API is in: %s", c.URN)
		assert.Equal(t, []any{"arn:aws:iam::aws:policy/CloudWatchReadOnlyAccess"}, c.Inputs["guardrailPolicyArns"], c.URN)
		assert.Equal(t, true, c.Inputs["userAuthorizationRequired"], c.URN)
		topics := c.Inputs["snsTopicArns"].([]any)
		for _, topic := range topics {
			assert.Contains(t, topic, ":"+c.AccountID+":", "a channel hears only its own account's topics: %s", c.URN)
		}
		switch c.Account {
		case "management":
			assert.Equal(t, []any{alertTopicArn}, topics, "the alarms' topic")
		case "security":
			assert.ElementsMatch(t, []any{
				"arn:aws:sns:eu-west-2:" + prodSecurityID + ":acme-findings-chat", "arn:aws:sns:eu-west-2:" + prodSecurityID + ":acme-alert-delivery-failures",
				"arn:aws:sns:eu-west-1:" + prodSecurityID + ":acme-findings-chat", "arn:aws:sns:eu-west-1:" + prodSecurityID + ":acme-alert-delivery-failures",
			}, topics, "the finding alerts (as chat notifications) and delivery failures of every governed region")
		default:
			t.Errorf("a chat configuration in %s", c.Account)
		}
	}
	teams := one(t, p, typeTeamsChannel, "chat-security-teams-soc")
	assert.Equal(t, "19%3A0a1b2c3d4e5f%40thread.tacv2", teams.Inputs["channelId"], "URL-encoded, as the API takes it")
	assert.Equal(t, "acme-soc", teams.Inputs["configurationName"])

	for _, alias := range []string{"management", "security"} {
		role := one(t, p, typeRole, "chat-"+alias+"-role")
		trust := sid(t, policyOf(t, role, "assumeRolePolicy"), "ChatbotAssumesRole")
		assert.Equal(t, stringList{"chatbot.amazonaws.com"}, trust.Principal.Service)
		assert.Equal(t, role.AccountID, trust.Condition["StringEquals"]["aws:SourceAccount"])
		for _, s := range policyOf(t, one(t, p, typeRolePolicy, "chat-"+alias+"-role-policy"), "policy") {
			for _, action := range s.Action {
				assert.True(t, strings.HasPrefix(action, "cloudwatch:Describe") || strings.HasPrefix(action, "cloudwatch:Get") || strings.HasPrefix(action, "cloudwatch:List"),
					"the channel role only reads CloudWatch: %s", action)
			}
		}
	}
	var out strings.Builder
	require.NoError(t, p.Write(&out, "table"))
	assert.Contains(t, out.String(), "authorize the Slack workspace or Teams team in the AWS Chatbot console of security ("+prodSecurityID+")")

	// A stack governing no Chatbot region gets one more provider per account there.
	far := runPlan(t, with(with(with(exampleConfig(t), "governedRegions", []string{"eu-west-2"}), "chat", exampleChat), "homeRegion", "eu-west-2"))
	for _, c := range far.ByType(typeSlackChannel) {
		assert.Equal(t, "us-east-2", c.Region, "the Chatbot console's region")
	}
}

// transform does what EventBridge's input transformer does with a target's
// inputPaths and a JSON inputTemplate whose placeholders stand unquoted:
// each <name> becomes the JSON value at its path.
func transform(t *testing.T, target plan.Resource, event map[string]any) string {
	t.Helper()
	out := input(target, "inputTransformer.inputTemplate").(string)
	for name, path := range input(target, "inputTransformer.inputPaths").(map[string]any) {
		var cur any = event
		for _, part := range strings.Split(strings.TrimPrefix(path.(string), "$."), ".") {
			if i := strings.Index(part, "["); i >= 0 {
				cur = cur.(map[string]any)[part[:i]].([]any)[0]
				continue
			}
			cur = cur.(map[string]any)[part]
		}
		value, err := json.Marshal(cur)
		require.NoError(t, err)
		out = strings.ReplaceAll(out, "<"+name+">", string(value))
	}
	return out
}

// Chatbot shows only the event formats it knows and custom notifications
// (Chatbot administrator guide, "Custom notifications": version "1.0",
// source "custom", content.description required); plain text published to
// a topic it watches is dropped. So each finding rule has a second target,
// the chat topic, whose input the transformer turns into a custom
// notification; the email topic keeps its one-line text.
func TestChatNotificationsAreCustomNotifications(t *testing.T) {
	t.Parallel()
	p := runPlan(t, with(exampleConfig(t), "chat", exampleChat))
	cases := map[string]map[string]any{
		"guardduty-eu-west-2-findings-chat-target": readFixture(t, "guardduty", "high-crypto-mining.json"),
		"securityhub-findings-chat-target":         readFixture(t, "securityhub", "critical.json"),
	}
	for name, event := range cases {
		target := one(t, p, typeEventTarget, name)
		assert.Contains(t, target.Inputs["arn"], ":acme-findings-chat", name)
		assert.NotEmpty(t, input(target, "deadLetterConfig.arn"), "undelivered chat alerts are kept too: %s", name)
		var n struct {
			Version, Source string
			Content         struct {
				TextType, Title, Description string
				Keywords                     []string
			}
		}
		message := transform(t, target, event)
		require.NoError(t, json.Unmarshal([]byte(message), &n), "%s: %s", name, message)
		assert.Equal(t, "1.0", n.Version)
		assert.Equal(t, "custom", n.Source)
		assert.NotEmpty(t, n.Content.Title)
		assert.NotEmpty(t, n.Content.Description, "the finding's title")
		assert.NotEmpty(t, n.Content.Keywords, "account, region and finding ID")
	}
	for _, r := range runPlan(t, exampleConfig(t)).ByType(typeEventTarget) {
		assert.NotContains(t, r.Name, "chat", "no chat target without chat channels")
	}
}

// Bad chat settings are reported by key, all at once.
func TestChatValidation(t *testing.T) {
	t.Parallel()
	_, err := config.Load(with(exampleConfig(t), "chat", map[string]any{
		"region": "eu-west-2",
		"slack": []any{
			map[string]any{"name": "alerts", "channelId": "C07EZ1ABC23"},
			map[string]any{"name": "alerts", "workspaceId": "T07EA123LEP", "channelId": "#security"},
		},
		"teams": []any{map[string]any{"name": "soc", "tenantId": "tenant", "teamId": "9a8b7c6d-5e4f-4321-9876-543210fedcba", "channelId": "general"}},
	}))
	require.Error(t, err)
	for _, want := range []string{
		`chat.region: "eu-west-2" does not offer the AWS Chatbot API`,
		`chat.slack[0].workspaceId: "" is not a Slack workspace ID; authorize the workspace once`,
		`chat.slack[1].name: "alerts" is also chat.slack[0]`,
		`chat.slack[1].channelId: "#security" is not a Slack channel ID`,
		`chat.teams[0].tenantId: "tenant" is not a Microsoft Entra tenant ID`,
		`chat.teams[0].channelId: "general" is not a Teams channel ID`,
	} {
		assert.Contains(t, err.Error(), "landing-zone-audit:"+want)
	}
}

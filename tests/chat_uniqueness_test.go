package tests

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/example/landing-zone-audit/internal/plan"
)

// Two entries that map to one AWS object fail the deploy, so both are
// refused by key, every one at once, and nothing is planned:
//   - one Slack channel under two names: AWS Chatbot configures a Slack
//     channel once per account and refuses the second with "Slack channel
//     ... has already been configured" (this stack configures every channel
//     in each account with alert topics);
//   - two Teams channels of one team: the AWS provider finds a Teams channel
//     configuration through ListMicrosoftTeamsChannelConfigurations filtered
//     by team ID and fails with "too many results" once a team has two
//     (terraform-provider-aws PR 47039, teams_channel_configuration.go).
//
// Channel and team IDs are compared without regard to case.
func TestChatChannelsThatMapToOneObject(t *testing.T) {
	t.Parallel()
	const tenant, team = "1f2e3d4c-5b6a-4978-8a9b-0c1d2e3f4a5b", "9a8b7c6d-5e4f-4321-9876-543210fedcba"
	_, err := plan.Run(stackProgram, "prod", with(exampleConfig(t), "chat", map[string]any{
		"slack": []any{
			map[string]any{"name": "security-alerts", "workspaceId": "T07EA123LEP", "channelId": "C07EZ1ABC23"},
			map[string]any{"name": "soc-alerts", "workspaceId": "T07EA123LEP", "channelId": "c07ez1abc23"},
			map[string]any{"name": "other-workspace", "workspaceId": "T99EA123LEP", "channelId": "C07EZ1ABC23"},
		},
		"teams": []any{
			map[string]any{"name": "soc", "tenantId": tenant, "teamId": team, "channelId": "19:0a1b2c3d4e5f@thread.tacv2"},
			map[string]any{"name": "soc-pager", "tenantId": tenant, "teamId": "9A8B7C6D-5E4F-4321-9876-543210FEDCBA", "channelId": "19:ffff2c3d4e5f@thread.tacv2"},
			map[string]any{"name": "dev", "tenantId": tenant, "teamId": "0a8b7c6d-5e4f-4321-9876-543210fedcba", "channelId": "19:aaaa2c3d4e5f@thread.tacv2"},
		},
	}))
	require.Error(t, err)
	assert.Contains(t, err.Error(), `landing-zone-audit:chat.slack[1].channelId: "c07ez1abc23" in workspace "T07EA123LEP" is also chat.slack[0]; AWS Chatbot configures a Slack channel once per account and refuses the second ("Slack channel ... has already been configured"); list the channel once, under one name`)
	assert.Contains(t, err.Error(), `landing-zone-audit:chat.teams[1].teamId: "9A8B7C6D-5E4F-4321-9876-543210FEDCBA" is also the team of chat.teams[0]; the AWS provider finds a Teams channel configuration by its team and fails when one team has two (terraform-provider-aws PR 47039); deliver to one channel per team`)
	assert.NotContains(t, err.Error(), "chat.slack[2]", "the same channel ID in another workspace is another channel")
	assert.NotContains(t, err.Error(), "chat.teams[2]", "another team")
}

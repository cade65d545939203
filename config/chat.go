package config

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/example/landing-zone-audit/components"
)

// Chat configures alert delivery to chat channels through AWS Chatbot
// (Amazon Q Developer in chat applications) (key chat).
type Chat struct {
	// Region is where the Chatbot configurations are created: one of
	// components.ChatbotRegions. Empty: the first governed region among
	// them, or us-east-2, where the Chatbot console is.
	Region string         `json:"region"`
	Slack  []SlackChannel `json:"slack"`
	Teams  []TeamsChannel `json:"teams"`
}

// SlackChannel is a Slack channel (chat.slack).
type SlackChannel struct {
	Name        string `json:"name"`
	WorkspaceID string `json:"workspaceId"`
	ChannelID   string `json:"channelId"`
}

// TeamsChannel is a Microsoft Teams channel (chat.teams).
type TeamsChannel struct {
	Name      string `json:"name"`
	TenantID  string `json:"tenantId"`
	TeamID    string `json:"teamId"`
	ChannelID string `json:"channelId"`
}

// Patterns of the IDs Chatbot takes (API_CreateSlackChannelConfiguration,
// API_CreateMicrosoftTeamsChannelConfiguration).
var (
	chatNamePattern       = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)
	slackWorkspacePattern = regexp.MustCompile(`^[0-9A-Z]{1,255}$`)
	slackChannelPattern   = regexp.MustCompile(`^[A-Za-z0-9]{1,255}$`)
	uuidPattern           = regexp.MustCompile(`^[0-9A-Fa-f]{8}(-[0-9A-Fa-f]{4}){3}-[0-9A-Fa-f]{12}$`)
	teamsChannelPattern   = regexp.MustCompile(`^[A-Za-z0-9_=+/.,-]*%3[aA][A-Za-z0-9_=+/.,-]*%40[A-Za-z0-9_=+/.,-]*$`)
)

// HasChat reports whether any chat channel is configured.
func (c *Config) HasChat() bool { return len(c.Chat.Slack)+len(c.Chat.Teams) > 0 }

// ChatRegion is the region the Chatbot configurations are created in.
func (c *Config) ChatRegion() string {
	if c.Chat.Region != "" {
		return c.Chat.Region
	}
	for _, r := range c.GovernedRegions {
		if slices.Contains(components.ChatbotRegions, r) {
			return r
		}
	}
	return components.ChatbotRegions[0]
}

// ChatAliases are the accounts whose alert topics notify the chat channels:
// security (finding alerts) and management (alarms).
func (c *Config) ChatAliases() []string {
	if !c.HasChat() {
		return nil
	}
	var out []string
	if c.DeploysAlarms() {
		out = append(out, Management)
	}
	if c.DeploysAlertTopics() {
		out = append(out, Security)
	}
	return out
}

// SlackChannels and TeamsChannels are the channels as the component takes
// them; a Teams channel ID copied from its link (19:…@thread.tacv2) is
// URL-encoded as Chatbot's API takes it.
func (c *Config) SlackChannels() []components.SlackChannel {
	var out []components.SlackChannel
	for _, s := range c.Chat.Slack {
		out = append(out, components.SlackChannel{Name: s.Name, WorkspaceID: s.WorkspaceID, ChannelID: s.ChannelID})
	}
	return out
}

func (c *Config) TeamsChannels() []components.TeamsChannel {
	var out []components.TeamsChannel
	for _, t := range c.Chat.Teams {
		out = append(out, components.TeamsChannel{Name: t.Name, TenantID: t.TenantID, TeamID: t.TeamID, ChannelID: teamsChannelID(t.ChannelID)})
	}
	return out
}

func teamsChannelID(id string) string {
	return strings.NewReplacer(":", "%3A", "@", "%40").Replace(id)
}

func (c *Config) validateChat(p *problems) {
	if c.Chat.Region != "" && !slices.Contains(components.ChatbotRegions, c.Chat.Region) {
		p.add("chat.region", "%q does not offer the AWS Chatbot API; use one of %s", c.Chat.Region, strings.Join(components.ChatbotRegions, ", "))
	}
	seen := map[string]string{}
	name := func(key, n string) {
		switch {
		case n == "":
			p.add(key+".name", "required: a name for the channel's configuration, e.g. security-alerts")
		case !chatNamePattern.MatchString(n) || len(n) > components.MaxChatChannelName:
			p.add(key+".name", "%q is not a channel name; use up to %d letters, digits, - and _", n, components.MaxChatChannelName)
		case seen[n] != "":
			p.add(key+".name", "%q is also %s; give each channel its own name", n, seen[n])
		default:
			seen[n] = key
		}
	}
	// Chatbot configures a Slack channel once per account ("Slack channel
	// ... has already been configured"), and the provider finds a Teams
	// channel configuration by its team alone, failing when a team has two
	// (terraform-provider-aws PR 47039): two entries for one channel or team
	// would fail the deploy.
	slackChannels, teams := map[string]string{}, map[string]string{}
	for i, s := range c.Chat.Slack {
		key := fmt.Sprintf("chat.slack[%d]", i)
		name(key, s.Name)
		if s.WorkspaceID != "" && s.ChannelID != "" {
			id := strings.ToUpper(s.WorkspaceID + "/" + s.ChannelID)
			if other, ok := slackChannels[id]; ok {
				p.add(key+".channelId", "%q in workspace %q is also %s; AWS Chatbot configures a Slack channel once per account and refuses the second (\"Slack channel ... has already been configured\"); list the channel once, under one name", s.ChannelID, s.WorkspaceID, other)
			} else {
				slackChannels[id] = key
			}
		}
		if !slackWorkspacePattern.MatchString(s.WorkspaceID) {
			p.add(key+".workspaceId", "%q is not a Slack workspace ID; authorize the workspace once in the AWS Chatbot console of the management and security accounts and copy its ID (T followed by letters and digits)", s.WorkspaceID)
		}
		if !slackChannelPattern.MatchString(s.ChannelID) {
			p.add(key+".channelId", "%q is not a Slack channel ID; copy it from the channel's link (the part after /archives/, e.g. C0123ABCDEF)", s.ChannelID)
		}
	}
	for i, t := range c.Chat.Teams {
		key := fmt.Sprintf("chat.teams[%d]", i)
		name(key, t.Name)
		if t.TeamID != "" {
			id := strings.ToLower(t.TenantID + "/" + t.TeamID)
			if other, ok := teams[id]; ok {
				p.add(key+".teamId", "%q is also the team of %s; the AWS provider finds a Teams channel configuration by its team and fails when one team has two (terraform-provider-aws PR 47039); deliver to one channel per team: remove this entry, or use a channel of another team", t.TeamID, other)
			} else {
				teams[id] = key
			}
		}
		if !uuidPattern.MatchString(t.TenantID) {
			p.add(key+".tenantId", "%q is not a Microsoft Entra tenant ID (a UUID); copy it from the team's link (tenantId=...)", t.TenantID)
		}
		if !uuidPattern.MatchString(t.TeamID) {
			p.add(key+".teamId", "%q is not a Teams team ID (a UUID); copy it from the team's link (groupId=...) after configuring the team in the AWS Chatbot console", t.TeamID)
		}
		if !teamsChannelPattern.MatchString(teamsChannelID(t.ChannelID)) {
			p.add(key+".channelId", "%q is not a Teams channel ID; copy it from the channel's link (19:…@thread.tacv2)", t.ChannelID)
		}
	}
	if c.HasChat() && c.HomeRegion != "" && PartitionOf(c.ChatRegion()) != c.Partition() {
		p.add("chat", "AWS Chatbot's API is offered only in commercial regions (%s), not in partition %s; remove chat", strings.Join(components.ChatbotRegions, ", "), c.Partition())
	}
	if c.HasChat() && len(c.ChatAliases()) == 0 {
		p.add("chat", "no alert topic to deliver: the alarms, GuardDuty and Security Hub are all off")
	}
}

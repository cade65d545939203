package components_test

import (
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/example/landing-zone-audit/components"
	"github.com/example/landing-zone-audit/plan"
)

// The regional services and the chat channels report every missing
// argument at once, naming it, and register nothing.
func TestComponentsRejectMissingArgs(t *testing.T) {
	t.Parallel()
	regions := components.AccountRegions{Regions: []string{"eu-west-1"}}
	admin := components.RegionalAdministration{Management: regions, Security: regions}
	for name, build := range map[string]func(ctx *pulumi.Context) error{
		"DetectiveOrg": func(ctx *pulumi.Context) error {
			_, err := components.NewDetectiveOrg(ctx, "d", &components.DetectiveOrgArgs{RegionalAdministration: admin, Members: []components.OrganizationMember{{AccountID: "111111111111"}}})
			return err
		},
		"MacieOrg": func(ctx *pulumi.Context) error {
			_, err := components.NewMacieOrg(ctx, "m", &components.MacieOrgArgs{RegionalAdministration: admin})
			return err
		},
		"SecurityLake": func(ctx *pulumi.Context) error {
			_, err := components.NewSecurityLake(ctx, "l", &components.SecurityLakeArgs{
				AccountRegions: components.AccountRegions{Regions: []string{"eu-west-1"}}, HomeRegion: "eu-west-1", RollupRegion: "us-east-1",
				Subscribers: []components.SecurityLakeSubscriber{{Name: "siem"}},
			})
			return err
		},
		"ChatChannels": func(ctx *pulumi.Context) error {
			_, err := components.NewChatChannels(ctx, "c", &components.ChatChannelsArgs{Slack: []components.SlackChannel{{Name: "a"}}})
			return err
		},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			rec := plan.NewRecorder(nil, "components", "test")
			err := pulumi.RunErr(build, pulumi.WithMocks("components", "test", rec))
			require.Error(t, err)
			switch name {
			case "DetectiveOrg":
				for _, want := range []string{"Management.Providers[eu-west-1]", "Security.Providers[eu-west-1]", "Security.AccountID", "GuardDutyDetectors[eu-west-1]", "Members[0].Email"} {
					assert.Contains(t, err.Error(), want)
				}
			case "MacieOrg":
				assert.Contains(t, err.Error(), "FindingPublishingFrequency")
			case "SecurityLake":
				for _, want := range []string{"ManagementProvider", "Providers[eu-west-1]", `RollupRegion: "us-east-1"`, "AccountID", "Partition", "Prefix", "EnablerRoleArn",
					"Sources: required", "Subscribers[0].AccountID", "Subscribers[0].ExternalID", "Subscribers[0].AccessType"} {
					assert.Contains(t, err.Error(), want)
				}
			case "ChatChannels":
				for _, want := range []string{"Provider", "TopicArns", "Slack[0].WorkspaceID", "Slack[0].ChannelID"} {
					assert.Contains(t, err.Error(), want)
				}
			}
			assert.Empty(t, rec.Resources(), "nothing registered")
		})
	}
}

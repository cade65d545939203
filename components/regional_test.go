package components_test

import (
	"errors"
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/example/landing-zone-audit/components"
	"github.com/example/landing-zone-audit/internal/plan"
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
			_, err := components.NewMacieOrg(ctx, "m", &components.MacieOrgArgs{RegionalAdministration: admin, Results: &components.MacieResults{}})
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
				for _, want := range []string{"FindingPublishingFrequency", "Results.Bucket.Provider", "Results.BucketName", "Results.KeyAlias"} {
					assert.Contains(t, err.Error(), want)
				}
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

// Every constructor answers nil arguments with an error naming the
// component, and registers nothing: no input makes a component panic.
func TestComponentsRejectNilArgs(t *testing.T) {
	t.Parallel()
	constructors := map[string]func(ctx *pulumi.Context) error{
		"AccessAnalyzerOrg": func(ctx *pulumi.Context) error { _, err := components.NewAccessAnalyzerOrg(ctx, "x", nil); return err },
		"ElevatedRoleAlarm": func(ctx *pulumi.Context) error { _, err := components.NewElevatedRoleAlarm(ctx, "x", nil); return err },
		"CISAlarms":         func(ctx *pulumi.Context) error { _, err := components.NewCISAlarms(ctx, "x", nil); return err },
		"AlertTopic":        func(ctx *pulumi.Context) error { _, err := components.NewAlertTopic(ctx, "x", nil); return err },
		"ChatChannels":      func(ctx *pulumi.Context) error { _, err := components.NewChatChannels(ctx, "x", nil); return err },
		"CloudTrailLake":    func(ctx *pulumi.Context) error { _, err := components.NewCloudTrailLake(ctx, "x", nil); return err },
		"ConfigAggregator":  func(ctx *pulumi.Context) error { _, err := components.NewConfigAggregator(ctx, "x", nil); return err },
		"ConfigBucket":      func(ctx *pulumi.Context) error { _, err := components.NewConfigBucket(ctx, "x", nil); return err },
		"ConfigOrgRules":    func(ctx *pulumi.Context) error { _, err := components.NewConfigOrgRules(ctx, "x", nil); return err },
		"ConfigRecorder":    func(ctx *pulumi.Context) error { _, err := components.NewConfigRecorder(ctx, "x", nil); return err },
		"DetectiveOrg":      func(ctx *pulumi.Context) error { _, err := components.NewDetectiveOrg(ctx, "x", nil); return err },
		"GuardDutyOrg":      func(ctx *pulumi.Context) error { _, err := components.NewGuardDutyOrg(ctx, "x", nil); return err },
		"InspectorOrg":      func(ctx *pulumi.Context) error { _, err := components.NewInspectorOrg(ctx, "x", nil); return err },
		"LogBucket":         func(ctx *pulumi.Context) error { _, err := components.NewLogBucket(ctx, "x", nil); return err },
		"MacieOrg":          func(ctx *pulumi.Context) error { _, err := components.NewMacieOrg(ctx, "x", nil); return err },
		"MemberBaseline":    func(ctx *pulumi.Context) error { _, err := components.NewMemberBaseline(ctx, "x", nil); return err },
		"OrgTrail":          func(ctx *pulumi.Context) error { _, err := components.NewOrgTrail(ctx, "x", nil); return err },
		"SecurityHubOrg":    func(ctx *pulumi.Context) error { _, err := components.NewSecurityHubOrg(ctx, "x", nil); return err },
		"SecurityLake":      func(ctx *pulumi.Context) error { _, err := components.NewSecurityLake(ctx, "x", nil); return err },
	}
	for name, build := range constructors {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			rec := plan.NewRecorder(nil, "components", "test")
			err := pulumi.RunErr(build, pulumi.WithMocks("components", "test", rec))
			require.Error(t, err)
			assert.Contains(t, err.Error(), name+": args: required")
			assert.Empty(t, rec.Resources(), "nothing registered")
		})
	}
}

// failingCalls is the recording mock with every provider function failing,
// as AWS Organizations does for an account that administers nothing
// (ListDelegatedServicesForAccount: AccountNotRegisteredException).
type failingCalls struct{ *plan.Recorder }

func (failingCalls) Call(args pulumi.MockCallArgs) (resource.PropertyMap, error) {
	return nil, errors.New("AccountNotRegisteredException")
}

// An error from creating a component's children names the component and its
// name, then what it was doing, then the fix.
func TestComponentErrorsSayWhereTheyCameFrom(t *testing.T) {
	t.Parallel()
	rec := plan.NewRecorder(nil, "components", "test")
	err := pulumi.RunErr(func(ctx *pulumi.Context) error {
		p, err := aws.NewProvider(ctx, "aws-test", &aws.ProviderArgs{Region: pulumi.String("eu-west-1")})
		if err != nil {
			return err
		}
		lake := components.AccountRegions{Providers: map[string]pulumi.ProviderResource{"eu-west-1": p}, Regions: []string{"eu-west-1"}, AccountID: testAccount, Partition: "aws"}
		_, err = components.NewSecurityLake(ctx, "lake", &components.SecurityLakeArgs{
			ManagementProvider: p, AccountRegions: lake, HomeRegion: "eu-west-1", Prefix: "p",
			EnablerRoleArn: "arn:aws:iam::" + testAccount + ":role/admin", Sources: []string{"ROUTE53"},
		})
		return err
	}, pulumi.WithMocks("components", "test", failingCalls{rec}))
	require.Error(t, err)
	assert.Contains(t, err.Error(), `SecurityLake "lake": reading the services account `+testAccount+` administers`)
	assert.Contains(t, err.Error(), "AccountNotRegisteredException")
	assert.Contains(t, err.Error(), "aws securitylake register-data-lake-delegated-administrator --account-id "+testAccount)
}

// The results repository admits the Macie of the administrator's account,
// whichever account holds the bucket: Macie writes as the administrator
// (aws:SourceAccount and aws:SourceArn name the account whose export
// configuration or job it runs, Macie user guide).
func TestMacieResultsAdmitTheAdministrator(t *testing.T) {
	t.Parallel()
	const administrator = "222222222222"
	resources := record(t, func(ctx *pulumi.Context, p pulumi.ProviderResource) error {
		regions := func(id string) components.AccountRegions {
			return components.AccountRegions{Providers: map[string]pulumi.ProviderResource{"eu-west-1": p}, Regions: []string{"eu-west-1"}, AccountID: id, Partition: "aws"}
		}
		_, err := components.NewMacieOrg(ctx, "m", &components.MacieOrgArgs{
			RegionalAdministration:     components.RegionalAdministration{Management: regions("111111111111"), Security: regions(administrator)},
			FindingPublishingFrequency: "ONE_HOUR",
			Results: &components.MacieResults{
				Bucket:     components.Account{Provider: p, AccountID: testAccount, Region: "eu-west-1", Partition: "aws"},
				BucketName: "results-" + testAccount, KeyAlias: "results",
			},
		})
		return err
	})
	for key, sid := range map[string]string{"m-results-policy": "MacieWritesResults", "m-results-key": "MacieEncryptsResults"} {
		grant := statements(t, resources[key], "policy")[sid]
		require.NotNil(t, grant, key)
		cond := grant["Condition"].(map[string]any)
		assert.Equal(t, administrator, cond["StringEquals"].(map[string]any)["aws:SourceAccount"], key)
		assert.ElementsMatch(t, []any{
			"arn:aws:macie2:eu-west-1:" + administrator + ":export-configuration:*", "arn:aws:macie2:eu-west-1:" + administrator + ":classification-job/*",
		}, cond["ArnLike"].(map[string]any)["aws:SourceArn"], key)
	}
}

package tests

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/example/landing-zone-audit/components"
	"github.com/example/landing-zone-audit/config"
)

// AWS Config's cost controls (API_RecordingGroup, API_RecordingStrategy,
// API_ExclusionByResourceTypes, API_RecordingMode): the exclusion strategy
// records every supported type but the excluded ones, and records the global
// IAM types in every region unless excluded, so the regions other than home
// exclude them; recording-mode overrides set another frequency per type. The
// costConscious preset does not record network interfaces and records EBS
// volumes and ECS task definitions daily, in direct recorders and the
// StackSet template alike.
func TestRecordingCostControls(t *testing.T) {
	t.Parallel()
	costConscious := map[string]any{"recording": map[string]any{"frequency": "CONTINUOUS", "preset": "costConscious"}}
	p := runPlan(t, with(exampleConfig(t), "awsConfig", costConscious))
	for _, region := range []string{"eu-west-2", "eu-west-1"} {
		rec := one(t, p, typeRecorder, "config-prod-"+region+"-recorder")
		assert.Equal(t, false, input(rec, "recordingGroup.allSupported"), "the exclusion strategy needs allSupported false")
		assert.Equal(t, "EXCLUSION_BY_RESOURCE_TYPES", input(rec, "recordingGroup.recordingStrategies.0.useOnly"))
		excluded := input(rec, "recordingGroup.exclusionByResourceTypes.0.resourceTypes").([]any)
		assert.Contains(t, excluded, "AWS::EC2::NetworkInterface")
		for _, iam := range components.GlobalIAMTypes {
			if region == "eu-west-2" {
				assert.NotContains(t, excluded, iam, "the home region records the global IAM types")
			} else {
				assert.Contains(t, excluded, iam, "%s excludes %s: global types are recorded once", region, iam)
			}
		}
		assert.Nil(t, input(rec, "recordingGroup.includeGlobalResourceTypes"))
		assert.Equal(t, "CONTINUOUS", input(rec, "recordingMode.recordingFrequency"))
		assert.Equal(t, "DAILY", input(rec, "recordingMode.recordingModeOverride.recordingFrequency"))
		assert.ElementsMatch(t, []any{"AWS::EC2::Volume", "AWS::ECS::TaskDefinition"}, input(rec, "recordingMode.recordingModeOverride.resourceTypes"))
	}

	// The StackSet template records the same way.
	fanned := runPlan(t, with(stacksetOf(exampleConfig(t)), "awsConfig", costConscious))
	var tmpl struct {
		Resources map[string]struct{ Properties map[string]any }
	}
	require.NoError(t, json.Unmarshal([]byte(one(t, fanned, typeStackSet, "member-baseline").Inputs["templateBody"].(string)), &tmpl))
	props := tmpl.Resources["ConfigRecorder"].Properties
	group := props["RecordingGroup"].(map[string]any)
	assert.Equal(t, false, group["AllSupported"])
	assert.Equal(t, "EXCLUSION_BY_RESOURCE_TYPES", group["RecordingStrategy"].(map[string]any)["UseOnly"])
	branches := group["ExclusionByResourceTypes"].(map[string]any)["ResourceTypes"].(map[string]any)["Fn::If"].([]any)
	assert.Equal(t, "RecordsGlobalTypes", branches[0])
	assert.Equal(t, []any{"AWS::EC2::NetworkInterface"}, branches[1], "the home region")
	assert.ElementsMatch(t, []any{"AWS::EC2::NetworkInterface", "AWS::IAM::Group", "AWS::IAM::Policy", "AWS::IAM::Role", "AWS::IAM::User"}, branches[2], "every other region")
	mode := props["RecordingMode"].(map[string]any)
	assert.Equal(t, "CONTINUOUS", mode["RecordingFrequency"])
	override := mode["RecordingModeOverrides"].([]any)[0].(map[string]any)
	assert.Equal(t, "DAILY", override["RecordingFrequency"])
	assert.ElementsMatch(t, []any{"AWS::EC2::Volume", "AWS::ECS::TaskDefinition"}, override["ResourceTypes"])

	// Daily by default, without exclusions: every type, global types once.
	t.Run("daily recording", func(t *testing.T) {
		p := runPlan(t, with(exampleConfig(t), "awsConfig", map[string]any{"recording": map[string]any{"frequency": "DAILY"}}))
		rec := one(t, p, typeRecorder, "config-prod-eu-west-1-recorder")
		assert.Equal(t, true, input(rec, "recordingGroup.allSupported"))
		assert.Equal(t, false, input(rec, "recordingGroup.includeGlobalResourceTypes"))
		assert.Equal(t, "DAILY", input(rec, "recordingMode.recordingFrequency"))
	})
}

// Recording settings AWS Config would refuse are errors naming the key:
// types it does not have (checked against the API's ResourceType list), a
// type both excluded and overridden, daily recording of a type AWS records
// only continuously (API_RecordingMode lists AWS::Config::ResourceCompliance,
// ConformancePackCompliance and ConfigurationRecorder), and overrides of
// different frequencies (the provider takes one override).
func TestRecordingValidation(t *testing.T) {
	t.Parallel()
	_, err := config.Load(with(exampleConfig(t), "awsConfig", map[string]any{"recording": map[string]any{
		"frequency": "HOURLY",
		"overrides": []map[string]any{
			{"resourceTypes": []string{"AWS::EC2::Volum", "AWS::Config::ResourceCompliance", "AWS::S3::Bucket"}, "frequency": "DAILY"},
			{"resourceTypes": []string{"AWS::Lambda::Function"}, "frequency": "CONTINUOUS"},
		},
		"excludedResourceTypes": []string{"AWS::S3::Bucket", "EC2::NetworkInterface"},
		"preset":                "cheap",
	}}))
	require.Error(t, err)
	for _, want := range []string{
		`landing-zone-audit:awsConfig.recording.frequency: "HOURLY" is not a recording frequency`,
		`landing-zone-audit:awsConfig.recording.overrides[0].resourceTypes[0]: "AWS::EC2::Volum" is not a resource type AWS Config records (did you mean "AWS::EC2::Volume"?)`,
		`landing-zone-audit:awsConfig.recording.overrides[0].resourceTypes[1]: AWS::Config::ResourceCompliance is always recorded continuously`,
		`landing-zone-audit:awsConfig.recording.overrides[0].resourceTypes[2]: AWS::S3::Bucket is also in excludedResourceTypes`,
		`landing-zone-audit:awsConfig.recording.overrides[1].frequency: "CONTINUOUS" differs from the other overrides`,
		`landing-zone-audit:awsConfig.recording.excludedResourceTypes[1]: "EC2::NetworkInterface" is not a resource type AWS Config records`,
		`landing-zone-audit:awsConfig.recording.preset: "cheap" is not a preset`,
	} {
		assert.Contains(t, err.Error(), want)
	}
}

// The resource-type list is AWS Config's own: refresh it from the newest
// github.com/aws/aws-sdk-go-v2/service/configservice (types/enums.go, the
// ResourceType enum) when AWS adds types, and update the version and date
// in config/resourcetypes.go.
func TestRecordingResourceTypeListIsCurrent(t *testing.T) {
	t.Parallel()
	assert.Greater(t, len(config.ResourceTypes), 500)
	for _, typ := range []string{"AWS::EC2::NetworkInterface", "AWS::EC2::Volume", "AWS::IAM::Role", "AWS::S3::Bucket", "AWS::Config::ResourceCompliance"} {
		assert.True(t, config.ResourceTypes[typ], typ)
	}
}

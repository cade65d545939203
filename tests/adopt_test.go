package tests

import (
	"testing"

	"github.com/pulumi/pulumi/pkg/v3/resource/deploy"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/example/landing-zone-audit/config"
)

const existingDetector = "0123456789abcdef0123456789abcdef"

// adoptExisting is a brownfield organization: GuardDuty enabled from the
// console in the security account (eu-west-2), a recorder and delivery
// channel an older tool named in dev (eu-west-1), and Security Hub already
// on in the security account.
var adoptExisting = map[string]any{
	"guardDutyDetectors": map[string]any{"security": map[string]any{"eu-west-2": existingDetector}},
	"configRecorders": map[string]any{"dev": map[string]any{
		"eu-west-1": map[string]any{"recorder": "legacy-recorder", "deliveryChannel": "legacy-channel"},
	}},
	"securityHub": true,
}

// AWS allows one detector per account and region (API_CreateDetector: "a
// detector already exists"), one recorder (MaxNumberOfConfigurationRecordersExceeded)
// and one delivery channel per account and region, and CreateHub refuses a
// subscribed account: each adopted one is imported under its existing ID —
// a recorder's and channel's name is its ID, so the stack takes the existing
// name instead of renaming (which replaces) — and nothing else changes.
func TestAdoptImportsWhatExists(t *testing.T) {
	t.Parallel()
	p := runPlan(t, with(exampleConfig(t), "adopt", adoptExisting))
	imports := map[string]string{}
	for _, r := range p.Resources {
		if r.Import != "" {
			imports[r.Name] = r.Import
		}
	}
	assert.Equal(t, map[string]string{
		"guardduty-eu-west-2-security-detector": existingDetector,
		"config-dev-eu-west-1-recorder":         "legacy-recorder",
		"config-dev-eu-west-1-delivery-channel": "legacy-channel",
		"securityhub-hub":                       "arn:aws:securityhub:eu-west-2:" + prodSecurityID + ":hub/default",
	}, imports)
	assert.Equal(t, "legacy-recorder", one(t, p, typeRecorder, "config-dev-eu-west-1-recorder").Inputs["name"], "the existing name, not default")
	assert.Equal(t, "legacy-channel", one(t, p, typeDeliveryChannel, "config-dev-eu-west-1-delivery-channel").Inputs["name"])
	assert.Equal(t, "default", one(t, p, typeRecorder, "config-dev-eu-west-2-recorder").Inputs["name"], "other regions unchanged")
	assert.Contains(t, one(t, p, typeNativeSecurityHubHub, "securityhub-hub").IgnoreChanges, "enableDefaultStandards",
		"default standards matter only when a hub is created")

	// Everything else is the plan without adoption.
	base := runPlan(t, exampleConfig(t))
	assert.Len(t, p.Resources, len(base.Resources))
}

// The engine imports each adopted resource (the provider's Read returns the
// existing state), updates it to the stack's settings where it differs, never
// creates or replaces it, and the second up is a no-op.
func TestEngineAdoptsExistingResources(t *testing.T) {
	t.Parallel()
	s := newEngineStack(t, "../Pulumi.prod.yaml")
	s.set("adopt", adoptExisting)
	s.existing = map[resource.ID]resource.PropertyMap{
		// A console-enabled detector publishes every six hours.
		existingDetector: resource.NewPropertyMapFromMap(map[string]any{"enable": true, "findingPublishingFrequency": "SIX_HOURS"}),
		// The older tool's recorder and channel, delivering to its own bucket.
		"legacy-recorder": resource.NewPropertyMapFromMap(map[string]any{"name": "legacy-recorder", "roleArn": "arn:aws:iam::" + prodDevID + ":role/legacy-config"}),
		"legacy-channel":  resource.NewPropertyMapFromMap(map[string]any{"name": "legacy-channel", "s3BucketName": "legacy-config-bucket"}),
		"arn:aws:securityhub:eu-west-2:" + prodSecurityID + ":hub/default": resource.NewPropertyMapFromMap(map[string]any{"enableDefaultStandards": true}),
	}
	up, err := s.up()
	require.NoError(t, err)
	detector := string(s.state(typeDetector, "guardduty-eu-west-2-security-detector").URN)
	recorder := string(s.state(typeRecorder, "config-dev-eu-west-1-recorder").URN)
	hub := string(s.state(typeNativeSecurityHubHub, "securityhub-hub").URN)
	imported := up.of(deploy.OpImport)
	for _, urn := range []string{detector, recorder, hub} {
		assert.Contains(t, imported, urn)
		assert.Equal(t, 0, s.creates[resource.URN(urn)], "%s adopted, not created", urn)
		assert.NotContains(t, up.of(deploy.OpReplace), urn, "an adopted resource is never replaced")
	}
	assert.Contains(t, up.of(deploy.OpUpdate), detector, "the detector is updated to the stack's frequency after import")
	assert.Contains(t, up.of(deploy.OpUpdate), string(s.state(typeDeliveryChannel, "config-dev-eu-west-1-delivery-channel").URN), "the channel now delivers to the stack's bucket")
	assert.Equal(t, "FIFTEEN_MINUTES", s.state(typeDetector, "guardduty-eu-west-2-security-detector").Inputs["findingPublishingFrequency"].StringValue())

	again, err := s.up()
	require.NoError(t, err)
	assert.Empty(t, again.changes(), "the adopted resources need no further change")
}

// Bad adoptions are all reported at once, each naming its key.
func TestAdoptValidation(t *testing.T) {
	t.Parallel()
	_, err := config.Load(with(exampleConfig(t), "adopt", map[string]any{
		"guardDutyDetectors": map[string]any{
			"security": map[string]any{"eu-west-2": existingDetector, "us-east-1": existingDetector, "eu-west-1": "not-an-id"},
			"prod":     map[string]any{"eu-west-2": "fedcba9876543210fedcba9876543210"},
			"nobody":   map[string]any{"eu-west-2": "fedcba9876543210fedcba9876543210"},
		},
		"configRecorders": map[string]any{"dev": map[string]any{"eu-west-1": map[string]any{"recorder": ""}}},
	}))
	require.Error(t, err)
	for _, want := range []string{
		`adopt.guardDutyDetectors.security.us-east-1: "us-east-1" is not a governed region`,
		`adopt.guardDutyDetectors.security.eu-west-1: "not-an-id" is not a detector ID`,
		`adopt.guardDutyDetectors.prod: the stack creates no detector there`,
		`adopt.guardDutyDetectors.nobody: "nobody" is not an alias under accounts`,
		`adopt.configRecorders.dev.eu-west-1.recorder: "" is not a recorder name`,
	} {
		assert.Contains(t, err.Error(), "landing-zone-audit:"+want)
	}

	_, err = config.Load(with(exampleConfig(t), "adopt", map[string]any{
		"guardDutyDetectors": map[string]any{
			"security":   map[string]any{"eu-west-2": existingDetector},
			"management": map[string]any{"eu-west-2": existingDetector},
		},
	}))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "landing-zone-audit:adopt.guardDutyDetectors.security.eu-west-2: detector "+existingDetector+" is also adopted as adopt.guardDutyDetectors.management.eu-west-2")
}

package tests

import (
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	pulumiconfig "github.com/pulumi/pulumi/sdk/v3/go/common/resource/config"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// pulumi destroy of a stack that adopted what existed before it leaves every
// adopted resource in place: Pulumi's engine never calls the provider's
// Delete for a resource registered with RetainOnDelete (it only drops it
// from the state; pulumi docs, "Resource options: retainOnDelete"), and
// every adopted resource is registered so. The detector, recorder, channel,
// hub and delegated administrator existed before the stack; the recorder
// status of an adopted recorder is kept too, because deleting a status stops
// the recorder (terraform-provider-aws configuration_recorder_status.go
// calls StopConfigurationRecorder). What the stack created besides — the
// other regions' detectors among them — is deleted.
func TestEngineDestroyKeepsAdoptedResources(t *testing.T) {
	t.Parallel()
	s := newEngineStack(t, "../Pulumi.prod.yaml")
	s.set("adopt", adoptExisting)
	s.delegatedAdmins["access-analyzer.amazonaws.com"] = []string{prodSecurityID}
	s.existing = map[resource.ID]resource.PropertyMap{
		existingDetector:  resource.NewPropertyMapFromMap(map[string]any{"enable": true, "findingPublishingFrequency": "SIX_HOURS"}),
		"legacy-recorder": resource.NewPropertyMapFromMap(map[string]any{"name": "legacy-recorder"}),
		"legacy-channel":  resource.NewPropertyMapFromMap(map[string]any{"name": "legacy-channel", "s3BucketName": "legacy-config-bucket"}),
	}
	_, err := s.up()
	require.NoError(t, err)
	kept := map[string]resource.URN{}
	for _, r := range []struct{ typ, name string }{
		{typeDetector, "guardduty-eu-west-2-security-detector"},
		{typeRecorder, "config-dev-eu-west-1-recorder"},
		{typeDeliveryChannel, "config-dev-eu-west-1-delivery-channel"},
		{typeRecorderStatus, "config-dev-eu-west-1-recorder-status"},
		{typeNativeSecurityHubHub, "securityhub-hub"},
		{typeDelegatedAdministrator, "access-analyzer-delegated-admin"},
	} {
		kept[r.name] = s.state(r.typ, r.name).URN
	}
	deleted := []resource.URN{
		s.state(typeDetector, "guardduty-eu-west-1-security-detector").URN,
		s.state(typeRecorderStatus, "config-dev-eu-west-2-recorder-status").URN,
	}

	_, err = s.destroy()
	require.NoError(t, err)
	for name, urn := range kept {
		assert.Zero(t, s.deletes[urn], "destroy deleted the adopted %s", name)
	}
	for _, urn := range deleted {
		assert.Equal(t, 1, s.deletes[urn], "%s was created by the stack and is deleted", urn.Name())
	}
	assert.Empty(t, s.snap.Resources, "the stack's state is empty: the adopted resources are no longer the stack's")
}

// A resource brought in with `pulumi import --file` is, to Pulumi, the
// stack's own, not retained: destroy would delete it. Listing it under adopt
// with the same ID and running pulumi up records it as retained — the
// engine imports nothing for a resource already in the state under that ID,
// so the up changes nothing in AWS — and destroy then keeps it
// (docs/removal.md).
func TestEngineAdoptAfterImportFileKeepsTheResource(t *testing.T) {
	t.Parallel()
	s := newEngineStack(t, "../Pulumi.prod.yaml")
	adopt := map[string]any{"guardDutyDetectors": map[string]any{"security": map[string]any{"eu-west-2": existingDetector}}}
	s.set("adopt", adopt)
	_, err := s.up()
	require.NoError(t, err)
	// The state pulumi import --file leaves: the detector under its own ID,
	// not retained, and no adopt entry.
	detector := s.state(typeDetector, "guardduty-eu-west-2-security-detector")
	require.Equal(t, existingDetector, string(detector.ID))
	detector.RetainOnDelete = false
	delete(s.config, pulumiconfig.MustMakeKey(s.project.Name.String(), "adopt"))
	again, err := s.up()
	require.NoError(t, err)
	require.Empty(t, again.changes())
	require.False(t, s.state(typeDetector, "guardduty-eu-west-2-security-detector").RetainOnDelete)
	reads := s.reads[detector.URN]

	s.set("adopt", adopt)
	up, err := s.up()
	require.NoError(t, err)
	assert.Empty(t, up.changes(), "nothing changes in AWS")
	assert.Equal(t, reads, s.reads[detector.URN], "no second import")
	assert.True(t, s.state(typeDetector, "guardduty-eu-west-2-security-detector").RetainOnDelete, "the state records the retention")

	_, err = s.destroy()
	require.NoError(t, err)
	assert.Zero(t, s.deletes[detector.URN])
}

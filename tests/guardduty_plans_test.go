package tests

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

const (
	typeDetectorFeature       = "aws:guardduty/detectorFeature:DetectorFeature"
	typeMemberDetectorFeature = "aws:guardduty/memberDetectorFeature:MemberDetectorFeature"
)

var runtimeAgents = []string{"EKS_ADDON_MANAGEMENT", "ECS_FARGATE_AGENT_MANAGEMENT", "EC2_AGENT_MANAGEMENT"}

// additionalStatuses maps a feature's additional configurations to their status.
func additionalStatuses(inputs map[string]any) map[string]any {
	out := map[string]any{}
	list, _ := inputs["additionalConfigurations"].([]any)
	for _, c := range list {
		c := c.(map[string]any)
		out[c["name"].(string)] = c["status"]
	}
	return out
}

// The organization configuration (UpdateOrganizationConfiguration) sets the
// members' protection plans; the delegated administrator's own detector is
// set apart, through UpdateDetector (GuardDuty user guide, "Enabling Runtime
// Monitoring for multiple-account environments": "Enable for all accounts"
// covers the organization "including the delegated GuardDuty administrator
// account", the manual path enables it under "Delegated Administrator (this
// account)"; "Enabling S3 Protection in multiple-account environments" has
// a section of its own for the administrator account). The provider's
// detector feature is that UpdateDetector call, an upsert that also applies
// to an adopted detector (terraform-provider-aws guardduty/detector_feature.go:
// Create and Update both call UpdateDetector, Delete does nothing).
func TestGuardDutyPlansReachTheAdministratorsDetector(t *testing.T) {
	t.Parallel()
	src := with(exampleConfig(t), "guardDuty", map[string]any{"features": map[string]bool{"runtimeMonitoring": true, "s3DataEvents": false}})
	// The security detector in eu-west-2 already exists and is adopted.
	p := runPlan(t, with(src, "adopt", map[string]any{"guardDutyDetectors": map[string]any{"security": map[string]any{"eu-west-2": existingDetector}}}))
	want := map[string]string{"S3_DATA_EVENTS": "DISABLED", "EKS_AUDIT_LOGS": "ENABLED", "EBS_MALWARE_PROTECTION": "ENABLED",
		"RDS_LOGIN_EVENTS": "ENABLED", "LAMBDA_NETWORK_LOGS": "ENABLED", "RUNTIME_MONITORING": "ENABLED"}
	for _, region := range []string{"eu-west-2", "eu-west-1"} {
		prefix := "guardduty-" + region
		det := one(t, p, typeDetector, prefix+"-security-detector")
		for name, status := range want {
			f := one(t, p, typeDetectorFeature, prefix+"-security-feature-"+name)
			assert.Equal(t, "security", f.Account, name)
			assert.Equal(t, region, f.Region, name)
			assert.Equal(t, adminDetIDOf(t, p, det), f.Inputs["detectorId"], "the administrator's own detector")
			assert.Equal(t, name, f.Inputs["name"])
			assert.Equal(t, status, f.Inputs["status"], "%s in %s", name, region)
			assert.Empty(t, f.Import, "an upsert: nothing to import, even on an adopted detector")
			assert.True(t, dependsOn(f, one(t, p, typeOrganizationConfigurationFeature, prefix+"-feature-"+name)),
				"after the organization's setting of the same plan, so the two never race on the detector")
		}
		rm := one(t, p, typeDetectorFeature, prefix+"-security-feature-RUNTIME_MONITORING")
		assert.Equal(t, map[string]any{"EKS_ADDON_MANAGEMENT": "ENABLED", "ECS_FARGATE_AGENT_MANAGEMENT": "ENABLED", "EC2_AGENT_MANAGEMENT": "ENABLED"},
			additionalStatuses(rm.Inputs), "the agents are managed as for the members")
	}
	assert.Len(t, p.ByType(typeDetectorFeature), 2*len(want), "organization mode: only the administrator's detectors")
	assert.Empty(t, p.ByType(typeMemberDetectorFeature))
}

// In invitation mode no organization configuration exists: the
// administrator and the management account's standalone detector set their
// own plans (UpdateDetector), and the administrator sets each member's
// once the member has accepted (UpdateMemberDetectors takes "the detector
// ID of the administrator account" and the member account IDs; the
// provider's member detector feature is that call,
// terraform-provider-aws guardduty/member_detector_feature.go).
func TestGuardDutyPlansInInvitationMode(t *testing.T) {
	t.Parallel()
	p := runPlan(t, with(exampleConfig(t), "guardDuty", map[string]any{"mode": "invitation", "features": map[string]bool{"runtimeMonitoring": false, "rdsLoginEvents": false}}))
	for _, region := range []string{"eu-west-2", "eu-west-1"} {
		prefix := "guardduty-" + region
		for _, alias := range []string{"security", "management"} {
			f := one(t, p, typeDetectorFeature, prefix+"-"+alias+"-feature-RDS_LOGIN_EVENTS")
			assert.Equal(t, alias, f.Account)
			assert.Equal(t, "DISABLED", f.Inputs["status"])
			assert.Equal(t, p.Outputs["guardDutyDetectorIds"].(map[string]any)[alias+"/"+region], f.Inputs["detectorId"])
			assert.Equal(t, "ENABLED", one(t, p, typeDetectorFeature, prefix+"-"+alias+"-feature-S3_DATA_EVENTS").Inputs["status"])
			rm := one(t, p, typeDetectorFeature, prefix+"-"+alias+"-feature-RUNTIME_MONITORING")
			assert.Equal(t, "DISABLED", rm.Inputs["status"])
			for _, agent := range runtimeAgents {
				assert.Equal(t, "DISABLED", additionalStatuses(rm.Inputs)[agent], agent)
			}
		}
		adminID := adminDetIDOf(t, p, one(t, p, typeDetector, prefix+"-security-detector"))
		for _, m := range []struct{ alias, id string }{{"logArchive", prodLogArchiveID}, {"prod", prodWorkloadID}, {"dev", prodDevID}} {
			f := one(t, p, typeMemberDetectorFeature, prefix+"-"+m.alias+"-feature-S3_DATA_EVENTS")
			assert.Equal(t, "security", f.Account, "the administrator sets a member's plans")
			assert.Equal(t, adminID, f.Inputs["detectorId"])
			assert.Equal(t, m.id, f.Inputs["accountId"])
			assert.Equal(t, "ENABLED", f.Inputs["status"])
			assert.True(t, dependsOn(f, one(t, p, typeInviteAccepter, prefix+"-"+m.alias+"-accepter")), "once the member has accepted")
			assert.Equal(t, "DISABLED", one(t, p, typeMemberDetectorFeature, prefix+"-"+m.alias+"-feature-RDS_LOGIN_EVENTS").Inputs["status"])
		}
	}
	assert.Len(t, p.ByType(typeDetectorFeature), 2*2*6, "security and management, two regions, six plans")
	assert.Len(t, p.ByType(typeMemberDetectorFeature), 3*2*6, "three members, two regions, six plans")
}

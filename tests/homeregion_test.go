package tests

import (
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/example/landing-zone-audit/config"
	"github.com/example/landing-zone-audit/internal/plan"
)

// optInHome makes region, an opt-in region enabled in every account, the
// home region of the full example.
func optInHome(t *testing.T, region string) config.Source {
	src := loadStackFile(t, "../Pulumi.full.yaml")
	src = with(with(with(src, "homeRegion", region), "governedRegions", []string{region, "eu-central-1"}), "optInRegions", []string{region})
	// Macie's results bucket refuses an opt-in home region on its own rule.
	return with(src, "macie", map[string]any{"enabled": true, "discoveryResults": false})
}

// Security Hub refuses a Region that is disabled by default as its home
// Region: "You can't use an AWS Region that is disabled by default as your
// home Region" (Security Hub user guide, "Enabling cross-Region
// aggregation"). The aggregator, central configuration and everything after
// them would fail, so such a homeRegion is refused by key while Security Hub
// is on, with a governed default region offered, and nothing is planned.
func TestOptInHomeRegionRefusedBySecurityHub(t *testing.T) {
	t.Parallel()
	for _, region := range []string{"af-south-1", "ap-east-1", "eu-south-1", "me-south-1", "ap-southeast-3"} {
		t.Run(region, func(t *testing.T) {
			t.Parallel()
			_, err := plan.Run(stackProgram, "full", optInHome(t, region))
			require.Error(t, err)
			assert.Contains(t, err.Error(), `landing-zone-audit:homeRegion: "`+region+`" is an opt-in region (disabled by default), and Security Hub refuses such a region as its home region`)
			assert.Contains(t, err.Error(), "make a governed region enabled by default the homeRegion (eu-central-1) and keep "+region+" governed")
			assert.Contains(t, err.Error(), "securityHub.enabled: false")
		})
	}
}

// The home region's other roles accept an opt-in region once it is enabled
// (optInRegions), so with Security Hub off the same stack plans, each role in
// the opt-in home region:
//   - the trail's bucket: "For both types of trails, you can specify an
//     Amazon S3 bucket from any Region" (CloudTrail user guide, "Working with
//     CloudTrail trails"; "Understanding multi-Region trails and opt-in
//     Regions" lists no limit on the bucket's or the trail's Region);
//   - the Config aggregator: "Multi-Account Multi-Region Data Aggregation"
//     (AWS Config developer guide) sets no limit on the aggregator's Region;
//   - Config's global IAM types: recorded in every region AWS Config opened
//     before February 2022 ("Managed Rules and Global IAM Resource Types"),
//     which these five opt-in regions did (later ones are refused as home by
//     their own rule);
//   - CloudTrail Lake: event data stores are offered in the opt-in regions
//     CloudTrail supports ("CloudTrail Lake supported Regions");
//   - Security Lake's rollup: "Configuring rollup Regions in Security Lake"
//     sets no limit on the rollup Region; replication is S3 Cross-Region
//     Replication, which works between enabled Regions.
func TestOptInHomeRegionOtherRoles(t *testing.T) {
	t.Parallel()
	const home = "af-south-1"
	// Security Hub off takes its suppressions with it; the GuardDuty one stays.
	src := with(with(with(optInHome(t, home), "securityHub", map[string]any{"enabled": false}),
		"suppressions", []map[string]any{{"name": "shop-load-test-probes", "reason": "load test", "accounts": []string{"shop"}, "guardDutyFindingTypes": []string{"Recon:EC2/PortProbeUnprotectedPort"}}}),
		"securityLake", map[string]any{"enabled": true, "rollupRegion": home, "sources": []string{"CLOUD_TRAIL_MGMT", "VPC_FLOW"}})
	p := runPlan(t, src)

	trail := p.ByType(typeTrail)
	require.Len(t, trail, 1)
	assert.Equal(t, home, trail[0].Region)
	buckets := slices.DeleteFunc(p.ByType(typeBucket), func(r plan.Resource) bool { return r.Account != "logArchive" || r.Region != home })
	assert.NotEmpty(t, buckets, "the log archive's buckets are in the home region")

	aggregator := p.ByType(typeConfigurationAggregator)
	require.Len(t, aggregator, 1)
	assert.Equal(t, home, aggregator[0].Region)

	global := 0
	for _, r := range p.ByType(typeRecorder) {
		if input(r, "recordingGroup.includeGlobalResourceTypes") == true {
			global++
			assert.Equal(t, home, r.Region, r.URN)
		}
	}
	assert.NotZero(t, global, "the global IAM types are recorded in the home region")

	store := one(t, p, typeEventDataStore, "cloudtrail-lake")
	assert.Equal(t, home, store.Region)

	var rollup []string
	for _, lake := range p.ByType(typeDataLake) {
		if regions, ok := input(lake, "configuration.replicationConfiguration.regions").([]any); ok {
			rollup = append(rollup, regions[0].(string))
		}
	}
	assert.Equal(t, []string{home}, rollup, "eu-central-1 rolls up into the opt-in home region")
}

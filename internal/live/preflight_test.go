package live_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/example/landing-zone-audit/config"
	"github.com/example/landing-zone-audit/internal/live"
)

const (
	mgmt, sec, logs, shop = "111111111111", "222222222222", "333333333333", "444444444444"
	orgID                 = "o-abcdefghij"
)

// stackConfig is a direct-mode stack of four accounts in two regions,
// changed by set (key without namespace → value).
func stackConfig(t *testing.T, set map[string]any) *config.Config {
	t.Helper()
	values := map[string]any{
		"organizationId":  orgID,
		"resourcePrefix":  "acme",
		"homeRegion":      "us-east-1",
		"governedRegions": []string{"us-east-1", "us-west-2"},
		"accounts": map[string]any{
			"management": map[string]string{"id": mgmt, "email": "root@example.com"},
			"security":   map[string]string{"id": sec, "email": "sec@example.com"},
			"logArchive": map[string]string{"id": logs, "email": "logs@example.com"},
			"shop":       map[string]string{"id": shop, "email": "shop@example.com"},
		},
	}
	for k, v := range set {
		values[k] = v
	}
	src := config.Source{Project: "landing-zone-audit", Values: map[string]string{}}
	for k, v := range values {
		if s, ok := v.(string); ok {
			src.Values["landing-zone-audit:"+k] = s
			continue
		}
		b, err := json.Marshal(v)
		require.NoError(t, err)
		src.Values["landing-zone-audit:"+k] = string(b)
	}
	cfg, err := config.Load(src)
	require.NoError(t, err)
	return cfg
}

// healthyOrganization is an organization where every check passes for
// stackConfig's defaults.
func healthyOrganization() *live.Organization {
	o := &live.Organization{
		ID: orgID, ManagementAccountID: mgmt, FeatureSet: "ALL", CallerAccountID: mgmt, CallerARN: "arn:aws:iam::" + mgmt + ":role/Admin",
		RootID: "r-ab12", TrustedAccessKnown: true, DelegatedAdminsKnown: true,
		TrustedAccess:   []string{"cloudtrail.amazonaws.com", "config-multiaccountsetup.amazonaws.com", "config.amazonaws.com", "guardduty.amazonaws.com"},
		DelegatedAdmins: map[string][]string{},
		State:           map[string]*live.AccountState{},
	}
	for id, email := range map[string]string{mgmt: "root@example.com", sec: "sec@example.com", logs: "logs@example.com", shop: "shop@example.com"} {
		o.Accounts = append(o.Accounts, live.Account{ID: id, Name: id, Email: email, Status: "ACTIVE"})
		o.State[id] = &live.AccountState{Assumed: true, Regions: map[string]*live.RegionState{
			"us-east-1": {OptStatus: "ENABLED_BY_DEFAULT"}, "us-west-2": {OptStatus: "ENABLED_BY_DEFAULT"},
		}}
	}
	return o
}

var planned = live.Planned{
	ResourceTypes: []string{"aws:cloudtrail/trail:Trail", "aws:cfg/organizationManagedRule:OrganizationManagedRule", "aws:cfg/aggregateAuthorization:AggregateAuthorization", "aws:guardduty/organizationAdminAccount:OrganizationAdminAccount"},
	MetricFilters: 16, ConfigRules: 1,
}

func status(checks []live.Check, name string) (live.Status, live.Check) {
	for _, c := range checks {
		if c.Name == name {
			return c.Status, c
		}
	}
	return "", live.Check{}
}

// Each check, its PASS and its FAIL. The sources: AWS Organizations API
// reference (DescribeOrganization's FeatureSet, EnableAWSServiceAccess,
// RegisterDelegatedAdministrator: one administrator per service for these
// services), the Security Lake user guide (its administrator is designated
// only through RegisterDataLakeDelegatedAdministrator), AWS Config's
// PutConfigurationRecorder (one recorder per account and region:
// MaxNumberOfConfigurationRecordersExceededException), GuardDuty's
// CreateDetector (one detector per account and region), Security Hub's
// EnableSecurityHub (ResourceConflictException when already subscribed), the
// AWS Account Management reference (GetRegionOptStatus), CloudWatch Logs
// quotas (100 metric filters per log group) and AWS Config's quotas.
func TestPreflightChecks(t *testing.T) {
	t.Parallel()
	cases := []struct {
		check   string
		set     map[string]any
		planned *live.Planned
		breakIt func(o *live.Organization)
		fix     string
		// prepare changes the organization in both runs; passSet is the
		// configuration that makes the check pass (adopting what exists).
		prepare func(o *live.Organization)
		passSet map[string]any
	}{
		{check: "caller is the management account", breakIt: func(o *live.Organization) { o.CallerAccountID = shop }, fix: "management account " + mgmt},
		{check: "organization", breakIt: func(o *live.Organization) { o.ID = "o-otherorg12" }, fix: "set organizationId to o-otherorg12"},
		{check: "all features enabled", breakIt: func(o *live.Organization) { o.FeatureSet = "CONSOLIDATED_BILLING" }, fix: "aws organizations enable-all-features"},
		{check: "account shop", breakIt: func(o *live.Organization) { o.Accounts = o.Accounts[:0] }, fix: "correct accounts.shop.id"},
		{check: "account security", breakIt: func(o *live.Organization) {
			for i := range o.Accounts {
				if o.Accounts[i].ID == sec {
					o.Accounts[i].Email = "other@example.com"
				}
			}
		}, fix: "set accounts.security.email to other@example.com"},
		{check: "deploy role in shop", breakIt: func(o *live.Organization) { o.State[shop].Assumed = false }, fix: "create role OrganizationAccountAccessRole in " + shop},
		{check: "trusted access guardduty.amazonaws.com", breakIt: func(o *live.Organization) { o.TrustedAccess = o.TrustedAccess[:3] }, fix: "aws organizations enable-aws-service-access --service-principal guardduty.amazonaws.com"},
		{check: "trusted access member.org.stacksets.cloudformation.amazonaws.com", set: map[string]any{"memberBaseline": "stackset", "stackSet": map[string]any{"organizationalUnitIds": []string{"r-ab12"}}},
			breakIt: func(o *live.Organization) {}, fix: "aws cloudformation activate-organizations-access"},
		{check: "delegated administrator guardduty.amazonaws.com", breakIt: func(o *live.Organization) { o.DelegatedAdmins["guardduty.amazonaws.com"] = []string{shop} },
			fix: "aws organizations deregister-delegated-administrator --account-id " + shop + " --service-principal guardduty.amazonaws.com"},
		{check: "delegated administrator securitylake.amazonaws.com", set: map[string]any{"securityLake": map[string]any{"enabled": true}}, breakIt: func(o *live.Organization) { delete(o.DelegatedAdmins, "securitylake.amazonaws.com") },
			fix: "aws securitylake register-data-lake-delegated-administrator --account-id " + logs},
		{check: "region us-west-2 enabled", breakIt: func(o *live.Organization) { o.State[shop].Regions["us-west-2"].OptStatus = "DISABLED" }, fix: "aws account enable-region --region-name us-west-2 --account-id " + shop},
		{check: "recorder shop us-west-2", prepare: func(o *live.Organization) {
			o.State[shop].Regions["us-west-2"].Recorders = []string{"old"}
			o.State[shop].Regions["us-west-2"].DeliveryChannels = []string{"old-channel"}
		}, passSet: map[string]any{"adopt": map[string]any{"configRecorders": map[string]any{"shop": map[string]any{"us-west-2": map[string]string{"recorder": "old", "deliveryChannel": "old-channel"}}}}},
			breakIt: func(o *live.Organization) {}, fix: "add adopt.configRecorders.shop.us-west-2: {recorder: old, deliveryChannel: old-channel}"},
		{check: "detector security us-east-1", prepare: func(o *live.Organization) {
			o.State[sec].Regions["us-east-1"].Detectors = []string{"5ab6c7d8e9f00112233445566778899a"}
		}, passSet: map[string]any{"adopt": map[string]any{"guardDutyDetectors": map[string]any{"security": map[string]string{"us-east-1": "5ab6c7d8e9f00112233445566778899a"}}}},
			breakIt: func(o *live.Organization) {}, fix: "add adopt.guardDutyDetectors.security.us-east-1: 5ab6c7d8e9f00112233445566778899a"},
		{check: "Security Hub security us-east-1", prepare: func(o *live.Organization) { o.State[sec].Regions["us-east-1"].Hub = true },
			passSet: map[string]any{"adopt": map[string]any{"securityHub": true}}, breakIt: func(o *live.Organization) {}, fix: "set adopt.securityHub: true"},
		{check: "Control Tower", breakIt: func(o *live.Organization) {
			o.Trails = []live.Trail{{Name: "aws-controltower-BaselineCloudTrail"}}
		}, fix: "set controlTower.enabled: true"},
		{check: "metric filters per log group", planned: &live.Planned{MetricFilters: 101}, breakIt: func(o *live.Organization) {}, fix: "at most 100"},
		{check: "Config rules per account", breakIt: func(o *live.Organization) { o.State[shop].Regions["us-east-1"].ConfigRules = 1000 }, fix: "remove rules or packs"},
	}
	for _, tc := range cases {
		t.Run(tc.check, func(t *testing.T) {
			t.Parallel()
			set := map[string]any{"securityHub": map[string]any{"enabled": true}}
			for k, v := range tc.set {
				set[k] = v
			}
			cfg := stackConfig(t, set)
			passCfg := cfg
			if tc.passSet != nil {
				for k, v := range tc.passSet {
					set[k] = v
				}
				passCfg = stackConfig(t, set)
			}
			p := planned
			o := healthyOrganization()
			if tc.prepare != nil {
				tc.prepare(o)
			}
			o.TrustedAccess = append(o.TrustedAccess, "securityhub.amazonaws.com")
			if tc.set["memberBaseline"] == nil {
				// Passing: every prerequisite in place.
				o.TrustedAccess = append(o.TrustedAccess, "member.org.stacksets.cloudformation.amazonaws.com")
			}
			if tc.set["securityLake"] != nil {
				o.DelegatedAdmins["securitylake.amazonaws.com"] = []string{logs}
			}
			if tc.check != "trusted access member.org.stacksets.cloudformation.amazonaws.com" {
				st, c := status(live.Preflight(o, passCfg, p), tc.check)
				assert.Equal(t, live.Pass, st, "the healthy organization passes: %+v", c)
			}
			if tc.planned != nil {
				p = *tc.planned
			}
			if tc.set["securityLake"] != nil {
				delete(o.DelegatedAdmins, "securitylake.amazonaws.com")
			}
			o.TrustedAccess = slicesWithout(o.TrustedAccess, "member.org.stacksets.cloudformation.amazonaws.com")
			tc.breakIt(o)
			checks := live.Preflight(o, cfg, p)
			st, c := status(checks, tc.check)
			assert.Equal(t, live.Fail, st, "%+v", c)
			assert.Contains(t, c.Fix+" "+c.Detail, tc.fix)
			assert.True(t, live.Failed(checks))
		})
	}
}

func slicesWithout(list []string, s string) []string {
	var out []string
	for _, x := range list {
		if x != s {
			out = append(out, x)
		}
	}
	return out
}

// An organization trail beside the stack's own is a warning: AWS allows it
// (five trails per region: CloudTrail quotas) but delivery is paid twice.
func TestPreflightWarnsOfASecondOrganizationTrail(t *testing.T) {
	t.Parallel()
	o := healthyOrganization()
	o.Trails = []live.Trail{{Name: "older-tool", HomeRegion: "us-east-1"}}
	st, c := status(live.Preflight(o, stackConfig(t, nil), planned), "organization trail older-tool")
	assert.Equal(t, live.Warn, st)
	assert.Contains(t, c.Fix, "orgTrail.enabled: false")
}

// What could not be read is a warning naming the account, region and call,
// and the other checks still run.
func TestPreflightReportsWhatItCouldNotRead(t *testing.T) {
	t.Parallel()
	o := healthyOrganization()
	o.TrustedAccessKnown = false
	o.Problems = []live.Problem{{Account: shop, Region: "us-west-2", Call: "guardduty ListDetectors", Err: "InternalFailure: the service failed"}}
	checks := live.Preflight(o, stackConfig(t, nil), planned)
	st, c := status(checks, "read guardduty ListDetectors")
	assert.Equal(t, live.Warn, st)
	assert.Equal(t, shop+" us-west-2: guardduty ListDetectors: InternalFailure: the service failed", c.Detail)
	st, _ = status(checks, "trusted access guardduty.amazonaws.com")
	assert.Equal(t, live.Warn, st)
	assert.False(t, live.Failed(checks))
}

// Guardrails' prerequisites: the policy types enabled on the root, and at
// most five service control policies per target, counting those attached
// already but not the stack's own from an earlier run (AWS Organizations
// quotas and service limits: "Maximum number of SCPs attached to a root,
// OU or account: 5"; EnablePolicyType).
func TestPreflightPolicyChecks(t *testing.T) {
	t.Parallel()
	cfg := stackConfig(t, nil)
	p := planned
	p.PolicyTypes = []string{"SERVICE_CONTROL_POLICY", "RESOURCE_CONTROL_POLICY"}
	p.SCPs = map[string][]string{"root": {"acme-guardrails-scp-1", "acme-guardrails-scp-2"}}

	o := healthyOrganization()
	o.RootPolicyTypes = []string{"SERVICE_CONTROL_POLICY", "RESOURCE_CONTROL_POLICY"}
	o.TargetPolicies = map[string][]string{"root": {"FullAWSAccess", "acme-guardrails-scp-1", "deny-regions", "deny-leave"}}
	checks := live.Preflight(o, cfg, p)
	st, c := status(checks, "SCPs on root")
	assert.Equal(t, live.Pass, st, "3 others + 2 of the stack's (one attached already, not counted twice): %+v", c)
	st, _ = status(checks, "policy type RESOURCE_CONTROL_POLICY")
	assert.Equal(t, live.Pass, st)

	o.TargetPolicies["root"] = append(o.TargetPolicies["root"], "deny-iam-users")
	o.RootPolicyTypes = []string{"SERVICE_CONTROL_POLICY"}
	checks = live.Preflight(o, cfg, p)
	st, c = status(checks, "SCPs on root")
	assert.Equal(t, live.Fail, st)
	assert.Contains(t, c.Detail, "4 attached (FullAWSAccess, deny-regions, deny-leave, deny-iam-users) + 2 from the stack = 6, over AWS's 5")
	st, c = status(checks, "policy type RESOURCE_CONTROL_POLICY")
	assert.Equal(t, live.Fail, st)
	assert.Equal(t, "aws organizations enable-policy-type --root-id r-ab12 --policy-type RESOURCE_CONTROL_POLICY", c.Fix)

	delete(o.TargetPolicies, "root")
	st, _ = status(live.Preflight(o, cfg, p), "SCPs on root")
	assert.Equal(t, live.Warn, st, "unread is a warning, not a pass")
}

package live_test

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/example/landing-zone-audit/internal/live"
	"github.com/example/landing-zone-audit/internal/live/livetest"
)

var regions = []string{"us-east-1", "us-west-2"}

func scan(t testing.TB, f *livetest.Fake, url string) *live.Organization {
	t.Helper()
	o, err := live.Scan(context.Background(), livetest.StaticConfig(url, livetest.ManagementKey), live.Options{Regions: regions, RoleName: "OrganizationAccountAccessRole"})
	require.NoError(t, err)
	return o
}

func TestScanReadsTheOrganization(t *testing.T) {
	f, srv := livetest.NewFake(t)
	_, org := livetest.StartKumo(t)
	audit, workload := org.Accounts["Audit"], org.Accounts["Workload 03"]
	f.At(audit, "us-east-1").Detectors = []string{"5ab6c7d8e9f00112233445566778899a"}
	f.At(audit, "us-east-1").Hub = true
	f.At(workload, "us-west-2").Recorders = []string{"old-tool"}
	f.At(workload, "us-west-2").DeliveryChannels = []string{"old-tool-channel"}
	f.TrustedAccess = []string{"guardduty.amazonaws.com"}
	f.Admins["guardduty.amazonaws.com"] = audit

	o := scan(t, f, srv.URL)
	assert.Equal(t, org.ID, o.ID)
	assert.Equal(t, livetest.ManagementID, o.ManagementAccountID)
	assert.Equal(t, "ALL", o.FeatureSet)
	assert.Len(t, o.Accounts, livetest.OrgAccounts, "every account kumo holds")
	assert.Equal(t, org.RootID, o.RootID)
	var ous []string
	for _, ou := range o.OUs {
		ous = append(ous, ou.ID)
	}
	assert.ElementsMatch(t, org.OUs, ous)
	require.Len(t, o.Trails, 1, "the organization trail kumo holds")
	assert.Equal(t, "org-trail", o.Trails[0].Name)
	assert.False(t, o.ControlTower())
	assert.Equal(t, []string{"guardduty.amazonaws.com"}, o.TrustedAccess)
	assert.Equal(t, []string{audit}, o.DelegatedAdmins["guardduty.amazonaws.com"])

	assert.Equal(t, []string{"default"}, o.State[livetest.ManagementID].Regions["us-east-1"].Recorders, "the management account's recorder, from kumo")
	assert.Equal(t, []string{"5ab6c7d8e9f00112233445566778899a"}, o.State[audit].Regions["us-east-1"].Detectors)
	assert.True(t, o.State[audit].Regions["us-east-1"].Hub)
	assert.False(t, o.State[audit].Regions["us-west-2"].Hub, "Security Hub is read in the home region only")
	assert.Equal(t, []string{"old-tool"}, o.State[workload].Regions["us-west-2"].Recorders)
	assert.Equal(t, []string{"old-tool-channel"}, o.State[workload].Regions["us-west-2"].DeliveryChannels)
	assert.Empty(t, o.Problems)
}

// A role that cannot be assumed, a service that fails and throttling: each
// failure is named by account, region and call; the rest is still read, and
// throttled calls are retried (the SDK's standard retryer retries
// ThrottlingException: AWS SDKs and Tools reference guide, "Retry behavior").
func TestScanGoesOnPastFailures(t *testing.T) {
	f, srv := livetest.NewFake(t)
	_, org := livetest.StartKumo(t)
	locked, broken, audit := org.Accounts["Workload 07"], org.Accounts["Workload 08"], org.Accounts["Audit"]
	f.Unassumable[locked] = true
	f.Broken[broken] = true
	f.Throttle.Store(3)
	f.At(audit, "us-west-2").Detectors = []string{"0123456789abcdef0123456789abcdef"}

	o := scan(t, f, srv.URL)
	assert.False(t, o.State[locked].Assumed)
	assert.True(t, o.State[broken].Assumed)
	var text []string
	for _, p := range o.Problems {
		text = append(text, p.String())
	}
	joined := strings.Join(text, "\n")
	assert.Contains(t, joined, locked+": sts AssumeRole OrganizationAccountAccessRole: ")
	assert.Contains(t, joined, "AccessDenied")
	assert.Contains(t, joined, broken+" us-east-1: config DescribeConfigurationRecorders: InternalFailure")
	assert.Contains(t, joined, broken+" us-west-2: config DescribeDeliveryChannels: InternalFailure")
	assert.NotContains(t, joined, "ThrottlingException", "throttled calls are retried")
	assert.Equal(t, []string{"0123456789abcdef0123456789abcdef"}, o.State[audit].Regions["us-west-2"].Detectors)
	assert.Len(t, o.State, livetest.OrgAccounts, "every other account is still read")
}

// Member credentials: DescribeOrganization answers in a member account, but
// the listing calls are the management account's (Organizations API
// reference: "This operation can be called only from the organization's
// management account"); the scan says which account to use.
func TestScanRefusesMemberCredentials(t *testing.T) {
	_, srv := livetest.NewFake(t)
	_, org := livetest.StartKumo(t)
	member := org.Accounts["Workload 01"]
	_, err := live.Scan(context.Background(), livetest.StaticConfig(srv.URL, "ASIA"+member+"0000"), live.Options{Regions: regions, RoleName: "OrganizationAccountAccessRole"})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "the credentials are of account "+member+", a member; run with credentials of the management account "+livetest.ManagementID)
}

func TestScanNeedsRegions(t *testing.T) {
	_, err := live.Scan(context.Background(), livetest.StaticConfig("http://127.0.0.1:1", livetest.ManagementKey), live.Options{})
	require.ErrorContains(t, err, "name the governed regions")
}

// Package livetest serves an organization to the tests of the commands that
// read a live one (init, preflight), through the AWS SDK's own endpoints.
package livetest

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	"github.com/aws/aws-sdk-go-v2/service/configservice"
	cstypes "github.com/aws/aws-sdk-go-v2/service/configservice/types"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	"github.com/sivchari/kumo"
	"github.com/stretchr/testify/require"
)

// The organization kumo serves: kumo (github.com/sivchari/kumo) emulates
// Organizations (the organization, accounts, the root, OUs), AWS Config's Recorders and rules, and CloudTrail's
// trails, and is started in this process. kumo keeps one state for every
// caller, so it stands for the management account; what the program reads
// through the role in a member account, and the Organizations calls kumo
// does not implement (trusted access, delegated administrators), come from
// the fake in front of it, which answers as the API references document
// (response shapes and error codes).
const (
	OrgAccounts   = 50
	ManagementID  = "123456789012" // kumo's own account
	ManagementKey = "AKIAMANAGEMENT000000"
)

var (
	kumoOnce sync.Once
	kumoURL  string
	kumoOrg  Organization
	errSetup error
)

type Organization struct {
	// ID is the organization's ID as the fake serves it; kumoID is kumo's,
	// which carries a hyphen AWS's pattern (o-[a-z0-9]{10,32}) refuses.
	ID, kumoID, RootID string
	// Accounts by name.
	Accounts map[string]string
	OUs      []string
}

func StaticConfig(endpoint, key string) aws.Config {
	return aws.Config{
		Region:           "us-east-1",
		Credentials:      credentials.NewStaticCredentialsProvider(key, "secret", ""),
		BaseEndpoint:     aws.String(endpoint),
		RetryMaxAttempts: 5,
	}
}

// StartKumo starts kumo once and creates the organization in it: a
// management account, Audit, Log Archive and 47 workloads in two OUs, an
// organization trail, and a recorder of the management account.
func StartKumo(t testing.TB) (string, Organization) {
	kumoOnce.Do(func() {
		srv := kumo.NewServer() // lives as long as the test binary
		kumoURL = srv.URL
		ctx := context.Background()
		cfg := StaticConfig(srv.URL, ManagementKey)
		org := organizations.NewFromConfig(cfg)
		created, err := org.CreateOrganization(ctx, &organizations.CreateOrganizationInput{})
		if err != nil {
			errSetup = err
			return
		}
		kumoOrg.kumoID = aws.ToString(created.Organization.Id)
		kumoOrg.ID = "o-" + strings.ReplaceAll(strings.TrimPrefix(kumoOrg.kumoID, "o-"), "-", "")
		roots, err := org.ListRoots(ctx, &organizations.ListRootsInput{})
		if err != nil {
			errSetup = err
			return
		}
		kumoOrg.RootID = aws.ToString(roots.Roots[0].Id)
		for _, name := range []string{"Security", "Workloads"} {
			ou, err := org.CreateOrganizationalUnit(ctx, &organizations.CreateOrganizationalUnitInput{ParentId: aws.String(kumoOrg.RootID), Name: aws.String(name)})
			if err != nil {
				errSetup = err
				return
			}
			kumoOrg.OUs = append(kumoOrg.OUs, aws.ToString(ou.OrganizationalUnit.Id))
		}
		kumoOrg.Accounts = map[string]string{"Management Account": ManagementID}
		names := []string{"Audit", "Log Archive"}
		for i := 1; len(names) < OrgAccounts-1; i++ {
			names = append(names, fmt.Sprintf("Workload %02d", i))
		}
		for _, name := range names {
			out, err := org.CreateAccount(ctx, &organizations.CreateAccountInput{AccountName: aws.String(name), Email: aws.String("aws+" + strings.ReplaceAll(strings.ToLower(name), " ", "-") + "@example.com")})
			if err != nil {
				errSetup = err
				return
			}
			kumoOrg.Accounts[name] = aws.ToString(out.CreateAccountStatus.AccountId)
		}
		if _, err := cloudtrail.NewFromConfig(cfg).CreateTrail(ctx, &cloudtrail.CreateTrailInput{
			Name: aws.String("org-trail"), S3BucketName: aws.String("older-tool-trail"), IsOrganizationTrail: aws.Bool(true), IsMultiRegionTrail: aws.Bool(true),
		}); err != nil {
			errSetup = err
			return
		}
		if _, err := configservice.NewFromConfig(cfg).PutConfigurationRecorder(ctx, &configservice.PutConfigurationRecorderInput{
			ConfigurationRecorder: &cstypes.ConfigurationRecorder{Name: aws.String("default"), RoleARN: aws.String("arn:aws:iam::" + ManagementID + ":role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig")},
		}); err != nil {
			errSetup = err
		}
	})
	require.NoError(t, errSetup, "kumo serves the organization")
	return kumoURL, kumoOrg
}

// MemberState is what a member account holds in one region, as the fake
// serves it.
type MemberState struct {
	OptStatus        string
	Recorders        []string
	DeliveryChannels []string
	Detectors        []string
	Hub              bool
}

// Fake answers what kumo does not and forwards the rest to it.
type Fake struct {
	kumo *httputil.ReverseProxy
	// CallerAccount answers GetCallerIdentity for a key other than the
	// management account's (a member's credentials).
	CallerAccount string
	// Unassumable are the accounts whose deploy role cannot be assumed.
	Unassumable map[string]bool
	// state is what exists per account and region.
	state map[string]map[string]*MemberState
	// ManagementChannels are the management account's delivery channels.
	ManagementChannels []string
	TrustedAccess      []string
	// Policies are the service control policies attached to each target
	// (kumo does not serve ListPoliciesForTarget).
	Policies map[string][]string
	// RootPolicyTypes are enabled on the root beside kumo's (kumo enables
	// only service control policies).
	RootPolicyTypes []string
	// Admins maps a service principal to its delegated administrator.
	Admins map[string]string
	// Throttle answers ThrottlingException to the first Throttle calls of
	// guardduty ListDetectors.
	Throttle atomic.Int64
	// Broken answers InternalFailure to every config call of these accounts.
	Broken map[string]bool
	// Latency delays every answer.
	Latency time.Duration
	calls   atomic.Int64
	// mu guards state: requests are served concurrently, and At creates
	// an account's and a region's state on first use.
	mu sync.Mutex
}

func NewFake(t testing.TB) (*Fake, *httptest.Server) {
	kurl, _ := StartKumo(t)
	target, err := url.Parse(kurl)
	require.NoError(t, err)
	f := &Fake{
		kumo:  httputil.NewSingleHostReverseProxy(target),
		state: map[string]map[string]*MemberState{}, Unassumable: map[string]bool{}, Admins: map[string]string{}, Broken: map[string]bool{}, Policies: map[string][]string{},
		ManagementChannels: []string{"default"},
	}
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	return f, srv
}

// at is the state of account in region, created on first use.
func (f *Fake) At(account, region string) *MemberState {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.state[account] == nil {
		f.state[account] = map[string]*MemberState{}
	}
	if f.state[account][region] == nil {
		f.state[account][region] = &MemberState{OptStatus: "ENABLED_BY_DEFAULT"}
	}
	return f.state[account][region]
}

var credentialScope = regexp.MustCompile(`Credential=([^/]+)/\d+/([^/]+)/([^/]+)/`)

// accountOfKey is the account a key was issued for: the management key, or
// ASIA + the account ID for credentials AssumeRole issued.
func accountOfKey(key string) string {
	if key == ManagementKey {
		return ManagementID
	}
	return strings.TrimPrefix(key, "ASIA")[:12]
}

func (f *Fake) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.calls.Add(1)
	if f.Latency > 0 {
		time.Sleep(f.Latency)
	}
	m := credentialScope.FindStringSubmatch(r.Header.Get("Authorization"))
	if m == nil {
		http.Error(w, "unsigned request", http.StatusForbidden)
		return
	}
	key, region, service := m[1], m[2], m[3]
	account := accountOfKey(key)
	body, _ := io.ReadAll(r.Body)
	r.Body = io.NopCloser(strings.NewReader(string(body)))
	target := r.Header.Get("X-Amz-Target")
	action := target[strings.LastIndex(target, ".")+1:]

	switch service {
	case "sts":
		form, _ := url.ParseQuery(string(body))
		switch form.Get("Action") {
		case "AssumeRole":
			f.assumeRole(w, form.Get("RoleArn"))
			return
		case "GetCallerIdentity":
			// kumo's STS answers one fixed account, not its organization's
			// management account: the caller is the key's account.
			writeXML(w, fmt.Sprintf(`<GetCallerIdentityResponse><GetCallerIdentityResult><Arn>arn:aws:sts::%s:assumed-role/Admin/someone</Arn><UserId>AROA:someone</UserId><Account>%s</Account></GetCallerIdentityResult></GetCallerIdentityResponse>`, account, account))
			return
		}
	case "organizations":
		switch action {
		case "ListAWSServiceAccessForOrganization":
			var enabled []map[string]any
			for _, p := range f.TrustedAccess {
				enabled = append(enabled, map[string]any{"ServicePrincipal": p, "DateEnabled": 1.7e9})
			}
			writeJSON(w, map[string]any{"EnabledServicePrincipals": enabled})
			return
		case "ListDelegatedAdministrators":
			var Admins []map[string]any
			seen := map[string]bool{}
			for _, id := range f.Admins {
				if !seen[id] {
					seen[id] = true
					Admins = append(Admins, map[string]any{"Id": id, "Status": "ACTIVE"})
				}
			}
			writeJSON(w, map[string]any{"DelegatedAdministrators": Admins})
			return
		case "ListPoliciesForTarget":
			var in struct{ TargetId string }
			_ = json.Unmarshal(body, &in)
			var policies []map[string]any
			for i, n := range f.Policies[in.TargetId] {
				policies = append(policies, map[string]any{"Id": fmt.Sprintf("p-%08d", i), "Name": n, "Type": "SERVICE_CONTROL_POLICY"})
			}
			writeJSON(w, map[string]any{"Policies": policies})
			return
		case "ListDelegatedServicesForAccount":
			var in struct{ AccountId string }
			_ = json.Unmarshal(body, &in)
			var services []map[string]any
			for p, id := range f.Admins {
				if id == in.AccountId {
					services = append(services, map[string]any{"ServicePrincipal": p})
				}
			}
			writeJSON(w, map[string]any{"DelegatedServices": services})
			return
		}
		if account != ManagementID && action != "DescribeOrganization" {
			writeError(w, http.StatusBadRequest, "AccessDeniedException", "You don't have permissions to access this resource.")
			return
		}
		rec := httptest.NewRecorder()
		f.kumo.ServeHTTP(rec, r)
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.Header().Del("Content-Length")
		w.WriteHeader(rec.Code)
		out := strings.ReplaceAll(rec.Body.String(), kumoOrg.kumoID, kumoOrg.ID)
		if action == "ListRoots" && len(f.RootPolicyTypes) > 0 {
			var roots map[string][]map[string]any
			if json.Unmarshal([]byte(out), &roots) == nil && len(roots["Roots"]) > 0 {
				types, _ := roots["Roots"][0]["PolicyTypes"].([]any)
				for _, t := range f.RootPolicyTypes {
					types = append(types, map[string]any{"Type": t, "Status": "ENABLED"})
				}
				roots["Roots"][0]["PolicyTypes"] = types
				b, _ := json.Marshal(roots)
				out = string(b)
			}
		}
		_, _ = io.WriteString(w, out)
		return
	case "config":
		if f.Broken[account] {
			writeError(w, http.StatusInternalServerError, "InternalFailure", "the service failed")
			return
		}
		if account != ManagementID {
			st := f.At(account, region)
			switch action {
			case "DescribeConfigurationRecorders":
				var recs []map[string]any
				for _, n := range st.Recorders {
					recs = append(recs, map[string]any{"name": n})
				}
				writeJSON(w, map[string]any{"ConfigurationRecorders": recs})
			case "DescribeDeliveryChannels":
				writeJSON(w, map[string]any{"DeliveryChannels": channels(st.DeliveryChannels)})
			case "DescribeConfigRules":
				writeJSON(w, map[string]any{"ConfigRules": []any{}})
			}
			return
		}
		if action == "DescribeDeliveryChannels" { // kumo has none
			writeJSON(w, map[string]any{"DeliveryChannels": channels(f.ManagementChannels)})
			return
		}
	case "guardduty":
		if f.Throttle.Add(-1) >= 0 {
			writeError(w, http.StatusTooManyRequests, "ThrottlingException", "Rate exceeded")
			return
		}
		st := f.At(account, region)
		writeJSON(w, map[string]any{"detectorIds": nonNil(st.Detectors)})
		return
	case "securityhub":
		if !f.At(account, region).Hub {
			writeError(w, http.StatusUnauthorized, "InvalidAccessException", "Account "+account+" is not subscribed to AWS Security Hub")
			return
		}
		writeJSON(w, map[string]any{"HubArn": "arn:aws:securityhub:" + region + ":" + account + ":Hub/default", "SubscribedAt": "2025-01-01T00:00:00Z"})
		return
	case "account":
		var in struct{ RegionName string }
		_ = json.Unmarshal(body, &in)
		writeJSON(w, map[string]any{"RegionName": in.RegionName, "RegionOptStatus": f.At(account, in.RegionName).OptStatus})
		return
	}
	f.kumo.ServeHTTP(w, r)
}

// assumeRole answers STS AssumeRole (API reference: AccessDenied when the
// role's trust policy does not allow the caller).
func (f *Fake) assumeRole(w http.ResponseWriter, roleARN string) {
	parts := strings.Split(roleARN, ":")
	if len(parts) < 6 {
		writeXMLError(w, "ValidationError", "bad role ARN")
		return
	}
	account := parts[4]
	if f.Unassumable[account] {
		writeXMLError(w, "AccessDenied", "User: arn:aws:iam::"+ManagementID+":user/admin is not authorized to perform: sts:AssumeRole on resource: "+roleARN)
		return
	}
	expires := time.Now().Add(time.Hour).UTC().Format(time.RFC3339)
	writeXML(w, fmt.Sprintf(`<AssumeRoleResponse><AssumeRoleResult><Credentials><AccessKeyId>ASIA%s0000</AccessKeyId><SecretAccessKey>s</SecretAccessKey><SessionToken>t</SessionToken><Expiration>%s</Expiration></Credentials><AssumedRoleUser><Arn>arn:aws:sts::%s:assumed-role/r/s</Arn><AssumedRoleId>AROA:s</AssumedRoleId></AssumedRoleUser></AssumeRoleResult></AssumeRoleResponse>`, account, expires, account))
}

func channels(names []string) []map[string]any {
	out := []map[string]any{}
	for _, n := range names {
		out = append(out, map[string]any{"name": n, "s3BucketName": "config-bucket"})
	}
	return out
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	_ = json.NewEncoder(w).Encode(v)
}

func writeError(w http.ResponseWriter, status int, code, message string) {
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	w.Header().Set("X-Amzn-ErrorType", code)
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]string{"__type": code, "message": message, "Message": message})
}

func writeXML(w http.ResponseWriter, body string) {
	w.Header().Set("Content-Type", "text/xml")
	_, _ = io.WriteString(w, body)
}

func writeXMLError(w http.ResponseWriter, code, message string) {
	w.Header().Set("Content-Type", "text/xml")
	w.WriteHeader(http.StatusForbidden)
	_, _ = fmt.Fprintf(w, `<ErrorResponse><Error><Type>Sender</Type><Code>%s</Code><Message>%s</Message></Error><RequestId>r</RequestId></ErrorResponse>`, code, message)
}

// Package live reads a running AWS organization, read-only, for the init
// and preflight commands: the organization and its accounts, OUs and root,
// trusted access and delegated administrators from the management account,
// and, through the deploy role in each account, what already exists in each
// governed region (recorders, delivery channels, detectors, hubs, trails).
//
// It uses the AWS SDK for Go v2's standard credential chain and endpoint
// settings (AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_<SERVICE>), so the commands
// can be pointed at any AWS-compatible server. Every call is a read; errors
// are collected per account, region and call, and the scan goes on.
package live

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials/stscreds"
	"github.com/aws/aws-sdk-go-v2/service/account"
	acctypes "github.com/aws/aws-sdk-go-v2/service/account/types"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	"github.com/aws/aws-sdk-go-v2/service/configservice"
	"github.com/aws/aws-sdk-go-v2/service/guardduty"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	"github.com/aws/aws-sdk-go-v2/service/securityhub"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"

	"github.com/example/landing-zone-audit/config"
)

// Options say what to scan.
type Options struct {
	// Regions are the governed regions; the first is the home region.
	Regions []string
	// RoleName is the role assumed in every account but the caller's own.
	RoleName string
	// Concurrency bounds the calls in flight across accounts × regions.
	Concurrency int
	// Progress, when set, receives a progress line as accounts finish.
	Progress io.Writer
	// PolicyTargets are roots, OUs or accounts whose attached service
	// control policies are read ("root" is the organization's root).
	PolicyTargets []string
}

// Organization is what the scan found.
type Organization struct {
	ID                  string
	ManagementAccountID string
	FeatureSet          string
	// CallerAccountID is the account of the credentials the scan ran with.
	CallerAccountID string
	CallerARN       string
	RootID          string
	// RootPolicyTypes are the policy types enabled on the root.
	RootPolicyTypes []string
	// TargetPolicies are the names of the service control policies
	// attached to each of Options.PolicyTargets.
	TargetPolicies map[string][]string
	OUs            []OU
	Accounts       []Account
	// TrustedAccess are the service principals with trusted access.
	TrustedAccess []string
	// TrustedAccessKnown is false when the list could not be read.
	TrustedAccessKnown bool
	// DelegatedAdmins maps a service principal to its delegated
	// administrators' account IDs.
	DelegatedAdmins map[string][]string
	// DelegatedAdminsKnown is false when they could not be read.
	DelegatedAdminsKnown bool
	// Trails are the management account's trails in the home region that
	// log the organization.
	Trails []Trail
	// State is what exists in each account (by ID) and governed region.
	State map[string]*AccountState
	// Problems are the calls that failed; the rest was still read.
	Problems []Problem
}

// OU is an organizational unit.
type OU struct {
	ID, Name, ParentID string
	// Path is the OU's names from the root, joined by "/".
	Path string
}

// Account is an organization account.
type Account struct {
	ID, Name, Email, Status string
}

// Trail is an organization trail.
type Trail struct {
	Name, ARN, HomeRegion, LogGroupARN string
}

// ControlTower reports whether the organization trail of a Control Tower
// landing zone exists (its name starts with aws-controltower-).
func (o *Organization) ControlTower() bool {
	return slices.ContainsFunc(o.Trails, func(t Trail) bool { return strings.HasPrefix(t.Name, "aws-controltower-") })
}

// AccountState is what exists in one account.
type AccountState struct {
	// Assumed says the deploy role (or the caller's own credentials, in the
	// caller's account) could be used there.
	Assumed bool
	Regions map[string]*RegionState
}

// RegionState is what exists in one account and region.
type RegionState struct {
	// OptStatus is the region's status in the account (ENABLED_BY_DEFAULT,
	// ENABLED, DISABLED, …), empty when unknown.
	OptStatus        string
	Recorders        []string
	DeliveryChannels []string
	Detectors        []string
	// Hub says Security Hub is enabled (read in the home region only).
	Hub bool
	// ConfigRules is the number of Config rules the account has there.
	ConfigRules int
}

// Problem is a call that failed.
type Problem struct {
	Account, Region, Call, Err string
}

func (p Problem) String() string {
	where := p.Account
	if p.Region != "" {
		where += " " + p.Region
	}
	if where == "" {
		where = "organization"
	}
	return fmt.Sprintf("%s: %s: %s", where, p.Call, p.Err)
}

// Scan reads the organization with cfg's credentials, which must be the
// management account's.
func Scan(ctx context.Context, cfg aws.Config, opts Options) (*Organization, error) {
	if len(opts.Regions) == 0 {
		return nil, errors.New("no regions to scan: name the governed regions")
	}
	if opts.Concurrency <= 0 {
		opts.Concurrency = 16
	}
	o := &Organization{State: map[string]*AccountState{}, DelegatedAdmins: map[string][]string{}}
	home := opts.Regions[0]
	cfg = cfg.Copy()
	cfg.Region = home

	id, err := sts.NewFromConfig(cfg).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		return nil, fmt.Errorf("sts GetCallerIdentity: %w (are AWS credentials set? the standard chain reads the environment, AWS_PROFILE, SSO and instance roles)", err)
	}
	o.CallerAccountID, o.CallerARN = aws.ToString(id.Account), aws.ToString(id.Arn)

	org := organizations.NewFromConfig(cfg)
	desc, err := org.DescribeOrganization(ctx, &organizations.DescribeOrganizationInput{})
	if err != nil {
		return nil, fmt.Errorf("organizations DescribeOrganization in account %s: %w (the caller must belong to an organization)", o.CallerAccountID, err)
	}
	o.ID = aws.ToString(desc.Organization.Id)
	o.ManagementAccountID = aws.ToString(desc.Organization.MasterAccountId)
	o.FeatureSet = string(desc.Organization.FeatureSet)
	if o.CallerAccountID != o.ManagementAccountID {
		return o, fmt.Errorf("the credentials are of account %s, a member; run with credentials of the management account %s (organizations' listing calls work only there)", o.CallerAccountID, o.ManagementAccountID)
	}
	o.readOrganization(ctx, org)
	o.readPolicies(ctx, org, opts.PolicyTargets)
	o.readTrails(ctx, cfg)
	o.readAccounts(ctx, cfg, opts)
	return o, nil
}

func (o *Organization) fail(account, region, call string, err error) {
	o.Problems = append(o.Problems, Problem{Account: account, Region: region, Call: call, Err: errText(err)})
}

// errText is an API error's code and message, or the error.
func errText(err error) string {
	var api smithy.APIError
	if errors.As(err, &api) {
		return api.ErrorCode() + ": " + api.ErrorMessage()
	}
	return err.Error()
}

func (o *Organization) readOrganization(ctx context.Context, org *organizations.Client) {
	accounts := organizations.NewListAccountsPaginator(org, &organizations.ListAccountsInput{})
	for accounts.HasMorePages() {
		page, err := accounts.NextPage(ctx)
		if err != nil {
			o.fail("", "", "organizations ListAccounts", err)
			break
		}
		for _, a := range page.Accounts {
			o.Accounts = append(o.Accounts, Account{ID: aws.ToString(a.Id), Name: aws.ToString(a.Name), Email: aws.ToString(a.Email), Status: string(a.Status)})
		}
	}
	sort.Slice(o.Accounts, func(i, j int) bool { return o.Accounts[i].ID < o.Accounts[j].ID })

	roots, err := org.ListRoots(ctx, &organizations.ListRootsInput{})
	if err != nil {
		o.fail("", "", "organizations ListRoots", err)
	} else if len(roots.Roots) > 0 {
		o.RootID = aws.ToString(roots.Roots[0].Id)
		for _, t := range roots.Roots[0].PolicyTypes {
			if t.Status == "ENABLED" {
				o.RootPolicyTypes = append(o.RootPolicyTypes, string(t.Type))
			}
		}
		o.readOUs(ctx, org, o.RootID, "")
	}

	access := organizations.NewListAWSServiceAccessForOrganizationPaginator(org, &organizations.ListAWSServiceAccessForOrganizationInput{})
	o.TrustedAccessKnown = true
	for access.HasMorePages() {
		page, err := access.NextPage(ctx)
		if err != nil {
			o.fail("", "", "organizations ListAWSServiceAccessForOrganization", err)
			o.TrustedAccessKnown = false
			break
		}
		for _, s := range page.EnabledServicePrincipals {
			o.TrustedAccess = append(o.TrustedAccess, aws.ToString(s.ServicePrincipal))
		}
	}
	sort.Strings(o.TrustedAccess)

	o.DelegatedAdminsKnown = true
	admins := organizations.NewListDelegatedAdministratorsPaginator(org, &organizations.ListDelegatedAdministratorsInput{})
	for admins.HasMorePages() {
		page, err := admins.NextPage(ctx)
		if err != nil {
			o.fail("", "", "organizations ListDelegatedAdministrators", err)
			o.DelegatedAdminsKnown = false
			break
		}
		for _, a := range page.DelegatedAdministrators {
			accountID := aws.ToString(a.Id)
			services := organizations.NewListDelegatedServicesForAccountPaginator(org, &organizations.ListDelegatedServicesForAccountInput{AccountId: a.Id})
			for services.HasMorePages() {
				sp, err := services.NextPage(ctx)
				if err != nil {
					o.fail(accountID, "", "organizations ListDelegatedServicesForAccount", err)
					o.DelegatedAdminsKnown = false
					break
				}
				for _, s := range sp.DelegatedServices {
					principal := aws.ToString(s.ServicePrincipal)
					o.DelegatedAdmins[principal] = append(o.DelegatedAdmins[principal], accountID)
				}
			}
		}
	}
}

// readPolicies lists the service control policies attached to each target.
func (o *Organization) readPolicies(ctx context.Context, org *organizations.Client, targets []string) {
	o.TargetPolicies = map[string][]string{}
	for _, target := range targets {
		id := target
		if target == "root" {
			id = o.RootID
		}
		policies := organizations.NewListPoliciesForTargetPaginator(org, &organizations.ListPoliciesForTargetInput{TargetId: aws.String(id), Filter: "SERVICE_CONTROL_POLICY"})
		o.TargetPolicies[target] = []string{}
		for policies.HasMorePages() {
			page, err := policies.NextPage(ctx)
			if err != nil {
				o.fail("", "", "organizations ListPoliciesForTarget "+id, err)
				delete(o.TargetPolicies, target)
				break
			}
			for _, p := range page.Policies {
				o.TargetPolicies[target] = append(o.TargetPolicies[target], aws.ToString(p.Name))
			}
		}
	}
}

func (o *Organization) readOUs(ctx context.Context, org *organizations.Client, parentID, parentPath string) {
	ous := organizations.NewListOrganizationalUnitsForParentPaginator(org, &organizations.ListOrganizationalUnitsForParentInput{ParentId: aws.String(parentID)})
	for ous.HasMorePages() {
		page, err := ous.NextPage(ctx)
		if err != nil {
			o.fail("", "", "organizations ListOrganizationalUnitsForParent "+parentID, err)
			return
		}
		for _, ou := range page.OrganizationalUnits {
			path := strings.TrimPrefix(parentPath+"/"+aws.ToString(ou.Name), "/")
			o.OUs = append(o.OUs, OU{ID: aws.ToString(ou.Id), Name: aws.ToString(ou.Name), ParentID: parentID, Path: path})
			o.readOUs(ctx, org, aws.ToString(ou.Id), path)
		}
	}
}

// readTrails lists the management account's organization trails (a trail
// is listed in every region it logs; shadow trails included, so the home
// region's list holds every multi-region trail).
func (o *Organization) readTrails(ctx context.Context, cfg aws.Config) {
	out, err := cloudtrail.NewFromConfig(cfg).DescribeTrails(ctx, &cloudtrail.DescribeTrailsInput{IncludeShadowTrails: aws.Bool(true)})
	if err != nil {
		o.fail(o.ManagementAccountID, cfg.Region, "cloudtrail DescribeTrails", err)
		return
	}
	for _, t := range out.TrailList {
		if aws.ToBool(t.IsOrganizationTrail) {
			o.Trails = append(o.Trails, Trail{Name: aws.ToString(t.Name), ARN: aws.ToString(t.TrailARN), HomeRegion: aws.ToString(t.HomeRegion), LogGroupARN: aws.ToString(t.CloudWatchLogsLogGroupArn)})
		}
	}
}

// readAccounts reads every active account in every region, at most
// opts.Concurrency calls at a time.
func (o *Organization) readAccounts(ctx context.Context, cfg aws.Config, opts Options) {
	var mu sync.Mutex
	var done atomic.Int64
	sem := make(chan struct{}, opts.Concurrency)
	var wg sync.WaitGroup
	active := slices.DeleteFunc(slices.Clone(o.Accounts), func(a Account) bool { return a.Status != "" && a.Status != "ACTIVE" })
	for _, a := range active {
		state := &AccountState{Regions: map[string]*RegionState{}}
		for _, r := range opts.Regions {
			state.Regions[r] = &RegionState{}
		}
		o.State[a.ID] = state
		acfg := cfg.Copy()
		if a.ID != o.CallerAccountID {
			role := fmt.Sprintf("arn:%s:iam::%s:role/%s", config.PartitionOf(cfg.Region), a.ID, opts.RoleName)
			acfg.Credentials = aws.NewCredentialsCache(stscreds.NewAssumeRoleProvider(sts.NewFromConfig(cfg), role, func(p *stscreds.AssumeRoleOptions) {
				p.RoleSessionName = "landing-zone-audit-read"
			}))
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			_, err := acfg.Credentials.Retrieve(ctx)
			<-sem
			if err != nil {
				mu.Lock()
				o.fail(a.ID, "", "sts AssumeRole "+opts.RoleName, err)
				mu.Unlock()
				o.progress(opts, &done, len(active))
				return
			}
			state.Assumed = true
			var rg sync.WaitGroup
			for i, region := range opts.Regions {
				rg.Add(1)
				go func() {
					defer rg.Done()
					sem <- struct{}{}
					defer func() { <-sem }()
					rcfg := acfg.Copy()
					rcfg.Region = region
					problems := readRegion(ctx, rcfg, state.Regions[region], i == 0)
					mu.Lock()
					for _, p := range problems {
						p.Account, p.Region = a.ID, region
						o.Problems = append(o.Problems, p)
					}
					mu.Unlock()
				}()
			}
			rg.Wait()
			o.progress(opts, &done, len(active))
		}()
	}
	wg.Wait()
	if opts.Progress != nil && len(active) > 0 {
		fmt.Fprintln(opts.Progress)
	}
	sort.Slice(o.Problems, func(i, j int) bool { return o.Problems[i].String() < o.Problems[j].String() })
}

func (o *Organization) progress(opts Options, done *atomic.Int64, total int) {
	n := done.Add(1)
	if opts.Progress != nil {
		fmt.Fprintf(opts.Progress, "\rread %d/%d accounts × %d regions", n, total, len(opts.Regions))
	}
}

// readRegion reads what exists in one account and region.
func readRegion(ctx context.Context, cfg aws.Config, st *RegionState, home bool) []Problem {
	var problems []Problem
	fail := func(call string, err error) { problems = append(problems, Problem{Call: call, Err: errText(err)}) }

	opt, err := account.NewFromConfig(cfg).GetRegionOptStatus(ctx, &account.GetRegionOptStatusInput{RegionName: aws.String(cfg.Region)})
	if err != nil {
		fail("account GetRegionOptStatus", err)
	} else {
		st.OptStatus = string(opt.RegionOptStatus)
	}
	if st.OptStatus == string(acctypes.RegionOptStatusDisabled) || st.OptStatus == string(acctypes.RegionOptStatusDisabling) {
		return problems // nothing answers in a disabled region
	}

	cs := configservice.NewFromConfig(cfg)
	if recs, err := cs.DescribeConfigurationRecorders(ctx, &configservice.DescribeConfigurationRecordersInput{}); err != nil {
		fail("config DescribeConfigurationRecorders", err)
	} else {
		for _, r := range recs.ConfigurationRecorders {
			st.Recorders = append(st.Recorders, aws.ToString(r.Name))
		}
	}
	if chans, err := cs.DescribeDeliveryChannels(ctx, &configservice.DescribeDeliveryChannelsInput{}); err != nil {
		fail("config DescribeDeliveryChannels", err)
	} else {
		for _, c := range chans.DeliveryChannels {
			st.DeliveryChannels = append(st.DeliveryChannels, aws.ToString(c.Name))
		}
	}
	rules := configservice.NewDescribeConfigRulesPaginator(cs, &configservice.DescribeConfigRulesInput{})
	for rules.HasMorePages() {
		page, err := rules.NextPage(ctx)
		if err != nil {
			fail("config DescribeConfigRules", err)
			break
		}
		st.ConfigRules += len(page.ConfigRules)
	}
	detectors := guardduty.NewListDetectorsPaginator(guardduty.NewFromConfig(cfg), &guardduty.ListDetectorsInput{})
	for detectors.HasMorePages() {
		page, err := detectors.NextPage(ctx)
		if err != nil {
			fail("guardduty ListDetectors", err)
			break
		}
		st.Detectors = append(st.Detectors, page.DetectorIds...)
	}
	if home {
		_, err := securityhub.NewFromConfig(cfg).DescribeHub(ctx, &securityhub.DescribeHubInput{})
		var api smithy.APIError
		switch {
		case err == nil:
			st.Hub = true
		case errors.As(err, &api) && (api.ErrorCode() == "InvalidAccessException" || api.ErrorCode() == "ResourceNotFoundException"):
			// Security Hub is not enabled in this account and region.
		default:
			fail("securityhub DescribeHub", err)
		}
	}
	return problems
}

package live

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/example/landing-zone-audit/components"
	"github.com/example/landing-zone-audit/config"
)

// Status is a check's outcome.
type Status string

// The outcomes: FAIL stops the first pulumi up, WARN deserves a look.
const (
	Pass Status = "PASS"
	Warn Status = "WARN"
	Fail Status = "FAIL"
)

// Check is one prerequisite of the first pulumi up.
type Check struct {
	Name   string `json:"name"`
	Status Status `json:"status"`
	Detail string `json:"detail"`
	// Fix is the command (or step) that makes the check pass.
	Fix string `json:"fix,omitempty"`
}

// Planned is what preflight needs from the stack's offline plan.
type Planned struct {
	// ResourceTypes are the types the stack creates.
	ResourceTypes []string
	// MetricFilters is the number of metric filters the stack puts on the
	// alarms' log group.
	MetricFilters int
	// ConfigRules is the number of Config rules the stack's organization
	// rules and packs create in each member account.
	ConfigRules int
	// PolicyTypes are the organization policy types the stack's policies
	// need enabled on the root.
	PolicyTypes []string
	// SCPs are the names of the service control policies the stack
	// attaches, by target ("root" for the organization's root).
	SCPs map[string][]string
}

// Quotas preflight checks against.
const (
	// MetricFiltersPerLogGroup: CloudWatch Logs quotas, "Metric filters:
	// 100 per log group" (not adjustable).
	MetricFiltersPerLogGroup = 100
	// SCPsPerTarget: AWS Organizations quotas, "Maximum number of SCPs
	// attached to a root, OU or account: 5".
	SCPsPerTarget = 5
)

// stackSetsPrincipal is CloudFormation StackSets' trusted-access principal
// (service-managed permissions).
const stackSetsPrincipal = "member.org.stacksets.cloudformation.amazonaws.com"

// Preflight checks the organization o against the stack's configuration
// cfg and its plan, check by check.
func Preflight(o *Organization, cfg *config.Config, p Planned) []Check {
	var checks []Check
	add := func(name string, st Status, fix, format string, args ...any) {
		checks = append(checks, Check{Name: name, Status: st, Detail: fmt.Sprintf(format, args...), Fix: fix})
	}

	// The caller and the organization.
	if o.CallerAccountID == o.ManagementAccountID {
		add("caller is the management account", Pass, "", "%s", o.CallerARN)
	} else {
		add("caller is the management account", Fail, "run with credentials of the management account "+o.ManagementAccountID, "%s is in account %s", o.CallerARN, o.CallerAccountID)
	}
	if o.ID == cfg.OrganizationID {
		add("organization", Pass, "", "%s", o.ID)
	} else {
		add("organization", Fail, "set organizationId to "+o.ID, "the stack names %s, the credentials are in %s", cfg.OrganizationID, o.ID)
	}
	if o.FeatureSet == "ALL" {
		add("all features enabled", Pass, "", "feature set ALL")
	} else {
		add("all features enabled", Fail, "aws organizations enable-all-features (then every account accepts the handshake)", "feature set %s: organization trails, delegated administrators and SCPs need all features", o.FeatureSet)
	}

	checks = append(checks, accountChecks(o, cfg)...)
	checks = append(checks, trustedAccessChecks(o, cfg, p)...)
	checks = append(checks, administratorChecks(o, cfg)...)
	checks = append(checks, regionChecks(o, cfg)...)
	checks = append(checks, collisionChecks(o, cfg)...)

	checks = append(checks, policyChecks(o, p)...)
	switch {
	case p.MetricFilters > MetricFiltersPerLogGroup:
		add("metric filters per log group", Fail, "switch alarms off (alarms.cisDisabledControls) until at most 100 remain", "the stack puts %d metric filters on the alarms' log group; CloudWatch Logs allows %d", p.MetricFilters, MetricFiltersPerLogGroup)
	default:
		add("metric filters per log group", Pass, "", "%d of %d", p.MetricFilters, MetricFiltersPerLogGroup)
	}
	maxRules := 0
	for _, st := range o.State {
		for _, rs := range st.Regions {
			maxRules = max(maxRules, rs.ConfigRules)
		}
	}
	if total := maxRules + p.ConfigRules; total > components.MaxConfigRulesPerAccount {
		add("Config rules per account", Fail, "remove rules or packs, or ask AWS for a higher quota", "an account has %d rules and the stack adds %d: %d > %d", maxRules, p.ConfigRules, total, components.MaxConfigRulesPerAccount)
	} else {
		add("Config rules per account", Pass, "", "at most %d existing + %d from the stack, of %d", maxRules, p.ConfigRules, components.MaxConfigRulesPerAccount)
	}
	for _, pr := range o.Problems {
		add("read "+pr.Call, Warn, "", "%s", pr)
	}
	return checks
}

func accountChecks(o *Organization, cfg *config.Config) []Check {
	var checks []Check
	// The stack assumes the deploy role only in the accounts it has
	// providers for.
	deployed := cfg.DirectAliases()
	byID := map[string]Account{}
	for _, a := range o.Accounts {
		byID[a.ID] = a
	}
	for _, alias := range sortedKeys(cfg.Accounts) {
		want := cfg.Accounts[alias]
		a, ok := byID[want.ID]
		name := "account " + alias
		switch {
		case !ok:
			checks = append(checks, Check{name, Fail, fmt.Sprintf("%s is not an account of %s", want.ID, o.ID), "correct accounts." + alias + ".id, or invite the account"})
		case a.Status != "ACTIVE" && a.Status != "":
			checks = append(checks, Check{name, Fail, fmt.Sprintf("%s is %s", want.ID, a.Status), "remove accounts." + alias})
		case want.Email != "" && !strings.EqualFold(want.Email, a.Email):
			checks = append(checks, Check{name, Fail, fmt.Sprintf("the stack says %s, the organization %s", want.Email, a.Email), "set accounts." + alias + ".email to " + a.Email})
		default:
			checks = append(checks, Check{name, Pass, want.ID + " " + a.Name, ""})
		}
		if !ok {
			continue
		}
		caller := want.ID == o.CallerAccountID && cfg.ManagementCredentials == config.CredentialsCaller
		st := o.State[want.ID]
		switch {
		case caller || !slices.Contains(deployed, alias):
		case st != nil && st.Assumed:
			checks = append(checks, Check{"deploy role in " + alias, Pass, cfg.AccessRoleName + " assumed", ""})
		default:
			checks = append(checks, Check{"deploy role in " + alias, Fail,
				fmt.Sprintf("%s could not be assumed in %s", cfg.AccessRoleName, want.ID),
				fmt.Sprintf("create role %s in %s, trusting the management account %s", cfg.AccessRoleName, want.ID, o.ManagementAccountID)})
		}
	}
	return checks
}

func trustedAccessChecks(o *Organization, cfg *config.Config, p Planned) []Check {
	var principals []string
	for _, t := range p.ResourceTypes {
		if pr, ok := components.TrustedAccessPrincipal(t); ok && !slices.Contains(principals, pr) {
			principals = append(principals, pr)
		}
	}
	if cfg.MemberBaseline == config.BaselineStackSet {
		principals = append(principals, stackSetsPrincipal)
	}
	slices.Sort(principals)
	var checks []Check
	for _, pr := range principals {
		name := "trusted access " + pr
		fix := "aws organizations enable-aws-service-access --service-principal " + pr
		if pr == stackSetsPrincipal {
			fix = "aws cloudformation activate-organizations-access"
		}
		switch {
		case !o.TrustedAccessKnown:
			checks = append(checks, Check{name, Warn, "the list of trusted services could not be read", fix})
		case slices.Contains(o.TrustedAccess, pr):
			checks = append(checks, Check{name, Pass, "enabled", ""})
		default:
			checks = append(checks, Check{name, Fail, "not enabled", fix})
		}
	}
	return checks
}

// administratorChecks compare the delegated administrators with the
// stack's: the security account for the services it designates (AWS allows
// one administrator per service; a second designation fails), and Security
// Lake's, which only Security Lake's own API designates, by hand.
func administratorChecks(o *Organization, cfg *config.Config) []Check {
	security := cfg.AccountID(config.Security)
	want := map[string]bool{
		"guardduty.amazonaws.com":       cfg.GuardDuty.Enabled,
		"securityhub.amazonaws.com":     cfg.SecurityHub.Enabled,
		"access-analyzer.amazonaws.com": cfg.AccessAnalyzer.Enabled,
		"inspector2.amazonaws.com":      cfg.Inspector.Enabled,
		"macie.amazonaws.com":           cfg.Macie.Enabled,
		"detective.amazonaws.com":       cfg.Detective.Enabled,
	}
	var checks []Check
	for _, pr := range sortedKeys(want) {
		if !want[pr] {
			continue
		}
		name := "delegated administrator " + pr
		admins := o.DelegatedAdmins[pr]
		switch {
		case !o.DelegatedAdminsKnown:
			checks = append(checks, Check{name, Warn, "the delegated administrators could not be read", ""})
		case len(admins) == 0:
			checks = append(checks, Check{name, Pass, "none yet: the stack designates " + security, ""})
		case slices.Contains(admins, security):
			checks = append(checks, Check{name, Pass, security + " already (adopted)", ""})
		default:
			checks = append(checks, Check{name, Fail, fmt.Sprintf("%s holds it; the stack designates %s and AWS allows one", strings.Join(admins, ", "), security),
				fmt.Sprintf("aws organizations deregister-delegated-administrator --account-id %s --service-principal %s", admins[0], pr)})
		}
	}
	if cfg.SecurityLake.Enabled {
		lake := cfg.AccountID(cfg.SecurityLake.Account)
		name := "delegated administrator securitylake.amazonaws.com"
		switch {
		case !o.DelegatedAdminsKnown:
			checks = append(checks, Check{name, Warn, "the delegated administrators could not be read", ""})
		case slices.Contains(o.DelegatedAdmins["securitylake.amazonaws.com"], lake):
			checks = append(checks, Check{name, Pass, lake, ""})
		default:
			checks = append(checks, Check{name, Fail, "Security Lake's administrator is designated only through its own API, by hand",
				fmt.Sprintf("aws securitylake register-data-lake-delegated-administrator --account-id %s --region %s", lake, cfg.HomeRegion)})
		}
	}
	return checks
}

// policyChecks: the policy types the stack's policies need are enabled on
// the root, and each target keeps within five service control policies,
// counting those already attached (AWS Organizations quotas; the stack's own
// policies, attached by an earlier run, are not counted twice).
func policyChecks(o *Organization, p Planned) []Check {
	var checks []Check
	for _, t := range p.PolicyTypes {
		name := "policy type " + t
		if slices.Contains(o.RootPolicyTypes, t) {
			checks = append(checks, Check{name, Pass, "enabled on " + o.RootID, ""})
		} else {
			checks = append(checks, Check{name, Fail, "not enabled on the root",
				fmt.Sprintf("aws organizations enable-policy-type --root-id %s --policy-type %s", o.RootID, t)})
		}
	}
	for _, target := range sortedKeys(p.SCPs) {
		name := "SCPs on " + target
		existing, ok := o.TargetPolicies[target]
		if !ok {
			checks = append(checks, Check{name, Warn, "the attached policies could not be read", ""})
			continue
		}
		others := slices.DeleteFunc(slices.Clone(existing), func(n string) bool { return slices.Contains(p.SCPs[target], n) })
		total := len(others) + len(p.SCPs[target])
		if total > SCPsPerTarget {
			checks = append(checks, Check{name, Fail,
				fmt.Sprintf("%d attached (%s) + %d from the stack = %d, over AWS's %d", len(others), strings.Join(others, ", "), len(p.SCPs[target]), total, SCPsPerTarget),
				"detach or merge policies on " + target + " (aws organizations list-policies-for-target --filter SERVICE_CONTROL_POLICY --target-id ...)"})
		} else {
			checks = append(checks, Check{name, Pass, fmt.Sprintf("%d attached + %d from the stack, of %d", len(others), len(p.SCPs[target]), SCPsPerTarget), ""})
		}
	}
	return checks
}

// regionChecks: every governed region answers in every account (an opt-in
// region is enabled).
func regionChecks(o *Organization, cfg *config.Config) []Check {
	var checks []Check
	for _, region := range cfg.GovernedRegions {
		var disabled, unknown []string
		for _, alias := range sortedKeys(cfg.Accounts) {
			id := cfg.AccountID(alias)
			st := o.State[id]
			if st == nil || !st.Assumed {
				continue
			}
			switch rs := st.Regions[region]; {
			case rs == nil || rs.OptStatus == "":
				unknown = append(unknown, id)
			case rs.OptStatus != "ENABLED" && rs.OptStatus != "ENABLED_BY_DEFAULT":
				disabled = append(disabled, id)
			}
		}
		name := "region " + region + " enabled"
		switch {
		case len(disabled) > 0:
			checks = append(checks, Check{name, Fail, "not enabled in " + strings.Join(disabled, ", "),
				fmt.Sprintf("aws account enable-region --region-name %s --account-id %s (from management, once per account)", region, disabled[0])})
		case len(unknown) > 0 && slices.Contains(config.OptInRegions, region):
			checks = append(checks, Check{name, Warn, "status unknown in " + strings.Join(unknown, ", "), ""})
		default:
			checks = append(checks, Check{name, Pass, "in every account read", ""})
		}
	}
	return checks
}

// collisionChecks find what exists but is not adopted: AWS allows one
// recorder and one delivery channel per account and region
// (MaxNumberOfConfigurationRecordersExceededException), one detector
// ("a detector already exists") and one hub per account and region.
func collisionChecks(o *Organization, cfg *config.Config) []Check {
	var checks []Check
	recorded := cfg.RecorderAliases()
	for _, alias := range sortedKeys(cfg.Accounts) {
		st := o.State[cfg.AccountID(alias)]
		if st == nil {
			continue
		}
		for _, region := range cfg.GovernedRegions {
			rs := st.Regions[region]
			if rs == nil {
				continue
			}
			where := alias + " " + region
			if slices.Contains(recorded, alias) && len(rs.Recorders) > 0 {
				adopted, ok := cfg.Adopt.ConfigRecorders[alias][region]
				if ok && adopted.Recorder == rs.Recorders[0] {
					checks = append(checks, Check{"recorder " + where, Pass, "adopted: " + adopted.Recorder, ""})
				} else {
					channel := ""
					if len(rs.DeliveryChannels) > 0 {
						channel = ", deliveryChannel: " + rs.DeliveryChannels[0]
					}
					checks = append(checks, Check{"recorder " + where, Fail, "recorder " + rs.Recorders[0] + " exists and is not adopted",
						fmt.Sprintf("add adopt.configRecorders.%s.%s: {recorder: %s%s}", alias, region, rs.Recorders[0], channel)})
				}
			}
			if !slices.Contains(recorded, alias) && cfg.MemberBaseline == config.BaselineStackSet && len(rs.Recorders) > 0 {
				checks = append(checks, Check{"recorder " + where, Fail, "recorder " + rs.Recorders[0] + " exists: the StackSet's instance there fails (one recorder per account and region)",
					fmt.Sprintf("delete it (aws configservice delete-configuration-recorder --configuration-recorder-name %s, in %s %s) or keep the account out of stackSet.organizationalUnitIds", rs.Recorders[0], cfg.AccountID(alias), region)})
			}
			if (alias == config.Management || alias == config.Security) && cfg.GuardDuty.Enabled && len(rs.Detectors) > 0 {
				if cfg.Adopt.GuardDutyDetectors[alias][region] == rs.Detectors[0] {
					checks = append(checks, Check{"detector " + where, Pass, "adopted: " + rs.Detectors[0], ""})
				} else {
					checks = append(checks, Check{"detector " + where, Fail, "detector " + rs.Detectors[0] + " exists and is not adopted",
						fmt.Sprintf("add adopt.guardDutyDetectors.%s.%s: %s", alias, region, rs.Detectors[0])})
				}
			}
			if alias == config.Security && region == cfg.HomeRegion && cfg.SecurityHub.Enabled && rs.Hub {
				if cfg.Adopt.SecurityHub {
					checks = append(checks, Check{"Security Hub " + where, Pass, "adopted", ""})
				} else {
					checks = append(checks, Check{"Security Hub " + where, Fail, "Security Hub is enabled and not adopted", "set adopt.securityHub: true"})
				}
			}
		}
	}
	if cfg.DeploysTrail() {
		for _, t := range o.Trails {
			checks = append(checks, Check{"organization trail " + t.Name, Warn, "exists beside the trail this stack creates: two organization trails double the cost of delivery",
				"set orgTrail.enabled: false and alarms.logGroupName to its log group, or delete it"})
		}
	}
	switch {
	case o.ControlTower() && !cfg.ControlTower.Enabled:
		checks = append(checks, Check{"Control Tower", Fail, "Control Tower's organization trail exists: its recorders and trail collide with the stack's", "set controlTower.enabled: true"})
	case o.ControlTower():
		checks = append(checks, Check{"Control Tower", Pass, "present, and controlTower.enabled", ""})
	default:
		checks = append(checks, Check{"Control Tower", Pass, "no Control Tower trail", ""})
	}
	return checks
}

// Failed reports whether any check failed.
func Failed(checks []Check) bool {
	return slices.ContainsFunc(checks, func(c Check) bool { return c.Status == Fail })
}

// WriteChecks prints the checks as a table or JSON.
func WriteChecks(w io.Writer, checks []Check, format string) error {
	if format == "json" {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return enc.Encode(checks)
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, c := range checks {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", c.Status, c.Name, c.Detail)
		if c.Fix != "" {
			fmt.Fprintf(tw, "\t\tfix: %s\n", c.Fix)
		}
	}
	counts := map[Status]int{}
	for _, c := range checks {
		counts[c.Status]++
	}
	fmt.Fprintf(tw, "\n%d passed, %d warnings, %d failed\n", counts[Pass], counts[Warn], counts[Fail])
	return tw.Flush()
}

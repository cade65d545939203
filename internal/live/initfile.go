package live

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"unicode"

	"gopkg.in/yaml.v3"

	"github.com/example/landing-zone-audit/config"
)

// InitOptions shape the stack file init writes.
type InitOptions struct {
	Project string
	// Prefix is resourcePrefix.
	Prefix string
	// Regions are the governed regions; the first is the home region.
	Regions  []string
	RoleName string
	// SecurityAccount and LogArchiveAccount name the core accounts by ID or
	// name; empty means recognise them by their names, then Ask.
	SecurityAccount, LogArchiveAccount string
	// Ask chooses an account for a core role when none is recognised; nil
	// means the choice is an error naming the flag.
	Ask func(role string, accounts []Account) (string, error)
}

// directModeAccountRegions is where init switches to StackSet mode: the
// default provider budget (maxProviderProcesses: 40) less the providers the
// core accounts need beside the members'.
const directModeAccountRegions = 36

// Names Control Tower and common landing zones give the core accounts.
var (
	securityNames   = []string{"audit", "security", "security tooling", "securitytooling", "security-tooling"}
	logArchiveNames = []string{"log archive", "log-archive", "logarchive", "logs", "log archive account"}
)

// StackFile writes a stack file for o: the organization, its accounts
// under aliases derived from their names, the core accounts, and what
// exists already as the adoption keys the program understands. Lines a
// human must decide on start with "# DECIDE:"; what could not be read
// starts with "# UNVERIFIED:".
func StackFile(o *Organization, opts InitOptions) (string, error) {
	if len(opts.Regions) == 0 {
		return "", fmt.Errorf("--regions: name the governed regions, the home region first")
	}
	active := slices.DeleteFunc(slices.Clone(o.Accounts), func(a Account) bool { return a.Status != "" && a.Status != "ACTIVE" })
	security, err := coreAccount(active, o.ManagementAccountID, "security", "--security-account", opts.SecurityAccount, securityNames, opts.Ask)
	if err != nil {
		return "", err
	}
	logArchive, err := coreAccount(active, o.ManagementAccountID, "log archive", "--log-archive-account", opts.LogArchiveAccount, logArchiveNames, opts.Ask)
	if err != nil {
		return "", err
	}
	if security == logArchive {
		return "", fmt.Errorf("security and log archive are both account %s; name two accounts with --security-account and --log-archive-account", security)
	}
	aliases := Aliases(active, map[string]string{o.ManagementAccountID: config.Management, security: config.Security, logArchive: config.LogArchive})
	home := opts.Regions[0]
	ct := o.ControlTower()
	ns := opts.Project + ":"

	var b strings.Builder
	line := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }
	line("# Written by `landing-zone-audit init` from organization %s (management account %s).", o.ID, o.ManagementAccountID)
	line("# Lines starting with \"# DECIDE:\" need a decision before the first pulumi up;")
	line("# \"# UNVERIFIED:\" marks what could not be read. Run `landing-zone-audit preflight` next.")
	line("config:")
	line("  pulumi:disable-default-providers:")
	line("    - aws")
	line("    - aws-native")
	line("  %sorganizationId: %s", ns, q(o.ID))
	line("  %sresourcePrefix: %s", ns, q(opts.Prefix))
	line("  %shomeRegion: %s", ns, q(home))
	line("  %sgovernedRegions:", ns)
	for _, r := range opts.Regions {
		line("    - %s", q(r))
	}
	if optIn := o.optInRegions(opts.Regions, &b); len(optIn) > 0 {
		line("  %soptInRegions:", ns)
		for _, r := range optIn {
			line("    - %s", q(r))
		}
	}
	role := opts.RoleName
	if role != "OrganizationAccountAccessRole" {
		line("  %saccessRoleName: %s", ns, q(role))
	}
	stackSet := !ct && len(active)*len(opts.Regions) > directModeAccountRegions
	if stackSet {
		line("  # DECIDE: %d accounts × %d regions is too many providers for direct mode: a service-managed", len(active), len(opts.Regions))
		line("  #   StackSet gives every account under the root its recorder; narrow it to OUs (listed below) if you like.")
		line("  %smemberBaseline: stackset", ns)
		line("  %sstackSet:", ns)
		line("    organizationalUnitIds:")
		line("      - %s", q(o.RootID))
	}
	if ct {
		line("  # Control Tower's trail exists: its trail and the recorders of enrolled accounts are Control Tower's.")
		line("  %scontrolTower:", ns)
		line("    enabled: true")
	}
	for _, t := range o.Trails {
		if !strings.HasPrefix(t.Name, "aws-controltower-") {
			line("  # DECIDE: organization trail %s (home %s) exists; this stack creates its own. To use it instead,", t.Name, t.HomeRegion)
			line("  #   set orgTrail.enabled: false and alarms.logGroupName to its log group (%s).", orDash(t.LogGroupARN))
		}
	}

	line("  %saccounts:", ns)
	for _, a := range sortedByAlias(active, aliases) {
		alias := aliases[a.ID]
		if st := o.State[a.ID]; st != nil && !st.Assumed && a.ID != o.CallerAccountID {
			line("    # UNVERIFIED: %s (%s) could not be read through %s; what exists there is not listed.", alias, a.Name, role)
		}
		line("    %s:  # %s", alias, a.Name)
		line("      id: %s", q(a.ID))
		line("      email: %s", q(a.Email))
	}
	for _, a := range o.Accounts {
		if a.Status != "" && a.Status != "ACTIVE" {
			line("    # %s (%s) is %s and is left out.", a.ID, a.Name, a.Status)
		}
	}

	// The accounts whose recorders the stack manages, and can adopt: with
	// Control Tower only management; with a StackSet the core accounts.
	recorded := func(alias string) bool {
		switch {
		case ct:
			return alias == config.Management
		case stackSet:
			return slices.Contains(config.CoreAliases, alias)
		}
		return true
	}
	o.writeAdopt(&b, ns, aliases, opts.Regions, security, recorded)
	o.writeAdministrators(&b, security)
	if len(o.OUs) > 0 || o.RootID != "" {
		line("  # The organization's root and OUs, for stackSet.organizationalUnitIds (memberBaseline: stackset):")
		if o.RootID != "" {
			line("  #   %s  root", o.RootID)
		}
		for _, ou := range o.OUs {
			line("  #   %s  %s", ou.ID, ou.Path)
		}
	}
	line("  # DECIDE: the addresses that receive the alerts.")
	line("  %salertEmails: []", ns)
	return b.String(), nil
}

// writeAdopt writes adopt: the detectors of the accounts the stack creates
// detectors in (management and security, GuardDuty's organization mode),
// the recorders of the accounts it records, and Security Hub in security.
func (o *Organization) writeAdopt(b *strings.Builder, ns string, aliases map[string]string, regions []string, security string, recorded func(string) bool) {
	var detectors, recorders, blocking []string
	var memberDetectors int
	for _, id := range sortedIDs(aliases) {
		st := o.State[id]
		if st == nil {
			continue
		}
		alias := aliases[id]
		for _, r := range regions {
			rs := st.Regions[r]
			if rs == nil {
				continue
			}
			if len(rs.Detectors) > 0 {
				if alias == config.Management || alias == config.Security {
					detectors = append(detectors, fmt.Sprintf("      %s:\n        %s: %s", alias, r, q(rs.Detectors[0])))
				} else {
					memberDetectors++
				}
			}
			if len(rs.Recorders) > 0 && !recorded(alias) {
				blocking = append(blocking, fmt.Sprintf("%s %s (%s)", alias, r, rs.Recorders[0]))
			}
			if len(rs.Recorders) > 0 && recorded(alias) {
				rec := fmt.Sprintf("      %s:\n        %s:\n          recorder: %s", alias, r, q(rs.Recorders[0]))
				if len(rs.DeliveryChannels) > 0 {
					rec += "\n          deliveryChannel: " + q(rs.DeliveryChannels[0])
				}
				recorders = append(recorders, rec)
			}
		}
	}
	hub := false
	if st := o.State[security]; st != nil && st.Regions[regions[0]] != nil && st.Regions[regions[0]].Hub {
		hub = true
	}
	if len(blocking) > 0 {
		fmt.Fprintf(b, "  # DECIDE: recorders the stack does not manage exist in %s: a StackSet instance fails there\n", strings.Join(blocking, ", "))
		fmt.Fprintf(b, "  #   (one recorder per account and region); delete them or keep those accounts out of its OUs.\n")
	}
	if len(detectors)+len(recorders) == 0 && !hub {
		if memberDetectors > 0 {
			fmt.Fprintf(b, "  # %d member detectors exist: GuardDuty's auto-enable makes them members as they are.\n", memberDetectors)
		}
		return
	}
	fmt.Fprintf(b, "  # What exists already: imported by the first pulumi up, not created.\n")
	if memberDetectors > 0 {
		fmt.Fprintf(b, "  # %d member detectors exist too: GuardDuty's auto-enable makes them members as they are.\n", memberDetectors)
	}
	fmt.Fprintf(b, "  %sadopt:\n", ns)
	if len(detectors) > 0 {
		fmt.Fprintf(b, "    guardDutyDetectors:\n%s\n", mergeAliases(detectors))
	}
	if len(recorders) > 0 {
		fmt.Fprintf(b, "    configRecorders:\n%s\n", mergeAliases(recorders))
	}
	if hub {
		fmt.Fprintf(b, "    securityHub: true\n")
	}
}

// mergeAliases joins entries of the form "      alias:\n        rest" so
// that each alias is written once, its regions below it.
func mergeAliases(entries []string) string {
	var out []string
	last := ""
	for _, e := range entries {
		head, rest, _ := strings.Cut(e, "\n")
		if head != last {
			out = append(out, head)
			last = head
		}
		out = append(out, rest)
	}
	return strings.Join(out, "\n")
}

// administeredBy are the services whose delegated administrator the stack
// makes the security account.
var administeredBy = []string{
	"guardduty.amazonaws.com", "securityhub.amazonaws.com", "access-analyzer.amazonaws.com",
	"inspector2.amazonaws.com", "macie.amazonaws.com", "detective.amazonaws.com", "config.amazonaws.com",
}

func (o *Organization) writeAdministrators(b *strings.Builder, security string) {
	for _, principal := range administeredBy {
		for _, admin := range o.DelegatedAdmins[principal] {
			if admin != security {
				fmt.Fprintf(b, "  # DECIDE: %s's delegated administrator is %s, not the security account %s; AWS allows one:\n", principal, admin, security)
				fmt.Fprintf(b, "  #   deregister it (aws organizations deregister-delegated-administrator --account-id %s --service-principal %s) or choose it as security.\n", admin, principal)
			}
		}
	}
	if !o.DelegatedAdminsKnown {
		fmt.Fprintf(b, "  # UNVERIFIED: the delegated administrators could not be read.\n")
	}
	for _, admin := range o.DelegatedAdmins["securitylake.amazonaws.com"] {
		fmt.Fprintf(b, "  # Security Lake's delegated administrator is %s: securityLake.account must name it.\n", admin)
	}
}

// optInRegions are the governed opt-in regions; a comment names the
// accounts where one is not enabled.
func (o *Organization) optInRegions(regions []string, b *strings.Builder) []string {
	var out []string
	for _, r := range regions {
		if !slices.Contains(config.OptInRegions, r) {
			continue
		}
		out = append(out, r)
		var disabled []string
		for _, id := range sortedKeys(o.State) {
			if rs := o.State[id].Regions[r]; rs != nil && rs.OptStatus != "" && rs.OptStatus != "ENABLED" && rs.OptStatus != "ENABLED_BY_DEFAULT" {
				disabled = append(disabled, id)
			}
		}
		if len(disabled) > 0 {
			fmt.Fprintf(b, "  # DECIDE: opt-in region %s is not enabled in %s: enable it there (aws account enable-region --region-name %s --account-id ID) or remove it.\n", r, strings.Join(disabled, ", "), r)
		}
	}
	return out
}

// coreAccount picks the account playing role: the flag's value (an ID or a
// name), else the one account whose name is a common name for the role,
// else Ask.
func coreAccount(accounts []Account, management, role, flag, chosen string, names []string, ask func(string, []Account) (string, error)) (string, error) {
	candidates := slices.DeleteFunc(slices.Clone(accounts), func(a Account) bool { return a.ID == management })
	if chosen != "" {
		for _, a := range candidates {
			if a.ID == chosen || strings.EqualFold(a.Name, chosen) {
				return a.ID, nil
			}
		}
		return "", fmt.Errorf("%s %q names no active member account of the organization", flag, chosen)
	}
	var matched []Account
	for _, a := range candidates {
		if slices.Contains(names, strings.ToLower(strings.TrimSpace(a.Name))) {
			matched = append(matched, a)
		}
	}
	if len(matched) == 1 {
		return matched[0].ID, nil
	}
	if ask != nil {
		id, err := ask(role, candidates)
		if err != nil {
			return "", err
		}
		return coreAccount(accounts, management, role, flag, id, names, nil)
	}
	return "", fmt.Errorf("no single account is recognisably the %s account (%d named like one); name it with %s ID", role, len(matched), flag)
}

// Aliases derives a stack alias for each account from its name: lower
// camel case of its letters and digits (the rule config checks: a letter
// first, at most 32), fixed for the core accounts, and made unique by the
// account ID's last digits. Accounts are taken in ID order, so the same
// organization always gets the same aliases.
func Aliases(accounts []Account, fixed map[string]string) map[string]string {
	out := map[string]string{}
	used := map[string]bool{}
	for id, alias := range fixed {
		out[id] = alias
		used[alias] = true
	}
	sorted := slices.Clone(accounts)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].ID < sorted[j].ID })
	for _, a := range sorted {
		if _, ok := out[a.ID]; ok {
			continue
		}
		alias := camel(a.Name)
		if len(alias) > 24 {
			alias = alias[:24]
		}
		if used[alias] {
			alias += a.ID[len(a.ID)-4:]
		}
		for n := 2; used[alias]; n++ {
			alias = fmt.Sprintf("%s%d", strings.TrimRight(alias, "0123456789"), n)
		}
		out[a.ID] = alias
		used[alias] = true
	}
	return out
}

// camel is name in lower camel case, starting with a letter.
func camel(name string) string {
	words := strings.FieldsFunc(name, func(r rune) bool { return r > unicode.MaxASCII || !(unicode.IsLetter(r) || unicode.IsDigit(r)) })
	var b strings.Builder
	for i, w := range words {
		w = strings.ToLower(w)
		if i > 0 {
			w = strings.ToUpper(w[:1]) + w[1:]
		}
		b.WriteString(w)
	}
	s := b.String()
	if s == "" || !unicode.IsLetter(rune(s[0])) {
		s = "account" + strings.ToUpper(s[:min(1, len(s))]) + s[min(1, len(s)):]
	}
	return s
}

func sortedByAlias(accounts []Account, aliases map[string]string) []Account {
	out := slices.Clone(accounts)
	rank := func(alias string) int {
		switch alias {
		case config.Management:
			return 0
		case config.Security:
			return 1
		case config.LogArchive:
			return 2
		}
		return 3
	}
	sort.Slice(out, func(i, j int) bool {
		ai, aj := aliases[out[i].ID], aliases[out[j].ID]
		if rank(ai) != rank(aj) {
			return rank(ai) < rank(aj)
		}
		return ai < aj
	})
	return out
}

func sortedIDs(aliases map[string]string) []string {
	ids := make([]string, 0, len(aliases))
	for id := range aliases {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return aliases[ids[i]] < aliases[ids[j]] })
	return ids
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// q is s as a YAML scalar (quoted where YAML would read it otherwise).
func q(s string) string {
	out, err := yaml.Marshal(s)
	if err != nil {
		return fmt.Sprintf("%q", s)
	}
	text := strings.TrimSuffix(string(out), "\n")
	if strings.Trim(text, "0123456789") == "" {
		return `"` + s + `"` // account IDs stay strings
	}
	return text
}

func orDash(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

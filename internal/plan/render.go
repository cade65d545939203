package plan

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"slices"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/example/landing-zone-audit/components"
	"github.com/example/landing-zone-audit/internal/jsondoc"
)

// Formats lists the output formats of Write.
var Formats = []string{"table", "summary", "json", "mermaid", "destroy"}

// Write prints p in the given format.
func (p *Plan) Write(w io.Writer, format string) error {
	switch format {
	case "table":
		return p.writeTable(w, false)
	case "summary":
		return p.writeTable(w, true)
	case "json":
		s, err := jsondoc.MarshalIndent(p, "  ") // patterns and policies keep && and >= readable
		if err != nil {
			return err
		}
		_, err = io.WriteString(w, s+"\n")
		return err
	case "mermaid":
		return p.writeMermaid(w)
	case "destroy":
		return p.writeDestroy(w)
	}
	return fmt.Errorf("unknown format %q; use one of %s", format, strings.Join(Formats, ", "))
}

// group is the resources of one account and region.
type group struct {
	account, accountID, region string
	resources                  []Resource
}

func (g group) title() string {
	if g.account == "" {
		return "components and stack (no provider)"
	}
	return fmt.Sprintf("%s (%s) %s", g.account, g.accountID, g.region)
}

// coreOrder puts the core accounts first, in this order.
var coreOrder = []string{"management", "security", "logArchive"}

func accountRank(alias string) int {
	if i := slices.Index(coreOrder, alias); i >= 0 {
		return i
	}
	if alias == "" {
		return len(coreOrder) + 2 // components last
	}
	return len(coreOrder)
}

// groups splits the resources by account and region: core accounts first,
// then the others alphabetically, components last.
func (p *Plan) groups() []group {
	index := map[string]int{}
	var gs []group
	for _, r := range p.Resources {
		k := r.AccountID + "/" + r.Region
		i, ok := index[k]
		if !ok {
			i = len(gs)
			index[k] = i
			gs = append(gs, group{account: r.Account, accountID: r.AccountID, region: r.Region})
		}
		gs[i].resources = append(gs[i].resources, r)
	}
	sort.SliceStable(gs, func(i, j int) bool {
		if ri, rj := accountRank(gs[i].account), accountRank(gs[j].account); ri != rj {
			return ri < rj
		}
		return gs[i].title() < gs[j].title()
	})
	for _, g := range gs {
		sort.SliceStable(g.resources, func(i, j int) bool {
			if g.resources[i].Type != g.resources[j].Type {
				return g.resources[i].Type < g.resources[j].Type
			}
			return g.resources[i].Name < g.resources[j].Name
		})
	}
	return gs
}

// physicalNameKeys are the inputs that hold a resource's name in AWS, most
// specific first.
var physicalNameKeys = []string{"bucket", "name", "analyzerName", "alarmName", "stackSetName", "aliasName", "ruleName"}

// PhysicalName is the resource's name in AWS, where the inputs give one.
func (r Resource) PhysicalName() string {
	if r.IsProvider() || !r.Custom {
		return ""
	}
	for _, k := range physicalNameKeys {
		if v, ok := r.Inputs[k].(string); ok && v != "" {
			return v
		}
	}
	return ""
}

// importNote marks an adopted resource: imported with this ID, then updated
// to the inputs shown wherever the existing one differs.
func (r Resource) importNote() string {
	if r.Import == "" {
		return ""
	}
	return "  (import " + r.Import + ", then update to these inputs)"
}

// serviceOf is the AWS service of a type token: "aws:s3/bucketV2:BucketV2" is s3.
func serviceOf(typ string) string {
	pkg, module, _ := splitType(typ)
	if pkg == "pulumi" {
		return "provider"
	}
	return module
}

// splitType splits "aws:s3/bucketV2:BucketV2" into aws, s3 and BucketV2.
func splitType(typ string) (pkg, module, name string) {
	parts := strings.Split(typ, ":")
	if len(parts) != 3 {
		return "", typ, typ
	}
	module, _, _ = strings.Cut(parts[1], "/")
	return parts[0], module, parts[2]
}

func (p *Plan) writeTable(w io.Writer, summary bool) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	gs := p.groups()
	names := p.accountNames()
	var custom, components, providers int
	for _, r := range p.Resources {
		switch {
		case r.IsProvider():
			providers++
		case r.Custom:
			custom++
		default:
			components++
		}
	}
	fmt.Fprintf(tw, "%d resources: %d AWS resources, %d components, %d providers\n", len(p.Resources), custom, components, providers)
	fmt.Fprintf(tw, "deploy footprint: %s\n", p.Footprint)
	for _, line := range p.costLines() {
		fmt.Fprintln(tw, line)
	}
	for _, w := range p.Warnings {
		fmt.Fprintf(tw, "warning: %s\n", w)
	}
	for _, line := range append(p.metricFilters(), p.vpceNote()...) {
		fmt.Fprintln(tw, line)
	}
	for _, line := range p.suppressions() {
		fmt.Fprintln(tw, line)
	}
	fmt.Fprintln(tw)
	fmt.Fprintln(tw, "account\taccount ID\tregion\tresources")
	for _, g := range gs {
		if g.account != "" {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%d\n", g.account, g.accountID, g.region, len(g.resources))
		}
	}
	fmt.Fprintln(tw)
	for _, line := range p.stackSetTargets() {
		fmt.Fprintln(tw, line)
	}
	for _, line := range p.guardrails() {
		fmt.Fprintln(tw, line)
	}
	for _, g := range gs {
		fmt.Fprintf(tw, "%s: %d resources\n", g.title(), len(g.resources))
		if summary {
			counts := map[string]int{}
			for _, r := range g.resources {
				counts[serviceOf(r.Type)]++
			}
			for _, svc := range sortedKeys(counts) {
				fmt.Fprintf(tw, "  %s\t%d\n", svc, counts[svc])
			}
		} else {
			for _, r := range g.resources {
				fmt.Fprintf(tw, "  %s\t%s\t%s%s%s\n", r.Type, r.Name, r.PhysicalName(), r.importNote(), r.exclusionsNote(names))
			}
		}
		fmt.Fprintln(tw)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := io.WriteString(w, p.prerequisites()+p.watchedRolesNote())
	return err
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// suppressions says what each suppression archives or suppresses, and why.
func (p *Plan) suppressions() []string {
	regions := map[string][]string{}
	descriptions := map[string]string{}
	var names []string
	for _, r := range p.Resources {
		var name string
		switch r.Type {
		case "aws:guardduty/filter:Filter":
			name, _ = r.Inputs["name"].(string)
			name = "GuardDuty " + name
		case "aws:securityhub/automationRule:AutomationRule":
			name, _ = r.Inputs["ruleName"].(string)
			name = "Security Hub " + name
		default:
			continue
		}
		if _, ok := descriptions[name]; !ok {
			names = append(names, name)
			descriptions[name], _ = r.Inputs["description"].(string)
		}
		regions[name] = append(regions[name], r.Region)
	}
	var lines []string
	for _, n := range names {
		lines = append(lines, fmt.Sprintf("suppressed: %s (%s): %s", n, strings.Join(regions[n], ", "), descriptions[n]))
	}
	return lines
}

// stackSetTargets says what each StackSet instance deploys where: the
// member accounts have no resources of their own in the plan.
func (p *Plan) stackSetTargets() []string {
	var lines []string
	for _, r := range p.ByType("aws:cloudformation/stackSetInstance:StackSetInstance") {
		targets, _ := r.Inputs["deploymentTargets"].(map[string]any)
		ous := fmt.Sprint(targets["organizationalUnitIds"])
		where := "every account in " + ous
		if accts, ok := targets["accounts"].([]any); ok && len(accts) > 0 {
			switch targets["accountFilterType"] {
			case "DIFFERENCE":
				where += fmt.Sprintf(" except %v", accts)
			case "INTERSECTION":
				where = fmt.Sprintf("accounts %v in %s", accts, ous)
			}
		}
		lines = append(lines, fmt.Sprintf("StackSet %v deploys in %v to %s (%s)", r.Inputs["stackSetName"], r.Inputs["region"], where, r.Name))
	}
	if len(lines) > 0 {
		lines = append(lines, "")
	}
	return lines
}

// prerequisites lists what someone must do by hand around `pulumi up`.
func (p *Plan) prerequisites() string {
	var b strings.Builder
	b.WriteString("Before pulumi up (from the management account, once):\n")
	var principals []string
	for _, r := range p.Resources {
		if principal, ok := components.TrustedAccessPrincipal(r.Type); ok && !slices.Contains(principals, principal) {
			principals = append(principals, principal)
		}
	}
	sort.Strings(principals)
	for _, pr := range principals {
		fmt.Fprintf(&b, "  aws organizations enable-aws-service-access --service-principal %s\n", pr)
	}
	types := map[string]bool{}
	for _, r := range p.ByType("aws:organizations/policy:Policy") {
		if t, _ := r.Inputs["type"].(string); t != "" && !types[t] {
			types[t] = true
			fmt.Fprintf(&b, "  aws organizations enable-policy-type --root-id <root ID> --policy-type %s\n", t)
		}
	}
	if len(p.ByType("aws:cloudformation/stackSet:StackSet")) > 0 {
		b.WriteString("  aws cloudformation activate-organizations-access\n")
	}
	// Security Lake designates its administrator only through its own API,
	// which no provider has a resource for; the stack checks it at deploy.
	if lakes := p.ByType("aws:securitylake/dataLake:DataLake"); len(lakes) > 0 {
		fmt.Fprintf(&b, "  aws securitylake register-data-lake-delegated-administrator --account-id %s\n", lakes[0].AccountID)
	}
	b.WriteString(p.securityLakePrerequisites())
	chat := map[string]string{}
	for _, typ := range []string{"aws:chatbot/slackChannelConfiguration:SlackChannelConfiguration", "aws:chatbot/teamsChannelConfiguration:TeamsChannelConfiguration"} {
		for _, r := range p.ByType(typ) {
			chat[fmt.Sprintf("%s (%s)", r.Account, r.AccountID)] = r.Region
		}
	}
	for _, account := range sortedKeys(chat) {
		fmt.Fprintf(&b, "  authorize the Slack workspace or Teams team in the AWS Chatbot console of %s (once per account; the API then works in %s)\n", account, chat[account])
	}
	subs := 0
	for _, r := range p.ByType("aws:sns/topicSubscription:TopicSubscription") {
		if r.Inputs["protocol"] == "email" {
			subs++
		}
	}
	if subs > 0 {
		fmt.Fprintf(&b, "After pulumi up: confirm the %d email subscriptions AWS sends (one per address and alert topic).\n", subs)
	}
	b.WriteString(p.detectiveMembership())
	if command, ok := p.Outputs["securityLakeOrganizationConfigurationCommand"].(string); ok {
		fmt.Fprintf(&b, "After the first pulumi up, from Security Lake's administrator, so that accounts joining later are collected:\n  %s\n", command)
	}
	return b.String()
}

// detectiveMembership says what an up does with Detective's members, and
// what accounts that join later get. Detective keeps an account that has
// not been a GuardDuty customer for 48 hours ACCEPTED_BUT_DISABLED
// (Detective user guide; API reference, MemberDetail), which the provider's
// member create does not accept, so a first up that turns GuardDuty on
// too enables no account; Detective's organization auto-enable takes an
// account that joins later, and enables it itself once it qualifies.
func (p *Plan) detectiveMembership() string {
	if len(p.ByType("aws:detective/graph:Graph")) == 0 {
		return ""
	}
	later := "Accounts that join the organization later are members through Detective's auto-enable, which enables each itself once it has been a GuardDuty customer for 48 hours.\n"
	accounts := map[any]bool{}
	for _, m := range p.ByType("aws:detective/member:Member") {
		accounts[m.Inputs["accountId"]] = true
	}
	if len(accounts) == 0 {
		return "Detective: behavior graphs only; the listed accounts become members in an up with detective.enableAccounts: true, at least 48 hours after GuardDuty started in them. " + later
	}
	return fmt.Sprintf("Detective enables %d listed accounts, each after its GuardDuty enrolment; each must have been a GuardDuty customer for 48 hours, or Detective leaves it ACCEPTED_BUT_DISABLED and the up fails there (where GuardDuty is new in this up, set detective.enableAccounts: false, and true 48 hours later). ", len(accounts)) + later
}

// securityLakePrerequisites are the checks in the lake account before the
// first up: an earlier enablement's Glue database in a region makes a new
// data lake there fail (terraform-provider-aws 40363), and a query
// subscriber needs Lake Formation's cross-account version 2 or later, the
// creating role among the Lake Formation administrators, and the
// subscriber's acceptance of the RAM share within 12 hours (Security Lake
// user guide, "Managing query access for Security Lake subscribers").
func (p *Plan) securityLakePrerequisites() string {
	var b strings.Builder
	for _, lake := range p.ByType("aws:securitylake/dataLake:DataLake") {
		fmt.Fprintf(&b, "  in %s (%s), no Glue database left by an earlier Security Lake in %s (delete it, or adopt that lake): aws glue get-databases --region %s --query \"DatabaseList[?starts_with(Name, 'amazon_security_lake_glue_db')].Name\"\n",
			lake.Account, lake.AccountID, lake.Region, lake.Region)
	}
	for _, sub := range p.ByType("aws:securitylake/subscriber:Subscriber") {
		if sub.Inputs["accessType"] != "LAKEFORMATION" {
			continue
		}
		identity, _ := sub.Inputs["subscriberIdentity"].(map[string]any)
		fmt.Fprintf(&b, "  for query subscriber %v, in %s (%s) %s: Lake Formation cross-account version 2 or later (aws lakeformation get-data-lake-settings --region %s --query 'DataLakeSettings.Parameters.CROSS_ACCOUNT_VERSION') and the stack's role a Lake Formation data lake administrator; after the up, account %v accepts the AWS RAM share within 12 hours (aws ram get-resource-share-invitations --region %s, then aws ram accept-resource-share-invitation)\n",
			sub.Inputs["subscriberName"], sub.Account, sub.AccountID, sub.Region, sub.Region, identity["principal"], sub.Region)
	}
	return b.String()
}

// nodeID is a Mermaid node ID derived from the URN, so adding an account
// changes only its own lines.
func nodeID(urn string) string {
	sum := sha256.Sum256([]byte(urn))
	return "n" + hex.EncodeToString(sum[:])[:12]
}

var unsafeID = regexp.MustCompile(`[^A-Za-z0-9_]`)

// maxMermaidEdges is Mermaid's default edge limit (maxEdges: 500); above
// it the diagram is drawn by account and service instead.
const maxMermaidEdges = 500

// writeMermaid draws accounts as subgraphs (regions nested inside), the
// components outside them, an edge from each parent to its children and a
// dotted edge between components that depend on each other.
func (p *Plan) writeMermaid(w io.Writer) error {
	var edges []string
	for _, r := range p.Resources {
		if r.Parent != "" && !r.IsProvider() {
			edges = append(edges, fmt.Sprintf("  %s --> %s\n", nodeID(r.Parent), nodeID(r.URN)))
		}
	}
	componentEdges := p.componentDependencies()
	if len(edges)+len(componentEdges) > maxMermaidEdges {
		return p.writeMermaidSummary(w, componentEdges)
	}
	var b strings.Builder
	b.WriteString("flowchart LR\n")
	node := func(indent string, r Resource) {
		shape := "%s%s[\"%s<br/>%s\"]\n"
		if !r.Custom {
			shape = "%s%s([\"%s<br/>%s\"])\n"
		}
		fmt.Fprintf(&b, shape, indent, nodeID(r.URN), shortType(r.Type), r.Name)
	}
	openAccount := ""
	for _, g := range p.groups() {
		var shown []Resource
		for _, r := range g.resources {
			if !r.IsProvider() {
				shown = append(shown, r)
			}
		}
		if len(shown) == 0 {
			continue
		}
		if g.account != openAccount && openAccount != "" {
			b.WriteString("  end\n")
		}
		if g.account == "" {
			for _, r := range shown {
				node("  ", r)
			}
			openAccount = ""
			continue
		}
		if g.account != openAccount {
			fmt.Fprintf(&b, "  subgraph acct_%s[\"%s (%s)\"]\n", unsafeID.ReplaceAllString(g.account, "_"), g.account, g.accountID)
			openAccount = g.account
		}
		fmt.Fprintf(&b, "    subgraph %s[\"%s\"]\n", unsafeID.ReplaceAllString("grp_"+g.account+"_"+g.region, "_"), g.region)
		for _, r := range shown {
			node("      ", r)
		}
		b.WriteString("    end\n")
	}
	if openAccount != "" {
		b.WriteString("  end\n")
	}
	for _, e := range edges {
		b.WriteString(e)
	}
	for _, e := range componentEdges {
		fmt.Fprintf(&b, "  %s -.-> %s\n", nodeID(e[0]), nodeID(e[1]))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// componentDependencies are the pairs of components (top-level URNs) where
// a resource of the first depends on one of the second, sorted.
func (p *Plan) componentDependencies() [][2]string {
	parent := map[string]string{}
	for _, r := range p.Resources {
		parent[r.URN] = r.Parent
	}
	top := map[string]string{} // URN -> its top-level component
	for _, r := range p.Resources {
		root := r.URN
		for parent[root] != "" {
			root = parent[root]
		}
		top[r.URN] = root
	}
	seen := map[[2]string]bool{}
	var out [][2]string
	for _, r := range p.Resources {
		for _, d := range r.Dependencies {
			from, to := top[r.URN], top[d]
			if from == "" || to == "" || from == to {
				continue
			}
			pair := [2]string{from, to}
			if !seen[pair] {
				seen[pair] = true
				out = append(out, pair)
			}
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i][0] != out[j][0] {
			return out[i][0] < out[j][0]
		}
		return out[i][1] < out[j][1]
	})
	return out
}

// writeMermaidSummary draws one node per account, region and service with
// its resource count, and the component dependencies between them.
func (p *Plan) writeMermaidSummary(w io.Writer, componentEdges [][2]string) error {
	var b strings.Builder
	b.WriteString("flowchart LR\n")
	for _, g := range p.groups() {
		if g.account == "" {
			continue
		}
		counts := map[string]int{}
		for _, r := range g.resources {
			counts[serviceOf(r.Type)]++
		}
		id := unsafeID.ReplaceAllString("grp_"+g.account+"_"+g.region, "_")
		fmt.Fprintf(&b, "  subgraph %s[\"%s (%s) %s\"]\n", id, g.account, g.accountID, g.region)
		for _, svc := range sortedKeys(counts) {
			fmt.Fprintf(&b, "    %s_%s[\"%s: %d\"]\n", id, unsafeID.ReplaceAllString(svc, "_"), svc, counts[svc])
		}
		b.WriteString("  end\n")
	}
	names := map[string]string{}
	for _, r := range p.Resources {
		names[r.URN] = r.Name
	}
	for _, e := range componentEdges {
		fmt.Fprintf(&b, "  %s([\"%s\"]) -.-> %s([\"%s\"])\n", nodeID(e[0]), names[e[0]], nodeID(e[1]), names[e[1]])
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// shortType turns "aws:s3/bucketV2:BucketV2" into "s3:BucketV2".
func shortType(t string) string {
	pkg, module, name := splitType(t)
	switch pkg {
	case "":
		return t
	case "landingzone":
		return name
	}
	return module + ":" + name
}

// guardrails says what each organization policy protects, where it is
// attached and whom it exempts; SCPs and RCPs never bind the management
// account, which the last line says.
func (p *Plan) guardrails() []string {
	attached := map[string][]string{}
	for _, a := range p.ByType("aws:organizations/policyAttachment:PolicyAttachment") {
		policy := a.Name[:strings.LastIndex(a.Name, "-")]
		attached[policy] = append(attached[policy], fmt.Sprint(a.Inputs["targetId"]))
	}
	var lines []string
	for _, r := range p.ByType("aws:organizations/policy:Policy") {
		var doc struct {
			Statement []struct {
				Sid       string
				Condition map[string]map[string]any
			}
		}
		content, _ := r.Inputs["content"].(string)
		if json.Unmarshal([]byte(content), &doc) != nil {
			continue
		}
		var sids []string
		var exempt any
		for _, s := range doc.Statement {
			sids = append(sids, s.Sid)
			if e, ok := s.Condition["ArnNotLike"]["aws:PrincipalArn"]; ok {
				exempt = e
			}
		}
		line := fmt.Sprintf("guardrail %v (%v) attached to %s denies: %s", r.Inputs["name"], r.Inputs["type"], strings.Join(attached[r.Name], ", "), strings.Join(sids, ", "))
		if exempt != nil {
			line += fmt.Sprintf("; exempt: %v", exempt)
		}
		lines = append(lines, line)
	}
	if len(lines) > 0 {
		lines = append(lines, "guardrails never bind the management account: its trail, alarms, organization rules and these policies are protected only by who holds its credentials (docs/guardrails.md)", "")
	}
	return lines
}

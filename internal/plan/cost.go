package plan

import (
	"fmt"
	"slices"
	"strings"
)

// CostDriver is one line of what the stack costs to run in AWS: a count
// from the plan with AWS's public unit price. Where the price per unit is
// fixed (a KMS key a month), MonthlyUSD is the count times it; where the
// bill depends on activity (configuration changes, log volume, findings),
// MonthlyUSD is zero and Count, Detail and Unit are what drive the bill.
// Prices are AWS's list prices in US East (N. Virginia); other regions
// differ.
type CostDriver struct {
	Service    string  `json:"service"`
	Driver     string  `json:"driver"`
	Count      int     `json:"count"`
	Detail     string  `json:"detail,omitempty"`
	Unit       string  `json:"unit"`
	MonthlyUSD float64 `json:"monthlyUSD,omitempty"`
}

// Unit prices, from AWS's pricing pages.
const (
	// kmsKeyMonthUSD is one customer managed key for a month (AWS KMS
	// pricing); each automatic rotation adds $1 a month, for the first two.
	kmsKeyMonthUSD = 1.0
	kmsUnit        = "$1 per key-month (AWS KMS pricing; each yearly rotation adds $1 a month, for the first two)"
	configItemUnit = "$0.003 per configuration item recorded continuously, $0.012 per item recorded daily; an item is recorded per resource change (AWS Config pricing)"
	ruleEvalUnit   = "$0.001 per rule evaluation per region, first 100,000 a month; $0.0008 to 500,000; $0.0005 beyond (AWS Config pricing)"
	packEvalUnit   = "$0.001 per conformance pack rule evaluation per region, first 100,000 a month; less beyond (AWS Config pricing)"
	logsUnit       = "$0.50 per GB ingested, $0.03 per GB-month stored until retention ends (CloudWatch Logs standard class)"
	dataEventUnit  = "$0.10 per 100,000 data events; the first copy of management events is free (CloudTrail pricing)"
	guardDutyUnit  = "by volume analysed per plan: CloudTrail events, VPC flow and DNS logs, S3 data events, EKS audit logs, GB of EBS scanned, RDS logins, Lambda network activity, runtime vCPU-hours; 30 days free per account and region (GuardDuty pricing)"
	hubUnit        = "$0.0010 per security check, first 100,000 per account and region a month, less beyond; findings ingested: 10,000 free per account and region a month, then $0.00003 each (Security Hub CSPM pricing)"
)

// Cost lists the stack's AWS running cost drivers: Config recording, rule
// and conformance pack evaluations, the trail's CloudWatch Logs ingestion,
// KMS keys, GuardDuty's protection plans and Security Hub's standards.
func (p *Plan) Cost() []CostDriver {
	var out []CostDriver
	if keys := p.ByType(keyType); len(keys) > 0 {
		out = append(out, CostDriver{Service: "kms", Driver: "customer managed keys", Count: len(keys), Unit: kmsUnit,
			MonthlyUSD: float64(len(keys)) * kmsKeyMonthUSD, Detail: "every key is kept after destroy (docs/removal.md)"})
	}
	out = append(out, p.recordingCost()...)
	if rules := p.ByType("aws:cfg/organizationManagedRule:OrganizationManagedRule"); len(rules) > 0 {
		out = append(out, CostDriver{Service: "config", Driver: "organization rules (rule × region)", Count: len(rules), Unit: ruleEvalUnit,
			Detail: "each evaluates every in-scope resource change in every account it is not excluded from"})
	}
	if packs := p.ByType("aws:cfg/organizationConformancePack:OrganizationConformancePack"); len(packs) > 0 {
		rules := 0
		for _, pack := range packs {
			body, _ := pack.Inputs["templateBody"].(string)
			rules += strings.Count(body, "AWS::Config::ConfigRule")
		}
		out = append(out, CostDriver{Service: "config", Driver: "organization conformance pack rules", Count: rules, Unit: packEvalUnit,
			Detail: fmt.Sprintf("%d rules in %d pack(s), each evaluated in every account it is not excluded from", rules, len(packs))})
	}
	out = append(out, p.trailCost()...)
	out = append(out, p.guardDutyCost()...)
	out = append(out, p.securityHubCost()...)
	return out
}

// recordingCost describes the recorders: how many, what they record and how often.
func (p *Plan) recordingCost() []CostDriver {
	recorders := p.ByType("aws:cfg/recorder:Recorder")
	var out []CostDriver
	if len(recorders) > 0 {
		// The home region's recorder: the others also exclude the global
		// IAM types, which are recorded once.
		home := slices.MinFunc(recorders, func(a, b Resource) int { return len(excludedTypes(a.Inputs)) - len(excludedTypes(b.Inputs)) })
		out = append(out, CostDriver{Service: "config", Driver: "recorders (account × region)", Count: len(recorders), Unit: configItemUnit,
			Detail: recordingDetail(home.Inputs)})
	}
	if sets := p.ByType("aws:cloudformation/stackSetInstance:StackSetInstance"); len(sets) > 0 {
		out = append(out, CostDriver{Service: "config", Driver: "StackSet instances recording (OU × region)", Count: len(sets), Unit: configItemUnit,
			Detail: "one recorder in every account of the StackSet instances' OUs and regions, with the same recording settings"})
	}
	return out
}

// recordingDetail says what a recorder records and how often, from its inputs.
func recordingDetail(in map[string]any) string {
	group, _ := in["recordingGroup"].(map[string]any)
	what := "all supported resource types"
	if types, ok := group["resourceTypes"].([]any); ok && len(types) > 0 && group["allSupported"] != true {
		what = fmt.Sprintf("%d resource types", len(types))
	}
	if types := excludedTypes(in); len(types) > 0 {
		what = "all supported types but " + strings.Join(types, ", ")
	}
	freq := "continuously"
	var mode map[string]any
	if m := asList(in["recordingMode"]); len(m) > 0 {
		mode, _ = m[0].(map[string]any)
	}
	if mode["recordingFrequency"] == "DAILY" {
		freq = "daily"
	}
	detail := what + ", " + freq
	if overrides := asList(mode["recordingModeOverride"]); len(overrides) > 0 {
		for _, o := range overrides {
			o, _ := o.(map[string]any)
			types, _ := o["resourceTypes"].([]any)
			detail += fmt.Sprintf("; %s %s", joinAny(types), strings.ToLower(fmt.Sprint(o["recordingFrequency"])))
		}
	}
	return detail
}

// excludedTypes are the types a recorder's exclusion strategy leaves out.
func excludedTypes(in map[string]any) []string {
	group, _ := in["recordingGroup"].(map[string]any)
	var out []string
	for _, ex := range asList(group["exclusionByResourceTypes"]) {
		ex, _ := ex.(map[string]any)
		out = append(out, anyStrings(ex["resourceTypes"])...)
	}
	return out
}

// asList reads a nested input the provider takes as a list or one object.
func asList(v any) []any {
	switch v := v.(type) {
	case []any:
		return v
	case map[string]any:
		return []any{v}
	}
	return nil
}

// trailCost is the organization trail's delivery to CloudWatch Logs and its data events.
func (p *Plan) trailCost() []CostDriver {
	var out []CostDriver
	for _, trail := range p.ByType("aws:cloudtrail/trail:Trail") {
		if group, ok := trail.Inputs["cloudWatchLogsGroupArn"].(string); ok && group != "" {
			scope := "its account"
			if trail.Inputs["isOrganizationTrail"] == true {
				scope = "every account of the organization"
			}
			out = append(out, CostDriver{Service: "logs", Driver: "trail delivering to CloudWatch Logs", Count: 1, Unit: logsUnit,
				Detail: "the management events of " + scope + " in every region, into " + strings.TrimSuffix(group[strings.LastIndex(group, "log-group:")+len("log-group:"):], ":*")})
		}
		data := 0
		selectors, _ := trail.Inputs["advancedEventSelectors"].([]any)
		for _, s := range selectors {
			s, _ := s.(map[string]any)
			fields, _ := s["fieldSelectors"].([]any)
			for _, f := range fields {
				f, _ := f.(map[string]any)
				if f["field"] == "eventCategory" && slices.Contains(anyStrings(f["equals"]), "Data") {
					data++
				}
			}
		}
		if data > 0 {
			out = append(out, CostDriver{Service: "cloudtrail", Driver: "data event selectors", Count: data, Unit: dataEventUnit,
				Detail: "each data event logged is charged, and ingested into CloudWatch Logs too"})
		}
	}
	return out
}

// guardDutyCost lists the protection plans switched on, per region.
func (p *Plan) guardDutyCost() []CostDriver {
	detectors := p.ByType("aws:guardduty/detector:Detector")
	if len(detectors) == 0 {
		return nil
	}
	regions := map[string]map[string]bool{} // plan -> regions it is on in
	for _, typ := range []string{"aws:guardduty/organizationConfigurationFeature:OrganizationConfigurationFeature", "aws:guardduty/detectorFeature:DetectorFeature"} {
		for _, f := range p.ByType(typ) {
			if f.Inputs["autoEnable"] == "NONE" || f.Inputs["status"] == "DISABLED" {
				continue
			}
			name, _ := f.Inputs["name"].(string)
			if regions[name] == nil {
				regions[name] = map[string]bool{}
			}
			regions[name][f.Region] = true
		}
	}
	var names []string
	for _, n := range sortedKeys(regions) {
		names = append(names, fmt.Sprintf("%s (%d regions)", n, len(regions[n])))
	}
	detail := "foundational threat detection only"
	if len(names) > 0 {
		detail = "foundational detection and, in every account, the plans " + strings.Join(names, ", ")
	}
	return []CostDriver{{Service: "guardduty", Driver: "detectors the stack creates (members are auto-enabled alike)", Count: len(detectors), Unit: guardDutyUnit, Detail: detail}}
}

// securityHubCost lists the standards the configuration policy enables.
func (p *Plan) securityHubCost() []CostDriver {
	var out []CostDriver
	for _, policy := range p.ByType("aws-native:securityhub:ConfigurationPolicy") {
		cp, _ := policy.Inputs["configurationPolicy"].(map[string]any)
		hub, _ := cp["securityHub"].(map[string]any)
		var standards []string
		for _, arn := range anyStrings(hub["enabledStandardIdentifiers"]) {
			_, path, _ := strings.Cut(arn, ":standards/")
			standards = append(standards, path)
		}
		disabled := 0
		if controls, ok := hub["securityControlsConfiguration"].(map[string]any); ok {
			disabled = len(anyStrings(controls["disabledSecurityControlIdentifiers"]))
		}
		detail := fmt.Sprintf("%s in every account the policy targets; %d controls disabled; each enabled control is checked per resource in every region Security Hub runs in", strings.Join(standards, ", "), disabled)
		out = append(out, CostDriver{Service: "securityhub", Driver: "standards enabled", Count: len(standards), Unit: hubUnit, Detail: detail})
	}
	return out
}

// costLines are the running cost section of the table.
func (p *Plan) costLines() []string {
	cost := p.Cost()
	if len(cost) == 0 {
		return nil
	}
	fixed := 0.0
	for _, c := range cost {
		fixed += c.MonthlyUSD
	}
	lines := []string{fmt.Sprintf("running cost: $%.2f a month fixed (list prices, US East), plus what activity drives:", fixed)}
	for _, c := range cost {
		price := ""
		if c.MonthlyUSD > 0 {
			price = fmt.Sprintf(" = $%.2f a month", c.MonthlyUSD)
		}
		lines = append(lines, fmt.Sprintf("  %s: %d %s%s (%s); %s", c.Service, c.Count, c.Driver, price, c.Detail, c.Unit))
	}
	return lines
}

func anyStrings(v any) []string {
	var out []string
	if list, ok := v.([]any); ok {
		for _, e := range list {
			if s, ok := e.(string); ok {
				out = append(out, s)
			}
		}
	}
	return out
}

func joinAny(v []any) string { return strings.Join(anyStrings(v), ", ") }

// CostChanges says how the running cost drivers of next differ from prev's,
// a line per driver added, removed or changed, and the change of the fixed
// monthly price: what a change to the stack file adds to the bill.
func CostChanges(prev, next *Plan) []string {
	key := func(c CostDriver) string { return c.Service + ": " + c.Driver }
	old := map[string]CostDriver{}
	for _, c := range prev.RunningCost {
		old[key(c)] = c
	}
	var lines []string
	var before, after float64
	seen := map[string]bool{}
	for _, c := range next.RunningCost {
		after += c.MonthlyUSD
		seen[key(c)] = true
		o, ok := old[key(c)]
		switch {
		case !ok:
			lines = append(lines, fmt.Sprintf("+ %s %d (%s)", key(c), c.Count, c.Detail))
		case o.Detail != c.Detail:
			lines = append(lines, fmt.Sprintf("~ %s %d → %d (%s → %s)", key(c), o.Count, c.Count, o.Detail, c.Detail))
		case o.Count != c.Count:
			lines = append(lines, fmt.Sprintf("~ %s %d → %d", key(c), o.Count, c.Count))
		}
	}
	for _, c := range prev.RunningCost {
		before += c.MonthlyUSD
		if !seen[key(c)] {
			lines = append(lines, fmt.Sprintf("- %s %d", key(c), c.Count))
		}
	}
	if before != after {
		lines = append(lines, fmt.Sprintf("fixed running cost: $%.2f → $%.2f a month", before, after))
	}
	return lines
}

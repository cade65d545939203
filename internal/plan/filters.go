package plan

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/example/landing-zone-audit/internal/detection"
)

// metricFilters says, for each log group the stack puts metric filters on,
// how many of CloudWatch Logs' filters per log group the stack uses and how
// many remain for others (the CIS, elevated-role and supplementary alarms
// share the trail's log group).
func (p *Plan) metricFilters() []string {
	type group struct{ account, region, logGroup string }
	counts := map[group]int{}
	var order []group
	for _, r := range p.ByType("aws:cloudwatch/logMetricFilter:LogMetricFilter") {
		name, _ := r.Inputs["logGroupName"].(string)
		g := group{r.Account, r.Region, name}
		if _, ok := counts[g]; !ok {
			order = append(order, g)
		}
		counts[g]++
	}
	var lines []string
	for _, g := range order {
		lines = append(lines, fmt.Sprintf("metric filters on log group %s (%s %s): %d of %d, %d remain",
			g.logGroup, g.account, g.region, counts[g], detection.MaxFiltersPerLogGroup, detection.MaxFiltersPerLogGroup-counts[g]))
	}
	return lines
}

// vpceNote says when a filter counts VpceAccessDenied but no trail of the
// stack selects network activity events: CloudTrail logs a request refused
// by a VPC endpoint policy only as a network activity event, which a trail
// records only when its advanced event selectors select eventCategory
// NetworkActivity (CloudTrail user guide, "CloudTrail record contents",
// network activity events: not logged by default).
func (p *Plan) vpceNote() []string {
	var filter string
	for _, r := range p.ByType("aws:cloudwatch/logMetricFilter:LogMetricFilter") {
		if pattern, _ := r.Inputs["pattern"].(string); strings.Contains(pattern, `"VpceAccessDenied"`) {
			filter, _ = r.Inputs["name"].(string)
		}
	}
	if filter == "" {
		return nil
	}
	trails := p.ByType("aws:cloudtrail/trail:Trail")
	for _, t := range trails {
		selectors, _ := json.Marshal(t.Inputs["advancedEventSelectors"])
		if strings.Contains(string(selectors), `"NetworkActivity"`) {
			return nil
		}
	}
	where := "the organization trail this stack deploys selects none"
	if len(trails) == 0 {
		where = "the existing trail must select them (eventCategory NetworkActivity)"
	}
	return []string{fmt.Sprintf("note: %s counts requests refused by VPC endpoint policies, which CloudTrail logs only as network activity events, and %s; it stays silent until they are logged (alarms.supplementary.alarms.vpceAccessDenied: false leaves it out)", filter, where)}
}

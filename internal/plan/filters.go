package plan

import (
	"fmt"

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

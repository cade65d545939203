package replay

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
)

// Formats are the report formats Write knows.
var Formats = []string{"table", "json", "csv"}

// Write writes the report as a table, JSON or CSV.
func (rep *Report) Write(w io.Writer, format string) error {
	switch format {
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return enc.Encode(rep)
	case "csv":
		return rep.writeCSV(w)
	case "table":
		return rep.writeTable(w)
	}
	return fmt.Errorf("format %q is not one of %s", format, strings.Join(Formats, ", "))
}

// csvHeader names the CSV columns: one row per alarm.
var csvHeader = []string{
	"alarm", "namespace", "metric", "matches", "first", "last", "days_with_matches",
	"breaching_periods", "alarms", "max_in_period", "period_seconds", "evaluation_periods",
	"datapoints_to_alarm", "threshold", "statistic", "comparison",
	"top_principal", "top_account", "top_source_ip", "top_event_name",
	// 0 when the top list is exact; else how far under its counts may be.
	"top_principals_undercount", "top_accounts_undercount", "top_source_ips_undercount", "top_event_names_undercount",
}

func (rep *Report) writeCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(csvHeader); err != nil {
		return err
	}
	for _, a := range rep.Alarms {
		row := []string{
			a.Name, a.Namespace, a.Metric, itoa(a.Matches), stamp(a.First), stamp(a.Last), strconv.Itoa(len(a.Days)),
			itoa(a.BreachingPeriods), itoa(a.Alarms), itoa(a.MaxInPeriod), strconv.Itoa(a.PeriodSeconds), strconv.Itoa(a.EvaluationPeriods),
			strconv.Itoa(a.DatapointsToAlarm), strconv.FormatFloat(a.Threshold, 'f', -1, 64), a.Statistic, a.ComparisonOperator,
			first(a.TopPrincipals), first(a.TopAccounts), first(a.TopSourceIPs), first(a.TopEventNames),
			itoa(a.TopPrincipalsUndercount), itoa(a.TopAccountsUndercount), itoa(a.TopSourceIPsUndercount), itoa(a.TopEventNamesUndercount),
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func (rep *Report) writeTable(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ALARM\tMATCHES\tFIRST\tLAST\tDAYS\tBREACHING PERIODS\tALARMS\tRULE")
	for _, a := range rep.Alarms {
		fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%d\t%d\t%d\t%s\n", a.Name, a.Matches, orDash(stamp(a.First)), orDash(stamp(a.Last)),
			len(a.Days), a.BreachingPeriods, a.Alarms, rule(a.Alarm))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, a := range rep.Alarms {
		if a.Matches == 0 {
			continue
		}
		fmt.Fprintf(w, "\n%s: %d matches on %d days, at most %d in one %d-second period\n", a.Name, a.Matches, len(a.Days), a.MaxInPeriod, a.PeriodSeconds)
		tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		dims := []struct {
			name       string
			counts     []Count
			undercount int64
		}{
			{"principals", a.TopPrincipals, a.TopPrincipalsUndercount}, {"accounts", a.TopAccounts, a.TopAccountsUndercount},
			{"source IPs", a.TopSourceIPs, a.TopSourceIPsUndercount}, {"event names", a.TopEventNames, a.TopEventNamesUndercount},
		}
		for _, dim := range dims {
			for i, c := range dim.counts {
				label := ""
				if i == 0 {
					label = "  top " + dim.name
				}
				fmt.Fprintf(tw, "%s\t%d\t%s\n", label, c.Count, c.Value)
			}
		}
		if err := tw.Flush(); err != nil {
			return err
		}
		for _, dim := range dims {
			if dim.undercount > 0 {
				fmt.Fprintf(w, "  top %s approximate (more than %d distinct): each count may be up to %d under the true one, and a value not listed occurred at most %d times\n",
					dim.name, topCapacity, dim.undercount, dim.undercount)
			}
		}
	}
	if len(rep.Problems) > 0 {
		fmt.Fprintf(w, "\n%d files could not be read in full (their other events count):\n", len(rep.Problems))
		for _, p := range rep.Problems {
			fmt.Fprintf(w, "  %s: %s\n", p.Path, p.Describe())
		}
	}
	return nil
}

// Describe says what went wrong with a file.
func (p Problem) Describe() string {
	var parts []string
	if p.Error != "" {
		parts = append(parts, p.Error)
	}
	if p.BadEvents > 0 {
		parts = append(parts, fmt.Sprintf("%d events skipped, the first: %s", p.BadEvents, p.FirstBadEvent))
	}
	return strings.Join(parts, "; ")
}

// rule is the alarm's condition in a few words.
func rule(a Alarm) string {
	op := map[string]string{
		"GreaterThanOrEqualToThreshold": ">=", "GreaterThanThreshold": ">",
		"LessThanThreshold": "<", "LessThanOrEqualToThreshold": "<=",
	}[a.ComparisonOperator]
	s := fmt.Sprintf("%s %s %v per %ds", a.Statistic, op, a.Threshold, a.PeriodSeconds)
	if a.EvaluationPeriods > 1 {
		s += fmt.Sprintf(", %d of %d periods", a.DatapointsToAlarm, a.EvaluationPeriods)
	}
	return s
}

// SummaryLine is the one line printed at the end of a replay.
func (rep *Report) SummaryLine() string {
	s := rep.Summary
	var matches int64
	for _, a := range rep.Alarms {
		matches += a.Matches
	}
	line := fmt.Sprintf("replay: %d alarms over %d files (%s, %d events) in %.1fs, %s/s: %d matches",
		len(rep.Alarms), s.Files, Bytes(s.Bytes), s.Events, s.Seconds, Bytes(int64(float64(s.Bytes)/max(s.Seconds, 0.001))), matches)
	switch {
	case s.Stopped:
		line += fmt.Sprintf("; stopped at a file that could not be read in full (--strict): %s", rep.Problems[0].Path)
	case s.SkippedFiles > 0:
		line += fmt.Sprintf("; %d files could not be read in full (%d events skipped)", s.SkippedFiles, s.BadEvents)
	}
	return line
}

// Bytes formats a byte count for people.
func Bytes(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	f, i := float64(n), 0
	for f >= unit && i < 4 {
		f /= unit
		i++
	}
	return fmt.Sprintf("%.1f %ciB", f, "KMGTP"[i-1])
}

func stamp(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.Format(time.RFC3339)
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func first(c []Count) string {
	if len(c) == 0 {
		return ""
	}
	return c[0].Value
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

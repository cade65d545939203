package replay_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/example/landing-zone-audit/internal/replay"
)

// Access denied from 3,000 source IPs once each and from two IPs hundreds
// of times, by three principals, split between two files read by two
// workers: the source IPs are more than a top list keeps, so their list is
// approximate, still led by the two heavy IPs with counts within the
// undercount it states, and every format says so; the principals', accounts'
// and event names' lists are exact and say nothing.
func TestReplayApproximateTopList(t *testing.T) {
	t.Parallel()
	const noise = 3000
	heavy := map[string]int{"203.0.113.7": 600, "198.51.100.9": 400}
	principals := []string{"arn:aws:iam::111111111111:user/alice", "arn:aws:iam::111111111111:user/bob", "arn:aws:iam::111111111111:user/carol"}
	var ips []string
	for i := range noise {
		ips = append(ips, fmt.Sprintf("10.0.%d.%d", i/256, i%256))
		// Spread the heavy IPs' events evenly among the others.
		for ip, n := range heavy {
			for range n*(i+1)/noise - n*i/noise {
				ips = append(ips, ip)
			}
		}
	}
	want := map[string]int64{}
	dir := t.TempDir()
	var files [2]bytes.Buffer
	when := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	for i, ip := range ips {
		p := principals[i%3]
		want[p]++
		fmt.Fprintf(&files[i%2], `{"eventTime":%q,"eventName":"GetObject","errorCode":"AccessDenied","recipientAccountId":"111111111111","sourceIPAddress":%q,"userIdentity":{"arn":%q}}`+"\n",
			when.Add(time.Duration(i)*time.Second).Format(time.RFC3339), ip, p)
	}
	for i := range files {
		require.NoError(t, os.WriteFile(filepath.Join(dir, fmt.Sprintf("part-%d.jsonl", i)), files[i].Bytes(), 0o644))
	}
	alarm := replay.Alarm{Name: "access-denied", Namespace: "OrgTrailMetrics", Metric: "AccessDenied", Patterns: []string{`{ $.errorCode = "AccessDenied" }`},
		Value: 1, PeriodSeconds: 60, EvaluationPeriods: 1, DatapointsToAlarm: 1, Threshold: 1, Statistic: "Sum", ComparisonOperator: "GreaterThanOrEqualToThreshold"}
	rep, err := replay.Run(context.Background(), []replay.Alarm{alarm}, replay.Options{Sources: []string{dir}, Parallel: 2})
	require.NoError(t, err)
	require.Len(t, rep.Alarms, 1)
	a := rep.Alarms[0]
	require.Equal(t, int64(len(ips)), a.Matches)

	// Misra-Gries's bound: under by at most matches/(capacity+1).
	under := a.TopSourceIPsUndercount
	assert.Positive(t, under, "more distinct source IPs than kept: approximate")
	assert.LessOrEqual(t, under, a.Matches/(replay.TopCapacity+1))
	require.GreaterOrEqual(t, len(a.TopSourceIPs), 2)
	for i, ip := range []string{"203.0.113.7", "198.51.100.9"} {
		assert.Equal(t, ip, a.TopSourceIPs[i].Value)
		assert.LessOrEqual(t, a.TopSourceIPs[i].Count, int64(heavy[ip]), ip)
		assert.GreaterOrEqual(t, a.TopSourceIPs[i].Count, int64(heavy[ip])-under, ip)
	}
	for _, c := range a.TopSourceIPs[2:] {
		assert.LessOrEqual(t, c.Count, int64(1), "the others occurred once: %s", c.Value)
	}
	assert.Zero(t, a.TopPrincipalsUndercount)
	assert.Zero(t, a.TopAccountsUndercount)
	assert.Zero(t, a.TopEventNamesUndercount)
	assert.ElementsMatch(t, []replay.Count{{Value: principals[0], Count: want[principals[0]]}, {Value: principals[1], Count: want[principals[1]]},
		{Value: principals[2], Count: want[principals[2]]}}, a.TopPrincipals, "exact")

	// JSON: the undercount beside the approximate list only.
	var js bytes.Buffer
	require.NoError(t, rep.Write(&js, "json"))
	var doc struct{ Alarms []map[string]any }
	require.NoError(t, json.Unmarshal(js.Bytes(), &doc))
	assert.Equal(t, float64(under), doc.Alarms[0]["topSourceIPsUndercount"])
	for _, exact := range []string{"topPrincipalsUndercount", "topAccountsUndercount", "topEventNamesUndercount"} {
		assert.NotContains(t, doc.Alarms[0], exact)
	}

	// CSV: a column per list, 0 when exact.
	var out bytes.Buffer
	require.NoError(t, rep.Write(&out, "csv"))
	rows, err := csv.NewReader(&out).ReadAll()
	require.NoError(t, err)
	require.Len(t, rows, 2)
	cell := func(column string) string {
		i := slices.Index(rows[0], column)
		require.NotEqual(t, -1, i, column)
		return rows[1][i]
	}
	assert.Equal(t, "203.0.113.7", cell("top_source_ip"))
	assert.Equal(t, fmt.Sprint(under), cell("top_source_ips_undercount"))
	assert.Equal(t, "0", cell("top_principals_undercount"))
	assert.Equal(t, "0", cell("top_event_names_undercount"))

	// Table: a line under the lists names the approximate one and its bound.
	out.Reset()
	require.NoError(t, rep.Write(&out, "table"))
	assert.Contains(t, out.String(), fmt.Sprintf("top source IPs approximate (more than %d distinct): each count may be up to %d under the true one, and a value not listed occurred at most %d times",
		replay.TopCapacity, under, under))
	assert.NotContains(t, out.String(), "top principals approximate")
	assert.NotContains(t, out.String(), "top event names approximate")
}

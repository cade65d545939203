package replay

import (
	"cmp"
	"iter"
	"maps"
	"math"
	"slices"
	"time"
)

// periodChunk is how many consecutive alarm periods share one block of
// counters, a byte each: eight and a half hours of 60-second periods in
// 512 bytes, so that a year holds about 200 KiB for an alarm that matched
// once a day and 600 KiB for one that matched every minute. A period with
// more than 255 matches keeps the rest in overflow.
const periodChunk = 512

// tally accumulates one alarm's matches. Its per-day and per-period counters
// grow with the time span of the matches, and nothing else grows: the top
// lists are bounded (frequent).
type tally struct {
	matches     int64
	untimed     int64 // matches without a readable eventTime
	first, last time.Time
	days        map[int64]int64 // days since the Unix epoch
	periods     map[int64]*[periodChunk]uint8
	overflow    map[int64]uint32 // by period: matches past the first 255
	principals  frequent
	accounts    frequent
	sourceIPs   frequent
	eventNames  frequent
}

func newTally() *tally {
	return &tally{
		days:       map[int64]int64{},
		periods:    map[int64]*[periodChunk]uint8{},
		overflow:   map[int64]uint32{},
		principals: newFrequent(),
		accounts:   newFrequent(),
		sourceIPs:  newFrequent(),
		eventNames: newFrequent(),
	}
}

// add counts one matching event.
func (t *tally) add(m *matched, period int64) {
	t.matches++
	t.principals.add(m.principal)
	t.accounts.add(m.account)
	t.sourceIPs.add(m.sourceIP)
	t.eventNames.add(m.eventName)
	if m.time.IsZero() {
		t.untimed++
		return
	}
	if t.first.IsZero() || m.time.Before(t.first) {
		t.first = m.time
	}
	if m.time.After(t.last) {
		t.last = m.time
	}
	unix := m.time.Unix()
	t.days[floorDiv(unix, 86400)]++
	idx := floorDiv(unix, period)
	key := floorDiv(idx, periodChunk)
	chunk := t.periods[key]
	if chunk == nil {
		chunk = new([periodChunk]uint8)
		t.periods[key] = chunk
	}
	switch c := &chunk[idx-key*periodChunk]; {
	case *c < math.MaxUint8:
		*c++
	case t.overflow[idx] < math.MaxUint32-math.MaxUint8:
		t.overflow[idx]++
	}
}

// topCapacity is how many distinct values each top list keeps: fifty times
// the default top five. Up to it the counts are exact; past it they may be
// under by at most 1/257 of the alarm's matches (0.4%), and a value with a
// larger share is always listed. Four full lists with 100-byte principal
// ARNs hold about 60 KiB (BenchmarkTallyAdd), so 22 alarms all past it take
// under 1.5 MiB.
const topCapacity = 256

// frequent counts how often each value occurs, in bounded memory: the
// Misra-Gries summary (Misra and Gries, "Finding repeated elements", 1982).
// It keeps
// at most topCapacity values. A new value that does not fit lowers every
// count by the same amount d (dropping those that reach zero), where at
// least topCapacity+1 counts, the new value's among them, were at least d;
// under adds up the d's. Each lowering takes at least (topCapacity+1)·d
// from the total, so under <= (occurrences - sum of counts)/(topCapacity+1),
// every count is at most under below the true one, and a value not kept
// occurred at most under times. under = 0 means exact.
type frequent struct {
	counts map[string]int64
	under  int64
}

func newFrequent() frequent { return frequent{counts: map[string]int64{}} }

// add counts one occurrence of v with one map operation, as an exact count
// would; amortised O(1), since a lowering's O(topCapacity) work takes
// away topCapacity+1 occurrences counted before.
func (f *frequent) add(v string) {
	f.counts[v]++
	if len(f.counts) > topCapacity {
		// v is new and does not fit: with the kept values, topCapacity+1
		// counts of at least 1 (v's is 1, so lowering drops it).
		f.lower(1)
	}
}

// lower takes d from every count and drops the counts that reach zero.
func (f *frequent) lower(d int64) {
	for v, c := range f.counts {
		if c <= d {
			delete(f.counts, v)
		} else {
			f.counts[v] = c - d
		}
	}
	f.under += d
}

// periodCount is the number of matches in one alarm period.
type periodCount struct {
	index int64 // period start / period length, since the Unix epoch
	count uint32
}

// periodCounts yields the periods with matches, in time order.
func (t *tally) periodCounts() iter.Seq[periodCount] {
	return func(yield func(periodCount) bool) {
		for _, k := range slices.Sorted(maps.Keys(t.periods)) {
			for i, c := range t.periods[k] {
				if c == 0 {
					continue
				}
				idx := k*periodChunk + int64(i)
				if !yield(periodCount{idx, uint32(c) + t.overflow[idx]}) {
					return
				}
			}
		}
	}
}

// Evaluation is what the alarm would have done over the matches.
type Evaluation struct {
	// BreachingPeriods is the number of alarm periods whose statistic
	// crossed the threshold.
	BreachingPeriods int64 `json:"breachingPeriods"`
	// Alarms is the number of times the alarm would have gone into ALARM
	// (and notified): DatapointsToAlarm of EvaluationPeriods consecutive
	// periods breaching, after a time in which they did not.
	Alarms int64 `json:"alarms"`
	// MaxInPeriod is the most matches in one period.
	MaxInPeriod int64 `json:"maxInPeriod"`
}

// evaluate replays the alarm on the matches' periods. A period without
// matches has no datapoint: the metric filters publish nothing then, and the
// stack's alarms treat missing data as not breaching.
func (a *Alarm) evaluate(counts iter.Seq[periodCount]) Evaluation {
	var e Evaluation
	compare := comparisons[a.ComparisonOperator]
	// The alarm is in ALARM at period t when M of the N periods ending at t
	// breach: for the j-th breaching period b[j], from b[j] (if b[j-M+1] is
	// within the N periods) until b[j-M+1] leaves the window. Each run of
	// overlapping or adjacent such intervals is one alarm. recent holds the
	// last M breaching periods, b[j] at j mod M.
	m, n := a.DatapointsToAlarm, int64(a.EvaluationPeriods)
	recent := make([]int64, m)
	end := int64(-1 << 62)
	j := 0
	for pc := range counts {
		e.MaxInPeriod = max(e.MaxInPeriod, int64(pc.count))
		if !compare(a.statistic(pc.count), a.Threshold) {
			continue
		}
		e.BreachingPeriods++
		recent[j%m] = pc.index
		j++
		if j < m {
			continue
		}
		from, oldest := pc.index, recent[j%m]
		if from-oldest >= n {
			continue
		}
		until := oldest + n - 1
		if from > end+1 {
			e.Alarms++
		}
		end = max(end, until)
	}
	return e
}

// statistic is the alarm's statistic over a period with count matches, each
// adding Value to the metric.
func (a *Alarm) statistic(count uint32) float64 {
	switch a.Statistic {
	case "Sum":
		return float64(count) * a.Value
	case "SampleCount":
		return float64(count)
	}
	return a.Value // Average, Minimum and Maximum of equal values
}

// Count is one value and how many matches had it.
type Count struct {
	Value string `json:"value"`
	Count int64  `json:"count"`
}

// top returns the n most frequent values, most frequent first, ties by value.
func (f *frequent) top(n int) []Count {
	out := make([]Count, 0, len(f.counts))
	for k, v := range f.counts {
		out = append(out, Count{k, v})
	}
	slices.SortFunc(out, func(a, b Count) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.Value, b.Value))
	})
	if len(out) > n {
		out = out[:n]
	}
	return out
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

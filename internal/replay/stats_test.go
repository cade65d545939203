package replay

import (
	"fmt"
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// stream is a sequence of values and the true count of each.
type stream struct {
	values []string
	counts map[string]int64
}

func (s *stream) add(v string, n int) {
	if s.counts == nil {
		s.counts = map[string]int64{}
	}
	for range n {
		s.values = append(s.values, v)
	}
	s.counts[v] += int64(n)
}

// noisy is distinct values, each once (prefix0, prefix1, ...), with heavy
// hitters spread evenly among them: heavy[v] occurrences of each v.
func noisy(prefix string, distinct int, heavy map[string]int) *stream {
	s := &stream{counts: make(map[string]int64, distinct+len(heavy)), values: make([]string, 0, distinct)}
	emitted := map[string]int{}
	for i := range distinct {
		s.add(prefix+strconv.Itoa(i), 1)
		for v, n := range heavy {
			for emitted[v]*distinct < n*(i+1) {
				s.add(v, 1)
				emitted[v]++
			}
		}
	}
	return s
}

// summarise adds the stream to a new summary and returns it with the most
// values it ever kept.
func summarise(s *stream) (f frequent, most int) {
	f = newFrequent()
	for _, v := range s.values {
		f.add(v)
		most = max(most, len(f.counts))
	}
	return f, most
}

// checkBounds checks Misra-Gries's guarantees against the true counts:
// at most topCapacity values kept; every kept count at most under below
// the true one and never above it; every value left out occurred at most
// under times; under at most (occurrences - kept)/(topCapacity+1).
func checkBounds(t *testing.T, f frequent, truth map[string]int64) {
	t.Helper()
	assert.LessOrEqual(t, len(f.counts), topCapacity)
	var n, kept int64
	for v, c := range truth {
		n += c
		kept += f.counts[v]
		got := f.counts[v]
		if got > c || got < c-f.under {
			t.Errorf("%s: count %d outside [%d-%d, %d]", v, got, c, f.under, c)
		}
	}
	for v := range f.counts {
		if _, ok := truth[v]; !ok {
			t.Errorf("%s is kept but was never added", v)
		}
	}
	assert.LessOrEqual(t, f.under*(topCapacity+1), n-kept, "under is at most (occurrences - kept)/(capacity+1)")
}

// Up to topCapacity distinct values every count is exact, and the top list
// is the exact one, ties by value.
func TestFrequentExactUnderCapacity(t *testing.T) {
	t.Parallel()
	s := &stream{}
	for i := range topCapacity {
		s.add(fmt.Sprintf("v%03d", i), 1+i%7)
	}
	f, _ := summarise(s)
	assert.Zero(t, f.under)
	assert.Equal(t, s.counts, f.counts)
	assert.Equal(t, []Count{{"v006", 7}, {"v013", 7}, {"v020", 7}}, f.top(3))
	// One more distinct value and the summary is no longer exact, and says so.
	f.add("one-too-many")
	assert.Positive(t, f.under)
}

// A million distinct values among a few heavy hitters: the summary keeps at
// most topCapacity values all along, lists the heavy hitters first, each
// within the bound it states, and marks itself approximate.
func TestFrequentHeavyHitters(t *testing.T) {
	t.Parallel()
	heavy := map[string]int{"heavy-a": 30_000, "heavy-b": 20_000, "heavy-c": 12_000}
	s := noisy("ip-", 1_000_000, heavy)
	f, most := summarise(s)
	assert.LessOrEqual(t, most, topCapacity, "the summary never holds more than its capacity")
	assert.Positive(t, f.under, "approximate")
	checkBounds(t, f, s.counts)
	top := f.top(3)
	require.Len(t, top, 3)
	assert.Equal(t, []string{"heavy-a", "heavy-b", "heavy-c"}, []string{top[0].Value, top[1].Value, top[2].Value})
}

// No growth with the input: ten times the distinct values, the same number
// kept; a tally fed a million events with a new principal and source IP
// each keeps at most topCapacity of each.
func TestFrequentDoesNotGrow(t *testing.T) {
	t.Parallel()
	small, mostSmall := summarise(noisy("x", 100_000, nil))
	large, mostLarge := summarise(noisy("x", 1_000_000, nil))
	assert.Equal(t, topCapacity, mostSmall)
	assert.Equal(t, topCapacity, mostLarge)
	assert.LessOrEqual(t, len(small.counts), topCapacity)
	assert.LessOrEqual(t, len(large.counts), topCapacity)
	// All distinct: each lowering by 1 takes topCapacity+1 occurrences, the
	// worst case of the bound.
	assert.Equal(t, int64(1_000_000/(topCapacity+1)), large.under)

	tl := newTally()
	for i := range 1_000_000 {
		tl.add(&matched{time: time.Unix(1772323200+int64(i%86400), 0), principal: "p" + strconv.Itoa(i),
			account: strconv.Itoa(i % 10), sourceIP: "ip" + strconv.Itoa(i), eventName: "e" + strconv.Itoa(i%1000)}, 60)
	}
	for name, f := range map[string]frequent{"principals": tl.principals, "accounts": tl.accounts, "sourceIPs": tl.sourceIPs, "eventNames": tl.eventNames} {
		assert.LessOrEqual(t, len(f.counts), topCapacity, name)
	}
	assert.Zero(t, tl.accounts.under, "10 accounts: exact")
	assert.Positive(t, tl.eventNames.under, "1000 event names: approximate")
	assert.Len(t, tl.periods, 4, "a day of 60-second periods, not aligned to a block: four blocks of 512")
}

// BenchmarkTallyAdd measures counting one matching event: with a few
// distinct values (exact, the common case), with as many as the lists keep
// (exact, the most memory), and with a million (the lists full, lowered
// every topCapacity+1 new values). It reports the memory one tally holds
// after the adds, a day of period counters included.
func BenchmarkTallyAdd(b *testing.B) {
	const arn = "arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_AdministratorAccess_0123456789abcdef/"
	for _, c := range []struct {
		name     string
		distinct int
	}{{"distinct=50", 50}, {"distinct=256", topCapacity}, {"distinct=1M", 1_000_000}} {
		b.Run(c.name, func(b *testing.B) {
			events := make([]matched, 4096)
			next := 0
			fill := func() {
				for i := range events {
					v := next % c.distinct
					next++
					events[i] = matched{time: time.Unix(1772323200+int64(next%86400), 0),
						principal: arn + "session-" + strconv.Itoa(v), account: strconv.Itoa(100000000000 + v%50),
						sourceIP: "10." + strconv.Itoa(v>>16&255) + "." + strconv.Itoa(v>>8&255) + "." + strconv.Itoa(v&255), eventName: "Event" + strconv.Itoa(v%40)}
				}
			}
			var before runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			t := newTally()
			i := len(events)
			for b.Loop() {
				if i == len(events) {
					b.StopTimer()
					fill()
					i = 0
					b.StartTimer()
				}
				t.add(&events[i], 60)
				i++
			}
			b.StopTimer()
			clear(events) // the slice stays (KeepAlive below), its strings go
			var after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&after)
			b.ReportMetric(float64(int64(after.HeapAlloc)-int64(before.HeapAlloc))/1024, "KiB-held")
			runtime.KeepAlive(t)
			runtime.KeepAlive(events)
		})
	}
}

// A period holds more matches than its byte counts (the rest overflow), and
// the alarm is evaluated on the true count: 300 matches reach a threshold
// of 290 that 255 would not, and the most in one period is 300. Two of
// three periods breaching, as the alarm asks, make one alarm per run.
func TestPeriodCountsPastAByte(t *testing.T) {
	t.Parallel()
	tl := newTally()
	at := func(minute, n int) {
		for range n {
			tl.add(&matched{time: time.Unix(1772323200+int64(minute)*60, 0)}, 60)
		}
	}
	at(0, 300)
	at(1, 1)
	at(2, 290)
	at(10, 291)
	at(12, 295)
	a := Alarm{Statistic: "Sum", Value: 1, Threshold: 290, ComparisonOperator: "GreaterThanOrEqualToThreshold", EvaluationPeriods: 3, DatapointsToAlarm: 2}
	var counts []uint32
	for pc := range tl.periodCounts() {
		counts = append(counts, pc.count)
	}
	assert.Equal(t, []uint32{300, 1, 290, 291, 295}, counts)
	e := a.evaluate(tl.periodCounts())
	assert.Equal(t, int64(300), e.MaxInPeriod)
	assert.Equal(t, int64(4), e.BreachingPeriods)
	// Minutes 0 and 2 are 2 of 3 (alarm from 2 to 2); 10 and 12 likewise.
	assert.Equal(t, int64(2), e.Alarms)
}

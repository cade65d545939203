package replay

import (
	"bytes"
	"cmp"
	"encoding/binary"
	"math"
	"slices"
	"strings"
	"unsafe"

	"github.com/example/landing-zone-audit/internal/filterpattern"
)

// prefilter decides, from an event's raw bytes, which patterns could match
// it, so that most events are never parsed. Each pattern's Need names the
// texts a matching event contains. Of each need, the prefilter picks a few
// distinctive texts, its triggers, at least one of which every matching
// event contains (one operand of an &&, every operand of an ||), and finds
// the triggers of every pattern in one pass over the event. Only the
// patterns whose triggers were found, and those without triggers, have
// their needs evaluated; a need's other texts are searched for only when
// its answer depends on them.
//
// The pass looks at one 6-byte window every stride bytes and looks the
// window up in a bitmap of the windows of every trigger: a text at least
// stride+5 bytes long always covers a window at a multiple of stride. Six
// bytes make the windows rare in ordinary events ("Crea" is everywhere,
// "eateVp" is not) while allowing a stride of 6 for triggers as short as
// "CreateVpc" with its quotes.
type prefilter struct {
	texts []string
	// scanned marks the triggers; the other texts are searched for when a
	// need asks about them.
	scanned []bool
	stride  int
	bitmap  [1 << (hashBits - 6)]uint64
	// windows holds every registered window, those with equal bytes
	// together; slots finds the first of them by the window's bytes (open
	// addressing, -1 for an empty slot).
	windows []window
	slots   []int32
	needs   []need // one per pattern, in the order added
	// always lists the patterns without triggers (a need that names only
	// short texts, or nothing): they are evaluated on every event.
	always []int
	// patternsOf lists, by trigger, the patterns it triggers.
	patternsOf [][]int
}

// hashBits is the size of the window hash: a 32 KiB bitmap stays in the
// CPU's caches and is sparse enough that few windows need a second look.
const hashBits = 18

// window is one window of a text: its bytes, and where it starts.
type window struct {
	bytes uint64
	text  int
	off   int
}

// need is a filterpattern.Need over text indexes.
type need struct {
	kind filterpattern.NeedKind
	text int
	subs []need
}

// escape marks an event that writes a character as \u: its texts may be
// hidden, so every pattern is evaluated on it.
var escape = []byte(`\u`)

// windowSize is the window's length; minStride and maxStride bound the
// stride, so a trigger is at least minStride+windowSize-1 bytes long.
const (
	windowSize = 6
	minStride  = 4
	maxStride  = 8
	windowMask = 1<<(8*windowSize) - 1
)

func newPrefilter(patterns []*filterpattern.Pattern) *prefilter {
	p := &prefilter{}
	index := map[string]int{}
	var add func(n filterpattern.Need) need
	add = func(n filterpattern.Need) need {
		out := need{kind: n.Kind}
		switch n.Kind {
		case filterpattern.NeedText:
			i, ok := index[n.Text]
			if !ok {
				i = len(p.texts)
				index[n.Text] = i
				p.texts = append(p.texts, n.Text)
			}
			out.text = i
		case filterpattern.NeedAll, filterpattern.NeedAny:
			for _, s := range n.Subs {
				out.subs = append(out.subs, add(s))
			}
		}
		return out
	}
	for _, pat := range patterns {
		p.needs = append(p.needs, add(pat.Prefilter()))
	}
	p.scanned = make([]bool, len(p.texts))
	p.patternsOf = make([][]int, len(p.texts))
	for i := range p.needs {
		triggers, ok := p.needs[i].triggers(p.texts)
		if !ok {
			p.always = append(p.always, i)
			continue
		}
		for _, t := range triggers {
			p.scanned[t] = true
			if !slices.Contains(p.patternsOf[t], i) {
				p.patternsOf[t] = append(p.patternsOf[t], i)
			}
		}
	}
	p.stride = maxStride
	for i, t := range p.texts {
		if p.scanned[i] {
			p.stride = min(p.stride, len(t)-windowSize+1)
		}
	}
	for i, t := range p.texts {
		if !p.scanned[i] {
			continue
		}
		from := distinctRun(t, p.stride)
		for off := from; off < from+p.stride; off++ {
			v := windowAt([]byte(t), off)
			h := hash(v)
			p.bitmap[h>>6] |= 1 << (h & 63)
			p.windows = append(p.windows, window{v, i, off})
		}
	}
	p.index()
	for i := range p.needs {
		p.needs[i].scannedFirst(p.scanned)
	}
	return p
}

// triggers returns texts at least one of which every event meeting n
// contains, each long enough to be scanned for, choosing the most
// distinctive operand of an &&; false when n has none.
func (n *need) triggers(texts []string) ([]int, bool) {
	switch n.kind {
	case filterpattern.NeedText:
		return []int{n.text}, len(texts[n.text]) >= minStride+windowSize-1
	case filterpattern.NeedAll:
		var best []int
		bestScore := -1
		for i := range n.subs {
			t, ok := n.subs[i].triggers(texts)
			if !ok {
				continue
			}
			score := math.MaxInt // of the weakest text
			for _, x := range t {
				score = min(score, distinctiveness(texts[x]))
			}
			if score > bestScore || (score == bestScore && len(t) < len(best)) {
				best, bestScore = t, score
			}
		}
		return best, best != nil
	case filterpattern.NeedAny:
		var all []int
		for i := range n.subs {
			t, ok := n.subs[i].triggers(texts)
			if !ok {
				return nil, false
			}
			all = append(all, t...)
		}
		return all, true
	}
	return nil, false
}

// scannedFirst orders the operands of every && so that those the scan
// answers come first: a text is then searched for only when everything
// else holds. It reports whether n names a text that is not scanned.
func (n *need) scannedFirst(scanned []bool) bool {
	if n.kind == filterpattern.NeedText {
		return !scanned[n.text]
	}
	searches := make([]bool, len(n.subs))
	any := false
	for i := range n.subs {
		searches[i] = n.subs[i].scannedFirst(scanned)
		any = any || searches[i]
	}
	if n.kind == filterpattern.NeedAll {
		var first, last []need
		for i, s := range n.subs {
			if searches[i] {
				last = append(last, s)
			} else {
				first = append(first, s)
			}
		}
		n.subs = append(first, last...)
	}
	return any
}

// index sorts the windows by their bytes and fills the slots, a table at
// most a quarter full.
func (p *prefilter) index() {
	slices.SortStableFunc(p.windows, func(a, b window) int { return cmp.Compare(a.bytes, b.bytes) })
	size := 64
	for size < 4*len(p.windows) {
		size *= 2
	}
	p.slots = make([]int32, size)
	for i := range p.slots {
		p.slots[i] = -1
	}
	for i, w := range p.windows {
		if i > 0 && p.windows[i-1].bytes == w.bytes {
			continue
		}
		s := int(hash(w.bytes)) & (size - 1)
		for p.slots[s] >= 0 {
			s = (s + 1) & (size - 1)
		}
		p.slots[s] = int32(i)
	}
}

// lookup returns the windows whose bytes are v.
func (p *prefilter) lookup(v uint64) []window {
	mask := len(p.slots) - 1
	for s := int(hash(v)) & mask; p.slots[s] >= 0; s = (s + 1) & mask {
		first := int(p.slots[s])
		if p.windows[first].bytes != v {
			continue
		}
		last := first + 1
		for last < len(p.windows) && p.windows[last].bytes == v {
			last++
		}
		return p.windows[first:last]
	}
	return nil
}

// commonTexts appear in nearly every CloudTrail event, and so do account
// IDs: windows inside them would send every event to a second look.
var commonTexts = []string{".amazonaws.com", "arn:aws:", ":assumed-role", ":role/"}

// common marks the bytes of t inside a common text or a run of digits.
func common(t string) []bool {
	mask := make([]bool, len(t))
	for _, c := range commonTexts {
		for at := 0; ; {
			k := strings.Index(t[at:], c)
			if k < 0 {
				break
			}
			for j := at + k; j < at+k+len(c); j++ {
				mask[j] = true
			}
			at += k + 1
		}
	}
	for j := range t {
		if t[j] >= '0' && t[j] <= '9' {
			mask[j] = true
		}
	}
	return mask
}

// distinctiveness is the length of t's longest run of bytes outside common
// texts and digits: "elevated-security-role" is rarer in events than
// "arn:aws:sts::111122223333:assumed-role", though shorter.
func distinctiveness(t string) int {
	best, run := 0, 0
	for _, c := range common(t) {
		if c {
			run = 0
			continue
		}
		run++
		best = max(best, run)
	}
	return best
}

// distinctRun returns where the stride consecutive windows of t that are
// registered start: any stride consecutive offsets cover every alignment of
// an occurrence, so the run whose windows hold the fewest common bytes is
// chosen.
func distinctRun(t string, stride int) int {
	mask := common(t)
	best, bestCount := 0, math.MaxInt
	for from := 0; from+stride+windowSize-1 <= len(t); from++ {
		n := 0
		for off := from; off < from+stride; off++ {
			for _, c := range mask[off : off+windowSize] {
				if c {
					n++
				}
			}
		}
		if n < bestCount {
			best, bestCount = from, n
		}
	}
	return best
}

func hash(v uint64) uint32 { return uint32((v * 0x9E3779B97F4A7C15) >> (64 - hashBits)) }

// windowAt returns the window of b at i as a number; past the end of b the
// window holds zeros.
func windowAt(b []byte, i int) uint64 {
	var pad [8]byte
	copy(pad[:], b[i:])
	return binary.LittleEndian.Uint64(pad[:]) & windowMask
}

// texts is what the prefilter knows of one event's texts, one bit per text:
// found for the triggers after the scan and for the other texts searched
// so far, searched for the latter; and the triggers found, in order.
type texts struct {
	found, searched []uint64
	triggers        []int
	checked         []bool // by pattern
}

func (p *prefilter) newTexts() *texts {
	n := (len(p.texts) + 63) / 64
	return &texts{found: padded[uint64](n), searched: padded[uint64](n), checked: padded[bool](len(p.needs)), triggers: padded[int](8)[:0]}
}

// padded returns a slice of n zero values with a cache line's worth of
// room on either side. Each worker writes its scratch for every event: two
// workers' small slices allocated side by side would share a cache line,
// and the cores would pass it back and forth on every write.
func padded[T any](n int) []T {
	var zero T
	pad := max(1, 128/max(1, int(unsafe.Sizeof(zero))))
	return make([]T, n+2*pad)[pad : pad+n : pad+n]
}

// candidates sets candidate[i] for every pattern i the event may match and
// reports whether there is one. An event with a \u escape, which may hide
// any text, is a candidate for every pattern.
func (p *prefilter) candidates(ev []byte, t *texts, candidate []bool) bool {
	if bytes.Contains(ev, escape) {
		for i := range candidate {
			candidate[i] = true
		}
		return true
	}
	p.scan(ev, t)
	clear(candidate)
	some := false
	for _, i := range p.always {
		if p.needs[i].holds(p, ev, t) {
			candidate[i], some = true, true
		}
	}
	if len(t.triggers) == 0 {
		return some
	}
	clear(t.checked)
	for _, text := range t.triggers {
		for _, i := range p.patternsOf[text] {
			if t.checked[i] {
				continue
			}
			t.checked[i] = true
			if p.needs[i].holds(p, ev, t) {
				candidate[i], some = true, true
			}
		}
	}
	return some
}

// scan finds the triggers the event contains.
func (p *prefilter) scan(ev []byte, t *texts) {
	clear(t.found)
	clear(t.searched)
	t.triggers = t.triggers[:0]
	i := 0
	for ; i+8 <= len(ev); i += p.stride {
		v := binary.LittleEndian.Uint64(ev[i:]) & windowMask
		if h := hash(v); p.bitmap[h>>6]&(1<<(h&63)) != 0 {
			p.record(v, i, ev, t)
		}
	}
	for ; i+windowSize <= len(ev); i += p.stride {
		p.record(windowAt(ev, i), i, ev, t)
	}
}

// record records the triggers whose window v is at i of ev.
func (p *prefilter) record(v uint64, i int, ev []byte, t *texts) {
	for _, w := range p.lookup(v) {
		text := p.texts[w.text]
		start := i - w.off
		bit := uint64(1) << (w.text & 63)
		if start >= 0 && start+len(text) <= len(ev) && string(ev[start:start+len(text)]) == text && t.found[w.text>>6]&bit == 0 {
			t.found[w.text>>6] |= bit
			t.triggers = append(t.triggers, w.text)
		}
	}
}

// has reports whether the event contains text i, searching for a text
// that is not scanned the first time it is asked about.
func (p *prefilter) has(i int, ev []byte, t *texts) bool {
	word, bit := i>>6, uint64(1)<<(i&63)
	if !p.scanned[i] && t.searched[word]&bit == 0 {
		t.searched[word] |= bit
		if contains(ev, p.texts[i]) {
			t.found[word] |= bit
		}
	}
	return t.found[word]&bit != 0
}

func (n *need) holds(p *prefilter, ev []byte, t *texts) bool {
	switch n.kind {
	case filterpattern.NeedText:
		return p.has(n.text, ev, t)
	case filterpattern.NeedAll:
		for i := range n.subs {
			if !n.subs[i].holds(p, ev, t) {
				return false
			}
		}
		return true
	case filterpattern.NeedAny:
		for i := range n.subs {
			if n.subs[i].holds(p, ev, t) {
				return true
			}
		}
		return false
	}
	return true
}

// contains reports whether ev contains text. A text that opens with a
// string's quote is searched for from its second byte: the quote is the
// commonest byte of JSON, and a search anchored on it stops at every string.
func contains(ev []byte, text string) bool {
	if len(text) < 2 || text[0] != '"' {
		return bytes.Contains(ev, []byte(text))
	}
	rest := []byte(text[1:])
	for i := 1; i < len(ev); {
		k := bytes.Index(ev[i:], rest)
		if k < 0 {
			return false
		}
		if ev[i+k-1] == '"' {
			return true
		}
		i += k + 1
	}
	return false
}

package replay

import (
	"bytes"
	"encoding/binary"
	"strings"

	"github.com/example/landing-zone-audit/internal/filterpattern"
)

// prefilter decides, from an event's raw bytes, which patterns could match
// it, so that most events are never parsed. Each pattern's Need names the
// texts a matching event contains; the prefilter finds them all in one pass
// over the event and evaluates the needs on what it found.
//
// The pass looks at one 8-byte window every stride bytes and looks the
// window up in a bitmap of every 8-byte window of every text: a text at
// least stride+7 bytes long always covers a window at a multiple of
// stride. Shorter texts are searched for one by one. Eight bytes make the
// windows rare in ordinary events ("Crea" is everywhere, "CreateVp" is not).
type prefilter struct {
	texts  []string
	long   []int // indexes of texts found through the windows
	short  []int // indexes of texts searched for one by one
	stride int
	bitmap [1 << (hashBits - 6)]uint64
	// windows lists, by window hash, the texts holding that window and where.
	windows map[uint32][]window
	needs   []need // one per pattern, in the order added
}

// hashBits is the size of the window hash: a 32 KiB bitmap stays in the
// CPU's caches and is sparse enough that few windows need a second look.
const hashBits = 18

// window is one 4-byte window of a text, at offset off.
type window struct {
	text int
	off  int
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
// stride; texts shorter than minStride+windowSize-1 are searched for one by
// one.
const (
	windowSize = 8
	minStride  = 4
	maxStride  = 8
)

func newPrefilter(patterns []*filterpattern.Pattern) *prefilter {
	p := &prefilter{windows: map[uint32][]window{}}
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
	p.stride = maxStride
	for _, t := range p.texts {
		if len(t) >= minStride+windowSize-1 {
			p.stride = min(p.stride, len(t)-windowSize+1)
		}
	}
	for i, t := range p.texts {
		if len(t) < p.stride+windowSize-1 {
			p.short = append(p.short, i)
			continue
		}
		p.long = append(p.long, i)
		from := distinctRun(t, p.stride)
		for off := from; off < from+p.stride; off++ {
			h := hash(binary.LittleEndian.Uint64([]byte(t[off:])))
			p.bitmap[h>>6] |= 1 << (h & 63)
			p.windows[h] = append(p.windows[h], window{i, off})
		}
	}
	return p
}

// commonTexts appear in nearly every CloudTrail event: windows inside them
// would send every event to a second look.
var commonTexts = []string{".amazonaws.com", "arn:aws:", ":assumed-role", ":role/"}

// distinctRun returns where the stride consecutive windows of t that are
// registered start: any stride consecutive offsets cover every alignment of
// an occurrence, so the run least inside commonTexts is chosen.
func distinctRun(t string, stride int) int {
	common := make([]bool, len(t)-windowSize+1)
	for _, c := range commonTexts {
		for at := 0; ; {
			k := strings.Index(t[at:], c)
			if k < 0 {
				break
			}
			for off := at + k; off+windowSize <= at+k+len(c) && off < len(common); off++ {
				common[off] = true
			}
			at += k + 1
		}
	}
	best, bestCount := 0, stride+1
	for from := 0; from+stride <= len(common); from++ {
		n := 0
		for _, c := range common[from : from+stride] {
			if c {
				n++
			}
		}
		if n < bestCount {
			best, bestCount = from, n
		}
	}
	return best
}

func hash(v uint64) uint32 { return uint32((v * 0x9E3779B97F4A7C15) >> (64 - hashBits)) }

// scan records in found (one bit per text) the texts the event contains.
func (p *prefilter) scan(ev []byte, found []uint64) {
	clear(found)
	for i := 0; i+windowSize <= len(ev); i += p.stride {
		h := hash(binary.LittleEndian.Uint64(ev[i:]))
		if p.bitmap[h>>6]&(1<<(h&63)) == 0 {
			continue
		}
		for _, w := range p.windows[h] {
			t := p.texts[w.text]
			start := i - w.off
			if start >= 0 && start+len(t) <= len(ev) && string(ev[start:start+len(t)]) == t {
				found[w.text>>6] |= 1 << (w.text & 63)
			}
		}
	}
	for _, i := range p.short {
		if bytes.Contains(ev, []byte(p.texts[i])) {
			found[i>>6] |= 1 << (i & 63)
		}
	}
}

// words is the size of a found bitset.
func (p *prefilter) words() int { return (len(p.texts) + 63) / 64 }

// may reports whether pattern i could match an event whose texts are found.
func (p *prefilter) may(i int, found []uint64) bool { return p.needs[i].holds(found) }

func (n *need) holds(found []uint64) bool {
	switch n.kind {
	case filterpattern.NeedText:
		return found[n.text>>6]&(1<<(n.text&63)) != 0
	case filterpattern.NeedAll:
		for i := range n.subs {
			if !n.subs[i].holds(found) {
				return false
			}
		}
		return true
	case filterpattern.NeedAny:
		for i := range n.subs {
			if n.subs[i].holds(found) {
				return true
			}
		}
		return false
	}
	return true
}

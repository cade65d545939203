package replay

import (
	"bytes"
	"encoding/binary"

	"github.com/example/landing-zone-audit/internal/filterpattern"
)

// prefilter decides, from an event's raw bytes, which patterns could match
// it, so that most events are never parsed. Each pattern's Need names the
// texts a matching event contains; the prefilter finds them all in one pass
// over the event and evaluates the needs on what it found.
//
// The pass looks at one 4-byte window every stride bytes and looks the
// window up in a bitmap of every 4-byte window of every text: a text at
// least stride+3 bytes long always covers a window at a multiple of
// stride. Shorter texts are searched for one by one.
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

// minStride and maxStride bound the window stride; texts shorter than
// minStride+3 are searched for one by one.
const (
	minStride = 4
	maxStride = 8
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
		if len(t) >= minStride+3 {
			p.stride = min(p.stride, len(t)-3)
		}
	}
	for i, t := range p.texts {
		if len(t) < p.stride+3 {
			p.short = append(p.short, i)
			continue
		}
		p.long = append(p.long, i)
		for off := 0; off+4 <= len(t); off++ {
			h := hash(binary.LittleEndian.Uint32([]byte(t[off:])))
			p.bitmap[h>>6] |= 1 << (h & 63)
			p.windows[h] = append(p.windows[h], window{i, off})
		}
	}
	return p
}

func hash(v uint32) uint32 { return (v * 0x9E3779B1) >> (32 - hashBits) }

// scan records in found (one bit per text) the texts the event contains.
func (p *prefilter) scan(ev []byte, found []uint64) {
	clear(found)
	for i := 0; i+4 <= len(ev); i += p.stride {
		h := hash(binary.LittleEndian.Uint32(ev[i:]))
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

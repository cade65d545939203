package eventpattern

import (
	"encoding/json"
	"net/netip"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// predicate tests one leaf value of an event (string, json.Number, bool or
// nil). Content filters and anything-but exclusion sets implement it.
type predicate interface {
	test(v any) bool
}

// exactSet is the set of exact values listed in a match array, or excluded
// by anything-but. Numbers are keyed by value so that 7 and 7.0 are equal.
type exactSet struct {
	strs      map[string]struct{}
	nums      map[float64]struct{}
	trueOK    bool
	falseOK   bool
	nullOK    bool
	hasValues bool
}

func (s *exactSet) addString(str string) {
	if s.strs == nil {
		s.strs = make(map[string]struct{})
	}
	s.strs[str] = struct{}{}
	s.hasValues = true
}

func (s *exactSet) addNumber(f float64) {
	if s.nums == nil {
		s.nums = make(map[float64]struct{})
	}
	s.nums[f] = struct{}{}
	s.hasValues = true
}

func (s *exactSet) addBool(b bool) {
	if b {
		s.trueOK = true
	} else {
		s.falseOK = true
	}
	s.hasValues = true
}

func (s *exactSet) addNull() {
	s.nullOK = true
	s.hasValues = true
}

func (s *exactSet) test(v any) bool {
	if !s.hasValues {
		return false
	}
	switch t := v.(type) {
	case string:
		_, ok := s.strs[t]
		return ok
	case json.Number:
		if len(s.nums) == 0 {
			return false
		}
		f, ok := toFloat(t)
		if !ok {
			return false
		}
		_, ok = s.nums[f]
		return ok
	case bool:
		if t {
			return s.trueOK
		}
		return s.falseOK
	case nil:
		return s.nullOK
	}
	return false
}

// toFloat converts an event number; numbers outside the float64 range cannot
// be compared meaningfully and match no numeric condition.
func toFloat(n json.Number) (float64, bool) {
	f, err := strconv.ParseFloat(string(n), 64)
	return f, err == nil
}

// prefixPred implements {"prefix": ...}.
type prefixPred struct {
	prefix string
	fold   bool // {"prefix": {"equals-ignore-case": ...}}
}

func (p prefixPred) test(v any) bool {
	s, ok := v.(string)
	if !ok {
		return false
	}
	if p.fold {
		return hasPrefixFold(s, p.prefix)
	}
	return strings.HasPrefix(s, p.prefix)
}

// suffixPred implements {"suffix": ...}.
type suffixPred struct {
	suffix string
	fold   bool // {"suffix": {"equals-ignore-case": ...}}
}

func (p suffixPred) test(v any) bool {
	s, ok := v.(string)
	if !ok {
		return false
	}
	if p.fold {
		return hasSuffixFold(s, p.suffix)
	}
	return strings.HasSuffix(s, p.suffix)
}

// foldPred implements {"equals-ignore-case": ...}; anything-but may list
// several strings.
type foldPred []string

func (p foldPred) test(v any) bool {
	s, ok := v.(string)
	if !ok {
		return false
	}
	for _, want := range p {
		if strings.EqualFold(s, want) {
			return true
		}
	}
	return false
}

// anyOf matches when any of its predicates does; used for lists of
// wildcards under anything-but.
type anyOf []predicate

func (a anyOf) test(v any) bool {
	for _, p := range a {
		if p.test(v) {
			return true
		}
	}
	return false
}

// numericPred implements {"numeric": [...]} as an interval with optional
// bounds; "=" is the closed interval [n, n].
type numericPred struct {
	lo, hi         float64
	hasLo, hasHi   bool
	loIncl, hiIncl bool
}

func (p numericPred) test(v any) bool {
	n, ok := v.(json.Number)
	if !ok {
		return false
	}
	f, ok := toFloat(n)
	if !ok {
		return false
	}
	if p.hasLo && (f < p.lo || (f == p.lo && !p.loIncl)) {
		return false
	}
	if p.hasHi && (f > p.hi || (f == p.hi && !p.hiIncl)) {
		return false
	}
	return true
}

// cidrPred implements {"cidr": "10.0.0.0/24"}.
type cidrPred struct {
	prefix netip.Prefix
}

func (p cidrPred) test(v any) bool {
	s, ok := v.(string)
	if !ok {
		return false
	}
	// The value must be an address of the block's family, written as one:
	// event-ruler does not read "::ffff:10.0.0.1" as an IP address at all
	// (CIDR.isIPv4OrIPv6), and netip keeps it an IPv6 address.
	addr, err := netip.ParseAddr(s)
	if err != nil {
		return false
	}
	return p.prefix.Contains(addr)
}

// wildcardPred implements {"wildcard": ...}. The pattern is kept as the
// literal segments between stars: "a*b*c" is [a b c] and "*x" is ["" x], so
// a pattern without stars is a single segment that must equal the value.
type wildcardPred struct {
	segments []string
}

func (p wildcardPred) test(v any) bool {
	s, ok := v.(string)
	if !ok {
		return false
	}
	return p.matchString(s)
}

// matchString anchors the first and last segments and finds the middle ones
// left to right. Taking the leftmost occurrence of each middle segment is
// always safe, so this needs no backtracking and runs in linear time.
func (p wildcardPred) matchString(s string) bool {
	segs := p.segments
	if len(segs) == 1 {
		return s == segs[0]
	}
	first, last := segs[0], segs[len(segs)-1]
	if !strings.HasPrefix(s, first) {
		return false
	}
	s = s[len(first):]
	if !strings.HasSuffix(s, last) {
		return false
	}
	s = s[:len(s)-len(last)]
	for _, mid := range segs[1 : len(segs)-1] {
		i := strings.Index(s, mid)
		if i < 0 {
			return false
		}
		s = s[i+len(mid):]
	}
	return true
}

// hasPrefixFold is strings.HasPrefix under Unicode simple case folding. It
// walks runes because folding can change a rune's encoded length (K, U+212A
// KELVIN SIGN, folds to k).
func hasPrefixFold(s, prefix string) bool {
	for prefix != "" {
		if s == "" {
			return false
		}
		pr, pn := utf8.DecodeRuneInString(prefix)
		sr, sn := utf8.DecodeRuneInString(s)
		if !equalFoldRune(pr, sr) {
			return false
		}
		prefix, s = prefix[pn:], s[sn:]
	}
	return true
}

// hasSuffixFold is strings.HasSuffix under Unicode simple case folding.
func hasSuffixFold(s, suffix string) bool {
	for suffix != "" {
		if s == "" {
			return false
		}
		pr, pn := utf8.DecodeLastRuneInString(suffix)
		sr, sn := utf8.DecodeLastRuneInString(s)
		if !equalFoldRune(pr, sr) {
			return false
		}
		suffix, s = suffix[:len(suffix)-pn], s[:len(s)-sn]
	}
	return true
}

// equalFoldRune reports whether a and b are in the same case-folding orbit,
// the rule strings.EqualFold applies.
func equalFoldRune(a, b rune) bool {
	if a == b {
		return true
	}
	for r := unicode.SimpleFold(a); r != a; r = unicode.SimpleFold(r) {
		if r == b {
			return true
		}
	}
	return false
}

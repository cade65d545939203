package filterpattern

import (
	"errors"
	"strings"
)

// NeedKind is the kind of a [Need].
type NeedKind int

// The kinds of Need.
const (
	NeedNothing NeedKind = iota // holds for every event
	NeedText                    // the event's raw bytes contain Text
	NeedAll                     // every one of Subs holds
	NeedAny                     // at least one of Subs holds
)

// Need is a condition on the raw bytes of a JSON event that every event a
// pattern matches meets: a cheap test that rules most events out before
// they are parsed. It can hold for an event the pattern does not match,
// never the reverse, with one exception: JSON may write any character as a
// \u escape, so an event whose raw bytes contain `\u` must be evaluated
// whatever its Need says.
type Need struct {
	Kind NeedKind
	Text string // NeedText
	Subs []Need // NeedAll, NeedAny
}

// Prefilter returns the pattern's Need: for = comparisons, the parts of the
// value a matching event must contain as written (wildcards and the
// characters JSON may escape, " \ / and non-printable or non-ASCII ones,
// split it), with the string's quotes where the value starts or ends (see
// [stringTexts]); the negations, numeric comparisons and IS / NOT EXISTS
// tests need nothing, and && and || combine their operands' needs.
func (p *Pattern) Prefilter() Need {
	if p == nil || p.root == nil {
		return Need{}
	}
	return need(p.root)
}

func need(n node) Need {
	switch n := n.(type) {
	case andNode:
		var subs []Need
		for _, c := range n {
			if s := need(c); s.Kind != NeedNothing {
				subs = append(subs, s)
			}
		}
		return combine(NeedAll, subs)
	case orNode:
		var subs []Need
		for _, c := range n {
			s := need(c)
			if s.Kind == NeedNothing {
				return Need{} // one operand needs nothing: neither does the whole
			}
			subs = append(subs, s)
		}
		return combine(NeedAny, subs)
	case *stringNode:
		if n.negate {
			return Need{}
		}
		var subs []Need
		for _, text := range stringTexts(n.m) {
			subs = append(subs, Need{Kind: NeedText, Text: text})
		}
		return combine(NeedAll, subs)
	}
	return Need{}
}

func combine(kind NeedKind, subs []Need) Need {
	switch len(subs) {
	case 0:
		return Need{}
	case 1:
		return subs[0]
	}
	return Need{Kind: kind, Subs: subs}
}

// stringTexts returns what the raw bytes of a value w matches must contain.
// A value that only a JSON string can have is written between quotes, so
// the piece the value starts with takes the opening quote (unless a
// wildcard comes first) and the piece it ends with the closing one: longer
// texts are rarer in events, and "Root" with its quotes is not in
// "RootCause". String comparisons also match numbers and booleans by their
// text (see scalarText), which have no quotes: a value written only with
// the characters of numbers and of true and false keeps its pieces bare.
func stringTexts(w wildcard) []string {
	pieces := literalPieces(w.lit)
	if len(pieces) == 0 || strings.Trim(w.lit, "0123456789+-.eEtrufals") == "" {
		return pieces
	}
	last := len(pieces) - 1
	opens := !w.anyStart && strings.HasPrefix(w.lit, pieces[0])
	closes := !w.anyEnd && strings.HasSuffix(w.lit, pieces[last])
	if opens {
		pieces[0] = `"` + pieces[0]
	}
	if closes {
		pieces[last] += `"`
	}
	return pieces
}

// literalPieces splits s at every character a JSON encoder may write
// escaped, leaving the runs of printable ASCII that appear in the raw
// event exactly as in s.
func literalPieces(s string) []string {
	var pieces []string
	start := 0
	for i := 0; i <= len(s); i++ {
		if i < len(s) && s[i] >= 0x20 && s[i] < 0x7f && s[i] != '"' && s[i] != '\\' && s[i] != '/' {
			continue
		}
		if i > start {
			pieces = append(pieces, s[start:i])
		}
		start = i + 1
	}
	return pieces
}

// Event is a JSON event parsed once, to be matched against many patterns.
type Event struct {
	doc any
}

// ParseEvent parses one JSON event for [Pattern.MatchEvent]. It fails on
// what [Pattern.Match] fails on.
func ParseEvent(event []byte) (*Event, error) {
	doc, err := decodeEvent(event)
	if err != nil {
		return nil, err
	}
	return &Event{doc: doc}, nil
}

// Value is the event as encoding/json decodes it with UseNumber: maps,
// slices, strings, json.Number, booleans and nil.
func (e *Event) Value() any { return e.doc }

// MatchEvent reports whether a parsed event matches, as [Pattern.Match]
// does.
func (p *Pattern) MatchEvent(e *Event) (bool, error) {
	if p == nil || p.root == nil || e == nil {
		return false, errors.New("filterpattern: MatchEvent called on a nil Pattern or Event")
	}
	return p.root.eval(e.doc), nil
}

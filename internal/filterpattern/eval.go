package filterpattern

import (
	"encoding/json"
	"strconv"
	"strings"
)

// node is one element of a parsed pattern's expression tree. doc is the
// event as produced by encoding/json with UseNumber.
type node interface {
	eval(doc any) bool
}

// andNode matches when every operand matches.
type andNode []node

func (n andNode) eval(doc any) bool {
	for _, c := range n {
		if !c.eval(doc) {
			return false
		}
	}
	return true
}

// orNode matches when any operand matches.
type orNode []node

func (n orNode) eval(doc any) bool {
	for _, c := range n {
		if c.eval(doc) {
			return true
		}
	}
	return false
}

// step is one hop of a selector: a property name or an array index.
type step struct {
	key     string
	index   int
	isIndex bool
}

// selector is a parsed $.a.b[0] path.
type selector []step

// lookup resolves the selector against doc and reports whether the path
// exists.
func (s selector) lookup(doc any) (any, bool) {
	cur := doc
	for _, st := range s {
		if st.isIndex {
			arr, ok := cur.([]any)
			if !ok || st.index >= len(arr) {
				return nil, false
			}
			cur = arr[st.index]
			continue
		}
		obj, ok := cur.(map[string]any)
		if !ok {
			return nil, false
		}
		if cur, ok = obj[st.key]; !ok {
			return nil, false
		}
	}
	return cur, true
}

// predicateKind names the unary tests that take no value.
type predicateKind int

const (
	isNull predicateKind = iota
	isTrue
	isFalse
	notExists
)

// predicateNode implements IS NULL, IS TRUE, IS FALSE and NOT EXISTS.
type predicateNode struct {
	sel  selector
	kind predicateKind
}

func (n *predicateNode) eval(doc any) bool {
	v, ok := n.sel.lookup(doc)
	switch n.kind {
	case isNull:
		return ok && v == nil
	case isTrue:
		b, isBool := v.(bool)
		return ok && isBool && b
	case isFalse:
		b, isBool := v.(bool)
		return ok && isBool && !b
	case notExists:
		return !ok
	}
	return false
}

// stringNode implements = and != against a string literal or bare word.
type stringNode struct {
	sel    selector
	negate bool // true for !=
	m      wildcard
}

func (n *stringNode) eval(doc any) bool {
	v, ok := n.sel.lookup(doc)
	if !ok {
		// A missing field matches neither = nor !=; see Pattern.Match.
		return false
	}
	text, ok := scalarText(v)
	if !ok {
		return false
	}
	return n.m.match(text) != n.negate
}

// scalarText returns the textual form used for string comparisons. Only
// strings, numbers (their JSON text) and booleans have one; null, objects
// and arrays do not take part in string comparisons.
func scalarText(v any) (string, bool) {
	switch v := v.(type) {
	case string:
		return v, true
	case json.Number:
		return v.String(), true
	case bool:
		return strconv.FormatBool(v), true
	}
	return "", false
}

// wildcard is a string literal whose leading and/or trailing * act as
// wildcards. Any other * is literal, matching CloudWatch, which only
// supports wildcards at the ends of a value.
type wildcard struct {
	lit      string
	anyStart bool // pattern began with *: lit must be a suffix
	anyEnd   bool // pattern ended with *: lit must be a prefix
}

func newWildcard(s string) wildcard {
	var w wildcard
	if strings.HasPrefix(s, "*") {
		w.anyStart = true
		s = s[1:]
	}
	if strings.HasSuffix(s, "*") {
		w.anyEnd = true
		s = s[:len(s)-1]
	}
	w.lit = s
	return w
}

func (w wildcard) match(s string) bool {
	switch {
	case w.anyStart && w.anyEnd:
		return strings.Contains(s, w.lit)
	case w.anyStart:
		return strings.HasSuffix(s, w.lit)
	case w.anyEnd:
		return strings.HasPrefix(s, w.lit)
	}
	return s == w.lit
}

// numOp is a numeric comparison operator.
type numOp int

const (
	numEq numOp = iota
	numNe
	numLt
	numGt
	numLe
	numGe
)

// holds reports whether cmp (-1, 0 or +1, as from a.Cmp(b)) satisfies
// "a op b".
func (op numOp) holds(cmp int) bool {
	switch op {
	case numEq:
		return cmp == 0
	case numNe:
		return cmp != 0
	case numLt:
		return cmp < 0
	case numGt:
		return cmp > 0
	case numLe:
		return cmp <= 0
	case numGe:
		return cmp >= 0
	}
	return false
}

// numberNode implements numeric comparisons. Only JSON numbers match.
type numberNode struct {
	sel selector
	op  numOp
	lit decimal // the pattern's literal
}

func (n *numberNode) eval(doc any) bool {
	v, ok := n.sel.lookup(doc)
	if !ok {
		return false
	}
	num, ok := v.(json.Number)
	if !ok {
		return false
	}
	return n.op.holds(parseDecimal(num.String()).cmp(n.lit))
}

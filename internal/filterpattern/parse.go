package filterpattern

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxDepth bounds parenthesis nesting so that hostile patterns cannot
// exhaust the stack; real metric filters nest two or three levels.
const maxDepth = 100

// parser is a hand-written recursive-descent parser working directly on the
// pattern bytes, so every error can point at an exact offset.
//
// Grammar:
//
//	pattern    = ws "{" or "}" ws
//	or         = and { "||" and }
//	and        = primary { "&&" primary }
//	primary    = "(" or ")" | condition
//	condition  = selector ( op value | "IS" ("NULL"|"TRUE"|"FALSE") | "NOT" "EXISTS" )
//	selector   = "$" "." name { "." name | "[" digits "]" }
//	op         = "=" | "!=" | "<" | ">" | "<=" | ">="
//	value      = quoted-string | bare-word
type parser struct {
	src   string
	pos   int
	depth int
}

func parse(src string) (node, error) {
	p := &parser{src: src}
	p.skipSpace()
	if p.eof() {
		return nil, p.errAt(0, "empty pattern")
	}
	if p.src[p.pos] != '{' {
		return nil, p.errAt(p.pos, "JSON filter pattern must start with '{'")
	}
	open := p.pos
	p.pos++
	n, err := p.parseOr("after '{'")
	if err != nil {
		return nil, err
	}
	// parseOr only returns successfully at '}', ')' or the end of input.
	switch {
	case p.eof():
		return nil, p.errAt(p.pos, fmt.Sprintf("missing closing '}' for '{' at offset %d", open))
	case p.src[p.pos] == ')':
		return nil, p.errAt(p.pos, "unbalanced parentheses: unexpected ')'")
	}
	p.pos++ // '}'
	p.skipSpace()
	if !p.eof() {
		return nil, p.errAt(p.pos, "unexpected text after closing '}'")
	}
	return n, nil
}

// parseOr parses and-terms separated by ||. ctx describes what precedes the
// first term, for "missing condition" errors.
func (p *parser) parseOr(ctx string) (node, error) {
	var terms orNode
	for {
		n, err := p.parseAnd(ctx)
		if err != nil {
			return nil, err
		}
		terms = append(terms, n)
		if !p.consume("||") {
			break
		}
		ctx = "after '||'"
	}
	if len(terms) == 1 {
		return terms[0], nil
	}
	return terms, nil
}

// parseAnd parses primaries separated by &&. It returns with p positioned
// at "||", ')', '}' or the end of input.
func (p *parser) parseAnd(ctx string) (node, error) {
	var terms andNode
	for {
		n, err := p.parsePrimary(ctx)
		if err != nil {
			return nil, err
		}
		terms = append(terms, n)
		p.skipSpace()
		if !p.consume("&&") {
			break
		}
		ctx = "after '&&'"
	}
	if err := p.checkAfterCondition(); err != nil {
		return nil, err
	}
	if len(terms) == 1 {
		return terms[0], nil
	}
	return terms, nil
}

// checkAfterCondition reports a helpful error when a condition is followed
// by something other than a logical operator or a closing bracket.
func (p *parser) checkAfterCondition() error {
	if p.eof() || p.hasPrefix("||") {
		return nil
	}
	switch c := p.src[p.pos]; c {
	case ')', '}':
		return nil
	case '&':
		return p.errAt(p.pos, "unexpected '&' (did you mean '&&'?)")
	case '|':
		return p.errAt(p.pos, "unexpected '|' (did you mean '||'?)")
	case '$', '(':
		return p.errAt(p.pos, "missing logical operator '&&' or '||' between conditions")
	}
	return p.errAt(p.pos, fmt.Sprintf("unexpected character %s after condition; expected '&&', '||', ')' or '}'", p.describeChar()))
}

func (p *parser) parsePrimary(ctx string) (node, error) {
	p.skipSpace()
	start := p.pos
	if p.eof() {
		return nil, p.errAt(p.pos, "missing condition "+ctx)
	}
	c := p.src[p.pos]
	switch {
	case c == '(':
		if p.depth >= maxDepth {
			return nil, p.errAt(p.pos, fmt.Sprintf("parentheses nested too deeply (limit %d)", maxDepth))
		}
		p.depth++
		p.pos++
		n, err := p.parseOr("after '('")
		p.depth--
		if err != nil {
			return nil, err
		}
		// parseOr stops at ')', '}' or the end of input.
		if p.eof() || p.src[p.pos] != ')' {
			return nil, p.errAt(p.pos, fmt.Sprintf("unbalanced parentheses: missing ')' for '(' at offset %d", start))
		}
		p.pos++
		return n, nil
	case c == '$':
		return p.parseCondition()
	case c == ')' || c == '}' || p.hasPrefix("&&") || p.hasPrefix("||"):
		return nil, p.errAt(p.pos, "missing condition "+ctx)
	case c == '"':
		return nil, p.errAt(p.pos, `selector must start with "$."; a condition cannot start with a string`)
	case isBareRune(p.peekRune()):
		// Most likely a selector written without "$.", e.g. eventName = x.
		word := p.src[p.pos:p.scanFrom(p.pos, isBareRune)]
		return nil, p.errAt(p.pos, fmt.Sprintf("selector must start with \"$.\", found %q", clip(word)))
	}
	return nil, p.errAt(p.pos, fmt.Sprintf("unexpected character %s; expected a condition such as $.field = \"value\"", p.describeChar()))
}

// parseCondition parses a selector followed by an operator and value or by
// one of the IS / NOT EXISTS keywords.
func (p *parser) parseCondition() (node, error) {
	selStart := p.pos
	sel, err := p.parseSelector()
	if err != nil {
		return nil, err
	}
	selText := clip(p.src[selStart:p.pos])
	p.skipSpace()
	if p.eof() {
		return nil, p.errAt(p.pos, fmt.Sprintf("missing operator after selector %s", selText))
	}
	opStart := p.pos
	var op string
	switch c := p.src[p.pos]; c {
	case '=':
		if p.hasPrefix("==") {
			return nil, p.errAt(opStart, "'==' is not an operator; use '='")
		}
		op = "="
	case '!':
		if !p.hasPrefix("!=") {
			return nil, p.errAt(opStart, "unexpected '!' after selector (did you mean '!='?)")
		}
		op = "!="
	case '<', '>':
		op = string(c)
		if strings.HasPrefix(p.src[p.pos+1:], "=") {
			op += "="
		}
	case '}', ')', '&', '|':
		return nil, p.errAt(p.pos, fmt.Sprintf("missing operator after selector %s", selText))
	default:
		if unicode.IsLetter(p.peekRune()) {
			return p.parseKeywordPredicate(sel)
		}
		return nil, p.errAt(p.pos, fmt.Sprintf(
			"unexpected character %s after selector %s; expected an operator (=, !=, <, >, <=, >=), IS or NOT EXISTS",
			p.describeChar(), selText))
	}
	p.pos += len(op)
	return p.parseComparison(sel, op)
}

// numOps maps operator text to numeric operators.
var numOps = map[string]numOp{"=": numEq, "!=": numNe, "<": numLt, ">": numGt, "<=": numLe, ">=": numGe}

// parseComparison parses the value after op and builds the comparison node.
// A bare word that looks like a number makes a numeric comparison; anything
// else (including a quoted number) makes a string comparison.
func (p *parser) parseComparison(sel selector, op string) (node, error) {
	p.skipSpace()
	valStart := p.pos
	relational := op != "=" && op != "!="
	if p.eof() || p.src[p.pos] == ')' || p.src[p.pos] == '}' || p.hasPrefix("&&") || p.hasPrefix("||") {
		return nil, p.errAt(p.pos, fmt.Sprintf("missing value after '%s'", op))
	}
	switch {
	case p.src[p.pos] == '"':
		s, err := p.parseQuoted()
		if err != nil {
			return nil, err
		}
		if relational {
			return nil, p.errAt(valStart, fmt.Sprintf("operator %s requires a number, found string %q", op, clip(s)))
		}
		return &stringNode{sel: sel, negate: op == "!=", m: newWildcard(s)}, nil
	case isBareRune(p.peekRune()):
		p.pos = p.scanFrom(p.pos, isBareRune)
		word := p.src[valStart:p.pos]
		if isNumber(word) {
			return &numberNode{sel: sel, op: numOps[op], lit: parseDecimal(word)}, nil
		}
		if relational {
			return nil, p.errAt(valStart, fmt.Sprintf("operator %s requires a number, found %q", op, clip(word)))
		}
		return &stringNode{sel: sel, negate: op == "!=", m: newWildcard(word)}, nil
	}
	return nil, p.errAt(p.pos, fmt.Sprintf("unexpected character %s; expected a value after '%s'", p.describeChar(), op))
}

// parseKeywordPredicate parses IS NULL, IS TRUE, IS FALSE and NOT EXISTS.
// Keywords are case-sensitive, as in CloudWatch; a lowercase spelling gets
// a hint rather than a generic error.
func (p *parser) parseKeywordPredicate(sel selector) (node, error) {
	kwStart := p.pos
	kw := p.scanWord()
	var (
		want  []string
		kinds []predicateKind
	)
	switch kw {
	case "IS":
		want, kinds = []string{"NULL", "TRUE", "FALSE"}, []predicateKind{isNull, isTrue, isFalse}
	case "NOT":
		want, kinds = []string{"EXISTS"}, []predicateKind{notExists}
	default:
		for _, k := range []string{"IS", "NOT"} {
			if strings.EqualFold(kw, k) {
				return nil, p.errAt(kwStart, fmt.Sprintf("unknown keyword %q: keywords are case-sensitive, use %q", kw, k))
			}
		}
		return nil, p.errAt(kwStart, fmt.Sprintf("unknown keyword %q after selector; expected an operator (=, !=, <, >, <=, >=), IS or NOT EXISTS", clip(kw)))
	}
	p.skipSpace()
	argStart := p.pos
	arg := p.scanWord()
	for i, w := range want {
		if arg == w {
			return &predicateNode{sel: sel, kind: kinds[i]}, nil
		}
	}
	expected := strings.Join(want, ", ")
	if len(want) == 3 {
		expected = "NULL, TRUE or FALSE"
	}
	if arg == "" {
		return nil, p.errAt(argStart, fmt.Sprintf("expected %s after %s", expected, kw))
	}
	for _, w := range want {
		if strings.EqualFold(arg, w) {
			return nil, p.errAt(argStart, fmt.Sprintf("unknown keyword %q: keywords are case-sensitive, use %q", arg, w))
		}
	}
	return nil, p.errAt(argStart, fmt.Sprintf("unknown keyword %q after %s; expected %s", clip(arg), kw, expected))
}

// parseSelector parses $.name{.name|[index]}.
func (p *parser) parseSelector() (selector, error) {
	if !p.hasPrefix("$.") {
		return nil, p.errAt(p.pos, `selector must start with "$."`)
	}
	p.pos++ // '$'; the loop consumes the '.'
	var sel selector
	for !p.eof() {
		switch p.src[p.pos] {
		case '.':
			p.pos++
			nameStart := p.pos
			p.pos = p.scanFrom(p.pos, isNameRune)
			if p.pos == nameStart {
				return nil, p.errAt(nameStart, "expected property name after '.' in selector")
			}
			sel = append(sel, step{key: p.src[nameStart:p.pos]})
		case '[':
			open := p.pos
			p.pos++
			digStart := p.pos
			for !p.eof() && isDigit(p.src[p.pos]) {
				p.pos++
			}
			if p.pos == digStart {
				return nil, p.errAt(p.pos, "expected array index (a non-negative integer) after '['")
			}
			idx, err := strconv.Atoi(p.src[digStart:p.pos])
			if err != nil {
				return nil, p.errAt(digStart, "array index too large")
			}
			if p.eof() || p.src[p.pos] != ']' {
				return nil, p.errAt(p.pos, fmt.Sprintf("missing ']' for '[' at offset %d", open))
			}
			p.pos++
			sel = append(sel, step{index: idx, isIndex: true})
		default:
			return sel, nil
		}
	}
	return sel, nil
}

// parseQuoted parses a double-quoted string starting at p.pos. Only \" and
// \\ are escapes; any other backslash sequence is rejected so that typos
// do not silently change the value.
func (p *parser) parseQuoted() (string, error) {
	open := p.pos
	p.pos++
	var b strings.Builder
	for !p.eof() {
		switch c := p.src[p.pos]; c {
		case '"':
			p.pos++
			return b.String(), nil
		case '\\':
			if p.pos+1 >= len(p.src) {
				return "", p.errAt(open, "unterminated string")
			}
			switch next := p.src[p.pos+1]; next {
			case '"', '\\':
				b.WriteByte(next)
				p.pos += 2
			default:
				_, size := utf8.DecodeRuneInString(p.src[p.pos+1:])
				return "", p.errAt(p.pos, fmt.Sprintf(`invalid escape sequence %q in string (only \" and \\ are supported)`, p.src[p.pos:p.pos+1+size]))
			}
		default:
			b.WriteByte(c)
			p.pos++
		}
	}
	return "", p.errAt(open, "unterminated string")
}

// isNumber reports whether s is a numeric literal:
// [+-]? (digits [. digits*] | . digits) [(e|E) [+-]? digits].
func isNumber(s string) bool {
	i := 0
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	intStart := i
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	digits := i - intStart
	if i < len(s) && s[i] == '.' {
		i++
		fracStart := i
		for i < len(s) && isDigit(s[i]) {
			i++
		}
		digits += i - fracStart
	}
	if digits == 0 {
		return false
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		expStart := i
		for i < len(s) && isDigit(s[i]) {
			i++
		}
		if i == expStart {
			return false
		}
	}
	return i == len(s)
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// isNameRune reports whether r may appear in a selector property name.
func isNameRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_' || r == '-' || r == '@'
}

// isBareRune reports whether r may appear in an unquoted value. It covers
// the characters found in ARNs, host names, IP prefixes and numbers.
func isBareRune(r rune) bool {
	if unicode.IsLetter(r) || unicode.IsDigit(r) {
		return true
	}
	switch r {
	case '_', '-', '.', ':', '/', '*', '@', '+':
		return true
	}
	return false
}

// isWordRune reports whether r may appear in a keyword.
func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_'
}

func (p *parser) eof() bool { return p.pos >= len(p.src) }

func (p *parser) hasPrefix(s string) bool { return strings.HasPrefix(p.src[p.pos:], s) }

// consume skips s if the input continues with it.
func (p *parser) consume(s string) bool {
	if p.hasPrefix(s) {
		p.pos += len(s)
		return true
	}
	return false
}

func (p *parser) skipSpace() {
	for !p.eof() {
		switch p.src[p.pos] {
		case ' ', '\t', '\n', '\r':
			p.pos++
		default:
			return
		}
	}
}

// peekRune returns the rune at p.pos, or utf8.RuneError at the end or on
// invalid UTF-8 (which no character class accepts).
func (p *parser) peekRune() rune {
	r, _ := utf8.DecodeRuneInString(p.src[p.pos:])
	return r
}

// scanFrom returns the offset just past the run of runes starting at i that
// satisfy ok.
func (p *parser) scanFrom(i int, ok func(rune) bool) int {
	for i < len(p.src) {
		r, size := utf8.DecodeRuneInString(p.src[i:])
		if r == utf8.RuneError || !ok(r) {
			break
		}
		i += size
	}
	return i
}

// scanWord consumes and returns a keyword-like word.
func (p *parser) scanWord() string {
	start := p.pos
	p.pos = p.scanFrom(p.pos, isWordRune)
	return p.src[start:p.pos]
}

// describeChar renders the character at p.pos for error messages.
func (p *parser) describeChar() string {
	if p.eof() {
		return "end of pattern"
	}
	r, size := utf8.DecodeRuneInString(p.src[p.pos:])
	if r == utf8.RuneError && size <= 1 {
		return fmt.Sprintf("invalid UTF-8 byte 0x%02x", p.src[p.pos])
	}
	return fmt.Sprintf("%q", r)
}

// maxQuoteRunes bounds how much of a user-supplied word an error message
// repeats.
const maxQuoteRunes = 32

// clip shortens s for inclusion in an error message.
func clip(s string) string {
	n := 0
	for i := range s {
		if n == maxQuoteRunes {
			return s[:i] + "..."
		}
		n++
	}
	return s
}

func (p *parser) errAt(off int, msg string) error {
	return newSyntaxError(p.src, off, msg)
}

// Package filterpattern parses and evaluates Amazon CloudWatch Logs JSON
// filter patterns, the `{ $.field = "value" && ... }` syntax used by metric
// filters and subscription filters on JSON log events such as CloudTrail.
//
// Supported syntax (see the CloudWatch Logs "Filter pattern syntax" guide):
//
//   - The pattern is wrapped in braces: { expression }.
//   - Selectors start with "$." and may chain properties and array indexes:
//     $.userIdentity.type, $.resources[0].ARN, $.matrix[0][1].
//   - String comparisons with = and != against a double-quoted string
//     (escapes \" and \\) or a bare word. A leading and/or trailing * is a
//     wildcard; a * anywhere else is a literal character.
//   - Numeric comparisons with =, !=, <, >, <= and >= against a number such
//     as -1, +2.5, 1e3 or 1.5E-2.
//   - IS NULL, IS TRUE, IS FALSE and NOT EXISTS.
//   - && and ||, where && binds tighter than ||, and parentheses.
//
// Evaluation rules that the AWS documentation leaves open are documented on
// [Pattern.Match].
package filterpattern

import (
	"errors"
	"fmt"
	"unicode/utf8"
)

// Pattern is a parsed CloudWatch Logs JSON filter pattern. A Pattern is
// immutable and safe for concurrent use by multiple goroutines.
type Pattern struct {
	text string
	root node
}

// Parse parses a JSON filter pattern such as
// `{ ($.eventName = "ConsoleLogin") && ($.errorMessage = "Failed authentication") }`.
// Any error it returns is a *SyntaxError.
func Parse(pattern string) (*Pattern, error) {
	root, err := parse(pattern)
	if err != nil {
		return nil, err
	}
	return &Pattern{text: pattern, root: root}, nil
}

// String returns the original pattern text.
func (p *Pattern) String() string {
	if p == nil {
		return ""
	}
	return p.text
}

// Match reports whether one log event (a JSON document) matches. An event
// that is not valid JSON, or that holds more than one JSON value, is an
// error.
//
// Comparison semantics:
//
//   - = and != with a string (quoted or bare word) compare against the
//     textual form of a present scalar: a JSON string's value, a JSON
//     number's literal text as written in the event (so "404" matches 404
//     but "404.0" does not), or "true"/"false" for booleans. The two
//     operators are exact complements on such values.
//   - Neither = nor != matches when the selected value is missing, null, an
//     object or an array. In particular a missing field does NOT match !=:
//     CloudWatch only evaluates != against a value that is present, so use
//     NOT EXISTS to select events that lack a field.
//   - Numeric comparisons (=, !=, <, >, <=, >= with a numeric right-hand
//     side) match only JSON numbers; a string such as "5" never matches a
//     numeric comparison. Numbers are compared exactly as decimals, so
//     precision and range are not limited by float64 (42 = 42.0 = 4.2e1,
//     and 9007199254740993 > 9007199254740992).
//   - IS NULL matches only a present JSON null, IS TRUE and IS FALSE only
//     the corresponding JSON booleans, and NOT EXISTS only a path that does
//     not resolve (including one that passes through a non-object or an
//     out-of-range array index).
func (p *Pattern) Match(event []byte) (bool, error) {
	if p == nil || p.root == nil {
		return false, errors.New("filterpattern: Match called on a nil or unparsed Pattern")
	}
	doc, err := decodeEvent(event)
	if err != nil {
		return false, err
	}
	return p.root.eval(doc), nil
}

// decodeEvent decodes exactly one JSON value as encoding/json's Decoder
// with UseNumber would, keeping numbers as json.Number so that numeric
// comparisons keep full precision and string comparisons can use the
// number's original text. See decode.go.
func decodeEvent(event []byte) (any, error) {
	return decodeJSON(event)
}

// SyntaxError reports where and why a pattern is invalid.
type SyntaxError struct {
	// Offset is the 0-based byte offset into the pattern where the problem
	// was detected.
	Offset int
	// Msg describes the problem.
	Msg string

	// excerpt is a short piece of the pattern starting at Offset; it is
	// filled in by Parse so that Error can show context.
	excerpt string
	atEnd   bool
}

// Error implements the error interface.
func (e *SyntaxError) Error() string {
	s := fmt.Sprintf("filter pattern: at offset %d: %s", e.Offset, e.Msg)
	switch {
	case e.atEnd:
		return s + " (near end of pattern)"
	case e.excerpt != "":
		return s + fmt.Sprintf(" (near %q)", e.excerpt)
	}
	return s
}

// maxExcerptRunes bounds the context shown by SyntaxError.Error.
const maxExcerptRunes = 12

// newSyntaxError builds a SyntaxError with an excerpt of src at off.
func newSyntaxError(src string, off int, msg string) *SyntaxError {
	off = max(0, min(off, len(src)))
	e := &SyntaxError{Offset: off, Msg: msg}
	rest := src[off:]
	if rest == "" {
		e.atEnd = true
		return e
	}
	end := 0
	for n := 0; n < maxExcerptRunes && end < len(rest); n++ {
		_, size := utf8.DecodeRuneInString(rest[end:])
		end += size
	}
	e.excerpt = rest[:end]
	return e
}

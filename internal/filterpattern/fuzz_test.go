package filterpattern_test

import (
	"encoding/json"
	"errors"
	"math/big"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/example/landing-zone-audit/internal/filterpattern"
)

// maxFuzzPattern bounds fuzzed pattern length; see FuzzParse.
const maxFuzzPattern = 512

// FuzzParse checks that Parse never panics, that every error is a
// *SyntaxError with an offset inside the pattern, and that every pattern
// that parses can be matched against an event without error.
func FuzzParse(f *testing.F) {
	seeds := []string{
		``,
		`{}`,
		`{ $.a = 1 }`,
		`{ $.str = "hello*" || $.num >= -1.5e3 }`,
		`{ ($.a = 1 && $.b = 2) || $.c = 3 }`,
		`{ $.arr[2].name != "two" && $.matrix[1][0] < 4 }`,
		`{ $.nul IS NULL && $.t IS TRUE && $.f IS FALSE && $.missing NOT EXISTS }`,
		`{ $.quote = "say \"hi\"" && $.backslash = "C:\\temp" }`,
		`{ $.arn = "arn:aws:sts::*:assumed-role/x/*" }`,
		`{$.userIdentity.type="Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType !="AwsServiceEvent"}`,
		`{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") && ($.userIdentity.type = "IAMUser") && ($.responseElements.ConsoleLogin = "Success") }`,
		`{($.errorCode="*UnauthorizedOperation") || ($.errorCode="AccessDenied*")}`,
		`{($.eventSource=kms.amazonaws.com) && (($.eventName=DisableKey)||($.eventName=ScheduleKeyDeletion))}`,
		`{ $.a[99999999999999999999] = 1 }`,
		`{ $.big > 1e99999999999999999999 }`,
		`{ $.tiny = 0e-99999 }`,
		`{ $.a is null }`,
		`{ ((($.a = 1 }`,
		"{ $.\xff = 1 }",
	}
	for _, s := range seeds {
		f.Add(s)
	}
	event := []byte(genericEvent)
	f.Fuzz(func(t *testing.T, pattern string) {
		// CloudWatch caps filter patterns at 1024 characters. Longer inputs
		// exercise no new paths (the parser is linear) but make the fuzzer's
		// quadratic input minimisation stall for tens of seconds.
		if len(pattern) > maxFuzzPattern {
			return
		}
		p, err := filterpattern.Parse(pattern)
		if err != nil {
			var se *filterpattern.SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("Parse(%q) returned %T, want *SyntaxError", pattern, err)
			}
			if se.Offset < 0 || se.Offset > len(pattern) {
				t.Fatalf("Parse(%q): offset %d outside [0, %d]", pattern, se.Offset, len(pattern))
			}
			if se.Msg == "" || !utf8.ValidString(se.Msg) && utf8.ValidString(pattern) {
				t.Fatalf("Parse(%q): bad message %q", pattern, se.Msg)
			}
			_ = err.Error()
			return
		}
		if p.String() != pattern {
			t.Fatalf("String() = %q, want %q", p.String(), pattern)
		}
		if _, err := p.Match(event); err != nil {
			t.Fatalf("Match(%q): %v", pattern, err)
		}
	})
}

// FuzzCompareNumbers checks numeric comparisons against math/big.Rat for
// JSON numbers with modest exponents (big.Rat materialises 10^exp).
func FuzzCompareNumbers(f *testing.F) {
	for _, s := range [][2]string{
		{"42", "42.0"}, {"-1.5", "-1.50"}, {"9007199254740993", "9007199254740992"},
		{"1e-400", "0"}, {"-0", "0"}, {"0.1", "1e-1"}, {"123.456e2", "12345.6"},
	} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, event, literal string) {
		ev, ok1 := smallRat(event)
		lit, ok2 := smallRat(literal)
		if !ok1 || !ok2 {
			return
		}
		want := ev.Cmp(lit)
		doc := []byte(`{"x": ` + event + `}`)
		for _, tc := range []struct {
			op   string
			want bool
		}{
			{"=", want == 0}, {"!=", want != 0}, {"<", want < 0}, {">", want > 0}, {"<=", want <= 0}, {">=", want >= 0},
		} {
			p, err := filterpattern.Parse(`{ $.x ` + tc.op + ` ` + literal + ` }`)
			if err != nil {
				t.Fatalf("Parse with literal %q: %v", literal, err)
			}
			got, err := p.Match(doc)
			if err != nil {
				t.Fatalf("Match(%s): %v", doc, err)
			}
			if got != tc.want {
				t.Fatalf("%s %s %s: got %v, want %v", event, tc.op, literal, got, tc.want)
			}
		}
	})
}

// smallRat parses s if it is a JSON number short enough, and with a small
// enough exponent, for big.Rat to handle quickly.
func smallRat(s string) (*big.Rat, bool) {
	if len(s) == 0 || len(s) > 40 || !json.Valid([]byte(s)) || s[0] == '"' || s[0] == '{' || s[0] == '[' {
		return nil, false
	}
	if i := strings.IndexAny(s, "eE"); i >= 0 {
		e, err := strconv.Atoi(s[i+1:])
		if err != nil || e > 500 || e < -500 {
			return nil, false
		}
	}
	r, ok := new(big.Rat).SetString(s)
	return r, ok
}

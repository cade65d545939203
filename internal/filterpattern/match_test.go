package filterpattern_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/example/landing-zone-audit/internal/filterpattern"
)

// genericEvent exercises every JSON type the evaluator distinguishes.
const genericEvent = `{
  "str": "hello world",
  "empty": "",
  "num": 42,
  "neg": -1.5,
  "big": 9007199254740993,
  "exp": 1e3,
  "tiny": 1e-400,
  "zero": 0,
  "negzero": -0.0,
  "hugeexp": 1e99999999999999999999,
  "code": 404,
  "t": true,
  "f": false,
  "nul": null,
  "obj": {"a": {"b": "deep"}, "n": 7},
  "arr": ["zero", "one", {"name": "two"}],
  "matrix": [[1, 2], [3, 4]],
  "star": "a*b",
  "arn": "arn:aws:sts::*:assumed-role/x/s",
  "arn2": "arn:aws:sts::111122223333:assumed-role/x/s",
  "quote": "say \"hi\"",
  "backslash": "C:\\temp",
  "hyphen-key": "h",
  "under_key": "u",
  "numstr": "5",
  "ip": "123.123.4.5",
  "unicode": "héllo"
}`

// match parses pattern and matches it against event, failing the test on
// any error.
func match(t *testing.T, pattern, event string) bool {
	t.Helper()
	p, err := filterpattern.Parse(pattern)
	require.NoError(t, err, "pattern %s", pattern)
	got, err := p.Match([]byte(event))
	require.NoError(t, err)
	return got
}

type matchCase struct {
	pattern string
	want    bool
}

// runMatchCases runs each case as a parallel subtest against event.
func runMatchCases(t *testing.T, event string, cases []matchCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.pattern, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tc.want, match(t, tc.pattern, event))
		})
	}
}

func TestStringEquality(t *testing.T) {
	t.Parallel()
	runMatchCases(t, genericEvent, []matchCase{
		{`{ $.str = "hello world" }`, true},
		{`{$.str="hello world"}`, true},
		{`  { $.str = "hello world" }  `, true},
		{`{ $.str = "hello" }`, false},
		{`{ $.str = "Hello world" }`, false}, // case-sensitive
		{`{ $.empty = "" }`, true},
		{`{ $.str = "" }`, false},
		{`{ $.under_key = u }`, true}, // bare word
		{`{ $.hyphen-key = h }`, true},
		{`{ $.unicode = "héllo" }`, true},
		{`{ $.unicode = héllo }`, true},
		{`{ $.quote = "say \"hi\"" }`, true},
		{`{ $.backslash = "C:\\temp" }`, true},
		{`{ $.missing = "x" }`, false},
		{`{ $.nul = "null" }`, false}, // null only matches IS NULL
		{`{ $.t = "true" }`, true},    // booleans compare by their JSON text
		{`{ $.t = true }`, true},
		{`{ $.f = "true" }`, false},
	})
}

func TestStringInequality(t *testing.T) {
	t.Parallel()
	runMatchCases(t, genericEvent, []matchCase{
		{`{ $.str != "bye" }`, true},
		{`{ $.str != "hello world" }`, false},
		{`{ $.str != bye }`, true},
		{`{ $.empty != "" }`, false},
		{`{ $.str!="x" }`, true},
		// A missing field does not match != (CloudWatch only evaluates !=
		// against a present value).
		{`{ $.missing != "x" }`, false},
		{`{ $.obj.nope != "x" }`, false},
		// null, objects and arrays are not comparable values.
		{`{ $.nul != "x" }`, false},
		{`{ $.obj != "x" }`, false},
		{`{ $.arr != "x" }`, false},
		{`{ $.code != "404" }`, false},
		{`{ $.code != "500" }`, true},
		{`{ $.t != "false" }`, true},
		{`{ $.t != "true" }`, false},
	})
}

func TestWildcards(t *testing.T) {
	t.Parallel()
	runMatchCases(t, genericEvent, []matchCase{
		{`{ $.str = "hello*" }`, true},
		{`{ $.str = "world*" }`, false},
		{`{ $.str = "*world" }`, true},
		{`{ $.str = "*hello" }`, false},
		{`{ $.str = "*lo wo*" }`, true},
		{`{ $.str = "*xyz*" }`, false},
		{`{ $.str = "*" }`, true},
		{`{ $.empty = "*" }`, true},
		{`{ $.str = "**" }`, true},
		{`{ $.str = hello* }`, true},
		{`{ $.str = *world }`, true},
		{`{ $.ip = 123.123.* }`, true},
		{`{ $.ip != 123.123.* }`, false},
		{`{ $.ip != 10.* }`, true},
		{`{ $.str != "*o w*" }`, false},
		{`{ $.code = "4*" }`, true},
		{`{ $.code = 4* }`, true},
		// A * in the middle is a literal character.
		{`{ $.str = "h*d" }`, false},
		{`{ $.star = "a*b" }`, true},
		{`{ $.star = a*b }`, true},
		{`{ $.star = "*a*b*" }`, true},
		{`{ $.arn2 = "arn:aws:sts::*:assumed-role/x/*" }`, false},
		{`{ $.arn = "arn:aws:sts::*:assumed-role/x/*" }`, true},
		{`{ $.arn = arn:aws:sts::*:assumed-role/x/* }`, true},
		// Wildcards never match non-scalar or missing values.
		{`{ $.obj = "*" }`, false},
		{`{ $.arr = "*" }`, false},
		{`{ $.nul = "*" }`, false},
		{`{ $.missing = "*" }`, false},
	})
}

func TestNumbersVersusStrings(t *testing.T) {
	t.Parallel()
	runMatchCases(t, genericEvent, []matchCase{
		// A string literal compares against a number's JSON text.
		{`{ $.code = "404" }`, true},
		{`{ $.code = "404.0" }`, false},
		{`{ $.exp = "1e3" }`, true},
		{`{ $.exp = "1000" }`, false},
		// A numeric literal only matches JSON numbers.
		{`{ $.numstr = "5" }`, true},
		{`{ $.numstr = 5 }`, false},
		{`{ $.numstr != 5 }`, false},
		{`{ $.numstr > 4 }`, false},
		{`{ $.t = 1 }`, false},
	})
}

func TestNumericComparison(t *testing.T) {
	t.Parallel()
	runMatchCases(t, genericEvent, []matchCase{
		{`{ $.num = 42 }`, true},
		{`{ $.num = 42.0 }`, true},
		{`{ $.num = 4.2e1 }`, true},
		{`{ $.num = 4200E-2 }`, true},
		{`{ $.num = +42 }`, true},
		{`{ $.num = 43 }`, false},
		{`{ $.num != 42 }`, false},
		{`{ $.num != 41 }`, true},
		{`{ $.num < 43 }`, true},
		{`{ $.num < 42 }`, false},
		{`{ $.num <= 42 }`, true},
		{`{ $.num <= 41.999 }`, false},
		{`{ $.num > 41 }`, true},
		{`{ $.num > 42 }`, false},
		{`{ $.num >= 42 }`, true},
		{`{ $.num >= 42.001 }`, false},
		{`{ $.num>=42 }`, true},
		{`{ $.num > +41.5 }`, true},
		{`{ $.num < 1.5E-2 }`, false},
		{`{ $.neg = -1.5 }`, true},
		{`{ $.neg < -1 }`, true},
		{`{ $.neg > -2 }`, true},
		{`{ $.neg >= -1.5 }`, true},
		{`{ $.neg > -1.5 }`, false},
		{`{ $.exp = 1000 }`, true},
		{`{ $.exp = 1e3 }`, true},
		{`{ $.exp > 999.999 }`, true},
		{`{ $.obj.n = 7 }`, true},
		// Precision beyond float64: 2^53+1 versus 2^53.
		{`{ $.big > 9007199254740992 }`, true},
		{`{ $.big = 9007199254740992 }`, false},
		{`{ $.big = 9007199254740993 }`, true},
		// Underflow to zero in float64 still orders correctly.
		{`{ $.tiny > 0 }`, true},
		{`{ $.tiny < 2e-400 }`, true},
		{`{ $.tiny = 1e-400 }`, true},
		{`{ $.num < 1e999 }`, true},
		// Comparisons are exact decimal comparisons, whatever the exponent.
		{`{ $.tiny > -1e-4000000000 }`, true},
		{`{ $.tiny > 1e-4000000000 }`, true},
		{`{ $.tiny < 1e-4000000000 }`, false},
		{`{ $.num < 1e99999999999999999999 }`, true},
		{`{ $.num > -1e99999999999999999999 }`, true},
		{`{ $.hugeexp > 1e99999999999999999998 }`, true},
		{`{ $.hugeexp = 10e99999999999999999998 }`, true},
		{`{ $.hugeexp < 1.0000000000000000000001e99999999999999999999 }`, true},
		{`{ $.neg = -1.50 }`, true},
		{`{ $.neg < -1.4999999999999999999999999 }`, true},
		{`{ $.neg > -1.5000000000000000000000001 }`, true},
		{`{ $.num = 0.042e3 }`, true},
		{`{ $.num = 42000e-3 }`, true},
		{`{ $.num = 00042.000 }`, true},
		{`{ $.num = .42e2 }`, true},
		{`{ $.num = 42. }`, true},
		{`{ $.zero = -0 }`, true},
		{`{ $.negzero = 0 }`, true},
		{`{ $.zero < 1e-999 }`, true},
		{`{ $.zero > -1e-999 }`, true},
		{`{ $.negzero >= 0 }`, true},
		// Numeric comparisons need a present JSON number.
		{`{ $.missing < 1 }`, false},
		{`{ $.missing != 1 }`, false},
		{`{ $.str > 1 }`, false},
		{`{ $.str != 1 }`, false},
		{`{ $.obj > 1 }`, false},
		{`{ $.arr != 1 }`, false},
		{`{ $.nul = 0 }`, false},
	})
}

func TestKeywordPredicates(t *testing.T) {
	t.Parallel()
	runMatchCases(t, genericEvent, []matchCase{
		{`{ $.nul IS NULL }`, true},
		{`{ $.str IS NULL }`, false},
		{`{ $.missing IS NULL }`, false},
		{`{ $.obj IS NULL }`, false},
		{`{ $.t IS TRUE }`, true},
		{`{ $.f IS TRUE }`, false},
		{`{ $.str IS TRUE }`, false},
		{`{ $.missing IS TRUE }`, false},
		{`{ $.f IS FALSE }`, true},
		{`{ $.t IS FALSE }`, false},
		{`{ $.nul IS FALSE }`, false},
		{`{ $.missing NOT EXISTS }`, true},
		{`{ $.nul NOT EXISTS }`, false},
		{`{ $.str NOT EXISTS }`, false},
		{`{ $.obj NOT EXISTS }`, false},
		{`{ $.obj.a.b NOT EXISTS }`, false},
		{`{ $.obj.a.c NOT EXISTS }`, true},
		{`{ $.str.x NOT EXISTS }`, true},
		{`{ $.arr[9] NOT EXISTS }`, true},
		{`{ $.arr[2] NOT EXISTS }`, false},
		// Whitespace between and around keywords is free-form.
		{"{ $.nul   IS \t NULL }", true},
		{"{$.missing NOT\n\tEXISTS}", true},
		{`{$.t IS TRUE}`, true},
	})
}

func TestSelectors(t *testing.T) {
	t.Parallel()
	runMatchCases(t, genericEvent, []matchCase{
		{`{ $.obj.a.b = deep }`, true},
		{`{ $.obj.a.b = "deep" }`, true},
		{`{ $.obj.a.b.c = deep }`, false},
		{`{ $.arr[0] = zero }`, true},
		{`{ $.arr[1] = zero }`, false},
		{`{ $.arr[1] = one }`, true},
		{`{ $.arr[2].name = two }`, true},
		{`{ $.arr[3] = "*" }`, false},
		{`{ $.matrix[0][1] = 2 }`, true},
		{`{ $.matrix[1][0] = 3 }`, true},
		{`{ $.matrix[1][0] = "3" }`, true},
		{`{ $.matrix[1][2] = 3 }`, false},
		// Indexing a non-array or naming a property of an array fails.
		{`{ $.obj[0] = "*" }`, false},
		{`{ $.arr.name = "*" }`, false},
		{`{ $.str[0] = "h" }`, false},
		// Object- and array-valued selectors match neither = nor !=.
		{`{ $.obj.a = "*" }`, false},
		{`{ $.obj.a != "x" }`, false},
		{`{ $.matrix[0] = "*" }`, false},
		{`{ $.matrix[0] != "x" }`, false},
		{`{ $.arr[2] = "*" }`, false},
		{`{ $.arr[2] != "x" }`, false},
		{`{ $.matrix[0] = 1 }`, false},
		{`{ $.matrix[0] != 1 }`, false},
	})
}

func TestLogicalOperators(t *testing.T) {
	t.Parallel()
	const event = `{"a": 1, "b": 2, "c": 3}`
	runMatchCases(t, event, []matchCase{
		{`{ $.a = 1 && $.b = 2 }`, true},
		{`{ $.a = 1 && $.b = 0 }`, false},
		{`{ $.a = 0 || $.b = 2 }`, true},
		{`{ $.a = 0 || $.b = 0 }`, false},
		{`{ $.a = 1 && $.b = 2 && $.c = 3 }`, true},
		{`{ $.a = 1 && $.b = 2 && $.c = 0 }`, false},
		{`{ $.a = 0 || $.b = 0 || $.c = 3 }`, true},
		{`{ (($.a = 1)) }`, true},
		{`{ ( $.a = 1 ) && ( $.b = 2 ) }`, true},
		{`{($.a=1)&&($.b=2)}`, true},
		// && binds tighter than ||: 1 || (0 && 0) is true, whereas
		// left-to-right evaluation ((1 || 0) && 0) would be false.
		{`{ $.a = 1 || $.b = 0 && $.c = 0 }`, true},
		{`{ $.a = 0 && $.b = 2 || $.c = 3 }`, true},
		{`{ $.a = 0 && $.b = 2 || $.c = 0 }`, false},
		// Parentheses override precedence.
		{`{ ($.a = 1 || $.b = 0) && $.c = 0 }`, false},
		{`{ $.a = 0 && ($.b = 2 || $.c = 3) }`, false},
		{`{ $.a = 1 && ($.b = 0 || $.c = 3) }`, true},
		{`{ (($.a = 0 || $.b = 2) && ($.c = 3)) || $.d NOT EXISTS }`, true},
	})
}

// TestPrecedenceEquivalence checks every truth assignment of three
// conditions against Go's own && / || precedence, and that the unbracketed
// form equals the explicitly bracketed one.
func TestPrecedenceEquivalence(t *testing.T) {
	t.Parallel()
	shapes := []struct {
		pattern   string
		bracketed string
		eval      func(a, b, c bool) bool
	}{
		{`{ $.a = 1 && $.b = 1 || $.c = 1 }`, `{ ($.a = 1 && $.b = 1) || $.c = 1 }`, func(a, b, c bool) bool { return a && b || c }},
		{`{ $.a = 1 || $.b = 1 && $.c = 1 }`, `{ $.a = 1 || ($.b = 1 && $.c = 1) }`, func(a, b, c bool) bool { return a || b && c }},
		{`{ ($.a = 1 || $.b = 1) && $.c = 1 }`, `{ (($.a = 1 || $.b = 1)) && ($.c = 1) }`, func(a, b, c bool) bool { return (a || b) && c }},
		{`{ $.a = 1 && ($.b = 1 || $.c = 1) }`, `{ ($.a = 1) && (($.b = 1) || ($.c = 1)) }`, func(a, b, c bool) bool { return a && (b || c) }},
	}
	for _, s := range shapes {
		for mask := range 8 {
			a, b, c := mask&1 != 0, mask&2 != 0, mask&4 != 0
			event := fmt.Sprintf(`{"a": %d, "b": %d, "c": %d}`, bit(a), bit(b), bit(c))
			t.Run(fmt.Sprintf("%s/%s", s.pattern, event), func(t *testing.T) {
				t.Parallel()
				want := s.eval(a, b, c)
				assert.Equal(t, want, match(t, s.pattern, event))
				assert.Equal(t, want, match(t, s.bracketed, event))
			})
		}
	}
}

func bit(b bool) int {
	if b {
		return 1
	}
	return 0
}

// TestEqualityComplement checks that = and != are exact complements on the
// values each kind of comparison applies to (present non-null scalars for
// string literals, JSON numbers for numeric literals) and that neither
// matches anything else.
func TestEqualityComplement(t *testing.T) {
	t.Parallel()
	fields := []struct {
		name   string
		scalar bool
		number bool
	}{
		{"str", true, false}, {"empty", true, false}, {"numstr", true, false},
		{"num", true, true}, {"code", true, true}, {"neg", true, true},
		{"t", true, false}, {"f", true, false},
		{"nul", false, false}, {"obj", false, false}, {"arr", false, false}, {"missing", false, false},
	}
	values := []struct {
		text    string
		numeric bool
	}{
		{`"hello world"`, false}, {`"*"`, false}, {`"404"`, false}, {`"true"`, false}, {`"x*"`, false}, {`""`, false},
		{`42`, true}, {`-1.5`, true}, {`404`, true},
	}
	for _, f := range fields {
		for _, v := range values {
			t.Run(f.name+" "+v.text, func(t *testing.T) {
				t.Parallel()
				eq := match(t, fmt.Sprintf(`{ $.%s = %s }`, f.name, v.text), genericEvent)
				ne := match(t, fmt.Sprintf(`{ $.%s != %s }`, f.name, v.text), genericEvent)
				comparable := f.scalar && !v.numeric || f.number && v.numeric
				if comparable {
					assert.NotEqual(t, eq, ne, "= and != must be complementary")
				} else {
					assert.False(t, eq, "=")
					assert.False(t, ne, "!=")
				}
			})
		}
	}
}

func TestMatchInvalidEvent(t *testing.T) {
	t.Parallel()
	p, err := filterpattern.Parse(`{ $.a = 1 }`)
	require.NoError(t, err)
	for _, event := range []string{
		``,
		`   `,
		`not json`,
		`{"a": 1`,
		`{"a": 1} {"a": 1}`,
		`{"a": 1} x`,
		`{"a": 01}`,
	} {
		t.Run(event, func(t *testing.T) {
			t.Parallel()
			got, err := p.Match([]byte(event))
			require.Error(t, err)
			assert.Contains(t, err.Error(), "invalid JSON event")
			assert.False(t, got)
		})
	}
}

func TestMatchNonObjectEvent(t *testing.T) {
	t.Parallel()
	for _, event := range []string{`[1, 2]`, `"a"`, `1`, `null`, "  {\"a\": 1}  \n"} {
		t.Run(event, func(t *testing.T) {
			t.Parallel()
			p, err := filterpattern.Parse(`{ $.a = 1 }`)
			require.NoError(t, err)
			got, err := p.Match([]byte(event))
			require.NoError(t, err)
			assert.Equal(t, event[0] == ' ', got)
		})
	}
}

func TestString(t *testing.T) {
	t.Parallel()
	const text = "  {($.a = 1)&&\n($.b = \"x\")}  "
	p, err := filterpattern.Parse(text)
	require.NoError(t, err)
	assert.Equal(t, text, p.String())
}

func TestNilPattern(t *testing.T) {
	t.Parallel()
	var p *filterpattern.Pattern
	assert.Empty(t, p.String())
	_, err := p.Match([]byte(`{}`))
	require.Error(t, err)
}

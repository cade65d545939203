package filterpattern_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/example/landing-zone-audit/internal/filterpattern"
)

func TestParseSyntaxErrors(t *testing.T) {
	t.Parallel()
	deep := "{ " + strings.Repeat("(", 200) + "$.a = 1" + strings.Repeat(")", 200) + " }"
	cases := []struct {
		name    string
		pattern string
		offset  int
		msg     string
	}{
		{"empty", ``, 0, "empty pattern"},
		{"blank", "  \t\n", 0, "empty pattern"},
		{"no braces", `$.a = 1`, 0, "must start with '{'"},
		{"brackets instead of braces", `[ $.a = 1 ]`, 0, "must start with '{'"},
		{"leading space then no brace", `  $.a = 1 }`, 2, "must start with '{'"},
		{"missing closing brace", `{ $.a = 1`, 9, "missing closing '}' for '{' at offset 0"},
		{"trailing garbage", `{ $.a = 1 } extra`, 12, "unexpected text after closing '}'"},
		{"double closing brace", `{ $.a = 1 }}`, 11, "unexpected text after closing '}'"},
		{"empty braces", `{ }`, 2, "missing condition after '{'"},
		{"empty braces tight", `{}`, 1, "missing condition after '{'"},
		{"selector without $.", `{ eventName = "x" }`, 2, `selector must start with "$.", found "eventName"`},
		{"long word is clipped", `{ eventNameeventNameeventNameeventNameeventName = 1 }`, 2, `found "eventNameeventNameeventNameevent..."`},
		{"selector without dot", `{ $eventName = "x" }`, 2, `selector must start with "$."`},
		{"string instead of selector", `{ "x" = 1 }`, 2, `selector must start with "$."`},
		{"empty property", `{ $. = 1 }`, 4, "expected property name after '.'"},
		{"trailing dot", `{ $.a. = 1 }`, 6, "expected property name after '.'"},
		{"double dot", `{ $.a..b = 1 }`, 6, "expected property name after '.'"},
		{"non-numeric index", `{ $.a[x] = 1 }`, 6, "expected array index"},
		{"negative index", `{ $.a[-1] = 1 }`, 6, "expected array index"},
		{"unclosed index", `{ $.a[1 = 1 }`, 7, "missing ']' for '[' at offset 5"},
		{"huge index", `{ $.a[99999999999999999999] = 1 }`, 6, "array index too large"},
		{"missing operator", `{ $.a }`, 6, "missing operator after selector $.a"},
		{"missing operator at end", `{ $.a`, 5, "missing operator after selector $.a"},
		{"missing operator before &&", `{ $.a && $.b = 1 }`, 6, "missing operator after selector $.a"},
		{"value without operator", `{ $.a "x" }`, 6, `unexpected character '"' after selector $.a`},
		{"double equals", `{ $.a == 1 }`, 6, "'==' is not an operator; use '='"},
		{"lone bang", `{ $.a ! 1 }`, 6, "did you mean '!='?"},
		{"missing value", `{ $.a = }`, 8, "missing value after '='"},
		{"missing value at end", `{ $.a =`, 7, "missing value after '='"},
		{"missing value before &&", `{ $.a = && $.b = 1 }`, 8, "missing value after '='"},
		{"missing value after !=", `{ $.a != }`, 9, "missing value after '!='"},
		{"missing value after >=", `{ $.a >= }`, 9, "missing value after '>='"},
		{"unexpected value character", `{ $.a = #x }`, 8, "unexpected character '#'; expected a value after '='"},
		{"comparing selectors", `{ $.a = $.b }`, 8, "unexpected character '$'; expected a value"},
		{"unterminated string", `{ $.a = "abc }`, 8, "unterminated string"},
		{"unterminated after escape", `{ $.a = "abc\" }`, 8, "unterminated string"},
		{"backslash at end", `{ $.a = "abc\`, 8, "unterminated string"},
		{"bad escape", `{ $.a = "a\nb" }`, 10, `invalid escape sequence "\\n"`},
		{"string with <", `{ $.a < "5" }`, 8, `operator < requires a number, found string "5"`},
		{"string with >", `{ $.a > "5" }`, 8, "operator > requires a number"},
		{"word with <=", `{ $.a <= abc }`, 9, `operator <= requires a number, found "abc"`},
		{"wildcard with >=", `{ $.a >= 1* }`, 9, "operator >= requires a number"},
		{"IS without argument", `{ $.a IS }`, 9, "expected NULL, TRUE or FALSE after IS"},
		{"IS unknown", `{ $.a IS MAYBE }`, 9, `unknown keyword "MAYBE" after IS`},
		{"IS NOT NULL", `{ $.a IS NOT NULL }`, 9, `unknown keyword "NOT" after IS`},
		{"lowercase is", `{ $.a is null }`, 6, `unknown keyword "is": keywords are case-sensitive, use "IS"`},
		{"lowercase null", `{ $.a IS null }`, 9, `unknown keyword "null": keywords are case-sensitive, use "NULL"`},
		{"glued ISNULL", `{ $.a ISNULL }`, 6, `unknown keyword "ISNULL"`},
		{"NOT without EXISTS", `{ $.a NOT }`, 10, "expected EXISTS after NOT"},
		{"NOT EXIST", `{ $.a NOT EXIST }`, 10, `unknown keyword "EXIST" after NOT`},
		{"lowercase exists", `{ $.a NOT exists }`, 10, `use "EXISTS"`},
		{"bare EXISTS", `{ $.a EXISTS }`, 6, `unknown keyword "EXISTS" after selector`},
		{"missing logical operator", `{ $.a = 1 $.b = 2 }`, 10, "missing logical operator '&&' or '||' between conditions"},
		{"missing logical operator before (", `{ $.a = 1 ($.b = 2) }`, 10, "missing logical operator"},
		{"single &", `{ $.a = 1 & $.b = 2 }`, 10, "unexpected '&' (did you mean '&&'?)"},
		{"single |", `{ $.a = 1 | $.b = 2 }`, 10, "unexpected '|' (did you mean '||'?)"},
		{"dangling &&", `{ $.a = 1 && }`, 13, "missing condition after '&&'"},
		{"dangling ||", `{ $.a = 1 || }`, 13, "missing condition after '||'"},
		{"dangling && at end", `{ $.a = 1 &&`, 12, "missing condition after '&&'"},
		{"leading &&", `{ && $.a = 1 }`, 2, "missing condition after '{'"},
		{"unclosed paren", `{ ($.a = 1 }`, 11, "unbalanced parentheses: missing ')' for '(' at offset 2"},
		{"unclosed outer paren", `{ (($.a = 1) }`, 13, "missing ')' for '(' at offset 2"},
		{"unclosed paren at end", `{ ($.a = 1`, 10, "missing ')' for '(' at offset 2"},
		{"extra closing paren", `{ $.a = 1) }`, 9, "unbalanced parentheses: unexpected ')'"},
		{"extra closing paren spaced", `{ $.a = 1 ) }`, 10, "unbalanced parentheses: unexpected ')'"},
		{"empty parens", `{ () }`, 3, "missing condition after '('"},
		{"junk after value", `{ $.a = 1 # }`, 10, "unexpected character '#' after condition"},
		{"junk glued to value", `{ $.a = abc# }`, 11, "unexpected character '#' after condition"},
		{"junk after string", `{ $.a = "x"y }`, 11, `unexpected character 'y' after condition`},
		{"junk as condition", `{ # }`, 2, "unexpected character '#'; expected a condition"},
		{"invalid utf-8", "{ \xff }", 2, "invalid UTF-8 byte 0xff"},
		{"regex not supported", `{ $.a = %abc% }`, 8, "unexpected character '%'"},
		{"too deep", deep, 2 + 100, "parentheses nested too deeply"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p, err := filterpattern.Parse(tc.pattern)
			require.Error(t, err)
			assert.Nil(t, p)

			var se *filterpattern.SyntaxError
			require.True(t, errors.As(err, &se), "error %v is not a *SyntaxError", err)
			assert.Equal(t, tc.offset, se.Offset, "offset; error: %v", err)
			assert.Contains(t, se.Msg, tc.msg)
			assert.True(t, strings.HasPrefix(err.Error(), fmt.Sprintf("filter pattern: at offset %d: ", tc.offset)), err.Error())
			if tc.offset < len(tc.pattern) {
				assert.Contains(t, err.Error(), "(near ")
			} else {
				assert.Contains(t, err.Error(), "(near end of pattern)")
			}
		})
	}
}

func TestSyntaxErrorMessage(t *testing.T) {
	t.Parallel()
	cases := []struct {
		pattern string
		want    string
	}{
		{`{ $.a = 1 & $.x = 2 }`, `filter pattern: at offset 10: unexpected '&' (did you mean '&&'?) (near "& $.x = 2 }")`},
		{`{ $.a = 1`, `filter pattern: at offset 9: missing closing '}' for '{' at offset 0 (near end of pattern)`},
		// The excerpt is limited to a few characters.
		{`{ $.eventName = "ConsoleLogin" $.errorMessage = "x" }`, `filter pattern: at offset 31: missing logical operator '&&' or '||' between conditions (near "$.errorMessa")`},
	}
	for _, tc := range cases {
		t.Run(tc.pattern, func(t *testing.T) {
			t.Parallel()
			_, err := filterpattern.Parse(tc.pattern)
			require.Error(t, err)
			assert.Equal(t, tc.want, err.Error())
		})
	}
}

func TestSyntaxErrorZeroValue(t *testing.T) {
	t.Parallel()
	err := &filterpattern.SyntaxError{Offset: 3, Msg: "boom"}
	assert.Equal(t, "filter pattern: at offset 3: boom", err.Error())
}

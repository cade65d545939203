package eventpattern_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/example/landing-zone-audit/internal/eventpattern"
)

func TestParseValid(t *testing.T) {
	t.Parallel()
	patterns := map[string]string{
		"guardduty":              guardDutyPattern,
		"securityhub":            securityHubPattern,
		"all scalar types":       `{"a":["x",1,-2.5e3,true,false,null]}`,
		"mixed filters":          `{"a":["x",{"prefix":"y"},{"numeric":[">",1]},{"exists":false}]}`,
		"numeric equals":         `{"a":[{"numeric":["=",0]}]}`,
		"anything-but kinds":     `{"a":[{"anything-but":"x"},{"anything-but":1},{"anything-but":["x","y"]},{"anything-but":[1,2]}]}`,
		"anything-but filters":   `{"a":[{"anything-but":{"prefix":"x"}},{"anything-but":{"suffix":"x"}},{"anything-but":{"equals-ignore-case":["x"]}},{"anything-but":{"wildcard":"*x*"}}]}`,
		"cidr ipv6":              `{"ip":[{"cidr":"2001:db8::/32"}]}`,
		"wildcard escapes":       `{"a":[{"wildcard":"a\\*\\\\*"}]}`,
		"$or only":               `{"$or":[{"a":["1"]},{"b":["2"]}]}`,
		"keys needing quotes":    `{"a.b":["1"],"":["2"]}`,
		"deeply nested":          `{"a":{"b":{"c":{"d":{"e":["1"]}}}}}`,
		"surrounding whitespace": " \n" + `{"a":["1"]}` + "\n ",
	}
	for name, pattern := range patterns {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			p, err := eventpattern.Parse([]byte(pattern))
			require.NoError(t, err)
			require.NotNil(t, p)
		})
	}
}

func TestParseInvalid(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		pattern string
		wantErr string
	}{
		// Document structure.
		{"not JSON", `{"source":`, `event pattern: invalid JSON: unexpected EOF`},
		{"empty input", ``, `event pattern: invalid JSON: no JSON value`},
		{"trailing data", `{"a":["1"]} x`, `event pattern: invalid JSON: unexpected data after the top-level value`},
		{"array", `[{"source":["aws.ec2"]}]`, `event pattern: must be a JSON object, got [{"source": ["aws.ec2"]}]`},
		{"string", `"aws.ec2"`, `event pattern: must be a JSON object, got "aws.ec2"`},
		{"null", `null`, `event pattern: must be a JSON object, got null`},
		{"empty object", `{}`, `event pattern: must not be empty: a pattern needs at least one field to match`},
		{"empty nested object", `{"detail":{}}`, `event pattern: detail: must not be an empty object: it needs at least one field to match`},
		{"bare string leaf", `{"source":"aws.ec2"}`, `event pattern: source: match conditions must be in an array, got "aws.ec2" (did you mean ["aws.ec2"]?)`},
		{"bare number leaf", `{"detail":{"severity":7}}`, `event pattern: detail.severity: match conditions must be in an array, got 7 (did you mean [7]?)`},
		{"null leaf", `{"detail":{"x":null}}`, `event pattern: detail.x: match conditions must be in an array, got null (did you mean [null]?)`},
		{"filter outside array", `{"detail":{"prefix":"x"}}`, `event pattern: detail.prefix: match conditions must be in an array, got "x" (a "prefix" filter belongs inside the field's array, e.g. "field": [{"prefix": "x"}])`},
		{"empty array", `{"source":[]}`, `event pattern: source: needs at least one match condition, got []`},
		{"nested array", `{"source":[["a"]]}`, `event pattern: source: nested arrays are not allowed in match conditions, got ["a"]`},
		{"number out of range", `{"n":[1e400]}`, `event pattern: n: number 1e400 is out of range`},
		{"quoted key in path", `{"detail":{"a.b":"x"}}`, `event pattern: detail["a.b"]: match conditions must be in an array, got "x" (did you mean ["x"]?)`},

		// Content filter objects.
		{"empty filter", `{"a":[{}]}`, `event pattern: a: a content filter must have exactly one key (one of anything-but, cidr, equals-ignore-case, exists, numeric, prefix, suffix, wildcard), got {}`},
		{"two keys", `{"a":[{"prefix":"x","suffix":"y"}]}`, `event pattern: a: a content filter must have exactly one key (one of anything-but, cidr, equals-ignore-case, exists, numeric, prefix, suffix, wildcard), got {"prefix": "x", "suffix": "y"}`},
		{"unknown operator", `{"a":[{"contains":"x"}]}`, `event pattern: a: unknown content filter "contains" (supported: anything-but, cidr, equals-ignore-case, exists, numeric, prefix, suffix, wildcard)`},

		// prefix / suffix / equals-ignore-case.
		{"prefix number", `{"a":[{"prefix":1}]}`, `event pattern: a: "prefix" needs a string or {"equals-ignore-case": string}, got 1`},
		{"prefix unknown object", `{"a":[{"prefix":{"wildcard":"x"}}]}`, `event pattern: a: "prefix" needs a string or {"equals-ignore-case": string}, got {"wildcard": "x"}`},
		{"prefix ignore case number", `{"a":[{"prefix":{"equals-ignore-case":1}}]}`, `event pattern: a: "prefix" needs a string or {"equals-ignore-case": string}, got {"equals-ignore-case": 1}`},
		{"suffix array", `{"a":[{"suffix":["x"]}]}`, `event pattern: a: "suffix" needs a string or {"equals-ignore-case": string}, got ["x"]`},
		{"equals-ignore-case number", `{"a":[{"equals-ignore-case":1}]}`, `event pattern: a: "equals-ignore-case" needs a string, got 1`},

		// numeric.
		{"numeric operand string", `{"detail":{"severity":[{"numeric":["<","x"]}]}}`, `event pattern: detail.severity: "numeric" needs pairs of operator and number, got ["<", "x"]`},
		{"numeric odd length", `{"a":[{"numeric":[">",1,"<"]}]}`, `event pattern: a: "numeric" needs pairs of operator and number, got [">", 1, "<"]`},
		{"numeric empty", `{"a":[{"numeric":[]}]}`, `event pattern: a: "numeric" needs pairs of operator and number, got []`},
		{"numeric not array", `{"a":[{"numeric":5}]}`, `event pattern: a: "numeric" needs pairs of operator and number, got 5`},
		{"numeric too long", `{"a":[{"numeric":[">",1,"<",5,"<",6]}]}`, `event pattern: a: "numeric" takes one comparison or a range of two (a lower and an upper bound), got [">", 1, "<", 5, "<", 6]`},
		{"numeric unknown op", `{"a":[{"numeric":["!=",1]}]}`, `event pattern: a: "numeric": unknown operator "!=" (want one of =, <, <=, >, >=), got ["!=", 1]`},
		{"numeric two lower bounds", `{"a":[{"numeric":[">",1,">=",5]}]}`, `event pattern: a: "numeric": a range needs one lower bound (> or >=) and one upper bound (< or <=), got [">", 1, ">=", 5]`},
		{"numeric two upper bounds", `{"a":[{"numeric":["<",1,"<=",5]}]}`, `event pattern: a: "numeric": a range needs one lower bound (> or >=) and one upper bound (< or <=), got ["<", 1, "<=", 5]`},
		{"numeric equals in range", `{"a":[{"numeric":["=",1,"<",5]}]}`, `event pattern: a: "numeric": "=" cannot be combined with another comparison, got ["=", 1, "<", 5]`},
		{"numeric empty range", `{"a":[{"numeric":[">",5,"<",1]}]}`, `event pattern: a: "numeric": the lower bound must be less than the upper bound, got [">", 5, "<", 1]`},
		{"numeric out of range", `{"a":[{"numeric":[">",-1e999]}]}`, `event pattern: a: number -1e999 is out of range`},

		// exists.
		{"exists string", `{"a":[{"exists":"true"}]}`, `event pattern: a: "exists" needs true or false, got "true"`},

		// wildcard.
		{"wildcard consecutive", `{"a":[{"wildcard":"a**b"}]}`, `event pattern: a: "wildcard": consecutive wildcard characters are not allowed, got "a**b"`},
		{"wildcard bad escape", `{"a":[{"wildcard":"a\\b"}]}`, `event pattern: a: "wildcard": invalid escape \b in "a\\b" (only \* and \\ are allowed)`},
		{"wildcard lone backslash", `{"a":[{"wildcard":"a\\"}]}`, `event pattern: a: "wildcard": "a\\" ends with a lone backslash (write \\ for a literal backslash)`},
		{"wildcard number", `{"a":[{"wildcard":1}]}`, `event pattern: a: "wildcard" needs a string, got 1`},

		// cidr.
		{"cidr no mask", `{"ip":[{"cidr":"10.0.0.1"}]}`, `event pattern: ip: "cidr": "10.0.0.1" is not an IP address block in CIDR notation such as "10.0.0.0/24"`},
		{"cidr bad mask", `{"ip":[{"cidr":"10.0.0.0/33"}]}`, `event pattern: ip: "cidr": "10.0.0.0/33" is not an IP address block in CIDR notation such as "10.0.0.0/24"`},
		{"cidr number", `{"ip":[{"cidr":10}]}`, `event pattern: ip: "cidr" needs a string such as "10.0.0.0/24", got 10`},

		// anything-but.
		{"anything-but bool", `{"a":[{"anything-but":true}]}`, `event pattern: a: "anything-but" needs a string, a number, a list of strings or of numbers, or a prefix, suffix, equals-ignore-case or wildcard filter, got true`},
		{"anything-but null", `{"a":[{"anything-but":null}]}`, `event pattern: a: "anything-but" needs a string, a number, a list of strings or of numbers, or a prefix, suffix, equals-ignore-case or wildcard filter, got null`},
		{"anything-but empty list", `{"a":[{"anything-but":[]}]}`, `event pattern: a: "anything-but" needs a non-empty list, got []`},
		{"anything-but mixed list", `{"a":[{"anything-but":["x",1]}]}`, `event pattern: a: "anything-but" list must hold only strings or only numbers, got ["x", 1]`},
		{"anything-but list of bools", `{"a":[{"anything-but":[true]}]}`, `event pattern: a: "anything-but" list must hold only strings or only numbers, got [true]`},
		{"anything-but numeric", `{"a":[{"anything-but":{"numeric":[">",1]}}]}`, `event pattern: a: "anything-but" does not support "numeric" (supported: prefix, suffix, equals-ignore-case, wildcard)`},
		{"anything-but two keys", `{"a":[{"anything-but":{"prefix":"x","suffix":"y"}}]}`, `event pattern: a: "anything-but" filter must have exactly one key (prefix, suffix, equals-ignore-case or wildcard), got {"prefix": "x", "suffix": "y"}`},
		{"anything-but prefix number", `{"a":[{"anything-but":{"prefix":1}}]}`, `event pattern: a: "anything-but": "prefix" needs a string or a non-empty list of strings, got 1`},
		{"anything-but prefix ignore case", `{"a":[{"anything-but":{"prefix":{"equals-ignore-case":"x"}}}]}`, `event pattern: a: "anything-but": "prefix" needs a string or a non-empty list of strings, got {"equals-ignore-case": "x"}`},
		{"anything-but ignore case empty list", `{"a":[{"anything-but":{"equals-ignore-case":[]}}]}`, `event pattern: a: "anything-but": "equals-ignore-case" needs a string or a non-empty list of strings, got []`},
		{"anything-but wildcard bad", `{"a":[{"anything-but":{"wildcard":["x","**"]}}]}`, `event pattern: a: "wildcard": consecutive wildcard characters are not allowed, got "**"`},

		// $or.
		{"$or not array", `{"$or":{"a":["1"]}}`, `event pattern: $or: needs an array of at least two pattern objects, got {"a": ["1"]}`},
		{"$or one alternative", `{"detail":{"$or":[{"a":["1"]}]}}`, `event pattern: detail.$or: needs an array of at least two pattern objects, got [{"a": ["1"]}]`},
		{"$or empty alternative", `{"$or":[{"a":["1"]},{}]}`, `event pattern: $or[1]: must not be an empty object: it needs at least one field to match`},
		{"$or scalar alternative", `{"$or":[{"a":["1"]},"b"]}`, `event pattern: $or[1]: must be a pattern object, got "b"`},
		{"$or invalid inside alternative", `{"detail":{"$or":[{"a":["1"]},{"severity":[{"numeric":["<","x"]}]}]}}`, `event pattern: detail.$or[1].severity: "numeric" needs pairs of operator and number, got ["<", "x"]`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p, err := eventpattern.Parse([]byte(tc.pattern))
			require.EqualError(t, err, tc.wantErr)
			require.Nil(t, p)
		})
	}
}

func TestParseErrorTruncatesLongValues(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("x", 1000)
	_, err := eventpattern.Parse([]byte(`{"a":"` + long + `"}`))
	require.Error(t, err)
	require.Less(t, len(err.Error()), 400)
	require.Contains(t, err.Error(), "…")
}

func TestParseDeterministicErrors(t *testing.T) {
	t.Parallel()
	// Several invalid fields: the same one must be reported every time.
	pattern := []byte(`{"z":"1","m":"2","a":"3","q":[]}`)
	_, first := eventpattern.Parse(pattern)
	require.Error(t, first)
	for range 20 {
		_, err := eventpattern.Parse(pattern)
		require.EqualError(t, err, first.Error())
	}
}

package eventpattern_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/example/landing-zone-audit/internal/eventpattern"
)

// Answers that follow AWS's matcher. EventBridge is built on aws/event-ruler;
// each case names the EventBridge user guide section or the event-ruler
// source (README, JsonRuleCompiler, CIDR, tests) it follows.

// EventBridge user guide, "Arrays in Amazon EventBridge event patterns": "If
// the value in the event is an array, then the event pattern matches if the
// intersection of the event pattern array and the event array is
// non-empty". event-ruler matches each array element on its own, for
// anything-but too (src/test/resources/correctness-cases.json, "primarray:
// anything-but in array": {"tags": ["banned", "ok"]} matches
// {"anything-but": "banned"}). So every operator, every form of
// anything-but included, matches an array when any element matches.
func TestArrayValuesMatchWhenAnyElementMatches(t *testing.T) {
	t.Parallel()
	runMatchCases(t, []matchCase{
		{"anything-but string, one element not excluded", `{"state":[{"anything-but":"stopped"}]}`, `{"state":["stopped","running"]}`, true},
		{"anything-but string, every element excluded", `{"state":[{"anything-but":"stopped"}]}`, `{"state":["stopped","stopped"]}`, false},
		{"anything-but number", `{"n":[{"anything-but":100}]}`, `{"n":[100,101]}`, true},
		{"anything-but string list", `{"state":[{"anything-but":["stopped","overloaded"]}]}`, `{"state":["overloaded","running"]}`, true},
		{"anything-but string list, all excluded", `{"state":[{"anything-but":["stopped","overloaded"]}]}`, `{"state":["overloaded","stopped"]}`, false},
		{"anything-but number list", `{"n":[{"anything-but":[100,200]}]}`, `{"n":[200,300]}`, true},
		{"anything-but number list, all excluded", `{"n":[{"anything-but":[100,200]}]}`, `{"n":[200,100.0]}`, false},
		{"anything-but prefix", `{"state":[{"anything-but":{"prefix":"init"}}]}`, `{"state":["initializing","running"]}`, true},
		{"anything-but prefix, all excluded", `{"state":[{"anything-but":{"prefix":"init"}}]}`, `{"state":["init-1","init-2"]}`, false},
		{"anything-but prefix list", `{"state":[{"anything-but":{"prefix":["init","error"]}}]}`, `{"state":["error-3","running"]}`, true},
		{"anything-but suffix", `{"f":[{"anything-but":{"suffix":".png"}}]}`, `{"f":["a.png","b.jpg"]}`, true},
		{"anything-but suffix list, all excluded", `{"f":[{"anything-but":{"suffix":[".png",".jpg"]}}]}`, `{"f":["a.png","b.jpg"]}`, false},
		{"anything-but equals-ignore-case", `{"state":[{"anything-but":{"equals-ignore-case":"stopped"}}]}`, `{"state":["STOPPED","running"]}`, true},
		{"anything-but equals-ignore-case, all excluded", `{"state":[{"anything-but":{"equals-ignore-case":["stopped","x"]}}]}`, `{"state":["STOPPED","X"]}`, false},
		{"anything-but wildcard", `{"p":[{"anything-but":{"wildcard":"*/lib/*"}}]}`, `{"p":["/usr/lib/a.so","/usr/bin/ls"]}`, true},
		{"anything-but wildcard, all excluded", `{"p":[{"anything-but":{"wildcard":["*/lib/*","*/bin/*"]}}]}`, `{"p":["/usr/lib/a.so","/usr/bin/ls"]}`, false},
		{"exact", `{"r":["b"]}`, `{"r":["a","b"]}`, true},
		{"prefix", `{"r":[{"prefix":"us-"}]}`, `{"r":["eu-west-1","us-east-1"]}`, true},
		{"suffix", `{"r":[{"suffix":"-1"}]}`, `{"r":["eu-west-2","us-east-1"]}`, true},
		{"equals-ignore-case", `{"r":[{"equals-ignore-case":"ALICE"}]}`, `{"r":["bob","alice"]}`, true},
		{"wildcard", `{"r":[{"wildcard":"arn:*:role/admin"}]}`, `{"r":["x","arn:aws:iam::1:role/admin"]}`, true},
		{"numeric", `{"n":[{"numeric":[">",0,"<=",5]}]}`, `{"n":[9,5]}`, true},
		{"numeric, no element in range", `{"n":[{"numeric":[">",0,"<=",5]}]}`, `{"n":[9,0]}`, false},
		{"cidr", `{"ip":[{"cidr":"10.0.0.0/24"}]}`, `{"ip":["192.0.2.1","10.0.0.9"]}`, true},
		{"exists", `{"r":[{"exists":true}]}`, `{"r":["x"]}`, true},
	})
}

// event-ruler refuses an empty anything-but prefix or suffix, alone or in a
// list (JsonRuleCompiler: "Null prefix/suffix not allowed";
// JsonRuleCompilerTest's bad patterns {"anything-but": {"prefix": ""}} and
// {"anything-but": {"prefix": ["1", ""]}}), and accepts lists of prefixes and
// suffixes (README, "Anything-but prefix list (strings)" and "Anything-but
// suffix list (strings)").
func TestAnythingButPrefixAndSuffix(t *testing.T) {
	t.Parallel()
	for pattern, want := range map[string]string{
		`{"a":[{"anything-but":{"prefix":""}}]}`:          `event pattern: a: "anything-but": an empty "prefix" is not allowed (it would exclude every string value); name the prefix to exclude, got ""`,
		`{"a":[{"anything-but":{"suffix":""}}]}`:          `event pattern: a: "anything-but": an empty "suffix" is not allowed (it would exclude every string value); name the suffix to exclude, got ""`,
		`{"a":[{"anything-but":{"prefix":["init",""]}}]}`: `event pattern: a: "anything-but": an empty "prefix" is not allowed (it would exclude every string value); name the prefix to exclude, got ["init", ""]`,
		`{"a":[{"anything-but":{"suffix":[]}}]}`:          `event pattern: a: "anything-but": "suffix" needs a string or a non-empty list of strings, got []`,
		`{"a":[{"anything-but":{"prefix":[1,2]}}]}`:       `event pattern: a: "anything-but": "prefix" needs a string or a non-empty list of strings, got [1, 2]`,
	} {
		_, err := eventpattern.Parse([]byte(pattern))
		require.EqualError(t, err, want, pattern)
	}
	runMatchCases(t, []matchCase{
		{"prefix list, other value", `{"state":[{"anything-but":{"prefix":["init","error"]}}]}`, `{"state":"running"}`, true},
		{"prefix list, second prefix", `{"state":[{"anything-but":{"prefix":["init","error"]}}]}`, `{"state":"error-2"}`, false},
		{"suffix list, other value", `{"id":[{"anything-but":{"suffix":["1234","6789"]}}]}`, `{"id":"i-0005"}`, true},
		{"suffix list, excluded", `{"id":[{"anything-but":{"suffix":["1234","6789"]}}]}`, `{"id":"i-6789"}`, false},
	})
}

// event-ruler refuses CIDR masks of /32 (IPv4) and /128 (IPv6) (CIDR.cidr:
// "IPv4 mask bits must be < 32", "IPv6 mask bits must be < 128"); the user
// guide ("Content filtering", IP address matching) shows blocks only. A
// single address is matched by its exact value instead, which the error
// says.
func TestCIDRSingleAddressMasks(t *testing.T) {
	t.Parallel()
	_, err := eventpattern.Parse([]byte(`{"ip":[{"cidr":"10.0.0.1/32"}]}`))
	require.EqualError(t, err, `event pattern: ip: "cidr": "10.0.0.1/32" is a single address, and EventBridge refuses a /32 mask; match the exact address instead: ["10.0.0.1"]`)
	_, err = eventpattern.Parse([]byte(`{"ip":[{"cidr":"2001:db8::1/128"}]}`))
	require.EqualError(t, err, `event pattern: ip: "cidr": "2001:db8::1/128" is a single address, and EventBridge refuses a /128 mask; match the exact address instead: ["2001:db8::1"]`)
	runMatchCases(t, []matchCase{
		{"/31 is a block", `{"ip":[{"cidr":"10.0.0.0/31"}]}`, `{"ip":"10.0.0.1"}`, true},
		{"/127 is a block", `{"ip":[{"cidr":"2001:db8::/127"}]}`, `{"ip":"2001:db8::1"}`, true},
		{"the exact address instead of /32", `{"ip":["10.0.0.1"]}`, `{"ip":"10.0.0.1"}`, true},
	})
}

// Where the guide says nothing and event-ruler's behaviour is its own, the
// guide is followed (see the package doc): event-ruler turns IP addresses in
// exact values and CIDR blocks into ranges of hexadecimal strings, so an
// exact "2001:db8::1" also matches other spellings of that address; the
// guide ("Amazon EventBridge event patterns") says strings match exactly,
// character by character, and cidr matches IP addresses inside a block.
// event-ruler does not read an IPv4-mapped IPv6 address ("::ffff:10.1.2.3")
// as an IP address at all (CIDR.isIPv4OrIPv6), so it matches no IPv4 block.
func TestIPAddressesFollowTheGuide(t *testing.T) {
	t.Parallel()
	runMatchCases(t, []matchCase{
		{"exact IPv6 value is character by character", `{"ip":["2001:db8::1"]}`, `{"ip":"2001:0db8:0:0:0:0:0:1"}`, false},
		{"exact IPv4 value", `{"ip":["10.0.0.1"]}`, `{"ip":"10.0.0.1"}`, true},
		{"cidr needs an IP address, not its hexadecimal form", `{"ip":[{"cidr":"10.0.0.0/24"}]}`, `{"ip":"0A000005"}`, false},
		{"IPv4-mapped IPv6 is not in an IPv4 block", `{"ip":[{"cidr":"10.0.0.0/8"}]}`, `{"ip":"::ffff:10.1.2.3"}`, false},
	})
}

// event-ruler reads a numeric range as lower bound then upper bound: after
// "<" or "<=" the expression must end (JsonRuleCompiler
// .processNumericMatchExpression, otherwise "Too many elements in numeric
// expression"), as the user guide writes it ([">", 0, "<=", 5], "Content
// filtering", numeric matching). A range written upper bound first is
// refused with the fix.
func TestNumericRangeUpperBoundFirst(t *testing.T) {
	t.Parallel()
	_, err := eventpattern.Parse([]byte(`{"n":[{"numeric":["<",10,">=",5]}]}`))
	require.EqualError(t, err, `event pattern: n: "numeric": write the lower bound first, e.g. [">", 0, "<=", 5]; EventBridge refuses a range that starts with its upper bound, got ["<", 10, ">=", 5]`)
	_, err = eventpattern.Parse([]byte(`{"n":[{"numeric":["<=",10,">",5]}]}`))
	require.Error(t, err)
	runMatchCases(t, []matchCase{
		{"lower bound first", `{"n":[{"numeric":[">=",5,"<",10]}]}`, `{"n":5}`, true},
	})
}

// event-ruler refuses an operator name as a field name anywhere inside
// "$or" (README, "The $or Primitive": {"$or": [{"numeric": 123}, {"prefix":
// "abc"}]}; JsonRuleCompiler.parseObjectInsideOrRelationship and
// Constants.RESERVED_FIELD_NAMES_IN_OR_RELATIONSHIP). Outside "$or" such a
// name is an ordinary field.
func TestReservedNamesInsideOr(t *testing.T) {
	t.Parallel()
	for pattern, want := range map[string]string{
		`{"$or":[{"numeric":[">",1]},{"prefix":["abc"]}]}`:               `event pattern: $or[0].numeric: "numeric" is an operator name, which EventBridge refuses as a field name inside "$or"; an operator belongs inside a field's array, e.g. {"$or": [{"field": [{"numeric": ...}]}, ...]}`,
		`{"detail":{"$or":[{"a":["1"]},{"x":{"cidr":["10.0.0.0/8"]}}]}}`: `event pattern: detail.$or[1].x.cidr: "cidr" is an operator name, which EventBridge refuses as a field name inside "$or"; an operator belongs inside a field's array, e.g. {"$or": [{"field": [{"cidr": ...}]}, ...]}`,
		`{"$or":[{"a":["1"]},{"$or":[{">=":["1"]},{"b":["2"]}]}]}`:       `event pattern: $or[1].$or[0].>=: ">=" is an operator name, which EventBridge refuses as a field name inside "$or"; an operator belongs inside a field's array, e.g. {"$or": [{"field": [{">=": ...}]}, ...]}`,
	} {
		_, err := eventpattern.Parse([]byte(pattern))
		require.EqualError(t, err, want, pattern)
	}
	p, err := eventpattern.Parse([]byte(`{"detail":{"prefix":["x"]}}`))
	require.NoError(t, err)
	ok, err := p.Match([]byte(`{"detail":{"prefix":"x"}}`))
	require.NoError(t, err)
	assert.True(t, ok, "outside $or an operator name is a field")
}

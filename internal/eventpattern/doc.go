// Package eventpattern validates Amazon EventBridge event patterns and
// evaluates them against events, without calling AWS.
//
// A pattern is parsed once with [Parse], which applies EventBridge's
// documented validation rules and reports the JSON path of the offending
// field, and is then
// matched against any number of events with [Pattern.Match]. A parsed
// Pattern is immutable and safe for concurrent use.
//
// # Pattern structure
//
// A pattern is a non-empty JSON object. Each field holds either a nested
// object, which matches the fields of the event object at that key, or a
// non-empty array of match conditions. An event matches when every field of
// the pattern matches (AND across fields) and a field matches when any of
// its conditions matches (OR within the array). The pattern is applied to the
// whole event document, so top-level keys such as "source", "detail-type",
// "account", "region" and "detail" are addressed directly.
//
// Match conditions are exact values (strings, numbers, true, false, null)
// and content filters, objects with exactly one key:
//
//	{"prefix": "us-"}                     {"prefix": {"equals-ignore-case": "us-"}}
//	{"suffix": ".png"}                    {"suffix": {"equals-ignore-case": ".png"}}
//	{"equals-ignore-case": "alice"}       {"wildcard": "arn:aws:s3:::*-logs/*"}
//	{"numeric": [">=", 0, "<", 10]}       {"exists": true}
//	{"cidr": "10.0.0.0/24"}               {"anything-but": ["a", "b"]}
//
// "$or" combines alternatives at any object level:
//
//	{"detail": {"$or": [{"severity": [{"numeric": [">=", 7]}]}, {"type": ["Root"]}]}}
//
// matches when the sibling fields of "$or" match and at least one of the
// alternatives matches the same object. "$or" needs at least two non-empty
// pattern objects.
//
// # Matching rules
//
// Where the user guide leaves room, this package makes the following
// choices; they mirror the behaviour of EventBridge's open-source matching
// engine (aws/event-ruler) unless noted.
//
//   - Numbers compare numerically as IEEE-754 doubles: 7 matches 7.0 and
//     7e0. A number never equals a string: 7 does not match "7". Pattern
//     numbers outside the float64 range are rejected; EventBridge's older
//     ±5e9 limit is not enforced.
//   - Only leaves are values. A field whose event value is an object has no
//     value at that path, so {"exists": true} does not match it and
//     {"exists": false} does, as in EventBridge ("exists only works on leaf
//     nodes"). A null value is present: it matches null and {"exists": true}.
//   - A nested pattern object applied to a missing or non-object value is
//     evaluated as if every field beneath it were absent, so only
//     {"exists": false} conditions can match there.
//   - Arrays in the event: a condition matches an array when it matches any
//     element (nested arrays are flattened). A nested pattern object matches
//     an array of objects when a single element matches all of it, so fields
//     of one pattern object are never satisfied by different elements.
//   - An empty array, or one holding only objects, has no values: it counts
//     as absent for the conditions at that field.
//   - anything-but matches a present value that is not excluded; a missing
//     field never matches it. Values of another type are not excluded, so
//     {"anything-but": "x"} matches 5 and {"anything-but": {"prefix": "x"}}
//     matches true. Like every other condition, it matches an array in the
//     event when any element matches: ["stopped", "running"] matches
//     {"anything-but": "stopped"}, ["stopped"] does not (the user guide's
//     "Arrays in Amazon EventBridge event patterns"; event-ruler evaluates
//     each element). Its prefix and suffix forms take a string or a list of
//     strings, never an empty one (event-ruler: "Null prefix/suffix not
//     allowed").
//   - prefix, suffix, equals-ignore-case, wildcard and cidr match strings
//     only; numeric matches numbers only. Case-insensitive comparisons use
//     Unicode simple case folding.
//   - In wildcard, "*" matches any run of characters (including none), "\*"
//     is a literal star and "\\" a literal backslash; any other escape and
//     consecutive unescaped stars are rejected.
//   - cidr accepts IPv4 and IPv6 blocks and matches event strings holding an
//     IP address of the block's family inside the block (host bits in the
//     block are ignored). A /32 or /128 block is refused, as event-ruler
//     refuses it: match the exact address instead.
//   - numeric takes one comparison, or a range written lower bound first
//     ([">", 0, "<=", 5]); a range written upper bound first is refused, as
//     event-ruler refuses it.
//   - Inside "$or" (at any depth) an operator name (prefix, numeric, cidr,
//     ">=", ... event-ruler's RESERVED_FIELD_NAMES_IN_OR_RELATIONSHIP) cannot
//     be a field name; outside "$or" it is an ordinary field.
//   - Duplicate keys in the pattern JSON are not detected: the last wins.
//
// # Where the user guide is followed over event-ruler
//
// event-ruler turns IP addresses into hexadecimal strings of their bytes,
// in the pattern (an exact value that is an IP address becomes a one-address
// range, a cidr block a range) and in the event (ByteMachine.transitionOn),
// and compares those. An exact "2001:db8::1" therefore also matches
// "2001:0db8:0:0:0:0:0:1". The user guide says nothing of this: it says
// strings match exactly, character by character, and cidr matches IP
// addresses in a block. This package follows the guide: exact values compare
// text, and cidr parses the event value as an IP address (net/netip) and
// checks that it lies in the block. Like event-ruler, it reads no
// IPv4-mapped IPv6 address ("::ffff:10.0.0.1") into an IPv4 block.
package eventpattern

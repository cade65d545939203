package filterpattern

import (
	"encoding/json"
	"fmt"
	"hash/maphash"
	"sync"
	"unicode/utf16"
	"unicode/utf8"
)

// This file holds a strict JSON decoder for events. It yields exactly what
// encoding/json's Decoder with UseNumber yields when decoding into an any
// (map[string]any, []any, string, json.Number, bool and nil), and accepts
// and rejects exactly the same documents, at several times the speed and
// with a fraction of the allocations: events are parsed on replay's hot
// path. FuzzDecodeEvent checks the equivalence against encoding/json.

// maxJSONDepth is encoding/json's nesting limit (maxNestingDepth in its
// scanner.go): 10000 nested arrays and objects decode, one more is an
// error. It also bounds this decoder's recursion.
const maxJSONDepth = 10000

// decoder holds the state of one decode. Decoders are pooled so that their
// scratch stacks, which grow to the size of the largest event, are reused.
type decoder struct {
	data  []byte
	depth int
	// members and elems hold the members of the objects and the elements
	// of the arrays being decoded, innermost last; each container takes
	// its own off the top when it closes, so its map or slice is allocated
	// once at its final size.
	members []member
	elems   []any
	// buf holds a string whose escapes or invalid UTF-8 are being decoded.
	buf []byte
	// seen caches recent string values by a hash of their bytes: the
	// account IDs, principal ARNs, user agents and hosts that recur from
	// one event to the next then cost no allocation.
	seen [seenSize]struct {
		s string
		v any
	}
}

// seenSize is the number of string values a decoder remembers, and
// maxSeenLen the longest it remembers, bounding what it holds.
const seenSize, maxSeenLen = 256, 256

var seenSeed = maphash.MakeSeed()

// recent returns b as a string in an any, reusing the last value with the
// same bytes if the cache still holds it. Each string has its own memory,
// never a share of one buffer per event: a caller that keeps one value (a
// principal counted in a report) must not keep the whole event alive.
func (d *decoder) recent(b []byte) any {
	if len(b) > maxSeenLen {
		return string(b)
	}
	e := &d.seen[maphash.Bytes(seenSeed, b)%seenSize]
	if e.v == nil || e.s != string(b) {
		e.s = string(b)
		e.v = e.s
	}
	return e.v
}

type member struct {
	key string
	val any
}

var decoders = sync.Pool{New: func() any { return new(decoder) }}

// maxPooledScratch bounds the scratch a pooled decoder keeps, so that one
// huge event does not pin its memory for the rest of the run.
const maxPooledScratch = 1 << 12

// decodeJSON decodes data, which must hold exactly one JSON value.
func decodeJSON(data []byte) (any, error) {
	d := decoders.Get().(*decoder)
	d.data = data
	v, err := d.document()
	// Drop every reference to the input and decoded values before pooling.
	// A container clears its part of the stacks when it closes, so only
	// what an error left on them needs clearing.
	d.data = nil
	d.depth = 0
	clear(d.members)
	clear(d.elems)
	d.members, d.elems, d.buf = d.members[:0], d.elems[:0], d.buf[:0]
	if cap(d.members) <= maxPooledScratch && cap(d.elems) <= maxPooledScratch && cap(d.buf) <= maxPooledScratch*16 {
		decoders.Put(d)
	}
	return v, err
}

func (d *decoder) document() (any, error) {
	i := d.space(0)
	if i == len(d.data) {
		return nil, eventError("empty input")
	}
	v, i, err := d.value(i)
	if err != nil {
		return nil, err
	}
	if i = d.space(i); i != len(d.data) {
		return nil, eventError(fmt.Sprintf("unexpected data after top-level value at offset %d", i))
	}
	return v, nil
}

// space returns the offset of the first byte at or after i that is not
// JSON whitespace (encoding/json's isSpace: space, tab, CR and LF).
func (d *decoder) space(i int) int {
	for i < len(d.data) {
		switch d.data[i] {
		case ' ', '\t', '\n', '\r':
			i++
		default:
			return i
		}
	}
	return i
}

// value decodes the value starting at data[i], which is not whitespace, and
// returns the offset just after it.
func (d *decoder) value(i int) (any, int, error) {
	if i >= len(d.data) {
		return nil, i, d.endError(i, "looking for beginning of value")
	}
	switch c := d.data[i]; c {
	case '{':
		return d.object(i)
	case '[':
		return d.array(i)
	case '"':
		b, j, err := d.str(i)
		if err != nil {
			return nil, j, err
		}
		if len(b) <= maxCloudTrailValue { // longer strings are not worth hashing
			if v, ok := cloudTrailValues[string(b)]; ok { // no allocation for the lookup
				return v, j, nil
			}
		}
		return d.recent(b), j, nil
	case 't':
		j, err := d.literal(i, "true")
		return true, j, err
	case 'f':
		j, err := d.literal(i, "false")
		return false, j, err
	case 'n':
		j, err := d.literal(i, "null")
		return nil, j, err
	default:
		if c == '-' || '0' <= c && c <= '9' {
			return d.number(i)
		}
		return nil, i, d.charError(i, "looking for beginning of value")
	}
}

func (d *decoder) object(i int) (any, int, error) {
	if d.depth++; d.depth > maxJSONDepth {
		return nil, i, d.depthError(i)
	}
	base := len(d.members)
	i = d.space(i + 1)
	if i < len(d.data) && d.data[i] == '}' {
		d.depth--
		return map[string]any{}, i + 1, nil
	}
	for {
		if i >= len(d.data) {
			return nil, i, d.endError(i, "looking for beginning of object key string")
		}
		if d.data[i] != '"' {
			return nil, i, d.charError(i, "looking for beginning of object key string")
		}
		b, j, err := d.str(i)
		if err != nil {
			return nil, j, err
		}
		key, ok := cloudTrailKeys[string(b)] // no allocation for the lookup
		if !ok {
			key = string(b)
		}
		if i = d.space(j); i >= len(d.data) {
			return nil, i, d.endError(i, "after object key")
		}
		if d.data[i] != ':' {
			return nil, i, d.charError(i, "after object key")
		}
		v, j, err := d.value(d.space(i + 1))
		if err != nil {
			return nil, j, err
		}
		d.members = append(d.members, member{key, v})
		if i = d.space(j); i >= len(d.data) {
			return nil, i, d.endError(i, "after object key:value pair")
		}
		switch d.data[i] {
		case ',':
			i = d.space(i + 1)
		case '}':
			ms := d.members[base:]
			m := make(map[string]any, len(ms))
			for _, kv := range ms { // in order: the last of duplicate keys wins
				m[kv.key] = kv.val
			}
			clear(ms)
			d.members = d.members[:base]
			d.depth--
			return m, i + 1, nil
		default:
			return nil, i, d.charError(i, "after object key:value pair")
		}
	}
}

func (d *decoder) array(i int) (any, int, error) {
	if d.depth++; d.depth > maxJSONDepth {
		return nil, i, d.depthError(i)
	}
	base := len(d.elems)
	i = d.space(i + 1)
	if i < len(d.data) && d.data[i] == ']' {
		d.depth--
		return []any{}, i + 1, nil // encoding/json gives an empty, not a nil, slice
	}
	for {
		v, j, err := d.value(i)
		if err != nil {
			return nil, j, err
		}
		d.elems = append(d.elems, v)
		if i = d.space(j); i >= len(d.data) {
			return nil, i, d.endError(i, "after array element")
		}
		switch d.data[i] {
		case ',':
			i = d.space(i + 1)
		case ']':
			es := d.elems[base:]
			a := make([]any, len(es))
			copy(a, es)
			clear(es)
			d.elems = d.elems[:base]
			d.depth--
			return a, i + 1, nil
		default:
			return nil, i, d.charError(i, "after array element")
		}
	}
}

// plain marks the ASCII bytes that stand for themselves inside a string:
// everything but control characters, the quote and the backslash.
var plain = func() (t [utf8.RuneSelf]bool) {
	for c := ' '; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// str decodes the string whose opening quote is at data[i] and returns its
// bytes and the offset after its closing quote. The bytes are a slice of
// the input when the string holds no escape and is valid UTF-8, otherwise
// of d.buf; either way they are only valid until the next call.
func (d *decoder) str(i int) ([]byte, int, error) {
	data := d.data
	start := i + 1
	j := start
	for j < len(data) {
		c := data[j]
		if c < utf8.RuneSelf {
			if plain[c] {
				j++
				continue
			}
			if c == '"' {
				return data[start:j], j + 1, nil
			}
			break // an escape or a control character
		}
		r, size := utf8.DecodeRune(data[j:])
		if r == utf8.RuneError && size == 1 {
			break // invalid UTF-8, to be replaced
		}
		j += size
	}
	return d.strSlow(start, j)
}

// strSlow finishes decoding a string whose content starts at data[start]
// and whose bytes before data[j] need no decoding. It follows
// encoding/json's unquote: invalid UTF-8 bytes, and \u escapes of a lone or
// misordered surrogate, each become U+FFFD.
func (d *decoder) strSlow(start, j int) ([]byte, int, error) {
	data := d.data
	b := append(d.buf[:0], data[start:j]...)
	for j < len(data) {
		c := data[j]
		switch {
		case c == '"':
			d.buf = b
			return b, j + 1, nil
		case c == '\\':
			if j+1 >= len(data) {
				return nil, j + 1, d.endError(j+1, "in string escape code")
			}
			switch e := data[j+1]; e {
			case '"', '\\', '/':
				b = append(b, e)
			case 'b':
				b = append(b, '\b')
			case 'f':
				b = append(b, '\f')
			case 'n':
				b = append(b, '\n')
			case 'r':
				b = append(b, '\r')
			case 't':
				b = append(b, '\t')
			case 'u':
				r, err := d.hex4(j + 2)
				if err != nil {
					return nil, j, err
				}
				j += 6
				if utf16.IsSurrogate(r) {
					// A high surrogate followed by an escaped low one is
					// one character; any other surrogate is replaced, and
					// what follows it is decoded on its own.
					if r2, ok := d.escapedRune(j); ok {
						if pair := utf16.DecodeRune(r, r2); pair != utf8.RuneError {
							b = utf8.AppendRune(b, pair)
							j += 6
							continue
						}
					}
					r = utf8.RuneError
				}
				b = utf8.AppendRune(b, r)
				continue
			default:
				return nil, j + 1, d.charError(j+1, "in string escape code")
			}
			j += 2
		case c < ' ':
			return nil, j, d.charError(j, "in string literal")
		case c < utf8.RuneSelf:
			b = append(b, c)
			j++
		default:
			// DecodeRune yields U+FFFD, size 1, for each invalid byte.
			r, size := utf8.DecodeRune(data[j:])
			b = utf8.AppendRune(b, r)
			j += size
		}
	}
	d.buf = b
	return nil, j, d.endError(j, "in string literal")
}

// hex4 decodes the four hexadecimal digits of a \u escape at data[i:].
func (d *decoder) hex4(i int) (rune, error) {
	var r rune
	for k := i; k < i+4; k++ {
		if k >= len(d.data) {
			return 0, d.endError(k, "in \\u hexadecimal character escape")
		}
		c := d.data[k]
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c -= 'a' - 10
		case 'A' <= c && c <= 'F':
			c -= 'A' - 10
		default:
			return 0, d.charError(k, "in \\u hexadecimal character escape")
		}
		r = r<<4 | rune(c)
	}
	return r, nil
}

// escapedRune reports the rune of a well-formed \uXXXX escape at data[i:],
// as encoding/json's getu4 does.
func (d *decoder) escapedRune(i int) (rune, bool) {
	if i+6 > len(d.data) || d.data[i] != '\\' || d.data[i+1] != 'u' {
		return 0, false
	}
	r, err := d.hex4(i + 2)
	return r, err == nil
}

// literal checks that true, false or null is at data[i].
func (d *decoder) literal(i int, lit string) (int, error) {
	for k := 1; k < len(lit); k++ {
		if i+k >= len(d.data) {
			return i + k, d.endError(i+k, "in literal "+lit)
		}
		if d.data[i+k] != lit[k] {
			return i + k, d.charError(i+k, fmt.Sprintf("in literal %s (expecting %q)", lit, lit[k]))
		}
	}
	return i + len(lit), nil
}

// number decodes the number at data[i] as a json.Number holding its text,
// following JSON's grammar as encoding/json does:
// -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?. What may follow the
// number is checked by the caller, so "01" is the number 0 followed by
// an unexpected 1.
func (d *decoder) number(i int) (any, int, error) {
	data := d.data
	start := i
	if data[i] == '-' {
		i++
	}
	switch {
	case i >= len(data):
		return nil, i, d.endError(i, "in numeric literal")
	case data[i] == '0':
		i++
	case '1' <= data[i] && data[i] <= '9':
		i = d.digits(i + 1)
	default:
		return nil, i, d.charError(i, "in numeric literal")
	}
	if i < len(data) && data[i] == '.' {
		if i++; i >= len(data) {
			return nil, i, d.endError(i, "after decimal point in numeric literal")
		}
		if !isDigit(data[i]) {
			return nil, i, d.charError(i, "after decimal point in numeric literal")
		}
		i = d.digits(i)
	}
	if i < len(data) && (data[i] == 'e' || data[i] == 'E') {
		if i++; i < len(data) && (data[i] == '+' || data[i] == '-') {
			i++
		}
		if i >= len(data) {
			return nil, i, d.endError(i, "in exponent of numeric literal")
		}
		if !isDigit(data[i]) {
			return nil, i, d.charError(i, "in exponent of numeric literal")
		}
		i = d.digits(i)
	}
	return json.Number(data[start:i]), i, nil
}

func (d *decoder) digits(i int) int {
	for i < len(d.data) && isDigit(d.data[i]) {
		i++
	}
	return i
}

func eventError(msg string) error {
	return fmt.Errorf("filterpattern: invalid JSON event: %s", msg)
}

// charError reports an unexpected byte at data[i].
func (d *decoder) charError(i int, context string) error {
	c := d.data[i]
	what := fmt.Sprintf("byte 0x%02x", c)
	if ' ' <= c && c < utf8.RuneSelf {
		what = fmt.Sprintf("character %q", rune(c))
	}
	return eventError(fmt.Sprintf("invalid %s %s at offset %d", what, context, i))
}

// endError reports that the event ended before the value did.
func (d *decoder) endError(i int, context string) error {
	return eventError(fmt.Sprintf("unexpected end of input %s at offset %d", context, i))
}

func (d *decoder) depthError(i int) error {
	return eventError(fmt.Sprintf("arrays and objects nested more than %d deep at offset %d", maxJSONDepth, i))
}

// cloudTrailKeys holds the field names of CloudTrail records (the
// "CloudTrail record contents" page of the AWS CloudTrail User Guide), so
// that the keys every event repeats share one string instead of each
// costing an allocation.
var cloudTrailKeys = func() map[string]string {
	m := map[string]string{}
	for _, k := range []string{
		// The record.
		"eventVersion", "userIdentity", "eventTime", "eventSource", "eventName",
		"awsRegion", "sourceIPAddress", "userAgent", "errorCode", "errorMessage",
		"requestParameters", "responseElements", "additionalEventData",
		"requestID", "eventID", "eventType", "apiVersion", "managementEvent",
		"readOnly", "resources", "recipientAccountId", "serviceEventDetails",
		"sharedEventID", "vpcEndpointId", "vpcEndpointAccountId", "eventCategory",
		"addendum", "sessionCredentialFromConsole", "edgeDeviceDetails",
		"tlsDetails", "insightDetails", "Records",
		// userIdentity and its session context.
		"type", "principalId", "arn", "accountId", "accessKeyId", "userName",
		"sessionContext", "sessionIssuer", "attributes", "creationDate",
		"mfaAuthenticated", "webIdFederationData", "sourceIdentity", "invokedBy",
		"identityProvider", "credentialId", "onBehalfOf", "userId",
		"identityStoreArn", "federatedProvider", "assumedRoot", "ec2RoleDelivery",
		// resources and tlsDetails.
		"ARN", "tlsVersion", "cipherSuite", "clientProvidedHostHeader",
		// Frequent in requestParameters, responseElements and
		// additionalEventData.
		"roleArn", "roleSessionName", "durationSeconds", "credentials",
		"assumedRoleUser", "assumedRoleId", "sessionToken", "expiration",
		"keyId", "encryptionAlgorithm", "encryptionContext", "bucketName",
		"Host", "key", "items", "name", "value", "valueSet", "filterSet",
		"maxResults", "instanceId", "instancesSet", "policyArn", "policyDocument",
		"groupId", "logGroupName", "logStreamName", "MFAUsed", "LoginTo",
		"MobileVersion", "ConsoleLogin", "SwitchRole", "SwitchFrom", "RedirectTo",
	} {
		m[k] = k
	}
	return m
}()

// cloudTrailValues holds values that recur across CloudTrail records, from
// the CloudTrail User Guide's record contents and userIdentity pages and
// AWS's list of Regions and service endpoints, already held in an any: a
// value found here costs no allocation at all (a string converted to an
// any costs one for its data and one for the box).
var cloudTrailValues, maxCloudTrailValue = func() (map[string]any, int) {
	m, longest := map[string]any{}, 0
	for _, v := range []string{
		// eventVersion, eventType, eventCategory.
		"1.0", "1.01", "1.02", "1.03", "1.04", "1.05", "1.06", "1.07", "1.08", "1.09", "1.10", "1.11",
		"AwsApiCall", "AwsServiceEvent", "AwsConsoleAction", "AwsConsoleSignIn", "AwsCloudTrailInsight", "AwsVpceEvent",
		"Management", "Data", "Insight", "NetworkActivity",
		// userIdentity.type and session context.
		"Root", "IAMUser", "AssumedRole", "Role", "FederatedUser", "Directory", "AWSAccount", "AWSService",
		"IdentityCenterUser", "Unknown", "SAMLUser", "WebIdentityUser", "true", "false",
		// Console sign-in and tlsDetails.
		"Success", "Failure", "Yes", "No", "Failed authentication",
		"TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3",
		"TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256",
		"ECDHE-RSA-AES128-GCM-SHA256", "ECDHE-RSA-AES256-GCM-SHA384", "ECDHE-RSA-AES128-SHA", "AES128-SHA",
		// Frequent error codes and resource types.
		"AccessDenied", "AccessDeniedException", "Client.UnauthorizedOperation",
		"AWS::IAM::Role", "AWS::KMS::Key", "AWS::S3::Bucket", "AWS::S3::Object", "SYMMETRIC_DEFAULT",
		// Regions.
		"us-east-1", "us-east-2", "us-west-1", "us-west-2", "af-south-1", "ap-east-1", "ap-east-2",
		"ap-south-1", "ap-south-2", "ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4",
		"ap-southeast-5", "ap-southeast-7", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3",
		"ca-central-1", "ca-west-1", "eu-central-1", "eu-central-2", "eu-west-1", "eu-west-2", "eu-west-3",
		"eu-south-1", "eu-south-2", "eu-north-1", "il-central-1", "me-south-1", "me-central-1", "mx-central-1",
		"sa-east-1", "us-gov-east-1", "us-gov-west-1", "cn-north-1", "cn-northwest-1",
		// Event sources and service principals.
		"cloudformation.amazonaws.com", "cloudtrail.amazonaws.com", "config.amazonaws.com",
		"dynamodb.amazonaws.com", "ec2.amazonaws.com", "ecs-tasks.amazonaws.com", "ecs.amazonaws.com",
		"elasticloadbalancing.amazonaws.com", "events.amazonaws.com", "guardduty.amazonaws.com",
		"iam.amazonaws.com", "kms.amazonaws.com", "lambda.amazonaws.com", "logs.amazonaws.com",
		"monitoring.amazonaws.com", "organizations.amazonaws.com", "s3.amazonaws.com",
		"secretsmanager.amazonaws.com", "securityhub.amazonaws.com", "signin.amazonaws.com",
		"sns.amazonaws.com", "sqs.amazonaws.com", "ssm.amazonaws.com", "sso.amazonaws.com",
		"sts.amazonaws.com", "AWS Internal",
	} {
		m[v] = v
		longest = max(longest, len(v))
	}
	return m, longest
}()

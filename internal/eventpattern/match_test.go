package eventpattern_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/example/landing-zone-audit/internal/eventpattern"
)

type matchCase struct {
	name    string
	pattern string
	event   string
	want    bool
}

func runMatchCases(t *testing.T, cases []matchCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p, err := eventpattern.Parse([]byte(tc.pattern))
			require.NoError(t, err)
			got, err := p.Match([]byte(tc.event))
			require.NoError(t, err)
			require.Equal(t, tc.want, got, "pattern %s\nevent %s", tc.pattern, tc.event)
		})
	}
}

func TestMatchExactValues(t *testing.T) {
	t.Parallel()
	runMatchCases(t, []matchCase{
		{"string equal", `{"source":["aws.ec2"]}`, `{"source":"aws.ec2"}`, true},
		{"string differs", `{"source":["aws.ec2"]}`, `{"source":"aws.s3"}`, false},
		{"string is case sensitive", `{"source":["aws.ec2"]}`, `{"source":"AWS.EC2"}`, false},
		{"missing field", `{"source":["aws.ec2"]}`, `{"region":"eu-west-1"}`, false},
		{"or within array", `{"source":["aws.s3","aws.ec2"]}`, `{"source":"aws.ec2"}`, true},
		{"and across fields", `{"source":["aws.ec2"],"region":["eu-west-1"]}`, `{"source":"aws.ec2","region":"eu-west-1"}`, true},
		{"and across fields, one fails", `{"source":["aws.ec2"],"region":["eu-west-1"]}`, `{"source":"aws.ec2","region":"us-east-1"}`, false},
		{"empty string", `{"LastName":[""]}`, `{"LastName":""}`, true},
		{"empty string vs value", `{"LastName":[""]}`, `{"LastName":"Doe"}`, false},
		{"number equal", `{"n":[7]}`, `{"n":7}`, true},
		{"number compares numerically", `{"n":[7]}`, `{"n":7.0}`, true},
		{"number with exponent", `{"n":[700]}`, `{"n":7e2}`, true},
		{"number differs", `{"n":[7]}`, `{"n":7.5}`, false},
		{"number does not match string", `{"n":[7]}`, `{"n":"7"}`, false},
		{"string does not match number", `{"n":["7"]}`, `{"n":7}`, false},
		{"true", `{"b":[true]}`, `{"b":true}`, true},
		{"true vs false", `{"b":[true]}`, `{"b":false}`, false},
		{"false", `{"b":[false]}`, `{"b":false}`, true},
		{"bool does not match string", `{"b":[true]}`, `{"b":"true"}`, false},
		{"null matches null", `{"v":[null]}`, `{"v":null}`, true},
		{"null does not match missing", `{"v":[null]}`, `{}`, false},
		{"null does not match value", `{"v":[null]}`, `{"v":"x"}`, false},
		{"nested fields", `{"detail":{"service":{"action":["x"]}}}`, `{"detail":{"service":{"action":"x"}}}`, true},
		{"nested fields differ", `{"detail":{"service":{"action":["x"]}}}`, `{"detail":{"service":{"action":"y"}}}`, false},
		{"nested parent missing", `{"detail":{"service":{"action":["x"]}}}`, `{"source":"x"}`, false},
		{"nested parent is scalar", `{"detail":{"service":["x"]}}`, `{"detail":"x"}`, false},
		{"leaf pattern vs object value", `{"detail":["x"]}`, `{"detail":{"x":"x"}}`, false},
		{"event array, any element", `{"resources":["arn:b"]}`, `{"resources":["arn:a","arn:b"]}`, true},
		{"event array, no element", `{"resources":["arn:c"]}`, `{"resources":["arn:a","arn:b"]}`, false},
		{"event nested arrays are flattened", `{"v":[3]}`, `{"v":[[1,2],[3]]}`, true},
		{"empty event array", `{"v":["x"]}`, `{"v":[]}`, false},
	})
}

func TestMatchPrefixSuffix(t *testing.T) {
	t.Parallel()
	runMatchCases(t, []matchCase{
		{"prefix", `{"time":[{"prefix":"2017-10-02"}]}`, `{"time":"2017-10-02T18:43:48Z"}`, true},
		{"prefix no match", `{"time":[{"prefix":"2017-10-02"}]}`, `{"time":"2017-10-03T18:43:48Z"}`, false},
		{"prefix is case sensitive", `{"s":[{"prefix":"EventB"}]}`, `{"s":"eventbridge"}`, false},
		{"prefix ignores numbers", `{"n":[{"prefix":"1"}]}`, `{"n":123}`, false},
		{"prefix ignore case", `{"s":[{"prefix":{"equals-ignore-case":"EventB"}}]}`, `{"s":"EVENTBRIDGE"}`, true},
		{"prefix ignore case no match", `{"s":[{"prefix":{"equals-ignore-case":"EventB"}}]}`, `{"s":"Event-Bus"}`, false},
		{"prefix ignore case, longer than value", `{"s":[{"prefix":{"equals-ignore-case":"abc"}}]}`, `{"s":"AB"}`, false},
		{"prefix ignore case, multi-byte folding", `{"s":[{"prefix":{"equals-ignore-case":"k"}}]}`, "{\"s\":\"\u212aelvin\"}", true},
		{"suffix", `{"FileName":[{"suffix":".png"}]}`, `{"FileName":"image.png"}`, true},
		{"suffix no match", `{"FileName":[{"suffix":".png"}]}`, `{"FileName":"image.jpg"}`, false},
		{"suffix ignore case", `{"FileName":[{"suffix":{"equals-ignore-case":".png"}}]}`, `{"FileName":"IMAGE.PNG"}`, true},
		{"suffix ignore case no match", `{"FileName":[{"suffix":{"equals-ignore-case":".png"}}]}`, `{"FileName":"image.pngx"}`, false},
		{"suffix on array", `{"f":[{"suffix":".png"}]}`, `{"f":["a.jpg","b.png"]}`, true},
	})
}

func TestMatchEqualsIgnoreCase(t *testing.T) {
	t.Parallel()
	runMatchCases(t, []matchCase{
		{"equal ignoring case", `{"name":[{"equals-ignore-case":"alice"}]}`, `{"name":"ALICE"}`, true},
		{"different string", `{"name":[{"equals-ignore-case":"alice"}]}`, `{"name":"alicia"}`, false},
		{"not a string", `{"name":[{"equals-ignore-case":"true"}]}`, `{"name":true}`, false},
	})
}

func TestMatchAnythingBut(t *testing.T) {
	t.Parallel()
	runMatchCases(t, []matchCase{
		{"string, other value", `{"state":[{"anything-but":"initializing"}]}`, `{"state":"running"}`, true},
		{"string, excluded value", `{"state":[{"anything-but":"initializing"}]}`, `{"state":"initializing"}`, false},
		{"missing field never matches", `{"state":[{"anything-but":"initializing"}]}`, `{"other":"x"}`, false},
		{"other type is not excluded", `{"state":[{"anything-but":"5"}]}`, `{"state":5}`, true},
		{"null is a value", `{"state":[{"anything-but":"x"}]}`, `{"state":null}`, true},
		{"number", `{"x-limit":[{"anything-but":123}]}`, `{"x-limit":456}`, true},
		{"number, excluded numerically", `{"x-limit":[{"anything-but":123}]}`, `{"x-limit":123.0}`, false},
		{"string list", `{"state":[{"anything-but":["stopped","overloaded"]}]}`, `{"state":"running"}`, true},
		{"string list, excluded", `{"state":[{"anything-but":["stopped","overloaded"]}]}`, `{"state":"overloaded"}`, false},
		{"number list", `{"n":[{"anything-but":[100,200,300]}]}`, `{"n":150}`, true},
		{"number list, excluded", `{"n":[{"anything-but":[100,200,300]}]}`, `{"n":200}`, false},
		{"prefix", `{"Region":[{"anything-but":{"prefix":"us-"}}]}`, `{"Region":"eu-west-1"}`, true},
		{"prefix, excluded", `{"Region":[{"anything-but":{"prefix":"us-"}}]}`, `{"Region":"us-east-1"}`, false},
		{"suffix", `{"FileName":[{"anything-but":{"suffix":".png"}}]}`, `{"FileName":"a.jpg"}`, true},
		{"suffix, excluded", `{"FileName":[{"anything-but":{"suffix":".png"}}]}`, `{"FileName":"a.png"}`, false},
		{"equals-ignore-case", `{"state":[{"anything-but":{"equals-ignore-case":"initializing"}}]}`, `{"state":"running"}`, true},
		{"equals-ignore-case, excluded", `{"state":[{"anything-but":{"equals-ignore-case":"initializing"}}]}`, `{"state":"INITIALIZING"}`, false},
		{"equals-ignore-case list, excluded", `{"state":[{"anything-but":{"equals-ignore-case":["a","b"]}}]}`, `{"state":"B"}`, false},
		{"wildcard", `{"FilePath":[{"anything-but":{"wildcard":"*/lib/*"}}]}`, `{"FilePath":"/usr/bin/ls"}`, true},
		{"wildcard, excluded", `{"FilePath":[{"anything-but":{"wildcard":"*/lib/*"}}]}`, `{"FilePath":"/usr/lib/libc.so"}`, false},
		{"wildcard list, excluded", `{"FilePath":[{"anything-but":{"wildcard":["*/lib/*","*/bin/*"]}}]}`, `{"FilePath":"/usr/bin/ls"}`, false},
		{"event array, nothing excluded", `{"state":[{"anything-but":"a"}]}`, `{"state":["b","c"]}`, true},
		{"or with exact value", `{"state":[{"anything-but":"a"},"a"]}`, `{"state":"a"}`, true},
	})
}

func TestMatchNumeric(t *testing.T) {
	t.Parallel()
	runMatchCases(t, []matchCase{
		{"= match", `{"n":[{"numeric":["=",301.5]}]}`, `{"n":3.015e2}`, true},
		{"= no match", `{"n":[{"numeric":["=",301.5]}]}`, `{"n":301}`, false},
		{"< match", `{"n":[{"numeric":["<",10]}]}`, `{"n":9.99}`, true},
		{"< boundary", `{"n":[{"numeric":["<",10]}]}`, `{"n":10}`, false},
		{"<= boundary", `{"n":[{"numeric":["<=",10]}]}`, `{"n":10}`, true},
		{"<= no match", `{"n":[{"numeric":["<=",10]}]}`, `{"n":10.01}`, false},
		{"> match", `{"n":[{"numeric":[">",0]}]}`, `{"n":0.5}`, true},
		{"> boundary", `{"n":[{"numeric":[">",0]}]}`, `{"n":0}`, false},
		{">= boundary", `{"n":[{"numeric":[">=",0]}]}`, `{"n":0}`, true},
		{">= no match", `{"n":[{"numeric":[">=",0]}]}`, `{"n":-1}`, false},
		{"range inside", `{"n":[{"numeric":[">",0,"<=",5]}]}`, `{"n":5}`, true},
		{"range below", `{"n":[{"numeric":[">",0,"<=",5]}]}`, `{"n":0}`, false},
		{"range above", `{"n":[{"numeric":[">",0,"<=",5]}]}`, `{"n":5.5}`, false},
		{"negative numbers", `{"n":[{"numeric":[">=",-10,"<",-1]}]}`, `{"n":-5e0}`, true},
		{"string is not a number", `{"n":[{"numeric":[">",0]}]}`, `{"n":"5"}`, false},
		{"missing field", `{"n":[{"numeric":[">",0]}]}`, `{}`, false},
		{"event array", `{"n":[{"numeric":[">",10]}]}`, `{"n":[1,2,30]}`, true},
	})
}

func TestMatchExists(t *testing.T) {
	t.Parallel()
	runMatchCases(t, []matchCase{
		{"true, present", `{"detail":{"state":[{"exists":true}]}}`, `{"detail":{"state":"x"}}`, true},
		{"true, missing", `{"detail":{"state":[{"exists":true}]}}`, `{"detail":{}}`, false},
		{"true, null is present", `{"detail":{"state":[{"exists":true}]}}`, `{"detail":{"state":null}}`, true},
		{"true, object is not a leaf", `{"detail":{"state":[{"exists":true}]}}`, `{"detail":{"state":{"a":1}}}`, false},
		{"false, missing", `{"detail":{"state":[{"exists":false}]}}`, `{"detail":{}}`, true},
		{"false, present", `{"detail":{"state":[{"exists":false}]}}`, `{"detail":{"state":"x"}}`, false},
		{"false, parent missing", `{"detail":{"state":[{"exists":false}]}}`, `{"source":"x"}`, true},
		{"false, object is not a leaf", `{"detail":{"state":[{"exists":false}]}}`, `{"detail":{"state":{"a":1}}}`, true},
		{"false, empty array has no values", `{"tags":[{"exists":false}]}`, `{"tags":[]}`, true},
		{"true, array of values", `{"tags":[{"exists":true}]}`, `{"tags":["a"]}`, true},
	})
}

func TestMatchWildcard(t *testing.T) {
	t.Parallel()
	runMatchCases(t, []matchCase{
		{"middle", `{"EventBusArn":[{"wildcard":"arn:aws:events:us-east-1:*:event-bus/*"}]}`, `{"EventBusArn":"arn:aws:events:us-east-1:123456789012:event-bus/default"}`, true},
		{"middle no match", `{"EventBusArn":[{"wildcard":"arn:aws:events:us-east-1:*:event-bus/*"}]}`, `{"EventBusArn":"arn:aws:events:eu-west-1:123456789012:event-bus/default"}`, false},
		{"star matches empty", `{"s":[{"wildcard":"a*b"}]}`, `{"s":"ab"}`, true},
		{"anchored at both ends", `{"s":[{"wildcard":"a*b"}]}`, `{"s":"abc"}`, false},
		{"prefix and suffix overlap", `{"s":[{"wildcard":"ab*ba"}]}`, `{"s":"aba"}`, false},
		{"repeated segments", `{"s":[{"wildcard":"*a*a*"}]}`, `{"s":"xaya"}`, true},
		{"repeated segments no match", `{"s":[{"wildcard":"*a*a*"}]}`, `{"s":"xay"}`, false},
		{"no star is exact", `{"s":[{"wildcard":"abc"}]}`, `{"s":"abc"}`, true},
		{"escaped star is literal", `{"s":[{"wildcard":"a\\*b"}]}`, `{"s":"a*b"}`, true},
		{"escaped star is not a wildcard", `{"s":[{"wildcard":"a\\*b"}]}`, `{"s":"axb"}`, false},
		{"escaped backslash", `{"s":[{"wildcard":"C:\\\\*"}]}`, `{"s":"C:\\Windows"}`, true},
		{"star alone matches any string", `{"s":[{"wildcard":"*"}]}`, `{"s":""}`, true},
		{"not a string", `{"s":[{"wildcard":"*"}]}`, `{"s":1}`, false},
	})
}

func TestMatchCIDR(t *testing.T) {
	t.Parallel()
	runMatchCases(t, []matchCase{
		{"ipv4 inside", `{"sourceIPAddress":[{"cidr":"10.0.0.0/24"}]}`, `{"sourceIPAddress":"10.0.0.255"}`, true},
		{"ipv4 outside", `{"sourceIPAddress":[{"cidr":"10.0.0.0/24"}]}`, `{"sourceIPAddress":"10.0.1.0"}`, false},
		{"host bits ignored", `{"ip":[{"cidr":"10.0.0.7/24"}]}`, `{"ip":"10.0.0.200"}`, true},
		{"ipv6 inside", `{"ip":[{"cidr":"2001:db8::/32"}]}`, `{"ip":"2001:db8:1::1"}`, true},
		{"ipv6 outside", `{"ip":[{"cidr":"2001:db8::/32"}]}`, `{"ip":"2001:db9::1"}`, false},
		{"family mismatch", `{"ip":[{"cidr":"2001:db8::/32"}]}`, `{"ip":"10.0.0.1"}`, false},
		{"not an address", `{"ip":[{"cidr":"10.0.0.0/24"}]}`, `{"ip":"localhost"}`, false},
	})
}

func TestMatchOr(t *testing.T) {
	t.Parallel()
	runMatchCases(t, []matchCase{
		{"top level, first", `{"$or":[{"a":["1"]},{"b":["2"]}]}`, `{"a":"1"}`, true},
		{"top level, second", `{"$or":[{"a":["1"]},{"b":["2"]}]}`, `{"b":"2"}`, true},
		{"top level, neither", `{"$or":[{"a":["1"]},{"b":["2"]}]}`, `{"a":"2","b":"1"}`, false},
		{"siblings must still match", `{"source":["x"],"$or":[{"a":["1"]},{"b":["2"]}]}`, `{"source":"y","a":"1"}`, false},
		{"siblings and alternative", `{"source":["x"],"$or":[{"a":["1"]},{"b":["2"]}]}`, `{"source":"x","b":"2"}`, true},
		{"nested $or", `{"$or":[{"a":["1"]},{"$or":[{"b":["2"]},{"c":["3"]}]}]}`, `{"c":"3"}`, true},
		{"alternative with nested object", `{"$or":[{"detail":{"x":["1"]}},{"y":["2"]}]}`, `{"detail":{"x":"1"}}`, true},
		{"alternative with exists false", `{"detail":{"$or":[{"x":[{"exists":false}]},{"x":["1"]}]}}`, `{"detail":{"x":"1"}}`, true},
		{"alternative with exists false, other value", `{"detail":{"$or":[{"x":[{"exists":false}]},{"x":["1"]}]}}`, `{"detail":{"x":"2"}}`, false},
	})
}

func TestMatchGuardDuty(t *testing.T) {
	t.Parallel()
	runMatchCases(t, []matchCase{
		{"high severity, any type", guardDutyPattern, guardDutyFinding("aws.guardduty", "Recon:EC2/PortProbeUnprotectedPort", 8), true},
		{"exactly 7", guardDutyPattern, guardDutyFinding("aws.guardduty", "Recon:EC2/PortProbeUnprotectedPort", 7.0), true},
		{"root credential usage, low severity", guardDutyPattern, guardDutyFinding("aws.guardduty", "Policy:IAMUser/RootCredentialUsage", 2), true},
		{"medium severity, other type", guardDutyPattern, guardDutyFinding("aws.guardduty", "Recon:EC2/PortProbeUnprotectedPort", 5), false},
		{"other source", guardDutyPattern, guardDutyFinding("aws.securityhub", "Policy:IAMUser/RootCredentialUsage", 8), false},
	})
}

func TestMatchSecurityHub(t *testing.T) {
	t.Parallel()
	runMatchCases(t, []matchCase{
		{"critical finding", securityHubPattern, securityHubFindings("CRITICAL"), true},
		{"high among others", securityHubPattern, securityHubFindings("LOW", "MEDIUM", "HIGH"), true},
		{"only low and medium", securityHubPattern, securityHubFindings("LOW", "MEDIUM"), false},
		{"no findings", securityHubPattern, securityHubFindings(), false},
		{"label is case sensitive", securityHubPattern, securityHubFindings("critical"), false},
	})
}

func TestMatchArrayOfObjects(t *testing.T) {
	t.Parallel()
	runMatchCases(t, []matchCase{
		{"one element satisfies all fields",
			`{"detail":{"findings":{"Severity":{"Label":["HIGH"]},"RecordState":["ACTIVE"]}}}`,
			`{"detail":{"findings":[{"Severity":{"Label":"LOW"},"RecordState":"ACTIVE"},{"Severity":{"Label":"HIGH"},"RecordState":"ACTIVE"}]}}`,
			true},
		{"fields satisfied by different elements do not match",
			`{"detail":{"findings":{"Severity":{"Label":["HIGH"]},"RecordState":["ACTIVE"]}}}`,
			`{"detail":{"findings":[{"Severity":{"Label":"LOW"},"RecordState":"ACTIVE"},{"Severity":{"Label":"HIGH"},"RecordState":"ARCHIVED"}]}}`,
			false},
		{"nested arrays of objects",
			`{"detail":{"findings":{"Resources":{"Type":["AwsS3Bucket"]}}}}`,
			`{"detail":{"findings":[{"Resources":[{"Type":"AwsEc2Instance"}]},{"Resources":[{"Type":"AwsIamRole"},{"Type":"AwsS3Bucket"}]}]}}`,
			true},
		{"$or within array element",
			`{"items":{"$or":[{"a":["1"]},{"b":["2"]}],"c":["3"]}}`,
			`{"items":[{"a":"1","c":"x"},{"b":"2","c":"3"}]}`,
			true},
	})
}

func TestMatchEventErrors(t *testing.T) {
	t.Parallel()
	p, err := eventpattern.Parse([]byte(`{"source":["aws.ec2"]}`))
	require.NoError(t, err)
	cases := []struct {
		name, event, wantErr string
	}{
		{"array", `["aws.ec2"]`, "event: must be a JSON object, got array"},
		{"string", `"aws.ec2"`, "event: must be a JSON object, got string"},
		{"null", `null`, "event: must be a JSON object, got null"},
		{"empty", ``, "event: invalid JSON: no JSON value"},
		{"syntax error", `{"source":`, "event: invalid JSON: unexpected EOF"},
		{"trailing data", `{"source":"aws.ec2"} {}`, "event: invalid JSON: unexpected data after the top-level value"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := p.Match([]byte(tc.event))
			require.EqualError(t, err, tc.wantErr)
			require.False(t, got)
		})
	}
}

func TestMatchZeroPattern(t *testing.T) {
	t.Parallel()
	var p *eventpattern.Pattern
	_, err := p.Match([]byte(`{}`))
	require.Error(t, err)
	_, err = new(eventpattern.Pattern).Match([]byte(`{}`))
	require.Error(t, err)
}

func TestMatchConcurrentUse(t *testing.T) {
	t.Parallel()
	p, err := eventpattern.Parse([]byte(guardDutyPattern))
	require.NoError(t, err)
	event := []byte(guardDutyFinding("aws.guardduty", "Recon:EC2/PortProbeUnprotectedPort", 8))
	done := make(chan bool)
	for range 8 {
		go func() {
			ok := true
			for range 100 {
				got, err := p.Match(event)
				ok = ok && err == nil && got
			}
			done <- ok
		}()
	}
	for range 8 {
		require.True(t, <-done)
	}
}

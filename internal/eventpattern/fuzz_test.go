package eventpattern_test

import (
	"testing"

	"github.com/example/landing-zone-audit/internal/eventpattern"
)

// fuzzEvent exercises every value kind: strings, numbers, booleans, null,
// nested objects, arrays of scalars and arrays of objects.
const fuzzEvent = `{
  "source": "aws.guardduty",
  "detail-type": "GuardDuty Finding",
  "account": "123456789012",
  "resources": ["arn:aws:ec2:eu-west-1:123456789012:instance/i-1", "10.0.0.1"],
  "detail": {
    "severity": 8.5,
    "type": "Policy:IAMUser/RootCredentialUsage",
    "archived": false,
    "note": null,
    "ip": "2001:db8::1",
    "nested": [[1, "a"], {"k": "v"}],
    "findings": [{"Severity": {"Label": "HIGH"}}, {"Severity": {"Label": "LOW"}}, 3]
  }
}`

func FuzzParse(f *testing.F) {
	seeds := []string{
		guardDutyPattern,
		securityHubPattern,
		`{"source":["aws.ec2"]}`,
		`{"detail":{"severity":[{"numeric":[">",0,"<=",5]}]}}`,
		`{"a":[{"anything-but":{"wildcard":["*x*","y"]}},{"anything-but":[1,2]}]}`,
		`{"a":[{"prefix":{"equals-ignore-case":"EventB"}},{"suffix":".png"}]}`,
		`{"resources":[{"cidr":"10.0.0.0/8"},{"wildcard":"arn:*:instance/*"}]}`,
		`{"detail":{"note":[{"exists":true}],"missing":[{"exists":false}]}}`,
		`{"$or":[{"a":["1"]},{"$or":[{"b":[null]},{"c":[true,false]}]}]}`,
		`{"a":[{"wildcard":"a\\*b\\\\"}]}`,
		`{"a":[{"numeric":["=",1e308]}]}`,
		`{"detail":{"nested":[{"exists":true}],"findings":{"Severity":{"Label":[{"equals-ignore-case":"high"}]}}}}`,
		`{"a":"x"}`,
		`[]`,
		``,
	}
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	event := []byte(fuzzEvent)
	f.Fuzz(func(t *testing.T, pattern []byte) {
		p, err := eventpattern.Parse(pattern)
		if err != nil {
			if p != nil {
				t.Fatalf("Parse returned both a pattern and error %v", err)
			}
			if err.Error() == "" {
				t.Fatal("empty error message")
			}
			return
		}
		if _, err := p.Match(event); err != nil {
			t.Fatalf("Match on a valid event failed: %v", err)
		}
		// The pattern text is a JSON object, so it is a valid event too.
		if _, err := p.Match(pattern); err != nil {
			t.Fatalf("Match on the pattern text as event failed: %v", err)
		}
	})
}

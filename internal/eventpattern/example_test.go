package eventpattern_test

import (
	"fmt"

	"github.com/example/landing-zone-audit/internal/eventpattern"
)

func Example() {
	p, err := eventpattern.Parse([]byte(`{
	  "source": ["aws.guardduty"],
	  "detail": {"severity": [{"numeric": [">=", 7]}]}
	}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, event := range []string{
		`{"source": "aws.guardduty", "detail": {"severity": 8}}`,
		`{"source": "aws.guardduty", "detail": {"severity": 5}}`,
	} {
		ok, err := p.Match([]byte(event))
		fmt.Println(ok, err)
	}
	// Output:
	// true <nil>
	// false <nil>
}

func ExampleParse_error() {
	_, err := eventpattern.Parse([]byte(`{"detail": {"severity": [{"numeric": ["<", "x"]}]}}`))
	fmt.Println(err)
	// Output:
	// event pattern: detail.severity: "numeric" needs pairs of operator and number, got ["<", "x"]
}

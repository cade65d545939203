package filterpattern_test

import (
	"errors"
	"testing"
	"unicode/utf8"

	"github.com/example/landing-zone-audit/filterpattern"
)

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

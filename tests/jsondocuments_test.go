package tests

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/example/landing-zone-audit/internal/plan"
)

// jsonDocuments returns every input of r, at any depth, that is a JSON
// object or list written as text: event patterns, policies, rule
// parameters, templates.
func jsonDocuments(r plan.Resource) map[string]string {
	out := map[string]string{}
	var walk func(path string, v any)
	walk = func(path string, v any) {
		switch v := v.(type) {
		case map[string]any:
			for k, e := range v {
				walk(path+"."+k, e)
			}
		case []any:
			for i, e := range v {
				walk(fmt.Sprintf("%s[%d]", path, i), e)
			}
		case string:
			if s := strings.TrimSpace(v); (strings.HasPrefix(s, "{") || strings.HasPrefix(s, "[")) && json.Valid([]byte(s)) {
				out[path] = v
			}
		}
	}
	walk("", r.Inputs)
	return out
}

// Every JSON document handed to AWS is written as reviewers read it:
// encoding/json's Marshal escapes <, > and & (package encoding/json,
// "Marshal": "<", ">" and "&" are escaped to \u003c, \u003e and \u0026 to keep
// JSON safe to embed in HTML), so `pulumi preview`, the plan and the console
// showed the GuardDuty rule's numeric ">=" as "\u003e=". EventBridge reads
// both forms alike (EventBridge user guide, "Content filtering in Amazon
// EventBridge event patterns": numeric matching), so only the text changes.
func TestJSONInputsAreUnescaped(t *testing.T) {
	t.Parallel()
	for _, stack := range []string{"../Pulumi.prod.yaml", "../Pulumi.full.yaml"} {
		t.Run(stack, func(t *testing.T) {
			t.Parallel()
			p := runPlan(t, loadStackFile(t, stack))
			documents := 0
			for _, r := range p.Resources {
				for path, doc := range jsonDocuments(r) {
					documents++
					for _, escaped := range []string{`\u003c`, `\u003e`, `\u0026`} {
						assert.NotContains(t, doc, escaped, "%s%s", r.URN, path)
					}
				}
			}
			assert.Greater(t, documents, 20, "policies, patterns and parameters were all inspected")
			rules := 0
			for _, r := range p.ByType(typeEventRule) {
				if strings.HasPrefix(r.Name, "guardduty-") {
					rules++
					assert.Contains(t, r.Inputs["eventPattern"], `[">=",`, "%s: the severity threshold reads as written", r.Name)
				}
			}
			assert.NotZero(t, rules)
		})
	}
}

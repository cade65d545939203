// Package tests holds the whole-stack tests: they run program.Program under the
// Pulumi mock engine and assert on what the engine actually received.
package tests

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"

	"github.com/example/landing-zone-audit/config"
	"github.com/example/landing-zone-audit/internal/eventpattern"
	"github.com/example/landing-zone-audit/internal/plan"
	"github.com/example/landing-zone-audit/internal/program"
	"github.com/example/landing-zone-audit/internal/stackfile"
)

var update = flag.Bool("update", false, "rewrite golden files under testdata/")

const ns = "landing-zone-audit:"

// projectFile is the project's Pulumi.yaml.
const projectFile = "../Pulumi.yaml"

// loadStackFile reads a stack file with Pulumi's own loaders and config
// validation, as `pulumi preview` does, and returns what the engine would
// hand the program.
func loadStackFile(t testing.TB, path string) config.Source {
	t.Helper()
	name, ok := stackfile.StackName(path)
	require.True(t, ok, "%s is not named Pulumi.<stack>.yaml", path)
	projectPath, err := stackfile.ProjectFile(path)
	require.NoError(t, err)
	st, err := stackfile.Load(projectPath, path, name, io.Discard)
	require.NoError(t, err)
	src, err := st.Source()
	require.NoError(t, err)
	return src
}

// exampleConfig is the configuration of the example stack, Pulumi.prod.yaml.
func exampleConfig(t testing.TB) config.Source {
	t.Helper()
	return loadStackFile(t, "../Pulumi.prod.yaml")
}

// with returns a copy of src with key (without namespace) set to value;
// values that are not strings are stored as JSON, as the engine does.
func with(src config.Source, key string, value any) config.Source {
	out := src
	out.Values = make(map[string]string, len(src.Values)+1)
	for k, v := range src.Values {
		out.Values[k] = v
	}
	if s, ok := value.(string); ok {
		out.Values[ns+key] = s
	} else {
		b, _ := json.Marshal(value)
		out.Values[ns+key] = string(b)
	}
	return out
}

// without returns a copy of src without key.
func without(src config.Source, key string) config.Source {
	out := with(src, key, "")
	delete(out.Values, ns+key)
	return out
}

// runPlan runs the whole program under mocks.
func runPlan(t testing.TB, src config.Source) *plan.Plan {
	t.Helper()
	p, err := plan.Run(stackProgram, "prod", src)
	require.NoError(t, err)
	return p
}

// exampleStack loads the example configuration and plans it.
func exampleStack(t testing.TB) (*config.Config, *plan.Plan) {
	t.Helper()
	src := exampleConfig(t)
	cfg, err := config.Load(src)
	require.NoError(t, err)
	return cfg, runPlan(t, src)
}

// one returns the single resource of type typ named name.
func one(t testing.TB, p *plan.Plan, typ, name string) plan.Resource {
	t.Helper()
	for _, r := range p.ByType(typ) {
		if r.Name == name {
			return r
		}
	}
	var names []string
	for _, r := range p.ByType(typ) {
		names = append(names, r.Name)
	}
	t.Fatalf("no %s named %s (have %v)", typ, name, names)
	return plan.Resource{}
}

// named returns the resources of type typ, keyed by logical name.
func named(p *plan.Plan, typ string) map[string]plan.Resource {
	out := map[string]plan.Resource{}
	for _, r := range p.ByType(typ) {
		out[r.Name] = r
	}
	return out
}

// statement is one parsed policy statement; Action, Resource and principals
// are normalised to lists whether the JSON held a string or a list.
type statement struct {
	Sid       string
	Effect    string
	Principal principal
	Action    stringList
	Resource  stringList
	Condition map[string]map[string]any
}

type principal struct {
	Everyone bool
	AWS      stringList
	Service  stringList
}

func (p *principal) UnmarshalJSON(b []byte) error {
	var s string
	if json.Unmarshal(b, &s) == nil {
		p.Everyone = s == "*"
		return nil
	}
	var m struct {
		AWS     stringList
		Service stringList
	}
	err := json.Unmarshal(b, &m)
	p.AWS, p.Service = m.AWS, m.Service
	return err
}

type stringList []string

func (l *stringList) UnmarshalJSON(b []byte) error {
	var s string
	if json.Unmarshal(b, &s) == nil {
		*l = []string{s}
		return nil
	}
	return json.Unmarshal(b, (*[]string)(l))
}

// policyOf parses the policy JSON held in input key of r.
func policyOf(t testing.TB, r plan.Resource, key string) []statement {
	t.Helper()
	text, ok := r.Inputs[key].(string)
	require.True(t, ok, "%s has no %s policy", r.Name, key)
	var doc struct {
		Version   string
		Statement []statement
	}
	require.NoError(t, json.Unmarshal([]byte(text), &doc), "%s.%s", r.Name, key)
	require.Equal(t, "2012-10-17", doc.Version)
	return doc.Statement
}

// sid returns the statement with the given Sid.
func sid(t testing.TB, statements []statement, id string) statement {
	t.Helper()
	s, ok := sidOK(statements, id)
	if !ok {
		t.Fatalf("no statement %s", id)
	}
	return s
}

// sidOK returns the statement with the given Sid, if there is one.
func sidOK(statements []statement, id string) (statement, bool) {
	for _, s := range statements {
		if s.Sid == id {
			return s, true
		}
	}
	return statement{}, false
}

// requireNoOpenWildcardPrincipal fails when any Allow grants "*" or a wildcard
// AWS principal without conditions.
func requireNoOpenWildcardPrincipal(t testing.TB, statements []statement) {
	t.Helper()
	for _, s := range statements {
		if s.Effect != "Allow" {
			continue
		}
		open := s.Principal.Everyone || slices.Contains(s.Principal.AWS, "*")
		require.False(t, open && len(s.Condition) == 0, "statement %q allows everyone without conditions", s.Sid)
	}
}

// requireTLSOnly checks the deny of requests without TLS on every resource.
func requireTLSOnly(t testing.TB, statements []statement, action string, resources ...string) {
	t.Helper()
	for _, s := range statements {
		if s.Effect == "Deny" && s.Principal.Everyone && slices.Contains(s.Action, action) &&
			fmt.Sprint(s.Condition["Bool"]["aws:SecureTransport"]) == "false" {
			require.ElementsMatch(t, resources, []string(s.Resource))
			return
		}
	}
	t.Fatalf("no TLS-only deny of %s", action)
}

// input digs a nested input value out of r by path ("a.0.b").
func input(r plan.Resource, path string) any {
	var cur any = r.Inputs
	for _, part := range strings.Split(path, ".") {
		switch v := cur.(type) {
		case map[string]any:
			cur = v[part]
		case []any:
			var i int
			if _, err := fmt.Sscan(part, &i); err != nil || i >= len(v) {
				return nil
			}
			cur = v[i]
		default:
			return nil
		}
	}
	return cur
}

// dependsOn reports whether r was registered depending on the resource with URN suffix name.
func dependsOn(r plan.Resource, other plan.Resource) bool {
	return slices.Contains(r.Dependencies, other.URN)
}

// stackProgram is the program under test.
var stackProgram plan.Program = program.Program

// writeStackFile writes the values of src as a Pulumi stack file and returns its path.
func writeStackFile(t testing.TB, src config.Source) string {
	t.Helper()
	cfg := map[string]any{}
	for k, v := range src.Values {
		var decoded any
		if json.Unmarshal([]byte(v), &decoded) == nil && !isScalar(decoded) {
			cfg[k] = decoded
		} else {
			cfg[k] = v
		}
	}
	data, err := yaml.Marshal(map[string]any{"config": cfg})
	require.NoError(t, err)
	path := filepath.Join(t.TempDir(), "Pulumi.test.yaml")
	require.NoError(t, os.WriteFile(path, data, 0o644))
	return path
}

func isScalar(v any) bool {
	switch v.(type) {
	case map[string]any, []any:
		return false
	}
	return true
}

// ruleMatches runs an EventBridge rule's pattern, from the plan, on a
// fixture event under testdata/.
func ruleMatches(t *testing.T, rule plan.Resource, fixture ...string) bool {
	t.Helper()
	pattern, err := eventpattern.Parse([]byte(rule.Inputs["eventPattern"].(string)))
	require.NoError(t, err)
	event, err := json.Marshal(readFixture(t, fixture...))
	require.NoError(t, err)
	ok, err := pattern.Match(event)
	require.NoError(t, err)
	return ok
}

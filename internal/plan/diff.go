package plan

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/example/landing-zone-audit/internal/jsondoc"
)

// Change is one resource that differs between two plans.
type Change struct {
	Kind       string // "add", "remove" or "change"
	Resource   Resource
	Properties []PropertyChange // for "change"
}

// PropertyChange is one value that differs, at a path such as
// inputs.bucket or policies.policy.Statement[2].Condition.
type PropertyChange struct {
	Path     string
	Old, New string // JSON text; "" where absent
}

// Diff returns what next adds, removes and changes compared with prev, in
// URN order: what a change to the stack file does, for review.
func Diff(prev, next *Plan) []Change {
	old := map[string]Resource{}
	for _, r := range prev.Resources {
		old[r.URN] = r
	}
	seen := map[string]bool{}
	var changes []Change
	for _, r := range next.Resources {
		seen[r.URN] = true
		o, ok := old[r.URN]
		if !ok {
			changes = append(changes, Change{Kind: "add", Resource: r})
			continue
		}
		if props := diffProperties(flatten(o), flatten(r)); len(props) > 0 {
			changes = append(changes, Change{Kind: "change", Resource: r, Properties: props})
		}
	}
	for _, r := range prev.Resources {
		if !seen[r.URN] {
			changes = append(changes, Change{Kind: "remove", Resource: r})
		}
	}
	sort.SliceStable(changes, func(i, j int) bool { return changes[i].Resource.URN < changes[j].Resource.URN })
	return changes
}

// flatten turns what a review compares into path → JSON leaves; a policy
// input is compared through its parsed form.
func flatten(r Resource) map[string]string {
	out := map[string]string{}
	for k, v := range r.Inputs {
		if _, parsed := r.Policies[k]; parsed {
			continue
		}
		walk("inputs."+k, v, out)
	}
	for k, v := range r.Policies {
		walk("policies."+k, v, out)
	}
	// How the engine treats the resource is a change as much as its inputs:
	// adopting it (an import instead of a create), protecting or retaining
	// it, or moving it to another provider (account or region).
	walk("provider", r.Provider, out)
	walk("retainOnDelete", r.RetainOnDelete, out)
	walk("protect", r.Protect, out)
	if r.Import != "" {
		walk("import", r.Import, out)
	}
	return out
}

func walk(path string, v any, out map[string]string) {
	switch v := v.(type) {
	case map[string]any:
		for k, e := range v {
			walk(path+"."+k, e, out)
		}
	case []any:
		for i, e := range v {
			walk(fmt.Sprintf("%s[%d]", path, i), e, out)
		}
	default:
		out[path] = jsondoc.MustMarshal(v) // plain JSON values only
	}
}

func diffProperties(old, next map[string]string) []PropertyChange {
	var out []PropertyChange
	for k, v := range next {
		if old[k] != v {
			out = append(out, PropertyChange{Path: k, Old: old[k], New: v})
		}
	}
	for k, v := range old {
		if _, ok := next[k]; !ok {
			out = append(out, PropertyChange{Path: k, Old: v})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out
}

// WriteDiff prints changes for a pull request: + added, - removed, ~ changed
// with each changed property.
func WriteDiff(w io.Writer, changes []Change) error {
	var b strings.Builder
	if len(changes) == 0 {
		b.WriteString("no changes\n")
	}
	counts := map[string]int{}
	for _, c := range changes {
		counts[c.Kind]++
		mark := map[string]string{"add": "+", "remove": "-", "change": "~"}[c.Kind]
		r := c.Resource
		where := "component"
		if r.Account != "" {
			where = r.Account + " " + r.Region
		}
		fmt.Fprintf(&b, "%s %s %s (%s)\n", mark, r.Type, r.Name, where)
		for _, p := range c.Properties {
			switch {
			case p.Old == "":
				fmt.Fprintf(&b, "    %s: + %s\n", p.Path, p.New)
			case p.New == "":
				fmt.Fprintf(&b, "    %s: - %s\n", p.Path, p.Old)
			default:
				fmt.Fprintf(&b, "    %s: %s → %s\n", p.Path, p.Old, p.New)
			}
		}
	}
	if len(changes) > 0 {
		fmt.Fprintf(&b, "%d to add, %d to change, %d to remove\n", counts["add"], counts["change"], counts["remove"])
	}
	_, err := io.WriteString(w, b.String())
	return err
}

package plan

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"
)

// Formats lists the output formats of Write.
var Formats = []string{"table", "json", "mermaid"}

// Write prints p in the given format.
func (p *Plan) Write(w io.Writer, format string) error {
	switch format {
	case "table":
		return p.writeTable(w)
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(p)
	case "mermaid":
		return p.writeMermaid(w)
	}
	return fmt.Errorf("unknown format %q; use one of %s", format, strings.Join(Formats, ", "))
}

// group is the resources of one account and region.
type group struct {
	account, accountID, region string
	resources                  []Resource
}

func (g group) title() string {
	if g.account == "" {
		return "components and stack (no provider)"
	}
	return fmt.Sprintf("%s (%s) %s", g.account, g.accountID, g.region)
}

// groups splits the resources by account and region, components last.
func (p *Plan) groups() []group {
	index := map[string]int{}
	var gs []group
	for _, r := range p.Resources {
		k := r.AccountID + "/" + r.Region
		i, ok := index[k]
		if !ok {
			i = len(gs)
			index[k] = i
			gs = append(gs, group{account: r.Account, accountID: r.AccountID, region: r.Region})
		}
		gs[i].resources = append(gs[i].resources, r)
	}
	sort.SliceStable(gs, func(i, j int) bool {
		if (gs[i].account == "") != (gs[j].account == "") {
			return gs[j].account == ""
		}
		return gs[i].title() < gs[j].title()
	})
	for _, g := range gs {
		sort.SliceStable(g.resources, func(i, j int) bool {
			if g.resources[i].Type != g.resources[j].Type {
				return g.resources[i].Type < g.resources[j].Type
			}
			return g.resources[i].Name < g.resources[j].Name
		})
	}
	return gs
}

func (p *Plan) writeTable(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	var custom, components, providers int
	for _, g := range p.groups() {
		fmt.Fprintf(tw, "%s: %d resources\n", g.title(), len(g.resources))
		for _, r := range g.resources {
			fmt.Fprintf(tw, "  %s\t%s\n", r.Type, r.Name)
			switch {
			case r.IsProvider():
				providers++
			case r.Custom:
				custom++
			default:
				components++
			}
		}
		fmt.Fprintln(tw)
	}
	fmt.Fprintf(tw, "%d resources: %d AWS resources, %d components, %d providers\n", len(p.Resources), custom, components, providers)
	fmt.Fprintf(tw, "deploy footprint: %s\n", p.Footprint)
	return tw.Flush()
}

// writeMermaid draws accounts as subgraphs (regions nested inside), the
// components outside them, and an edge from each parent to its children.
func (p *Plan) writeMermaid(w io.Writer) error {
	ids := map[string]string{}
	for i, r := range p.Resources {
		ids[r.URN] = fmt.Sprintf("r%d", i)
	}
	var b strings.Builder
	b.WriteString("flowchart LR\n")
	node := func(indent string, r Resource) {
		shape := "%s%s[\"%s<br/>%s\"]\n"
		if !r.Custom {
			shape = "%s%s([\"%s<br/>%s\"])\n"
		}
		fmt.Fprintf(&b, shape, indent, ids[r.URN], shortType(r.Type), r.Name)
	}
	openAccount := ""
	for gi, g := range p.groups() {
		var shown []Resource
		for _, r := range g.resources {
			if !r.IsProvider() {
				shown = append(shown, r)
			}
		}
		if len(shown) == 0 {
			continue
		}
		if g.account != openAccount && openAccount != "" {
			b.WriteString("  end\n")
		}
		if g.account == "" {
			for _, r := range shown {
				node("  ", r)
			}
			openAccount = ""
			continue
		}
		if g.account != openAccount {
			fmt.Fprintf(&b, "  subgraph a%d[\"%s (%s)\"]\n", gi, g.account, g.accountID)
			openAccount = g.account
		}
		fmt.Fprintf(&b, "    subgraph g%d[\"%s\"]\n", gi, g.region)
		for _, r := range shown {
			node("      ", r)
		}
		b.WriteString("    end\n")
	}
	if openAccount != "" {
		b.WriteString("  end\n")
	}
	for _, r := range p.Resources {
		if parent, ok := ids[r.Parent]; ok && !r.IsProvider() {
			fmt.Fprintf(&b, "  %s --> %s\n", parent, ids[r.URN])
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// shortType turns "aws:s3/bucketV2:BucketV2" into "s3:BucketV2".
func shortType(t string) string {
	parts := strings.Split(t, ":")
	if len(parts) != 3 {
		return t
	}
	module, _, _ := strings.Cut(parts[1], "/")
	if parts[0] == "landingzone" {
		return parts[2]
	}
	return module + ":" + parts[2]
}

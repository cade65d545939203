package config

import (
	"fmt"
	"os"
	"slices"

	"gopkg.in/yaml.v3"

	"github.com/example/landing-zone-audit/components"
)

// PackSpec is one organization conformance pack of awsConfig.conformancePacks:
// a template shipped with the program or the stack's own file.
type PackSpec struct {
	Name             string            `json:"name"`
	Template         string            `json:"template"` // a shipped pack (components.ConformancePackTemplates)
	File             string            `json:"file"`     // a template file, relative to the project directory
	DeliveryBucket   string            `json:"deliveryBucket"`
	ExcludedAccounts []string          `json:"excludedAccounts"`
	Parameters       map[string]string `json:"parameters"`
}

// Pack is a conformance pack with its template read.
type Pack struct {
	Spec PackSpec
	Body string
	// Logical is "" for the stack's single pack (conformancePack), the pack's
	// name for each of conformancePacks.
	Logical string
}

// Packs returns the organization conformance packs: conformancePacks when
// the stack lists any, otherwise conformancePack when it is enabled.
func (c *Config) Packs() []Pack { return c.packs }

// readPacks resolves the packs' templates; problems name the key.
func (c *Config) readPacks(p *problems) {
	ac := c.AWSConfig
	if len(ac.ConformancePacks) == 0 {
		cp := ac.ConformancePack
		if !cp.Enabled {
			return
		}
		body, ok := components.ConformancePackTemplates[cp.Template]
		if !ok {
			p.add("awsConfig.conformancePack.template", "%q is not a pack shipped with the program; use one of %s", cp.Template, shippedPacks())
			return
		}
		c.packs = []Pack{{Spec: PackSpec{Name: c.ConformancePackName(), Template: cp.Template, DeliveryBucket: cp.DeliveryBucket, ExcludedAccounts: cp.ExcludedAccounts}, Body: body}}
		return
	}
	seen := map[string]bool{}
	for i, s := range ac.ConformancePacks {
		key := fmt.Sprintf("awsConfig.conformancePacks[%d]", i)
		if !packNamePattern.MatchString(s.Name) {
			p.add(key+".name", "%q is not a conformance pack name; use up to 51 letters, digits and hyphens, starting with a letter", s.Name)
		} else if seen[s.Name] {
			p.add(key+".name", "%q is used twice; give each pack its own name", s.Name)
		}
		seen[s.Name] = true
		var body string
		switch {
		case (s.Template == "") == (s.File == ""):
			p.add(key, "needs exactly one of template (a shipped pack: %s) and file (your own template)", shippedPacks())
			continue
		case s.Template != "":
			var ok bool
			if body, ok = components.ConformancePackTemplates[s.Template]; !ok {
				p.add(key+".template", "%q is not a pack shipped with the program; use one of %s", s.Template, shippedPacks())
				continue
			}
		default:
			data, err := os.ReadFile(s.File)
			if err != nil {
				p.add(key+".file", "cannot be read (%v); give a path relative to the project directory", err)
				continue
			}
			body = string(data)
			checkPackTemplate(p, key+".file", body)
		}
		c.validateAliases(p, key+".excludedAccounts", s.ExcludedAccounts)
		c.packs = append(c.packs, Pack{Spec: s, Body: body, Logical: s.Name})
	}
}

// checkPackTemplate checks a conformance pack template as AWS Config would:
// YAML with Resources, within the inline limit, AWS-owned rules that exist.
func checkPackTemplate(p *problems, key, body string) {
	if len(body) > components.MaxTemplateBodyBytes {
		p.add(key, "%d bytes is more than the %d an organization conformance pack takes inline (PutOrganizationConformancePack TemplateBody)", len(body), components.MaxTemplateBodyBytes)
	}
	var tmpl struct {
		Resources map[string]struct {
			Type       string `yaml:"Type"`
			Properties struct {
				Source struct {
					Owner            string `yaml:"Owner"`
					SourceIdentifier string `yaml:"SourceIdentifier"`
				} `yaml:"Source"`
			} `yaml:"Properties"`
		} `yaml:"Resources"`
	}
	if err := yaml.Unmarshal([]byte(body), &tmpl); err != nil || len(tmpl.Resources) == 0 {
		p.add(key, "is not a conformance pack template: a YAML document with Resources of AWS::Config::ConfigRule")
		return
	}
	ids := slices.Sorted(func(yield func(string) bool) {
		for id := range tmpl.Resources {
			if !yield(id) {
				return
			}
		}
	})
	for _, id := range ids {
		src := tmpl.Resources[id].Properties.Source
		if src.Owner != "AWS" {
			continue
		}
		if _, ok := ManagedRules[src.SourceIdentifier]; !ok {
			p.add(key, "rule %s: %q is not an AWS managed rule%s", id, src.SourceIdentifier, suggest(src.SourceIdentifier, managedRuleIdentifiers()))
		}
	}
}

func shippedPacks() string {
	names := slices.Sorted(func(yield func(string) bool) {
		for n := range components.ConformancePackTemplates {
			if !yield(n) {
				return
			}
		}
	})
	return fmt.Sprint(names)
}

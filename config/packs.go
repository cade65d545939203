package config

import (
	"fmt"
	"maps"
	"os"
	"slices"
	"strings"

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
	// Rules are the template's Config rules.
	Rules []PackRule
}

// PackRule is a Config rule of a pack template with the resource types it
// evaluates: its Scope, or for an AWS managed rule without one, AWS's scope.
type PackRule struct {
	Resource, Identifier string
	ResourceTypes        []string
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
		rules := packRules(p, "awsConfig.conformancePack.template", body)
		c.packs = []Pack{{Spec: PackSpec{Name: c.ConformancePackName(), Template: cp.Template, DeliveryBucket: cp.DeliveryBucket, ExcludedAccounts: cp.ExcludedAccounts}, Body: body, Rules: rules}}
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
		var body, bodyKey string
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
			bodyKey = key + ".template"
		default:
			data, err := os.ReadFile(s.File)
			if err != nil {
				p.add(key+".file", "cannot be read (%v); give a path relative to the project directory", err)
				continue
			}
			body, bodyKey = string(data), key+".file"
		}
		rules := packRules(p, bodyKey, body)
		c.validateAliases(p, key+".excludedAccounts", s.ExcludedAccounts)
		c.packs = append(c.packs, Pack{Spec: s, Body: body, Logical: s.Name, Rules: rules})
	}
	if len(c.packs) > components.MaxConformancePacksPerAccount {
		p.add("awsConfig.conformancePacks", "lists %d packs; an account holds at most %d conformance packs (AWS Config service limits); merge some", len(c.packs), components.MaxConformancePacksPerAccount)
	}
}

// packRules checks a conformance pack template as AWS Config would — YAML
// with Resources, within the inline size and rules-per-pack limits, AWS-owned
// rules that exist — and returns its rules.
func packRules(p *problems, key, body string) []PackRule {
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
				Scope struct {
					ComplianceResourceTypes yaml.Node `yaml:"ComplianceResourceTypes"`
				} `yaml:"Scope"`
			} `yaml:"Properties"`
		} `yaml:"Resources"`
	}
	if err := yaml.Unmarshal([]byte(body), &tmpl); err != nil || len(tmpl.Resources) == 0 {
		p.add(key, "is not a conformance pack template: a YAML document with Resources of AWS::Config::ConfigRule")
		return nil
	}
	var rules []PackRule
	for _, id := range slices.Sorted(maps.Keys(tmpl.Resources)) {
		r := tmpl.Resources[id]
		if r.Type != "AWS::Config::ConfigRule" {
			continue
		}
		src := r.Properties.Source
		rule := PackRule{Resource: id, Identifier: src.SourceIdentifier, ResourceTypes: scalars(r.Properties.Scope.ComplianceResourceTypes)}
		for _, t := range rule.ResourceTypes {
			if !ResourceTypes[t] {
				p.add(key, "rule %s: Scope names %q, which is not a resource type AWS Config records%s", id, t, suggestType(t))
			}
		}
		if src.Owner == "AWS" {
			if _, ok := ManagedRules[src.SourceIdentifier]; !ok {
				p.add(key, "rule %s: %q is not an AWS managed rule%s", id, src.SourceIdentifier, suggest(src.SourceIdentifier, managedRuleIdentifiers()))
			}
			if len(rule.ResourceTypes) == 0 {
				rule.ResourceTypes = managedRuleResourceTypes[src.SourceIdentifier]
			}
		}
		rules = append(rules, rule)
	}
	if len(rules) > components.MaxRulesPerConformancePack {
		p.add(key, "has %d rules; a conformance pack holds at most %d (AWS Config service limits); split it into packs", len(rules), components.MaxRulesPerConformancePack)
	}
	return rules
}

// scalars are the plain strings of a YAML sequence (an intrinsic function
// such as !Ref yields none).
func scalars(n yaml.Node) []string {
	if n.Kind != yaml.SequenceNode {
		return nil
	}
	var out []string
	for _, item := range n.Content {
		if item.Kind == yaml.ScalarNode && item.Tag == "!!str" {
			out = append(out, item.Value)
		}
	}
	return out
}

// Warnings are what a deploy goes ahead with but the stack should know: a
// rule evaluating resource types that awsConfig.recording does not record
// reports nothing for them (AWS Config evaluates recorded configuration
// items only). Each names the key, the rule and the types.
func (c *Config) Warnings() []string {
	excluded := c.EffectiveRecording().ExcludedResourceTypes
	var out []string
	check := func(key, rule string, types []string) {
		var missing []string
		for _, t := range types {
			if slices.Contains(excluded, t) {
				missing = append(missing, t)
			}
		}
		if len(missing) > 0 {
			out = append(out, fmt.Sprintf("%s:%s: rule %s evaluates %s, which awsConfig.recording does not record (excludedResourceTypes or its preset); the rule reports nothing for them",
				c.Project, key, rule, strings.Join(missing, ", ")))
		}
	}
	for i, r := range c.AWSConfig.Rules {
		check(fmt.Sprintf("awsConfig.rules[%d]", i), r.Identifier, managedRuleResourceTypes[r.Identifier])
	}
	for i, pk := range c.packs {
		key := fmt.Sprintf("awsConfig.conformancePacks[%d]", i)
		if pk.Logical == "" {
			key = "awsConfig.conformancePack"
		}
		for _, r := range pk.Rules {
			check(key, fmt.Sprintf("%s (%s)", r.Resource, r.Identifier), r.ResourceTypes)
		}
	}
	out = append(out, c.suppressionWarnings()...)
	out = append(out, c.cloudTrailLakeWarnings()...)
	return append(out, c.memberWarnings()...)
}

// memberWarnings name the services whose existing members only the listed
// accounts are: in StackSet mode the accounts of the StackSet's OUs are
// not listed, and auto-enable covers only accounts that join later.
func (c *Config) memberWarnings() []string {
	if c.MemberBaseline != BaselineStackSet {
		return nil
	}
	var out []string
	for _, svc := range []struct {
		key string
		on  bool
	}{{"inspector", c.Inspector.Enabled}, {"detective", c.Detective.Enabled}, {"macie", c.Macie.Enabled}} {
		if svc.on {
			out = append(out, fmt.Sprintf("%s:%s: enabled in StackSet mode: only the accounts under accounts are enabled now; accounts already in the StackSet's OUs are enabled only once listed (auto-enable covers accounts that join later)", c.Project, svc.key))
		}
	}
	return out
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

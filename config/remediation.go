package config

import (
	"fmt"
	"slices"
	"strings"

	"github.com/example/landing-zone-audit/components"
)

// Remediation switches on automatic remediation in the conformance packs
// (key awsConfig.remediation), for rules on components.SafeRemediations only.
type Remediation struct {
	Enabled bool `json:"enabled"`
	// Rules are managed rule identifiers; none means every rule on the safe
	// list that the packs hold.
	Rules                    []string `json:"rules"`
	MaximumAutomaticAttempts int      `json:"maximumAutomaticAttempts"`
	RetryAttemptSeconds      int      `json:"retryAttemptSeconds"`
}

func defaultRemediation() Remediation {
	return Remediation{MaximumAutomaticAttempts: 5, RetryAttemptSeconds: 60}
}

// Limits of PutRemediationConfigurations: 1–25 attempts, a retry period of
// at most 2,678,000 seconds.
const (
	maxRemediationAttempts     = 25
	maxRemediationRetrySeconds = 2678000
)

// RemediationRules are the rules remediated: the listed ones, or every safe
// one in the packs.
func (c *Config) RemediationRules() []string {
	r := c.AWSConfig.Remediation
	if !r.Enabled {
		return nil
	}
	if len(r.Rules) > 0 {
		return r.Rules
	}
	var out []string
	for _, pk := range c.packs {
		for _, rule := range pk.Rules {
			if _, ok := components.SafeRemediations[rule.Identifier]; ok && !slices.Contains(out, rule.Identifier) {
				out = append(out, rule.Identifier)
			}
		}
	}
	slices.Sort(out)
	return out
}

// RemediationSettings are how the packs' remediations run.
func (c *Config) RemediationSettings() components.RemediationSettings {
	r := c.AWSConfig.Remediation
	return components.RemediationSettings{
		Rules: c.RemediationRules(), Attempts: r.MaximumAutomaticAttempts, RetrySeconds: r.RetryAttemptSeconds,
		RoleName: c.Names().RemediationRole(),
	}
}

func safeList() string { return strings.Join(sortedKeys(components.SafeRemediations), ", ") }

// applyRemediation checks the remediation settings and adds the
// remediations to the packs' templates, checking them again against the
// inline template limit.
func (c *Config) applyRemediation(p *problems) {
	r := c.AWSConfig.Remediation
	if !r.Enabled {
		return
	}
	if r.MaximumAutomaticAttempts < 1 || r.MaximumAutomaticAttempts > maxRemediationAttempts {
		p.add("awsConfig.remediation.maximumAutomaticAttempts", "%d is outside AWS Config's 1 to %d", r.MaximumAutomaticAttempts, maxRemediationAttempts)
	}
	if r.RetryAttemptSeconds < 1 || r.RetryAttemptSeconds > maxRemediationRetrySeconds {
		p.add("awsConfig.remediation.retryAttemptSeconds", "%d is outside AWS Config's 1 to %d seconds", r.RetryAttemptSeconds, maxRemediationRetrySeconds)
	}
	if c.ControlTower.Enabled {
		p.add("awsConfig.remediation", "needs the automation role in every member account, which this stack creates only with the recorders it deploys; Control Tower owns those")
	}
	applied := map[string]bool{}
	settings := c.RemediationSettings()
	for i := range c.packs {
		body, done, err := components.WithRemediation(c.packs[i].Body, settings)
		if err != nil {
			continue // packRules has named the template's problem
		}
		if len(body) > components.MaxTemplateBodyBytes {
			p.add("awsConfig.remediation", "pack %s is %d bytes with its remediations, more than the %d an organization conformance pack takes inline; remediate fewer rules", c.packs[i].Spec.Name, len(body), components.MaxTemplateBodyBytes)
		}
		c.packs[i].Body = body
		c.packs[i].Remediated = done
		for _, d := range done {
			applied[d] = true
		}
	}
	for i, id := range r.Rules {
		key := fmt.Sprintf("awsConfig.remediation.rules[%d]", i)
		switch _, safe := components.SafeRemediations[id]; {
		case !safe:
			p.add(key, "%q has no remediation this program runs automatically; those are %s", id, safeList())
		case !applied[id]:
			p.add(key, "%q is in none of the conformance packs; add it to a pack or remove it", id)
		}
	}
}

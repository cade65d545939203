package config

import (
	"fmt"
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

// RemediationRules are the rules remediated: the listed ones, or the whole
// safe list.
func (c *Config) RemediationRules() []string {
	r := c.AWSConfig.Remediation
	switch {
	case !r.Enabled:
		return nil
	case len(r.Rules) > 0:
		return r.Rules
	}
	return sortedKeys(components.SafeRemediations)
}

// RemediationSettings are which rules are remediated, and how.
func (c *Config) RemediationSettings() components.RemediationSettings {
	r := c.AWSConfig.Remediation
	return components.RemediationSettings{
		Rules: c.RemediationRules(), Attempts: r.MaximumAutomaticAttempts, RetrySeconds: r.RetryAttemptSeconds,
		RoleName: c.Names().RemediationRole(), Prefix: c.ResourcePrefix,
	}
}

func safeList() string { return strings.Join(sortedKeys(components.SafeRemediations), ", ") }

// validateRemediation checks the remediation settings.
func (c *Config) validateRemediation(p *problems) {
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
	if !c.AWSConfig.Enabled {
		p.add("awsConfig.remediation", "AWS Config is off (awsConfig.enabled: false), so there is no rule to remediate; remove it or switch AWS Config on")
	}
	if c.ControlTower.Enabled {
		p.add("awsConfig.remediation", "needs a rule and the automation role in every member account, which this stack creates only with the recorders it deploys; Control Tower owns those")
	}
	for i, id := range r.Rules {
		if _, safe := components.SafeRemediations[id]; !safe {
			p.add(fmt.Sprintf("awsConfig.remediation.rules[%d]", i), "%q has no remediation this program runs automatically; those are %s", id, safeList())
		}
	}
}

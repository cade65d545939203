package config

import (
	"slices"
	"strings"

	"github.com/example/landing-zone-audit/components"
)

// Macie configures Amazon Macie across the organization (key macie).
type Macie struct {
	Enabled                    bool   `json:"enabled"`
	FindingPublishingFrequency string `json:"findingPublishingFrequency"`
}

// validateMacie checks macie.
func (c *Config) validateMacie(p *problems) {
	if m := c.Macie; !slices.Contains(components.MacieFrequencies, m.FindingPublishingFrequency) {
		p.add("macie.findingPublishingFrequency", "%q is not a frequency Macie accepts; use one of %s", m.FindingPublishingFrequency, strings.Join(components.MacieFrequencies, ", "))
	}
	if c.Macie.Enabled {
		c.requireMemberEmails(p, "macie", "Macie")
	}
}

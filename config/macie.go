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
	// DiscoveryResults keeps the sensitive data discovery results in a
	// bucket of the security account for DiscoveryResultsDays.
	DiscoveryResults     bool `json:"discoveryResults"`
	DiscoveryResultsDays int  `json:"discoveryResultsDays"`
}

func defaultMacie() Macie {
	return Macie{FindingPublishingFrequency: "FIFTEEN_MINUTES", DiscoveryResultsDays: 365}
}

// validateMacie checks macie.
func (c *Config) validateMacie(p *problems) {
	if m := c.Macie; !slices.Contains(components.MacieFrequencies, m.FindingPublishingFrequency) {
		p.add("macie.findingPublishingFrequency", "%q is not a frequency Macie accepts; use one of %s", m.FindingPublishingFrequency, strings.Join(components.MacieFrequencies, ", "))
	}
	if !c.Macie.Enabled {
		if c.Macie.DiscoveryResults {
			p.add("macie.discoveryResults", "set with macie.enabled false, so no Macie would store results; switch Macie on or discoveryResults off")
		}
		return
	}
	c.requireMemberEmails(p, "macie", "Macie")
	if !c.Macie.DiscoveryResults {
		return
	}
	validateDays(p, "macie.discoveryResultsDays", c.Macie.DiscoveryResultsDays, false)
	// Results of a region enabled by default go to a bucket in such a
	// region (Macie user guide, "Storing and retaining sensitive data
	// discovery results"); the bucket is in the home region.
	if slices.Contains(OptInRegions, c.HomeRegion) && len(c.GovernedRegions) > 1 {
		p.add("macie.discoveryResults", "the results bucket would be in %s, an opt-in region, and Macie writes the results of other regions only to a bucket in a region enabled by default; make a region enabled by default the home region, or switch discoveryResults off", c.HomeRegion)
	}
}

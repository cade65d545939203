package config

import (
	"fmt"
	"slices"
	"strings"

	"github.com/example/landing-zone-audit/components"
)

// SecurityHub configures organization-wide Security Hub (key securityHub).
type SecurityHub struct {
	Enabled bool `json:"enabled"`
	// Targets are the root (r-…) or OUs (ou-…) the configuration policy is associated with.
	Targets          []string `json:"targets"`
	CISVersion       string   `json:"cisVersion"`
	DisabledControls []string `json:"disabledControls"`
	// AlertMinSeverity is the lowest severity label that alerts.
	AlertMinSeverity string `json:"alertMinSeverity"`
}

// CISVersions are the CIS AWS Foundations Benchmark versions Security Hub offers as standards.
var CISVersions = []string{"1.4.0", "3.0.0"}

func defaultSecurityHub() SecurityHub {
	return SecurityHub{Enabled: true, CISVersion: "3.0.0", AlertMinSeverity: "HIGH"}
}

// validateSecurityHub checks securityHub.
func (c *Config) validateSecurityHub(p *problems) {
	sh := c.SecurityHub
	// The home region is Security Hub's aggregation (home) Region, which
	// central configuration needs, and Security Hub refuses a Region that is
	// disabled by default there (Security Hub user guide, "Enabling
	// cross-Region aggregation"). The home region's other roles (trail
	// bucket, Config aggregator and global types, CloudTrail Lake, a Security
	// Lake rollup) accept an opt-in region once it is enabled.
	if sh.Enabled && slices.Contains(OptInRegions, c.HomeRegion) {
		var usable []string
		for _, r := range c.GovernedRegions {
			if !slices.Contains(OptInRegions, r) {
				usable = append(usable, r)
			}
		}
		fix := "make a region enabled by default the homeRegion (none is governed yet: add one, e.g. eu-west-1, to governedRegions) and keep " + c.HomeRegion + " governed"
		if len(usable) > 0 {
			fix = "make a governed region enabled by default the homeRegion (" + strings.Join(usable, ", ") + ") and keep " + c.HomeRegion + " governed"
		}
		p.add("homeRegion", "%q is an opt-in region (disabled by default), and Security Hub refuses such a region as its home region for cross-region aggregation and central configuration, which this stack sets up in homeRegion; %s, or switch Security Hub off (securityHub.enabled: false)", c.HomeRegion, fix)
	}
	if sh.Enabled {
		for i, t := range sh.Targets {
			if why := ouIDProblem(t); why != "" {
				p.add(fmt.Sprintf("securityHub.targets[%d]", i), "%s", why)
			}
		}
	}
	if !slices.Contains(CISVersions, sh.CISVersion) {
		p.add("securityHub.cisVersion", "%q is not offered; use one of %s", sh.CISVersion, strings.Join(CISVersions, ", "))
	}
	if !slices.Contains(components.SeverityLabels, sh.AlertMinSeverity) {
		p.add("securityHub.alertMinSeverity", "%q is not a severity label; use one of %s", sh.AlertMinSeverity, strings.Join(components.SeverityLabels, ", "))
	}
	for i, id := range sh.DisabledControls {
		if !securityControlPattern.MatchString(id) {
			p.add(fmt.Sprintf("securityHub.disabledControls[%d]", i), "%q is not a security control ID; write it as Service.N, e.g. IAM.6", id)
		}
	}
}

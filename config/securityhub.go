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

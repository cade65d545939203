package config

import (
	"net/url"
	"slices"
	"strings"

	"github.com/example/landing-zone-audit/components"
)

// Paging sends the most severe findings to a paging service (key paging):
// an HTTPS subscription of a per-region topic in the security account.
type Paging struct {
	// URL is the paging service's integration URL (PagerDuty, Opsgenie):
	// a credential, so it must be stored as a secret.
	URL                    string  `json:"url"`
	GuardDutyMinSeverity   float64 `json:"guardDutyMinSeverity"`
	SecurityHubMinSeverity string  `json:"securityHubMinSeverity"`
}

func defaultPaging() Paging {
	return Paging{GuardDutyMinSeverity: 8, SecurityHubMinSeverity: "CRITICAL"}
}

// Pages reports whether a paging URL is configured.
func (c *Config) Pages() bool { return c.Paging.URL != "" }

func (c *Config) validatePaging(p *problems) {
	g := c.Paging
	if g.GuardDutyMinSeverity < 1 || g.GuardDutyMinSeverity > 10 {
		p.add("paging.guardDutyMinSeverity", "%v is outside GuardDuty's 1.0 to 10.0 scale; use 8 for the upper High and Critical findings", g.GuardDutyMinSeverity)
	}
	if !slices.Contains(components.SeverityLabels, g.SecurityHubMinSeverity) {
		p.add("paging.securityHubMinSeverity", "%q is not a severity label; use one of %s", g.SecurityHubMinSeverity, strings.Join(components.SeverityLabels, ", "))
	}
	if g.URL == "" {
		return
	}
	// Offline a secret reads as SecretPlaceholder: only its being secret is checked.
	offline := c.Secret["paging"] && g.URL == SecretPlaceholder
	if u, err := url.Parse(g.URL); !offline && (err != nil || u.Scheme != "https" || u.Host == "") {
		p.add("paging.url", "not an https:// URL; use the integration URL the paging service gives for Amazon SNS or EventBridge")
	}
	if !c.Secret["paging"] {
		p.add("paging.url", "is in plain text, but an integration URL lets anyone raise pages; store it as a secret: pulumi config set --secret --path paging.url URL")
	}
	if !c.DeploysAlertTopics() {
		p.add("paging.url", "GuardDuty and Security Hub are off, so nothing would page; remove it")
	}
}

package config

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/example/landing-zone-audit/components"
)

// Suppression is one expected kind of finding, archived or suppressed
// instead of alerting (key suppressions): reviewed like any change, with a
// reason and, optionally, a date after which it must be looked at again.
type Suppression struct {
	Name    string `json:"name"`
	Reason  string `json:"reason"`
	Expires string `json:"expires"`
	// Accounts (aliases) limits it to those accounts; none is every account.
	Accounts              []string `json:"accounts"`
	GuardDutyFindingTypes []string `json:"guardDutyFindingTypes"`
	SecurityHubControls   []string `json:"securityHubControls"`
}

// suppressionNamePattern fits both a GuardDuty filter name (3–64
// letters, digits, - . _) and a Security Hub automation rule name.
var suppressionNamePattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]{2,63}$`)

// maxReasonLength keeps "reason (expires date)" within a GuardDuty
// filter's 512-character description.
const maxReasonLength = 480

// expiryWarningDays is how long before its expiry a suppression warns.
const expiryWarningDays = 30

// today is the date suppressions expire against.
var today = func() time.Time { return time.Now().UTC().Truncate(24 * time.Hour) }

// Suppressions are the suppressions as the components take them.
func (c *Config) Suppressions() []components.Suppression {
	var out []components.Suppression
	for _, s := range c.SuppressionsConfig {
		desc := s.Reason
		if s.Expires != "" {
			desc += " (expires " + s.Expires + ")"
		}
		out = append(out, components.Suppression{
			Name: s.Name, Description: desc, AccountIDs: c.AccountIDsOf(s.Accounts),
			FindingTypes: s.GuardDutyFindingTypes, ControlIDs: s.SecurityHubControls,
		})
	}
	return out
}

func (c *Config) validateSuppressions(p *problems) {
	var filters, rules int
	seen := map[string]bool{}
	for i, s := range c.SuppressionsConfig {
		key := fmt.Sprintf("suppressions[%d]", i)
		switch {
		case !suppressionNamePattern.MatchString(s.Name):
			p.add(key+".name", "%q is not a suppression name; use 3–64 letters, digits, -, . or _", s.Name)
		case seen[s.Name]:
			p.add(key+".name", "%q names two suppressions; give each its own name", s.Name)
		}
		seen[s.Name] = true
		switch reason := strings.TrimSpace(s.Reason); {
		case reason == "":
			p.add(key+".reason", "required: say why these findings are expected, so a reviewer can judge the suppression")
		case len(reason) > maxReasonLength:
			p.add(key+".reason", "%d characters; keep it under %d (GuardDuty filter descriptions hold 512)", len(reason), maxReasonLength)
		}
		if s.Expires != "" {
			switch day, err := time.Parse(time.DateOnly, s.Expires); {
			case err != nil:
				p.add(key+".expires", "%q is not a date; write it as YYYY-MM-DD", s.Expires)
			case day.Before(today()):
				p.add(key+".expires", "%s has passed; review the suppression, then extend expires or remove it", s.Expires)
			}
		}
		if len(s.GuardDutyFindingTypes) == 0 && len(s.SecurityHubControls) == 0 {
			p.add(key, "suppresses nothing; list guardDutyFindingTypes or securityHubControls")
		}
		for j, t := range s.GuardDutyFindingTypes {
			if !findingTypePattern.MatchString(t) {
				p.add(fmt.Sprintf("%s.guardDutyFindingTypes[%d]", key, j), "%q is not a GuardDuty finding type; write it as GuardDuty names it, e.g. Recon:EC2/PortProbeUnprotectedPort", t)
			}
		}
		for j, id := range s.SecurityHubControls {
			if !securityControlPattern.MatchString(id) {
				p.add(fmt.Sprintf("%s.securityHubControls[%d]", key, j), "%q is not a security control ID; write it as Service.N, e.g. EC2.19", id)
			}
		}
		if len(s.GuardDutyFindingTypes) > 0 {
			filters++
			if !c.GuardDuty.Enabled {
				p.add(key+".guardDutyFindingTypes", "GuardDuty is off (guardDuty.enabled: false); remove them")
			}
		}
		if len(s.SecurityHubControls) > 0 {
			rules++
			if !c.SecurityHub.Enabled {
				p.add(key+".securityHubControls", "Security Hub is off (securityHub.enabled: false); remove them")
			}
		}
		for j, alias := range s.Accounts {
			if _, ok := c.Accounts[alias]; !ok {
				p.add(fmt.Sprintf("%s.accounts[%d]", key, j), "%q is not an alias under accounts; use one of %s", alias, strings.Join(c.Aliases(), ", "))
			}
		}
	}
	if filters > components.MaxGuardDutyFilters {
		p.add("suppressions", "%d GuardDuty filters; GuardDuty allows %d per account and region: merge suppressions", filters, components.MaxGuardDutyFilters)
	}
	if rules > components.MaxSecurityHubAutomations {
		p.add("suppressions", "%d Security Hub automation rules; Security Hub allows %d: merge suppressions", rules, components.MaxSecurityHubAutomations)
	}
}

// suppressionWarnings name the suppressions that expire soon.
func (c *Config) suppressionWarnings() []string {
	var out []string
	for i, s := range c.SuppressionsConfig {
		day, err := time.Parse(time.DateOnly, s.Expires)
		if err != nil || day.Before(today()) {
			continue
		}
		if days := int(day.Sub(today()).Hours() / 24); days <= expiryWarningDays {
			out = append(out, fmt.Sprintf("%s:suppressions[%d]: %s expires on %s, in %d days; review it, then extend expires or remove it", c.Project, i, s.Name, s.Expires, days))
		}
	}
	return slices.Clip(out)
}

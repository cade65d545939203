package config

import (
	"maps"
	"regexp"
	"slices"
	"strings"

	"github.com/example/landing-zone-audit/components"
)

// Adopt names what already exists in the organization and is imported
// rather than created (key adopt): AWS allows one detector, recorder,
// delivery channel and hub per account and region, so creating a second
// fails the first `pulumi up`.
type Adopt struct {
	// GuardDutyDetectors are existing detector IDs: alias → region → ID.
	GuardDutyDetectors map[string]map[string]string `json:"guardDutyDetectors"`
	// ConfigRecorders are existing recorders (and their delivery
	// channels): alias → region → names.
	ConfigRecorders map[string]map[string]AdoptedRecorder `json:"configRecorders"`
	// SecurityHub says Security Hub is already enabled in the security
	// account's home region.
	SecurityHub bool `json:"securityHub"`
}

// AdoptedRecorder names an existing recorder and, if it has one, its
// delivery channel.
type AdoptedRecorder struct {
	Recorder        string `json:"recorder"`
	DeliveryChannel string `json:"deliveryChannel"`
}

// detectorIDPattern is a GuardDuty detector ID (API_CreateDetector: 1–300
// characters; in practice 32 lowercase hexadecimal digits).
var detectorIDPattern = regexp.MustCompile(`^[0-9a-f]{32}$`)

// recorderNamePattern is a Config recorder or delivery channel name
// (API_ConfigurationRecorder: 1–256 characters).
var recorderNamePattern = regexp.MustCompile(`^[\w.\-]{1,256}$`)

// ExistingDetectors are the adopted detectors of an account, by region.
func (c *Config) ExistingDetectors(alias string) map[string]string {
	return c.Adopt.GuardDutyDetectors[alias]
}

// ExistingRecorders are the adopted recorders of an account, by region.
func (c *Config) ExistingRecorders(alias string) map[string]components.ExistingRecorder {
	out := map[string]components.ExistingRecorder{}
	for region, r := range c.Adopt.ConfigRecorders[alias] {
		out[region] = components.ExistingRecorder{Recorder: r.Recorder, DeliveryChannel: r.DeliveryChannel}
	}
	return out
}

// detectorAliases are the accounts the stack creates GuardDuty detectors in.
func (c *Config) detectorAliases() []string {
	switch {
	case !c.GuardDuty.Enabled:
		return nil
	case c.GuardDuty.Mode == components.GuardDutyInvitation:
		return c.DirectAliases()
	}
	return []string{Management, Security}
}

// validateAdopt checks every adoption names an account and region where the
// stack creates that resource, once.
func (c *Config) validateAdopt(p *problems) {
	seen := map[string]string{}
	for _, alias := range sortedKeys(c.Adopt.GuardDutyDetectors) {
		key := "adopt.guardDutyDetectors." + alias
		if !c.adoptable(p, key, alias, c.detectorAliases(),
			"the stack creates no detector there: in organization mode GuardDuty's auto-enable makes a member's existing detector a member as it is") {
			continue
		}
		for _, region := range sortedKeys(c.Adopt.GuardDutyDetectors[alias]) {
			id := c.Adopt.GuardDutyDetectors[alias][region]
			rkey := key + "." + region
			if !c.governed(p, rkey, region) {
				continue
			}
			switch {
			case !detectorIDPattern.MatchString(id):
				p.add(rkey, "%q is not a detector ID; find it with `aws guardduty list-detectors --region %s` in that account (32 hexadecimal digits)", id, region)
			case seen[id] != "":
				p.add(rkey, "detector %s is also adopted as %s; a detector belongs to one account and region, so remove the wrong one", id, seen[id])
			default:
				seen[id] = rkey
			}
		}
	}
	for _, alias := range sortedKeys(c.Adopt.ConfigRecorders) {
		key := "adopt.configRecorders." + alias
		if !c.adoptable(p, key, alias, c.RecorderAliases(),
			"the stack creates no recorder there (StackSet mode, Control Tower or awsConfig.enabled: false)") {
			continue
		}
		for _, region := range sortedKeys(c.Adopt.ConfigRecorders[alias]) {
			r := c.Adopt.ConfigRecorders[alias][region]
			rkey := key + "." + region
			if !c.governed(p, rkey, region) {
				continue
			}
			if !recorderNamePattern.MatchString(r.Recorder) {
				p.add(rkey+".recorder", "%q is not a recorder name; find it with `aws configservice describe-configuration-recorders --region %s` in that account", r.Recorder, region)
			}
			if r.DeliveryChannel != "" && !recorderNamePattern.MatchString(r.DeliveryChannel) {
				p.add(rkey+".deliveryChannel", "%q is not a delivery channel name; find it with `aws configservice describe-delivery-channels --region %s`", r.DeliveryChannel, region)
			}
		}
	}
	if c.Adopt.SecurityHub && !c.SecurityHub.Enabled {
		p.add("adopt.securityHub", "Security Hub is off (securityHub.enabled: false), so there is nothing to adopt; remove it or switch Security Hub on")
	}
}

// adoptable reports whether alias is an account where the stack creates the
// adopted resource, adding a problem if not.
func (c *Config) adoptable(p *problems, key, alias string, creates []string, why string) bool {
	if _, ok := c.Accounts[alias]; !ok {
		p.add(key, "%q is not an alias under accounts; use one of %s", alias, strings.Join(c.Aliases(), ", "))
		return false
	}
	if !slices.Contains(creates, alias) {
		p.add(key, "%s; remove it", why)
		return false
	}
	return true
}

// governed reports whether region is governed, adding a problem if not.
func (c *Config) governed(p *problems, key, region string) bool {
	if slices.Contains(c.GovernedRegions, region) {
		return true
	}
	p.add(key, "%q is not a governed region; adopt only in governedRegions (%s)", region, strings.Join(c.GovernedRegions, ", "))
	return false
}

func sortedKeys[V any](m map[string]V) []string { return slices.Sorted(maps.Keys(m)) }

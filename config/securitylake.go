package config

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/example/landing-zone-audit/components"
)

// SecurityLake configures Amazon Security Lake (key securityLake): the
// organization's data lake in one account, fed from every account.
type SecurityLake struct {
	Enabled bool `json:"enabled"`
	// Account is the alias of the delegated administrator that holds the lake.
	Account string `json:"account"`
	// RollupRegion, when set, receives a copy of every other governed region's data.
	RollupRegion   string                   `json:"rollupRegion"`
	Sources        []string                 `json:"sources"`
	ExpirationDays int                      `json:"expirationDays"`
	Transitions    []SecurityLakeTransition `json:"transitions"`
	Subscribers    []SecurityLakeSubscriber `json:"subscribers"`
}

// SecurityLakeTransition moves the lake's objects to another S3 storage class.
type SecurityLakeTransition struct {
	Days         int    `json:"days"`
	StorageClass string `json:"storageClass"`
}

// SecurityLakeSubscriber gives another account access to some sources.
type SecurityLakeSubscriber struct {
	Name       string   `json:"name"`
	AccountID  string   `json:"accountId"`
	ExternalID string   `json:"externalId"`
	AccessType string   `json:"accessType"`
	Sources    []string `json:"sources"`
	// Notification is how an S3 subscriber learns of new objects: "" for
	// not at all, or sqs.
	Notification string `json:"notification"`
}

func defaultSecurityLake() SecurityLake {
	return SecurityLake{
		Account:        LogArchive,
		Sources:        []string{"CLOUD_TRAIL_MGMT", "VPC_FLOW", "ROUTE53", "SH_FINDINGS"},
		ExpirationDays: 365,
		Transitions:    []SecurityLakeTransition{{Days: 30, StorageClass: "STANDARD_IA"}},
		Subscribers:    []SecurityLakeSubscriber{},
	}
}

var (
	subscriberNamePattern = regexp.MustCompile(`^[a-z][a-z0-9-]*$`)
	externalIDPattern     = regexp.MustCompile(`^[\w+=,.@:/-]+$`) // STS AssumeRole ExternalId, 2 to 1224 of these
)

// validateSecurityLake checks securityLake against what Security Lake and
// S3 accept.
func (c *Config) validateSecurityLake(p *problems) {
	l := c.SecurityLake
	if !l.Enabled {
		return
	}
	switch _, ok := c.Accounts[l.Account]; {
	case !ok:
		p.add("securityLake.account", "%q is not an alias under accounts; name the account that holds the data lake (default %s)", l.Account, LogArchive)
	case l.Account == Management:
		p.add("securityLake.account", "Security Lake's delegated administrator cannot be the management account; use %s or a dedicated account", LogArchive)
	}
	if l.RollupRegion != "" && !slices.Contains(c.GovernedRegions, l.RollupRegion) {
		p.add("securityLake.rollupRegion", "%q is not a governed region; use one of %s, or \"\" for none", l.RollupRegion, strings.Join(c.GovernedRegions, ", "))
	} else if l.RollupRegion != "" && len(c.GovernedRegions) == 1 {
		p.add("securityLake.rollupRegion", "only one region is governed, so there is nothing to roll up; use \"\"")
	}
	validateSecurityLakeSources(p, "securityLake.sources", l.Sources, components.SecurityLakeSources)
	if len(l.Sources) == 0 {
		p.add("securityLake.sources", "empty; list at least one of %s", strings.Join(components.SecurityLakeSources, ", "))
	}
	if slices.Contains(l.Sources, "SH_FINDINGS") && !c.SecurityHub.Enabled {
		p.add("securityLake.sources", "SH_FINDINGS collects Security Hub findings, and securityHub.enabled is false; remove it or switch Security Hub on")
	}
	c.validateSecurityLakeLifecycle(p)
	seen := map[string]bool{}
	for i, s := range l.Subscribers {
		key := fmt.Sprintf("securityLake.subscribers[%d]", i)
		if !subscriberNamePattern.MatchString(s.Name) || len(s.Name) > components.MaxSecurityLakeSubscriberName {
			p.add(key+".name", "%q is not a subscriber name; use up to %d lower-case letters, digits and hyphens, starting with a letter", s.Name, components.MaxSecurityLakeSubscriberName)
		} else if seen[s.Name] {
			p.add(key+".name", "%q is listed twice; give each subscriber its own name", s.Name)
		}
		seen[s.Name] = true
		if !accountIDPattern.MatchString(s.AccountID) {
			p.add(key+".accountId", "%q is not an account ID; use the subscriber's 12 digits", s.AccountID)
		}
		if !externalIDPattern.MatchString(s.ExternalID) || len(s.ExternalID) < 2 || len(s.ExternalID) > 1224 {
			p.add(key+".externalId", "required: the external ID the subscriber passes when it assumes its role, 2 to 1224 of letters, digits and _+=,.@:/-")
		}
		if !slices.Contains(components.SecurityLakeAccessTypes, s.AccessType) {
			p.add(key+".accessType", "%q is not an access type; use S3 (the objects) or LAKEFORMATION (queries)", s.AccessType)
		}
		switch {
		case s.Notification != "" && s.Notification != "sqs":
			p.add(key+".notification", "%q is not supported; use sqs (a queue Security Lake creates, which the subscriber polls) or \"\" for none", s.Notification)
		case s.Notification == "sqs" && s.AccessType != "S3":
			p.add(key+".notification", "sqs tells an S3 subscriber of new objects; a %s subscriber queries instead, so remove it", s.AccessType)
		}
		validateSecurityLakeSources(p, key+".sources", s.Sources, l.Sources)
		if len(s.Sources) == 0 {
			p.add(key+".sources", "empty; list the sources the subscriber reads, from securityLake.sources")
		}
	}
}

// validateSecurityLakeSources refuses a source outside known and a repeat.
func validateSecurityLakeSources(p *problems, key string, sources, known []string) {
	for i, s := range sources {
		if !slices.Contains(known, s) {
			p.add(fmt.Sprintf("%s[%d]", key, i), "%q is not one of %s", s, strings.Join(known, ", "))
		} else if slices.Index(sources, s) != i {
			p.add(fmt.Sprintf("%s[%d]", key, i), "%q is listed twice", s)
		}
	}
}

// validateSecurityLakeLifecycle checks the retention and transitions as S3
// Lifecycle takes them: each transition later than the one before and to a
// storage class further down S3's order (components.SecurityLakeStorageClasses),
// STANDARD_IA and ONEZONE_IA only after 30 days and left only 30 days later,
// all before the objects expire.
func (c *Config) validateSecurityLakeLifecycle(p *problems) {
	l := c.SecurityLake
	if l.ExpirationDays < 1 {
		p.add("securityLake.expirationDays", "%d is not a number of days; use a positive whole number (default 365)", l.ExpirationDays)
	}
	isIA := func(class string) bool { return class == "STANDARD_IA" || class == "ONEZONE_IA" }
	var prev SecurityLakeTransition
	for i, t := range l.Transitions {
		key := fmt.Sprintf("securityLake.transitions[%d]", i)
		order := slices.Index(components.SecurityLakeStorageClasses, t.StorageClass)
		switch {
		case order < 0:
			p.add(key+".storageClass", "%q is not a storage class S3 transitions to; use one of %s", t.StorageClass, strings.Join(components.SecurityLakeStorageClasses, ", "))
		case i > 0 && order <= slices.Index(components.SecurityLakeStorageClasses, prev.StorageClass):
			p.add(key+".storageClass", "%s cannot follow %s: S3 moves objects only down %s", t.StorageClass, prev.StorageClass, strings.Join(components.SecurityLakeStorageClasses, " → "))
		}
		switch {
		case isIA(t.StorageClass) && t.Days < 30:
			p.add(key+".days", "%d: S3 moves objects to %s only after 30 days; use 30 or more", t.Days, t.StorageClass)
		case t.Days < 1 || (i > 0 && t.Days <= prev.Days):
			p.add(key+".days", "%d is not after the previous transition or the objects' creation; list transitions in order of days, each later", t.Days)
		case i > 0 && isIA(prev.StorageClass) && t.Days < prev.Days+30:
			p.add(key+".days", "%d: S3 moves objects out of %s only 30 days after they arrive; use %d or more", t.Days, prev.StorageClass, prev.Days+30)
		}
		if t.Days >= l.ExpirationDays {
			p.add(key+".days", "%d is not before securityLake.expirationDays (%d); a transition must come before the objects expire", t.Days, l.ExpirationDays)
		}
		prev = t
	}
}

package config

import "fmt"

// CloudTrailLake configures the organization event data store (key cloudTrailLake).
type CloudTrailLake struct {
	Enabled               bool `json:"enabled"`
	RetentionDays         int  `json:"retentionDays"`
	TerminationProtection bool `json:"terminationProtection"`
	// ExistingCustomer confirms that the management account already used
	// CloudTrail Lake before it closed to new customers on 2026-05-31
	// (CloudTrail user guide, "CloudTrail Lake availability change"):
	// only such an account can still create event data stores.
	ExistingCustomer bool `json:"existingCustomer"`
}

// cloudTrailLakeClosed says who can still use CloudTrail Lake.
const cloudTrailLakeClosed = "CloudTrail Lake has been closed to new customers since 2026-05-31 (CloudTrail user guide, \"CloudTrail Lake availability change\"); only an account that used it before can create an event data store"

// validateCloudTrailLake checks cloudTrailLake.
func (c *Config) validateCloudTrailLake(p *problems) {
	l := c.CloudTrailLake
	if l.RetentionDays < 7 || l.RetentionDays > 3653 {
		p.add("cloudTrailLake.retentionDays", "%d is outside the 7 to 3653 days an event data store keeps events", l.RetentionDays)
	}
	if l.Enabled && !l.ExistingCustomer {
		p.add("cloudTrailLake.existingCustomer", "false, and %s; if the management account (%s) already uses CloudTrail Lake, set cloudTrailLake.existingCustomer: true, otherwise switch cloudTrailLake off (AWS points to CloudWatch for similar queries; the organization trail's logs stay in the archive)", cloudTrailLakeClosed, c.AccountID(Management))
	}
}

// cloudTrailLakeWarnings say, where the user reads the plan and the
// preview, that the event data store relies on an earlier subscription.
func (c *Config) cloudTrailLakeWarnings() []string {
	if !c.CloudTrailLake.Enabled || !c.CloudTrailLake.ExistingCustomer {
		return nil
	}
	return []string{fmt.Sprintf("%s:cloudTrailLake: %s; the event data store is planned because cloudTrailLake.existingCustomer says the management account is one", c.Project, cloudTrailLakeClosed)}
}

package config

// CloudTrailLake configures the organization event data store (key cloudTrailLake).
type CloudTrailLake struct {
	Enabled               bool `json:"enabled"`
	RetentionDays         int  `json:"retentionDays"`
	TerminationProtection bool `json:"terminationProtection"`
}

// validateCloudTrailLake checks cloudTrailLake.
func (c *Config) validateCloudTrailLake(p *problems) {
	if l := c.CloudTrailLake; l.RetentionDays < 7 || l.RetentionDays > 3653 {
		p.add("cloudTrailLake.retentionDays", "%d is outside the 7 to 3653 days an event data store keeps events", l.RetentionDays)
	}
}

package config

// What the stack deploys, from the per-component switches and Control
// Tower: every component reads these, never the raw keys.

// DeploysTrail reports whether the stack creates the organization trail and
// its bucket: not where Control Tower's trail already logs the organization.
func (c *Config) DeploysTrail() bool { return c.OrgTrail.Enabled && !c.ControlTower.Enabled }

// DeploysAlarms reports whether any metric-filter alarm is on.
func (c *Config) DeploysAlarms() bool {
	return !c.Alarms.ElevatedRoleDisabled || c.Alarms.CISEnabled || len(c.SupplementaryOn()) > 0
}

// AlarmLogGroupName is the existing log group, in the management account's
// home region, that the alarms read when the stack deploys no trail:
// alarms.logGroupName, or Control Tower's.
func (c *Config) AlarmLogGroupName() string {
	if c.Alarms.LogGroupName == "" && c.ControlTower.Enabled {
		return ControlTowerLogGroup
	}
	return c.Alarms.LogGroupName
}

// DeploysAlertTopics reports whether the security account's finding alert
// topics are needed.
func (c *Config) DeploysAlertTopics() bool { return c.GuardDuty.Enabled || c.SecurityHub.Enabled }

// RecorderAliases are the accounts whose AWS Config recorders this stack
// creates itself: every account in direct mode; in StackSet mode management
// (a service-managed StackSet cannot deploy to it) and security, whose
// providers exist for its other regional resources anyway (the StackSet
// records log archive and the member accounts); with Control Tower only
// management, which Control Tower does not record; none with AWS Config off.
func (c *Config) RecorderAliases() []string {
	switch {
	case !c.AWSConfig.Enabled:
		return nil
	case c.ControlTower.Enabled:
		return []string{Management}
	case c.MemberBaseline == BaselineStackSet:
		return []string{Management, Security}
	}
	return c.Aliases()
}

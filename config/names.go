package config

import "fmt"

// The names below are derived from resourcePrefix unless the stack sets them.

// TrailName is the organization trail's name.
func (c *Config) TrailName() string {
	return orDefault(c.OrgTrail.TrailName, c.ResourcePrefix+"-org-trail")
}

// TrailBucketName is the central CloudTrail log bucket's name.
func (c *Config) TrailBucketName() string {
	return orDefault(c.OrgTrail.BucketName, fmt.Sprintf("%s-orgtrail-%s", c.ResourcePrefix, c.AccountID(c.OrgTrail.BucketAccount)))
}

// ConfigBucketName is the central AWS Config delivery bucket's name.
func (c *Config) ConfigBucketName() string {
	return orDefault(c.AWSConfig.BucketName, fmt.Sprintf("%s-config-%s", c.ResourcePrefix, c.AccountID(LogArchive)))
}

// ElevatedRoleMetricName is the metric the elevated-role filter counts into.
func (c *Config) ElevatedRoleMetricName() string {
	return orDefault(c.Alarms.ElevatedRoleMetric, c.ResourcePrefix+"-switch-elevated-count")
}

// AlertTopicName is the SNS topic every alarm and finding rule notifies.
func (c *Config) AlertTopicName() string {
	return orDefault(c.Alarms.TopicName, c.ResourcePrefix+"-security-alerts")
}

// ConformancePackName is the organization conformance pack's name.
func (c *Config) ConformancePackName() string {
	return orDefault(c.AWSConfig.ConformancePack.Name, c.ResourcePrefix+"-security-services")
}

// ElevatedRoleAccounts returns the aliases of the accounts role lives in.
func (c *Config) ElevatedRoleAccounts(role ElevatedRole) []string {
	if len(role.Accounts) > 0 {
		return role.Accounts
	}
	return c.Aliases()
}

func orDefault(v, def string) string {
	if v != "" {
		return v
	}
	return def
}

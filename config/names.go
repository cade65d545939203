package config

import (
	"github.com/example/landing-zone-audit/components"
	"github.com/example/landing-zone-audit/internal/detection"
)

// The names below are derived from resourcePrefix (through
// components.Names, where every derived name is built) unless the stack
// sets them.

// Names builds the names derived from the prefix.
func (c *Config) Names() components.Names { return components.Names{Prefix: c.ResourcePrefix} }

// TrailName is the organization trail's name.
func (c *Config) TrailName() string {
	return orDefault(c.OrgTrail.TrailName, c.Names().TrailName())
}

// TrailBucketName is the central CloudTrail log bucket's name.
func (c *Config) TrailBucketName() string {
	return orDefault(c.OrgTrail.BucketName, c.Names().TrailBucket(c.AccountID(c.OrgTrail.BucketAccount)))
}

// ConfigBucketName is the central AWS Config delivery bucket's name.
func (c *Config) ConfigBucketName() string {
	return orDefault(c.AWSConfig.BucketName, c.Names().ConfigBucket(c.AccountID(LogArchive)))
}

// ConfigAccessLogBucketName receives the Config bucket's server access logs;
// "" when access logging is off.
func (c *Config) ConfigAccessLogBucketName() string {
	if !c.AWSConfig.AccessLogging {
		return ""
	}
	return c.Names().ConfigAccessLogBucket(c.AccountID(LogArchive))
}

// ElevatedRoleMetricName is the metric the elevated-role filter counts into.
func (c *Config) ElevatedRoleMetricName() string {
	return orDefault(c.Alarms.ElevatedRoleMetric, c.Names().ElevatedRoleMetric())
}

// AlertTopicName is the SNS topic every alarm and finding rule notifies.
func (c *Config) AlertTopicName() string {
	return orDefault(c.Alarms.TopicName, c.Names().AlertTopic())
}

// ConformancePackName is the organization conformance pack's name.
func (c *Config) ConformancePackName() string {
	return orDefault(c.AWSConfig.ConformancePack.Name, c.Names().ConformancePack())
}

// ElevatedRoles returns the elevated roles with the IDs of the accounts each
// lives in (every account when none are listed).
func (c *Config) ElevatedRoles() []detection.ElevatedRole {
	var roles []detection.ElevatedRole
	for _, r := range c.Alarms.ElevatedRoles {
		aliases := r.Accounts
		if len(aliases) == 0 {
			aliases = c.Aliases()
		}
		role := detection.ElevatedRole{RoleName: r.RoleName}
		for _, alias := range aliases {
			role.AccountIDs = append(role.AccountIDs, c.AccountID(alias))
		}
		roles = append(roles, role)
	}
	return roles
}

func orDefault(v, def string) string {
	if v != "" {
		return v
	}
	return def
}

package config

import (
	"fmt"

	"github.com/example/landing-zone-audit/detection"
)

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

// ConfigAccessLogBucketName receives the Config bucket's server access logs;
// "" when access logging is off.
func (c *Config) ConfigAccessLogBucketName() string {
	if !c.AWSConfig.AccessLogging {
		return ""
	}
	return fmt.Sprintf("%s-config-access-%s", c.ResourcePrefix, c.AccountID(LogArchive))
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

package components

import (
	"regexp"
	"strings"
)

// AWS's own limits on what the components create, owned here and used by
// config to check the stack's settings once.

var bucketNamePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$`)

// ValidBucketName reports whether name is a valid S3 bucket name.
func ValidBucketName(name string) bool {
	return bucketNamePattern.MatchString(name) && !strings.Contains(name, "..")
}

// ValidAlarmPeriod reports whether seconds is a period a standard-resolution
// metric (every metric-filter metric) can be alarmed on.
func ValidAlarmPeriod(seconds int) bool { return seconds >= 60 && seconds%60 == 0 }

// LogRetentionDays lists the retention periods CloudWatch Logs accepts.
var LogRetentionDays = []int{1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653}

// SnapshotFrequencies lists the delivery frequencies AWS Config accepts.
var SnapshotFrequencies = []string{"One_Hour", "Three_Hours", "Six_Hours", "Twelve_Hours", "TwentyFour_Hours"}

// SeverityLabels are Security Hub's severity labels, lowest first.
var SeverityLabels = []string{"INFORMATIONAL", "LOW", "MEDIUM", "HIGH", "CRITICAL"}

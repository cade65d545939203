// Package detection builds the CloudWatch Logs filter patterns this product
// writes itself (the CIS patterns are published text, in package cis) and
// knows the CloudWatch Logs limits they must respect.
package detection

import (
	"fmt"
	"strings"
)

// CloudWatch Logs limits on metric filters.
const (
	MaxPatternLength      = 1024 // characters in one filter pattern
	MaxFiltersPerLogGroup = 100  // metric filters on one log group
)

// ElevatedRole is a role whose use raises an alarm, with the IDs of the
// accounts it lives in.
type ElevatedRole struct {
	RoleName   string
	AccountIDs []string
}

// ElevatedRolePatterns returns the filter patterns that catch the roles being
// used: a console SwitchRole into the role (the event's identity is the
// assumed role) and an API AssumeRole of it (requestParameters.roleArn). Each
// account ID is written out: CloudWatch Logs treats "*" as a wildcard only at
// the start or end of a value. Clauses are packed into as few patterns as the
// length limit allows.
func ElevatedRolePatterns(partition string, roles []ElevatedRole) []string {
	var clauses []string
	for _, r := range roles {
		for _, acct := range r.AccountIDs {
			clauses = append(clauses,
				fmt.Sprintf(`($.eventName = "SwitchRole" && $.userIdentity.arn = "arn:%s:sts::%s:assumed-role/%s/*")`, partition, acct, r.RoleName),
				fmt.Sprintf(`($.eventName = "AssumeRole" && $.requestParameters.roleArn = "arn:%s:iam::%s:role/%s")`, partition, acct, r.RoleName))
		}
	}
	var patterns []string
	var cur []string
	flush := func() {
		if len(cur) > 0 {
			patterns = append(patterns, "{ "+strings.Join(cur, " || ")+" }")
			cur = nil
		}
	}
	for _, c := range clauses {
		if len("{ "+strings.Join(append(cur, c), " || ")+" }") > MaxPatternLength {
			flush()
		}
		cur = append(cur, c)
	}
	flush()
	return patterns
}

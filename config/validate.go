package config

import (
	"errors"
	"fmt"
	"net/mail"
	"regexp"
	"slices"
	"strings"

	"github.com/example/landing-zone-audit/components"
	"github.com/example/landing-zone-audit/internal/cis"
)

var (
	organizationIDPattern  = regexp.MustCompile(`^o-[a-z0-9]{10,32}$`)
	accountIDPattern       = regexp.MustCompile(`^[0-9]{12}$`)
	prefixPattern          = regexp.MustCompile(`^[a-z][a-z0-9-]*[a-z0-9]$`)
	roleNamePattern        = regexp.MustCompile(`^[\w+=,.@-]{1,64}$`)
	aliasPattern           = regexp.MustCompile(`^[a-z][A-Za-z0-9]*$`)
	logGroupNamePattern    = regexp.MustCompile(`^[\w#/.-]{1,512}$`)
	ruleIdentifierPattern  = regexp.MustCompile(`^[A-Z0-9_]+$`)
	findingTypePattern     = regexp.MustCompile(`^[A-Za-z0-9]+:[A-Za-z0-9]+/[A-Za-z0-9.!_-]+$`)
	metricNamePattern      = regexp.MustCompile(`^[^:*$]{1,255}$`)
	trailNamePattern       = regexp.MustCompile(`^[A-Za-z0-9][\w.-]{2,127}$`)
	topicNamePattern       = regexp.MustCompile(`^[A-Za-z0-9_-]{1,256}$`)
	packNamePattern        = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9-]{0,50}$`)
	securityControlPattern = regexp.MustCompile(`^[A-Za-z0-9]+\.[0-9]+$`)
	ouIDPattern            = regexp.MustCompile(`^(ou-[a-z0-9]{4,32}-[a-z0-9]{8,32}|r-[a-z0-9]{4,32})$`)
)

// S3's bucket policy limit, and what the Config bucket policy needs besides
// its list of accounts (with room for the custom-role statements).
const (
	maxBucketPolicyBytes    = 20 * 1024
	maxKeyPolicyBytes       = 32 * 1024
	maxBucketPolicyOverhead = 3000
)

// Regions lists the AWS regions a stack may govern.
var Regions = []string{
	"af-south-1", "ap-east-1", "ap-east-2", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3",
	"ap-south-1", "ap-south-2", "ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4",
	"ap-southeast-5", "ap-southeast-6", "ap-southeast-7", "ca-central-1", "ca-west-1", "eu-central-1", "eu-central-2",
	"eu-north-1", "eu-south-1", "eu-south-2", "eu-west-1", "eu-west-2", "eu-west-3", "il-central-1",
	"me-central-1", "me-south-1", "mx-central-1", "sa-east-1", "us-east-1", "us-east-2", "us-west-1",
	"us-west-2", "us-gov-east-1", "us-gov-west-1", "cn-north-1", "cn-northwest-1",
}

// OptInRegions are the regions AWS disables in every account until they are
// enabled (AWS Account Management guide, "Specify which AWS Regions your
// account can use"): no service, this stack's included, works there before.
var OptInRegions = []string{
	"af-south-1", "ap-east-1", "ap-east-2", "ap-south-2", "ap-southeast-3", "ap-southeast-4",
	"ap-southeast-5", "ap-southeast-6", "ap-southeast-7", "ca-west-1", "eu-central-2", "eu-south-1", "eu-south-2",
	"il-central-1", "me-central-1", "me-south-1", "mx-central-1",
}

// NoGlobalIAMRecording are the regions AWS Config opened in after February
// 2022, where it cannot record the global IAM resource types (AWS Config
// developer guide, "Managed Rules and Global IAM Resource Types").
var NoGlobalIAMRecording = []string{
	"ap-east-2", "ap-south-2", "ap-southeast-4", "ap-southeast-5", "ap-southeast-6", "ap-southeast-7", "ca-west-1",
	"eu-central-2", "eu-south-2", "il-central-1", "me-central-1", "mx-central-1",
}

// FindingPublishingFrequencies lists the values GuardDuty accepts.
var FindingPublishingFrequencies = []string{"FIFTEEN_MINUTES", "ONE_HOUR", "SIX_HOURS"}

// problems collects validation errors, each naming its key in the project's namespace.
type problems struct {
	namespace string
	errs      []error
}

func (p *problems) add(key, format string, args ...any) {
	p.errs = append(p.errs, fmt.Errorf("%s:%s: %s", p.namespace, key, fmt.Sprintf(format, args...)))
}

// Validate reports every problem in c at once, each naming the key and the fix.
func (c *Config) Validate() error {
	p := problems{namespace: c.Project}
	c.validateCore(&p)
	c.validateAccounts(&p)
	c.validateOrgTrail(&p)
	c.validateAlarms(&p)
	c.validateAWSConfig(&p)
	c.validateGuardDuty(&p)
	c.validateMemberBaseline(&p)
	c.validateSwitches(&p)
	c.validateAdopt(&p)
	c.validateSuppressions(&p)
	c.validateSuppressionLimits(&p)
	c.validateChat(&p)
	c.validatePaging(&p)
	for _, k := range keys {
		if k.validate != nil {
			k.validate(c, &p)
		}
	}
	c.validateFootprint(&p)
	return errors.Join(p.errs...)
}

func (c *Config) validateCore(p *problems) {
	if !organizationIDPattern.MatchString(c.OrganizationID) {
		p.add("organizationId", "%q is not an organization ID; set it to the ID shown by `aws organizations describe-organization` (o- followed by 10 to 32 lowercase letters or digits)", c.OrganizationID)
	}
	switch {
	case c.ResourcePrefix == "":
		p.add("resourcePrefix", "missing; set a short lowercase name such as \"acme\"")
	case len(c.ResourcePrefix) > components.MaxPrefixLength || !prefixPattern.MatchString(c.ResourcePrefix) || strings.Contains(c.ResourcePrefix, "--"):
		p.add("resourcePrefix", "%q is not usable in bucket and role names; use 2 to %d lowercase letters, digits and single hyphens, starting with a letter", c.ResourcePrefix, components.MaxPrefixLength)
	}
	if c.HomeRegion == "" {
		p.add("homeRegion", "missing; set the region the trail, alarms and aggregator live in, e.g. eu-west-2")
	} else if !slices.Contains(Regions, c.HomeRegion) {
		p.add("homeRegion", "%q is not an AWS region; use one of %s", c.HomeRegion, strings.Join(Regions, ", "))
	}
	if len(c.GovernedRegions) == 0 {
		p.add("governedRegions", "missing; list every region to govern, including homeRegion")
	}
	for i, r := range c.GovernedRegions {
		switch {
		case !slices.Contains(Regions, r):
			p.add(fmt.Sprintf("governedRegions[%d]", i), "%q is not an AWS region; use one of %s", r, strings.Join(Regions, ", "))
		case slices.Index(c.GovernedRegions, r) != i:
			p.add(fmt.Sprintf("governedRegions[%d]", i), "%q is listed twice; remove the duplicate", r)
		case c.HomeRegion != "" && PartitionOf(r) != PartitionOf(c.HomeRegion):
			p.add(fmt.Sprintf("governedRegions[%d]", i), "%q is in partition %s but homeRegion is in %s; govern one partition per stack", r, PartitionOf(r), PartitionOf(c.HomeRegion))
		}
	}
	for i, r := range c.GovernedRegions {
		if slices.Contains(OptInRegions, r) && !slices.Contains(c.OptInRegions, r) {
			p.add(fmt.Sprintf("governedRegions[%d]", i), "%q is an opt-in region, disabled in every account until enabled there; enable it in each account (aws account enable-region --region-name %s --account-id ID) and then list it under optInRegions", r, r)
		}
	}
	for i, r := range c.OptInRegions {
		switch {
		case !slices.Contains(OptInRegions, r):
			p.add(fmt.Sprintf("optInRegions[%d]", i), "%q is not an opt-in region (those are %s); remove it", r, strings.Join(OptInRegions, ", "))
		case !slices.Contains(c.GovernedRegions, r):
			p.add(fmt.Sprintf("optInRegions[%d]", i), "%q is not governed; remove it or add it to governedRegions", r)
		}
	}
	if slices.Contains(NoGlobalIAMRecording, c.HomeRegion) {
		p.add("homeRegion", "%q opened after February 2022, and AWS Config cannot record the global IAM resource types (users, groups, roles, policies) there, which this stack records in the home region; choose a home region that opened earlier", c.HomeRegion)
	}
	if c.HomeRegion != "" && len(c.GovernedRegions) > 0 && !slices.Contains(c.GovernedRegions, c.HomeRegion) {
		p.add("governedRegions", "does not contain homeRegion %q; add it", c.HomeRegion)
	}
	if !roleNamePattern.MatchString(c.AccessRoleName) {
		p.add("accessRoleName", "%q is not an IAM role name; use up to 64 letters, digits and +=,.@_-", c.AccessRoleName)
	}
	if c.ManagementCredentials != CredentialsAssumeRole && c.ManagementCredentials != CredentialsCaller {
		p.add("managementCredentials", "%q is not supported; use %q or %q", c.ManagementCredentials, CredentialsAssumeRole, CredentialsCaller)
	}
	for i, e := range c.AlertEmails {
		if c.Secret["alertEmails"] && e == SecretPlaceholder {
			continue // an address that cannot be decrypted offline
		}
		if addr, err := mail.ParseAddress(e); err != nil || addr.Address != e {
			p.add(fmt.Sprintf("alertEmails[%d]", i), "%q is not an email address; write it as name@example.com", e)
		}
	}
}

func (c *Config) validateAccounts(p *problems) {
	for _, alias := range []string{Management, Security, LogArchive} {
		if _, ok := c.Accounts[alias]; !ok {
			p.add("accounts", "missing the required alias %q; add %s: {id: \"<12 digits>\"}", alias, alias)
		}
	}
	// The Config bucket policy lists every account once (15 bytes each) and,
	// with custom recorder roles, every role twice; the key policy lists the
	// roles once.
	if c.MemberBaseline == BaselineDirect {
		perAccount, perRole := 15, 0
		if c.AWSConfig.RecorderRole == components.RecorderRoleCustom {
			perRole = len(components.RoleArn("aws-us-gov", "123456789012", c.Names().CustomRecorderRole())) + 3
		}
		n := len(c.Accounts)
		if n*(perAccount+2*perRole)+maxBucketPolicyOverhead > maxBucketPolicyBytes {
			p.add("accounts", "%d accounts would push the Config bucket policy past S3's 20 KB limit; use memberBaseline: stackset", n)
		}
		if c.AWSConfig.KMSEncryption && n*(perAccount+perRole)+maxBucketPolicyOverhead > maxKeyPolicyBytes {
			p.add("accounts", "%d accounts would push the Config key policy past KMS's 32 KB limit; use memberBaseline: stackset", n)
		}
	}
	seen := map[string]string{}
	for _, alias := range c.Aliases() {
		acct, ok := c.Accounts[alias]
		if !ok {
			continue
		}
		if !aliasPattern.MatchString(alias) || len(alias) > 32 {
			p.add("accounts."+alias, "alias is not usable in resource names; use up to 32 letters and digits, starting with a lowercase letter (e.g. prod, sharedServices)")
		}
		switch {
		case !accountIDPattern.MatchString(acct.ID):
			p.add("accounts."+alias+".id", "%q is not an AWS account ID; use the account's 12 digits, quoted", acct.ID)
		case seen[acct.ID] != "":
			p.add("accounts."+alias+".id", "%s is also the ID of %q; every alias needs its own account", acct.ID, seen[acct.ID])
		default:
			seen[acct.ID] = alias
		}
		for i, owner := range acct.Owners {
			if addr, err := mail.ParseAddress(owner); err != nil || addr.Address != owner {
				p.add(fmt.Sprintf("accounts.%s.owners[%d]", alias, i), "%q is not an email address; write it as name@example.com", owner)
			}
		}
		if len(acct.Owners) > 0 && !c.DeploysAlertTopics() {
			p.add("accounts."+alias+".owners", "GuardDuty and Security Hub are off, so no finding alert would reach the owners; remove owners or switch one on")
		}
		if len(acct.Owners) > 0 && len(alias) > components.MaxOwnerAlias {
			p.add("accounts."+alias+".owners", "alias %q is too long to name its alert rule; use an alias of at most %d characters", alias, components.MaxOwnerAlias)
		}
		if acct.Email != "" {
			if addr, err := mail.ParseAddress(acct.Email); err != nil || addr.Address != acct.Email {
				p.add("accounts."+alias+".email", "%q is not an email address; write it as name@example.com", acct.Email)
			}
		}
	}
}

func (c *Config) validateAliases(p *problems, key string, aliases []string) {
	for i, alias := range aliases {
		if _, ok := c.Accounts[alias]; !ok {
			p.add(fmt.Sprintf("%s[%d]", key, i), "%q is not an alias under accounts; use one of %s", alias, strings.Join(c.Aliases(), ", "))
		}
	}
}

func validateBucketName(p *problems, key, name string) {
	if name == "" {
		return
	}
	if !components.ValidBucketName(name) {
		p.add(key, "%q is not a valid S3 bucket name; use 3 to 63 lowercase letters, digits, dots and hyphens", name)
	}
}

func validateDays(p *problems, key string, days int, allowZero bool) {
	if days < 0 || (days == 0 && !allowZero) {
		p.add(key, "%d is not a number of days; use a positive whole number", days)
	}
}

func (c *Config) validateOrgTrail(p *problems) {
	t := c.OrgTrail
	if t.BucketAccount != LogArchive && t.BucketAccount != Management {
		p.add("orgTrail.bucketAccount", "%q is not supported; use %q (recommended) or %q", t.BucketAccount, LogArchive, Management)
	}
	validateBucketName(p, "orgTrail.bucketName", t.BucketName)
	if t.TrailName != "" && !trailNamePattern.MatchString(t.TrailName) {
		p.add("orgTrail.trailName", "%q is not a trail name; use 3 to 128 letters, digits, periods, underscores and hyphens, starting with a letter or digit", t.TrailName)
	}
	if !logGroupNamePattern.MatchString(t.LogGroupName) {
		p.add("orgTrail.logGroupName", "%q is not a log group name; use up to 512 letters, digits and _-./#", t.LogGroupName)
	}
	if !slices.Contains(components.LogRetentionDays, t.LogRetentionDays) {
		p.add("orgTrail.logRetentionDays", "%d is not a retention CloudWatch Logs accepts; use one of %v", t.LogRetentionDays, components.LogRetentionDays)
	}
	validateDays(p, "orgTrail.logDeletionDays", t.LogDeletionDays, false)
	validateDays(p, "orgTrail.glacierTransitionDays", t.GlacierTransitionDays, true)
	if t.GlacierTransitionDays > 0 && t.GlacierTransitionDays >= t.LogDeletionDays {
		p.add("orgTrail.glacierTransitionDays", "%d is not before logDeletionDays (%d); transition earlier or keep the logs longer", t.GlacierTransitionDays, t.LogDeletionDays)
	}
	validateObjectLock(p, "orgTrail.objectLock", t.ObjectLock, t.LogDeletionDays)
}

func validateObjectLock(p *problems, key string, lock ObjectLock, deletionDays int) {
	switch lock.Mode {
	case "":
		if lock.Days != 0 {
			p.add(key+".mode", "missing while days is set; use %q or %q", components.ObjectLockGovernance, components.ObjectLockCompliance)
		}
		return
	case components.ObjectLockGovernance, components.ObjectLockCompliance:
	default:
		p.add(key+".mode", "%q is not an Object Lock mode; use %q or %q", lock.Mode, components.ObjectLockGovernance, components.ObjectLockCompliance)
	}
	if lock.Days <= 0 || lock.Days > MaxObjectLockDays {
		p.add(key+".days", "%d is not a retention period S3 accepts; use 1 to %d days (100 years)", lock.Days, MaxObjectLockDays)
	} else if lock.Days > deletionDays {
		p.add(key+".days", "%d exceeds the lifecycle expiry (%d days); objects cannot expire while locked, so lower it or keep logs longer", lock.Days, deletionDays)
	}
}

func (c *Config) validateAlarms(p *problems) {
	a := c.Alarms
	if a.MetricNamespace == "" || strings.HasPrefix(a.MetricNamespace, "AWS/") || !metricNamePattern.MatchString(a.MetricNamespace) {
		p.add("alarms.metricNamespace", "%q is not a custom metric namespace; use a name such as OrgTrailMetrics (not starting with AWS/)", a.MetricNamespace)
	}
	if a.ElevatedRoleMetric != "" && !metricNamePattern.MatchString(a.ElevatedRoleMetric) {
		p.add("alarms.elevatedRoleMetric", "%q is not a metric name; use up to 255 characters without : * $", a.ElevatedRoleMetric)
	}
	if !components.ValidAlarmPeriod(a.PeriodSeconds) {
		p.add("alarms.periodSeconds", "%d is not a standard-resolution period; metric-filter metrics need 60 or a multiple of 60", a.PeriodSeconds)
	}
	if !a.ElevatedRoleDisabled && len(a.ElevatedRoles) == 0 {
		p.add("alarms.elevatedRoles", "empty; list at least one role or set elevatedRoleDisabled: true")
	}
	for i, r := range a.ElevatedRoles {
		key := fmt.Sprintf("alarms.elevatedRoles[%d]", i)
		if !roleNamePattern.MatchString(r.RoleName) || strings.Contains(r.RoleName, "*") {
			p.add(key+".roleName", "%q is not an IAM role name; use the role's exact name", r.RoleName)
		}
		c.validateAliases(p, key+".accounts", r.Accounts)
	}
	var known []string
	for _, ctl := range cis.Controls() {
		known = append(known, ctl.Key)
	}
	for i, k := range a.CISDisabledControls {
		if !slices.Contains(known, k) {
			p.add(fmt.Sprintf("alarms.cisDisabledControls[%d]", i), "%q is not a CIS alarm key; use one of %s", k, strings.Join(known, ", "))
		}
	}
	c.validateMetricFilters(p)
	if a.TopicName != "" && !topicNamePattern.MatchString(a.TopicName) {
		p.add("alarms.topicName", "%q is not an SNS topic name; use letters, digits, hyphens and underscores", a.TopicName)
	}
}

func (c *Config) validateAWSConfig(p *problems) {
	ac := c.AWSConfig
	validateBucketName(p, "awsConfig.bucketName", ac.BucketName)
	validateDays(p, "awsConfig.logDeletionDays", ac.LogDeletionDays, false)
	if !slices.Contains(components.SnapshotFrequencies, ac.SnapshotFrequency) {
		p.add("awsConfig.snapshotFrequency", "%q is not a delivery frequency; use one of %s", ac.SnapshotFrequency, strings.Join(components.SnapshotFrequencies, ", "))
	}
	if ac.RecorderRole != components.RecorderRoleServiceLinked && ac.RecorderRole != components.RecorderRoleCustom {
		p.add("awsConfig.recorderRole", "%q is not supported; use %q (recommended, Security Hub Config.1) or %q", ac.RecorderRole, components.RecorderRoleServiceLinked, components.RecorderRoleCustom)
	}
	c.validateAliases(p, "awsConfig.existingServiceLinkedRoles", ac.ExistingServiceLinkedRoles)
	names := map[string]bool{components.RestrictedSSH.Name: true}
	for i, r := range ac.Rules {
		key := fmt.Sprintf("awsConfig.rules[%d]", i)
		if !ruleIdentifierPattern.MatchString(r.Identifier) {
			p.add(key+".identifier", "%q is not an AWS managed rule identifier; use the identifier in capitals, e.g. S3_BUCKET_VERSIONING_ENABLED", r.Identifier)
		} else if known, ok := ManagedRules[r.Identifier]; !ok {
			p.add(key+".identifier", "%q is not an AWS managed rule%s; see AWS Config's list of managed rules", r.Identifier, suggest(r.Identifier, managedRuleIdentifiers()))
		} else {
			checkRuleParameters(p, key+".parameters", r.Parameters, known)
		}
		name := ManagedRuleName(r)
		if names[name] {
			p.add(key+".name", "%q is used twice; give each rule its own name", name)
		}
		names[name] = true
		if len(name) > 64 {
			p.add(key+".name", "%q is longer than 64 characters; set a shorter name", name)
		}
		c.validateAliases(p, key+".excludedAccounts", r.ExcludedAccounts)
	}
	cp := ac.ConformancePack
	if cp.DeliveryBucket != "" {
		if !strings.HasPrefix(cp.DeliveryBucket, "awsconfigconforms") {
			p.add("awsConfig.conformancePack.deliveryBucket", "%q must start with \"awsconfigconforms\"; rename the bucket", cp.DeliveryBucket)
		}
		validateBucketName(p, "awsConfig.conformancePack.deliveryBucket", cp.DeliveryBucket)
	}
	if cp.Name != "" && !packNamePattern.MatchString(cp.Name) {
		p.add("awsConfig.conformancePack.name", "%q is not a conformance pack name; use up to 51 letters, digits and hyphens, starting with a letter", cp.Name)
	}
	c.validateAliases(p, "awsConfig.conformancePack.excludedAccounts", cp.ExcludedAccounts)
	c.validateRecording(p)
	c.readPacks(p)
	c.validateRemediation(p)
	// components.RestrictedSSH, awsConfig.rules, then each remediated rule
	total := 1 + len(ac.Rules) + len(c.RemediationRules())
	for _, pk := range c.packs {
		total += len(pk.Rules)
	}
	if total > components.MaxConfigRulesPerAccount {
		p.add("awsConfig", "deploys %d Config rules (rules and packs) to each account and region; AWS Config allows %d per account and region (service limits); drop rules or packs", total, components.MaxConfigRulesPerAccount)
	}
}

// ManagedRuleName is the organization rule's name: the configured one, or the
// identifier in lowercase with hyphens.
func ManagedRuleName(r ManagedRule) string {
	return orDefault(r.Name, strings.ToLower(strings.ReplaceAll(r.Identifier, "_", "-")))
}

func (c *Config) validateGuardDuty(p *problems) {
	g := c.GuardDuty
	if g.Mode != components.GuardDutyOrganization && g.Mode != components.GuardDutyInvitation {
		p.add("guardDuty.mode", "%q is not supported; use %q (recommended) or %q", g.Mode, components.GuardDutyOrganization, components.GuardDutyInvitation)
	}
	if !slices.Contains(FindingPublishingFrequencies, g.FindingPublishingFrequency) {
		p.add("guardDuty.findingPublishingFrequency", "%q is not supported; use one of %s", g.FindingPublishingFrequency, strings.Join(FindingPublishingFrequencies, ", "))
	}
	if g.AlertMinSeverity < 1 || g.AlertMinSeverity > 10 {
		p.add("guardDuty.alertMinSeverity", "%v is outside GuardDuty's 1.0 to 10.0 scale; use 7 for High and above", g.AlertMinSeverity)
	}
	validateDays(p, "guardDuty.findingsExportDays", g.FindingsExportDays, false)
	if g.Mode == components.GuardDutyOrganization && c.Accounts[Management].Email == "" {
		p.add("accounts.management.email", "missing; GuardDuty does not auto-enable the management account, so the administrator adds it as a member by its email: set the management account's root email")
	}
	if g.Mode == components.GuardDutyInvitation {
		for _, alias := range c.Aliases() {
			if acct, ok := c.Accounts[alias]; ok && alias != Management && alias != Security && acct.Email == "" {
				p.add("accounts."+alias+".email", "missing; GuardDuty invitation mode invites members by email, so set it (or use guardDuty.mode: organization)")
			}
		}
	}
	for i, t := range g.AlertFindingTypes {
		if !findingTypePattern.MatchString(t) {
			p.add(fmt.Sprintf("guardDuty.alertFindingTypes[%d]", i), "%q is not a GuardDuty finding type; write it as ThreatPurpose:ResourceType/ThreatFamily, e.g. Policy:IAMUser/RootCredentialUsage", t)
		}
	}
}

func (c *Config) validateMemberBaseline(p *problems) {
	const retired = "is no longer used: every stack of the StackSet creates AWSServiceRoleForConfig only where it is missing, in whatever order its regions run (automatic deployment to a new account ignores parameter overrides); remove the key"
	if c.StackSet.RetiredCreateServiceLinkedRole != nil {
		p.add("stackSet.createServiceLinkedRole", retired)
	}
	if c.StackSet.RetiredAccountsWithServiceLinkedRole != nil {
		p.add("stackSet.accountsWithServiceLinkedRole", retired)
	}
	switch c.MemberBaseline {
	case BaselineDirect:
		return
	case BaselineStackSet:
	default:
		p.add("memberBaseline", "%q is not supported; use %q or %q", c.MemberBaseline, BaselineDirect, BaselineStackSet)
		return
	}
	s := c.StackSet
	if len(s.OrganizationalUnitIDs) == 0 {
		p.add("stackSet.organizationalUnitIds", "missing; list the OUs (ou-...) or the root (r-...) whose accounts get the baseline")
	}
	for i, ou := range s.OrganizationalUnitIDs {
		if why := ouIDProblem(ou); why != "" {
			p.add(fmt.Sprintf("stackSet.organizationalUnitIds[%d]", i), "%s", why)
		}
	}
	if v := s.FailureTolerancePercentage; v < 0 || v > 100 {
		p.add("stackSet.failureTolerancePercentage", "%d is not a percentage; use 0 to 100", v)
	}
	if v := s.MaxConcurrentPercentage; v < 1 || v > 100 {
		p.add("stackSet.maxConcurrentPercentage", "%d is not a percentage StackSets accept; use 1 to 100", v)
	}
	if c.AWSConfig.RecorderRole != components.RecorderRoleServiceLinked {
		p.add("awsConfig.recorderRole", "%q cannot be used with memberBaseline: stackset; the StackSet uses the service-linked role", c.AWSConfig.RecorderRole)
	}
	if c.GuardDuty.Mode != components.GuardDutyOrganization {
		p.add("guardDuty.mode", "%q needs a detector and provider in every member account; use organization mode with memberBaseline: stackset", c.GuardDuty.Mode)
	}
}

// validateSwitches checks that what a switched-off component would have
// provided is given, and that Control Tower's resources are left to it.
func (c *Config) validateSwitches(p *problems) {
	switch {
	case c.DeploysTrail() && c.Alarms.LogGroupName != "":
		p.add("alarms.logGroupName", "set only when the stack deploys no trail (orgTrail.enabled: false or controlTower.enabled); the alarms read this stack's trail's log group, orgTrail.logGroupName")
	case !c.DeploysTrail() && c.DeploysAlarms() && c.AlarmLogGroupName() == "":
		p.add("alarms.logGroupName", "required with orgTrail.enabled: false: name the CloudWatch Logs group, in the management account's home region, that the existing organization trail delivers to, or switch the alarms off (alarms.elevatedRoleDisabled: true, alarms.cisEnabled: false, alarms.supplementary.enabled: false)")
	case c.AlarmLogGroupName() != "" && !logGroupNamePattern.MatchString(c.AlarmLogGroupName()):
		p.add("alarms.logGroupName", "%q is not a log group name; use up to 512 letters, digits and _-./#", c.AlarmLogGroupName())
	}
	if c.ControlTower.Enabled && c.MemberBaseline == BaselineStackSet {
		p.add("memberBaseline", "stackset deploys AWS Config recorders, which Control Tower owns in enrolled accounts; use direct with controlTower.enabled")
	}
	if c.MemberBaseline == BaselineStackSet && !c.AWSConfig.Enabled {
		p.add("memberBaseline", "stackset deploys only AWS Config recorders, and awsConfig.enabled is false; use direct")
	}
}

// validateFootprint refuses a stack that would start more provider
// processes than the budget allows: each holds 170–430 MB at `pulumi up`.
func (c *Config) validateFootprint(p *problems) {
	if c.MaxProviderProcesses < 1 {
		p.add("maxProviderProcesses", "%d is not a number of processes; use a positive whole number (default 40)", c.MaxProviderProcesses)
		return
	}
	f := c.Footprint()
	if f.Processes() <= c.MaxProviderProcesses {
		return
	}
	low, high := f.MemoryMB()
	fix := "use memberBaseline: stackset (its footprint does not grow with the accounts), govern fewer regions"
	if c.MemberBaseline == BaselineStackSet {
		fix = "govern fewer regions"
	}
	p.add("maxProviderProcesses", "the stack would start %d provider processes at pulumi up (%d accounts × %d regions), about %.1f–%.1f GB, over the budget of %d; %s, or raise maxProviderProcesses if the machine running pulumi up has the memory",
		f.Processes(), len(c.Accounts), len(c.GovernedRegions), float64(low)/1000, float64(high)/1000, c.MaxProviderProcesses, fix)
}

// managedRuleIdentifiers lists ManagedRules' keys, sorted.
func managedRuleIdentifiers() []string {
	ids := make([]string, 0, len(ManagedRules))
	for id := range ManagedRules {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}

// checkRuleParameters flags a parameter that looks like a misspelling of
// one the rule is known to take. ManagedRules lists the parameters AWS's
// templates use, not every optional one, so an unrelated name passes.
func checkRuleParameters(p *problems, key string, params map[string]string, known []string) {
	names := make([]string, 0, len(params))
	for name := range params {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		if slices.Contains(known, name) {
			continue
		}
		if hint := suggest(name, known); hint != "" {
			p.add(key+"."+name, "is not a parameter of this rule%s; parameters are case-sensitive", hint)
		}
	}
}

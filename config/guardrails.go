package config

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/example/landing-zone-audit/components"
)

// Guardrails configures the preventive controls that keep member accounts
// from weakening the audit layer (key guardrails): service control
// policies, resource control policies on the log archive, and evidence
// protection on every log bucket and key the stack creates.
type Guardrails struct {
	Enabled bool `json:"enabled"`
	// Targets are the root (r-…) or OUs (ou-…) the service control
	// policies attach to; none means the organization root.
	Targets []string `json:"targets"`
	// BreakGlassRoleArn is the one role, besides the deploy role and the
	// StackSets execution role, that the guardrails do not bind.
	BreakGlassRoleArn string `json:"breakGlassRoleArn"`
	// FormerAccessRoleNames stay exempt beside accessRoleName while the
	// deploy role changes: the live policies name the old role until an up
	// run by an exempt role rewrites them (docs/guardrails.md).
	FormerAccessRoleNames []string `json:"formerAccessRoleNames"`
	// ControlTowerOrganizationalUnitIDs are the OUs Control Tower governs,
	// whose guardrails Control Tower attaches already.
	ControlTowerOrganizationalUnitIDs []string `json:"controlTowerOrganizationalUnitIds"`
	// ResourceControlPolicies attaches the log archive's data perimeter.
	ResourceControlPolicies bool `json:"resourceControlPolicies"`
	// ObjectLock is refused: only the trail's bucket takes Object Lock
	// (orgTrail.objectLock); the key stays so a stack that sets it learns why.
	ObjectLock ObjectLock `json:"objectLock"`
}

func defaultGuardrails() Guardrails {
	return Guardrails{Enabled: true, Targets: []string{}, FormerAccessRoleNames: []string{}, ControlTowerOrganizationalUnitIDs: []string{}, ResourceControlPolicies: true}
}

// MaxObjectLockDays is S3's longest Object Lock retention: 100 years
// (Amazon S3 user guide, "Managing Object Lock").
const MaxObjectLockDays = 36500

var (
	roleArnPattern = regexp.MustCompile(`^arn:(aws|aws-cn|aws-us-gov):iam::([0-9]{12}):role/((?:[\x21-\x7e]*/)?[\w+=,.@-]{1,64})$`)
	rootIDPattern  = regexp.MustCompile(`^r-[a-z0-9]{4,32}$`)
)

// DeploysServiceControlPolicies reports whether the SCPs are attached: with
// Control Tower only to the OUs listed (targets and Control Tower's OUs).
func (c *Config) DeploysServiceControlPolicies() bool {
	return c.Guardrails.Enabled && (!c.ControlTower.Enabled || len(c.ServiceControlTargets()) > 0)
}

// ServiceControlTargets are the OUs (or the root) the SCPs attach to, none
// meaning the root: guardrails.targets and, with Control Tower, the OUs it
// governs. Control Tower's mandatory controls guard its own trail,
// recorders, buckets and roles, not the stack's detectors, findings paths,
// keys or buckets; the statements follow what the stack deploys, so with
// Control Tower they hold no recorder statement of their own and duplicate
// none of its controls.
func (c *Config) ServiceControlTargets() []string {
	targets := slices.Clone(c.Guardrails.Targets)
	if c.ControlTower.Enabled {
		targets = append(targets, c.Guardrails.ControlTowerOrganizationalUnitIDs...)
	}
	return targets
}

// DeploysResourceControlPolicies reports whether the log archive's data
// perimeter is attached.
func (c *Config) DeploysResourceControlPolicies() bool {
	pm := c.Perimeter()
	return c.Guardrails.Enabled && c.Guardrails.ResourceControlPolicies && len(pm.Buckets)+len(pm.LakeBuckets) > 0
}

// ProtectsEvidence reports whether log buckets deny erasing their evidence.
func (c *Config) ProtectsEvidence() bool { return c.Guardrails.Enabled }

// DeployRoleArn is the role the stack deploys with in alias's account, ""
// for the management account deployed with the caller's own credentials.
func (c *Config) DeployRoleArn(alias string) string {
	if alias == Management && c.ManagementCredentials == CredentialsCaller {
		return ""
	}
	return components.RoleArn(c.Partition(), c.AccountID(alias), c.AccessRoleName)
}

// EvidenceManagers are the roles a log bucket in alias's account still
// lets delete versions and change its lifecycle and policy: the deploy role
// there and the break-glass role. None (nil) leaves the bucket without
// those denies: a bucket of the management account deployed with the
// caller's own credentials, whose role the stack cannot name.
func (c *Config) EvidenceManagers(alias string) []string {
	deploy := c.DeployRoleArn(alias)
	if !c.ProtectsEvidence() || deploy == "" {
		return nil
	}
	managers := []string{deploy}
	for _, name := range c.Guardrails.FormerAccessRoleNames {
		managers = append(managers, components.RoleArn(c.Partition(), c.AccountID(alias), name))
	}
	if c.Guardrails.BreakGlassRoleArn != "" {
		managers = append(managers, c.Guardrails.BreakGlassRoleArn)
	}
	return managers
}

// TrailObjectLock is the trail bucket's Object Lock: orgTrail.objectLock
// alone. Object Lock cannot be turned off again (Amazon S3 user guide,
// "Configuring S3 Object Lock"), so it is never inherited from another key.
func (c *Config) TrailObjectLock() components.ObjectLock {
	return components.ObjectLock{Mode: c.OrgTrail.ObjectLock.Mode, Days: c.OrgTrail.ObjectLock.Days}
}

// memberBuckets are the log buckets the stack creates outside the
// management account, by account alias, with their lifecycle expiry in days.
func (c *Config) logBuckets() []logBucket {
	var out []logBucket
	add := func(alias, name string, days int, accessLog bool) {
		out = append(out, logBucket{alias: alias, name: name, days: days, accessLog: accessLog})
	}
	if c.DeploysTrail() {
		alias := c.OrgTrail.BucketAccount
		add(alias, c.TrailBucketName(), c.OrgTrail.LogDeletionDays, false)
		if c.OrgTrail.AccessLogging {
			add(alias, c.Names().TrailAccessLogBucket(c.AccountID(alias)), c.OrgTrail.LogDeletionDays, true)
		}
	}
	if c.AWSConfig.Enabled && len(c.RecorderAliases()) > 0 {
		add(LogArchive, c.ConfigBucketName(), c.AWSConfig.LogDeletionDays, false)
		if name := c.ConfigAccessLogBucketName(); name != "" {
			add(LogArchive, name, c.AWSConfig.LogDeletionDays, true)
		}
	}
	if c.GuardDuty.Enabled && c.GuardDuty.FindingsExport {
		id := c.AccountID(LogArchive)
		add(LogArchive, c.Names().GuardDutyFindingsBucket(id), c.GuardDuty.FindingsExportDays, false)
		add(LogArchive, c.Names().GuardDutyAccessLogBucket(id), c.GuardDuty.FindingsExportDays, true)
	}
	if c.Macie.Enabled && c.Macie.DiscoveryResults {
		id := c.AccountID(Security)
		add(Security, c.Names().MacieResultsBucket(id), c.Macie.DiscoveryResultsDays, false)
		add(Security, c.Names().MacieResultsAccessLogBucket(id), c.Macie.DiscoveryResultsDays, true)
	}
	return out
}

type logBucket struct {
	alias, name string
	days        int
	accessLog   bool
}

// Protected describes what the stack deploys in member accounts, from
// which the service control policies are derived.
func (c *Config) Protected() components.Protected {
	p := components.Protected{
		Partition:         c.Partition(),
		DeployRoleName:    c.AccessRoleName,
		FormerDeployRoles: c.Guardrails.FormerAccessRoleNames,
		StackSets:         c.MemberBaseline == BaselineStackSet && c.AWSConfig.Enabled && len(c.RecorderAliases()) > 0,
		BreakGlassRoleArn: c.Guardrails.BreakGlassRoleArn,
		Prefix:            c.ResourcePrefix,
		TagKey:            "managed-by",
		TagValue:          Product,
	}
	if p.StackSets {
		p.MemberStackSet = c.Names().MemberBaselineStackSet()
	}
	// Recorders in member accounts: every account but management in direct
	// mode, security and the StackSet's accounts in StackSet mode; with
	// Control Tower only management's, which no SCP binds.
	for _, alias := range c.RecorderAliases() {
		if alias != Management {
			p.Recorders = true
		}
	}
	p.Recorders = p.Recorders || p.StackSets
	p.Aggregator = c.AWSConfig.Enabled
	if p.Recorders {
		if c.AWSConfig.RecorderRole == components.RecorderRoleCustom {
			p.Roles = append(p.Roles, c.Names().CustomRecorderRole())
		} else {
			p.ServiceLinkedRoles = append(p.ServiceLinkedRoles, "config.amazonaws.com")
		}
	}
	services := []struct {
		on    *bool
		value bool
		slr   string
	}{
		{&p.GuardDuty, c.GuardDuty.Enabled, "guardduty.amazonaws.com"},
		{&p.SecurityHub, c.SecurityHub.Enabled, "securityhub.amazonaws.com"},
		{&p.AccessAnalyzer, c.AccessAnalyzer.Enabled, "access-analyzer.amazonaws.com"},
		{&p.Inspector, c.Inspector.Enabled, "inspector2.amazonaws.com"},
		{&p.Macie, c.Macie.Enabled, "macie.amazonaws.com"},
		{&p.Detective, c.Detective.Enabled, ""},
		{&p.SecurityLake, c.SecurityLake.Enabled, ""},
	}
	for _, s := range services {
		*s.on = s.value
		if s.value && s.slr != "" {
			p.ServiceLinkedRoles = append(p.ServiceLinkedRoles, s.slr)
		}
	}
	for _, b := range c.logBuckets() {
		if b.alias != Management {
			p.Buckets = append(p.Buckets, b.name)
		}
	}
	// Security Lake manages its buckets through its service-linked role and
	// the deploy role's requests, neither bound by the SCPs.
	if c.SecurityLake.Enabled && c.SecurityLake.Account != Management {
		p.Buckets = append(p.Buckets, securityLakeBuckets)
	}
	return p
}

// Perimeter describes the log archive's buckets and keys that the resource
// control policy keeps inside the organization.
func (c *Config) Perimeter() components.Perimeter {
	p := components.Perimeter{Partition: c.Partition(), OrganizationID: c.OrganizationID, AccountID: c.AccountID(LogArchive),
		TagKey: "managed-by", TagValue: Product}
	for _, b := range c.logBuckets() {
		if b.alias == LogArchive {
			p.Buckets = append(p.Buckets, b.name)
		}
	}
	if c.SecurityLake.Enabled && c.SecurityLake.Account == LogArchive {
		p.LakeBuckets = []string{securityLakeBuckets}
		for _, s := range c.SecurityLake.Subscribers {
			if !slices.Contains(c.AccountIDs(), s.AccountID) && !slices.Contains(p.ExternalReaders, s.AccountID) {
				p.ExternalReaders = append(p.ExternalReaders, s.AccountID)
			}
		}
	}
	return p
}

// securityLakeBuckets is the name pattern of Security Lake's buckets
// (aws-security-data-lake-<region>-<ID>, Security Lake user guide).
const securityLakeBuckets = "aws-security-data-lake-*"

// validateGuardrails checks guardrails.
func (c *Config) validateGuardrails(p *problems) {
	g := c.Guardrails
	ct := g.ControlTowerOrganizationalUnitIDs
	if len(ct) > 0 && !c.ControlTower.Enabled {
		p.add("guardrails.controlTowerOrganizationalUnitIds", "set while controlTower.enabled is false; remove it, or set controlTower.enabled if Control Tower governs these OUs")
	}
	for i, ou := range ct {
		if !strings.HasPrefix(ou, "ou-") || !ouIDPattern.MatchString(ou) {
			p.add(fmt.Sprintf("guardrails.controlTowerOrganizationalUnitIds[%d]", i), "%q is not an OU ID; use ou-xxxx-xxxxxxxx as `aws organizations list-organizational-units-for-parent` shows it", ou)
		}
	}
	if !g.Enabled {
		return
	}
	for i, t := range g.Targets {
		key := fmt.Sprintf("guardrails.targets[%d]", i)
		switch {
		case !ouIDPattern.MatchString(t):
			p.add(key, "%q is neither the organization root nor an OU; use the root ID (r-xxxx, `aws organizations list-roots`) or an OU ID (ou-xxxx-xxxxxxxx)", t)
		case slices.Index(g.Targets, t) != i:
			p.add(key, "%q is listed twice; remove the duplicate", t)
		case c.ControlTower.Enabled && rootIDPattern.MatchString(t):
			p.add(key, "%q is the root, above the OUs Control Tower governs, whose guardrails Control Tower attaches already; list only OUs outside Control Tower", t)
		case slices.Contains(ct, t):
			p.add(key, "%q is governed by Control Tower (guardrails.controlTowerOrganizationalUnitIds), whose OUs get the guardrails already; remove it from targets", t)
		}
	}
	if g.Enabled && len(g.Targets) > 1 && slices.ContainsFunc(g.Targets, rootIDPattern.MatchString) {
		p.add("guardrails.targets", "lists the root beside OUs; the root's policies bind every OU already, so list the root alone or only OUs")
	}
	for i, name := range g.FormerAccessRoleNames {
		key := fmt.Sprintf("guardrails.formerAccessRoleNames[%d]", i)
		switch {
		case !roleNamePattern.MatchString(name):
			p.add(key, "%q is not an IAM role name; use up to 64 letters, digits and +=,.@_- (no wildcards: every role matching an exemption is exempt)", name)
		case strings.EqualFold(name, c.AccessRoleName):
			p.add(key, "%q is accessRoleName, exempt already; list only the deploy role being replaced", name)
		case slices.Index(g.FormerAccessRoleNames, name) != i:
			p.add(key, "%q is listed twice; remove the duplicate", name)
		}
	}
	if arn := g.BreakGlassRoleArn; arn != "" {
		m := roleArnPattern.FindStringSubmatch(arn)
		switch {
		case m == nil || strings.ContainsAny(arn, "*?"):
			p.add("guardrails.breakGlassRoleArn", "%q is not an IAM role ARN; write the exact ARN, arn:%s:iam::<account ID>:role/<name>, without wildcards", arn, c.Partition())
		case m[1] != c.Partition():
			p.add("guardrails.breakGlassRoleArn", "%q is in partition %s but the stack is in %s; name a role of this organization", arn, m[1], c.Partition())
		case !slices.Contains(c.AccountIDs(), m[2]):
			p.add("guardrails.breakGlassRoleArn", "%q is in account %s, which is not one of the organization's accounts under accounts; name a role in one of them (usually management or security)", arn, m[2])
		case strings.EqualFold(m[3], c.AccessRoleName):
			p.add("guardrails.breakGlassRoleArn", "%q is the deploy role (accessRoleName), exempt already; name a separate break-glass role or remove the key", arn)
		}
	}
	if g.ObjectLock.Mode != "" || g.ObjectLock.Days != 0 {
		p.add("guardrails.objectLock", "Object Lock is not set on the stack's other log buckets: AWS Config does not deliver to a bucket with Object Lock enabled (AWS::Config::DeliveryChannel), S3 refuses uploads into a bucket with a default retention that carry no Content-MD5 or checksum header (S3 PutObject) and GuardDuty and Macie document none, S3 server access logging refuses Object Lock targets, and Object Lock can never be turned off again; remove guardrails.objectLock (the bucket policies already deny deleting object versions), and set orgTrail.objectLock to lock the trail's bucket")
	}
	c.validateGuardrailLimits(p)
}

// validateGuardrailLimits refuses policies past Organizations' limits
// (AWS Organizations User Guide, "Quotas and service limits"): 5,120
// characters per policy, five policies of a type per target, of which one
// is always there already (FullAWSAccess or the policy that replaced it).
// Further existing policies are counted at deploy time.
func (c *Config) validateGuardrailLimits(p *problems) {
	check := func(key, what string, deploys bool, statements []components.Statement) {
		if !deploys {
			return
		}
		docs, err := components.PackPolicies(statements)
		switch {
		case err != nil:
			p.add(key, "the %s: %v; shorten resourcePrefix or the bucket names", what, err)
		case len(docs)+1 > components.MaxPoliciesPerTarget:
			p.add(key, "the %s need %d policies of %d characters at most; with the one every target keeps that is %d, more than Organizations' %d per target; switch services off or attach fewer statements", what, len(docs), components.MaxPolicyCharacters, len(docs)+1, components.MaxPoliciesPerTarget)
		}
	}
	check("guardrails", "service control policies", c.DeploysServiceControlPolicies(), components.ServiceControlStatements(c.Protected()))
	check("guardrails.resourceControlPolicies", "resource control policies", c.DeploysResourceControlPolicies(), components.ResourceControlStatements(c.Perimeter()))
}

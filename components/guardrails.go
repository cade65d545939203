package components

import (
	"fmt"
	"slices"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/organizations"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// GuardrailsType is the type token of Guardrails.
const GuardrailsType = "landingzone:audit:Guardrails"

// AWS Organizations' limits on authorization policies (AWS Organizations
// User Guide, "Quotas and service limits for AWS Organizations", checked
// again in December 2026: still 5,120 characters for SCPs and RCPs): a
// service or resource control policy holds at most 5,120 characters, and at
// most five of each type attach to one root, OU or account. Every check and
// message reads these two constants. Every target always
// has at least one SCP (FullAWSAccess unless it was replaced), which counts.
const (
	MaxPolicyCharacters  = 5120
	MaxPoliciesPerTarget = 5
)

// Organizations' policy types.
const (
	ServiceControlPolicy  = "SERVICE_CONTROL_POLICY"
	ResourceControlPolicy = "RESOURCE_CONTROL_POLICY"
)

// StackSetExecutionRoles is the name pattern of the role a service-managed
// StackSet deploys with in each member account (CloudFormation user guide,
// "Activate trusted access for StackSets with AWS Organizations": the role
// is stacksets-exec-<hash of the management account>), as Control Tower
// names it in its own guardrails.
const StackSetExecutionRoles = "stacksets-exec-*"

// Protected describes what the stack deploys in member accounts, from which
// the service control policies are derived: a service the stack does not
// deploy adds no statement.
type Protected struct {
	Partition string
	// DeployRoleName is the role the stack deploys with in every member
	// account (accessRoleName).
	DeployRoleName string
	// FormerDeployRoles are deploy role names kept exempt while the deploy
	// role changes.
	FormerDeployRoles []string
	// StackSets is set when a service-managed StackSet deploys resources in
	// member accounts: its execution role is exempt too.
	StackSets bool
	// BreakGlassRoleArn is one more exempt role, in one account; "" for none.
	BreakGlassRoleArn string
	// MemberStackSet names the StackSet whose instance stacks are protected.
	MemberStackSet string

	// Recorders: AWS Config recorders and delivery channels in member
	// accounts; Aggregator: the organization aggregator (security).
	Recorders, Aggregator bool
	// ServiceLinkedRoles are the services whose service-linked roles the
	// stack's services run on (config.amazonaws.com, …).
	ServiceLinkedRoles []string
	// Roles are further roles the stack creates in member accounts (the
	// custom recorder role, the remediation role), by name.
	Roles []string

	GuardDuty, SecurityHub, AccessAnalyzer, Inspector, Macie, Detective, SecurityLake bool

	// Buckets are the log buckets in member accounts, by name.
	Buckets []string
	// Prefix names the topics, rules, queues and alarms the stack creates
	// ("<prefix>-…").
	Prefix string
	// TagKey and TagValue are the tag every resource of the stack carries;
	// keys, whose ARNs are random, are protected by it.
	TagKey, TagValue string
}

// ExemptPrincipals are the role ARN patterns the service control policies
// do not bind. Each is an exact role name in any account, never a pattern a
// member can meet by another route: the same policies deny creating or
// changing a role of these names to everyone else (as Control Tower's own
// guardrails do for AWSControlTowerExecution and stacksets-exec-*), so a
// member administrator cannot make a role that matches.
func (p Protected) ExemptPrincipals() []string {
	exempt := []string{RoleArn(p.Partition, "*", p.DeployRoleName)}
	for _, name := range p.FormerDeployRoles {
		exempt = append(exempt, RoleArn(p.Partition, "*", name))
	}
	if p.StackSets {
		exempt = append(exempt, RoleArn(p.Partition, "*", StackSetExecutionRoles))
	}
	if p.BreakGlassRoleArn != "" {
		exempt = append(exempt, p.BreakGlassRoleArn)
	}
	return exempt
}

// ServiceControlStatements are the statements that deny member accounts'
// principals, except the exempt roles, every action that would weaken what
// the stack deploys there.
func ServiceControlStatements(p Protected) []Statement {
	b := &scpStatements{exempt: Conditions{"ArnNotLike": {"aws:PrincipalArn": p.ExemptPrincipals()}}}
	b.protectRoles(p)
	b.protectConfig(p)
	b.protectServices(p)
	b.protectResources(p)
	out := b.out
	// Leaving the organization would lift every guardrail at once; no
	// member principal needs it (the management account removes accounts).
	out = append(out, Statement{Sid: "StayInOrganization", Effect: "Deny", Action: []string{"organizations:LeaveOrganization"}, Resource: []string{"*"}})
	return out
}

// scpStatements collects the guardrails' deny statements, each exempting
// the exempt principals.
type scpStatements struct {
	exempt Conditions
	out    []Statement
}

func (b *scpStatements) deny(sid string, actions, resources []string, extra Conditions) {
	b.out = append(b.out, Statement{Sid: sid, Effect: "Deny", Action: actions, Resource: resources, Condition: MergeConditions(b.exempt, extra)})
}

// protectRoles keeps the exempt roles, the stack's roles and the services'
// service-linked roles as they are.
func (b *scpStatements) protectRoles(p Protected) {
	part := p.Partition
	// The exempt roles themselves: nobody else creates, changes or deletes
	// a role of their names, so nobody else can become exempt.
	roles := slices.Clone(p.ExemptPrincipals())
	for _, name := range p.Roles {
		roles = append(roles, RoleArn(part, "*", name))
	}
	b.deny("ProtectExemptAndStackRoles", []string{
		"iam:AttachRolePolicy", "iam:CreateRole", "iam:DeleteRole", "iam:DeleteRolePermissionsBoundary", "iam:DeleteRolePolicy",
		"iam:DetachRolePolicy", "iam:PutRolePermissionsBoundary", "iam:PutRolePolicy", "iam:UpdateAssumeRolePolicy", "iam:UpdateRole",
	}, roles, nil)
	if len(p.ServiceLinkedRoles) > 0 {
		var slrs []string
		for _, svc := range p.ServiceLinkedRoles {
			slrs = append(slrs, arn(part, "iam", "", "*", "role/aws-service-role/"+svc+"/*"))
		}
		b.deny("ProtectServiceLinkedRoles", []string{"iam:DeleteServiceLinkedRole"}, slrs, nil)
	}
}

// protectConfig keeps the recorders, the aggregator and the StackSet
// baseline running.
func (b *scpStatements) protectConfig(p Protected) {
	part := p.Partition
	if p.Recorders {
		// AssociateResourceTypes and DisassociateResourceTypes change a
		// recorder's recording group without PutConfigurationRecorder.
		b.deny("ProtectConfigRecorders", []string{
			"config:AssociateResourceTypes", "config:DeleteConfigurationRecorder", "config:DeleteDeliveryChannel", "config:DeleteRetentionConfiguration",
			"config:PutConfigurationRecorder", "config:PutDeliveryChannel", "config:PutRetentionConfiguration", "config:StopConfigurationRecorder",
			"config:DisassociateResourceTypes",
		}, []string{"*"}, nil)
	}
	if p.Aggregator {
		b.deny("ProtectConfigAggregator", []string{"config:DeleteConfigurationAggregator", "config:PutConfigurationAggregator"}, []string{"*"}, nil)
	}
	if p.StackSets {
		// Service-managed StackSets, a delegated administrator's included,
		// run in every target account as stacksets-exec-* (CloudFormation
		// API reference, CreateStackSet CallAs: they are created in the
		// management account even when a delegated administrator creates
		// them), which is exempt. A member account registered as StackSets
		// delegated administrator could otherwise deploy through that
		// exemption: only the exempt roles manage StackSets from members.
		b.deny("ProtectStackSetExemption", []string{
			"cloudformation:CreateStackInstances", "cloudformation:CreateStackSet", "cloudformation:DeleteStackInstances",
			"cloudformation:ImportStacksToStackSet", "cloudformation:UpdateStackInstances", "cloudformation:UpdateStackSet",
		}, []string{"*"}, nil)
	}
	if p.MemberStackSet != "" {
		// Service-managed StackSets name each instance stack
		// StackSet-<StackSet name>-<ID>.
		b.deny("ProtectBaselineStacks", []string{
			"cloudformation:CancelUpdateStack", "cloudformation:ContinueUpdateRollback", "cloudformation:CreateChangeSet",
			"cloudformation:DeleteStack", "cloudformation:ExecuteChangeSet", "cloudformation:RollbackStack", "cloudformation:SetStackPolicy",
			"cloudformation:UpdateStack", "cloudformation:UpdateTerminationProtection",
		}, []string{arn(part, "cloudformation", "*", "*", "stack/StackSet-"+p.MemberStackSet+"-*")}, nil)
	}
}

// protectServices keeps each security service the stack runs enabled and
// reporting to the administrator.
func (b *scpStatements) protectServices(p Protected) {
	services := []struct {
		on      bool
		sid     string
		actions []string
	}{
		{p.GuardDuty, "ProtectGuardDuty", []string{
			"guardduty:CreateFilter", "guardduty:CreateIPSet", "guardduty:DeleteDetector", "guardduty:DeleteMembers", "guardduty:DeletePublishingDestination",
			"guardduty:DisassociateFromAdministratorAccount", "guardduty:DisassociateFromMasterAccount", "guardduty:DisassociateMembers",
			"guardduty:StopMonitoringMembers", "guardduty:UpdateDetector", "guardduty:UpdateFilter", "guardduty:UpdateIPSet",
			"guardduty:UpdateOrganizationConfiguration", "guardduty:UpdatePublishingDestination",
		}},
		{p.SecurityHub, "ProtectSecurityHub", []string{
			"securityhub:BatchDeleteAutomationRules", "securityhub:BatchDisableStandards", "securityhub:BatchUpdateAutomationRules",
			"securityhub:BatchUpdateStandardsControlAssociations",
			"securityhub:CreateAutomationRule", "securityhub:DeleteConfigurationPolicy", "securityhub:DeleteFindingAggregator", "securityhub:DeleteMembers",
			"securityhub:DisableImportFindingsForProduct", "securityhub:DisableSecurityHub", "securityhub:DisassociateFromAdministratorAccount",
			"securityhub:DisassociateFromMasterAccount", "securityhub:DisassociateMembers", "securityhub:StartConfigurationPolicyDisassociation",
			"securityhub:UpdateConfigurationPolicy", "securityhub:UpdateFindingAggregator", "securityhub:UpdateOrganizationConfiguration",
			"securityhub:UpdateFindings", "securityhub:UpdateSecurityHubConfiguration", "securityhub:UpdateStandardsControl",
		}},
		{p.AccessAnalyzer, "ProtectAccessAnalyzer", []string{
			"access-analyzer:ApplyArchiveRule", "access-analyzer:CreateArchiveRule", "access-analyzer:DeleteAnalyzer",
			"access-analyzer:DeleteArchiveRule", "access-analyzer:UpdateArchiveRule",
		}},
		{p.Inspector, "ProtectInspector", []string{
			"inspector2:CreateFilter", "inspector2:Disable", "inspector2:DisassociateMember", "inspector2:UpdateFilter", "inspector2:UpdateOrganizationConfiguration",
		}},
		{p.Macie, "ProtectMacie", []string{
			"macie2:CreateFindingsFilter", "macie2:DeleteMember", "macie2:DisableMacie", "macie2:DisassociateFromAdministratorAccount",
			"macie2:DisassociateFromMasterAccount", "macie2:DisassociateMember", "macie2:PutClassificationExportConfiguration",
			"macie2:UpdateFindingsFilter", "macie2:UpdateMacieSession", "macie2:UpdateOrganizationConfiguration",
		}},
		{p.Detective, "ProtectDetective", []string{
			"detective:DeleteGraph", "detective:DeleteMembers", "detective:DisassociateMembership", "detective:UpdateOrganizationConfiguration",
		}},
		{p.SecurityLake, "ProtectSecurityLake", []string{
			"securitylake:DeleteAwsLogSource", "securitylake:DeleteCustomLogSource", "securitylake:DeleteDataLake",
			"securitylake:DeleteDataLakeExceptionSubscription", "securitylake:DeleteDataLakeOrganizationConfiguration", "securitylake:DeleteSubscriber",
			"securitylake:DeregisterDataLakeDelegatedAdministrator", "securitylake:UpdateDataLake", "securitylake:UpdateSubscriber",
		}},
	}
	for _, s := range services {
		if s.on {
			b.deny(s.sid, s.actions, []string{"*"}, nil)
		}
	}
	if p.SecurityHub {
		// Members still triage their findings with BatchUpdateFindings;
		// only suppressing one hides it from the administrator (Security
		// Hub CSPM user guide, "Configuring access to BatchUpdateFindings":
		// securityhub:ASFFSyntaxPath/Workflow.Status).
		b.deny("ProtectSecurityHubFindings", []string{"securityhub:BatchUpdateFindings"}, []string{"*"}, Conditions{
			"StringEquals": {"securityhub:ASFFSyntaxPath/Workflow.Status": "SUPPRESSED"},
		})
	}
}

// protectResources keeps the log buckets, the alert paths and the keys.
func (b *scpStatements) protectResources(p Protected) {
	part := p.Partition
	if len(p.Buckets) > 0 {
		var buckets []string
		for _, b := range p.Buckets {
			buckets = append(buckets, bucketArn(part, b), bucketArn(part, b)+"/*")
		}
		// s3:PutLifecycleConfiguration is also DeleteBucketLifecycle's permission.
		b.deny("ProtectLogBuckets", []string{
			"s3:BypassGovernanceRetention", "s3:DeleteBucket", "s3:DeleteBucketPolicy", "s3:DeleteObject", "s3:DeleteObjectVersion",
			"s3:PutBucketLogging", "s3:PutBucketObjectLockConfiguration", "s3:PutBucketOwnershipControls", "s3:PutBucketPolicy",
			"s3:PutBucketPublicAccessBlock", "s3:PutBucketVersioning", "s3:PutEncryptionConfiguration", "s3:PutLifecycleConfiguration",
			"s3:PutObjectLegalHold", "s3:PutObjectRetention",
		}, buckets, nil)
	}
	if p.Prefix != "" {
		named := p.Prefix + "-*"
		b.deny("ProtectAlertPaths", []string{
			"cloudwatch:DeleteAlarms", "cloudwatch:DisableAlarmActions", "cloudwatch:PutMetricAlarm",
			"events:DeleteRule", "events:DisableRule", "events:PutRule", "events:PutTargets", "events:RemoveTargets",
			"sns:AddPermission", "sns:DeleteTopic", "sns:RemovePermission", "sns:SetTopicAttributes", "sns:Unsubscribe",
			"sqs:DeleteQueue", "sqs:PurgeQueue", "sqs:SetQueueAttributes",
		}, []string{
			arn(part, "cloudwatch", "*", "*", "alarm:"+named),
			arn(part, "events", "*", "*", "rule/"+named),
			arn(part, "sns", "*", "*", named),
			arn(part, "sqs", "*", "*", named),
		}, nil)
	}
	if p.TagKey != "" {
		tagged := Conditions{"StringEquals": {"aws:ResourceTag/" + p.TagKey: p.TagValue}}
		b.deny("ProtectKeys", []string{
			"kms:CreateGrant", "kms:DeleteAlias", "kms:DisableKey", "kms:DisableKeyRotation", "kms:PutKeyPolicy",
			"kms:ScheduleKeyDeletion", "kms:UpdateAlias",
		}, []string{"*"}, tagged)
		// Removing or rewriting the tag would lift the protection above.
		b.deny("ProtectKeyTags", []string{"kms:TagResource", "kms:UntagResource"}, []string{"*"}, Conditions{
			"StringEquals":             {"aws:ResourceTag/" + p.TagKey: p.TagValue},
			"ForAnyValue:StringEquals": {"aws:TagKeys": []string{p.TagKey}},
		})
	}
}

// MergeConditions combines condition blocks key by key: a key of a later
// block replaces the same key of an earlier one, and every other key of
// both survives (IAM ANDs every key of every operator).
func MergeConditions(blocks ...Conditions) Conditions {
	out := Conditions{}
	for _, b := range blocks {
		for op, kv := range b {
			if out[op] == nil {
				out[op] = map[string]any{}
			}
			for k, v := range kv {
				out[op][k] = v
			}
		}
	}
	return out
}

// Perimeter describes the evidence the resource control policy keeps
// inside the organization: the stack's buckets and keys in one account
// (the log archive), and Security Lake's buckets there.
type Perimeter struct {
	Partition      string
	OrganizationID string
	AccountID      string
	// Buckets are the stack's bucket names.
	Buckets []string
	// LakeBuckets are Security Lake's bucket name patterns, if the lake is
	// in this account.
	LakeBuckets []string
	// TagKey and TagValue mark the stack's keys: the account's other keys
	// (Control Tower's, a third party's) stay out of the policy.
	TagKey, TagValue string
	// ExternalReaders are accounts outside the organization that may still
	// read the lake's buckets (Security Lake subscribers), and nothing else.
	ExternalReaders []string
}

// ResourceControlStatements keep the perimeter's buckets and keys inside
// the organization: principals outside it and requests without TLS are
// refused, AWS services only act for the organization's accounts, and
// service principals still deliver (AWS Organizations User Guide, "Resource
// control policies" and its data perimeter examples). An RCP applies to
// every customer managed key of the account (AWS KMS developer guide,
// "Resource control policies in AWS KMS"), so key statements carry the
// stack's tag.
func ResourceControlStatements(p Perimeter) []Statement {
	var buckets, lake []string
	for _, b := range p.Buckets {
		buckets = append(buckets, bucketArn(p.Partition, b), bucketArn(p.Partition, b)+"/*")
	}
	for _, b := range p.LakeBuckets {
		lake = append(lake, bucketArn(p.Partition, b), bucketArn(p.Partition, b)+"/*")
	}
	keys := []string{arn(p.Partition, "kms", "*", p.AccountID, "key/*")}
	ours := Conditions{"StringEquals": {"aws:ResourceTag/" + p.TagKey: p.TagValue}}
	outside := Conditions{
		"StringNotEqualsIfExists": {"aws:PrincipalOrgID": p.OrganizationID},
		"BoolIfExists":            {"aws:PrincipalIsAWSService": "false"},
	}
	forOutside := Conditions{
		"StringNotEqualsIfExists": {"aws:SourceOrgID": p.OrganizationID},
		"Null":                    {"aws:SourceAccount": "false"},
		"Bool":                    {"aws:PrincipalIsAWSService": "true"},
	}
	insecure := Conditions{"BoolIfExists": {"aws:SecureTransport": "false"}}
	var out []Statement
	deny := func(sid string, actions, resources []string, cond Conditions) {
		if len(resources) > 0 {
			out = append(out, Statement{Sid: sid, Effect: "Deny", Principal: "*", Action: actions, Resource: resources, Condition: cond})
		}
	}
	s3, kms := []string{"s3:*"}, []string{"kms:*"}
	deny("EvidenceStaysInOrganization", s3, buckets, outside)
	lakeOutside := outside
	if len(p.ExternalReaders) > 0 {
		lakeOutside = MergeConditions(outside, Conditions{"StringNotEqualsIfExists": {"aws:PrincipalAccount": p.ExternalReaders}})
	}
	deny("LakeStaysInOrganization", s3, lake, lakeOutside)
	deny("KeysStayInOrganization", kms, keys, MergeConditions(outside, ours))
	deny("ServicesActOnlyForOrganization", s3, append(slices.Clone(buckets), lake...), forOutside)
	deny("ServicesUseKeysOnlyForOrganization", kms, keys, MergeConditions(forOutside, ours))
	deny("EvidenceOnlyOverTLS", s3, append(slices.Clone(buckets), lake...), insecure)
	deny("KeysOnlyOverTLS", kms, keys, MergeConditions(insecure, ours))
	return out
}

// PackPolicies splits statements, in order, into as few policy documents
// of at most MaxPolicyCharacters each as a first-fit in order allows. A
// statement too large for a policy of its own is an error.
func PackPolicies(statements []Statement) ([]PolicyDocument, error) {
	var docs []PolicyDocument
	for _, s := range statements {
		if one := policy(s); len(one.JSON()) > MaxPolicyCharacters {
			return nil, fmt.Errorf("statement %s alone has %d characters, more than an Organizations policy holds (%d)", s.Sid, len(one.JSON()), MaxPolicyCharacters)
		}
		if n := len(docs); n > 0 {
			grown := policy(append(slices.Clone(docs[n-1].Statement), s)...)
			if len(grown.JSON()) <= MaxPolicyCharacters {
				docs[n-1] = grown
				continue
			}
		}
		docs = append(docs, policy(s))
	}
	return docs, nil
}

// GuardrailsArgs configures the organization's preventive guardrails.
type GuardrailsArgs struct {
	// Management is the organization's management account, which creates
	// and attaches organization policies.
	Management Account
	// PolicyName names the policies: "<PolicyName>-scp-<n>", "<PolicyName>-rcp-<n>".
	PolicyName string
	// ServiceControl are the SCPs' statements; Targets the root or OUs
	// they attach to. No statements: no SCPs.
	ServiceControl []Statement
	Targets        []PolicyTarget
	// ResourceControl are the RCPs' statements, attached to
	// ResourceControlTarget (the log-archive account). None: no RCPs.
	ResourceControl       []Statement
	ResourceControlTarget PolicyTarget
}

// PolicyTarget is a root, OU or account a policy attaches to: Name names
// the attachment in the stack, ID is Organizations' (r-…, ou-…, 12 digits).
type PolicyTarget struct {
	Name, ID string
}

// Guardrails are service control policies attached to the root or OUs and
// resource control policies attached to the log-archive account, created
// in the management account.
type Guardrails struct {
	pulumi.ResourceState

	ServiceControlPolicies  []*organizations.Policy
	ResourceControlPolicies []*organizations.Policy
	Attachments             []*organizations.PolicyAttachment
}

func (a *GuardrailsArgs) validate() error {
	e := &argErrors{component: "Guardrails"}
	a.Management.check(e, "Management.")
	e.require("PolicyName", a.PolicyName)
	if len(a.ServiceControl) > 0 && len(a.Targets) == 0 {
		e.add("Targets", "required with ServiceControl: the root or OUs the policies attach to")
	}
	for i, t := range a.Targets {
		e.require(fmt.Sprintf("Targets[%d].Name", i), t.Name)
		e.require(fmt.Sprintf("Targets[%d].ID", i), t.ID)
	}
	if len(a.ResourceControl) > 0 {
		e.require("ResourceControlTarget.ID", a.ResourceControlTarget.ID)
		e.require("ResourceControlTarget.Name", a.ResourceControlTarget.Name)
	}
	for _, set := range []struct {
		arg        string
		statements []Statement
	}{{"ServiceControl", a.ServiceControl}, {"ResourceControl", a.ResourceControl}} {
		docs, err := PackPolicies(set.statements)
		if err != nil {
			e.add(set.arg, "%v", err)
		} else if len(docs) >= MaxPoliciesPerTarget {
			e.add(set.arg, "needs %d policies; with the one every target keeps, that passes Organizations' %d per target", len(docs), MaxPoliciesPerTarget)
		}
	}
	return e.err()
}

// NewGuardrails creates the organization policies and attaches them. An
// attachment depends on its policy, so removing the guardrails detaches
// each policy before deleting it (Organizations refuses to delete a policy
// that is attached: DeletePolicy, PolicyInUseException).
func NewGuardrails(ctx *pulumi.Context, name string, args *GuardrailsArgs, opts ...pulumi.ResourceOption) (_ *Guardrails, err error) {
	if args == nil {
		return nil, errNilArgs("Guardrails")
	}
	defer wrapChildError(&err, "Guardrails", name)
	if err := args.validate(); err != nil {
		return nil, err
	}
	c := &Guardrails{}
	if err := ctx.RegisterComponentResource(GuardrailsType, name, c, opts...); err != nil {
		return nil, err
	}
	child := children(c, args.Management.Provider)
	create := func(kind, policyType, description string, statements []Statement, targets []PolicyTarget) ([]*organizations.Policy, error) {
		docs, err := PackPolicies(statements)
		if err != nil {
			return nil, err
		}
		var policies []*organizations.Policy
		for i, doc := range docs {
			logical := fmt.Sprintf("%s-%s-%d", name, kind, i+1)
			pol, err := organizations.NewPolicy(ctx, logical, &organizations.PolicyArgs{
				Name:        pulumi.Sprintf("%s-%s-%d", args.PolicyName, kind, i+1),
				Type:        pulumi.String(policyType),
				Description: pulumi.String(description),
				Content:     pulumi.String(doc.JSON()),
			}, child...)
			if err != nil {
				return nil, err
			}
			policies = append(policies, pol)
			for _, target := range targets {
				att, err := organizations.NewPolicyAttachment(ctx, logical+"-"+target.Name, &organizations.PolicyAttachmentArgs{
					PolicyId: pol.ID().ToStringOutput(),
					TargetId: pulumi.String(target.ID),
				}, child...)
				if err != nil {
					return nil, err
				}
				c.Attachments = append(c.Attachments, att)
			}
		}
		return policies, nil
	}
	if len(args.ServiceControl) > 0 {
		if c.ServiceControlPolicies, err = create("scp", ServiceControlPolicy,
			"Denies member accounts tampering with the audit layer", args.ServiceControl, args.Targets); err != nil {
			return nil, err
		}
	}
	if len(args.ResourceControl) > 0 {
		if c.ResourceControlPolicies, err = create("rcp", ResourceControlPolicy,
			"Keeps the log archive's buckets and keys inside the organization", args.ResourceControl, []PolicyTarget{args.ResourceControlTarget}); err != nil {
			return nil, err
		}
	}
	return c, ctx.RegisterResourceOutputs(c, pulumi.Map{})
}

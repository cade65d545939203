// Package cis holds the CloudWatch Logs metric-filter alarms required by the
// CIS AWS Foundations Benchmark and checked by the AWS Security Hub
// "CloudWatch.1" to "CloudWatch.14" controls, plus CIS 4.15 (AWS
// Organizations changes), which Security Hub does not check.
//
// Security Hub passes one of these controls only when a metric filter on the
// trail's log group uses the published pattern exactly; extra terms or
// rewritten expressions fail the control. Pattern therefore holds each string
// character for character as published, and must not be reformatted.
//
// Sources of the pattern strings:
//
//   - CloudWatch.1 to CloudWatch.14: the AWS Security Hub User Guide page
//     "Security Hub controls for CloudWatch"
//     (https://docs.aws.amazon.com/securityhub/latest/userguide/cloudwatch-controls.html),
//     the "Copy the following pattern and then paste it into the Filter
//     Pattern field" step of each control's remediation section, as published
//     in the awsdocs/aws-security-hub-user-guide repository
//     (doc_source/cloudwatch-controls.md, commit bda5bf7ddbdf).
//   - CIS.4.15: CIS Amazon Web Services Foundations Benchmark v1.5.0 and
//     v3.0.0, recommendation 4.15 "Ensure AWS Organizations changes are
//     monitored", the --filter-pattern argument of the remediation's
//     "aws logs put-metric-filter" command.
package cis

// Control is one CIS/Security Hub log-metric-filter alarm.
type Control struct {
	// ID is the Security Hub control ID ("CloudWatch.1" ... "CloudWatch.14"),
	// or "CIS.4.15" for the Organizations control that Security Hub lacks.
	ID string
	// Key is a short, stable camelCase name used in configuration to switch
	// the control off.
	Key string
	// Title is one sentence saying what the alarm catches.
	Title string
	// MetricName is the CloudWatch metric the filter publishes; unique.
	MetricName string
	// Pattern is the exact published CloudWatch Logs filter pattern.
	Pattern string
}

// controls is kept in ID order; Controls hands out copies of it.
var controls = []Control{
	{
		// Source: Security Hub user guide, [CloudWatch.1] remediation
		// (CIS v1.2.0 1.1/3.3, CIS v1.4.0 1.7/4.3).
		ID:         "CloudWatch.1",
		Key:        "rootUsage",
		Title:      "Catches any API call or console sign-in made with the account's root user credentials, other than calls AWS services make on its behalf.",
		MetricName: "RootAccountUsage",
		Pattern:    `{$.userIdentity.type="Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType !="AwsServiceEvent"}`,
	},
	{
		// Source: Security Hub user guide, [CloudWatch.2] remediation
		// (CIS v1.2.0 3.1).
		ID:         "CloudWatch.2",
		Key:        "unauthorizedApiCalls",
		Title:      "Catches API calls that were refused with an AccessDenied or UnauthorizedOperation error.",
		MetricName: "UnauthorizedAPICalls",
		Pattern:    `{($.errorCode="*UnauthorizedOperation") || ($.errorCode="AccessDenied*")}`,
	},
	{
		// Source: Security Hub user guide, [CloudWatch.3] remediation
		// (CIS v1.2.0 3.2).
		ID:         "CloudWatch.3",
		Key:        "consoleSignInWithoutMfa",
		Title:      "Catches successful AWS Management Console sign-ins by IAM users who did not use multi-factor authentication.",
		MetricName: "ConsoleSignInWithoutMFA",
		Pattern:    `{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") && ($.userIdentity.type = "IAMUser") && ($.responseElements.ConsoleLogin = "Success") }`,
	},
	{
		// Source: Security Hub user guide, [CloudWatch.4] remediation
		// (CIS v1.2.0 3.4, CIS v1.4.0 4.4).
		ID:         "CloudWatch.4",
		Key:        "iamPolicyChanges",
		Title:      "Catches creation, deletion, versioning, attachment and detachment of IAM managed and inline policies.",
		MetricName: "IAMPolicyChanges",
		Pattern:    `{($.eventName=DeleteGroupPolicy) || ($.eventName=DeleteRolePolicy) || ($.eventName=DeleteUserPolicy) || ($.eventName=PutGroupPolicy) || ($.eventName=PutRolePolicy) || ($.eventName=PutUserPolicy) || ($.eventName=CreatePolicy) || ($.eventName=DeletePolicy) || ($.eventName=CreatePolicyVersion) || ($.eventName=DeletePolicyVersion) || ($.eventName=AttachRolePolicy) || ($.eventName=DetachRolePolicy) || ($.eventName=AttachUserPolicy) || ($.eventName=DetachUserPolicy) || ($.eventName=AttachGroupPolicy) || ($.eventName=DetachGroupPolicy)}`,
	},
	{
		// Source: Security Hub user guide, [CloudWatch.5] remediation
		// (CIS v1.2.0 3.5, CIS v1.4.0 4.5).
		ID:         "CloudWatch.5",
		Key:        "cloudTrailChanges",
		Title:      "Catches CloudTrail trails being created, updated or deleted and logging being started or stopped.",
		MetricName: "CloudTrailChanges",
		Pattern:    `{($.eventName=CreateTrail) || ($.eventName=UpdateTrail) || ($.eventName=DeleteTrail) || ($.eventName=StartLogging) || ($.eventName=StopLogging)}`,
	},
	{
		// Source: Security Hub user guide, [CloudWatch.6] remediation
		// (CIS v1.2.0 3.6, CIS v1.4.0 4.6).
		ID:         "CloudWatch.6",
		Key:        "consoleAuthFailures",
		Title:      "Catches AWS Management Console sign-in attempts that failed authentication.",
		MetricName: "ConsoleAuthenticationFailures",
		Pattern:    `{($.eventName=ConsoleLogin) && ($.errorMessage="Failed authentication")}`,
	},
	{
		// Source: Security Hub user guide, [CloudWatch.7] remediation
		// (CIS v1.2.0 3.7, CIS v1.4.0 4.7).
		ID:         "CloudWatch.7",
		Key:        "cmkDisableOrDeletion",
		Title:      "Catches customer managed KMS keys being disabled or scheduled for deletion.",
		MetricName: "DisableOrDeleteCMK",
		Pattern:    `{($.eventSource=kms.amazonaws.com) && (($.eventName=DisableKey) || ($.eventName=ScheduleKeyDeletion))}`,
	},
	{
		// Source: Security Hub user guide, [CloudWatch.8] remediation
		// (CIS v1.2.0 3.8, CIS v1.4.0 4.8).
		ID:         "CloudWatch.8",
		Key:        "s3BucketPolicyChanges",
		Title:      "Catches changes to S3 bucket policies, ACLs, CORS, lifecycle and replication configuration.",
		MetricName: "S3BucketPolicyChanges",
		Pattern:    `{($.eventSource=s3.amazonaws.com) && (($.eventName=PutBucketAcl) || ($.eventName=PutBucketPolicy) || ($.eventName=PutBucketCors) || ($.eventName=PutBucketLifecycle) || ($.eventName=PutBucketReplication) || ($.eventName=DeleteBucketPolicy) || ($.eventName=DeleteBucketCors) || ($.eventName=DeleteBucketLifecycle) || ($.eventName=DeleteBucketReplication))}`,
	},
	{
		// Source: Security Hub user guide, [CloudWatch.9] remediation
		// (CIS v1.2.0 3.9, CIS v1.4.0 4.9).
		ID:         "CloudWatch.9",
		Key:        "awsConfigChanges",
		Title:      "Catches AWS Config recorders being stopped or changed and delivery channels being changed or deleted.",
		MetricName: "AWSConfigChanges",
		Pattern:    `{($.eventSource=config.amazonaws.com) && (($.eventName=StopConfigurationRecorder) || ($.eventName=DeleteDeliveryChannel) || ($.eventName=PutDeliveryChannel) || ($.eventName=PutConfigurationRecorder))}`,
	},
	{
		// Source: Security Hub user guide, [CloudWatch.10] remediation
		// (CIS v1.2.0 3.10, CIS v1.4.0 4.10).
		ID:         "CloudWatch.10",
		Key:        "securityGroupChanges",
		Title:      "Catches security groups being created or deleted and their ingress or egress rules being added or revoked.",
		MetricName: "SecurityGroupChanges",
		Pattern:    `{($.eventName=AuthorizeSecurityGroupIngress) || ($.eventName=AuthorizeSecurityGroupEgress) || ($.eventName=RevokeSecurityGroupIngress) || ($.eventName=RevokeSecurityGroupEgress) || ($.eventName=CreateSecurityGroup) || ($.eventName=DeleteSecurityGroup)}`,
	},
	{
		// Source: Security Hub user guide, [CloudWatch.11] remediation
		// (CIS v1.2.0 3.11, CIS v1.4.0 4.11).
		ID:         "CloudWatch.11",
		Key:        "naclChanges",
		Title:      "Catches network ACLs, their entries and their subnet associations being created, replaced or deleted.",
		MetricName: "NetworkACLChanges",
		Pattern:    `{($.eventName=CreateNetworkAcl) || ($.eventName=CreateNetworkAclEntry) || ($.eventName=DeleteNetworkAcl) || ($.eventName=DeleteNetworkAclEntry) || ($.eventName=ReplaceNetworkAclEntry) || ($.eventName=ReplaceNetworkAclAssociation)}`,
	},
	{
		// Source: Security Hub user guide, [CloudWatch.12] remediation
		// (CIS v1.2.0 3.12, CIS v1.4.0 4.12).
		ID:         "CloudWatch.12",
		Key:        "networkGatewayChanges",
		Title:      "Catches customer gateways and internet gateways being created, deleted, attached or detached.",
		MetricName: "NetworkGatewayChanges",
		Pattern:    `{($.eventName=CreateCustomerGateway) || ($.eventName=DeleteCustomerGateway) || ($.eventName=AttachInternetGateway) || ($.eventName=CreateInternetGateway) || ($.eventName=DeleteInternetGateway) || ($.eventName=DetachInternetGateway)}`,
	},
	{
		// Source: Security Hub user guide, [CloudWatch.13] remediation
		// (CIS v1.2.0 3.13, CIS v1.4.0 4.13).
		ID:         "CloudWatch.13",
		Key:        "routeTableChanges",
		Title:      "Catches routes and route tables being created, replaced, deleted or disassociated.",
		MetricName: "RouteTableChanges",
		Pattern:    `{($.eventName=CreateRoute) || ($.eventName=CreateRouteTable) || ($.eventName=ReplaceRoute) || ($.eventName=ReplaceRouteTableAssociation) || ($.eventName=DeleteRouteTable) || ($.eventName=DeleteRoute) || ($.eventName=DisassociateRouteTable)}`,
	},
	{
		// Source: Security Hub user guide, [CloudWatch.14] remediation
		// (CIS v1.2.0 3.14, CIS v1.4.0 4.14).
		ID:         "CloudWatch.14",
		Key:        "vpcChanges",
		Title:      "Catches VPCs being created, deleted or modified, VPC peering changes and ClassicLink changes.",
		MetricName: "VPCChanges",
		Pattern:    `{($.eventName=CreateVpc) || ($.eventName=DeleteVpc) || ($.eventName=ModifyVpcAttribute) || ($.eventName=AcceptVpcPeeringConnection) || ($.eventName=CreateVpcPeeringConnection) || ($.eventName=DeleteVpcPeeringConnection) || ($.eventName=RejectVpcPeeringConnection) || ($.eventName=AttachClassicLinkVpc) || ($.eventName=DetachClassicLinkVpc) || ($.eventName=DisableVpcClassicLink) || ($.eventName=EnableVpcClassicLink)}`,
	},
	{
		// Source: CIS AWS Foundations Benchmark v1.5.0 / v3.0.0,
		// recommendation 4.15 "Ensure AWS Organizations changes are
		// monitored", remediation --filter-pattern. Not a Security Hub
		// control; the same string also appears in Prowler's
		// cloudwatch_log_metric_filter_aws_organizations_changes check.
		ID:         "CIS.4.15",
		Key:        "organizationsChanges",
		Title:      "Catches changes to the AWS Organization: accounts created, invited, moved, removed or leaving, OUs and policies changed, handshakes accepted or declined.",
		MetricName: "OrganizationsChanges",
		Pattern:    `{ ($.eventSource = organizations.amazonaws.com) && (($.eventName = "AcceptHandshake") || ($.eventName = "AttachPolicy") || ($.eventName = "CreateAccount") || ($.eventName = "CreateOrganizationalUnit") || ($.eventName = "CreatePolicy") || ($.eventName = "DeclineHandshake") || ($.eventName = "DeleteOrganization") || ($.eventName = "DeleteOrganizationalUnit") || ($.eventName = "DeletePolicy") || ($.eventName = "DetachPolicy") || ($.eventName = "DisablePolicyType") || ($.eventName = "EnablePolicyType") || ($.eventName = "InviteAccountToOrganization") || ($.eventName = "LeaveOrganization") || ($.eventName = "MoveAccount") || ($.eventName = "RemoveAccountFromOrganization") || ($.eventName = "UpdatePolicy") || ($.eventName = "UpdateOrganizationalUnit")) }`,
	},
}

// Controls lists every control in ID order. Callers must not modify it.
//
// Each call returns a fresh copy of the list, so a caller that does modify
// it cannot affect other callers.
func Controls() []Control {
	out := make([]Control, len(controls))
	copy(out, controls)
	return out
}

package detection

// Supplementary is a metric-filter detection beside the CIS set: an attack
// path the published CIS patterns miss. Unlike the CIS patterns, which
// Security Hub judges by their exact text, these are this product's own and
// are written from AWS's documentation of the events they must catch.
type Supplementary struct {
	// Key is the stable camelCase name that switches the alarm in
	// configuration (alarms.supplementary.alarms.<key>: false).
	Key string
	// Gap names the CIS alarm whose published pattern misses these events.
	Gap string
	// Title says in one sentence what the alarm catches.
	Title string
	// MetricName is the CloudWatch metric the filter counts into; unique.
	MetricName string
	// Pattern is the CloudWatch Logs filter pattern.
	Pattern string
}

// supplementary is kept in a fixed order; SupplementaryAlarms hands out copies.
var supplementary = []Supplementary{
	{
		// CloudTrail API reference, PutEventSelectors and PutInsightSelectors
		// (eventSource cloudtrail.amazonaws.com): both change what a trail
		// records without stopping it, so CloudWatch.5's list
		// (CreateTrail, UpdateTrail, DeleteTrail, StartLogging, StopLogging)
		// misses them. The read-only GetEventSelectors and
		// GetInsightSelectors have other event names.
		Key:        "trailSelectorChanges",
		Gap:        "CloudWatch.5",
		Title:      "Catches a trail's event or Insights selectors being changed (PutEventSelectors, PutInsightSelectors), which can stop management, data or Insights events being logged while the trail keeps running.",
		MetricName: "CloudTrailSelectorChanges",
		Pattern:    `{ ($.eventSource = "cloudtrail.amazonaws.com") && (($.eventName = "PutEventSelectors") || ($.eventName = "PutInsightSelectors")) }`,
	},
	{
		// IAM API reference, UpdateAssumeRolePolicy (eventSource
		// iam.amazonaws.com): it rewrites who may assume a role, which
		// CloudWatch.4's list of policy changes leaves out. GetRole, the
		// read-only look-alike, has another event name.
		Key:        "roleTrustPolicyChanges",
		Gap:        "CloudWatch.4",
		Title:      "Catches a role's trust policy being rewritten (UpdateAssumeRolePolicy), which decides who may assume the role, including principals outside the organization.",
		MetricName: "RoleTrustPolicyChanges",
		Pattern:    `{ ($.eventSource = "iam.amazonaws.com") && ($.eventName = "UpdateAssumeRolePolicy") }`,
	},
	{
		// CloudTrail user guide, "AWS Management Console sign-in events",
		// root user, successful sign-in without MFA: userIdentity.type
		// Root, responseElements.ConsoleLogin Success,
		// additionalEventData.MFAUsed No. CloudWatch.3 counts IAMUser
		// only. Federated sign-ins (AssumedRole, MFA at the identity
		// provider) and IAM users are other types; a record without
		// MFAUsed counts as without MFA.
		Key:        "rootSignInWithoutMfa",
		Gap:        "CloudWatch.3",
		Title:      "Catches the root user signing in to the AWS Management Console without multi-factor authentication.",
		MetricName: "RootConsoleSignInWithoutMFA",
		Pattern:    `{ ($.eventName = "ConsoleLogin") && ($.userIdentity.type = "Root") && ($.responseElements.ConsoleLogin = "Success") && (($.additionalEventData.MFAUsed != "Yes") || ($.additionalEventData.MFAUsed NOT EXISTS)) }`,
	},
	{
		// IAM user guide, "Logging IAM and AWS STS API calls with AWS
		// CloudTrail", sign-in failure caused by an incorrect user name:
		// errorMessage "No username found in supplied account", with
		// responseElements.ConsoleLogin Failure. CloudWatch.6 counts only
		// "Failed authentication", which this leaves to it.
		Key:        "otherSignInFailures",
		Gap:        "CloudWatch.6",
		Title:      "Catches failed AWS Management Console sign-ins whose error is not \"Failed authentication\" (for example a user name that does not exist), which CloudWatch.6 does not count.",
		MetricName: "ConsoleSignInOtherFailures",
		Pattern:    `{ ($.eventName = "ConsoleLogin") && ($.responseElements.ConsoleLogin = "Failure") && (($.errorMessage != "Failed authentication") || ($.errorMessage NOT EXISTS)) }`,
	},
	{
		// CloudTrail user guide, "CloudTrail record contents", network
		// activity events: a request refused by a VPC endpoint policy is
		// logged with errorCode VpceAccessDenied (eventType AwsVpceEvent),
		// outside CloudWatch.2's AccessDenied* and *UnauthorizedOperation.
		// Network activity events are logged only when the trail selects
		// them.
		Key:        "vpceAccessDenied",
		Gap:        "CloudWatch.2",
		Title:      "Catches requests refused by a VPC endpoint policy (errorCode VpceAccessDenied), logged only when the trail records network activity events.",
		MetricName: "VPCEndpointAccessDenied",
		Pattern:    `{ $.errorCode = "VpceAccessDenied" }`,
	},
	{
		// CloudTrail user guide, log file examples: a call made through
		// the console carries userIdentity.invokedBy
		// signin.amazonaws.com, which CloudWatch.1's
		// "invokedBy NOT EXISTS" drops for the root user. AWS service
		// events and read-only calls stay out: the root user's sign-in
		// itself is CloudWatch.1's.
		Key:        "rootConsoleActions",
		Gap:        "CloudWatch.1",
		Title:      "Catches changes the root user makes through the console (userIdentity.invokedBy signin.amazonaws.com, such as creating an access key), which CloudWatch.1 does not count.",
		MetricName: "RootConsoleActions",
		Pattern:    `{ ($.userIdentity.type = "Root") && ($.userIdentity.invokedBy = "signin.amazonaws.com") && ($.eventType != "AwsServiceEvent") && (($.readOnly IS FALSE) || ($.readOnly NOT EXISTS)) }`,
	},
}

// SupplementaryAlarms lists the supplementary detections in a fixed order.
// Each call returns a fresh copy.
func SupplementaryAlarms() []Supplementary {
	out := make([]Supplementary, len(supplementary))
	copy(out, supplementary)
	return out
}

// SupplementaryKeys lists the supplementary detections' keys in order.
func SupplementaryKeys() []string {
	keys := make([]string, len(supplementary))
	for i, s := range supplementary {
		keys[i] = s.Key
	}
	return keys
}

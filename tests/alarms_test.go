package tests

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/example/landing-zone-audit/internal/detection"
	"github.com/example/landing-zone-audit/internal/filterpattern"
	"github.com/example/landing-zone-audit/internal/plan"
)

const alertTopicArn = "arn:aws:sns:eu-west-2:" + prodManagementID + ":acme-security-alerts"

// publishedCISPatterns are the filter patterns as the Security Hub user guide
// (CloudWatch.1–14) and the CIS benchmark (4.15) print them; Security Hub
// judges the alarms by this exact text.
var publishedCISPatterns = map[string]string{
	"rootUsage":               `{$.userIdentity.type="Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType !="AwsServiceEvent"}`,
	"unauthorizedApiCalls":    `{($.errorCode="*UnauthorizedOperation") || ($.errorCode="AccessDenied*")}`,
	"consoleSignInWithoutMfa": `{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") && ($.userIdentity.type = "IAMUser") && ($.responseElements.ConsoleLogin = "Success") }`,
	"iamPolicyChanges":        `{($.eventName=DeleteGroupPolicy) || ($.eventName=DeleteRolePolicy) || ($.eventName=DeleteUserPolicy) || ($.eventName=PutGroupPolicy) || ($.eventName=PutRolePolicy) || ($.eventName=PutUserPolicy) || ($.eventName=CreatePolicy) || ($.eventName=DeletePolicy) || ($.eventName=CreatePolicyVersion) || ($.eventName=DeletePolicyVersion) || ($.eventName=AttachRolePolicy) || ($.eventName=DetachRolePolicy) || ($.eventName=AttachUserPolicy) || ($.eventName=DetachUserPolicy) || ($.eventName=AttachGroupPolicy) || ($.eventName=DetachGroupPolicy)}`,
	"cloudTrailChanges":       `{($.eventName=CreateTrail) || ($.eventName=UpdateTrail) || ($.eventName=DeleteTrail) || ($.eventName=StartLogging) || ($.eventName=StopLogging)}`,
	"consoleAuthFailures":     `{($.eventName=ConsoleLogin) && ($.errorMessage="Failed authentication")}`,
	"cmkDisableOrDeletion":    `{($.eventSource=kms.amazonaws.com) && (($.eventName=DisableKey) || ($.eventName=ScheduleKeyDeletion))}`,
	"s3BucketPolicyChanges":   `{($.eventSource=s3.amazonaws.com) && (($.eventName=PutBucketAcl) || ($.eventName=PutBucketPolicy) || ($.eventName=PutBucketCors) || ($.eventName=PutBucketLifecycle) || ($.eventName=PutBucketReplication) || ($.eventName=DeleteBucketPolicy) || ($.eventName=DeleteBucketCors) || ($.eventName=DeleteBucketLifecycle) || ($.eventName=DeleteBucketReplication))}`,
	"awsConfigChanges":        `{($.eventSource=config.amazonaws.com) && (($.eventName=StopConfigurationRecorder) || ($.eventName=DeleteDeliveryChannel) || ($.eventName=PutDeliveryChannel) || ($.eventName=PutConfigurationRecorder))}`,
	"securityGroupChanges":    `{($.eventName=AuthorizeSecurityGroupIngress) || ($.eventName=AuthorizeSecurityGroupEgress) || ($.eventName=RevokeSecurityGroupIngress) || ($.eventName=RevokeSecurityGroupEgress) || ($.eventName=CreateSecurityGroup) || ($.eventName=DeleteSecurityGroup)}`,
	"naclChanges":             `{($.eventName=CreateNetworkAcl) || ($.eventName=CreateNetworkAclEntry) || ($.eventName=DeleteNetworkAcl) || ($.eventName=DeleteNetworkAclEntry) || ($.eventName=ReplaceNetworkAclEntry) || ($.eventName=ReplaceNetworkAclAssociation)}`,
	"networkGatewayChanges":   `{($.eventName=CreateCustomerGateway) || ($.eventName=DeleteCustomerGateway) || ($.eventName=AttachInternetGateway) || ($.eventName=CreateInternetGateway) || ($.eventName=DeleteInternetGateway) || ($.eventName=DetachInternetGateway)}`,
	"routeTableChanges":       `{($.eventName=CreateRoute) || ($.eventName=CreateRouteTable) || ($.eventName=ReplaceRoute) || ($.eventName=ReplaceRouteTableAssociation) || ($.eventName=DeleteRouteTable) || ($.eventName=DeleteRoute) || ($.eventName=DisassociateRouteTable)}`,
	"vpcChanges":              `{($.eventName=CreateVpc) || ($.eventName=DeleteVpc) || ($.eventName=ModifyVpcAttribute) || ($.eventName=AcceptVpcPeeringConnection) || ($.eventName=CreateVpcPeeringConnection) || ($.eventName=DeleteVpcPeeringConnection) || ($.eventName=RejectVpcPeeringConnection) || ($.eventName=AttachClassicLinkVpc) || ($.eventName=DetachClassicLinkVpc) || ($.eventName=DisableVpcClassicLink) || ($.eventName=EnableVpcClassicLink)}`,
	"organizationsChanges":    `{ ($.eventSource = organizations.amazonaws.com) && (($.eventName = "AcceptHandshake") || ($.eventName = "AttachPolicy") || ($.eventName = "CreateAccount") || ($.eventName = "CreateOrganizationalUnit") || ($.eventName = "CreatePolicy") || ($.eventName = "DeclineHandshake") || ($.eventName = "DeleteOrganization") || ($.eventName = "DeleteOrganizationalUnit") || ($.eventName = "DeletePolicy") || ($.eventName = "DetachPolicy") || ($.eventName = "DisablePolicyType") || ($.eventName = "EnablePolicyType") || ($.eventName = "InviteAccountToOrganization") || ($.eventName = "LeaveOrganization") || ($.eventName = "MoveAccount") || ($.eventName = "RemoveAccountFromOrganization") || ($.eventName = "UpdatePolicy") || ($.eventName = "UpdateOrganizationalUnit")) }`,
}

func TestCISPatternsAreThePublishedStrings(t *testing.T) {
	t.Parallel()
	p := runPlan(t, exampleConfig(t))
	filters := named(p, typeLogMetricFilter)
	for key, want := range publishedCISPatterns {
		f, ok := filters["cis-"+key+"-filter"]
		require.True(t, ok, "filter for %s", key)
		assert.Equal(t, want, f.Inputs["pattern"], key)
	}
	assert.Len(t, filters, len(publishedCISPatterns)+1+len(detection.SupplementaryKeys()), "the CIS filters, the elevated-role filter and the supplementary ones")
}

// expectations maps each alarm to fixtures it must and must not fire on.
func expectations(t testing.TB) map[string]struct{ Match, NoMatch []string } {
	t.Helper()
	data, err := os.ReadFile("testdata/cloudtrail/expectations.json")
	require.NoError(t, err)
	var exp map[string]struct{ Match, NoMatch []string }
	require.NoError(t, json.Unmarshal(data, &exp))
	return exp
}

func fixture(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "cloudtrail", name))
	require.NoError(t, err)
	var buf bytes.Buffer
	require.NoError(t, json.Compact(&buf, data)) // one line, as in CloudWatch Logs
	return buf.Bytes()
}

// matchesAny reports whether any of the filters' patterns (as the engine saw
// them) matches event: several filters feeding one metric fire together.
func matchesAny(t testing.TB, filters []plan.Resource, event []byte) bool {
	t.Helper()
	for _, f := range filters {
		p, err := filterpattern.Parse(f.Inputs["pattern"].(string))
		require.NoError(t, err)
		ok, err := p.Match(event)
		require.NoError(t, err)
		if ok {
			return true
		}
	}
	return false
}

// Each alarm's pattern, taken from the plan, fires on its positives and stays
// silent on everything else.
func TestAlarmPatternsOnCloudTrailEvents(t *testing.T) {
	t.Parallel()
	p := runPlan(t, exampleConfig(t))
	filters := named(p, typeLogMetricFilter)
	for key, exp := range expectations(t) {
		name := "cis-" + key + "-filter"
		if key == "elevatedRole" {
			name = "elevated-role-filter"
		}
		f, ok := filters[name]
		require.True(t, ok, name)
		require.NotEmpty(t, exp.Match, key)
		for _, ev := range exp.Match {
			assert.True(t, matchesAny(t, []plan.Resource{f}, fixture(t, ev)), "%s should fire on %s", key, ev)
		}
		for _, ev := range exp.NoMatch {
			assert.False(t, matchesAny(t, []plan.Resource{f}, fixture(t, ev)), "%s should stay silent on %s", key, ev)
		}
	}
}

func TestElevatedRoleAlarm(t *testing.T) {
	t.Parallel()
	p := runPlan(t, exampleConfig(t))
	f := one(t, p, typeLogMetricFilter, "elevated-role-filter")
	assert.Equal(t, "management", f.Account)
	assert.Equal(t, "eu-west-2", f.Region)
	assert.Equal(t, "OrgTrail/org-audit-log", f.Inputs["logGroupName"])
	assert.Equal(t, "OrgTrailMetrics", input(f, "metricTransformation.namespace"))
	assert.Equal(t, "acme-switch-elevated-count", input(f, "metricTransformation.name"))
	assert.Equal(t, "1", input(f, "metricTransformation.value"))
	pattern := f.Inputs["pattern"].(string)
	for _, acct := range []string{prodWorkloadID, prodDevID} {
		assert.Contains(t, pattern, `"arn:aws:sts::`+acct+`:assumed-role/elevated-security-role/*"`)
		assert.Contains(t, pattern, `"arn:aws:iam::`+acct+`:role/elevated-security-role"`)
	}
	assert.NotContains(t, pattern, "::*:", "no mid-string wildcard")
	assert.NotContains(t, pattern, prodManagementID, "only the configured accounts")

	alarm := one(t, p, typeMetricAlarm, "elevated-role-alarm")
	assert.Equal(t, "management", alarm.Account)
	assert.Equal(t, "OrgTrailMetrics", alarm.Inputs["namespace"])
	assert.Equal(t, "acme-switch-elevated-count", alarm.Inputs["metricName"])
	assert.Equal(t, "Sum", alarm.Inputs["statistic"])
	assert.Equal(t, 60.0, alarm.Inputs["period"], "standard-resolution metrics need 60 s or more")
	assert.Equal(t, 1.0, alarm.Inputs["evaluationPeriods"])
	assert.Equal(t, 1.0, alarm.Inputs["threshold"])
	assert.Equal(t, "GreaterThanOrEqualToThreshold", alarm.Inputs["comparisonOperator"])
	assert.Equal(t, "notBreaching", alarm.Inputs["treatMissingData"])
	assert.Equal(t, []any{alertTopicArn}, alarm.Inputs["alarmActions"])
	assert.True(t, dependsOn(alarm, f))
}

// Many accounts split the clauses over several filters within the 1024-character
// limit; together they still catch every account.
func TestElevatedRoleAlarmSplitsLongPatterns(t *testing.T) {
	t.Parallel()
	accounts := map[string]map[string]string{
		"management": {"id": prodManagementID, "email": "aws-management@example.com"}, "security": {"id": prodSecurityID}, "logArchive": {"id": prodLogArchiveID},
	}
	for i := 0; i < 12; i++ {
		accounts[fmt.Sprintf("member%c", 'a'+i)] = map[string]string{"id": fmt.Sprintf("9000000000%02d", i)}
	}
	raw := with(with(exampleConfig(t), "accounts", accounts), "alarms", map[string]any{})
	p := runPlan(t, raw)
	var filters []plan.Resource
	for _, f := range p.ByType(typeLogMetricFilter) {
		if strings.HasPrefix(f.Name, "elevated-role-") {
			filters = append(filters, f)
			assert.LessOrEqual(t, len(f.Inputs["pattern"].(string)), 1024)
			assert.Equal(t, "acme-switch-elevated-count", input(f, "metricTransformation.name"))
		}
	}
	require.Greater(t, len(filters), 1)
	for _, acct := range []string{prodManagementID, "900000000011"} {
		ev := []byte(`{"eventSource":"sts.amazonaws.com","eventName":"AssumeRole","requestParameters":{"roleArn":"arn:aws:iam::` + acct + `:role/elevated-security-role"}}`)
		assert.True(t, matchesAny(t, filters, ev), acct)
	}
}

func TestCISAlarmsAlertTheTopicAndCanBeSwitchedOff(t *testing.T) {
	t.Parallel()
	p := runPlan(t, exampleConfig(t))
	for key := range publishedCISPatterns {
		alarm := one(t, p, typeMetricAlarm, "cis-"+key+"-alarm")
		assert.Equal(t, []any{alertTopicArn}, alarm.Inputs["alarmActions"], key)
		assert.Equal(t, 60.0, alarm.Inputs["period"])
		assert.Equal(t, "acme-cis-"+key, alarm.Inputs["name"])
	}

	t.Run("some CIS alarms disabled", func(t *testing.T) {
		p := runPlan(t, with(exampleConfig(t), "alarms", map[string]any{"cisDisabledControls": []string{"vpcChanges", "rootUsage"}}))
		filters := named(p, typeLogMetricFilter)
		assert.NotContains(t, filters, "cis-vpcChanges-filter")
		assert.NotContains(t, filters, "cis-rootUsage-filter")
		assert.Contains(t, filters, "cis-naclChanges-filter")
	})

	t.Run("every alarm off", func(t *testing.T) {
		p := runPlan(t, with(exampleConfig(t), "alarms", map[string]any{"cisEnabled": false, "elevatedRoleDisabled": true, "supplementary": map[string]any{"enabled": false}}))
		for _, alarm := range p.ByType(typeMetricAlarm) {
			assert.NotEqual(t, "management", alarm.Account, "no alarm on the trail's log group: %s", alarm.Name)
		}
		assert.Empty(t, p.ByType("landingzone:audit:CISAlarms"))
	})
}

func TestAlertTopic(t *testing.T) {
	t.Parallel()
	p := runPlan(t, exampleConfig(t))
	topic := one(t, p, typeTopic, "alerts")
	assert.Equal(t, "management", topic.Account)
	assert.Equal(t, "acme-security-alerts", topic.Inputs["name"])
	key := one(t, p, typeKey, "alerts-key")
	assert.Equal(t, "management", key.Account)
	assert.Regexp(t, `^arn:aws:kms:eu-west-2:`+prodManagementID+`:key/`, topic.Inputs["kmsMasterKeyId"], "customer key, not alias/aws/sns")
	assert.Equal(t, true, key.Inputs["enableKeyRotation"])

	keyPolicy := policyOf(t, key, "policy")
	requireNoOpenWildcardPrincipal(t, keyPolicy)
	for sidName, principal := range map[string]string{"PublisherUsesKeyCloudWatch": "cloudwatch.amazonaws.com", "PublisherUsesKeyEventBridge": "events.amazonaws.com"} {
		s := sid(t, keyPolicy, sidName)
		assert.Equal(t, []string{principal}, []string(s.Principal.Service))
		assert.ElementsMatch(t, []string{"kms:GenerateDataKey*", "kms:Decrypt"}, []string(s.Action))
	}
	// CloudWatch alarms' KMS requests carry the alarm's account and ARN.
	cwKey := sid(t, keyPolicy, "PublisherUsesKeyCloudWatch")
	assert.Equal(t, prodManagementID, cwKey.Condition["StringEquals"]["aws:SourceAccount"])
	assert.Equal(t, "arn:aws:cloudwatch:eu-west-2:"+prodManagementID+":alarm:*", cwKey.Condition["ArnLike"]["aws:SourceArn"])

	topicPolicy := policyOf(t, one(t, p, typeTopicPolicy, "alerts-policy"), "policy")
	requireNoOpenWildcardPrincipal(t, topicPolicy)
	cw := sid(t, topicPolicy, "PublisherPublishesCloudWatch")
	assert.Equal(t, []string{"sns:Publish"}, []string(cw.Action))
	assert.Equal(t, []string{alertTopicArn}, []string(cw.Resource))
	assert.Equal(t, "arn:aws:cloudwatch:eu-west-2:"+prodManagementID+":alarm:*", cw.Condition["ArnLike"]["aws:SourceArn"])
	ev := sid(t, topicPolicy, "PublisherPublishesEventBridge")
	assert.Equal(t, "arn:aws:events:eu-west-2:"+prodManagementID+":rule/*", ev.Condition["ArnLike"]["aws:SourceArn"])
	requireTLSOnly(t, topicPolicy, "sns:Publish", alertTopicArn)

	sub := one(t, p, typeSubscription, "alerts-email-0")
	assert.Equal(t, "email", sub.Inputs["protocol"])
	assert.Equal(t, "security-alerts@example.com", sub.Inputs["endpoint"])
	assert.Equal(t, alertTopicArn, sub.Inputs["topic"])
}

func TestTestFilterCommand(t *testing.T) {
	t.Parallel()
	pattern := publishedCISPatterns["rootUsage"]
	events := string(fixture(t, "root-console-signin.json")) + "\n\n" + string(fixture(t, "root-service-event.json")) + "\n"
	code, stdout, stderr := runCLI(t, events, "test-filter", "--pattern", pattern)
	require.Equal(t, 0, code, stderr)
	assert.Equal(t, "1  ConsoleLogin  e6e4b073-a8fb-51d5-9943-5767cd5cd7f2  match\n2  RotateKey     df672714-9f7b-5b92-beac-d096d7eced53  no-match\n", stdout)

	// A JSON array from a file gives the same answers.
	path := filepath.Join(t.TempDir(), "events.json")
	require.NoError(t, os.WriteFile(path, []byte("["+string(fixture(t, "root-console-signin.json"))+","+string(fixture(t, "benign-s3-list-buckets.json"))+"]"), 0o644))
	code, stdout, _ = runCLI(t, "", "test-filter", "--pattern", pattern, "--events", path)
	require.Equal(t, 0, code)
	assert.Equal(t, "1  ConsoleLogin  e6e4b073-a8fb-51d5-9943-5767cd5cd7f2  match\n2  ListBuckets   45b48115-8b8c-58dd-9ac0-dde5487c0042  no-match\n", stdout)

	code, stdout, stderr = runCLI(t, "{}", "test-filter", "--pattern", `{ $.a = `)
	assert.Equal(t, 2, code)
	assert.Empty(t, stdout)
	assert.Contains(t, stderr, "invalid pattern")
	assert.Contains(t, stderr, "offset")

	code, stdout, stderr = runCLI(t, "{\"a\":1}\nnot json\n", "test-filter", "--pattern", `{ $.a = 1 }`)
	assert.Equal(t, 2, code)
	assert.Empty(t, stdout)
	assert.Contains(t, stderr, "document 2 (line 2, column 1) is not valid JSON")
}

// The README's example, as a day-one user runs it: each fixture is one
// pretty-printed JSON document.
func TestTestFilterReadsWhatUsersPaste(t *testing.T) {
	t.Parallel()
	pattern := `{ ($.eventName = "SwitchRole") && ($.userIdentity.arn = "arn:aws:sts::444444444444:assumed-role/elevated-security-role/*") }`
	single := string(fixture(t, "switchrole-elevated-prod.json"))
	cases := []struct {
		name, stdin string
		args        []string
		code        int
		out, err    string
	}{
		{"one pretty-printed document from a file", "", []string{"--events", filepath.Join("testdata", "cloudtrail", "switchrole-elevated-prod.json")}, 0, "1  SwitchRole  6bae3208-f622-5013-8199-dd4d4023a490  match\n", ""},
		{"stdin with --events -", single, []string{"--events", "-"}, 0, "1  SwitchRole  6bae3208-f622-5013-8199-dd4d4023a490  match\n", ""},
		{"a byte-order mark", "\ufeff" + single, nil, 0, "1  SwitchRole  6bae3208-f622-5013-8199-dd4d4023a490  match\n", ""},
		{"JSON Lines", compact(t, single) + "\n" + compact(t, string(fixture(t, "benign-s3-list-buckets.json"))) + "\n", nil, 0, "1  SwitchRole   6bae3208-f622-5013-8199-dd4d4023a490  match\n2  ListBuckets  45b48115-8b8c-58dd-9ac0-dde5487c0042  no-match\n", ""},
		{"a line longer than 64 KB", `{"eventName":"SwitchRole","pad":"` + strings.Repeat("x", 200_000) + `"}`, nil, 0, "1  SwitchRole  -  no-match\n", ""},
		{"empty input", "  \n", nil, 2, "", "no events in the input"},
		{"empty array", "[]", nil, 2, "", "the array holds no events"},
		{"not an object", `["ConsoleLogin"]`, nil, 2, "", "event 1 is not a JSON object"},
		{"JSON output", single, []string{"--format", "json"}, 0, `[{"index":1,"event":"SwitchRole","id":"6bae3208-f622-5013-8199-dd4d4023a490","match":true}]` + "\n", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			code, stdout, stderr := runCLI(t, tc.stdin, append([]string{"test-filter", "--pattern", pattern}, tc.args...)...)
			assert.Equal(t, tc.code, code, stderr)
			assert.Equal(t, tc.out, stdout)
			assert.Contains(t, stderr, tc.err)
		})
	}
}

// CloudWatch Logs takes JSON, term and space-delimited filter patterns of at
// most 1,024 characters (FilterAndPatternSyntax; PutMetricFilter
// filterPattern: maximum length 1024). The evaluator implements the JSON
// form CloudTrail metric filters use and refuses the others by name.
func TestTestFilterRefusesWhatItCannotEvaluate(t *testing.T) {
	t.Parallel()
	for pattern, want := range map[string]string{
		"ERROR":                 "only JSON filter patterns",
		"[ip, user, timestamp]": "only JSON filter patterns",
		`{ $.a = "` + strings.Repeat("x", 1100) + `" }`: "CloudWatch Logs takes at most 1024",
	} {
		code, stdout, stderr := runCLI(t, "{}", "test-filter", "--pattern", pattern)
		assert.Equal(t, 2, code)
		assert.Empty(t, stdout)
		assert.Contains(t, stderr, want)
	}
}

// Every command answers --help with its own help on stdout and status 0,
// in the --flag style of the top-level help; help COMMAND does the same.
func TestCommandHelp(t *testing.T) {
	t.Parallel()
	for _, cmd := range []string{"plan", "test-filter", "test-event-pattern"} {
		for _, args := range [][]string{{cmd, "--help"}, {cmd, "-h"}, {"help", cmd}} {
			code, stdout, stderr := runCLI(t, "", args...)
			assert.Equal(t, 0, code, "%v: %s", args, stderr)
			assert.Contains(t, stdout, "usage: landing-zone-audit "+cmd, args)
			assert.Contains(t, stdout, "  --", "%v: flags written --flag", args)
			assert.Empty(t, stderr)
		}
	}
	code, stdout, _ := runCLI(t, "", "version")
	assert.Equal(t, 0, code)
	assert.Contains(t, stdout, "landing-zone-audit ")
	code, _, stderr := runCLI(t, "", "plan", "--bogus")
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, "usage: landing-zone-audit plan")
}

func compact(t *testing.T, doc string) string {
	t.Helper()
	var b bytes.Buffer
	require.NoError(t, json.Compact(&b, []byte(doc)))
	return b.String()
}

// The elevated-role and CIS filters share the trail's log group, which holds
// at most 100 metric filters: a configuration needing more is rejected before
// anything is created.
func TestMetricFilterQuotaIsValidated(t *testing.T) {
	t.Parallel()
	accounts := map[string]map[string]string{
		"management": {"id": prodManagementID, "email": "aws-management@example.com"}, "security": {"id": prodSecurityID}, "logArchive": {"id": prodLogArchiveID},
	}
	for i := 0; i < 400; i++ {
		accounts[fmt.Sprintf("member%d", i)] = map[string]string{"id": fmt.Sprintf("9%011d", i)}
	}
	raw := with(with(with(exampleConfig(t), "accounts", accounts), "alarms", map[string]any{}), "maxProviderProcesses", 2000)
	code, stdout, stderr := runCLI(t, "", "plan", "--config", writeStackFile(t, raw))
	assert.Equal(t, 2, code)
	assert.Empty(t, stdout)
	assert.Contains(t, stderr, "landing-zone-audit:alarms.elevatedRoles: needs")

	// Watching the role in fewer accounts fits.
	runPlan(t, with(with(raw, "accounts", accounts), "alarms", map[string]any{
		"elevatedRoles": []map[string]any{{"roleName": "elevated-security-role", "accounts": []string{"member1", "member2"}}},
	}))
}

// Every log-metric alarm's notification carries the command that lists the
// CloudTrail events behind it (who, what, where, from which IP, when): aws
// logs filter-log-events over the alarm's log group, with the pattern read
// back from the alarm's own filter (describe-metric-filters), in the alarm's
// region, looking back further than CloudTrail's delivery delay. CloudWatch
// sends AlarmDescription in every alarm notification (up to 1,024
// characters, API_PutMetricAlarm).
func TestAlarmNotificationsListTheEvents(t *testing.T) {
	t.Parallel()
	p := runPlan(t, exampleConfig(t))
	filters := p.ByType(typeLogMetricFilter)
	require.NotEmpty(t, filters)
	alarms := 0
	for _, alarm := range p.ByType(typeMetricAlarm) {
		if alarm.Inputs["namespace"] != "OrgTrailMetrics" {
			continue
		}
		alarms++
		desc := alarm.Inputs["alarmDescription"].(string)
		assert.LessOrEqual(t, len(desc), 1024, alarm.Name)
		m := regexp.MustCompile(`aws logs filter-log-events --region (\S+) --log-group-name (\S+) --start-time \$\(\( \$\(date \+%s\) - (\d+) \)\)000 --filter-pattern "\$\(aws logs describe-metric-filters --region (\S+) --log-group-name (\S+) --filter-name-prefix (\S+) --query 'metricFilters\[0\]\.filterPattern' --output text\)"`).FindStringSubmatch(desc)
		require.NotNil(t, m, "%s: %s", alarm.Name, desc)
		assert.Equal(t, []string{"eu-west-2", "eu-west-2"}, []string{m[1], m[4]}, "the alarm's region")
		window, _ := strconv.Atoi(m[3])
		assert.GreaterOrEqual(t, window, 900, "covers CloudTrail's delivery delay")
		var filter *plan.Resource
		for i, f := range filters {
			if f.Inputs["name"] == m[6] {
				filter = &filters[i]
			}
		}
		require.NotNil(t, filter, "%s names its own filter %s", alarm.Name, m[6])
		assert.Equal(t, alarm.Inputs["metricName"], input(*filter, "metricTransformation.name"), "the filter feeds this alarm")
		assert.Equal(t, filter.Inputs["logGroupName"], m[2])
		assert.Equal(t, filter.Inputs["logGroupName"], m[5])
	}
	assert.Equal(t, 16+len(detection.SupplementaryKeys()), alarms, "the elevated-role alarm, the 15 CIS alarms and the supplementary ones")
}

package filterpattern_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/example/landing-zone-audit/internal/filterpattern"
)

// cloudTrailEvent builds a realistic CloudTrail record, applying edits (a
// dotted path to a value, or to nil to delete the key) to a base record.
func cloudTrailEvent(t *testing.T, base string, edits map[string]any) string {
	t.Helper()
	var doc map[string]any
	require.NoError(t, json.Unmarshal([]byte(base), &doc))
	for path, v := range edits {
		setPath(doc, path, v)
	}
	out, err := json.Marshal(doc)
	require.NoError(t, err)
	return string(out)
}

// deleteKey is a sentinel edit value that removes the key.
type deleteKey struct{}

func setPath(doc map[string]any, path string, v any) {
	keys := strings.Split(path, ".")
	for _, k := range keys[:len(keys)-1] {
		next, ok := doc[k].(map[string]any)
		if !ok {
			next = map[string]any{}
			doc[k] = next
		}
		doc = next
	}
	last := keys[len(keys)-1]
	if _, del := v.(deleteKey); del {
		delete(doc, last)
		return
	}
	doc[last] = v
}

const rootAPICall = `{
  "eventVersion": "1.09",
  "userIdentity": {
    "type": "Root",
    "principalId": "111122223333",
    "arn": "arn:aws:iam::111122223333:root",
    "accountId": "111122223333",
    "accessKeyId": "ASIAEXAMPLEEXAMPLE01",
    "sessionContext": {
      "sessionIssuer": {},
      "attributes": {"creationDate": "2024-05-01T09:12:44Z", "mfaAuthenticated": "true"}
    }
  },
  "eventTime": "2024-05-01T09:15:02Z",
  "eventSource": "iam.amazonaws.com",
  "eventName": "CreateAccessKey",
  "awsRegion": "us-east-1",
  "sourceIPAddress": "198.51.100.7",
  "userAgent": "aws-cli/2.15.0 Python/3.11.6 Linux/6.1 exe/x86_64",
  "requestParameters": null,
  "responseElements": {"accessKey": {"accessKeyId": "AKIAEXAMPLEEXAMPLE02", "status": "Active", "userName": "root"}},
  "requestID": "2c5f3f6e-6a0b-4b5e-9c55-0d8f0f1f1e11",
  "eventID": "5d3b6f0a-4c3e-4a8e-8d8e-6f1b0f6a9b22",
  "readOnly": false,
  "eventType": "AwsApiCall",
  "managementEvent": true,
  "recipientAccountId": "111122223333",
  "eventCategory": "Management",
  "tlsDetails": {"tlsVersion": "TLSv1.3", "cipherSuite": "TLS_AES_128_GCM_SHA256", "clientProvidedHostHeader": "iam.amazonaws.com"}
}`

const consoleLogin = `{
  "eventVersion": "1.09",
  "userIdentity": {
    "type": "IAMUser",
    "principalId": "AIDAEXAMPLEEXAMPLE03",
    "arn": "arn:aws:iam::111122223333:user/alice",
    "accountId": "111122223333",
    "userName": "alice"
  },
  "eventTime": "2024-05-01T08:01:12Z",
  "eventSource": "signin.amazonaws.com",
  "eventName": "ConsoleLogin",
  "awsRegion": "us-east-1",
  "sourceIPAddress": "203.0.113.45",
  "userAgent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36",
  "requestParameters": null,
  "responseElements": {"ConsoleLogin": "Success"},
  "additionalEventData": {
    "LoginTo": "https://console.aws.amazon.com/console/home?state=hashArgs%23&isauthcode=true",
    "MobileVersion": "No",
    "MFAUsed": "No"
  },
  "eventID": "0b5d6e7f-8a9b-4c0d-9e1f-2a3b4c5d6e7f",
  "readOnly": false,
  "eventType": "AwsConsoleSignIn",
  "managementEvent": true,
  "recipientAccountId": "111122223333",
  "eventCategory": "Management",
  "tlsDetails": {"tlsVersion": "TLSv1.3", "cipherSuite": "TLS_AES_128_GCM_SHA256", "clientProvidedHostHeader": "signin.aws.amazon.com"}
}`

const ec2Unauthorized = `{
  "eventVersion": "1.09",
  "userIdentity": {
    "type": "AssumedRole",
    "principalId": "AROAEXAMPLEEXAMPLE04:deploy",
    "arn": "arn:aws:sts::111122223333:assumed-role/ci-deployer/deploy",
    "accountId": "111122223333",
    "sessionContext": {
      "sessionIssuer": {
        "type": "Role",
        "principalId": "AROAEXAMPLEEXAMPLE04",
        "arn": "arn:aws:iam::111122223333:role/ci-deployer",
        "accountId": "111122223333",
        "userName": "ci-deployer"
      },
      "attributes": {"creationDate": "2024-05-01T10:00:00Z", "mfaAuthenticated": "false"}
    }
  },
  "eventTime": "2024-05-01T10:03:41Z",
  "eventSource": "ec2.amazonaws.com",
  "eventName": "RunInstances",
  "awsRegion": "eu-west-1",
  "sourceIPAddress": "192.0.2.10",
  "userAgent": "Boto3/1.34.0",
  "errorCode": "Client.UnauthorizedOperation",
  "errorMessage": "You are not authorized to perform this operation.",
  "requestParameters": {"instancesSet": {"items": [{"imageId": "ami-0abcdef1234567890", "minCount": 1, "maxCount": 1}]}, "instanceType": "t3.micro"},
  "responseElements": null,
  "requestID": "7f8e9d0c-1b2a-3c4d-5e6f-7a8b9c0d1e2f",
  "eventID": "1a2b3c4d-5e6f-7a8b-9c0d-1e2f3a4b5c6d",
  "readOnly": false,
  "eventType": "AwsApiCall",
  "managementEvent": true,
  "recipientAccountId": "111122223333",
  "eventCategory": "Management"
}`

const kmsDisableKey = `{
  "eventVersion": "1.09",
  "userIdentity": {
    "type": "AssumedRole",
    "arn": "arn:aws:sts::111122223333:assumed-role/Admin/bob",
    "accountId": "111122223333",
    "sessionContext": {"sessionIssuer": {"type": "Role", "userName": "Admin"}}
  },
  "eventTime": "2024-05-02T14:22:05Z",
  "eventSource": "kms.amazonaws.com",
  "eventName": "DisableKey",
  "awsRegion": "us-east-1",
  "sourceIPAddress": "198.51.100.22",
  "userAgent": "AWS Internal",
  "requestParameters": {"keyId": "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"},
  "responseElements": null,
  "resources": [{"accountId": "111122223333", "type": "AWS::KMS::Key", "ARN": "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"}],
  "eventType": "AwsApiCall",
  "managementEvent": true,
  "recipientAccountId": "111122223333",
  "eventCategory": "Management"
}`

type cloudTrailCase struct {
	name  string
	base  string
	edits map[string]any
	want  bool
}

func runCloudTrail(t *testing.T, pattern string, cases []cloudTrailCase) {
	t.Helper()
	p, err := filterpattern.Parse(pattern)
	require.NoError(t, err)
	for _, tc := range cases {
		event := cloudTrailEvent(t, tc.base, tc.edits)
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := p.Match([]byte(event))
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
		})
	}
}

func TestCloudTrailRootAccountUsage(t *testing.T) {
	t.Parallel()
	runCloudTrail(t, `{$.userIdentity.type="Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType !="AwsServiceEvent"}`, []cloudTrailCase{
		{"root API call", rootAPICall, nil, true},
		{"root console sign-in", rootAPICall, map[string]any{"eventType": "AwsConsoleSignIn"}, true},
		{"invoked by a service", rootAPICall, map[string]any{"userIdentity.invokedBy": "support.amazonaws.com"}, false},
		{"service event", rootAPICall, map[string]any{"eventType": "AwsServiceEvent"}, false},
		{"IAM user", rootAPICall, map[string]any{"userIdentity.type": "IAMUser"}, false},
		// != does not match a missing field, so an event without eventType
		// is not counted.
		{"no eventType", rootAPICall, map[string]any{"eventType": deleteKey{}}, false},
	})
}

func TestCloudTrailConsoleLoginWithoutMFA(t *testing.T) {
	t.Parallel()
	runCloudTrail(t, `{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") && ($.userIdentity.type = "IAMUser") && ($.responseElements.ConsoleLogin = "Success") }`, []cloudTrailCase{
		{"successful login without MFA", consoleLogin, nil, true},
		{"login with MFA", consoleLogin, map[string]any{"additionalEventData.MFAUsed": "Yes"}, false},
		{"failed login", consoleLogin, map[string]any{"responseElements.ConsoleLogin": "Failure"}, false},
		{"root login", consoleLogin, map[string]any{"userIdentity.type": "Root"}, false},
		{"other event", consoleLogin, map[string]any{"eventName": "SwitchRole"}, false},
		{"MFAUsed missing", consoleLogin, map[string]any{"additionalEventData.MFAUsed": deleteKey{}}, false},
		{"not a console login", rootAPICall, nil, false},
	})
}

func TestCloudTrailUnauthorizedAPICalls(t *testing.T) {
	t.Parallel()
	runCloudTrail(t, `{($.errorCode="*UnauthorizedOperation") || ($.errorCode="AccessDenied*")}`, []cloudTrailCase{
		{"EC2 unauthorized", ec2Unauthorized, nil, true},
		{"exact UnauthorizedOperation", ec2Unauthorized, map[string]any{"errorCode": "UnauthorizedOperation"}, true},
		{"AccessDenied", ec2Unauthorized, map[string]any{"errorCode": "AccessDenied"}, true},
		{"AccessDeniedException", ec2Unauthorized, map[string]any{"errorCode": "AccessDeniedException"}, true},
		{"throttled", ec2Unauthorized, map[string]any{"errorCode": "ThrottlingException"}, false},
		{"suffix not prefix", ec2Unauthorized, map[string]any{"errorCode": "UnauthorizedOperationX"}, false},
		{"no error", ec2Unauthorized, map[string]any{"errorCode": deleteKey{}}, false},
		{"successful call", rootAPICall, nil, false},
	})
}

// The CIS 3.1 pattern mixes || and && without brackets, so it reads as
// A || (B && C && D).
func TestCloudTrailUnauthorizedAPICallsCISPrecedence(t *testing.T) {
	t.Parallel()
	runCloudTrail(t, `{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") && ($.sourceIPAddress!="delivery.logs.amazonaws.com") && ($.eventName!="HeadBucket") }`, []cloudTrailCase{
		{"unauthorized HeadBucket", ec2Unauthorized, map[string]any{"eventName": "HeadBucket"}, true},
		{"access denied HeadBucket", ec2Unauthorized, map[string]any{"errorCode": "AccessDenied", "eventName": "HeadBucket"}, false},
		{"access denied from log delivery", ec2Unauthorized, map[string]any{"errorCode": "AccessDenied", "sourceIPAddress": "delivery.logs.amazonaws.com"}, false},
		{"access denied", ec2Unauthorized, map[string]any{"errorCode": "AccessDenied"}, true},
	})
}

func TestCloudTrailKMSKeyDisabledOrScheduledForDeletion(t *testing.T) {
	t.Parallel()
	runCloudTrail(t, `{($.eventSource=kms.amazonaws.com) && (($.eventName=DisableKey)||($.eventName=ScheduleKeyDeletion))}`, []cloudTrailCase{
		{"DisableKey", kmsDisableKey, nil, true},
		{"ScheduleKeyDeletion", kmsDisableKey, map[string]any{"eventName": "ScheduleKeyDeletion"}, true},
		{"EnableKey", kmsDisableKey, map[string]any{"eventName": "EnableKey"}, false},
		{"DisableKeyRotation", kmsDisableKey, map[string]any{"eventName": "DisableKeyRotation"}, false},
		{"other service", kmsDisableKey, map[string]any{"eventSource": "s3.amazonaws.com"}, false},
	})
}

func TestCloudTrailSelectorsIntoNestedRecords(t *testing.T) {
	t.Parallel()
	cases := []struct {
		pattern string
		event   string
		want    bool
	}{
		{`{ $.userIdentity.sessionContext.sessionIssuer.userName = "ci-deployer" }`, ec2Unauthorized, true},
		{`{ $.userIdentity.sessionContext.sessionIssuer.userName = "ci-deployer" }`, rootAPICall, false},
		{`{ $.responseElements.ConsoleLogin = Success }`, consoleLogin, true},
		{`{ $.requestParameters.instancesSet.items[0].imageId = ami-* }`, ec2Unauthorized, true},
		{`{ $.requestParameters.instancesSet.items[0].maxCount > 0 }`, ec2Unauthorized, true},
		{`{ $.resources[0].type = "AWS::KMS::Key" }`, kmsDisableKey, true},
		{`{ $.resources[0].ARN = "arn:aws:kms:*" }`, kmsDisableKey, true},
		{`{ $.requestParameters IS NULL }`, consoleLogin, true},
		{`{ $.managementEvent IS TRUE && $.readOnly IS FALSE }`, rootAPICall, true},
		{`{ $.userIdentity.arn = "arn:aws:sts::*:assumed-role/ci-deployer/*" }`, ec2Unauthorized, false},
		{`{ $.userIdentity.arn = "arn:aws:sts::111122223333:assumed-role/ci-deployer/*" }`, ec2Unauthorized, true},
	}
	for _, tc := range cases {
		t.Run(tc.pattern, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tc.want, match(t, tc.pattern, tc.event))
		})
	}
}

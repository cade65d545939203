package eventpattern_test

import "fmt"

// guardDutyPattern routes high-severity GuardDuty findings and any use of
// root credentials, whatever its severity.
const guardDutyPattern = `{
  "source": ["aws.guardduty"],
  "detail-type": ["GuardDuty Finding"],
  "detail": {
    "$or": [
      {"severity": [{"numeric": [">=", 7]}]},
      {"type": ["Policy:IAMUser/RootCredentialUsage"]}
    ]
  }
}`

// securityHubPattern matches imported findings with a CRITICAL or HIGH
// severity label; "findings" is an array of objects in the event.
const securityHubPattern = `{
  "source": ["aws.securityhub"],
  "detail-type": ["Security Hub Findings - Imported"],
  "detail": {"findings": {"Severity": {"Label": ["CRITICAL", "HIGH"]}}}
}`

// guardDutyFinding returns a realistic GuardDuty finding event with the given
// source, finding type and severity.
func guardDutyFinding(source, findingType string, severity float64) string {
	return fmt.Sprintf(`{
  "version": "0",
  "id": "c8c4daa7-a20c-2f03-0070-b7393dd542ad",
  "detail-type": "GuardDuty Finding",
  "source": %q,
  "account": "123456789012",
  "time": "2024-05-14T09:12:31Z",
  "region": "eu-west-1",
  "resources": [],
  "detail": {
    "schemaVersion": "2.0",
    "accountId": "123456789012",
    "region": "eu-west-1",
    "partition": "aws",
    "id": "16afba5c5c43e07c9e3e5e2e544e95df",
    "arn": "arn:aws:guardduty:eu-west-1:123456789012:detector/123456/finding/16afba5c5c43e07c9e3e5e2e544e95df",
    "type": %q,
    "resource": {
      "resourceType": "AccessKey",
      "accessKeyDetails": {
        "accessKeyId": "ASIASZ4SI7REXAMPLE",
        "principalId": "123456789012",
        "userName": "root",
        "userType": "Root"
      }
    },
    "service": {
      "serviceName": "guardduty",
      "detectorId": "123456",
      "action": {
        "actionType": "AWS_API_CALL",
        "awsApiCallAction": {
          "api": "ListBuckets",
          "serviceName": "s3.amazonaws.com",
          "callerType": "Remote IP",
          "remoteIpDetails": {
            "ipAddressV4": "198.51.100.23",
            "organization": {"asn": "64496", "asnOrg": "EXAMPLE-NET", "isp": "Example ISP", "org": "Example Org"},
            "country": {"countryName": "Netherlands"},
            "city": {"cityName": "Amsterdam"},
            "geoLocation": {"lat": 52.37, "lon": 4.89}
          },
          "affectedResources": {}
        }
      },
      "resourceRole": "TARGET",
      "additionalInfo": {"recentApiCalls": [{"count": 3, "api": "ListBuckets"}], "sample": true},
      "eventFirstSeen": "2024-05-14T08:54:45Z",
      "eventLastSeen": "2024-05-14T09:04:53Z",
      "archived": false,
      "count": 4
    },
    "severity": %v,
    "createdAt": "2024-05-14T09:05:12.084Z",
    "updatedAt": "2024-05-14T09:05:12.084Z",
    "title": "API ListBuckets was invoked using root credentials.",
    "description": "API ListBuckets was invoked using root credentials from IP address 198.51.100.23."
  }
}`, source, findingType, severity)
}

// securityHubFindings returns a Security Hub "Findings - Imported" event with
// one finding per severity label.
func securityHubFindings(labels ...string) string {
	findings := ""
	for i, label := range labels {
		if i > 0 {
			findings += ","
		}
		findings += fmt.Sprintf(`{
      "SchemaVersion": "2018-10-08",
      "Id": "arn:aws:securityhub:eu-west-1:123456789012:finding/%d",
      "ProductArn": "arn:aws:securityhub:eu-west-1::product/aws/securityhub",
      "Types": ["Software and Configuration Checks/Industry and Regulatory Standards"],
      "Severity": {"Label": %q, "Normalized": 40},
      "Title": "S3 general purpose buckets should block public access",
      "Resources": [{"Type": "AwsS3Bucket", "Id": "arn:aws:s3:::example-bucket"}],
      "Compliance": {"Status": "FAILED"},
      "Workflow": {"Status": "NEW"},
      "RecordState": "ACTIVE"
    }`, i, label)
	}
	return `{
  "version": "0",
  "id": "8e5622f9-d81c-4d81-612a-9319e7ee2506",
  "detail-type": "Security Hub Findings - Imported",
  "source": "aws.securityhub",
  "account": "123456789012",
  "time": "2024-05-14T09:12:31Z",
  "region": "eu-west-1",
  "resources": ["arn:aws:securityhub:eu-west-1:123456789012:finding/0"],
  "detail": {"findings": [` + findings + `]}
}`
}

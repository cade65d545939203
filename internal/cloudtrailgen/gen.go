// Package cloudtrailgen generates realistic CloudTrail events and log
// archives, deterministically from a seed, for replay's tests and
// benchmarks: the fields, nesting and sizes of real management events (about
// 1.4 KB each), mostly routine calls, with a small share of the calls the
// CIS and elevated-role alarms watch for, and AccessDenied errors at the
// rate a busy organization sees them.
package cloudtrailgen

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"time"
)

// Generator makes events. It is not safe for concurrent use.
type Generator struct {
	rng *rand.Rand
	// ElevatedRole and ElevatedAccounts name the role whose use the
	// elevated-role alarm catches, and the accounts it lives in.
	ElevatedRole     string
	ElevatedAccounts []string
	// Accounts are the organization's account IDs; events are spread over them.
	Accounts []string
	buf      bytes.Buffer
	enc      *json.Encoder
}

// New returns a generator seeded with seed.
func New(seed uint64, accounts []string, elevatedRole string, elevatedAccounts []string) *Generator {
	g := &Generator{
		rng:              rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)),
		ElevatedRole:     elevatedRole,
		ElevatedAccounts: elevatedAccounts,
		Accounts:         accounts,
	}
	g.enc = json.NewEncoder(&g.buf)
	g.enc.SetEscapeHTML(false) // CloudTrail writes & < > as they are
	return g
}

// Event is a CloudTrail record, its fields in CloudTrail's order.
type Event struct {
	EventVersion        string         `json:"eventVersion"`
	UserIdentity        Identity       `json:"userIdentity"`
	EventTime           string         `json:"eventTime"`
	EventSource         string         `json:"eventSource"`
	EventName           string         `json:"eventName"`
	AWSRegion           string         `json:"awsRegion"`
	SourceIPAddress     string         `json:"sourceIPAddress"`
	UserAgent           string         `json:"userAgent"`
	ErrorCode           string         `json:"errorCode,omitempty"`
	ErrorMessage        string         `json:"errorMessage,omitempty"`
	RequestParameters   any            `json:"requestParameters"`
	ResponseElements    any            `json:"responseElements"`
	AdditionalEventData map[string]any `json:"additionalEventData,omitempty"`
	RequestID           string         `json:"requestID,omitempty"`
	EventID             string         `json:"eventID"`
	ReadOnly            bool           `json:"readOnly"`
	Resources           []Resource     `json:"resources,omitempty"`
	EventType           string         `json:"eventType"`
	ManagementEvent     bool           `json:"managementEvent"`
	RecipientAccountID  string         `json:"recipientAccountId"`
	EventCategory       string         `json:"eventCategory"`
	TLSDetails          *TLSDetails    `json:"tlsDetails,omitempty"`
}

// Identity is an event's userIdentity.
type Identity struct {
	Type           string          `json:"type"`
	PrincipalID    string          `json:"principalId,omitempty"`
	ARN            string          `json:"arn,omitempty"`
	AccountID      string          `json:"accountId,omitempty"`
	AccessKeyID    string          `json:"accessKeyId,omitempty"`
	UserName       string          `json:"userName,omitempty"`
	SessionContext *SessionContext `json:"sessionContext,omitempty"`
	InvokedBy      string          `json:"invokedBy,omitempty"`
}

// SessionContext is a role session's issuer and attributes.
type SessionContext struct {
	SessionIssuer map[string]string `json:"sessionIssuer,omitempty"`
	Attributes    map[string]string `json:"attributes"`
}

// Resource is one entry of an event's resources.
type Resource struct {
	AccountID string `json:"accountId,omitempty"`
	Type      string `json:"type"`
	ARN       string `json:"ARN"`
}

// TLSDetails is how the call reached AWS.
type TLSDetails struct {
	TLSVersion               string `json:"tlsVersion"`
	CipherSuite              string `json:"cipherSuite"`
	ClientProvidedHostHeader string `json:"clientProvidedHostHeader"`
}

var (
	userAgents = []string{
		"aws-cli/2.22.4 md/awscrt#0.22.0 ua/2.0 os/linux#6.8.0-1019-aws md/arch#x86_64 lang/python#3.12.6 md/pyimpl#CPython cfg/retry-mode#standard md/installer#exe md/distrib#ubuntu.24 md/prompt#off md/command#ec2.describe-instances",
		"Boto3/1.35.54 md/Botocore#1.35.54 ua/2.0 os/linux#5.10.227-219.884.amzn2.x86_64 md/arch#x86_64 lang/python#3.11.10 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.35.54",
		"APN/1.0 HashiCorp/1.0 Terraform/1.9.8 (+https://www.terraform.io) terraform-provider-aws/5.74.0 (+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go-v2/1.32.3 ua/2.1 os/linux lang/go#1.23.2 md/GOOS#linux md/GOARCH#amd64 api/ec2#1.187.1",
		"aws-sdk-java/2.29.6 Linux/5.10.227-219.884.amzn2.x86_64 OpenJDK_64-Bit_Server_VM/17.0.13+11-LTS Java/17.0.13 vendor/Amazon.com_Inc. io/sync http/Apache cfg/retry-mode/adaptive",
		"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
	}
	services = []string{"ec2.amazonaws.com", "lambda.amazonaws.com", "ecs-tasks.amazonaws.com", "config.amazonaws.com", "cloudformation.amazonaws.com", "ssm.amazonaws.com"}
	people   = []string{"alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi"}
	roles    = []string{"platform-deploy", "ReadOnlyAccess", "AWSReservedSSO_AdministratorAccess_4f1c2d3e", "github-actions-ci", "data-pipeline", "AWSControlTowerExecution"}
	// routine calls: event source, event name, read-only.
	routine = []struct {
		source, name string
		readOnly     bool
	}{
		{"ec2.amazonaws.com", "DescribeInstances", true},
		{"ec2.amazonaws.com", "DescribeSecurityGroups", true},
		{"ec2.amazonaws.com", "DescribeVolumes", true},
		{"s3.amazonaws.com", "GetBucketAcl", true},
		{"s3.amazonaws.com", "ListBuckets", true},
		{"s3.amazonaws.com", "GetBucketLocation", true},
		{"kms.amazonaws.com", "Decrypt", true},
		{"kms.amazonaws.com", "GenerateDataKey", true},
		{"sts.amazonaws.com", "GetCallerIdentity", true},
		{"logs.amazonaws.com", "DescribeLogStreams", true},
		{"logs.amazonaws.com", "CreateLogStream", false},
		{"monitoring.amazonaws.com", "DescribeAlarms", true},
		{"lambda.amazonaws.com", "ListFunctions20150331", true},
		{"iam.amazonaws.com", "GetRole", true},
		{"iam.amazonaws.com", "ListAttachedRolePolicies", true},
		{"ssm.amazonaws.com", "GetParameter", true},
		{"config.amazonaws.com", "DescribeConfigurationRecorders", true},
		{"cloudtrail.amazonaws.com", "DescribeTrails", true},
		{"dynamodb.amazonaws.com", "DescribeTable", true},
		{"secretsmanager.amazonaws.com", "GetSecretValue", true},
	}
	// watched calls: the ones the CIS and supplementary alarms look for.
	watched = []struct{ source, name string }{
		{"cloudtrail.amazonaws.com", "PutEventSelectors"}, {"iam.amazonaws.com", "UpdateAssumeRolePolicy"},
		{"iam.amazonaws.com", "PutRolePolicy"}, {"iam.amazonaws.com", "AttachRolePolicy"}, {"iam.amazonaws.com", "CreatePolicyVersion"},
		{"cloudtrail.amazonaws.com", "UpdateTrail"}, {"cloudtrail.amazonaws.com", "StopLogging"},
		{"kms.amazonaws.com", "ScheduleKeyDeletion"}, {"kms.amazonaws.com", "DisableKey"},
		{"s3.amazonaws.com", "PutBucketPolicy"}, {"s3.amazonaws.com", "PutBucketAcl"}, {"s3.amazonaws.com", "DeleteBucketLifecycle"},
		{"config.amazonaws.com", "StopConfigurationRecorder"},
		{"ec2.amazonaws.com", "AuthorizeSecurityGroupIngress"}, {"ec2.amazonaws.com", "CreateSecurityGroup"}, {"ec2.amazonaws.com", "RevokeSecurityGroupEgress"},
		{"ec2.amazonaws.com", "CreateNetworkAclEntry"}, {"ec2.amazonaws.com", "AttachInternetGateway"},
		{"ec2.amazonaws.com", "CreateRoute"}, {"ec2.amazonaws.com", "ReplaceRouteTableAssociation"},
		{"ec2.amazonaws.com", "CreateVpc"}, {"ec2.amazonaws.com", "ModifyVpcAttribute"},
		{"organizations.amazonaws.com", "CreateAccount"}, {"organizations.amazonaws.com", "AttachPolicy"},
	}
)

// kind is one sort of event and its share, per 100,000.
type kind struct {
	weight int
	fill   func(g *Generator, e *Event)
}

var kinds = []kind{
	{38_000, (*Generator).routineCall},
	{30_000, (*Generator).serviceAssumeRole},
	{25_000, (*Generator).serviceKMS},
	{1_500, (*Generator).accessDenied},
	{300, (*Generator).unauthorizedOperation},
	{3_900, (*Generator).personAssumeRole},
	{200, (*Generator).consoleLoginMFA},
	{40, (*Generator).consoleLoginNoMFA},
	{100, (*Generator).consoleLoginFailed},
	{600, (*Generator).watchedCall},
	{20, (*Generator).rootCall},
	{30, (*Generator).rootServiceEvent},
	{50, (*Generator).switchRoleElevated},
	{100, (*Generator).assumeRoleElevated},
	{250, (*Generator).switchRoleOther},
	{20, (*Generator).consoleLoginUnknownUser},
	{5, (*Generator).rootConsoleLogin},
	{10, (*Generator).rootConsoleAction},
	{10, (*Generator).vpceAccessDenied},
}

var totalWeight = func() int {
	n := 0
	for _, k := range kinds {
		n += k.weight
	}
	return n
}()

// Append appends one compact event at time t in account and region to dst.
func (g *Generator) Append(dst []byte, t time.Time, account, region string) []byte {
	e := Event{
		EventVersion:       "1.10",
		EventTime:          t.UTC().Format(time.RFC3339),
		AWSRegion:          region,
		SourceIPAddress:    g.ip(),
		UserAgent:          userAgents[g.rng.IntN(len(userAgents))],
		RequestID:          g.uuid(),
		EventID:            g.uuid(),
		EventType:          "AwsApiCall",
		ManagementEvent:    true,
		RecipientAccountID: account,
		EventCategory:      "Management",
		TLSDetails: &TLSDetails{
			TLSVersion:               "TLSv1.3",
			CipherSuite:              "TLS_AES_128_GCM_SHA256",
			ClientProvidedHostHeader: "",
		},
	}
	pick := g.rng.IntN(totalWeight)
	for _, k := range kinds {
		if pick < k.weight {
			k.fill(g, &e)
			break
		}
		pick -= k.weight
	}
	if e.TLSDetails != nil && e.TLSDetails.ClientProvidedHostHeader == "" {
		e.TLSDetails.ClientProvidedHostHeader = hostOf(e.EventSource, region)
	}
	g.buf.Reset()
	_ = g.enc.Encode(&e) // plain structs: cannot fail
	return append(dst, bytes.TrimSuffix(g.buf.Bytes(), []byte("\n"))...)
}

func hostOf(source, region string) string {
	svc, _, _ := bytes.Cut([]byte(source), []byte("."))
	return string(svc) + "." + region + ".amazonaws.com"
}

func (g *Generator) uuid() string {
	a, b := g.rng.Uint64(), g.rng.Uint64()
	return fmt.Sprintf("%08x-%04x-%04x-%04x-%012x", a>>32, (a>>16)&0xffff, a&0xffff, b>>48, b&0xffffffffffff)
}

func (g *Generator) ip() string {
	return fmt.Sprintf("%d.%d.%d.%d", []int{198, 203, 192, 10}[g.rng.IntN(4)], g.rng.IntN(4), g.rng.IntN(8), 1+g.rng.IntN(60))
}

func (g *Generator) account() string { return g.Accounts[g.rng.IntN(len(g.Accounts))] }

func (g *Generator) roleSession(account string) Identity {
	role, who := roles[g.rng.IntN(len(roles))], people[g.rng.IntN(len(people))]
	id := fmt.Sprintf("AROA%016X", g.rng.Uint64()&0xffffffffffff)
	return Identity{
		Type:        "AssumedRole",
		PrincipalID: id + ":" + who,
		ARN:         fmt.Sprintf("arn:aws:sts::%s:assumed-role/%s/%s", account, role, who),
		AccountID:   account,
		AccessKeyID: fmt.Sprintf("ASIA%016X", g.rng.Uint64()&0xffffffffffffff),
		SessionContext: &SessionContext{
			SessionIssuer: map[string]string{"type": "Role", "principalId": id, "arn": fmt.Sprintf("arn:aws:iam::%s:role/%s", account, role), "accountId": account, "userName": role},
			Attributes:    map[string]string{"creationDate": "2026-01-01T00:00:00Z", "mfaAuthenticated": "false"},
		},
	}
}

func (g *Generator) routineCall(e *Event) {
	c := routine[g.rng.IntN(len(routine))]
	e.EventSource, e.EventName, e.ReadOnly = c.source, c.name, c.readOnly
	e.UserIdentity = g.roleSession(e.RecipientAccountID)
	e.RequestParameters = map[string]any{
		"maxResults": 1000,
		"filterSet":  map[string]any{"items": []map[string]any{{"name": "tag:Environment", "valueSet": map[string]any{"items": []map[string]string{{"value": "production"}}}}}},
	}
	if !c.readOnly {
		e.RequestParameters = map[string]any{"logGroupName": "/aws/lambda/orders-api", "logStreamName": "2026/01/01/[$LATEST]" + g.uuid()}
	}
}

func (g *Generator) serviceAssumeRole(e *Event) {
	svc := services[g.rng.IntN(len(services))]
	role := roles[g.rng.IntN(len(roles))]
	e.EventSource, e.EventName, e.ReadOnly = "sts.amazonaws.com", "AssumeRole", true
	e.UserIdentity = Identity{Type: "AWSService", InvokedBy: svc}
	e.SourceIPAddress, e.UserAgent = svc, svc
	e.RequestParameters = map[string]any{
		"roleArn":         fmt.Sprintf("arn:aws:iam::%s:role/%s", e.RecipientAccountID, role),
		"roleSessionName": g.uuid(),
		"durationSeconds": 3600,
	}
	e.ResponseElements = map[string]any{
		"credentials":     map[string]string{"accessKeyId": fmt.Sprintf("ASIA%016X", g.rng.Uint64()&0xffffffffffffff), "sessionToken": "IQoJb3JpZ2luX2VjEJr//////////wEaCWV1LXdlc3QtMiJHMEUCIQD" + g.uuid(), "expiration": "Jan 1, 2026, 1:00:00 AM"},
		"assumedRoleUser": map[string]string{"assumedRoleId": "AROA" + g.uuid(), "arn": fmt.Sprintf("arn:aws:sts::%s:assumed-role/%s/session", e.RecipientAccountID, role)},
	}
	e.Resources = []Resource{{AccountID: e.RecipientAccountID, Type: "AWS::IAM::Role", ARN: fmt.Sprintf("arn:aws:iam::%s:role/%s", e.RecipientAccountID, role)}}
	e.TLSDetails = nil
}

func (g *Generator) serviceKMS(e *Event) {
	svc := services[g.rng.IntN(len(services))]
	e.EventSource, e.EventName, e.ReadOnly = "kms.amazonaws.com", []string{"Decrypt", "GenerateDataKey"}[g.rng.IntN(2)], true
	e.UserIdentity = Identity{Type: "AWSService", InvokedBy: svc}
	e.SourceIPAddress, e.UserAgent = svc, svc
	key := fmt.Sprintf("arn:aws:kms:%s:%s:key/%s", e.AWSRegion, e.RecipientAccountID, g.uuid())
	e.RequestParameters = map[string]any{
		"encryptionContext":   map[string]string{"aws:s3:arn": "arn:aws:s3:::acme-data-" + e.RecipientAccountID + "/exports/2026/01/01/part-0001.parquet"},
		"encryptionAlgorithm": "SYMMETRIC_DEFAULT",
		"keyId":               key,
	}
	e.Resources = []Resource{{AccountID: e.RecipientAccountID, Type: "AWS::KMS::Key", ARN: key}}
	e.TLSDetails = nil
}

func (g *Generator) accessDenied(e *Event) {
	g.routineCall(e)
	e.ErrorCode = "AccessDenied"
	e.ErrorMessage = fmt.Sprintf("User: %s is not authorized to perform: %s:%s because no identity-based policy allows the %s:%s action",
		e.UserIdentity.ARN, serviceName(e.EventSource), e.EventName, serviceName(e.EventSource), e.EventName)
	e.RequestParameters, e.ResponseElements = nil, nil
}

func (g *Generator) unauthorizedOperation(e *Event) {
	g.routineCall(e)
	e.EventSource, e.EventName = "ec2.amazonaws.com", "RunInstances"
	e.ErrorCode = "Client.UnauthorizedOperation"
	e.ErrorMessage = "You are not authorized to perform this operation. Encoded authorization failure message: " + g.uuid()
	e.ReadOnly = false
}

func serviceName(source string) string {
	s, _, _ := bytes.Cut([]byte(source), []byte("."))
	return string(s)
}

func (g *Generator) personAssumeRole(e *Event) {
	e.EventSource, e.EventName, e.ReadOnly = "sts.amazonaws.com", "AssumeRole", true
	e.UserIdentity = g.roleSession(g.account())
	role := roles[g.rng.IntN(len(roles))]
	e.RequestParameters = map[string]any{"roleArn": fmt.Sprintf("arn:aws:iam::%s:role/%s", e.RecipientAccountID, role), "roleSessionName": people[g.rng.IntN(len(people))]}
	e.ResponseElements = map[string]any{"assumedRoleUser": map[string]string{"arn": fmt.Sprintf("arn:aws:sts::%s:assumed-role/%s/x", e.RecipientAccountID, role)}}
}

func (g *Generator) consoleLogin(e *Event, mfa, success bool) {
	who := people[g.rng.IntN(len(people))]
	e.EventSource, e.EventName, e.ReadOnly = "signin.amazonaws.com", "ConsoleLogin", false
	e.EventType = "AwsConsoleSignIn"
	e.UserAgent = userAgents[4]
	e.UserIdentity = Identity{Type: "IAMUser", PrincipalID: fmt.Sprintf("AIDA%016X", g.rng.Uint64()&0xffffffffffff), ARN: fmt.Sprintf("arn:aws:iam::%s:user/%s", e.RecipientAccountID, who), AccountID: e.RecipientAccountID, UserName: who}
	e.RequestParameters = nil
	e.ResponseElements = map[string]string{"ConsoleLogin": "Success"}
	used := "No"
	if mfa {
		used = "Yes"
	}
	e.AdditionalEventData = map[string]any{"LoginTo": "https://console.aws.amazon.com/console/home?state=hashArgs%23&isauthcode=true", "MobileVersion": "No", "MFAUsed": used}
	if !success {
		e.ResponseElements = map[string]string{"ConsoleLogin": "Failure"}
		e.ErrorMessage = "Failed authentication"
	}
}

func (g *Generator) consoleLoginMFA(e *Event)    { g.consoleLogin(e, true, true) }
func (g *Generator) consoleLoginNoMFA(e *Event)  { g.consoleLogin(e, false, true) }
func (g *Generator) consoleLoginFailed(e *Event) { g.consoleLogin(e, false, false) }

// consoleLoginUnknownUser is a failed sign-in the CIS alarm's "Failed
// authentication" does not cover: an unknown user name, with the
// errorMessage the CloudTrail User Guide's "AWS Management Console sign-in
// events" lists for it.
func (g *Generator) consoleLoginUnknownUser(e *Event) {
	g.consoleLogin(e, false, false)
	e.ErrorMessage = "No username found in supplied account"
}

// rootConsoleLogin is the root user signing in to the console without MFA
// (CloudTrail User Guide, "AWS Management Console sign-in events": a
// ConsoleLogin record with userIdentity.type Root).
func (g *Generator) rootConsoleLogin(e *Event) {
	g.consoleLogin(e, false, true)
	g.root(e)
	e.UserIdentity.AccessKeyID = ""
}

// rootConsoleAction is a change the root user makes in the console, which
// CloudTrail records as invoked by signin.amazonaws.com.
func (g *Generator) rootConsoleAction(e *Event) {
	g.watchedCall(e)
	g.root(e)
	e.UserIdentity.InvokedBy = "signin.amazonaws.com"
}

// vpceAccessDenied is a call a VPC endpoint policy refused, as CloudTrail's
// network activity events record it (CloudTrail User Guide, "CloudTrail
// record contents for management, data, and network activity events":
// eventType AwsVpceEvent, eventCategory NetworkActivity).
func (g *Generator) vpceAccessDenied(e *Event) {
	g.routineCall(e)
	e.EventType, e.EventCategory = "AwsVpceEvent", "NetworkActivity"
	e.ErrorCode = "VpceAccessDenied"
	e.ErrorMessage = "The request was denied because of a VPC endpoint policy"
	e.RequestParameters, e.ResponseElements = nil, nil
}

func (g *Generator) watchedCall(e *Event) {
	c := watched[g.rng.IntN(len(watched))]
	e.EventSource, e.EventName, e.ReadOnly = c.source, c.name, false
	e.UserIdentity = g.roleSession(e.RecipientAccountID)
	e.RequestParameters = map[string]any{
		"policyDocument": `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject"],"Resource":"arn:aws:s3:::acme-data/*"}]}`,
		"groupId":        "sg-0" + g.uuid()[:16],
	}
}

func (g *Generator) root(e *Event) {
	e.UserIdentity = Identity{Type: "Root", PrincipalID: e.RecipientAccountID, ARN: "arn:aws:iam::" + e.RecipientAccountID + ":root", AccountID: e.RecipientAccountID, AccessKeyID: fmt.Sprintf("ASIA%016X", g.rng.Uint64()&0xffffffffffffff)}
}

func (g *Generator) rootCall(e *Event) {
	g.routineCall(e)
	g.root(e)
}

// rootServiceEvent is an event AWS records for the root user on its own
// behalf: the root-usage alarm leaves it out.
func (g *Generator) rootServiceEvent(e *Event) {
	g.root(e)
	e.EventSource, e.EventName, e.EventType = "health.amazonaws.com", "AWSHealthEventUpdated", "AwsServiceEvent"
	e.UserIdentity.InvokedBy = "health.amazonaws.com"
	e.RequestParameters, e.ResponseElements, e.TLSDetails = nil, nil, nil
}

// elevated reports whether the event's account holds the elevated role;
// an event is logged in the account the role lives in.
func (g *Generator) elevated(e *Event) bool {
	return slices.Contains(g.ElevatedAccounts, e.RecipientAccountID)
}

func (g *Generator) switchRole(e *Event, account, role string) {
	who := people[g.rng.IntN(len(people))]
	e.RecipientAccountID = account
	e.EventSource, e.EventName, e.EventType, e.ReadOnly = "signin.amazonaws.com", "SwitchRole", "AwsConsoleSignIn", false
	e.UserAgent = userAgents[4]
	e.UserIdentity = g.roleSession(account)
	e.UserIdentity.ARN = fmt.Sprintf("arn:aws:sts::%s:assumed-role/%s/%s", account, role, who)
	e.RequestParameters = nil
	e.ResponseElements = map[string]string{"SwitchRole": "Success"}
	e.AdditionalEventData = map[string]any{"SwitchFrom": fmt.Sprintf("arn:aws:iam::%s:user/%s", g.account(), who), "RedirectTo": "https://console.aws.amazon.com/iam/home"}
}

func (g *Generator) switchRoleElevated(e *Event) {
	if !g.elevated(e) {
		g.switchRoleOther(e)
		return
	}
	g.switchRole(e, e.RecipientAccountID, g.ElevatedRole)
}

func (g *Generator) switchRoleOther(e *Event) {
	g.switchRole(e, e.RecipientAccountID, roles[g.rng.IntN(len(roles))])
}

func (g *Generator) assumeRoleElevated(e *Event) {
	g.personAssumeRole(e)
	if !g.elevated(e) {
		return
	}
	e.RequestParameters = map[string]any{"roleArn": fmt.Sprintf("arn:aws:iam::%s:role/%s", e.RecipientAccountID, g.ElevatedRole), "roleSessionName": "break-glass"}
}

// Archive describes a log archive as an organization trail writes it:
// AWSLogs/<organization>/<account>/CloudTrail/<region>/YYYY/MM/DD/ files of
// {"Records": [...]}, gzip-compressed, with digest files beside them.
type Archive struct {
	Organization  string
	Regions       []string
	Start         time.Time
	Days          int
	FilesPerDay   int // per account and region
	EventsPerFile int
}

// Write writes the archive under root and returns the paths of its log files.
func (a Archive) Write(g *Generator, root string) ([]string, error) {
	var paths []string
	var raw []byte
	for day := range a.Days {
		date := a.Start.AddDate(0, 0, day)
		for _, account := range g.Accounts {
			for _, region := range a.Regions {
				dir := filepath.Join(root, "AWSLogs", a.Organization, account, "CloudTrail", region, date.Format("2006/01/02"))
				if err := os.MkdirAll(dir, 0o755); err != nil {
					return nil, err
				}
				for i := range a.FilesPerDay {
					from := date.Add(time.Duration(i) * 24 * time.Hour / time.Duration(a.FilesPerDay))
					raw = append(raw[:0], `{"Records":[`...)
					for j := range a.EventsPerFile {
						if j > 0 {
							raw = append(raw, ',')
						}
						at := from.Add(time.Duration(g.rng.Int64N(int64(24 * time.Hour / time.Duration(a.FilesPerDay)))))
						raw = g.Append(raw, at, account, region)
					}
					raw = append(raw, "]}"...)
					name := fmt.Sprintf("%s_CloudTrail_%s_%sZ_%s.json.gz", account, region, from.Format("20060102T1504"), g.uuid()[:16])
					path := filepath.Join(dir, name)
					if err := writeGzip(path, raw); err != nil {
						return nil, err
					}
					paths = append(paths, path)
				}
				// A digest file, which replay must skip.
				digestDir := filepath.Join(root, "AWSLogs", a.Organization, account, "CloudTrail-Digest", region, date.Format("2006/01/02"))
				if err := os.MkdirAll(digestDir, 0o755); err != nil {
					return nil, err
				}
				digest := fmt.Sprintf(`{"awsAccountId":"%s","digestStartTime":"%s","digestEndTime":"%s","digestS3Bucket":"acme-trail","logFiles":[]}`, account, date.Format(time.RFC3339), date.Add(time.Hour).Format(time.RFC3339))
				name := fmt.Sprintf("%s_CloudTrail-Digest_%s_org-trail_%s_%sZ.json.gz", account, region, region, date.Format("20060102T150405"))
				if err := writeGzip(filepath.Join(digestDir, name), []byte(digest)); err != nil {
					return nil, err
				}
			}
		}
	}
	return paths, nil
}

func writeGzip(path string, data []byte) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	zw := gzip.NewWriter(f)
	if _, err := zw.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := zw.Close(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// WriteLines writes events as JSON Lines until at least size bytes are
// written, spread over the days from start, in order of time, and returns
// the number of events.
func (g *Generator) WriteLines(w io.Writer, size int64, start time.Time, days int, regions []string) (int64, error) {
	var line []byte
	var written, n int64
	// About 1.4 KB per event: space the events so that they fill the days.
	step := time.Duration(int64(days) * int64(24*time.Hour) / max(1, size/1400))
	t := start
	for written < size {
		line = g.Append(line[:0], t, g.account(), regions[g.rng.IntN(len(regions))])
		line = append(line, '\n')
		if _, err := w.Write(line); err != nil {
			return n, err
		}
		written += int64(len(line))
		n++
		t = t.Add(step)
	}
	return n, nil
}

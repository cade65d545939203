package tests

import (
	"encoding/json"
	"fmt"
	"path"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/example/landing-zone-audit/config"
	"github.com/example/landing-zone-audit/internal/plan"
)

// request is one API call as IAM evaluates it: the action, the resource,
// and the request context's keys (aws:PrincipalArn, aws:ResourceTag/…).
type request struct {
	action, resource string
	context          map[string]any
}

// denies reports whether any Deny statement of statements refuses r. It
// evaluates the condition operators the stack's policies use, as the IAM
// user guide's "IAM JSON policy elements: Condition operators" defines them:
// values of one key are ORed, negated operators match a missing key,
// …IfExists operators match a missing key, Null tests presence.
func denies(statements []statement, r request) (string, bool) {
	for _, s := range statements {
		if s.Effect == "Deny" && globAny(s.Action, r.action, true) && (len(s.Resource) == 0 || globAny(s.Resource, r.resource, false)) && conditionsHold(s.Condition, r.context) {
			return s.Sid, true
		}
	}
	return "", false
}

func globAny(patterns []string, value string, caseFold bool) bool {
	for _, p := range patterns {
		if caseFold {
			p, value = strings.ToLower(p), strings.ToLower(value)
		}
		if glob(p, value) {
			return true
		}
	}
	return false
}

// glob matches * and ? anywhere, "/" included (ARN and string "Like").
func glob(pattern, value string) bool {
	// path.Match stops * at "/"; ARN patterns do not.
	ok, _ := path.Match(strings.ReplaceAll(pattern, "/", "\x00"), strings.ReplaceAll(value, "/", "\x00"))
	return ok
}

func conditionsHold(cond map[string]map[string]any, ctx map[string]any) bool {
	for op, kv := range cond {
		for key, want := range kv {
			if !operatorHolds(op, ctx[key], want) {
				return false
			}
		}
	}
	return true
}

func operatorHolds(op string, have, want any) bool {
	values := toStrings(want)
	if op == "Null" {
		return (have == nil) == (values[0] == "true")
	}
	if have == nil {
		return strings.HasSuffix(op, "IfExists") || strings.Contains(op, "Not")
	}
	haves := toStrings(have)
	base := strings.TrimSuffix(strings.TrimPrefix(op, "ForAnyValue:"), "IfExists")
	match := func(h string) bool {
		for _, v := range values {
			switch strings.Replace(base, "Not", "", 1) {
			case "StringEquals", "ArnEquals", "Bool":
				if h == v {
					return true
				}
			case "StringLike", "ArnLike":
				if glob(v, h) {
					return true
				}
			default:
				panic("operator " + op + " not modelled")
			}
		}
		return false
	}
	matched := false
	for _, h := range haves {
		matched = matched || match(h)
	}
	if strings.Contains(base, "Not") {
		return !matched
	}
	return matched
}

func toStrings(v any) []string {
	switch v := v.(type) {
	case []any:
		var out []string
		for _, e := range v {
			out = append(out, fmt.Sprint(e))
		}
		return out
	case []string:
		return v
	}
	return []string{fmt.Sprint(v)}
}

// orgPolicies parses the content of every organization policy of type typ.
func orgPolicies(t *testing.T, p *plan.Plan, typ string) ([]statement, []plan.Resource) {
	t.Helper()
	var all []statement
	var policies []plan.Resource
	for _, r := range p.ByType(typeOrgPolicy) {
		if r.Inputs["type"] != typ {
			continue
		}
		policies = append(policies, r)
		all = append(all, policyOf(t, r, "content")...)
	}
	return all, policies
}

func callerIn(account, role string) map[string]any {
	return map[string]any{"aws:PrincipalArn": "arn:aws:iam::" + account + ":role/" + role}
}

// A member account's administrator (an IAM Identity Center role) can no
// longer weaken anything the stack deploys in member accounts; the deploy
// role can. Each action is checked against the parsed SCPs.
func TestGuardrailsDenyMemberAdministrators(t *testing.T) {
	t.Parallel()
	src := with(exampleConfig(t), "guardDuty", map[string]any{"findingsExport": true})
	p := runPlan(t, src)
	scps, _ := orgPolicies(t, p, "SERVICE_CONTROL_POLICY")
	require.NotEmpty(t, scps)
	admin := func() map[string]any {
		return callerIn(prodWorkloadID, "AWSReservedSSO_AdministratorAccess_0123456789abcdef")
	}
	trailBucket := "arn:aws:s3:::acme-orgtrail-" + prodLogArchiveID
	protected := []request{
		{"config:StopConfigurationRecorder", "*", nil},
		{"config:DeleteConfigurationRecorder", "*", nil},
		{"config:DeleteDeliveryChannel", "*", nil},
		{"config:PutConfigurationRecorder", "*", nil},
		{"config:DeleteConfigurationAggregator", "*", nil},
		{"iam:DeleteServiceLinkedRole", "arn:aws:iam::" + prodWorkloadID + ":role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig", nil},
		{"iam:DeleteServiceLinkedRole", "arn:aws:iam::" + prodWorkloadID + ":role/aws-service-role/guardduty.amazonaws.com/AWSServiceRoleForAmazonGuardDuty", nil},
		{"guardduty:DeleteDetector", "*", nil},
		{"guardduty:DisassociateFromAdministratorAccount", "*", nil},
		{"guardduty:CreateIPSet", "*", nil},
		{"securityhub:DisableSecurityHub", "*", nil},
		{"securityhub:BatchDisableStandards", "*", nil},
		{"access-analyzer:DeleteAnalyzer", "*", nil},
		{"organizations:LeaveOrganization", "*", nil},
		{"s3:DeleteObjectVersion", trailBucket + "/AWSLogs/o-abc/file.json.gz", nil},
		{"s3:PutLifecycleConfiguration", trailBucket, nil},
		{"s3:PutBucketPolicy", "arn:aws:s3:::acme-config-" + prodLogArchiveID, nil},
		{"s3:DeleteBucket", "arn:aws:s3:::acme-guardduty-findings-" + prodLogArchiveID, nil},
		{"sns:DeleteTopic", "arn:aws:sns:eu-west-2:" + prodSecurityID + ":acme-findings-alerts", nil},
		{"events:DisableRule", "arn:aws:events:eu-west-2:" + prodSecurityID + ":rule/acme-guardduty-findings", nil},
		{"kms:ScheduleKeyDeletion", "arn:aws:kms:eu-west-2:" + prodLogArchiveID + ":key/1234", map[string]any{"aws:ResourceTag/managed-by": "landing-zone-audit"}},
		{"kms:UntagResource", "arn:aws:kms:eu-west-2:" + prodLogArchiveID + ":key/1234", map[string]any{"aws:ResourceTag/managed-by": "landing-zone-audit", "aws:TagKeys": []string{"managed-by"}}},
		{"iam:UpdateAssumeRolePolicy", "arn:aws:iam::" + prodWorkloadID + ":role/OrganizationAccountAccessRole", nil},
		{"iam:DeleteRole", "arn:aws:iam::" + prodWorkloadID + ":role/OrganizationAccountAccessRole", nil},
	}
	for _, r := range protected {
		ctx := admin()
		for k, v := range r.context {
			ctx[k] = v
		}
		r.context = ctx
		_, denied := denies(scps, r)
		assert.True(t, denied, "a member administrator can still %s on %s", r.action, r.resource)
		deploy := r
		deploy.context = callerIn(prodWorkloadID, "OrganizationAccountAccessRole")
		for k, v := range r.context {
			if k != "aws:PrincipalArn" {
				deploy.context[k] = v
			}
		}
		sid, denied := denies(scps, deploy)
		if r.action == "organizations:LeaveOrganization" {
			assert.True(t, denied, "no member principal leaves the organization")
			continue
		}
		assert.False(t, denied, "the deploy role is exempt, but %s denies it %s", sid, r.action)
	}
	// The member's own resources stay the member's.
	for _, r := range []request{
		{"kms:ScheduleKeyDeletion", "arn:aws:kms:eu-west-2:" + prodWorkloadID + ":key/own", map[string]any{"aws:ResourceTag/managed-by": "team"}},
		{"s3:DeleteObjectVersion", "arn:aws:s3:::team-bucket/x", nil},
		{"sns:DeleteTopic", "arn:aws:sns:eu-west-2:" + prodWorkloadID + ":team-topic", nil},
		{"iam:CreateRole", "arn:aws:iam::" + prodWorkloadID + ":role/team-role", nil},
	} {
		ctx := admin()
		for k, v := range r.context {
			ctx[k] = v
		}
		r.context = ctx
		sid, denied := denies(scps, r)
		assert.False(t, denied, "%s denies the member %s on its own %s", sid, r.action, r.resource)
	}
}

// Nothing is exempted by a pattern a member can meet: each exempt role ARN
// names one role in any account (or the break-glass role exactly), and
// the same policies deny creating, re-trusting or changing a role that
// matches, so a member administrator cannot make itself exempt (Control
// Tower's guardrail "Disallow changes to IAM roles set up by AWS Control
// Tower" protects AWSControlTowerExecution and stacksets-exec-* this way).
func TestGuardrailsExemptOnlyRolesAMemberCannotCreate(t *testing.T) {
	t.Parallel()
	breakGlass := "arn:aws:iam::" + prodSecurityID + ":role/break-glass"
	for _, mode := range []string{config.BaselineDirect, config.BaselineStackSet} {
		t.Run(mode, func(t *testing.T) {
			src := with(exampleConfig(t), "memberBaseline", mode)
			if mode == config.BaselineStackSet {
				src = with(src, "stackSet", map[string]any{"organizationalUnitIds": []string{"ou-ab12-cdefgh34"}})
			}
			src = with(src, "guardrails", map[string]any{"breakGlassRoleArn": breakGlass})
			scps, _ := orgPolicies(t, runPlan(t, src), "SERVICE_CONTROL_POLICY")
			var exempt []string
			for _, s := range scps {
				if arns, ok := s.Condition["ArnNotLike"]["aws:PrincipalArn"]; ok {
					exempt = toStrings(arns)
					break
				}
			}
			want := []string{"arn:aws:iam::*:role/OrganizationAccountAccessRole", breakGlass}
			if mode == config.BaselineStackSet {
				want = append(want, "arn:aws:iam::*:role/stacksets-exec-*")
			}
			assert.ElementsMatch(t, want, exempt, "the deploy role, the StackSets execution role where a StackSet deploys, the break-glass role; nothing else")
			for _, s := range scps {
				if s.Sid == "StayInOrganization" {
					continue
				}
				assert.ElementsMatch(t, exempt, toStrings(s.Condition["ArnNotLike"]["aws:PrincipalArn"]), "%s exempts the same principals", s.Sid)
			}
			admin := callerIn(prodWorkloadID, "AWSReservedSSO_AdministratorAccess_0123456789abcdef")
			for _, pattern := range exempt {
				for _, account := range []string{prodWorkloadID, prodSecurityID} {
					role := strings.Replace(strings.Replace(pattern, "*", account, 1), "*", "0123456789abcdef", 1)
					if strings.Contains(pattern, "::"+prodSecurityID+":") && account != prodSecurityID {
						continue
					}
					for _, action := range []string{"iam:CreateRole", "iam:UpdateAssumeRolePolicy", "iam:AttachRolePolicy", "iam:PutRolePolicy", "iam:DeleteRole"} {
						_, denied := denies(scps, request{action, role, admin})
						assert.True(t, denied, "a member administrator can %s %s and so become exempt", action, role)
					}
				}
				// A role path cannot smuggle a name into the pattern either:
				// the path is part of the ARN the deny matches.
				if strings.HasSuffix(pattern, "*") {
					role := strings.Replace(strings.TrimSuffix(pattern, "*"), "*", prodWorkloadID, 1) + "x/evil"
					_, denied := denies(scps, request{"iam:CreateRole", role, admin})
					assert.True(t, denied, "creating %s is refused", role)
				}
			}
		})
	}
}

// Statements come from what the stack deploys: a service switched off adds
// none, and without member recorders nothing protects AWS Config's.
func TestGuardrailsFollowTheServicesDeployed(t *testing.T) {
	t.Parallel()
	actions := func(src config.Source) []string {
		scps, _ := orgPolicies(t, runPlan(t, src), "SERVICE_CONTROL_POLICY")
		var out []string
		for _, s := range scps {
			out = append(out, s.Action...)
		}
		return out
	}
	on := actions(exampleConfig(t))
	assert.Contains(t, on, "guardduty:DeleteDetector")
	assert.Contains(t, on, "securityhub:DisableSecurityHub")
	assert.Contains(t, on, "config:StopConfigurationRecorder")
	assert.NotContains(t, on, "macie2:DisableMacie", "Macie is off in the example")

	src := with(exampleConfig(t), "guardDuty", map[string]any{"enabled": false})
	src = with(src, "securityHub", map[string]any{"enabled": false})
	src = with(src, "awsConfig", map[string]any{"enabled": false})
	off := actions(src)
	for _, a := range off {
		assert.False(t, strings.HasPrefix(a, "guardduty:") || strings.HasPrefix(a, "securityhub:") || strings.HasPrefix(a, "config:"), "%s protects a service that is off", a)
	}
	scps, _ := orgPolicies(t, runPlan(t, src), "SERVICE_CONTROL_POLICY")
	slrs := sid(t, scps, "ProtectServiceLinkedRoles")
	assert.Equal(t, []string{"arn:aws:iam::*:role/aws-service-role/access-analyzer.amazonaws.com/*"}, []string(slrs.Resource), "only the service-linked role of a service still on")
}

// Every policy fits Organizations' limits (AWS Organizations User Guide,
// "Quotas and service limits for AWS Organizations": 5,120 characters per
// SCP or RCP, five per root, OU or account, one of which is always there).
func TestGuardrailsFitOrganizationsLimits(t *testing.T) {
	t.Parallel()
	full := loadStackFile(t, "../Pulumi.full.yaml")
	for name, src := range map[string]config.Source{"prod": exampleConfig(t), "full": full} {
		p := runPlan(t, src)
		cfg, err := config.Load(src)
		require.NoError(t, err)
		for _, typ := range []string{"SERVICE_CONTROL_POLICY", "RESOURCE_CONTROL_POLICY"} {
			_, policies := orgPolicies(t, p, typ)
			require.NotEmpty(t, policies, "%s has %s", name, typ)
			assert.LessOrEqual(t, len(policies)+1, 5, "%s: %s per target", name, typ)
			for _, r := range policies {
				content := r.Inputs["content"].(string)
				assert.LessOrEqual(t, len(content), 5120, "%s %s", name, r.Name)
				var doc map[string]any
				require.NoError(t, json.Unmarshal([]byte(content), &doc))
			}
		}
		// Each SCP is attached to the root, each RCP to the log archive.
		for _, att := range p.ByType(typeOrgPolicyAttach) {
			if strings.Contains(att.Name, "-scp-") {
				assert.Equal(t, plan.ReadAtDeploy("organization root"), att.Inputs["targetId"])
			} else {
				assert.Equal(t, cfg.AccountID(config.LogArchive), att.Inputs["targetId"], "%s", att.Name)
			}
			assert.Equal(t, "management", att.Account, "Organizations policies are attached from the management account")
		}
	}
}

// The resource control policy keeps the log archive's buckets and keys
// inside the organization while every delivery path still works: RCPs bind
// service principals too (AWS Organizations User Guide, "Resource control
// policies"), so each delivering service is checked with the context it
// sends (CloudTrail, Config, S3 server access logging and GuardDuty send
// aws:SourceAccount; Security Lake replicates with a role of the account).
func TestResourceControlPolicyKeepsDeliveryWorking(t *testing.T) {
	t.Parallel()
	src := with(exampleConfig(t), "guardDuty", map[string]any{"findingsExport": true})
	rcps, _ := orgPolicies(t, runPlan(t, src), "RESOURCE_CONTROL_POLICY")
	require.NotEmpty(t, rcps)
	cfg, err := config.Load(src)
	require.NoError(t, err)
	org := cfg.OrganizationID
	trail := "arn:aws:s3:::acme-orgtrail-" + prodLogArchiveID
	configBucket := "arn:aws:s3:::acme-config-" + prodLogArchiveID
	key := "arn:aws:kms:eu-west-2:" + prodLogArchiveID + ":key/1234"
	service := func(source string) map[string]any {
		return map[string]any{"aws:PrincipalIsAWSService": "true", "aws:SourceAccount": source, "aws:SourceOrgID": org, "aws:SecureTransport": "true"}
	}
	delivery := []request{
		{"s3:PutObject", trail + "/AWSLogs/" + org + "/" + prodWorkloadID + "/CloudTrail/x.json.gz", service(prodManagementID)},
		{"s3:GetBucketAcl", trail, service(prodManagementID)},
		{"kms:GenerateDataKey", key, withTag(service(prodManagementID))},
		{"s3:PutObject", configBucket + "/AWSLogs/" + prodWorkloadID + "/Config/x", service(prodWorkloadID)},
		{"s3:PutObject", "arn:aws:s3:::acme-config-access-" + prodLogArchiveID + "/x", service(prodLogArchiveID)},
		{"s3:PutObject", "arn:aws:s3:::acme-guardduty-findings-" + prodLogArchiveID + "/x", service(prodSecurityID)},
		{"s3:ReplicateObject", "arn:aws:s3:::aws-security-data-lake-eu-west-1-abc/x", map[string]any{
			"aws:PrincipalArn":   "arn:aws:iam::" + prodLogArchiveID + ":role/service-role/AmazonSecurityLakeS3ReplicationRole",
			"aws:PrincipalOrgID": org, "aws:PrincipalIsAWSService": "false", "aws:SecureTransport": "true",
		}},
		{"s3:GetObject", trail + "/x", map[string]any{"aws:PrincipalOrgID": org, "aws:PrincipalIsAWSService": "false", "aws:SecureTransport": "true"}},
	}
	for _, r := range delivery {
		sid, denied := denies(rcps, r)
		assert.False(t, denied, "%s denies %s on %s", sid, r.action, r.resource)
	}
	refused := []request{
		{"s3:GetObject", trail + "/x", map[string]any{"aws:PrincipalOrgID": "o-someoneelse", "aws:PrincipalIsAWSService": "false", "aws:SecureTransport": "true"}},
		{"kms:Decrypt", key, withTag(map[string]any{"aws:PrincipalIsAWSService": "false", "aws:SecureTransport": "true"})},
		{"s3:GetObject", trail + "/x", map[string]any{"aws:PrincipalOrgID": org, "aws:PrincipalIsAWSService": "false", "aws:SecureTransport": "false"}},
		{"s3:PutObject", trail + "/x", map[string]any{"aws:PrincipalIsAWSService": "true", "aws:SourceAccount": "999999999999", "aws:SourceOrgID": "o-someoneelse", "aws:SecureTransport": "true"}},
	}
	for _, r := range refused {
		_, denied := denies(rcps, r)
		assert.True(t, denied, "%s on %s with %v is not refused", r.action, r.resource, r.context)
	}
}

// withTag adds the stack's tag on the requested resource to ctx.
func withTag(ctx map[string]any) map[string]any {
	ctx["aws:ResourceTag/managed-by"] = "landing-zone-audit"
	return ctx
}

// Every log bucket denies erasing evidence to all but the deploy role of
// its account and the break-glass role, and every delivery path (CloudTrail,
// Config, S3 server access logging, GuardDuty, Macie) keeps its grant.
func TestLogBucketsDenyErasingEvidence(t *testing.T) {
	t.Parallel()
	full := loadStackFile(t, "../Pulumi.full.yaml")
	cfg, err := config.Load(full)
	require.NoError(t, err)
	breakGlass := "arn:aws:iam::" + cfg.AccountID(config.Security) + ":role/break-glass"
	src := with(full, "guardrails", map[string]any{"breakGlassRoleArn": breakGlass})
	p := runPlan(t, src)
	policies := p.ByType(typeBucketPolicy)
	require.NotEmpty(t, policies)
	for _, bp := range policies {
		statements := policyOf(t, bp, "policy")
		bucket := "arn:aws:s3:::" + bucketNameOf(t, p, bp)
		deploy := "arn:aws:iam::" + bp.AccountID + ":role/OrganizationAccountAccessRole"
		for _, who := range []string{"arn:aws:iam::" + bp.AccountID + ":role/AWSReservedSSO_Admin_0123", "arn:aws:iam::" + bp.AccountID + ":root"} {
			for _, r := range []request{
				{"s3:DeleteObjectVersion", bucket + "/x", nil}, {"s3:PutLifecycleConfiguration", bucket, nil},
				{"s3:PutBucketPolicy", bucket, nil}, {"s3:DeleteBucketPolicy", bucket, nil}, {"s3:PutBucketVersioning", bucket, nil},
			} {
				r.context = map[string]any{"aws:PrincipalArn": who, "aws:SecureTransport": "true"}
				_, denied := denies(statements, r)
				assert.True(t, denied, "%s: %s may %s", bp.Name, who, r.action)
			}
		}
		for _, manager := range []string{deploy, breakGlass} {
			r := request{"s3:PutBucketPolicy", bucket, map[string]any{"aws:PrincipalArn": manager, "aws:SecureTransport": "true"}}
			sid, denied := denies(statements, r)
			assert.False(t, denied, "%s: %s denies %s its policy", bp.Name, sid, manager)
		}
		// Delivery: the service statements' actions are never denied to a service over TLS.
		for _, s := range statements {
			if s.Effect != "Allow" || len(s.Principal.Service) == 0 {
				continue
			}
			for _, action := range s.Action {
				ctx := map[string]any{"aws:SecureTransport": "true", "s3:x-amz-server-side-encryption": "aws:kms"}
				for op, kv := range s.Condition {
					for k, v := range kv {
						if op == "StringEquals" || op == "ArnLike" {
							ctx[k] = toStrings(v)[0]
						}
					}
				}
				resource := s.Resource[0]
				sid, denied := denies(statements, request{action, strings.ReplaceAll(resource, "*", "x"), ctx})
				assert.False(t, denied, "%s: %s denies %v %s", bp.Name, sid, s.Principal.Service, action)
			}
		}
	}
}

// bucketNameOf resolves the bucket a bucket policy is attached to.
func bucketNameOf(t *testing.T, p *plan.Plan, bp plan.Resource) string {
	t.Helper()
	for _, b := range p.ByType(typeBucket) {
		if bp.Name == b.Name+"-policy" {
			return b.Inputs["bucket"].(string)
		}
	}
	t.Fatalf("no bucket for %s", bp.Name)
	return ""
}

// Keys allow kms:CreateGrant only for grants to AWS resources (Control
// Tower proactive control CT.KMS.PR.3; kms:GrantIsForAWSResource in the
// AWS KMS developer guide), and no statement allows it through a wildcard.
func TestKeysGrantOnlyToAWSResources(t *testing.T) {
	t.Parallel()
	p := runPlan(t, loadStackFile(t, "../Pulumi.full.yaml"))
	keys := p.ByType(typeKey)
	require.NotEmpty(t, keys)
	for _, k := range keys {
		for _, s := range policyOf(t, k, "policy") {
			if s.Effect != "Allow" || !globAny(s.Action, "kms:CreateGrant", true) {
				continue
			}
			assert.Equal(t, []string{"kms:CreateGrant"}, []string(s.Action), "%s %s: CreateGrant stands alone", k.Name, s.Sid)
			assert.Equal(t, "true", fmt.Sprint(s.Condition["Bool"]["kms:GrantIsForAWSResource"]), "%s %s", k.Name, s.Sid)
		}
	}
}

// Object Lock goes exactly where its writer is documented to cope and the
// stack was told to put it: the trail's bucket, through orgTrail.objectLock
// alone, and never through objectLockEnabled, which replaces the bucket.
// Never on the AWS Config bucket (CloudFormation reference,
// AWS::Config::DeliveryChannel: "AWS Config does not support the delivery
// channel to an Amazon S3 bucket where object lock is enabled"), on the
// GuardDuty export or Macie results buckets (Amazon S3 API reference,
// PutObject: Content-MD5 or x-amz-sdk-checksum-algorithm is required to
// upload into a bucket with a default retention, and neither service
// documents sending one), or on access-log targets (Amazon S3 user guide,
// "Configuring S3 Object Lock": buckets with Object Lock can't be server
// access log destinations). guardrails.objectLock is refused rather than
// locking anything irreversibly.
func TestObjectLockOnlyWhereTheWriterSupportsIt(t *testing.T) {
	t.Parallel()
	full := with(loadStackFile(t, "../Pulumi.full.yaml"), "guardDuty", map[string]any{"findingsExport": true})
	src := with(full, "orgTrail", map[string]any{"objectLock": map[string]any{"mode": "GOVERNANCE", "days": 30}})
	p := runPlan(t, src)
	locks := named(p, typeBucketObjectLockConfigurationV2)
	var locked []string
	for _, b := range p.ByType(typeBucket) {
		assert.Nil(t, b.Inputs["objectLockEnabled"], "%s: objectLockEnabled forces a new bucket", b.Name)
		if lock, ok := locks[b.Name+"-object-lock"]; ok {
			locked = append(locked, b.Inputs["bucket"].(string))
			assert.Equal(t, "GOVERNANCE", input(lock, "rule.defaultRetention.mode"))
			assert.Equal(t, 30.0, input(lock, "rule.defaultRetention.days"))
		}
	}
	assert.Equal(t, []string{"full-orgtrail-810000000003"}, locked, "only the trail's bucket is locked")
	assert.Len(t, locks, 1)

	// guardrails.objectLock neither locks the trail's bucket nor any other.
	_, err := config.Load(with(full, "guardrails", map[string]any{"objectLock": map[string]any{"mode": "GOVERNANCE", "days": 30}}))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "landing-zone-audit:guardrails.objectLock: Object Lock is not set on the stack's other log buckets: AWS Config does not deliver to a bucket with Object Lock enabled")
	assert.Contains(t, err.Error(), "set orgTrail.objectLock to lock the trail's bucket")
}

// Bad input: every problem at once, each naming the key and the fix.
func TestGuardrailsBadInput(t *testing.T) {
	t.Parallel()
	src := with(exampleConfig(t), "guardrails", map[string]any{
		"targets":           []string{"r-ab12", "ou-ab12-cdefgh34", "123456789012", "ou-ab12-cdefgh34"},
		"breakGlassRoleArn": "arn:aws:iam::999999999999:role/*",
	})
	_, err := config.Load(src)
	require.Error(t, err)
	for _, want := range []string{
		`landing-zone-audit:guardrails.targets[2]: "123456789012" is neither the organization root nor an OU`,
		`landing-zone-audit:guardrails.targets[3]: "ou-ab12-cdefgh34" is listed twice`,
		`landing-zone-audit:guardrails.targets: lists the root beside OUs`,
		`landing-zone-audit:guardrails.breakGlassRoleArn: "arn:aws:iam::999999999999:role/*" is not an IAM role ARN`,
	} {
		assert.Contains(t, err.Error(), want)
	}

	src = with(exampleConfig(t), "guardrails", map[string]any{"breakGlassRoleArn": "arn:aws:iam::999999999999:role/break-glass"})
	_, err = config.Load(src)
	require.Error(t, err)
	assert.Contains(t, err.Error(), `"arn:aws:iam::999999999999:role/break-glass" is in account 999999999999, which is not one of the organization's accounts`)

	// Control Tower owns the same OU; the root is above Control Tower's OUs.
	src = with(exampleConfig(t), "controlTower", map[string]any{"enabled": true})
	src = with(src, "guardrails", map[string]any{"targets": []string{"ou-ab12-cdefgh34", "r-ab12"}, "controlTowerOrganizationalUnitIds": []string{"ou-ab12-cdefgh34"}})
	_, err = config.Load(src)
	require.Error(t, err)
	assert.Contains(t, err.Error(), `guardrails.targets[0]: "ou-ab12-cdefgh34" is governed by Control Tower`)
	assert.Contains(t, err.Error(), `guardrails.targets[1]: "r-ab12" is the root, above the OUs Control Tower governs`)

	// Nothing is created from a bad configuration.
	_, err = plan.Run(stackProgram, "prod", src)
	var cfgErr *plan.ConfigError
	require.ErrorAs(t, err, &cfgErr)
}

// With Control Tower, the SCPs attach to the OUs named, Control Tower's
// included: its mandatory controls (Control Tower controls reference) guard
// its trail, recorders, buckets and roles, not the stack's detectors,
// alert paths, keys or buckets. Its recorders are not duplicated.
func TestGuardrailsBesideControlTower(t *testing.T) {
	t.Parallel()
	src := loadStackFile(t, "../Pulumi.controltower.yaml")
	p := runPlan(t, src)
	_, scps := orgPolicies(t, p, "SERVICE_CONTROL_POLICY")
	assert.Empty(t, scps, "no SCP without OUs to attach to (the root is above Control Tower's OUs)")

	src = with(src, "guardrails", map[string]any{"targets": []string{"ou-zz11-outsidect"}, "controlTowerOrganizationalUnitIds": []string{"ou-ab12-cdefgh34"}})
	p = runPlan(t, src)
	statements, scps := orgPolicies(t, p, "SERVICE_CONTROL_POLICY")
	require.NotEmpty(t, scps)
	attached := map[any]int{}
	for _, att := range p.ByType(typeOrgPolicyAttach) {
		if strings.Contains(att.Name, "-scp-") {
			attached[att.Inputs["targetId"]]++
		}
	}
	assert.Equal(t, map[any]int{"ou-zz11-outsidect": len(scps), "ou-ab12-cdefgh34": len(scps)}, attached, "every SCP on the OU outside Control Tower and on Control Tower's OU")
	for _, s := range statements {
		assert.NotEqual(t, "ProtectConfigRecorders", s.Sid, "Control Tower records its accounts; the stack's only recorder is management's, which no SCP binds")
	}
	assert.True(t, slices.ContainsFunc(statements, func(s statement) bool { return s.Sid == "ProtectGuardDuty" }), "what Control Tower does not guard is protected")
}

// The plan shows each guardrail: what it denies, where it is attached,
// whom it exempts, the policy types to enable first, and that the
// management account is not bound.
func TestPlanShowsGuardrails(t *testing.T) {
	t.Parallel()
	var out strings.Builder
	require.NoError(t, runPlan(t, exampleConfig(t)).Write(&out, "table"))
	text := out.String()
	assert.Regexp(t, `guardrail acme-guardrails-scp-1 \(SERVICE_CONTROL_POLICY\) attached to \[organization root, read at deploy\] denies: ProtectExemptAndStackRoles, .*ProtectConfigRecorders.*; exempt: \[arn:aws:iam::\*:role/OrganizationAccountAccessRole\]`, text)
	assert.Contains(t, text, "guardrail acme-guardrails-rcp-1 (RESOURCE_CONTROL_POLICY) attached to "+prodLogArchiveID+" denies: EvidenceStaysInOrganization")
	assert.Contains(t, text, "guardrails never bind the management account")
	assert.Contains(t, text, "aws organizations enable-policy-type --root-id <root ID> --policy-type SERVICE_CONTROL_POLICY")
}

// The resource control policy reaches only the stack's own keys (AWS KMS
// developer guide, "Resource control policies in AWS KMS": an RCP applies
// to every customer managed key of the account, so a key another product
// shares outside the organization would break), and the Security Lake
// subscriber outside the organization passes only at the lake's buckets,
// never at the trail's or Config's (AWS Organizations User Guide,
// "Resource control policies").
func TestResourceControlPolicyScope(t *testing.T) {
	t.Parallel()
	full := loadStackFile(t, "../Pulumi.full.yaml")
	cfg, err := config.Load(full)
	require.NoError(t, err)
	rcps, _ := orgPolicies(t, runPlan(t, full), "RESOURCE_CONTROL_POLICY")
	require.NotEmpty(t, rcps)
	logArchive := cfg.AccountID(config.LogArchive)
	subscriber := "810000000009"
	require.NotContains(t, cfg.AccountIDs(), subscriber, "the full stack's subscriber is outside the organization")
	reader := map[string]any{"aws:PrincipalAccount": subscriber, "aws:PrincipalArn": "arn:aws:iam::" + subscriber + ":role/siem",
		"aws:PrincipalOrgID": "o-someoneelse", "aws:PrincipalIsAWSService": "false", "aws:SecureTransport": "true"}
	for _, r := range []request{
		{"s3:GetObject", "arn:aws:s3:::full-orgtrail-" + logArchive + "/AWSLogs/x", reader},
		{"s3:GetObject", "arn:aws:s3:::full-config-" + logArchive + "/AWSLogs/x", reader},
		{"kms:Decrypt", "arn:aws:kms:eu-west-2:" + logArchive + ":key/ours", withTag(reader)},
	} {
		_, denied := denies(rcps, r)
		assert.True(t, denied, "the subscriber reaches %s", r.resource)
	}
	sid, denied := denies(rcps, request{"s3:GetObject", "arn:aws:s3:::aws-security-data-lake-eu-west-2-abc/x", reader})
	assert.False(t, denied, "%s refuses the lake's subscriber", sid)
	// A key the stack does not own (no managed-by tag) is outside the policy.
	other := map[string]any{"aws:PrincipalOrgID": "o-someoneelse", "aws:PrincipalIsAWSService": "false", "aws:SecureTransport": "true",
		"aws:ResourceTag/managed-by": "control-tower"}
	sid, denied = denies(rcps, request{"kms:Decrypt", "arn:aws:kms:eu-west-2:" + logArchive + ":key/theirs", other})
	assert.False(t, denied, "%s reaches a key the stack does not own", sid)
}

// Recorders and Security Hub have weakening APIs beside the obvious ones:
// each is denied to a member administrator and left to the deploy role.
// AWS Config API reference: AssociateResourceTypes, DisassociateResourceTypes
// (change a recorder's recording group); Security Hub CSPM API reference:
// BatchUpdateStandardsControlAssociations (disables controls), UpdateFindings
// (archives findings, the legacy API), BatchUpdateFindings with
// Workflow.Status SUPPRESSED (Security Hub CSPM user guide, "Configuring
// access to BatchUpdateFindings": securityhub:ASFFSyntaxPath/Workflow.Status).
func TestGuardrailsDenyRecorderAndSecurityHubWeakening(t *testing.T) {
	t.Parallel()
	scps, _ := orgPolicies(t, runPlan(t, exampleConfig(t)), "SERVICE_CONTROL_POLICY")
	admin := callerIn(prodWorkloadID, "AWSReservedSSO_AdministratorAccess_0123456789abcdef")
	deploy := callerIn(prodWorkloadID, "OrganizationAccountAccessRole")
	suppress := map[string]any{"securityhub:ASFFSyntaxPath/Workflow.Status": "SUPPRESSED"}
	merge := func(a, b map[string]any) map[string]any {
		out := map[string]any{}
		for k, v := range a {
			out[k] = v
		}
		for k, v := range b {
			out[k] = v
		}
		return out
	}
	for _, r := range []request{
		{"config:AssociateResourceTypes", "*", nil},
		{"config:DisassociateResourceTypes", "*", nil},
		{"securityhub:BatchUpdateStandardsControlAssociations", "*", nil},
		{"securityhub:UpdateFindings", "*", nil},
		{"securityhub:BatchUpdateFindings", "*", suppress},
	} {
		_, denied := denies(scps, request{r.action, r.resource, merge(admin, r.context)})
		assert.True(t, denied, "a member administrator can still %s", r.action)
		sid, denied := denies(scps, request{r.action, r.resource, merge(deploy, r.context)})
		assert.False(t, denied, "%s denies the deploy role %s", sid, r.action)
	}
	sid, denied := denies(scps, request{"securityhub:BatchUpdateFindings", "*", merge(admin, map[string]any{"securityhub:ASFFSyntaxPath/Workflow.Status": "RESOLVED"})})
	assert.False(t, denied, "%s keeps a member from triaging its own findings", sid)
}

// A member account registered as StackSets delegated administrator creates
// service-managed StackSets that run as stacksets-exec-* in every target
// account (CloudFormation API reference, CreateStackSet CallAs
// DELEGATED_ADMIN: such StackSets are created in the management account),
// which is exempt; so no member principal but the exempt roles may create
// or change a StackSet or its instances.
func TestGuardrailsStackSetsDelegatedAdministratorCannotUseTheExemption(t *testing.T) {
	t.Parallel()
	src := with(exampleConfig(t), "memberBaseline", config.BaselineStackSet)
	src = with(src, "stackSet", map[string]any{"organizationalUnitIds": []string{"ou-ab12-cdefgh34"}})
	scps, _ := orgPolicies(t, runPlan(t, src), "SERVICE_CONTROL_POLICY")
	admin := callerIn(prodSecurityID, "Admin")
	for _, action := range []string{"cloudformation:CreateStackSet", "cloudformation:UpdateStackSet", "cloudformation:CreateStackInstances",
		"cloudformation:UpdateStackInstances", "cloudformation:DeleteStackInstances", "cloudformation:ImportStacksToStackSet"} {
		_, denied := denies(scps, request{action, "arn:aws:cloudformation:eu-west-2:" + prodSecurityID + ":stackset/evil:*", admin})
		assert.True(t, denied, "a member administrator can %s", action)
		sid, denied := denies(scps, request{action, "*", callerIn(prodSecurityID, "OrganizationAccountAccessRole")})
		assert.False(t, denied, "%s denies the deploy role %s", sid, action)
	}
}

// Security Lake's buckets in a member account are log buckets like the
// stack's own (Security Lake user guide: the lake stores its data in
// aws-security-data-lake-<region>-<ID> in the delegated administrator):
// a member administrator cannot expire or delete them directly in S3.
func TestGuardrailsProtectSecurityLakeBuckets(t *testing.T) {
	t.Parallel()
	scps, _ := orgPolicies(t, runPlan(t, loadStackFile(t, "../Pulumi.full.yaml")), "SERVICE_CONTROL_POLICY")
	admin := callerIn("810000000003", "Admin")
	bucket := "arn:aws:s3:::aws-security-data-lake-eu-west-2-abc"
	for _, r := range []request{{"s3:PutLifecycleConfiguration", bucket, admin}, {"s3:DeleteObjectVersion", bucket + "/x", admin}} {
		_, denied := denies(scps, r)
		assert.True(t, denied, "a member administrator can %s on the lake", r.action)
	}
	_, denied := denies(scps, request{"s3:PutLifecycleConfiguration", bucket, callerIn("810000000003", "OrganizationAccountAccessRole")})
	assert.False(t, denied)
}

// Changing accessRoleName must not lock the deployer out: until an up run
// by an exempt role rewrites them, the live bucket policies and SCPs name
// the old role, and a negated ARN operator denies every other principal
// (IAM user guide, "IAM JSON policy elements: Condition operators"; S3 user
// guide, "Bucket policies": only the root user then replaces the policy).
// guardrails.formerAccessRoleNames keeps the old role exempt beside the new
// one in every SCP statement and every bucket policy for the transition.
func TestGuardrailsDeployRoleChangeKeepsTheFormerRoleExempt(t *testing.T) {
	t.Parallel()
	src := with(exampleConfig(t), "accessRoleName", "LandingZoneDeploy")
	src = with(src, "guardrails", map[string]any{"formerAccessRoleNames": []string{"OrganizationAccountAccessRole"}})
	p := runPlan(t, src)
	scps, _ := orgPolicies(t, p, "SERVICE_CONTROL_POLICY")
	require.NotEmpty(t, scps)
	for _, role := range []string{"LandingZoneDeploy", "OrganizationAccountAccessRole"} {
		sid, denied := denies(scps, request{"config:StopConfigurationRecorder", "*", callerIn(prodWorkloadID, role)})
		assert.False(t, denied, "%s denies %s during the transition", sid, role)
	}
	_, denied := denies(scps, request{"config:StopConfigurationRecorder", "*", callerIn(prodWorkloadID, "Admin")})
	assert.True(t, denied, "nobody else becomes exempt")
	_, denied = denies(scps, request{"iam:UpdateAssumeRolePolicy", "arn:aws:iam::" + prodWorkloadID + ":role/OrganizationAccountAccessRole", callerIn(prodWorkloadID, "Admin")})
	assert.True(t, denied, "the former role is protected like the deploy role")
	policies := p.ByType(typeBucketPolicy)
	require.NotEmpty(t, policies)
	for _, bp := range policies {
		statements := policyOf(t, bp, "policy")
		bucket := "arn:aws:s3:::" + bucketNameOf(t, p, bp)
		for _, role := range []string{"LandingZoneDeploy", "OrganizationAccountAccessRole"} {
			r := request{"s3:PutBucketPolicy", bucket, map[string]any{"aws:PrincipalArn": "arn:aws:iam::" + bp.AccountID + ":role/" + role, "aws:SecureTransport": "true"}}
			sid, denied := denies(statements, r)
			assert.False(t, denied, "%s: %s denies %s its policy", bp.Name, sid, role)
		}
	}

	_, err := config.Load(with(exampleConfig(t), "guardrails", map[string]any{"formerAccessRoleNames": []string{"Old*", "OrganizationAccountAccessRole"}}))
	require.Error(t, err)
	assert.Contains(t, err.Error(), `guardrails.formerAccessRoleNames[0]: "Old*" is not an IAM role name`)
	assert.Contains(t, err.Error(), `guardrails.formerAccessRoleNames[1]: "OrganizationAccountAccessRole" is accessRoleName, exempt already`)
}

package tests

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/pkg/v3/resource/deploy"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/example/landing-zone-audit/config"
	"github.com/example/landing-zone-audit/internal/plan"
)

// The full example's Security Lake: the log-archive account, two governed
// regions, eu-west-1 the rollup region, a subscriber of two sources.
const (
	lakeAccountID = "810000000003"
	lakeRollup    = "eu-west-1"
	lakeOther     = "eu-central-1"
)

func fullPlan(t *testing.T) *plan.Plan {
	t.Helper()
	return runPlan(t, loadStackFile(t, "../Pulumi.full.yaml"))
}

// Security Lake is off by default. On, every governed region has a data
// lake in the delegated administrator's account, encrypted with that
// region's own key (the user guide's "Data protection": no multi-Region
// key), keeping objects for expirationDays and moving them to the
// transitions' storage classes (API_DataLakeLifecycleConfiguration).
func TestSecurityLakeDataLakeInEveryRegion(t *testing.T) {
	t.Parallel()
	assert.Empty(t, runPlan(t, exampleConfig(t)).ByType(typeDataLake), "off by default")
	p := fullPlan(t)
	lakes := p.ByType(typeDataLake)
	require.Len(t, lakes, 2)
	for _, lake := range lakes {
		region := lake.Region
		assert.Equal(t, []string{"logArchive", lakeAccountID}, []string{lake.Account, lake.AccountID}, lake.Name)
		assert.Equal(t, region, input(lake, "configuration.region"), "each lake is configured for its provider's region")
		key := one(t, p, typeKey, "securitylake-"+region+"-key")
		assert.Equal(t, []string{"logArchive", region}, []string{key.Account, key.Region})
		assert.Equal(t, true, key.Inputs["enableKeyRotation"])
		assert.True(t, key.RetainOnDelete, "the lake's objects stay readable after a destroy")
		assert.NotNil(t, input(lake, "configuration.encryptionConfigurations.0.kmsKeyId"))
		for _, r := range []string{lakeRollup, lakeOther} {
			other := one(t, p, typeKey, "securitylake-"+r+"-key")
			assert.Equal(t, r == region, dependsOn(lake, other), "%s is encrypted with its own region's key only (%s)", lake.Name, other.Name)
		}
		assert.EqualValues(t, 365, input(lake, "configuration.lifecycleConfiguration.expiration.days"))
		assert.EqualValues(t, 30, input(lake, "configuration.lifecycleConfiguration.transitions.0.days"))
		assert.Equal(t, "STANDARD_IA", input(lake, "configuration.lifecycleConfiguration.transitions.0.storageClass"))
		assert.Equal(t, "arn:aws:iam::"+lakeAccountID+":role/service-role/AmazonSecurityLakeMetaStoreManagerV2", lake.Inputs["metaStoreManagerRoleArn"])
	}
}

// The metastore role has the name, path, trust and AWS managed policy the
// Security Lake user guide gives it (AmazonSecurityLakeMetaStoreManagerV2
// under /service-role/, assumed by Lambda, policy
// AmazonSecurityLakeMetastoreManager), and the data lakes wait for the
// policy to be attached.
func TestSecurityLakeMetastoreRole(t *testing.T) {
	t.Parallel()
	p := fullPlan(t)
	role := one(t, p, typeRole, "securitylake-metastore-role")
	assert.Equal(t, []string{"AmazonSecurityLakeMetaStoreManagerV2", "/service-role/", "logArchive"}, []string{role.Inputs["name"].(string), role.Inputs["path"].(string), role.Account})
	trust := policyOf(t, role, "assumeRolePolicy")
	require.Len(t, trust, 1)
	assert.Equal(t, []string{"lambda.amazonaws.com"}, []string(trust[0].Principal.Service))
	assert.Empty(t, trust[0].Principal.AWS)
	assert.Equal(t, []string{"sts:AssumeRole"}, []string(trust[0].Action))
	attach := one(t, p, typeRolePolicyAttachment, "securitylake-metastore-role-policy")
	assert.Equal(t, "arn:aws:iam::aws:policy/service-role/AmazonSecurityLakeMetastoreManager", attach.Inputs["policyArn"])
	for _, lake := range p.ByType(typeDataLake) {
		assert.Contains(t, lake.Dependencies, attach.URN, "%s is created once the role can act", lake.Name)
	}
}

// Each region's key lets the account administer it through IAM, lets the
// principal that enables Security Lake — the role the stack acts as —
// create grants and data keys, and lets the role Lake Formation reads the
// lake's location with decrypt through S3 in that region (what the user
// guide's "Data protection in Amazon Security Lake" asks of a customer
// managed key); nothing else, and no principal outside the account. The
// metastore function, whose AWS managed policy has no KMS actions, gets
// each key's use through S3 for its region's lake bucket from its own
// policy.
func TestSecurityLakeKeysAllowOnlyWhatSecurityLakeDocuments(t *testing.T) {
	t.Parallel()
	p := fullPlan(t)
	for _, region := range []string{lakeRollup, lakeOther} {
		statements := policyOf(t, one(t, p, typeKey, "securitylake-"+region+"-key"), "policy")
		requireNoOpenWildcardPrincipal(t, statements)
		require.Len(t, statements, 6, "administration and grants for AWS resources, the enabler's use and grants, Lake Formation's decrypt, resource management's use, nothing else")
		admin := sid(t, statements, "AccountAdministersKeyThroughIAM")
		assert.Equal(t, []string{"arn:aws:iam::" + lakeAccountID + ":root"}, []string(admin.Principal.AWS))
		use := sid(t, statements, "SecurityLakeEnablerUsesKey")
		assert.Equal(t, []string{"arn:aws:iam::" + lakeAccountID + ":role/OrganizationAccountAccessRole"}, []string(use.Principal.AWS),
			"the role the log-archive provider assumes")
		assert.ElementsMatch(t, []string{"kms:DescribeKey", "kms:GenerateDataKey"}, []string(use.Action))
		// Security Lake creates its grants as an AWS service integrated with
		// KMS, so kms:GrantIsForAWSResource holds (AWS KMS developer guide).
		grants := sid(t, statements, "SecurityLakeEnablerUsesKeyGrants")
		assert.Equal(t, use.Principal.AWS, grants.Principal.AWS)
		assert.Equal(t, []string{"kms:CreateGrant"}, []string(grants.Action))
		assert.Equal(t, "true", grants.Condition["Bool"]["kms:GrantIsForAWSResource"])
		lf := sid(t, statements, "LakeFormationDecryptsForQueries")
		assert.Equal(t, []string{"kms:Decrypt"}, []string(lf.Action))
		assert.Equal(t, "arn:aws:iam::"+lakeAccountID+":role/aws-service-role/lakeformation.amazonaws.com/AWSServiceRoleForLakeFormationDataAccess", lf.Condition["ArnEquals"]["aws:PrincipalArn"])
		assert.Equal(t, lakeAccountID, lf.Condition["StringEquals"]["kms:CallerAccount"], "no principal outside the lake account")
		assert.Equal(t, "s3."+region+".amazonaws.com", lf.Condition["StringEquals"]["kms:ViaService"], "only through S3 in the key's region")
		for _, s := range statements {
			assert.Empty(t, s.Principal.Service, "%s: no service principal", s.Sid)
		}
	}
	keys := policyOf(t, one(t, p, typeRolePolicy, "securitylake-metastore-role-keys"), "policy")
	require.Len(t, keys, 2, "one statement per region")
	for _, region := range []string{lakeRollup, lakeOther} {
		s := sid(t, keys, "UseKeyIn"+strings.ReplaceAll(region, "-", ""))
		assert.ElementsMatch(t, []string{"kms:Decrypt", "kms:GenerateDataKey"}, []string(s.Action))
		require.Len(t, s.Resource, 1)
		assert.Contains(t, s.Resource[0], ":"+region+":"+lakeAccountID+":key/", "the region's own key")
		assert.Equal(t, "s3."+region+".amazonaws.com", s.Condition["StringEquals"]["kms:ViaService"])
		assert.Equal(t, "arn:aws:s3:::aws-security-data-lake-"+region+"*", s.Condition["StringLike"]["kms:EncryptionContext:aws:s3:arn"])
	}
	for _, lake := range p.ByType(typeDataLake) {
		assert.Contains(t, lake.Dependencies, one(t, p, typeRolePolicy, "securitylake-metastore-role-keys").URN, "%s waits for the function's key use", lake.Name)
	}
}

// With a rollup region, the rollup region's lake is created first and the
// other replicates into it (API_DataLakeReplicationConfiguration: the
// contributing region names the rollup region) through the replication
// role, which S3 assumes. The role may read only the contributing regions'
// lake buckets, replicate only into the rollup region's, only in the lake
// account, and use each key only through S3 for its region's bucket (the
// user guide's "Adding a rollup Region").
func TestSecurityLakeRollupRegion(t *testing.T) {
	t.Parallel()
	p := fullPlan(t)
	rollup := one(t, p, typeDataLake, "securitylake-"+lakeRollup)
	other := one(t, p, typeDataLake, "securitylake-"+lakeOther)
	assert.Nil(t, input(rollup, "configuration.replicationConfiguration"), "the rollup region contributes to no region")
	assert.Equal(t, []any{lakeRollup}, input(other, "configuration.replicationConfiguration.regions"))
	assert.True(t, dependsOn(other, rollup), "the rollup region's lake exists before a region replicates into it")
	assert.Contains(t, other.Dependencies, one(t, p, typeRolePolicy, "securitylake-replication-role-policy").URN, "replication starts once the role may replicate")

	role := one(t, p, typeRole, "securitylake-replication-role")
	assert.Equal(t, "arn:aws:iam::"+lakeAccountID+":role/service-role/AmazonSecurityLakeS3ReplicationRole", input(other, "configuration.replicationConfiguration.roleArn"))
	trust := policyOf(t, role, "assumeRolePolicy")
	require.Len(t, trust, 1)
	assert.Equal(t, []string{"s3.amazonaws.com"}, []string(trust[0].Principal.Service))

	statements := policyOf(t, one(t, p, typeRolePolicy, "securitylake-replication-role-policy"), "policy")
	read := sid(t, statements, "ReadContributingRegions")
	assert.ElementsMatch(t, []string{"arn:aws:s3:::aws-security-data-lake-eu-central-1*", "arn:aws:s3:::aws-security-data-lake-eu-central-1*/*"}, []string(read.Resource))
	assert.Contains(t, read.Action, "s3:GetObjectVersionForReplication")
	write := sid(t, statements, "ReplicateIntoRollupRegion")
	assert.Equal(t, []string{"arn:aws:s3:::aws-security-data-lake-eu-west-1*/*"}, []string(write.Resource))
	assert.ElementsMatch(t, []string{"s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags", "s3:GetObjectVersionTagging"}, []string(write.Action))
	for _, s := range []statement{read, write} {
		assert.Equal(t, lakeAccountID, s.Condition["StringEquals"]["s3:ResourceAccount"], "%s: only the lake account's buckets", s.Sid)
	}
	decrypt := sid(t, statements, "DecryptIneucentral1")
	assert.Equal(t, []string{"kms:Decrypt"}, []string(decrypt.Action))
	assert.Equal(t, "s3.eu-central-1.amazonaws.com", decrypt.Condition["StringEquals"]["kms:ViaService"])
	assert.Equal(t, "arn:aws:s3:::aws-security-data-lake-eu-central-1*", decrypt.Condition["StringLike"]["kms:EncryptionContext:aws:s3:arn"])
	require.Len(t, decrypt.Resource, 1)
	assert.Contains(t, decrypt.Resource[0], ":"+lakeOther+":", "the contributing region's key")
	encrypt := sid(t, statements, "EncryptInRollupRegion")
	assert.Equal(t, []string{"kms:Encrypt"}, []string(encrypt.Action))
	require.Len(t, encrypt.Resource, 1)
	assert.Contains(t, encrypt.Resource[0], ":"+lakeRollup+":", "the rollup region's key")
	for _, s := range statements {
		for _, r := range s.Resource {
			assert.NotEqual(t, "*", r, "%s: no wildcard resource", s.Sid)
		}
	}

	// Without a rollup region, no lake replicates and there is no role.
	src := loadStackFile(t, "../Pulumi.full.yaml")
	var lake map[string]any
	require.NoError(t, json.Unmarshal([]byte(src.Values["landing-zone-audit:securityLake"]), &lake))
	lake["rollupRegion"] = ""
	plain := runPlan(t, with(src, "securityLake", lake))
	for _, l := range plain.ByType(typeDataLake) {
		assert.Nil(t, input(l, "configuration.replicationConfiguration"), l.Name)
	}
	assert.Empty(t, named(plain, typeRole)["securitylake-replication-role"].Name)
}

// Each source is collected in every governed region from every account of
// the organization: CreateAwsLogSource without accounts applies to the
// whole organization (API_CreateAwsLogSource), and a region without a data
// lake is refused, so every source waits for every lake. Version 2.0 is
// OCSF 1.1, which the MetaStoreManagerV2 role serves.
func TestSecurityLakeSourcesCoverTheOrganization(t *testing.T) {
	t.Parallel()
	p := fullPlan(t)
	sources := p.ByType(typeLogSource)
	var names []string
	for _, s := range sources {
		names = append(names, input(s, "source.sourceName").(string))
		assert.Equal(t, []any{lakeOther, lakeRollup}, input(s, "source.regions"), "every governed region")
		assert.Nil(t, input(s, "source.accounts"), "no account list: the whole organization, including accounts the stack does not list")
		assert.Equal(t, "2.0", input(s, "source.sourceVersion"))
		assert.Equal(t, "logArchive", s.Account, "the delegated administrator adds the sources")
		for _, lake := range p.ByType(typeDataLake) {
			assert.True(t, dependsOn(s, lake), "%s waits for %s", s.Name, lake.Name)
		}
	}
	assert.ElementsMatch(t, []string{"CLOUD_TRAIL_MGMT", "VPC_FLOW", "ROUTE53", "SH_FINDINGS"}, names)
}

// A subscriber gets one provider subscriber per source it reads (the
// provider takes one source each), in the rollup region, where every
// region's data is, after the sources exist; its identity is the
// subscriber's account and external ID (API_CreateSubscriber).
func TestSecurityLakeSubscribers(t *testing.T) {
	t.Parallel()
	p := fullPlan(t)
	subs := p.ByType(typeLakeSubscriber)
	require.Len(t, subs, 2)
	var read []string
	for _, s := range subs {
		assert.Equal(t, []string{"logArchive", lakeRollup}, []string{s.Account, s.Region})
		assert.Equal(t, "S3", s.Inputs["accessType"])
		assert.Equal(t, "810000000009", input(s, "subscriberIdentity.principal"))
		assert.Equal(t, "siem-full-7f3a", input(s, "subscriberIdentity.externalId"))
		read = append(read, input(s, "source.awsLogSourceResource.sourceName").(string))
		for _, src := range p.ByType(typeLogSource) {
			assert.True(t, dependsOn(s, src), "%s waits for %s", s.Name, src.Name)
		}
	}
	assert.ElementsMatch(t, []string{"CLOUD_TRAIL_MGMT", "SH_FINDINGS"}, read)

	// notification: sqs gives each of them a queue Security Lake creates
	// (API_CreateSubscriberNotification's sqsNotificationConfiguration).
	notifications := p.ByType(typeLakeSubscriberNotification)
	require.Len(t, notifications, 2)
	for _, n := range notifications {
		assert.Equal(t, []string{"logArchive", lakeRollup}, []string{n.Account, n.Region})
		assert.Equal(t, map[string]any{}, input(n, "configuration.sqsNotificationConfiguration"))
		assert.Nil(t, input(n, "configuration.httpsNotificationConfiguration"))
		owner := one(t, p, typeLakeSubscriber, strings.TrimSuffix(n.Name, "-notification"))
		assert.True(t, dependsOn(n, owner), "%s is its subscriber's", n.Name)
	}
}

// Security Lake designates its administrator only through its own API
// (user guide: designating it through AWS Organizations isn't supported),
// which no provider has a resource for, and it sets auto-enable for new
// accounts only through CreateDataLakeOrganizationConfiguration, which no
// provider has either: the plan names both commands, the second with every
// governed region and source, as the API takes them.
func TestSecurityLakePlanNamesTheHandSteps(t *testing.T) {
	t.Parallel()
	p := fullPlan(t)
	var out strings.Builder
	require.NoError(t, p.Write(&out, "table"))
	text := out.String()
	assert.Contains(t, text, "aws securitylake register-data-lake-delegated-administrator --account-id "+lakeAccountID)
	command, ok := p.Outputs["securityLakeOrganizationConfigurationCommand"].(string)
	require.True(t, ok, "the command is a stack output")
	assert.Contains(t, text, command)
	_, arg, ok := strings.Cut(command, "--auto-enable-new-account '")
	require.True(t, ok, command)
	var autoEnable []struct {
		Region  string
		Sources []struct{ SourceName, SourceVersion string }
	}
	require.NoError(t, json.Unmarshal([]byte(strings.TrimSuffix(arg, "'")), &autoEnable))
	require.Len(t, autoEnable, 2)
	for _, r := range autoEnable {
		assert.Contains(t, []string{lakeRollup, lakeOther}, r.Region)
		var names []string
		for _, s := range r.Sources {
			names = append(names, s.SourceName)
			assert.Equal(t, "2.0", s.SourceVersion)
		}
		assert.ElementsMatch(t, []string{"CLOUD_TRAIL_MGMT", "VPC_FLOW", "ROUTE53", "SH_FINDINGS"}, names)
	}
}

// Every problem with securityLake is reported at once, naming the key and
// the fix, and nothing is planned. The lifecycle rules are S3's (S3 user
// guide, "Transitioning objects using Amazon S3 Lifecycle": objects move
// only down STANDARD_IA, INTELLIGENT_TIERING, ONEZONE_IA, GLACIER_IR,
// GLACIER, DEEP_ARCHIVE, into and out of the IA classes only after 30
// days); the subscriber's external ID is STS AssumeRole's (2 to 1224
// characters of [\w+=,.@:/-]); the sources and access types are
// API_AwsLogSourceResource's and API_CreateSubscriber's.
func TestSecurityLakeValidation(t *testing.T) {
	t.Parallel()
	src := with(with(exampleConfig(t), "securityHub", map[string]any{"enabled": false}), "securityLake", map[string]any{
		"enabled":        true,
		"account":        "management",
		"rollupRegion":   "us-east-1",
		"sources":        []string{"ROUTE53", "DNS", "ROUTE53", "SH_FINDINGS"},
		"expirationDays": 20,
		"transitions":    []map[string]any{{"days": 10, "storageClass": "STANDARD_IA"}, {"days": 5, "storageClass": "COLD"}},
		"subscribers": []map[string]any{
			{"name": "Siem", "accountId": "12345", "externalId": "", "accessType": "HTTPS", "sources": []string{"WAF"}},
			{"name": "soc", "accountId": "999999999999", "externalId": "soc-1", "accessType": "LAKEFORMATION", "sources": []string{}, "notification": "sqs"},
			{"name": "web", "accountId": "999999999998", "externalId": "web-1", "accessType": "S3", "sources": []string{"ROUTE53"}, "notification": "https"},
		},
	})
	_, err := config.Load(src)
	require.Error(t, err)
	for _, want := range []string{
		"securityLake.account: Security Lake's delegated administrator cannot be the management account",
		`securityLake.rollupRegion: "us-east-1" is not a governed region`,
		`securityLake.sources[1]: "DNS" is not one of`,
		`securityLake.sources[2]: "ROUTE53" is listed twice`,
		"securityLake.sources: SH_FINDINGS collects Security Hub findings, and securityHub.enabled is false",
		"securityLake.transitions[0].days: 10: S3 moves objects to STANDARD_IA only after 30 days",
		`securityLake.transitions[1].storageClass: "COLD" is not a storage class`,
		"securityLake.transitions[1].days: 5 is not after the previous transition",
		`securityLake.subscribers[0].name: "Siem" is not a subscriber name`,
		`securityLake.subscribers[0].accountId: "12345" is not an account ID`,
		"securityLake.subscribers[0].externalId: required",
		`securityLake.subscribers[0].accessType: "HTTPS" is not an access type`,
		`securityLake.subscribers[0].sources[0]: "WAF" is not one of ROUTE53, DNS, ROUTE53, SH_FINDINGS`,
		"securityLake.subscribers[1].sources: empty",
		"securityLake.subscribers[1].notification: sqs tells an S3 subscriber of new objects; a LAKEFORMATION subscriber queries instead",
		`securityLake.subscribers[2].notification: "https" is not supported`,
	} {
		assert.Contains(t, err.Error(), "landing-zone-audit:"+want)
	}
	_, err = config.Load(with(exampleConfig(t), "securityLake", map[string]any{"enabled": true, "transitions": []map[string]any{
		{"days": 30, "storageClass": "STANDARD_IA"}, {"days": 45, "storageClass": "GLACIER"}, {"days": 90, "storageClass": "ONEZONE_IA"}, {"days": 100, "storageClass": "ONEZONE_IA"},
	}}))
	require.Error(t, err)
	for _, want := range []string{
		"securityLake.transitions[1].days: 45: S3 moves objects out of STANDARD_IA only 30 days after they arrive; use 60 or more",
		"securityLake.transitions[2].storageClass: ONEZONE_IA cannot follow GLACIER: S3 moves objects only down STANDARD_IA → INTELLIGENT_TIERING",
		"securityLake.transitions[3].storageClass: ONEZONE_IA cannot follow ONEZONE_IA",
	} {
		assert.Contains(t, err.Error(), want)
	}
	_, err = config.Load(with(exampleConfig(t), "securityLake", map[string]any{"enabled": true, "transitions": []map[string]any{
		{"days": 30, "storageClass": "STANDARD_IA"}, {"days": 60, "storageClass": "GLACIER_IR"}, {"days": 180, "storageClass": "DEEP_ARCHIVE"},
	}}))
	assert.NoError(t, err, "a waterfall S3 accepts")
	_, err = config.Load(with(exampleConfig(t), "securityLake", map[string]any{"enabled": true, "expirationDays": 30}))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "securityLake.transitions[0].days: 30 is not before securityLake.expirationDays (30)")
	_, err = config.Load(with(exampleConfig(t), "securityLake", map[string]any{"enabled": true, "account": "nobody"}))
	require.Error(t, err)
	assert.Contains(t, err.Error(), `securityLake.account: "nobody" is not an alias under accounts`)
	_, err = config.Load(with(with(exampleConfig(t), "governedRegions", []string{"eu-west-2"}), "securityLake", map[string]any{"enabled": true, "rollupRegion": "eu-west-2"}))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "securityLake.rollupRegion: only one region is governed")
}

// Under Pulumi's engine: without the hand designation, the stand-in
// organization lists no securitylake.amazonaws.com among the services of
// the lake account (Organizations' ListDelegatedServicesForAccount, where
// RegisterDataLakeDelegatedAdministrator registers it: the Security Lake
// user guide's permissions for designating include
// organizations:RegisterDelegatedAdministrator), and the
// preview and the update stop with the command that designates the account,
// and the update creates nothing: the program checks before its first
// resource.
func TestEngineSecurityLakeNeedsItsAdministrator(t *testing.T) {
	t.Parallel()
	s := newEngineStack(t, "../Pulumi.full.yaml")
	s.delegatedAdmins = nil
	_, err := s.preview()
	require.Error(t, err)
	assert.Contains(t, err.Error(), "account "+lakeAccountID+" is not Security Lake's delegated administrator")
	assert.Contains(t, err.Error(), "aws securitylake register-data-lake-delegated-administrator --account-id "+lakeAccountID)
	_, err = s.up()
	require.Error(t, err)
	assert.Empty(t, s.creates, "nothing is created")
}

// Under Pulumi's engine, governing a new region adds a data lake there and
// replaces each source, whose regions the provider cannot update
// (terraform-provider-aws securitylake/aws_log_source.go: RequiresReplace,
// and the ID is the source name). The old source is deleted before the new
// one is created: the other order would end with the delete taking the
// source out of every region. No data lake is replaced or deleted.
func TestEngineSecurityLakeRegionAdded(t *testing.T) {
	t.Parallel()
	s := newEngineStack(t, "../Pulumi.full.yaml")
	up := upAfterChange(t, s, func(s *engineStack) {
		var regions []string
		s.get("governedRegions", &regions)
		s.set("governedRegions", append(regions, "ca-central-1"))
	})
	assert.Contains(t, up.changes(), "create securitylake-ca-central-1")
	replaced := up.of(deploy.OpReplace)
	require.Len(t, replaced, 4, "each of the four sources")
	for _, urn := range replaced {
		assert.Equal(t, typeLogSource, string(resource.URN(urn).Type()))
		// Its calls across both updates: the first create, then this update's.
		var calls []string
		for _, c := range s.calls {
			if strings.HasSuffix(c, " "+urn) {
				calls = append(calls, strings.TrimSuffix(c, " "+urn))
			}
		}
		assert.Equal(t, []string{"create", "delete", "create"}, calls, "%s: the old source is deleted before the new one is created", urn)
	}
	for _, region := range []string{lakeRollup, lakeOther, "ca-central-1"} {
		lake := s.state(typeDataLake, "securitylake-"+region)
		assert.Equal(t, 1, s.creates[lake.URN], "%s created once, never replaced", lake.URN)
		assert.Zero(t, s.deletes[lake.URN], lake.URN)
	}
}

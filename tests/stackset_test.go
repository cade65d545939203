package tests

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/example/landing-zone-audit/config"
	"github.com/example/landing-zone-audit/internal/plan"
)

// stacksetOf returns the example organization switched to StackSet mode:
// the same settings, so both modes can be compared.
func stacksetOf(raw config.Source) config.Source {
	return with(with(raw, "memberBaseline", "stackset"), "stackSet", map[string]any{"organizationalUnitIds": []string{"ou-ab12-workloads1"}})
}

func TestStackSetModeHasNoMemberProviders(t *testing.T) {
	t.Parallel()
	raw := loadStackFile(t, "../Pulumi.large.yaml")
	cfg, err := config.Load(raw)
	require.NoError(t, err)
	p := runPlan(t, raw)
	provs := p.ByType("pulumi:providers:aws")
	assert.Len(t, provs, 2*len(cfg.GovernedRegions)+1, "management and security per region, log archive in the home region")
	for _, r := range p.Resources {
		if strings.HasPrefix(r.Type, "aws:") {
			assert.Contains(t, config.CoreAliases, r.Account, r.URN)
		}
	}

	// The example organization in StackSet mode drops its member accounts' providers too.
	t.Run("StackSet mode", func(t *testing.T) {
		p := runPlan(t, stacksetOf(exampleConfig(t)))
		for _, r := range p.ByType("pulumi:providers:aws") {
			assert.NotContains(t, []string{"prod", "dev"}, r.Account)
		}
		for _, r := range p.ByType(typeRecorder) {
			assert.Contains(t, config.CoreAliases, r.Account)
		}
	})
}

func TestStackSetTargetsOUsAndRegions(t *testing.T) {
	t.Parallel()
	raw := loadStackFile(t, "../Pulumi.large.yaml")
	p := runPlan(t, raw)
	ss := one(t, p, typeStackSet, "member-baseline")
	assert.Equal(t, "management", ss.Account)
	assert.Equal(t, "us-east-1", ss.Region)
	assert.Equal(t, "SERVICE_MANAGED", ss.Inputs["permissionModel"])
	assert.Equal(t, true, input(ss, "autoDeployment.enabled"))
	assert.Equal(t, []any{"CAPABILITY_IAM"}, ss.Inputs["capabilities"])
	assert.Equal(t, 10.0, input(ss, "operationPreferences.failureTolerancePercentage"))
	assert.Equal(t, 25.0, input(ss, "operationPreferences.maxConcurrentPercentage"))
	assert.Equal(t, []any{"us-east-1", "us-west-2", "eu-west-1", "ap-southeast-2"}, input(ss, "operationPreferences.regionOrders"), "home region first")
	assert.Equal(t, "globex-member-baseline", p.Outputs["memberBaselineStackSet"])
	assert.Nil(t, ss.Inputs["parameters"], "no parameter: automatic deployment would ignore an override")

	instances := named(p, typeStackSetInstance)
	require.Len(t, instances, 8, "per region: the OUs, and the log archive through the root")
	bucketPolicy := one(t, p, typeBucketPolicy, "config-bucket-policy")
	assert.True(t, dependsOn(instances["member-baseline-us-east-1"], bucketPolicy), "the first instance waits for the bucket policy")
	for _, region := range []string{"us-east-1", "us-west-2", "eu-west-1", "ap-southeast-2"} {
		core := instances["member-baseline-"+region+"-core"]
		assert.Equal(t, "INTERSECTION", input(core, "deploymentTargets.accountFilterType"))
		assert.Equal(t, []any{"100000000003"}, input(core, "deploymentTargets.accounts"), "the log archive records through the StackSet")
		assert.Equal(t, region, core.Inputs["region"])
		inst, ok := instances["member-baseline-"+region]
		require.True(t, ok, region)
		assert.Equal(t, region, inst.Inputs["region"])
		assert.Equal(t, "globex-member-baseline", inst.Inputs["stackSetName"])
		assert.Equal(t, []any{"ou-ab12-workloads1", "ou-ab12-sandbox01"}, input(inst, "deploymentTargets.organizationalUnitIds"))
		assert.Equal(t, "DIFFERENCE", input(inst, "deploymentTargets.accountFilterType"))
		assert.ElementsMatch(t, []any{"100000000001", "100000000002", "100000000003"}, input(inst, "deploymentTargets.accounts"), "core accounts keep their direct recorders")
	}
	for _, rule := range p.ByType(typeOrganizationManagedRule) {
		for _, inst := range instances {
			assert.True(t, dependsOn(rule, inst), "%s waits for the member recorders", rule.Name)
		}
	}
	statements := policyOf(t, bucketPolicy, "policy")
	w := sid(t, statements, "ConfigWrite")
	// AWS Config's bucket-policy guide (s3-bucket-policy.html) writes to
	// AWSLogs/<sourceAccountID>/Config/*: with the organization admitted
	// rather than listed, ${aws:SourceAccount} still keeps each account to
	// its own prefix.
	assert.Equal(t, []string{"arn:aws:s3:::globex-config-100000000003/AWSLogs/${aws:SourceAccount}/Config/*"}, []string(w.Resource))
	assert.Equal(t, "o-examplelarge1", w.Condition["StringEquals"]["aws:SourceOrgID"])
	assert.Equal(t, "bucket-owner-full-control", w.Condition["StringEquals"]["s3:x-amz-acl"])
	requireNoOpenWildcardPrincipal(t, statements)
}

// The StackSet template is generated from the settings the direct recorders
// use: for the same configuration both declare the same recorder and channel.
func TestStackSetTemplateMatchesDirectMode(t *testing.T) {
	t.Parallel()
	direct := runPlan(t, exampleConfig(t))
	fanned := runPlan(t, stacksetOf(exampleConfig(t)))
	ss := one(t, fanned, typeStackSet, "member-baseline")
	var tmpl struct {
		Conditions map[string]struct {
			Equals []any `json:"Fn::Equals"`
		}
		Resources map[string]struct {
			Type       string
			Condition  string
			Properties map[string]any
		}
	}
	require.NoError(t, json.Unmarshal([]byte(ss.Inputs["templateBody"].(string)), &tmpl))
	rec := tmpl.Resources["ConfigRecorder"]
	channel := tmpl.Resources["ConfigDeliveryChannel"]
	require.Equal(t, "AWS::Config::ConfigurationRecorder", rec.Type)
	require.Equal(t, "AWS::Config::DeliveryChannel", channel.Type)
	assert.Equal(t, "Custom::ConfigServiceLinkedRole", tmpl.Resources["EnsureConfigServiceLinkedRole"].Type)
	homeRegion := tmpl.Conditions["RecordsGlobalTypes"].Equals[1]

	for _, region := range []string{"eu-west-2", "eu-west-1"} {
		d := one(t, direct, typeRecorder, "config-prod-"+region+"-recorder")
		dc := one(t, direct, typeDeliveryChannel, "config-prod-"+region+"-delivery-channel")
		assert.Equal(t, d.Inputs["name"], rec.Properties["Name"])
		assert.Equal(t, input(d, "recordingGroup.allSupported"), rec.Properties["RecordingGroup"].(map[string]any)["AllSupported"])
		assert.Equal(t, input(d, "recordingGroup.includeGlobalResourceTypes"), region == homeRegion, "global types in %s", region)
		// The role the direct recorders use, in the account the stack runs in.
		roleArn := strings.NewReplacer("${AWS::Partition}", "aws", "${AWS::AccountId}", d.AccountID).
			Replace(rec.Properties["RoleARN"].(map[string]any)["Fn::Sub"].(string))
		assert.Equal(t, d.Inputs["roleArn"], roleArn)
		assert.Equal(t, dc.Inputs["name"], channel.Properties["Name"])
		assert.Equal(t, dc.Inputs["s3BucketName"], channel.Properties["S3BucketName"])
		assert.Equal(t, dc.Inputs["s3KmsKeyArn"], channel.Properties["S3KmsKeyArn"])
		assert.Equal(t, input(dc, "snapshotDeliveryProperties.deliveryFrequency"), channel.Properties["ConfigSnapshotDeliveryProperties"].(map[string]any)["DeliveryFrequency"])
	}
}

func TestStackSetModeValidation(t *testing.T) {
	t.Parallel()
	base := exampleConfig(t)
	_, err := plan.Run(stackProgram, "prod", with(with(with(base, "memberBaseline", "stackset"),
		"awsConfig", map[string]any{"recorderRole": "custom"}), "guardDuty", map[string]any{"mode": "invitation"}))
	require.Error(t, err)
	for _, key := range []string{"stackSet.organizationalUnitIds", "awsConfig.recorderRole", "guardDuty.mode"} {
		assert.Contains(t, err.Error(), "landing-zone-audit:"+key+":")
	}
	_, err = config.Load(with(with(base, "memberBaseline", "stacksets"), "stackSet", map[string]any{"organizationalUnitIds": []string{"workloads"}, "maxConcurrentPercentage": 0}))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "landing-zone-audit:memberBaseline:")
	_, err = config.Load(with(with(base, "memberBaseline", "stackset"), "stackSet", map[string]any{"organizationalUnitIds": []string{"workloads"}, "maxConcurrentPercentage": 0}))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "landing-zone-audit:stackSet.organizationalUnitIds[0]:")
	assert.Contains(t, err.Error(), "landing-zone-audit:stackSet.maxConcurrentPercentage:")
}

func TestPlanCommandLargeExample(t *testing.T) {
	t.Parallel()
	code, stdout, stderr := runCLI(t, "", "plan", "--config", "../Pulumi.large.yaml")
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, stdout, typeStackSet)
	assert.Contains(t, stdout, "member-baseline-ap-southeast-2")
}

// A StackSet runs one operation at a time unless managed execution is on
// (CloudFormation API_ManagedExecution: "StackSets performs non-conflicting
// operations concurrently and queues conflicting operations"; otherwise a
// second operation fails with OperationInProgressException, which the
// provider no longer retries: terraform-provider-aws 28675, 36686). Managed
// execution is on, and the instances are created one after the other, home
// region first.
func TestStackSetOperationsDoNotCollide(t *testing.T) {
	t.Parallel()
	p := runPlan(t, loadStackFile(t, "../Pulumi.large.yaml"))
	ss := one(t, p, typeStackSet, "member-baseline")
	assert.Equal(t, true, input(ss, "managedExecution.active"))
	requireInstanceChain(t, p, []string{
		"member-baseline-us-east-1", "member-baseline-us-east-1-core", "member-baseline-us-west-2", "member-baseline-us-west-2-core",
		"member-baseline-eu-west-1", "member-baseline-eu-west-1-core", "member-baseline-ap-southeast-2", "member-baseline-ap-southeast-2-core",
	})
}

// requireInstanceChain checks that the StackSet's instances are exactly
// names, each waiting for the one before it.
func requireInstanceChain(t *testing.T, p *plan.Plan, names []string) {
	t.Helper()
	instances := named(p, typeStackSetInstance)
	require.Len(t, instances, len(names))
	for i := 1; i < len(names); i++ {
		assert.True(t, dependsOn(instances[names[i]], instances[names[i-1]]), "%s waits for %s", names[i], names[i-1])
	}
}

// The keys that once steered which stacks created AWSServiceRoleForConfig
// are refused by name with the reason and the fix: every stack now creates
// the role only where it is missing.
func TestStackSetRetiredServiceLinkedRoleKeys(t *testing.T) {
	t.Parallel()
	_, err := config.Load(with(loadStackFile(t, "../Pulumi.large.yaml"), "stackSet", map[string]any{
		"organizationalUnitIds":         []string{"ou-ab12-workloads1"},
		"createServiceLinkedRole":       false,
		"accountsWithServiceLinkedRole": []string{"300000000001"},
	}))
	require.Error(t, err)
	for _, key := range []string{"createServiceLinkedRole", "accountsWithServiceLinkedRole"} {
		assert.Contains(t, err.Error(), "landing-zone-audit:stackSet."+key+": is no longer used: every stack of the StackSet creates AWSServiceRoleForConfig only where it is missing")
	}
	assert.Contains(t, err.Error(), "remove the key")
}

// StackSets' automatic deployment ignores account filters ("Automatic
// deployments do not consider account level targeting filters",
// stacksets-orgs-manage-auto-deployment): the log archive, reached through
// the organization root intersected with its ID, has a StackSet of its own
// that never auto-deploys, so new accounts outside the listed OUs get
// nothing. Instance operation preferences are set at creation only: the
// provider's update of an OU-targeted instance is refused
// (terraform-provider-aws 39393, 40675).
func TestStackSetCoreAccountsNeverAutoDeploy(t *testing.T) {
	t.Parallel()
	p := runPlan(t, loadStackFile(t, "../Pulumi.large.yaml"))
	members := one(t, p, typeStackSet, "member-baseline")
	core := one(t, p, typeStackSet, "member-baseline-core")
	assert.Equal(t, true, input(members, "autoDeployment.enabled"))
	assert.Equal(t, false, input(core, "autoDeployment.enabled"), "no auto-deployment where the targets are account-filtered")
	assert.Equal(t, "globex-member-baseline-core", core.Inputs["name"])
	assert.Equal(t, members.Inputs["templateBody"], core.Inputs["templateBody"], "the same baseline")
	for _, inst := range p.ByType(typeStackSetInstance) {
		assert.Contains(t, inst.IgnoreChanges, "operationPreferences", inst.Name)
		if input(inst, "deploymentTargets.accountFilterType") == "INTERSECTION" && strings.HasSuffix(inst.Name, "-core") {
			assert.Equal(t, "globex-member-baseline-core", inst.Inputs["stackSetName"], inst.Name)
		} else {
			assert.Equal(t, "globex-member-baseline", inst.Inputs["stackSetName"], inst.Name)
		}
	}
}

package tests

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/example/landing-zone-audit/internal/eventpattern"
	"github.com/example/landing-zone-audit/internal/plan"
	"github.com/example/landing-zone-audit/internal/providers"
)

// AWS Native providers exist only where an AWS Native resource lives: the
// management (delegated administrator) and security (Security Hub) accounts
// in the home region.
func TestAWSNativeProvidersOnlyWhereUsed(t *testing.T) {
	t.Parallel()
	p := runPlan(t, exampleConfig(t))
	natives := named(p, "pulumi:providers:aws-native")
	require.Len(t, natives, 2)
	for alias, id := range map[string]string{"management": prodManagementID, "security": prodSecurityID} {
		prov, ok := natives[providers.NativeName(alias, "eu-west-2")]
		require.True(t, ok, alias)
		assert.Equal(t, "eu-west-2", prov.Inputs["region"])
		assert.Equal(t, []any{id}, prov.Inputs["allowedAccountIds"])
		if alias != "management" {
			assert.Equal(t, "arn:aws:iam::"+id+":role/OrganizationAccountAccessRole", input(prov, "assumeRole.roleArn"))
		}
		assert.Equal(t, "landing-zone-audit", input(prov, "defaultTags.tags.managed-by"))
	}
}

func TestSecurityHubCentralConfiguration(t *testing.T) {
	t.Parallel()
	p := runPlan(t, exampleConfig(t))
	hub := one(t, p, typeNativeSecurityHubHub, "securityhub-hub")
	admin := one(t, p, typeNativeSecurityHubDelegatedAdmin, "securityhub-delegated-admin")
	agg := one(t, p, typeFindingAggregator, "securityhub-finding-aggregator")
	orgCfg := one(t, p, typeNativeSecurityHubOrganizationConfiguration, "securityhub-organization-configuration")
	pol := one(t, p, typeNativeSecurityHubConfigurationPolicy, "securityhub-policy")
	assoc := one(t, p, typeNativeSecurityHubPolicyAssociation, "securityhub-association-r-ab12")
	for _, r := range []plan.Resource{hub, agg, orgCfg, pol, assoc} {
		assert.Equal(t, "security", r.Account, r.Name)
		assert.Equal(t, "eu-west-2", r.Region, r.Name)
	}
	assert.Equal(t, "management", admin.Account)
	assert.Equal(t, prodSecurityID, admin.Inputs["adminAccountId"])

	// Ordering: hub, delegated admin, aggregator, organization configuration, policy, association.
	assert.True(t, dependsOn(admin, hub))
	assert.True(t, dependsOn(agg, admin))
	assert.True(t, dependsOn(orgCfg, agg))
	assert.True(t, dependsOn(pol, orgCfg))
	assert.True(t, dependsOn(assoc, pol))

	assert.Equal(t, false, hub.Inputs["enableDefaultStandards"])
	assert.Equal(t, "SPECIFIED_REGIONS", agg.Inputs["linkingMode"])
	assert.Equal(t, []any{"eu-west-1"}, agg.Inputs["specifiedRegions"], "every governed region linked to the home region")
	assert.Equal(t, "CENTRAL", orgCfg.Inputs["configurationType"])
	assert.Equal(t, "NONE", orgCfg.Inputs["autoEnableStandards"])
	assert.Equal(t, true, input(pol, "configurationPolicy.securityHub.serviceEnabled"))
	assert.Equal(t, []any{
		"arn:aws:securityhub:eu-west-2::standards/aws-foundational-security-best-practices/v/1.0.0",
		"arn:aws:securityhub:eu-west-2::standards/cis-aws-foundations-benchmark/v/3.0.0",
	}, input(pol, "configurationPolicy.securityHub.enabledStandardIdentifiers"))
	assert.Equal(t, "ROOT", assoc.Inputs["targetType"])
	assert.Equal(t, "r-ab12", assoc.Inputs["targetId"])
	assert.NotEmpty(t, assoc.Inputs["configurationPolicyId"])

	t.Run("OU targets and CIS 1.4.0", func(t *testing.T) {
		p := runPlan(t, with(exampleConfig(t), "securityHub", map[string]any{
			"targets": []string{"ou-ab12-workloads1", "ou-ab12-sandbox01"}, "cisVersion": "1.4.0", "disabledControls": []string{"IAM.6"},
		}))
		pol = one(t, p, typeNativeSecurityHubConfigurationPolicy, "securityhub-policy")
		assert.Contains(t, input(pol, "configurationPolicy.securityHub.enabledStandardIdentifiers"), "arn:aws:securityhub:eu-west-2::standards/cis-aws-foundations-benchmark/v/1.4.0")
		assert.Equal(t, []any{"IAM.6"}, input(pol, "configurationPolicy.securityHub.securityControlsConfiguration.disabledSecurityControlIdentifiers"))
		for _, ou := range []string{"ou-ab12-workloads1", "ou-ab12-sandbox01"} {
			assert.Equal(t, "ORGANIZATIONAL_UNIT", one(t, p, typeNativeSecurityHubPolicyAssociation, "securityhub-association-"+ou).Inputs["targetType"])
		}
	})
}

func securityHubFinding(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "securityhub", name))
	require.NoError(t, err)
	return b
}

// The alert rule's pattern, taken from the plan: CRITICAL and HIGH alert;
// MEDIUM, LOW, resolved and archived findings do not.
func TestSecurityHubAlert(t *testing.T) {
	t.Parallel()
	p := runPlan(t, exampleConfig(t))
	rule := one(t, p, typeEventRule, "securityhub-findings-rule")
	assert.Equal(t, "security", rule.Account)
	assert.Equal(t, "eu-west-2", rule.Region)
	target := one(t, p, typeEventTarget, "securityhub-findings-target")
	assert.Equal(t, "arn:aws:sns:eu-west-2:"+prodSecurityID+":acme-findings-alerts", target.Inputs["arn"])
	assert.Equal(t, "$.detail.findings[0].Title", input(target, "inputTransformer.inputPaths.title"))
	pattern, err := eventpattern.Parse([]byte(rule.Inputs["eventPattern"].(string)))
	require.NoError(t, err)
	for file, want := range map[string]bool{
		"critical.json": true, "high.json": true,
		"medium.json": false, "low.json": false, "high-resolved.json": false, "high-archived.json": false,
	} {
		got, err := pattern.Match(securityHubFinding(t, file))
		require.NoError(t, err)
		assert.Equal(t, want, got, file)
	}

	t.Run("MEDIUM and above", func(t *testing.T) {
		p := runPlan(t, with(exampleConfig(t), "securityHub", map[string]any{"targets": []string{"r-ab12"}, "alertMinSeverity": "MEDIUM"}))
		rule = one(t, p, typeEventRule, "securityhub-findings-rule")
		pattern, err = eventpattern.Parse([]byte(rule.Inputs["eventPattern"].(string)))
		require.NoError(t, err)
		ok, err := pattern.Match(securityHubFinding(t, "medium.json"))
		require.NoError(t, err)
		assert.True(t, ok)
	})
}

func TestAccessAnalyzer(t *testing.T) {
	t.Parallel()
	p := runPlan(t, exampleConfig(t))
	admin := one(t, p, typeDelegatedAdministrator, "access-analyzer-delegated-admin")
	assert.Equal(t, "management", admin.Account)
	assert.Equal(t, "access-analyzer.amazonaws.com", admin.Inputs["servicePrincipal"])
	assert.Equal(t, prodSecurityID, admin.Inputs["accountId"])
	analyzers := p.ByType(typeAnalyzer)
	require.Len(t, analyzers, 2, "external access in each governed region; unused access is off by default")
	for _, a := range analyzers {
		assert.Equal(t, "security", a.Account)
		assert.Equal(t, "ORGANIZATION", a.Inputs["type"])
		assert.True(t, dependsOn(a, admin), "analyzer after the delegated administrator")
	}

	t.Run("unused access", func(t *testing.T) {
		p := runPlan(t, with(exampleConfig(t), "accessAnalyzer", map[string]any{"unusedAccess": true, "unusedAccessAgeDays": 45}))
		unused := one(t, p, typeAnalyzer, "access-analyzer-unused-access")
		assert.Equal(t, "ORGANIZATION_UNUSED_ACCESS", unused.Inputs["type"])
		assert.Equal(t, 45.0, input(unused, "configuration.unusedAccess.unusedAccessAge"))
		assert.Equal(t, "eu-west-2", unused.Region)
	})
}

func TestCloudTrailLake(t *testing.T) {
	t.Parallel()
	p := runPlan(t, exampleConfig(t))
	assert.Empty(t, p.ByType(typeEventDataStore), "off by default: it costs money per GB")

	t.Run("CloudTrail Lake on", func(t *testing.T) {
		p := runPlan(t, with(exampleConfig(t), "cloudTrailLake", map[string]any{"enabled": true, "retentionDays": 2557, "existingCustomer": true}))
		store := one(t, p, typeEventDataStore, "cloudtrail-lake")
		assert.Equal(t, "management", store.Account)
		assert.Equal(t, "eu-west-2", store.Region)
		assert.Equal(t, "aws-native-management-eu-west-2", store.Provider)
		assert.Equal(t, true, store.Inputs["multiRegionEnabled"])
		assert.Equal(t, true, store.Inputs["organizationEnabled"])
		assert.Equal(t, 2557.0, store.Inputs["retentionPeriod"])
		assert.Equal(t, true, store.Inputs["terminationProtectionEnabled"])
		key := one(t, p, typeKey, "cloudtrail-lake-key")
		assert.Equal(t, "management", key.Account)
		assert.Equal(t, true, key.Inputs["enableKeyRotation"])
		assert.Regexp(t, `^arn:aws:kms:eu-west-2:`+prodManagementID+`:key/`, store.Inputs["kmsKeyId"])
		// The CloudTrail user guide's statements for event data stores
		// ("Configure AWS KMS key policies for CloudTrail"): encrypt and
		// decrypt, and describe the key, without aws:SourceArn or
		// aws:SourceAccount, which key policies for event data stores do not
		// support (CloudTrail could neither write nor query the store).
		statements := policyOf(t, key, "policy")
		s := sid(t, statements, "CloudTrailLakeUsesKey")
		assert.Equal(t, []string{"cloudtrail.amazonaws.com"}, []string(s.Principal.Service))
		assert.Empty(t, s.Condition)
		assert.ElementsMatch(t, []string{"kms:GenerateDataKey", "kms:Decrypt"}, []string(s.Action))
		d := sid(t, statements, "CloudTrailDescribesKey")
		assert.Equal(t, []string{"cloudtrail.amazonaws.com"}, []string(d.Principal.Service))
		assert.Equal(t, []string{"kms:DescribeKey"}, []string(d.Action))
		assert.Empty(t, d.Condition)
		for _, st := range statements {
			assert.NotContains(t, st.Condition["StringEquals"], "aws:SourceAccount", st.Sid)
			assert.NotContains(t, st.Condition["StringEquals"], "aws:SourceArn", st.Sid)
		}
		assert.Regexp(t, `^arn:aws:cloudtrail:eu-west-2:`+prodManagementID+`:eventdatastore/`, p.Outputs["eventDataStoreArn"])
	})
}

// Switching a service off removes every resource it owns.
func TestSecurityServicesOff(t *testing.T) {
	t.Parallel()
	p := runPlan(t, with(with(exampleConfig(t), "securityHub", map[string]any{"enabled": false}), "accessAnalyzer", map[string]any{"enabled": false}))
	for _, r := range p.Resources {
		assert.False(t, strings.HasPrefix(r.Type, "aws-native:"), r.URN)
		assert.NotEqual(t, "pulumi:providers:aws-native", r.Type, "no AWS Native provider without a feature that needs it")
		assert.NotEqual(t, typeAnalyzer, r.Type)
		assert.False(t, strings.HasPrefix(r.Name, "securityhub-") || strings.HasPrefix(r.Name, "access-analyzer-"), r.URN)
	}
	assert.NotContains(t, p.Outputs, "securityHubRuleArn")
}

func TestSecurityServicesValidation(t *testing.T) {
	t.Parallel()
	_, err := plan.Run(stackProgram, "prod", with(with(with(exampleConfig(t),
		"securityHub", map[string]any{"targets": []string{"root"}, "cisVersion": "9.9.9", "alertMinSeverity": "SEVERE", "disabledControls": []string{"iam6"}}),
		"accessAnalyzer", map[string]any{"unusedAccessAgeDays": 0}),
		"cloudTrailLake", map[string]any{"enabled": true, "retentionDays": 5000, "existingCustomer": true}))
	require.Error(t, err)
	for _, key := range []string{"securityHub.targets[0]", "securityHub.cisVersion", "securityHub.alertMinSeverity", "securityHub.disabledControls[0]", "accessAnalyzer.unusedAccessAgeDays", "cloudTrailLake.retentionDays"} {
		assert.Contains(t, err.Error(), "landing-zone-audit:"+key+":")
	}
}

// With one governed region the aggregator links none. Security Hub's
// CreateFindingAggregator takes RegionLinkingMode NO_REGIONS ("aggregates
// no data because no Regions are selected as linked Regions"), which still
// makes the home region the home of central configuration; ALL_REGIONS would
// link, and so enable Security Hub in, every region of the account.
func TestSecurityHubSingleRegion(t *testing.T) {
	t.Parallel()
	p := runPlan(t, with(exampleConfig(t), "governedRegions", []string{"eu-west-2"}))
	agg := one(t, p, typeFindingAggregator, "securityhub-finding-aggregator")
	assert.Equal(t, "NO_REGIONS", agg.Inputs["linkingMode"])
	assert.Nil(t, agg.Inputs["specifiedRegions"])
}

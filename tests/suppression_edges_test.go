package tests

import (
	"regexp"
	"strings"
	"testing"

	pkgresource "github.com/pulumi/pulumi/pkg/v3/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/example/landing-zone-audit/config"
)

// guardDutyDescription is what GuardDuty's CreateFilter accepts as a
// description: letters, digits, space and . - : / ( ) [ ] { } _, at most 512
// characters (GuardDuty API reference, CreateFilter: description; the
// console's own message on an invalid description; commas and apostrophes
// fail with BadRequestException: terraform-provider-aws issues 28367 and
// 50076, the provider checking only the length).
var guardDutyDescription = regexp.MustCompile(`^[A-Za-z0-9 .\-:/()\[\]{}_]{0,512}$`)

// Pulumi.full.yaml's reason ("The shop's weekly load test ...") reaches
// GuardDuty in a form CreateFilter accepts, in every region, while the
// configuration keeps the reason as written.
func TestGuardDutyFilterDescriptionsAreAccepted(t *testing.T) {
	t.Parallel()
	src := loadStackFile(t, "../Pulumi.full.yaml")
	cfg, err := config.Load(src)
	require.NoError(t, err)
	require.Equal(t, "The shop's weekly load test probes its own instances (runbook OPS-77)", cfg.SuppressionsConfig[0].Reason, "the reason as written")

	filters := runPlan(t, src).ByType(typeGuardDutyFilter)
	require.Len(t, filters, 2, "one per governed region")
	for _, f := range filters {
		assert.Regexp(t, guardDutyDescription, f.Inputs["description"], f.URN)
		assert.Equal(t, "The shops weekly load test probes its own instances (runbook OPS-77)", f.Inputs["description"])
	}

	t.Run("every character GuardDuty refuses", func(t *testing.T) {
		t.Parallel()
		reason := "Ops' scanner, nightly; see https://wiki.example.com/x?y=1&z=2 — “SEC-9” #ok\tdone!"
		p := runPlan(t, with(exampleConfig(t), "suppressions", []any{map[string]any{
			"name": "ops-scanner", "reason": reason, "expires": "2099-12-31",
			"guardDutyFindingTypes": []string{"Recon:EC2/PortProbeUnprotectedPort"}, "securityHubControls": []string{"EC2.19"},
		}}))
		for _, f := range p.ByType(typeGuardDutyFilter) {
			assert.Regexp(t, guardDutyDescription, f.Inputs["description"])
			assert.Equal(t, "Ops scanner nightly see https://wiki.example.com/x y 1 z 2 SEC-9 ok done (expires 2099-12-31)", f.Inputs["description"])
		}
		// Security Hub takes any text: its rule and note keep the reason whole.
		for _, r := range p.ByType(typeAutomationRule) {
			assert.Equal(t, reason+" (expires 2099-12-31)", r.Inputs["description"])
			assert.Equal(t, reason+" (expires 2099-12-31)", input(r, "actions.0.findingFieldsUpdate.note.text"))
		}
	})
}

// Security Hub CSPM automation rules apply only in the Region they are
// created in: "You must create an automation rule in each Region and account
// in which you want the rule to apply to findings" (Security Hub user guide,
// "Creating automation rules"); rules that reach linked Regions belong to the
// newer Security Hub's CreateAutomationRuleV2, which the pinned providers do
// not cover. So every governed region of the administrator gets the rule; a
// linked region's waits for the policy association that enables Security Hub
// there, the home region's for central configuration.
func TestSecurityHubSuppressionsInEveryRegion(t *testing.T) {
	t.Parallel()
	p := runPlan(t, with(with(exampleConfig(t), "governedRegions", []string{"eu-west-2", "eu-west-1", "eu-central-1"}), "suppressions", exampleSuppressions))
	rules := p.ByType(typeAutomationRule)
	require.Len(t, rules, 3)
	regions := map[string]bool{}
	for _, r := range rules {
		regions[r.Region] = true
		assert.Equal(t, "security", r.Account)
		assert.Equal(t, "aws-security-"+r.Region, r.Provider, "the administrator's provider in %s", r.Region)
		assert.Equal(t, "dev-sandbox-open-sg", r.Inputs["ruleName"])
		assert.Equal(t, "SUPPRESSED", input(r, "actions.0.findingFieldsUpdate.workflow.status"))
		assert.Equal(t, "EQUALS", input(r, "criteria.complianceSecurityControlIds.0.comparison"))
		assert.Equal(t, "EC2.19", input(r, "criteria.complianceSecurityControlIds.0.value"))
	}
	assert.Equal(t, map[string]bool{"eu-west-2": true, "eu-west-1": true, "eu-central-1": true}, regions)

	orgConfig := one(t, p, typeNativeSecurityHubOrganizationConfiguration, "securityhub-organization-configuration")
	association := one(t, p, typeNativeSecurityHubPolicyAssociation, "securityhub-association-r-ab12")
	assert.True(t, dependsOn(one(t, p, typeAutomationRule, "securityhub-eu-west-2-suppress-dev-sandbox-open-sg"), orgConfig))
	for _, region := range []string{"eu-west-1", "eu-central-1"} {
		assert.True(t, dependsOn(one(t, p, typeAutomationRule, "securityhub-"+region+"-suppress-dev-sandbox-open-sg"), association),
			"Security Hub is enabled in %s by the policy association first", region)
	}
}

// A stack deployed when the Security Hub suppressions lived only in the home
// region keeps its home-region rule: the rule is registered with an alias
// to its former name, so under Pulumi's engine the next up creates the rules
// of the linked regions and replaces nothing (a new URN without an alias
// would delete and re-create the rule).
func TestEngineSecurityHubSuppressionKeepsItsHomeRule(t *testing.T) {
	t.Parallel()
	s := newEngineStack(t, "../Pulumi.prod.yaml")
	s.set("suppressions", exampleSuppressions)
	_, err := s.up()
	require.NoError(t, err)

	// The state as the earlier program left it: one rule, under its old name.
	var kept []*pkgresource.State
	for _, r := range s.snap.Resources {
		switch r.URN.Name() {
		case "securityhub-eu-west-2-suppress-dev-sandbox-open-sg":
			r.URN = resource.URN(strings.Replace(string(r.URN), "::securityhub-eu-west-2-suppress-", "::securityhub-suppress-", 1))
		case "securityhub-eu-west-1-suppress-dev-sandbox-open-sg":
			continue
		}
		kept = append(kept, r)
	}
	s.snap.Resources = kept

	st, err := s.preview()
	require.NoError(t, err)
	assert.Equal(t, []string{"create securityhub-eu-west-1-suppress-dev-sandbox-open-sg"}, st.changes())
}

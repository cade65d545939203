package stack

import (
	"fmt"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/organizations"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/example/landing-zone-audit/components"
	"github.com/example/landing-zone-audit/config"
	"github.com/example/landing-zone-audit/internal/providers"
)

// Guardrails attaches the service control policies to the root or the OUs
// in guardrails.targets and the resource control policies to the log
// archive. It reads the organization at deploy time, as `pulumi preview`
// runs, and fails there when a policy type is off on the root, a target is
// not the organization's, or a target would hold more than five policies
// of a type with the ones attached already.
func Guardrails(ctx *pulumi.Context, cfg *config.Config, p *providers.Set) (*components.Guardrails, error) {
	via := pulumi.Provider(p.Home(config.Management))
	org, err := organizations.LookupOrganization(ctx, via)
	if err != nil {
		return nil, fmt.Errorf("guardrails: reading the organization from the management account: %w", err)
	}
	if len(org.Roots) == 0 {
		return nil, fmt.Errorf("guardrails: the organization has no root; check that accounts.management is the organization's management account")
	}
	root := org.Roots[0].Id
	args := &components.GuardrailsArgs{
		Management: p.Account(config.Management, cfg.HomeRegion),
		PolicyName: cfg.Names().Guardrails(),
	}
	key := func(k string) string { return cfg.Project + ":" + k }
	if cfg.DeploysServiceControlPolicies() {
		args.ServiceControl = components.ServiceControlStatements(cfg.Protected())
		if err := policyTypeEnabled(org, root, components.ServiceControlPolicy, key("guardrails")); err != nil {
			return nil, err
		}
		targets := cfg.ServiceControlTargets()
		if len(targets) == 0 {
			args.Targets = []components.PolicyTarget{{Name: "root", ID: root}}
		}
		for _, t := range targets {
			name := t
			if t == root {
				name = "root"
			}
			args.Targets = append(args.Targets, components.PolicyTarget{Name: name, ID: t})
		}
	}
	if cfg.DeploysResourceControlPolicies() {
		args.ResourceControl = components.ResourceControlStatements(cfg.Perimeter())
		if err := policyTypeEnabled(org, root, components.ResourceControlPolicy, key("guardrails.resourceControlPolicies")); err != nil {
			return nil, err
		}
		args.ResourceControlTarget = components.PolicyTarget{Name: config.LogArchive, ID: cfg.AccountID(config.LogArchive)}
	}
	var errs []string
	count := func(k, policyType string, statements []components.Statement, target components.PolicyTarget) {
		docs, err := components.PackPolicies(statements)
		if err != nil {
			return // the component reports it
		}
		others, err := attachedElsewhere(ctx, via, policyType, target.ID, cfg.Names().Guardrails())
		if err != nil {
			errs = append(errs, fmt.Sprintf("%s: %q is not a root, OU or account of the organization, or cannot be read from the management account (%v); use the root ID from `aws organizations list-roots` or an OU ID from `aws organizations list-organizational-units-for-parent`", key(k), target.ID, err))
			return
		}
		if total := len(others) + len(docs); total > components.MaxPoliciesPerTarget {
			errs = append(errs, fmt.Sprintf("%s: %s %s already has %d %s attached (%s); with this stack's %d that is %d, more than Organizations' %d per target; detach one there or attach the guardrails to other targets",
				key(k), target.Name, target.ID, len(others), policyType, strings.Join(others, ", "), len(docs), total, components.MaxPoliciesPerTarget))
		}
	}
	for i, t := range args.Targets {
		k := fmt.Sprintf("guardrails.targets[%d]", i)
		if n := len(cfg.Guardrails.Targets); i >= n && cfg.ControlTower.Enabled {
			k = fmt.Sprintf("guardrails.controlTowerOrganizationalUnitIds[%d]", i-n)
		} else if len(cfg.ServiceControlTargets()) == 0 {
			k = "guardrails.targets (the root)"
		}
		count(k, components.ServiceControlPolicy, args.ServiceControl, t)
	}
	if len(args.ResourceControl) > 0 {
		count("guardrails.resourceControlPolicies", components.ResourceControlPolicy, args.ResourceControl, args.ResourceControlTarget)
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("%s", strings.Join(errs, "\n"))
	}
	return components.NewGuardrails(ctx, "guardrails", args)
}

// policyTypeEnabled fails when the root does not have policyType enabled:
// Organizations refuses to attach a policy of a type that is off.
func policyTypeEnabled(org *organizations.LookupOrganizationResult, root, policyType, key string) error {
	for _, t := range org.EnabledPolicyTypes {
		if t == policyType {
			return nil
		}
	}
	return fmt.Errorf("%s: the organization root has %s disabled, and Organizations attaches no policy of a disabled type; enable it once from the management account: aws organizations enable-policy-type --root-id %s --policy-type %s", key, policyType, root, policyType)
}

// attachedElsewhere lists the names of the policyType policies attached to
// target that are not this stack's (named "<ours>-…"): they count toward
// the five per target.
func attachedElsewhere(ctx *pulumi.Context, via pulumi.InvokeOption, policyType, target, ours string) ([]string, error) {
	attached, err := organizations.GetPoliciesForTarget(ctx, &organizations.GetPoliciesForTargetArgs{Filter: policyType, TargetId: target}, via)
	if err != nil {
		return nil, err
	}
	var others []string
	for _, id := range attached.Ids {
		pol, err := organizations.LookupPolicy(ctx, &organizations.LookupPolicyArgs{PolicyId: id}, via)
		if err != nil {
			return nil, err
		}
		if !strings.HasPrefix(pol.Name, ours+"-") {
			others = append(others, pol.Name)
		}
	}
	return others, nil
}

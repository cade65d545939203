package stack

import (
	"fmt"
	"slices"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/organizations"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/example/landing-zone-audit/config"
	"github.com/example/landing-zone-audit/internal/providers"
)

// maxExcludedAccounts is AWS Config's limit on ExcludedAccounts of an
// organization rule or conformance pack (API_PutOrganizationConfigRule).
const maxExcludedAccounts = 1000

// Organization is what the stack reads from AWS Organizations at deploy
// time, from the management account (ListRoots and ListAccounts answer
// only there or in a delegated administrator).
type Organization struct {
	// RootID is the organization root: the Security Hub policy's target
	// when the stack names none.
	RootID pulumi.StringOutput
	// Uncovered are the accounts that get no recorder from this stack: the
	// accounts missing from `accounts` in direct mode, those outside the
	// StackSet's OUs in StackSet mode. Organization rules and packs fail in
	// an account without a recorder unless it is excluded.
	Uncovered pulumi.StringArrayOutput
}

// ReadOrganization looks the organization up through the management account's provider.
func ReadOrganization(ctx *pulumi.Context, cfg *config.Config, p *providers.Set) Organization {
	via := pulumi.Provider(p.Home(config.Management))
	org := organizations.LookupOrganizationOutput(ctx, via)
	covered := pulumi.ToStringArray(cfg.AccountIDs()).ToStringArrayOutput()
	if cfg.MemberBaseline == config.BaselineStackSet {
		var parts []any
		for _, ou := range cfg.StackSet.OrganizationalUnitIDs {
			descendants := organizations.GetOrganizationalUnitDescendantAccountsOutput(ctx,
				organizations.GetOrganizationalUnitDescendantAccountsOutputArgs{ParentId: pulumi.String(ou)}, via)
			parts = append(parts, descendants.Accounts().ApplyT(func(accts []organizations.GetOrganizationalUnitDescendantAccountsAccount) []string {
				var ids []string
				for _, a := range accts {
					ids = append(ids, a.Id)
				}
				return ids
			}))
		}
		core := cfg.AccountIDsOf(config.CoreAliases)
		covered = pulumi.All(parts...).ApplyT(func(lists []any) []string {
			ids := slices.Clone(core)
			for _, l := range lists {
				ids = append(ids, l.([]string)...)
			}
			return ids
		}).(pulumi.StringArrayOutput)
	}
	uncovered := pulumi.All(org.Accounts(), covered).ApplyT(func(v []any) ([]string, error) {
		all, covered := v[0].([]organizations.GetOrganizationAccount), v[1].([]string)
		out := []string{}
		for _, a := range all {
			if !slices.Contains(covered, a.Id) && !slices.Contains(out, a.Id) {
				out = append(out, a.Id)
			}
		}
		slices.Sort(out)
		if len(out) > maxExcludedAccounts {
			return nil, fmt.Errorf("%d organization accounts have no recorder from this stack; AWS Config excludes at most %d from an organization rule: list them under accounts or use memberBaseline: stackset", len(out), maxExcludedAccounts)
		}
		return out, nil
	}).(pulumi.StringArrayOutput)
	root := org.Roots().ApplyT(func(roots []organizations.GetOrganizationRoot) (string, error) {
		if len(roots) == 0 {
			return "", fmt.Errorf("the organization has no root; check that the management account (accounts.management) is the organization's")
		}
		return roots[0].Id, nil
	}).(pulumi.StringOutput)
	return Organization{RootID: root, Uncovered: uncovered}
}

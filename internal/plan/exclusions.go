package plan

import (
	"fmt"
	"strings"
)

// excludingTypes are the resources AWS Config deploys to every account of
// the organization but those they exclude: a rule or pack fails in an
// account without a recorder unless it is excluded, and reports nothing for
// an account that is.
var excludingTypes = map[string]bool{
	"aws:cfg/organizationManagedRule:OrganizationManagedRule":           true,
	"aws:cfg/organizationCustomPolicyRule:OrganizationCustomPolicyRule": true,
	"aws:cfg/organizationCustomRule:OrganizationCustomRule":             true,
	"aws:cfg/organizationConformancePack:OrganizationConformancePack":   true,
}

// accountNames names account IDs by the stack's aliases.
func (p *Plan) accountNames() map[string]string {
	names := map[string]string{}
	for _, r := range p.Resources {
		if r.Account != "" {
			names[r.AccountID] = r.Account
		}
	}
	return names
}

// exclusionsNote says which accounts an organization rule or pack
// excludes, so that a reviewer sees every account it does not judge.
func (r Resource) exclusionsNote(names map[string]string) string {
	if !excludingTypes[r.Type] {
		return ""
	}
	ids, _ := r.Inputs["excludedAccounts"].([]any)
	if len(ids) == 0 {
		return "  (excludes no account)"
	}
	var parts []string
	for _, v := range ids {
		id := fmt.Sprint(v)
		if alias, ok := names[id]; ok {
			id = alias + " " + id
		}
		parts = append(parts, id)
	}
	return "  (excludes " + strings.Join(parts, ", ") + ")"
}

package plan

import (
	"fmt"
	"strings"

	"github.com/example/landing-zone-audit/components"
	"github.com/example/landing-zone-audit/config"
)

// WatchedRole is a role the elevated-role alarm watches in one account.
// The stack does not create it: where it does not exist, nobody can assume
// it and the alarm stays silent, which reads the same as no one using it.
type WatchedRole struct {
	Role      string `json:"role"`
	Account   string `json:"account"`
	AccountID string `json:"accountId"`
}

// watchedRoles are the roles the elevated-role alarm of the plan watches,
// per account, in the configuration's order.
func watchedRoles(cfg *config.Config, resources []Resource) []WatchedRole {
	deployed := false
	for _, r := range resources {
		deployed = deployed || r.Type == components.ElevatedRoleAlarmType
	}
	if !deployed {
		return nil
	}
	alias := map[string]string{}
	for a, acct := range cfg.Accounts {
		alias[acct.ID] = a
	}
	var out []WatchedRole
	for _, r := range cfg.ElevatedRoles() {
		for _, id := range r.AccountIDs {
			out = append(out, WatchedRole{Role: r.RoleName, Account: alias[id], AccountID: id})
		}
	}
	return out
}

// watchedRolesNote asks the reviewer to check, per account, that each
// watched role exists.
func (p *Plan) watchedRolesNote() string {
	if len(p.WatchedRoles) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString("Before pulumi up, in each account the elevated-role alarm watches (with that account's credentials): the stack does not create\n" +
		"these roles, and where one does not exist the alarm stays silent; check it exists, or set alarms.elevatedRoles to the roles you use:\n")
	for _, w := range p.WatchedRoles {
		fmt.Fprintf(&b, "  %s (%s): aws iam get-role --role-name %s\n", w.Account, w.AccountID, w.Role)
	}
	return b.String()
}

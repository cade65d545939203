package config

// Detective configures Amazon Detective across the organization (key detective).
type Detective struct {
	Enabled bool `json:"enabled"`
	// EnableAccounts enables the accounts under accounts as behavior-graph
	// members. Detective enables an account only once it has been a
	// GuardDuty customer for 48 hours (until then it stays
	// ACCEPTED_BUT_DISABLED, which the provider reports as a failed
	// member): false for the up that turns GuardDuty on too, true in an up
	// two days later.
	EnableAccounts bool `json:"enableAccounts"`
}

// validateDetective checks detective: Detective needs GuardDuty and every
// member's email.
func (c *Config) validateDetective(p *problems) {
	if !c.Detective.Enabled {
		return
	}
	if !c.GuardDuty.Enabled {
		p.add("detective.enabled", "Detective needs GuardDuty in every account it covers; switch guardDuty.enabled on or detective off")
	}
	c.requireMemberEmails(p, "detective", "Detective")
}

// requireMemberEmails requires the email of every account but security's,
// for a service (key, name) that enables existing accounts as members by
// their email address.
func (c *Config) requireMemberEmails(p *problems, key, name string) {
	for _, alias := range c.Aliases() {
		if a, ok := c.Accounts[alias]; ok && alias != Security && a.Email == "" {
			p.add("accounts."+alias+".email", "required with %s.enabled: %s enables an existing account as a member by its email address; add the account's email or switch %s off", key, name, key)
		}
	}
}

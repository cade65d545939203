package components

import "github.com/pulumi/pulumi/sdk/v3/go/pulumi"

// Account is one AWS account in one region as a component acts in it: the
// provider every child there gets, and what ARNs and policies need to know
// of it. Components embed it (or name one per account they act in).
type Account struct {
	Provider  pulumi.ProviderResource
	AccountID string
	Region    string
	Partition string
}

func (a Account) check(e *argErrors, arg string) {
	e.requireProvider(arg+"Provider", a.Provider)
	e.require(arg+"AccountID", a.AccountID)
	e.require(arg+"Region", a.Region)
	e.require(arg+"Partition", a.Partition)
}

// AccountRegions is one AWS account in every governed region: its provider
// in each, keyed by region.
type AccountRegions struct {
	Providers map[string]pulumi.ProviderResource
	Regions   []string // in order
	AccountID string
	Partition string
}

func (a AccountRegions) check(e *argErrors, arg string) {
	for _, r := range a.Regions {
		e.requireProvider(arg+"Providers["+r+"]", a.Providers[r])
	}
	e.require(arg+"AccountID", a.AccountID)
	e.require(arg+"Partition", a.Partition)
}

// In returns the account in region.
func (a AccountRegions) In(region string) Account {
	return Account{Provider: a.Providers[region], AccountID: a.AccountID, Region: region, Partition: a.Partition}
}

package components

import (
	"fmt"
	"slices"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/organizations"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// trustedAccess maps a resource type that needs AWS Organizations' trusted
// access for a service to that service's principal. Each component file
// declares its own, next to the resource that needs it.
var trustedAccess = map[string]string{}

func needsTrustedAccess(resourceType, principal string) struct{} {
	trustedAccess[resourceType] = principal
	return struct{}{}
}

// TrustedAccessPrincipal is the service principal that needs trusted access
// in AWS Organizations (enable-aws-service-access, from the management
// account) before a resource of resourceType can be created.
func TrustedAccessPrincipal(resourceType string) (string, bool) {
	p, ok := trustedAccess[resourceType]
	return p, ok
}

// severalAdministrators are the services that take more than one delegated
// administrator (AWS Config: up to three).
var severalAdministrators = []string{"config.amazonaws.com", "config-multiaccountsetup.amazonaws.com"}

// newDelegatedAdministrator registers accountID as the delegated
// administrator of service, from the management account (provider). AWS
// Organizations refuses a second registration of the same account
// (AccountAlreadyRegisteredException) and a registration while another
// account holds the role (ConstraintViolationException,
// DELEGATED_ADMINISTRATOR_EXISTS_FOR_THIS_SERVICE): it reads the current
// registrations first, adopts an existing one of accountID, and stops with
// the fix where another account holds it.
func newDelegatedAdministrator(ctx *pulumi.Context, name, service, accountID string, provider pulumi.ProviderResource, opts ...pulumi.ResourceOption) (*organizations.DelegatedAdministrator, error) {
	current, err := organizations.GetDelegatedAdministrators(ctx, &organizations.GetDelegatedAdministratorsArgs{ServicePrincipal: &service}, pulumi.Provider(provider))
	if err != nil {
		return nil, fmt.Errorf("reading the delegated administrators of %s: %w", service, err)
	}
	var ids []string
	for _, a := range current.DelegatedAdministrators {
		ids = append(ids, a.Id)
	}
	if slices.Contains(ids, accountID) {
		// Adopt it: the registration exists, and creating it would fail.
		opts = append(opts, adopted(accountID+"/"+service)...)
	} else if len(ids) > 0 && !slices.Contains(severalAdministrators, service) {
		return nil, fmt.Errorf("%s already has delegated administrator %v, not the security account %s: deregister it first (aws organizations deregister-delegated-administrator --account-id %s --service-principal %s), or make that account the security account", service, ids, accountID, ids[0], service)
	}
	return organizations.NewDelegatedAdministrator(ctx, name, &organizations.DelegatedAdministratorArgs{
		AccountId:        pulumi.String(accountID),
		ServicePrincipal: pulumi.String(service),
	}, append(opts, pulumi.Provider(provider))...)
}

// RegionalAdministration is where a regional security service (Inspector,
// Detective, Macie) is run from: in every governed region the management
// account designates the security account, whose providers then configure
// the organization.
type RegionalAdministration struct {
	Management AccountRegions // designates the administrator
	Security   AccountRegions // the administrator; its Regions are the service's
}

func (a RegionalAdministration) check(e *argErrors) {
	a.Security.check(e, "Security.")
	// The management account designates the administrator in each of its regions.
	for _, r := range a.Security.Regions {
		e.requireProvider("Management.Providers["+r+"]", a.Management.Providers[r])
	}
	e.require("Management.AccountID", a.Management.AccountID)
}

// OrganizationMember is an existing organization account a service's
// administrator enables: Detective's CreateMembers and Macie's CreateMember
// take each account's email, even for organization accounts, which they
// enable without an invitation.
type OrganizationMember struct {
	AccountID, Email string
}

// checkMembers requires each member's account ID and email.
func checkMembers(e *argErrors, members []OrganizationMember) {
	for i, m := range members {
		e.require(fmt.Sprintf("Members[%d].AccountID", i), m.AccountID)
		e.require(fmt.Sprintf("Members[%d].Email", i), m.Email)
	}
}

// Package providers creates one explicit AWS provider per account and region,
// so every resource states which account and region it belongs to.
package providers

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/example/landing-zone-audit/config"
)

// Set holds the providers of every account alias and governed region.
type Set struct {
	home string
	aws  map[string]*aws.Provider
}

// Name is the deterministic logical name of the provider for alias and region.
func Name(alias, region string) string { return fmt.Sprintf("aws-%s-%s", alias, region) }

// New creates a provider for every directly deployed account (every alias,
// or only the core accounts in StackSet mode) in every governed region. Each
// assumes accessRoleName in its account (the management account may use the
// caller's own credentials) and refuses to act in any other account.
func New(ctx *pulumi.Context, cfg *config.Config) (*Set, error) {
	s := &Set{home: cfg.HomeRegion, aws: map[string]*aws.Provider{}}
	for _, alias := range cfg.DirectAliases() {
		id := cfg.AccountID(alias)
		for _, region := range cfg.GovernedRegions {
			args := &aws.ProviderArgs{
				Region:            pulumi.String(region),
				AllowedAccountIds: pulumi.StringArray{pulumi.String(id)},
				DefaultTags: &aws.ProviderDefaultTagsArgs{Tags: pulumi.StringMap{
					"managed-by":    pulumi.String(config.Namespace),
					"pulumi-stack":  pulumi.String(ctx.Stack()),
					"account-alias": pulumi.String(alias),
				}},
			}
			if alias != config.Management || cfg.ManagementCredentials == config.CredentialsAssumeRole {
				args.AssumeRole = &aws.ProviderAssumeRoleArgs{
					RoleArn:     pulumi.String(fmt.Sprintf("arn:%s:iam::%s:role/%s", cfg.Partition(), id, cfg.AccessRoleName)),
					SessionName: pulumi.String(config.Namespace),
				}
			}
			p, err := aws.NewProvider(ctx, Name(alias, region), args)
			if err != nil {
				return nil, fmt.Errorf("provider for %s in %s: %w", alias, region, err)
			}
			s.aws[Name(alias, region)] = p
		}
	}
	return s, nil
}

// AWS returns the provider of alias in region; it panics on a pair the Set
// does not hold, which would be a programming error (config is validated first).
func (s *Set) AWS(alias, region string) *aws.Provider {
	p, ok := s.aws[Name(alias, region)]
	if !ok {
		panic(fmt.Sprintf("providers: no provider for %s in %s", alias, region))
	}
	return p
}

// Home returns the provider of alias in the home region.
func (s *Set) Home(alias string) *aws.Provider { return s.AWS(alias, s.home) }

// Regions returns alias's provider in every governed region, keyed by region.
func (s *Set) Regions(alias string, regions []string) map[string]pulumi.ProviderResource {
	out := make(map[string]pulumi.ProviderResource, len(regions))
	for _, r := range regions {
		out[r] = s.AWS(alias, r)
	}
	return out
}

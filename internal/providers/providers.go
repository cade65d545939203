// Package providers creates one explicit provider per account and region, so
// every resource states which account and region it belongs to.
package providers

import (
	"fmt"
	"slices"

	awsnative "github.com/pulumi/pulumi-aws-native/sdk/go/aws"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/example/landing-zone-audit/components"
	"github.com/example/landing-zone-audit/config"
)

// Set creates the providers of the directly deployed accounts and governed
// regions as the program first asks for each: every provider the stack
// registers is used, and each is one plugin process at `pulumi up`.
type Set struct {
	ctx    *pulumi.Context
	cfg    *config.Config
	aws    map[string]*aws.Provider
	native map[string]*awsnative.Provider
	err    error // the first provider that could not be registered
}

// Name is the deterministic logical name of the AWS provider for alias and region.
func Name(alias, region string) string { return fmt.Sprintf("aws-%s-%s", alias, region) }

// NativeName is the logical name of the AWS Native provider for alias and region.
func NativeName(alias, region string) string { return fmt.Sprintf("aws-native-%s-%s", alias, region) }

// target is what every provider of one account and region is configured with.
type target struct {
	region, accountID, roleArn string // roleArn "" uses the caller's credentials
	tags                       pulumi.StringMap
}

func (s *Set) targetOf(alias, region string) target {
	cfg := s.cfg
	t := target{region: region, accountID: cfg.AccountID(alias), tags: pulumi.StringMap{
		"managed-by":    pulumi.String(config.Product),
		"pulumi-stack":  pulumi.String(s.ctx.Stack()),
		"account-alias": pulumi.String(alias),
	}}
	if alias != config.Management || cfg.ManagementCredentials == config.CredentialsAssumeRole {
		t.roleArn = fmt.Sprintf("arn:%s:iam::%s:role/%s", cfg.Partition(), t.accountID, cfg.AccessRoleName)
	}
	return t
}

// New returns an empty Set for cfg. Each provider assumes accessRoleName in
// its account (the management account may use the caller's own
// credentials) and refuses to act in any other account.
func New(ctx *pulumi.Context, cfg *config.Config) *Set {
	return &Set{ctx: ctx, cfg: cfg, aws: map[string]*aws.Provider{}, native: map[string]*awsnative.Provider{}}
}

// Err reports the first provider that could not be registered.
func (s *Set) Err() error { return s.err }

func (s *Set) fail(alias, region string, err error) {
	if s.err == nil {
		s.err = fmt.Errorf("provider for %s in %s: %w", alias, region, err)
	}
}

// AWS returns the provider of alias in region, registering it on first use;
// it panics on an alias the configuration does not have, which would be a
// programming error (config is validated first).
func (s *Set) AWS(alias, region string) *aws.Provider {
	return register(s, s.aws, Name(alias, region), alias, region, func(name string, t target) (*aws.Provider, error) {
		args := &aws.ProviderArgs{
			Region:            pulumi.String(t.region),
			AllowedAccountIds: pulumi.StringArray{pulumi.String(t.accountID)},
			DefaultTags:       &aws.ProviderDefaultTagsArgs{Tags: t.tags},
		}
		if t.roleArn != "" {
			args.AssumeRole = &aws.ProviderAssumeRoleArgs{RoleArn: pulumi.String(t.roleArn), SessionName: pulumi.String(config.Product)}
		}
		return aws.NewProvider(s.ctx, name, args)
	})
}

// Home returns the AWS provider of alias in the home region.
func (s *Set) Home(alias string) *aws.Provider { return s.AWS(alias, s.cfg.HomeRegion) }

// NativeHome returns the AWS Native provider of alias in the home region,
// registering it on first use.
func (s *Set) NativeHome(alias string) *awsnative.Provider {
	region := s.cfg.HomeRegion
	return register(s, s.native, NativeName(alias, region), alias, region, func(name string, t target) (*awsnative.Provider, error) {
		args := &awsnative.ProviderArgs{
			Region:            pulumi.String(t.region),
			AllowedAccountIds: pulumi.StringArray{pulumi.String(t.accountID)},
			DefaultTags:       &awsnative.ProviderDefaultTagsArgs{Tags: t.tags},
		}
		if t.roleArn != "" {
			args.AssumeRole = &awsnative.ProviderAssumeRoleArgs{RoleArn: pulumi.String(t.roleArn), SessionName: pulumi.String(config.Product)}
		}
		return awsnative.NewProvider(s.ctx, name, args)
	})
}

// register returns the provider cached under name, or creates it for alias
// in region and caches it; a failure is kept for Err.
func register[P any](s *Set, cache map[string]P, name, alias, region string, create func(name string, t target) (P, error)) P {
	if p, ok := cache[name]; ok {
		return p
	}
	s.check(alias, region)
	p, err := create(name, s.targetOf(alias, region))
	if err != nil {
		s.fail(alias, region, err)
	}
	cache[name] = p
	return p
}

// check panics on a pair the stack does not deploy into directly: an
// account in a governed region, or in the region of the chat channels
// (AWS Chatbot's API is in few regions).
func (s *Set) check(alias, region string) {
	known := slices.Contains(s.cfg.GovernedRegions, region) || (s.cfg.HasChat() && region == s.cfg.ChatRegion())
	if _, ok := s.cfg.Accounts[alias]; !ok || !known {
		panic(fmt.Sprintf("providers: no account %s or governed region %s", alias, region))
	}
}

// Regions returns alias's provider in every governed region, keyed by region.
func (s *Set) Regions(alias string, regions []string) map[string]pulumi.ProviderResource {
	out := make(map[string]pulumi.ProviderResource, len(regions))
	for _, r := range regions {
		out[r] = s.AWS(alias, r)
	}
	return out
}

// Account returns alias in region, with its provider there.
func (s *Set) Account(alias, region string) components.Account {
	return components.Account{Provider: s.AWS(alias, region), AccountID: s.cfg.AccountID(alias), Region: region, Partition: s.cfg.Partition()}
}

// AccountRegions returns alias in every one of regions, with its provider in each.
func (s *Set) AccountRegions(alias string, regions []string) components.AccountRegions {
	return components.AccountRegions{Providers: s.Regions(alias, regions), Regions: regions, AccountID: s.cfg.AccountID(alias), Partition: s.cfg.Partition()}
}

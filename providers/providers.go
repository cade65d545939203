// Package providers creates one explicit provider per account and region, so
// every resource states which account and region it belongs to.
package providers

import (
	"fmt"

	awsnative "github.com/pulumi/pulumi-aws-native/sdk/go/aws"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/example/landing-zone-audit/config"
)

// Set holds the providers of every directly deployed account and governed region.
type Set struct {
	home   string
	aws    map[string]*aws.Provider
	native map[string]*awsnative.Provider
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

func targetOf(ctx *pulumi.Context, cfg *config.Config, alias, region string) target {
	t := target{region: region, accountID: cfg.AccountID(alias), tags: pulumi.StringMap{
		"managed-by":    pulumi.String(config.Product),
		"pulumi-stack":  pulumi.String(ctx.Stack()),
		"account-alias": pulumi.String(alias),
	}}
	if alias != config.Management || cfg.ManagementCredentials == config.CredentialsAssumeRole {
		t.roleArn = fmt.Sprintf("arn:%s:iam::%s:role/%s", cfg.Partition(), t.accountID, cfg.AccessRoleName)
	}
	return t
}

// New creates an AWS provider for every directly deployed account (every
// alias, or only the core accounts in StackSet mode) in every governed
// region, and an AWS Native provider per core account and region when a
// feature uses AWS Native. Each assumes accessRoleName in its account (the
// management account may use the caller's own credentials) and refuses to
// act in any other account.
func New(ctx *pulumi.Context, cfg *config.Config) (*Set, error) {
	s := &Set{home: cfg.HomeRegion, aws: map[string]*aws.Provider{}, native: map[string]*awsnative.Provider{}}
	err := eachTarget(ctx, cfg, cfg.DirectAliases(), func(alias string, t target) error {
		args := &aws.ProviderArgs{
			Region:            pulumi.String(t.region),
			AllowedAccountIds: pulumi.StringArray{pulumi.String(t.accountID)},
			DefaultTags:       &aws.ProviderDefaultTagsArgs{Tags: t.tags},
		}
		if t.roleArn != "" {
			args.AssumeRole = &aws.ProviderAssumeRoleArgs{RoleArn: pulumi.String(t.roleArn), SessionName: pulumi.String(config.Product)}
		}
		p, err := aws.NewProvider(ctx, Name(alias, t.region), args)
		s.aws[Name(alias, t.region)] = p
		return err
	})
	if err != nil || !cfg.UsesAWSNative() {
		return s, err
	}
	err = eachTarget(ctx, cfg, config.CoreAliases, func(alias string, t target) error {
		args := &awsnative.ProviderArgs{
			Region:            pulumi.String(t.region),
			AllowedAccountIds: pulumi.StringArray{pulumi.String(t.accountID)},
			DefaultTags:       &awsnative.ProviderDefaultTagsArgs{Tags: t.tags},
		}
		if t.roleArn != "" {
			args.AssumeRole = &awsnative.ProviderAssumeRoleArgs{RoleArn: pulumi.String(t.roleArn), SessionName: pulumi.String(config.Product)}
		}
		p, err := awsnative.NewProvider(ctx, NativeName(alias, t.region), args)
		s.native[NativeName(alias, t.region)] = p
		return err
	})
	return s, err
}

// eachTarget calls create for every alias in every governed region, in a
// stable order, and names the failing pair in its error.
func eachTarget(ctx *pulumi.Context, cfg *config.Config, aliases []string, create func(alias string, t target) error) error {
	for _, alias := range aliases {
		for _, region := range cfg.GovernedRegions {
			if err := create(alias, targetOf(ctx, cfg, alias, region)); err != nil {
				return fmt.Errorf("provider for %s in %s: %w", alias, region, err)
			}
		}
	}
	return nil
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

// Home returns the AWS provider of alias in the home region.
func (s *Set) Home(alias string) *aws.Provider { return s.AWS(alias, s.home) }

// NativeHome returns the AWS Native provider of a core account in the home
// region; it panics where none was created (a programming error).
func (s *Set) NativeHome(alias string) *awsnative.Provider {
	p, ok := s.native[NativeName(alias, s.home)]
	if !ok {
		panic(fmt.Sprintf("providers: no aws-native provider for %s in %s", alias, s.home))
	}
	return p
}

// Regions returns alias's provider in every governed region, keyed by region.
func (s *Set) Regions(alias string, regions []string) map[string]pulumi.ProviderResource {
	out := make(map[string]pulumi.ProviderResource, len(regions))
	for _, r := range regions {
		out[r] = s.AWS(alias, r)
	}
	return out
}

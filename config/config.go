// Package config reads and validates the landing-zone-audit stack configuration.
//
// It creates no resources: Load turns the raw Pulumi configuration (the
// key/value map the engine hands to the program) into typed settings, applying
// defaults, rejecting unknown keys and reporting every problem at once.
package config

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
)

// Product names this program where a name must not depend on the project:
// the managed-by tag and the providers' role session name.
const Product = "landing-zone-audit"

// Source is the configuration as the Pulumi engine hands it to the program:
// the project name (the namespace of every key this program reads), the
// values by full key ("<project>:<name>"; lists and objects as JSON text),
// and the full keys whose values are secret.
type Source struct {
	Project string
	Values  map[string]string
	Secret  []string
}

// SecretPlaceholder is what a secret value reads as where it cannot be
// decrypted (the offline plan).
const SecretPlaceholder = "[secret]"

// secretKeys are the keys whose values may be secret: values that only ever
// reach resource inputs. Every other key names resources or shapes the graph,
// so its value appears in URNs and ARNs and cannot be kept secret.
var secretKeys = []string{"alertEmails", "paging"}

// The account aliases every organization must define.
const (
	Management = "management"
	Security   = "security"
	LogArchive = "logArchive"
)

// Account is one AWS account of the organization.
type Account struct {
	ID    string `json:"id"`
	Email string `json:"email,omitempty"`
	// Owners are the addresses of the account's owners, who receive the
	// finding alerts about their account (besides alertEmails).
	Owners []string `json:"owners,omitempty"`
}

// Config is the whole, validated stack configuration.
type Config struct {
	// Project is the Pulumi project name: the namespace of every key.
	Project string
	// Secret holds the keys (without namespace) whose values are secret.
	Secret map[string]bool

	OrganizationID  string
	ResourcePrefix  string
	HomeRegion      string
	GovernedRegions []string
	// OptInRegions are the governed opt-in regions the stack's owner has
	// enabled in every account.
	OptInRegions          []string
	AccessRoleName        string
	ManagementCredentials string
	Accounts              map[string]Account
	AlertEmails           []string
	OrgTrail              OrgTrail
	Alarms                Alarms
	AWSConfig             AWSConfig
	GuardDuty             GuardDuty
	MemberBaseline        string
	StackSet              StackSet
	SecurityHub           SecurityHub
	AccessAnalyzer        AccessAnalyzer
	CloudTrailLake        CloudTrailLake
	Inspector             Inspector
	Detective             Detective
	Macie                 Macie
	SecurityLake          SecurityLake
	ControlTower          ControlTower
	Guardrails            Guardrails
	Adopt                 Adopt
	// SuppressionsConfig are the suppressions as written (key
	// suppressions); Suppressions gives them to the components.
	SuppressionsConfig []Suppression
	Chat               Chat
	Paging             Paging
	packs              []Pack // the conformance packs, templates read (Packs)
	// MaxProviderProcesses is the deploy budget: a stack that would start
	// more provider plugin processes at `pulumi up` is refused.
	MaxProviderProcesses int
}

// MemberBaseline values: how member accounts get their per-account baseline.
const (
	BaselineDirect   = "direct"   // a provider and resources per member account
	BaselineStackSet = "stackset" // a service-managed CloudFormation StackSet
)

// ManagementCredentials values.
const (
	CredentialsAssumeRole = "assumeRole"
	CredentialsCaller     = "caller"
)

// key describes one top-level configuration key: how to decode it and,
// for a key that owns its rules, how to check it.
type key struct {
	name     string
	decode   func(c *Config, raw string) []fieldProblem
	validate func(c *Config, p *problems)
}

// checkedBy gives k the check of its rules, run with every other check.
func (k key) checkedBy(validate func(c *Config, p *problems)) key {
	k.validate = validate
	return k
}

func stringKey(name string, field func(*Config) *string) key {
	return key{name: name, decode: func(c *Config, raw string) []fieldProblem { *field(c) = raw; return nil }}
}

// jsonKey decodes a structured (or numeric) value checked against its type:
// every misspelt field and mistyped value is a problem with its path.
func jsonKey[T any](name string, field func(*Config) *T) key {
	return key{name: name, decode: func(c *Config, raw string) []fieldProblem { return decodeChecked(raw, field(c)) }}
}

var keys = []key{
	stringKey("organizationId", func(c *Config) *string { return &c.OrganizationID }),
	stringKey("resourcePrefix", func(c *Config) *string { return &c.ResourcePrefix }),
	stringKey("homeRegion", func(c *Config) *string { return &c.HomeRegion }),
	jsonKey("governedRegions", func(c *Config) *[]string { return &c.GovernedRegions }),
	jsonKey("optInRegions", func(c *Config) *[]string { return &c.OptInRegions }),
	stringKey("accessRoleName", func(c *Config) *string { return &c.AccessRoleName }),
	stringKey("managementCredentials", func(c *Config) *string { return &c.ManagementCredentials }),
	jsonKey("accounts", func(c *Config) *map[string]Account { return &c.Accounts }),
	jsonKey("alertEmails", func(c *Config) *[]string { return &c.AlertEmails }),
	jsonKey("orgTrail", func(c *Config) *OrgTrail { return &c.OrgTrail }),
	jsonKey("alarms", func(c *Config) *Alarms { return &c.Alarms }),
	jsonKey("awsConfig", func(c *Config) *AWSConfig { return &c.AWSConfig }),
	jsonKey("guardDuty", func(c *Config) *GuardDuty { return &c.GuardDuty }),
	stringKey("memberBaseline", func(c *Config) *string { return &c.MemberBaseline }),
	jsonKey("stackSet", func(c *Config) *StackSet { return &c.StackSet }),
	jsonKey("securityHub", func(c *Config) *SecurityHub { return &c.SecurityHub }).checkedBy((*Config).validateSecurityHub),
	jsonKey("accessAnalyzer", func(c *Config) *AccessAnalyzer { return &c.AccessAnalyzer }).checkedBy((*Config).validateAccessAnalyzer),
	jsonKey("cloudTrailLake", func(c *Config) *CloudTrailLake { return &c.CloudTrailLake }).checkedBy((*Config).validateCloudTrailLake),
	jsonKey("inspector", func(c *Config) *Inspector { return &c.Inspector }).checkedBy((*Config).validateInspector),
	jsonKey("detective", func(c *Config) *Detective { return &c.Detective }).checkedBy((*Config).validateDetective),
	jsonKey("macie", func(c *Config) *Macie { return &c.Macie }).checkedBy((*Config).validateMacie),
	jsonKey("securityLake", func(c *Config) *SecurityLake { return &c.SecurityLake }).checkedBy((*Config).validateSecurityLake),
	jsonKey("controlTower", func(c *Config) *ControlTower { return &c.ControlTower }),
	jsonKey("guardrails", func(c *Config) *Guardrails { return &c.Guardrails }).checkedBy((*Config).validateGuardrails),
	jsonKey("adopt", func(c *Config) *Adopt { return &c.Adopt }),
	jsonKey("suppressions", func(c *Config) *[]Suppression { return &c.SuppressionsConfig }),
	jsonKey("chat", func(c *Config) *Chat { return &c.Chat }),
	jsonKey("paging", func(c *Config) *Paging { return &c.Paging }),
	jsonKey("maxProviderProcesses", func(c *Config) *int { return &c.MaxProviderProcesses }),
}

// requiredKeys have no default: every stack sets them.
var requiredKeys = []string{"organizationId", "resourcePrefix", "homeRegion", "governedRegions", "accounts"}

// RequiredKeys returns the keys every stack must set (Pulumi.yaml declares
// them without a default); every other key has one.
func RequiredKeys() []string { return slices.Clone(requiredKeys) }

// Keys returns the names of every key this program reads, without the namespace.
func Keys() []string {
	names := make([]string, len(keys))
	for i, k := range keys {
		names[i] = k.name
	}
	return names
}

// Defaults returns the configuration used for every key the stack leaves unset.
func Defaults() Config {
	return Config{
		AccessRoleName:        "OrganizationAccountAccessRole",
		AlertEmails:           []string{},
		OptInRegions:          []string{},
		SuppressionsConfig:    []Suppression{},
		Paging:                defaultPaging(),
		Macie:                 defaultMacie(),
		SecurityLake:          defaultSecurityLake(),
		Guardrails:            defaultGuardrails(),
		ManagementCredentials: CredentialsCaller,
		OrgTrail:              defaultOrgTrail(),
		Alarms:                defaultAlarms(),
		AWSConfig:             defaultAWSConfig(),
		GuardDuty:             defaultGuardDuty(),
		MemberBaseline:        BaselineDirect,
		StackSet:              StackSet{FailureTolerancePercentage: 10, MaxConcurrentPercentage: 25},
		SecurityHub:           defaultSecurityHub(),
		AccessAnalyzer:        AccessAnalyzer{Enabled: true, UnusedAccessAgeDays: 90},
		CloudTrailLake:        CloudTrailLake{RetentionDays: 365, TerminationProtection: true},
		Inspector:             Inspector{EC2: true, ECR: true, Lambda: true},
		Detective:             Detective{EnableAccounts: true},
		MaxProviderProcesses:  40,
	}
}

// Load decodes the configuration the engine passes (keys
// "<project>:<name>", structured values as JSON text) and validates it. Keys
// of other namespaces (aws:, pulumi:) are left to their owners. The error
// lists every problem.
func Load(src Source) (*Config, error) {
	c := Defaults()
	c.Project = src.Project
	c.Secret = map[string]bool{}
	var errs []error
	for _, full := range src.Secret {
		ns, name, _ := strings.Cut(full, ":")
		if ns != src.Project {
			continue
		}
		if !slices.Contains(secretKeys, name) {
			errs = append(errs, fmt.Errorf("%s: is a secret, but its value names resources and appears in URNs and ARNs; store it in plain text (only %s may be secret)", full, strings.Join(secretKeys, ", ")))
		}
		c.Secret[name] = true
	}
	names := make([]string, 0, len(src.Values))
	for full := range src.Values {
		names = append(names, full)
	}
	sort.Strings(names)
	for _, full := range names {
		ns, name, ok := strings.Cut(full, ":")
		if !ok || ns != src.Project {
			continue
		}
		i := slices.IndexFunc(keys, func(k key) bool { return k.name == name })
		if i < 0 {
			errs = append(errs, fmt.Errorf("%s: unknown key%s; remove it (known keys: %s)", full, suggest(name, Keys()), strings.Join(Keys(), ", ")))
			continue
		}
		for _, p := range keys[i].decode(&c, src.Values[full]) {
			errs = append(errs, fmt.Errorf("%s%s: %s", full, p.path, p.msg))
		}
	}
	if len(errs) > 0 {
		// A value that does not decode makes validation meaningless for it; report decoding first.
		return nil, errors.Join(errs...)
	}
	if err := c.Validate(); err != nil {
		return nil, err
	}
	return &c, nil
}

// suggest returns "; did you mean X?" for the known name closest to name.
func suggest(name string, known []string) string {
	best, bestDist := "", 3
	for _, k := range known {
		if d := editDistance(strings.ToLower(name), strings.ToLower(k)); d < bestDist {
			best, bestDist = k, d
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf(" (did you mean %q?)", best)
}

func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)]
}

// AccountID returns the ID of the account with the given alias.
func (c *Config) AccountID(alias string) string { return c.Accounts[alias].ID }

// Aliases returns every account alias in a stable order: the core accounts
// first, then the others alphabetically.
func (c *Config) Aliases() []string {
	out := append([]string(nil), CoreAliases...)
	var rest []string
	for alias := range c.Accounts {
		if !slices.Contains(out, alias) {
			rest = append(rest, alias)
		}
	}
	sort.Strings(rest)
	return append(out, rest...)
}

// CoreAliases are the accounts that are always deployed directly.
var CoreAliases = []string{Management, Security, LogArchive}

// DirectAliases returns the aliases of the accounts this stack deploys into
// with a provider of their own: every account in direct mode, only the core
// accounts when a StackSet carries the member-account baseline.
func (c *Config) DirectAliases() []string {
	if c.MemberBaseline == BaselineStackSet {
		return slices.Clone(CoreAliases)
	}
	return c.Aliases()
}

// AccountIDs returns every account ID in Aliases order.
func (c *Config) AccountIDs() []string { return c.AccountIDsOf(c.Aliases()) }

// AccountIDsOf maps aliases to account IDs, in order; none is an empty list.
func (c *Config) AccountIDsOf(aliases []string) []string {
	ids := []string{}
	for _, alias := range aliases {
		ids = append(ids, c.AccountID(alias))
	}
	return ids
}

// Partition returns the AWS partition of the home region.
func (c *Config) Partition() string { return PartitionOf(c.HomeRegion) }

// PartitionOf returns the AWS partition a region belongs to.
func PartitionOf(region string) string {
	switch {
	case strings.HasPrefix(region, "cn-"):
		return "aws-cn"
	case strings.HasPrefix(region, "us-gov-"):
		return "aws-us-gov"
	default:
		return "aws"
	}
}

// UsesAWSNative reports whether an enabled feature is built on the AWS Native
// provider (Security Hub central configuration, CloudTrail Lake).
func (c *Config) UsesAWSNative() bool { return c.SecurityHub.Enabled || c.CloudTrailLake.Enabled }

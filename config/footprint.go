package config

import (
	"fmt"
	"slices"

	"github.com/example/landing-zone-audit/components"
)

// Memory of one provider plugin process at `pulumi up`: about 170 MB for
// pulumi-resource-aws v6 (pulumi-aws issue 5226, filed for Config in every
// region of 50+ accounts) up to 300–430 MB (issue 5860); aws-native
// processes are of the same order.
const (
	ProcessMinMB = 170
	ProcessMaxMB = 430
)

// Footprint is what `pulumi up` starts: one plugin process per provider
// resource, by package. The program registers a provider only where a
// resource uses it, so this is the count of the stack's providers.
type Footprint struct {
	AWS       int `json:"aws"`
	AWSNative int `json:"awsNative"`
}

// Processes is the number of provider plugin processes.
func (f Footprint) Processes() int { return f.AWS + f.AWSNative }

// MemoryMB is the estimated memory range of those processes together.
func (f Footprint) MemoryMB() (low, high int) {
	return f.Processes() * ProcessMinMB, f.Processes() * ProcessMaxMB
}

// String reads "12 provider processes (aws 10, aws-native 2), about 2.0–5.2 GB".
func (f Footprint) String() string {
	low, high := f.MemoryMB()
	return fmt.Sprintf("%d provider processes (aws %d, aws-native %d), about %.1f–%.1f GB at pulumi up (%d–%d MB each: pulumi-aws issues 5226, 5860)",
		f.Processes(), f.AWS, f.AWSNative, float64(low)/1000, float64(high)/1000, ProcessMinMB, ProcessMaxMB)
}

// Footprint counts the providers the stack registers: management and
// security in every governed region (GuardDuty, organization rules, Access
// Analyzer, alert topics), every account with a recorder from this stack
// (RecorderAliases) and, in GuardDuty invitation mode, every listed account
// in every region; Security Lake's account in every region; log archive at
// least in the home region when it holds a bucket. AWS Native: the
// management account's home region (Security Hub's delegated administrator,
// CloudTrail Lake) and the security account's (Security Hub).
func (c *Config) Footprint() Footprint {
	var f Footprint
	regional := []string{Management, Security}
	add := func(aliases []string) {
		for _, a := range aliases {
			if !slices.Contains(regional, a) {
				regional = append(regional, a)
			}
		}
	}
	add(c.RecorderAliases())
	if c.GuardDuty.Enabled && c.GuardDuty.Mode == components.GuardDutyInvitation {
		add(c.DirectAliases())
	}
	if c.SecurityLake.Enabled {
		add([]string{c.SecurityLake.Account})
	}
	f.AWS = len(regional) * len(c.GovernedRegions)
	logArchiveBucket := c.AWSConfig.Enabled || (c.DeploysTrail() && c.OrgTrail.BucketAccount == LogArchive) ||
		(c.GuardDuty.Enabled && c.GuardDuty.FindingsExport)
	if logArchiveBucket && !slices.Contains(regional, LogArchive) {
		f.AWS++
	}
	if len(c.ChatAliases()) > 0 && !slices.Contains(c.GovernedRegions, c.ChatRegion()) {
		f.AWS += len(c.ChatAliases()) // Chatbot's API is in few regions
	}
	if c.SecurityHub.Enabled || c.CloudTrailLake.Enabled {
		f.AWSNative++
	}
	if c.SecurityHub.Enabled {
		f.AWSNative++
	}
	return f
}

// StackSetRecordedCoreAccounts are the core accounts the member-account
// StackSet records (StackSet mode).
func (c *Config) StackSetRecordedCoreAccounts() []string {
	return []string{c.AccountID(LogArchive)}
}

package config

import (
	"fmt"
	"slices"
	"strings"
)

// Recording configures what AWS Config records and how often
// (awsConfig.recording), in direct mode and in the StackSet template alike.
type Recording struct {
	// Frequency is the default recording frequency: CONTINUOUS or DAILY.
	Frequency string `json:"frequency"`
	// Overrides set another frequency for some resource types.
	Overrides []RecordingOverride `json:"overrides"`
	// ExcludedResourceTypes are not recorded at all (the
	// EXCLUSION_BY_RESOURCE_TYPES recording strategy).
	ExcludedResourceTypes []string `json:"excludedResourceTypes"`
	// Preset adds a documented set of overrides and exclusions: "" or
	// "costConscious".
	Preset string `json:"preset"`
}

// RecordingOverride records some resource types at another frequency.
type RecordingOverride struct {
	ResourceTypes []string `json:"resourceTypes"`
	Frequency     string   `json:"frequency"`
	Description   string   `json:"description"`
}

// Recording frequencies (API_RecordingMode).
const (
	RecordContinuously = "CONTINUOUS"
	RecordDaily        = "DAILY"
)

// PresetCostConscious is the cost-conscious recording preset.
const PresetCostConscious = "costConscious"

// continuousOnly are the types AWS Config records continuously whatever the
// setting (API_RecordingMode: "Daily recording cannot be specified for").
var continuousOnly = []string{"AWS::Config::ResourceCompliance", "AWS::Config::ConformancePackCompliance", "AWS::Config::ConfigurationRecorder"}

// costConscious is the preset: network interfaces (churned by Lambda, ECS
// and load balancers, often the largest item of the bill) are not recorded,
// and EBS volumes and ECS task definitions (changed by every deployment)
// are recorded daily.
var costConscious = Recording{
	Overrides: []RecordingOverride{{
		ResourceTypes: []string{"AWS::EC2::Volume", "AWS::ECS::TaskDefinition"},
		Frequency:     RecordDaily,
		Description:   "costConscious preset: changed by every deployment",
	}},
	ExcludedResourceTypes: []string{"AWS::EC2::NetworkInterface"},
}

// EffectiveRecording is the recording with the preset applied.
func (c *Config) EffectiveRecording() Recording {
	r := c.AWSConfig.Recording
	if r.Preset == PresetCostConscious {
		r.Overrides = slices.Concat(costConscious.Overrides, r.Overrides)
		for _, t := range costConscious.ExcludedResourceTypes {
			if !slices.Contains(r.ExcludedResourceTypes, t) && !overridden(r.Overrides[len(costConscious.Overrides):], t) {
				r.ExcludedResourceTypes = append(slices.Clone(r.ExcludedResourceTypes), t)
			}
		}
	}
	return r
}

func overridden(overrides []RecordingOverride, typ string) bool {
	for _, o := range overrides {
		if slices.Contains(o.ResourceTypes, typ) {
			return true
		}
	}
	return false
}

// knownResourceType reports whether AWS Config has the type: the SDK's enum,
// and the types AWS's documentation names that it does not list yet.
func knownResourceType(t string) bool {
	return ResourceTypes[t] || t == "AWS::Config::ConfigurationRecorder"
}

func (c *Config) validateRecording(p *problems) {
	r := c.AWSConfig.Recording
	key := "awsConfig.recording"
	if r.Frequency != RecordContinuously && r.Frequency != RecordDaily {
		p.add(key+".frequency", "%q is not a recording frequency; use %s or %s", r.Frequency, RecordContinuously, RecordDaily)
	}
	if r.Preset != "" && r.Preset != PresetCostConscious {
		p.add(key+".preset", "%q is not a preset; use %q or leave it out", r.Preset, PresetCostConscious)
	}
	checkType := func(k, t string) bool {
		if knownResourceType(t) {
			return true
		}
		p.add(k, "%q is not a resource type AWS Config records%s; write it as AWS::Service::Type", t, suggestType(t))
		return false
	}
	seen := map[string]string{}
	eff := c.EffectiveRecording()
	for i, o := range eff.Overrides {
		if o.Frequency != eff.Overrides[0].Frequency {
			p.add(fmt.Sprintf("%s.overrides[%d].frequency", key, i), "%q differs from the other overrides; the AWS provider takes one recording-mode override, so give every override the same frequency", o.Frequency)
		}
	}
	for i, o := range r.Overrides {
		ok := fmt.Sprintf("%s.overrides[%d]", key, i)
		if o.Frequency != RecordContinuously && o.Frequency != RecordDaily {
			p.add(ok+".frequency", "%q is not a recording frequency; use %s or %s", o.Frequency, RecordContinuously, RecordDaily)
		}
		if len(o.ResourceTypes) == 0 {
			p.add(ok+".resourceTypes", "empty; list the resource types this frequency applies to")
		}
		for j, t := range o.ResourceTypes {
			tk := fmt.Sprintf("%s.resourceTypes[%d]", ok, j)
			if !checkType(tk, t) {
				continue
			}
			if o.Frequency == RecordDaily && slices.Contains(continuousOnly, t) {
				p.add(tk, "%s is always recorded continuously (AWS Config does not record it daily); remove it from this override", t)
			}
			if prev, dup := seen[t]; dup {
				p.add(tk, "%s already has an override (%s); give each type one", t, prev)
			}
			seen[t] = tk
			if slices.Contains(r.ExcludedResourceTypes, t) {
				p.add(tk, "%s is also in excludedResourceTypes: a type that is not recorded has no frequency; keep one", t)
			}
		}
	}
	for i, t := range r.ExcludedResourceTypes {
		checkType(fmt.Sprintf("%s.excludedResourceTypes[%d]", key, i), t)
	}
}

// suggestType returns a did-you-mean for a resource type.
func suggestType(t string) string {
	best, bestDist := "", 4
	for k := range ResourceTypes {
		if d := editDistance(strings.ToLower(t), strings.ToLower(k)); d < bestDist || (d == bestDist && k < best) {
			best, bestDist = k, d
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf(" (did you mean %q?)", best)
}

package config

import (
	"slices"
	"strings"

	"github.com/example/landing-zone-audit/internal/cis"
	"github.com/example/landing-zone-audit/internal/detection"
)

// SupplementaryAlarms switches the detections beyond the CIS set (key
// alarms.supplementary): on by default, each one switchable by name.
type SupplementaryAlarms struct {
	Enabled bool `json:"enabled"`
	// Alarms switches single detections by key (detection.SupplementaryKeys);
	// a detection not listed follows Enabled.
	Alarms map[string]bool `json:"alarms"`
}

// SupplementaryDisabled lists the supplementary detections switched off,
// in the detections' order; all of them when the set is off.
func (c *Config) SupplementaryDisabled() []string {
	var off []string
	for _, k := range detection.SupplementaryKeys() {
		if on, listed := c.Alarms.Supplementary.Alarms[k]; !c.Alarms.Supplementary.Enabled || (listed && !on) {
			off = append(off, k)
		}
	}
	return off
}

// SupplementaryOn lists the supplementary detections the stack deploys.
func (c *Config) SupplementaryOn() []string {
	var on []string
	for _, k := range detection.SupplementaryKeys() {
		if !slices.Contains(c.SupplementaryDisabled(), k) {
			on = append(on, k)
		}
	}
	return on
}

// MetricFilters counts the metric filters the alarms put on the trail's
// log group: CIS, elevated-role and supplementary.
type MetricFilters struct {
	CIS, ElevatedRole, Supplementary int
}

// Total is the number of filters on the log group.
func (m MetricFilters) Total() int { return m.CIS + m.ElevatedRole + m.Supplementary }

// MetricFilters counts the filters this configuration creates.
func (c *Config) MetricFilters() MetricFilters {
	var m MetricFilters
	if c.Alarms.CISEnabled {
		for _, ctl := range cis.Controls() {
			if !slices.Contains(c.Alarms.CISDisabledControls, ctl.Key) {
				m.CIS++
			}
		}
	}
	if !c.Alarms.ElevatedRoleDisabled {
		m.ElevatedRole = len(detection.ElevatedRolePatterns(c.Partition(), c.ElevatedRoles()))
	}
	m.Supplementary = len(c.SupplementaryOn())
	return m
}

// validateMetricFilters checks the supplementary switches and that every
// filter fits on the trail's log group, which holds at most 100.
func (c *Config) validateMetricFilters(p *problems) {
	known := detection.SupplementaryKeys()
	for _, k := range sortedKeys(c.Alarms.Supplementary.Alarms) {
		if !slices.Contains(known, k) {
			p.add("alarms.supplementary.alarms."+k, "not a supplementary alarm%s; use one of %s", suggest(k, known), strings.Join(known, ", "))
		}
	}
	m := c.MetricFilters()
	if m.Total() > detection.MaxFiltersPerLogGroup {
		p.add("alarms.elevatedRoles", "needs %d metric filters on the trail's log group (CIS %d, elevated-role %d, supplementary %d); CloudWatch Logs allows %d per log group: list fewer accounts per role, or switch off CIS controls (alarms.cisDisabledControls) or supplementary alarms (alarms.supplementary.alarms.<name>: false) you do not need",
			m.Total(), m.CIS, m.ElevatedRole, m.Supplementary, detection.MaxFiltersPerLogGroup)
	}
}

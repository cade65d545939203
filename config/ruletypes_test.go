package config

import "testing"

// Every rule with a scope is a managed rule, and every type in a scope is
// one AWS Config records: a stale entry would warn about, or miss, a type.
func TestManagedRuleScopesAreKnown(t *testing.T) {
	t.Parallel()
	for rule, types := range managedRuleResourceTypes {
		if _, ok := ManagedRules[rule]; !ok {
			t.Errorf("%s has a scope but is not in ManagedRules", rule)
		}
		for _, typ := range types {
			if !ResourceTypes[typ] {
				t.Errorf("%s: %s is not a resource type AWS Config records", rule, typ)
			}
		}
	}
}

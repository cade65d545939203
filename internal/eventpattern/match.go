package eventpattern

// object is a parsed pattern object: every field must match, and when "$or"
// is present at this level at least one alternative must match too.
type object struct {
	fields []field
	or     []*object // alternatives of "$or"; nil when the object has none
}

// field is one key of a pattern object. Exactly one of nested and leaf is set.
type field struct {
	name   string
	nested *object
	leaf   *leaf
}

// leaf holds the match conditions of one field; any of them may match.
type leaf struct {
	exact       exactSet
	preds       []predicate // prefix, suffix, wildcard, numeric, ...
	anythingBut []predicate // each one is the set of excluded values
	existsTrue  bool
	existsFalse bool
}

// match reports whether the event value v (nil when absent) satisfies o.
func (o *object) match(v any) bool {
	switch t := v.(type) {
	case map[string]any:
		return o.matchFields(t)
	case []any:
		// One element must satisfy the whole object, so that the fields of
		// a pattern object are never matched by different array elements.
		for _, e := range t {
			if o.match(e) {
				return true
			}
		}
		return len(t) == 0 && o.matchFields(nil)
	default:
		// Missing, null or scalar: nothing exists beneath this key.
		return o.matchFields(nil)
	}
}

// matchFields matches o against one event object; m may be nil, in which
// case every field is absent.
func (o *object) matchFields(m map[string]any) bool {
	for i := range o.fields {
		f := &o.fields[i]
		v, present := m[f.name]
		if f.nested != nil {
			if !f.nested.match(v) {
				return false
			}
			continue
		}
		if !f.leaf.match(v, present) {
			return false
		}
	}
	if o.or == nil {
		return true
	}
	for _, alt := range o.or {
		if alt.matchFields(m) {
			return true
		}
	}
	return false
}

// match reports whether the event value v of a field satisfies any of the
// field's conditions. present is false when the key is missing.
func (l *leaf) match(v any, present bool) bool {
	if !present || !hasValue(v) {
		return l.existsFalse
	}
	if l.existsTrue || l.matchesAny(v) {
		return true
	}
	for _, excluded := range l.anythingBut {
		if anyValue(v, func(e any) bool { return !excluded.test(e) }) {
			return true
		}
	}
	return false
}

// matchesAny reports whether v, or any value in it when it is an array,
// satisfies an exact value or a positive content filter.
func (l *leaf) matchesAny(v any) bool {
	switch t := v.(type) {
	case []any:
		for _, e := range t {
			if l.matchesAny(e) {
				return true
			}
		}
		return false
	case map[string]any:
		return false
	}
	if l.exact.test(v) {
		return true
	}
	for _, p := range l.preds {
		if p.test(v) {
			return true
		}
	}
	return false
}

// hasValue reports whether v holds at least one leaf value: a scalar or
// null, possibly inside (nested) arrays. Objects are not values at this path.
func hasValue(v any) bool {
	switch t := v.(type) {
	case map[string]any:
		return false
	case []any:
		for _, e := range t {
			if hasValue(e) {
				return true
			}
		}
		return false
	default:
		return true
	}
}

// anyValue reports whether ok holds for v or for any leaf value inside it:
// an event array matches a condition when any of its elements does.
func anyValue(v any, ok func(any) bool) bool {
	switch t := v.(type) {
	case map[string]any:
		return false
	case []any:
		for _, e := range t {
			if anyValue(e, ok) {
				return true
			}
		}
		return false
	default:
		return ok(v)
	}
}

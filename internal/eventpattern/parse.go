package eventpattern

import (
	"encoding/json"
	"net/netip"
	"strconv"
	"strings"
	"unicode/utf8"
)

const orKey = "$or"

// filterNames lists the content filters in the order error messages show them.
const filterNames = "anything-but, cidr, equals-ignore-case, exists, numeric, prefix, suffix, wildcard"

func isFilterName(name string) bool {
	switch name {
	case "anything-but", "cidr", "equals-ignore-case", "exists", "numeric", "prefix", "suffix", "wildcard":
		return true
	}
	return false
}

// reservedInOr are the operator names event-ruler refuses as field names
// anywhere inside "$or" (Constants.RESERVED_FIELD_NAMES_IN_OR_RELATIONSHIP,
// checked by JsonRuleCompiler.parseObjectInsideOrRelationship): inside
// "$or" it could not tell {"prefix": [...]} from a misplaced filter.
var reservedInOr = map[string]bool{
	"exactly": true, "equals-ignore-case": true, "prefix": true, "suffix": true, "anything-but": true,
	"exists": true, "wildcard": true, "numeric": true, "cidr": true,
	"=": true, "<": true, "<=": true, ">": true, ">=": true,
	"regex": true, "not-wildcard": true, "not-equals-ignore-case": true,
	"date-after": true, "date-on-or-after": true, "date-before": true, "date-on-or-before": true, "in-date-range": true,
	"ip-address-in-range": true, "ip-address-not-in-range": true,
}

// parseObject validates a pattern object found at path ("" for the root).
func parseObject(m map[string]any, path string) (*object, error) {
	return parseObjectIn(m, path, false)
}

// parseObjectIn validates a pattern object; inOr is true at and below an
// alternative of "$or", where operator names cannot be field names.
func parseObjectIn(m map[string]any, path string, inOr bool) (*object, error) {
	if len(m) == 0 {
		if path == "" {
			return nil, newPatternError("", "must not be empty: a pattern needs at least one field to match")
		}
		return nil, newPatternError(path, "must not be an empty object: it needs at least one field to match")
	}
	o := &object{}
	var nested []field
	for _, key := range sortedKeys(m) {
		val := m[key]
		if key == orKey {
			alts, err := parseOr(val, childPath(path, key))
			if err != nil {
				return nil, err
			}
			o.or = alts
			continue
		}
		fieldPath := childPath(path, key)
		if inOr && reservedInOr[key] {
			return nil, newPatternError(fieldPath,
				"%q is an operator name, which EventBridge refuses as a field name inside \"$or\"; an operator belongs inside a field's array, e.g. {\"$or\": [{\"field\": [{%q: ...}]}, ...]}", key, key)
		}
		switch t := val.(type) {
		case map[string]any:
			sub, err := parseObjectIn(t, fieldPath, inOr)
			if err != nil {
				return nil, err
			}
			nested = append(nested, field{name: key, nested: sub})
		case []any:
			l, err := parseLeaf(t, fieldPath)
			if err != nil {
				return nil, err
			}
			o.fields = append(o.fields, field{name: key, leaf: l})
		default:
			if isFilterName(key) {
				// {"detail": {"prefix": "x"}}: the filter is outside its array.
				return nil, newPatternError(fieldPath,
					"match conditions must be in an array, got %s (a %q filter belongs inside the field's array, e.g. \"field\": [{%q: %s}])",
					render(val), key, key, render(val))
			}
			return nil, newPatternError(fieldPath,
				"match conditions must be in an array, got %s (did you mean [%s]?)", render(val), render(val))
		}
	}
	// Leaf fields first: they are cheaper to check and usually decide.
	o.fields = append(o.fields, nested...)
	return o, nil
}

// parseOr validates the value of "$or": two or more non-empty pattern objects.
func parseOr(val any, path string) ([]*object, error) {
	arr, ok := val.([]any)
	if !ok || len(arr) < 2 {
		return nil, newPatternError(path, "needs an array of at least two pattern objects, got %s", render(val))
	}
	alts := make([]*object, 0, len(arr))
	for i, e := range arr {
		altPath := indexPath(path, i)
		m, ok := e.(map[string]any)
		if !ok {
			return nil, newPatternError(altPath, "must be a pattern object, got %s", render(e))
		}
		alt, err := parseObjectIn(m, altPath, true)
		if err != nil {
			return nil, err
		}
		alts = append(alts, alt)
	}
	return alts, nil
}

// parseLeaf validates the array of match conditions of one field.
func parseLeaf(arr []any, path string) (*leaf, error) {
	if len(arr) == 0 {
		return nil, newPatternError(path, "needs at least one match condition, got []")
	}
	l := &leaf{}
	for _, e := range arr {
		switch t := e.(type) {
		case string:
			l.exact.addString(t)
		case json.Number:
			f, err := parseNumber(t, path)
			if err != nil {
				return nil, err
			}
			l.exact.addNumber(f)
		case bool:
			l.exact.addBool(t)
		case nil:
			l.exact.addNull()
		case []any:
			return nil, newPatternError(path, "nested arrays are not allowed in match conditions, got %s", render(t))
		case map[string]any:
			if err := parseFilter(t, path, l); err != nil {
				return nil, err
			}
		}
	}
	return l, nil
}

// parseNumber converts a pattern number, rejecting values that do not fit a
// float64 (EventBridge cannot compare them either).
func parseNumber(n json.Number, path string) (float64, error) {
	f, err := strconv.ParseFloat(string(n), 64)
	if err != nil {
		return 0, newPatternError(path, "number %s is out of range", n)
	}
	return f, nil
}

// parseFilter validates one content-filter object and adds it to l.
func parseFilter(m map[string]any, path string, l *leaf) error {
	if len(m) != 1 {
		return newPatternError(path, "a content filter must have exactly one key (one of %s), got %s", filterNames, render(m))
	}
	name, arg := onlyEntry(m)
	switch name {
	case "prefix", "suffix":
		s, fold, err := parseAffix(name, arg, path)
		if err != nil {
			return err
		}
		if name == "prefix" {
			l.preds = append(l.preds, prefixPred{prefix: s, fold: fold})
		} else {
			l.preds = append(l.preds, suffixPred{suffix: s, fold: fold})
		}
	case "equals-ignore-case":
		s, ok := arg.(string)
		if !ok {
			return newPatternError(path, "%q needs a string, got %s", name, render(arg))
		}
		l.preds = append(l.preds, foldPred{s})
	case "wildcard":
		s, ok := arg.(string)
		if !ok {
			return newPatternError(path, "%q needs a string, got %s", name, render(arg))
		}
		w, err := compileWildcard(s, path)
		if err != nil {
			return err
		}
		l.preds = append(l.preds, w)
	case "numeric":
		p, err := parseNumeric(arg, path)
		if err != nil {
			return err
		}
		l.preds = append(l.preds, p)
	case "exists":
		b, ok := arg.(bool)
		if !ok {
			return newPatternError(path, "%q needs true or false, got %s", name, render(arg))
		}
		if b {
			l.existsTrue = true
		} else {
			l.existsFalse = true
		}
	case "cidr":
		p, err := parseCIDR(arg, path)
		if err != nil {
			return err
		}
		l.preds = append(l.preds, p)
	case "anything-but":
		p, err := parseAnythingBut(arg, path)
		if err != nil {
			return err
		}
		l.anythingBut = append(l.anythingBut, p)
	default:
		return newPatternError(path, "unknown content filter %q (supported: %s)", name, filterNames)
	}
	return nil
}

// onlyEntry returns the key and value of a one-entry map.
func onlyEntry(m map[string]any) (string, any) {
	for k, v := range m {
		return k, v
	}
	return "", nil
}

// parseAffix validates the operand of prefix or suffix: a string, or
// {"equals-ignore-case": string}.
func parseAffix(name string, arg any, path string) (s string, fold bool, err error) {
	switch t := arg.(type) {
	case string:
		return t, false, nil
	case map[string]any:
		if v, ok := t["equals-ignore-case"]; ok && len(t) == 1 {
			if s, ok := v.(string); ok {
				return s, true, nil
			}
		}
	}
	return "", false, newPatternError(path, "%q needs a string or {\"equals-ignore-case\": string}, got %s", name, render(arg))
}

// parseNumeric validates {"numeric": [op, n]} or [op, n, op, n] and turns it
// into an interval.
func parseNumeric(arg any, path string) (numericPred, error) {
	var p numericPred
	arr, ok := arg.([]any)
	if !ok || len(arr) == 0 || len(arr)%2 != 0 {
		return p, newPatternError(path, "\"numeric\" needs pairs of operator and number, got %s", render(arg))
	}
	if len(arr) > 4 {
		return p, newPatternError(path, "\"numeric\" takes one comparison or a range of two (a lower and an upper bound), got %s", render(arg))
	}
	for i := 0; i < len(arr); i += 2 {
		op, okOp := arr[i].(string)
		num, okNum := arr[i+1].(json.Number)
		if !okOp || !okNum {
			return p, newPatternError(path, "\"numeric\" needs pairs of operator and number, got %s", render(arg))
		}
		f, err := parseNumber(num, path)
		if err != nil {
			return p, err
		}
		switch op {
		case "=":
			if len(arr) != 2 {
				return p, newPatternError(path, "\"numeric\": \"=\" cannot be combined with another comparison, got %s", render(arg))
			}
			p = numericPred{lo: f, hi: f, hasLo: true, hasHi: true, loIncl: true, hiIncl: true}
		case ">", ">=":
			if p.hasLo {
				return p, newPatternError(path, "\"numeric\": a range needs one lower bound (> or >=) and one upper bound (< or <=), got %s", render(arg))
			}
			p.lo, p.hasLo, p.loIncl = f, true, op == ">="
		case "<", "<=":
			if p.hasHi {
				return p, newPatternError(path, "\"numeric\": a range needs one lower bound (> or >=) and one upper bound (< or <=), got %s", render(arg))
			}
			p.hi, p.hasHi, p.hiIncl = f, true, op == "<="
		default:
			return p, newPatternError(path, "\"numeric\": unknown operator %q (want one of =, <, <=, >, >=), got %s", op, render(arg))
		}
	}
	if op, _ := arr[0].(string); len(arr) == 4 && (op == "<" || op == "<=") {
		// event-ruler reads a range as lower bound, then upper bound
		// (JsonRuleCompiler.processNumericMatchExpression: "<" or "<="
		// must end the expression), and the user guide writes it so.
		return p, newPatternError(path, "\"numeric\": write the lower bound first, e.g. [\">\", 0, \"<=\", 5]; EventBridge refuses a range that starts with its upper bound, got %s", render(arg))
	}
	if len(arr) == 4 && p.lo >= p.hi {
		return p, newPatternError(path, "\"numeric\": the lower bound must be less than the upper bound, got %s", render(arg))
	}
	return p, nil
}

// parseCIDR validates {"cidr": "10.0.0.0/24"} (IPv4 or IPv6).
func parseCIDR(arg any, path string) (cidrPred, error) {
	s, ok := arg.(string)
	if !ok {
		return cidrPred{}, newPatternError(path, "\"cidr\" needs a string such as \"10.0.0.0/24\", got %s", render(arg))
	}
	prefix, err := netip.ParsePrefix(s)
	if err != nil || prefix.Addr().Zone() != "" {
		return cidrPred{}, newPatternError(path, "\"cidr\": %q is not an IP address block in CIDR notation such as \"10.0.0.0/24\"", s)
	}
	if prefix.Bits() == prefix.Addr().BitLen() {
		// event-ruler (CIDR.cidr) refuses IPv4 masks of 32 and IPv6 masks
		// of 128 bits; an exact value matches the one address instead.
		return cidrPred{}, newPatternError(path, "\"cidr\": %q is a single address, and EventBridge refuses a /%d mask; match the exact address instead: [%q]", s, prefix.Bits(), prefix.Addr().String())
	}
	return cidrPred{prefix: prefix.Masked()}, nil
}

// parseAnythingBut validates the operand of anything-but and returns the
// predicate for the excluded values.
func parseAnythingBut(arg any, path string) (predicate, error) {
	switch t := arg.(type) {
	case string:
		var s exactSet
		s.addString(t)
		return &s, nil
	case json.Number:
		f, err := parseNumber(t, path)
		if err != nil {
			return nil, err
		}
		var s exactSet
		s.addNumber(f)
		return &s, nil
	case []any:
		return parseAnythingButList(t, path)
	case map[string]any:
		return parseAnythingButFilter(t, path)
	}
	return nil, newPatternError(path, "\"anything-but\" needs a string, a number, a list of strings or of numbers, or a prefix, suffix, equals-ignore-case or wildcard filter, got %s", render(arg))
}

// parseAnythingButList validates {"anything-but": [...]}: a non-empty list of
// only strings or only numbers.
func parseAnythingButList(arr []any, path string) (predicate, error) {
	if len(arr) == 0 {
		return nil, newPatternError(path, "\"anything-but\" needs a non-empty list, got []")
	}
	var s exactSet
	_, strs := arr[0].(string)
	for _, e := range arr {
		switch t := e.(type) {
		case string:
			if strs {
				s.addString(t)
				continue
			}
		case json.Number:
			if !strs {
				f, err := parseNumber(t, path)
				if err != nil {
					return nil, err
				}
				s.addNumber(f)
				continue
			}
		}
		return nil, newPatternError(path, "\"anything-but\" list must hold only strings or only numbers, got %s", render(arr))
	}
	return &s, nil
}

// parseAnythingButFilter validates the filter forms of anything-but.
func parseAnythingButFilter(m map[string]any, path string) (predicate, error) {
	if len(m) != 1 {
		return nil, newPatternError(path, "\"anything-but\" filter must have exactly one key (prefix, suffix, equals-ignore-case or wildcard), got %s", render(m))
	}
	name, arg := onlyEntry(m)
	switch name {
	case "prefix", "suffix":
		strs, err := stringOrList(name, arg, path)
		if err != nil {
			return nil, err
		}
		preds := make(anyOf, 0, len(strs))
		for _, s := range strs {
			if s == "" {
				// event-ruler refuses it ("Null prefix/suffix not
				// allowed"): it would exclude every string.
				return nil, newPatternError(path, "\"anything-but\": an empty %q is not allowed (it would exclude every string value); name the %s to exclude, got %s", name, name, render(arg))
			}
			if name == "prefix" {
				preds = append(preds, prefixPred{prefix: s})
			} else {
				preds = append(preds, suffixPred{suffix: s})
			}
		}
		return preds, nil
	case "equals-ignore-case":
		strs, err := stringOrList("equals-ignore-case", arg, path)
		if err != nil {
			return nil, err
		}
		return foldPred(strs), nil
	case "wildcard":
		strs, err := stringOrList("wildcard", arg, path)
		if err != nil {
			return nil, err
		}
		preds := make(anyOf, 0, len(strs))
		for _, s := range strs {
			w, err := compileWildcard(s, path)
			if err != nil {
				return nil, err
			}
			preds = append(preds, w)
		}
		return preds, nil
	}
	return nil, newPatternError(path, "\"anything-but\" does not support %q (supported: prefix, suffix, equals-ignore-case, wildcard)", name)
}

// stringOrList accepts a string or a non-empty list of strings.
func stringOrList(name string, arg any, path string) ([]string, error) {
	switch t := arg.(type) {
	case string:
		return []string{t}, nil
	case []any:
		strs := make([]string, 0, len(t))
		for _, e := range t {
			s, ok := e.(string)
			if !ok {
				break
			}
			strs = append(strs, s)
		}
		if len(t) > 0 && len(strs) == len(t) {
			return strs, nil
		}
	}
	return nil, newPatternError(path, "\"anything-but\": %q needs a string or a non-empty list of strings, got %s", name, render(arg))
}

// compileWildcard validates a wildcard pattern and splits it into the
// literal segments between unescaped stars.
func compileWildcard(pat, path string) (wildcardPred, error) {
	var segs []string
	var cur strings.Builder
	prevStar := false
	for i := 0; i < len(pat); i++ {
		c := pat[i]
		switch c {
		case '*':
			if prevStar {
				return wildcardPred{}, newPatternError(path, "\"wildcard\": consecutive wildcard characters are not allowed, got %s", strconv.Quote(pat))
			}
			segs = append(segs, cur.String())
			cur.Reset()
			prevStar = true
			continue
		case '\\':
			if i+1 == len(pat) {
				return wildcardPred{}, newPatternError(path, "\"wildcard\": %s ends with a lone backslash (write \\\\ for a literal backslash)", strconv.Quote(pat))
			}
			next := pat[i+1]
			if next != '*' && next != '\\' {
				r, _ := utf8.DecodeRuneInString(pat[i+1:])
				return wildcardPred{}, newPatternError(path, "\"wildcard\": invalid escape \\%s in %s (only \\* and \\\\ are allowed)", string(r), strconv.Quote(pat))
			}
			cur.WriteByte(next)
			i++
		default:
			cur.WriteByte(c)
		}
		prevStar = false
	}
	segs = append(segs, cur.String())
	return wildcardPred{segments: segs}, nil
}

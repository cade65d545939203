package config

import (
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"strings"
)

// fieldProblem is one problem in a structured value, at a path below its key.
type fieldProblem struct {
	path string // ".field", "[2]" ... below the key
	msg  string
}

// decodeChecked decodes a structured value (JSON text, as the engine passes
// it) into v after checking it against v's type, so that every problem is
// reported at once with its path, what was found and the fix: misspelt
// fields with a did-you-mean, text where a list or a number belongs, and
// the YAML surprises (an unquoted account ID is a number, yes is text).
func decodeChecked(raw string, v any) []fieldProblem {
	var value any
	if err := json.Unmarshal([]byte(raw), &value); err != nil {
		// The engine passes structured values as JSON; anything else is text.
		value = raw
	}
	var problems []fieldProblem
	check("", value, reflect.TypeOf(v).Elem(), &problems)
	if len(problems) > 0 {
		return problems
	}
	if err := json.Unmarshal([]byte(raw), v); err != nil {
		return []fieldProblem{{msg: fmt.Sprintf("not valid for this key: %v", err)}}
	}
	return nil
}

// check compares a decoded JSON value with the Go type it must fill.
func check(path string, value any, t reflect.Type, problems *[]fieldProblem) {
	add := func(format string, args ...any) {
		*problems = append(*problems, fieldProblem{path: path, msg: fmt.Sprintf(format, args...)})
	}
	switch t.Kind() {
	case reflect.Struct:
		m, ok := value.(map[string]any)
		if !ok {
			add("found %s, expected a mapping of fields; write it as YAML key: value lines (see docs/configuration.md)", describe(value))
			return
		}
		fields := map[string]reflect.StructField{}
		var names []string
		for i := range t.NumField() {
			f := t.Field(i)
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if name != "" && name != "-" {
				fields[name] = f
				names = append(names, name)
			}
		}
		for _, k := range sortedKeys(m) {
			f, ok := fields[k]
			if !ok {
				*problems = append(*problems, fieldProblem{path: path + "." + k, msg: fmt.Sprintf("unknown field%s; fields here: %s", suggest(k, names), strings.Join(names, ", "))})
				continue
			}
			check(path+"."+k, m[k], f.Type, problems)
		}
	case reflect.Map:
		m, ok := value.(map[string]any)
		if !ok {
			add("found %s, expected a mapping; write it as YAML key: value lines", describe(value))
			return
		}
		for _, k := range sortedKeys(m) {
			check(path+"."+k, m[k], t.Elem(), problems)
		}
	case reflect.Slice:
		list, ok := value.([]any)
		if !ok {
			add("found %s, expected a list; write it as a YAML list (- item lines, or [a, b])", describe(value))
			return
		}
		for i, e := range list {
			check(fmt.Sprintf("%s[%d]", path, i), e, t.Elem(), problems)
		}
	case reflect.String:
		switch v := value.(type) {
		case string:
		case float64:
			add("found the number %s, expected text; quote it in YAML (\"%s\"): an unquoted account ID or digit string is read as a number", formatNumber(v), formatNumber(v))
		case bool:
			add("found %t, expected text; quote it in YAML (\"%t\")", v, v)
		default:
			add("found %s, expected text", describe(value))
		}
	case reflect.Bool:
		switch v := value.(type) {
		case bool:
		case string:
			add("found the text %q, expected true or false; write true or false unquoted (YAML 1.2 reads yes, no, on and off as text)", v)
		default:
			add("found %s, expected true or false", describe(value))
		}
	case reflect.Int:
		if f, ok := value.(float64); !ok || f != math.Trunc(f) {
			add("found %s, expected a whole number; write it unquoted, e.g. 365", describe(value))
		}
	case reflect.Float64:
		if _, ok := value.(float64); !ok {
			add("found %s, expected a number; write it unquoted, e.g. 7.0", describe(value))
		}
	}
}

// describe names a decoded JSON value for a message.
func describe(v any) string {
	switch v := v.(type) {
	case nil:
		return "nothing (null)"
	case string:
		return fmt.Sprintf("the text %q", v)
	case float64:
		return "the number " + formatNumber(v)
	case bool:
		return fmt.Sprintf("%t", v)
	case []any:
		return "a list"
	case map[string]any:
		return "a mapping"
	}
	return fmt.Sprintf("%v", v)
}

func formatNumber(f float64) string {
	if f == math.Trunc(f) && math.Abs(f) < 1e15 {
		return fmt.Sprintf("%.0f", f)
	}
	return fmt.Sprint(f)
}

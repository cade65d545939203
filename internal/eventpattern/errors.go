package eventpattern

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// patternError is an invalid-pattern error located by a JSON path such as
// detail.$or[1].severity.
type patternError struct {
	path string // empty for the pattern as a whole
	msg  string
}

func (e *patternError) Error() string {
	if e.path == "" {
		return "event pattern: " + e.msg
	}
	return "event pattern: " + e.path + ": " + e.msg
}

func newPatternError(path, format string, args ...any) error {
	return &patternError{path: path, msg: fmt.Sprintf(format, args...)}
}

// childPath appends a key to a JSON path. Plain keys are joined with dots;
// keys that would make the path ambiguous are written as ["key"].
func childPath(parent, key string) string {
	if !isPlainKey(key) {
		return parent + "[" + strconv.Quote(key) + "]"
	}
	if parent == "" {
		return key
	}
	return parent + "." + key
}

// indexPath appends an array index to a JSON path.
func indexPath(parent string, i int) string {
	return parent + "[" + strconv.Itoa(i) + "]"
}

func isPlainKey(key string) bool {
	if key == "" {
		return false
	}
	for _, r := range key {
		if r <= ' ' || r == 0x7f || strings.ContainsRune(`."[]\`, r) {
			return false
		}
	}
	return true
}

// maxRender bounds how much of an offending value an error message echoes.
const maxRender = 120

// render formats a decoded pattern value as readable JSON for error messages,
// e.g. ["<", "x"]. Unlike json.Marshal it does not escape <, > and &, and it
// truncates long values.
func render(v any) string {
	var b strings.Builder
	renderTo(&b, v)
	s := b.String()
	if len(s) > maxRender {
		cut := maxRender
		for cut > 0 && !isRuneStart(s[cut]) {
			cut--
		}
		s = s[:cut] + "…"
	}
	return s
}

func isRuneStart(c byte) bool { return c&0xC0 != 0x80 }

func renderTo(b *strings.Builder, v any) {
	// Stop early: only the first maxRender bytes are shown anyway, and
	// patterns may be deeply nested.
	if b.Len() > maxRender {
		return
	}
	switch t := v.(type) {
	case nil:
		b.WriteString("null")
	case bool:
		b.WriteString(strconv.FormatBool(t))
	case json.Number:
		b.WriteString(string(t))
	case string:
		b.WriteString(strconv.Quote(t))
	case []any:
		b.WriteByte('[')
		for i, e := range t {
			if i > 0 {
				b.WriteString(", ")
			}
			renderTo(b, e)
			if b.Len() > maxRender {
				return
			}
		}
		b.WriteByte(']')
	case map[string]any:
		b.WriteByte('{')
		for i, k := range sortedKeys(t) {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(strconv.Quote(k))
			b.WriteString(": ")
			renderTo(b, t[k])
			if b.Len() > maxRender {
				return
			}
		}
		b.WriteByte('}')
	default:
		fmt.Fprintf(b, "%v", t)
	}
}

// sortedKeys returns the keys of m in order, so that validation reports the
// same error for the same pattern every time.
func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

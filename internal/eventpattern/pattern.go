package eventpattern

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// Pattern is a validated EventBridge event pattern.
//
// Create one with [Parse]; the zero value matches nothing and Match reports
// an error for it. A Pattern is immutable and safe for concurrent use.
type Pattern struct {
	root *object
}

// Parse validates an event pattern (JSON text) the way EventBridge does and
// returns it ready to match.
//
// Errors start with "event pattern:" and name the JSON path of the offending
// field, for example
//
//	event pattern: detail.severity: "numeric" needs pairs of operator and number, got ["<", "x"]
func Parse(pattern []byte) (*Pattern, error) {
	v, err := decodeJSON(pattern)
	if err != nil {
		return nil, fmt.Errorf("event pattern: invalid JSON: %w", err)
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, newPatternError("", "must be a JSON object, got %s", render(v))
	}
	root, err := parseObject(m, "")
	if err != nil {
		return nil, err
	}
	return &Pattern{root: root}, nil
}

// Match reports whether an event (JSON text) matches the pattern. An event
// that is not a JSON object is an error.
func (p *Pattern) Match(event []byte) (bool, error) {
	if p == nil || p.root == nil {
		return false, errors.New("eventpattern: Match on a Pattern not created by Parse")
	}
	v, err := decodeJSON(event)
	if err != nil {
		return false, fmt.Errorf("event: invalid JSON: %w", err)
	}
	m, ok := v.(map[string]any)
	if !ok {
		return false, fmt.Errorf("event: must be a JSON object, got %s", kindOf(v))
	}
	return p.root.matchFields(m), nil
}

// decodeJSON decodes exactly one JSON value, keeping numbers as json.Number
// so that their text is available for error messages and nothing is lost
// before numeric comparison.
func decodeJSON(data []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, errors.New("no JSON value")
		}
		return nil, err
	}
	// Decode stops after the first value; anything but whitespace after it
	// means the input is not a single JSON document.
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, errors.New("unexpected data after the top-level value")
	}
	return v, nil
}

// kindOf names the JSON type of a decoded value, for errors about events,
// which may be large and should not be echoed back.
func kindOf(v any) string {
	switch v.(type) {
	case map[string]any:
		return "object"
	case []any:
		return "array"
	case string:
		return "string"
	case json.Number:
		return "number"
	case bool:
		return "boolean"
	case nil:
		return "null"
	default:
		return fmt.Sprintf("%T", v)
	}
}

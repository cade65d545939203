// Package jsondoc writes the JSON documents the program hands to AWS (event
// patterns, policies, rule parameters, templates) as people read them.
//
// encoding/json's Marshal escapes <, > and & as \u003c, \u003e and \u0026, so
// that its output can sit inside HTML. AWS parses either form alike, but
// `pulumi preview`, the plan and the AWS console then show a pattern's ">="
// as "\u003e=". Every JSON document that becomes a resource input is written
// here, without that escaping.
package jsondoc

import (
	"bytes"
	"encoding/json"
)

// Marshal is json.Marshal without HTML escaping.
func Marshal(v any) (string, error) { return MarshalIndent(v, "") }

// MarshalIndent is json.MarshalIndent without HTML escaping; an empty indent
// writes the document on one line.
func MarshalIndent(v any, indent string) (string, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", indent)
	if err := enc.Encode(v); err != nil {
		return "", err
	}
	return string(bytes.TrimSuffix(b.Bytes(), []byte("\n"))), nil
}

// MustMarshal is Marshal for values built from plain strings, numbers, maps
// and slices, which cannot fail to marshal.
func MustMarshal(v any) string {
	s, err := Marshal(v)
	if err != nil {
		panic("jsondoc: " + err.Error())
	}
	return s
}

package jsondoc_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/example/landing-zone-audit/internal/jsondoc"
)

// encoding/json escapes <, > and & for HTML ("String values encode as JSON
// strings coerced to valid UTF-8 ... '<', '>', '&' ... escaped", package
// encoding/json, Marshal); jsondoc keeps them, and the document still
// decodes to the same value.
func TestMarshalKeepsOperators(t *testing.T) {
	t.Parallel()
	v := map[string]any{"severity": []any{map[string]any{"numeric": []any{">=", 7}}}, "note": "a && b < c"}
	got, err := jsondoc.Marshal(v)
	require.NoError(t, err)
	assert.Equal(t, `{"note":"a && b < c","severity":[{"numeric":[">=",7]}]}`, got)
	std, err := json.Marshal(v)
	require.NoError(t, err)
	assert.Contains(t, string(std), `\u003e=`, "the standard library escapes what jsondoc keeps")
	var back, want any
	require.NoError(t, json.Unmarshal([]byte(got), &back))
	require.NoError(t, json.Unmarshal(std, &want))
	assert.Equal(t, want, back)

	indented, err := jsondoc.MarshalIndent(map[string]any{"a": "<b>"}, "  ")
	require.NoError(t, err)
	assert.Equal(t, "{\n  \"a\": \"<b>\"\n}", indented)

	_, err = jsondoc.Marshal(func() {})
	assert.Error(t, err)
	assert.Panics(t, func() { jsondoc.MustMarshal(make(chan int)) })
}

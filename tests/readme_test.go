package tests

import (
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/workspace"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/example/landing-zone-audit/config"
)

// Every config key is in the configuration reference (docs/configuration.md), and every
// field of an object key's default is in its table with the default
// Pulumi.yaml declares (which TestProjectDefaultsAreTheProgramDefaults
// ties to config.Defaults()).
func TestREADMEDocumentsEveryKey(t *testing.T) {
	t.Parallel()
	readme, err := os.ReadFile("../docs/configuration.md")
	require.NoError(t, err)
	text := string(readme)
	project, err := workspace.LoadProject(projectFile)
	require.NoError(t, err)
	for _, key := range config.Keys() {
		t.Run(key, func(t *testing.T) {
			assert.Regexp(t, "`"+regexp.QuoteMeta(key)+"[`.]", text, "the README names the key")
			def, ok := project.Config[key].Default.(map[string]any)
			if !ok {
				return
			}
			for field, value := range def {
				row := regexp.MustCompile("(?m)^\\| [^|\\n]*[`.]" + regexp.QuoteMeta(field) + "`[^|\\n]*\\| ([^|\\n]*)\\|")
				m := row.FindAllStringSubmatch(section(text, key), -1)
				if !assert.NotEmpty(t, m, "%s.%s: a table row in the README", key, field) {
					continue
				}
				want, ok := defaultText(value)
				if !ok {
					continue // a structured default is described in words or YAML
				}
				found := false
				for _, cells := range m {
					found = found || strings.Contains(cells[1], want)
				}
				assert.True(t, found, "%s.%s: the README's default should read %s", key, field, want)
			}
		})
	}
}

// defaultText is how the README writes a scalar or empty default: `value`.
func defaultText(v any) (string, bool) {
	switch v := v.(type) {
	case string:
		if v == "" {
			return "`\"\"`", true
		}
		return "`" + v + "`", true
	case []any:
		return "`[]`", len(v) == 0
	case map[string]any:
		return "", false
	default:
		return fmt.Sprintf("`%v`", v), true
	}
}

// section is the part of the README under the heading that names key (to
// the next heading), or the whole README when no heading names it.
func section(text, key string) string {
	heading := regexp.MustCompile("(?m)^###? .*`" + regexp.QuoteMeta(key) + "`.*$").FindStringIndex(text)
	if heading == nil {
		return text
	}
	rest := text[heading[1]:]
	if next := regexp.MustCompile("(?m)^###? ").FindStringIndex(rest); next != nil {
		rest = rest[:next[0]]
	}
	return rest
}

package tests

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"testing"

	pkgworkspace "github.com/pulumi/pulumi/pkg/v3/workspace"
	"github.com/pulumi/pulumi/sdk/v3/go/common/esc"
	pulumiconfig "github.com/pulumi/pulumi/sdk/v3/go/common/resource/config"
	"github.com/pulumi/pulumi/sdk/v3/go/common/workspace"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/example/landing-zone-audit/config"
	"github.com/example/landing-zone-audit/internal/stackfile"
)

// minimalStack is a stack file that sets only the keys Pulumi.yaml declares
// without a default.
const minimalStack = `config:
  landing-zone-audit:organizationId: o-minimal0001
  landing-zone-audit:resourcePrefix: mini
  landing-zone-audit:homeRegion: eu-west-1
  landing-zone-audit:governedRegions: [eu-west-1]
  landing-zone-audit:accounts:
    management: {id: "111111111111", email: aws-management@example.com}
    security: {id: "222222222222"}
    logArchive: {id: "333333333333"}
`

func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	require.NoError(t, os.WriteFile(path, []byte(content), 0o644))
	return path
}

// Pulumi's own loaders and config validation (the code `pulumi preview`
// runs before the program starts) accept every example stack file and a
// minimal one, and the program plans each.
func TestStackFilesPassPulumiValidation(t *testing.T) {
	t.Parallel()
	files := append(slices.Clone(exampleStackFiles), writeFile(t, t.TempDir(), "Pulumi.minimal.yaml", minimalStack))
	for _, path := range files {
		t.Run(filepath.Base(path), func(t *testing.T) {
			t.Parallel()
			requirePulumiAccepts(t, path)
			runPlan(t, loadStackFile(t, path))
		})
	}
}

// requirePulumiAccepts loads the stack file at path and its project with
// Pulumi's loaders and validates its config as `pulumi preview` does;
// secret values are blinded, as offline they cannot be decrypted.
func requirePulumiAccepts(t *testing.T, path string) {
	t.Helper()
	projectPath, err := stackfile.ProjectFile(path)
	require.NoError(t, err)
	project, err := workspace.LoadProject(projectPath)
	require.NoError(t, err)
	ps, err := workspace.LoadProjectStack(nil, project, path)
	require.NoError(t, err)
	name, ok := stackfile.StackName(path)
	require.True(t, ok, "%s: Pulumi reads a stack file named Pulumi.<stack>.yaml", path)
	require.NoError(t, pkgworkspace.ValidateStackConfigAndApplyProjectConfig(context.Background(), name, project,
		esc.Value{}, ps.Config, pulumiconfig.NopEncrypter, pulumiconfig.NewBlindingDecrypter()))
}

// Pulumi treats a project key without default as required: exactly the
// program's required keys are declared so, every key the program reads is
// declared and documented, and nothing else is.
func TestProjectDeclaresEveryKey(t *testing.T) {
	t.Parallel()
	project, err := workspace.LoadProject(projectFile)
	require.NoError(t, err)
	var declared, required []string
	for key, typ := range project.Config {
		declared = append(declared, key)
		assert.NotEmpty(t, typ.Description, "%s: every key is documented for `pulumi config`", key)
		assert.True(t, typ.IsExplicitlyTyped(), "%s: typed, so Pulumi checks stack values", key)
		if typ.Default == nil && typ.Value == nil {
			required = append(required, key)
		}
	}
	sort.Strings(declared)
	sort.Strings(required)
	assert.Equal(t, sorted(config.Keys()), declared)
	assert.Equal(t, sorted(config.RequiredKeys()), required)
}

func sorted(s []string) []string {
	out := slices.Clone(s)
	sort.Strings(out)
	return out
}

// Every default Pulumi.yaml declares is the program's own: for each key, the
// configuration with Pulumi's default applied (as `pulumi preview` hands it
// over) equals the configuration with the key left to config.Defaults().
func TestProjectDefaultsAreTheProgramDefaults(t *testing.T) {
	t.Parallel()
	src := loadStackFile(t, writeFile(t, t.TempDir(), "Pulumi.minimal.yaml", minimalStack))
	withDefaults, err := config.Load(src)
	require.NoError(t, err)
	project, err := workspace.LoadProject(projectFile)
	require.NoError(t, err)
	for key, typ := range project.Config {
		if typ.Default == nil {
			continue
		}
		t.Run(key, func(t *testing.T) {
			require.Contains(t, src.Values, ns+key, "Pulumi applied the default")
			programDefault, err := config.Load(without(src, key))
			require.NoError(t, err)
			assert.Equal(t, programDefault, withDefaults, "Pulumi.yaml's default for %s differs from config.Defaults()", key)
		})
	}
}

// A stack file the CLI would refuse is refused offline with Pulumi's
// message, the fix, and every problem the program finds besides.
func TestRefusedStackFiles(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	cases := []struct {
		name, content string
		want          []string
	}{
		{"missing keys", "config:\n  landing-zone-audit:resourcePrefix: acme\n",
			[]string{"Pulumi refuses this stack", "Stack 'missing' is missing configuration values 'accounts', 'governedRegions', 'homeRegion' and 'organizationId'", "set each of them under config:"}},
		{"wrong type", "config:\n  landing-zone-audit:organizationId: o-exampleorg1\n  landing-zone-audit:resourcePrefix: acme\n  landing-zone-audit:homeRegion: eu-west-2\n  landing-zone-audit:governedRegions: eu-west-2\n  landing-zone-audit:accounts: {}\n",
			[]string{"configuration key 'governedRegions' must be of type 'array<string>'", "a YAML list for array keys",
				`landing-zone-audit:governedRegions: found the text "eu-west-2", expected a list`}},
		{"no config", "secretsprovider: passphrase\n", []string{"no config: section"}},
		{"environment", "environment:\n  - org/audit\nconfig:\n  landing-zone-audit:resourcePrefix: acme\n", []string{"Pulumi ESC environments", "not available offline"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			name := "missing"
			path := writeFile(t, dir, "Pulumi."+name+"-"+filepath.Base(t.Name())+".yaml", tc.content)
			_, err := stackfile.Load(projectFile, path, name, io.Discard)
			require.Error(t, err)
			for _, w := range tc.want {
				assert.Contains(t, err.Error(), w)
			}
		})
	}
}

// Keys without a namespace are the project's, as Pulumi reads them; a
// renamed project reads its own namespace; secure values read as secrets.
func TestStackFileNamespacesAndSecrets(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	example, err := os.ReadFile("../Pulumi.prod.yaml")
	require.NoError(t, err)
	t.Run("keys without namespace", func(t *testing.T) {
		t.Parallel()
		bare := bytes.ReplaceAll(example, []byte("landing-zone-audit:"), nil)
		src := loadStackFile(t, writeFile(t, t.TempDir(), "Pulumi.prod.yaml", string(bare)))
		assert.Equal(t, "o-exampleorg1", src.Values[ns+"organizationId"])
		runPlan(t, src)
	})
	t.Run("renamed project", func(t *testing.T) {
		t.Parallel()
		projectYAML, err := os.ReadFile(projectFile)
		require.NoError(t, err)
		sub := filepath.Join(dir, "renamed")
		require.NoError(t, os.MkdirAll(sub, 0o755))
		writeFile(t, sub, "Pulumi.yaml", string(bytes.Replace(projectYAML, []byte("name: landing-zone-audit"), []byte("name: audit-layer"), 1)))
		stackPath := writeFile(t, sub, "Pulumi.prod.yaml", string(bytes.ReplaceAll(example, []byte("landing-zone-audit:"), []byte("audit-layer:"))))
		projectPath, err := stackfile.ProjectFile(stackPath)
		require.NoError(t, err)
		st, err := stackfile.Load(projectPath, stackPath, "prod", io.Discard)
		require.NoError(t, err)
		src, err := st.Source()
		require.NoError(t, err)
		assert.Equal(t, "audit-layer", src.Project)
		p := runPlan(t, src)
		assert.Contains(t, p.Resources[0].URN, "::audit-layer::", "URNs carry the project's name")
		src.Values["audit-layer:resourcePrefix"] = "Bad Prefix"
		_, err = config.Load(src)
		assert.ErrorContains(t, err, "audit-layer:resourcePrefix:", "problems name the key in the project's namespace")
	})
	t.Run("secure values", func(t *testing.T) {
		t.Parallel()
		secured := bytes.Replace(example, []byte("  landing-zone-audit:alertEmails:\n    - security-alerts@example.com\n"),
			[]byte("  landing-zone-audit:alertEmails:\n    - secure: c2VjdXJpdHktYWxlcnRz\n"), 1) // base64, as Pulumi Cloud writes it
		require.NotEqual(t, example, secured)
		src := loadStackFile(t, writeFile(t, t.TempDir(), "Pulumi.prod.yaml", string(secured)))
		assert.Equal(t, []string{ns + "alertEmails"}, src.Secret)
		p := runPlan(t, src)
		assert.Equal(t, "[secret]", one(t, p, typeSubscription, "alerts-email-0").Inputs["endpoint"], "shown as a secret, never in plain text")
	})
	t.Run("secret that names resources", func(t *testing.T) {
		t.Parallel()
		secured := bytes.Replace(example, []byte("landing-zone-audit:resourcePrefix: acme"), []byte("landing-zone-audit:resourcePrefix: {secure: YWNtZQ==}"), 1)
		src := loadStackFile(t, writeFile(t, t.TempDir(), "Pulumi.prod.yaml", string(secured)))
		_, err := config.Load(src)
		assert.ErrorContains(t, err, "landing-zone-audit:resourcePrefix: is a secret, but its value names resources")
	})
}

// Type errors in a stack file name the path, what was found and the fix,
// every one at once: an unquoted account ID (YAML reads it as a number),
// yes for a boolean (YAML 1.2 reads it as text), nested typos with a
// did-you-mean.
func TestStackFileTypeErrors(t *testing.T) {
	t.Parallel()
	path := writeFile(t, t.TempDir(), "Pulumi.typos.yaml", `config:
  landing-zone-audit:organizationId: o-exampleorg1
  landing-zone-audit:resourcePrefix: acme
  landing-zone-audit:homeRegion: eu-west-2
  landing-zone-audit:governedRegions: [eu-west-2]
  landing-zone-audit:accounts:
    management: {id: "111111111111", email: aws-management@example.com}
    security: {id: "222222222222"}
    logArchive: {id: "333333333333"}
    prod: {id: 444444444444, emial: prod@example.com}
  landing-zone-audit:cloudTrailLake:
    enabled: yes
  landing-zone-audit:alarms:
    elevatedRoles:
      - roleNme: elevated-security-role
`)
	code, stdout, stderr := runCLI(t, "", "plan", "--config", path)
	require.Equal(t, 2, code)
	require.Empty(t, stdout)
	for _, want := range []string{
		`landing-zone-audit:accounts.prod.id: found the number 444444444444, expected text; quote it in YAML ("444444444444")`,
		`landing-zone-audit:accounts.prod.emial: unknown field (did you mean "email"?)`,
		`landing-zone-audit:cloudTrailLake.enabled: found the text "yes", expected true or false`,
		`landing-zone-audit:alarms.elevatedRoles[0].roleNme: unknown field (did you mean "roleName"?)`,
	} {
		assert.Contains(t, stderr, want)
	}
	t.Run("empty file", func(t *testing.T) {
		t.Parallel()
		_, err := stackfile.Load(projectFile, writeFile(t, t.TempDir(), "Pulumi.empty.yaml", ""), "empty", io.Discard)
		assert.ErrorContains(t, err, "no config: section")
	})
}

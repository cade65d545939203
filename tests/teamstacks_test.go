package tests

import (
	"context"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/pulumi/pulumi/pkg/v3/secrets/passphrase"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"

	"github.com/example/landing-zone-audit/internal/stackfile"
)

// teamStackFiles are the stack files in dir other than the repository's
// examples: a team's own stacks, whatever their names.
func teamStackFiles(t *testing.T, dir string) []string {
	t.Helper()
	matches, err := filepath.Glob(filepath.Join(dir, "Pulumi.*"))
	require.NoError(t, err)
	var examples []string
	for _, f := range exampleStackFiles {
		examples = append(examples, filepath.Base(f))
	}
	var out []string
	for _, m := range matches {
		if _, ok := stackfile.StackName(m); ok && !slices.Contains(examples, filepath.Base(m)) {
			out = append(out, m)
		}
	}
	return out
}

// A team's own stack files beside the examples pass what `pulumi preview`
// checks before the program runs, plan offline, and deploy under Pulumi's
// engine (preview, up, a second up that changes nothing). Their secrets
// are read as the offline plan reads them: neither the passphrase nor the
// cloud key is here.
func TestTeamStackFiles(t *testing.T) {
	t.Parallel()
	files := teamStackFiles(t, filepath.Dir(projectFile))
	if len(files) == 0 {
		t.Skip("no stack files besides the examples")
	}
	for _, path := range files {
		t.Run(filepath.Base(path), func(t *testing.T) {
			t.Parallel()
			requireTeamStack(t, path)
		})
	}
}

func requireTeamStack(t *testing.T, path string) {
	t.Helper()
	requirePulumiAccepts(t, path)
	runPlan(t, loadStackFile(t, path))
	requireLifecycle(t, newEngineStack(t, path))
}

// teamPagingURL is the secret of the team stack: an integration URL is a credential.
const teamPagingURL = "https://events.pagerduty.com/integration/0123456789abcdef/enqueue"

// writePassphraseStack writes the stack file `pulumi stack init` and
// `pulumi config set --secret --path paging.url` leave under the passphrase
// secrets provider: the salt Pulumi's passphrase manager generates and the
// URL as that manager's ciphertext. It returns the file's path.
func writePassphraseStack(t *testing.T, dir, name string, cfg map[string]any) string {
	t.Helper()
	salt, sm, err := passphrase.NewPassphraseSecretsManager("correct horse battery staple")
	require.NoError(t, err)
	ciphertext, err := sm.Encrypter().EncryptValue(context.Background(), teamPagingURL)
	require.NoError(t, err)
	cfg = maps.Clone(cfg)
	cfg[ns+"paging"] = map[string]any{"url": map[string]any{"secure": ciphertext}}
	data, err := yaml.Marshal(map[string]any{"encryptionsalt": salt, "config": cfg})
	require.NoError(t, err)
	path := filepath.Join(dir, "Pulumi."+name+".yaml")
	require.NoError(t, os.WriteFile(path, data, 0o644))

	// The file holds a real ciphertext: Pulumi's passphrase manager, given
	// the salt from the file, decrypts it back.
	again, err := passphrase.GetPassphraseSecretsManager("correct horse battery staple", salt)
	require.NoError(t, err)
	plain, err := again.Decrypter().DecryptValue(context.Background(), ciphertext)
	require.NoError(t, err)
	require.Equal(t, teamPagingURL, plain)
	return path
}

// A team adds its own stack beside the examples, named as it likes, in
// StackSet mode (17 accounts, three regions), with a paging URL set by
// `pulumi config set --secret` under the passphrase provider. The tests
// that judge the examples still judge exactly the examples, and the team's
// stack is found and passes the checks TestTeamStackFiles runs. (Tests
// that ran every Pulumi.*.yaml through the base64 secrets manager failed
// such a stack with "illegal base64"; one expected every StackSet stack to
// be named like Pulumi.large.yaml.)
func TestTeamStackBesideTheExamples(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	for _, f := range append([]string{projectFile}, exampleStackFiles...) {
		data, err := os.ReadFile(f)
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(filepath.Join(dir, filepath.Base(f)), data, 0o644))
	}
	team := writePassphraseStack(t, dir, "acme-org-production", scaleConfig(17, 3, "stackset"))

	assert.Equal(t, []string{team}, teamStackFiles(t, dir), "the team's stack, and only it, is a team stack")
	for _, f := range exampleStackFiles {
		assert.FileExists(t, filepath.Join(dir, filepath.Base(f)), "every example is still an example")
	}
	requireTeamStack(t, team)

	// The secret reaches the engine as a secret.
	s := newEngineStack(t, team)
	_, err := s.up()
	require.NoError(t, err)
	var https int
	for _, r := range s.snap.Resources {
		if string(r.Type) == typeSubscription && r.Inputs["protocol"].StringValue() == "https" {
			https++
			assert.True(t, r.Inputs["endpoint"].IsSecret(), "%s: the paging URL stays secret", r.URN)
		}
	}
	assert.NotZero(t, https, "the paging subscriptions exist")
}

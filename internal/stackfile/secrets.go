package stackfile

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"sort"
	"strings"

	pulumiconfig "github.com/pulumi/pulumi/sdk/v3/go/common/resource/config"
	"github.com/pulumi/pulumi/sdk/v3/go/common/workspace"

	"github.com/example/landing-zone-audit/config"
)

// checkCiphertexts refuses, by key, every secure: value that the stack's
// secrets provider could not decrypt because it is no ciphertext of that
// provider's kind: `pulumi preview` would stop with "failed to decrypt
// configuration key". Offline the plan cannot decrypt (it has neither the
// passphrase nor the cloud key), but the shape of a ciphertext is Pulumi's
// own: the passphrase and cloud-KMS providers write v1:<nonce>:<ciphertext>
// (symmetricCrypter in sdk/go/common/resource/config/crypt.go, AES-256-GCM
// with a 12-byte nonce), Pulumi Cloud writes base64 (pkg/secrets/service).
func checkCiphertexts(path string, ps *workspace.ProjectStack) error {
	kind, check := ciphertextShape(ps)
	var keys []string
	for k, v := range ps.Config {
		if v.Secure() {
			keys = append(keys, k.String())
		}
	}
	sort.Strings(keys)
	var errs []error
	for _, key := range keys {
		k, err := pulumiconfig.ParseKey(key)
		if err != nil {
			continue // Pulumi's loader refuses the key itself
		}
		if _, err := ps.Config[k].Value(shapeChecker(check)); err != nil {
			errs = append(errs, fmt.Errorf("%s: %s: the secure: value is not a ciphertext of this stack's secrets provider (%s: %v); pulumi preview would stop (\"failed to decrypt configuration key\"); set it with pulumi config set --secret [--path] KEY VALUE, which encrypts it, rather than writing secure: by hand", path, key, kind, err))
		}
	}
	return errors.Join(errs...)
}

// ciphertextShape names the stack's secrets provider, as Pulumi chooses it
// from the stack file, and the check its ciphertexts pass.
func ciphertextShape(ps *workspace.ProjectStack) (string, func(string) error) {
	switch {
	case ps.EncryptionSalt != "" || ps.SecretsProvider == "passphrase":
		return "passphrase, which writes v1:<nonce>:<ciphertext>", symmetricShape
	case ps.EncryptedKey != "" || strings.Contains(ps.SecretsProvider, "://"):
		return "a cloud key (" + ps.SecretsProvider + "), which writes v1:<nonce>:<ciphertext>", symmetricShape
	}
	return "Pulumi Cloud, which writes base64", func(ct string) error {
		if _, err := base64.StdEncoding.DecodeString(ct); err != nil || ct == "" {
			return errors.New("not base64")
		}
		return nil
	}
}

// symmetricShape checks a v1:<nonce>:<ciphertext> value as symmetricCrypter
// reads it before it decrypts.
func symmetricShape(ct string) error {
	parts := strings.Split(ct, ":")
	if len(parts) != 3 || parts[0] != "v1" {
		return errors.New("not v1:<nonce>:<ciphertext>")
	}
	nonce, err := base64.StdEncoding.DecodeString(parts[1])
	if err != nil || len(nonce) != 12 {
		return errors.New("the nonce is not 12 bytes of base64")
	}
	if _, err := base64.StdEncoding.DecodeString(parts[2]); err != nil || parts[2] == "" {
		return errors.New("the ciphertext is not base64")
	}
	return nil
}

// shapeChecker is a decrypter that checks each ciphertext's shape and
// blinds its value.
type shapeChecker func(string) error

func (c shapeChecker) DecryptValue(_ context.Context, ct string) (string, error) {
	if err := c(ct); err != nil {
		return "", err
	}
	return config.SecretPlaceholder, nil
}

func (c shapeChecker) BatchDecrypt(ctx context.Context, cts []string) ([]string, error) {
	return pulumiconfig.DefaultBatchDecrypt(ctx, c, cts)
}

// Package stackfile reads a project's stack files with Pulumi's own loaders
// and config validation — the code `pulumi preview` runs before it starts the
// program — so the offline commands and the tests see exactly the
// configuration the engine would hand over, and refuse exactly the stacks
// the CLI refuses.
package stackfile

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	pkgworkspace "github.com/pulumi/pulumi/pkg/v3/workspace"
	"github.com/pulumi/pulumi/sdk/v3/go/common/diag"
	"github.com/pulumi/pulumi/sdk/v3/go/common/diag/colors"
	"github.com/pulumi/pulumi/sdk/v3/go/common/esc"
	pulumiconfig "github.com/pulumi/pulumi/sdk/v3/go/common/resource/config"
	"github.com/pulumi/pulumi/sdk/v3/go/common/workspace"

	"github.com/example/landing-zone-audit/config"
)

// Stack is one stack file, loaded and merged with the project's config the
// way the Pulumi CLI does it.
type Stack struct {
	Name    string
	Project *workspace.Project
	// Config is the stack's configuration with the project's defaults applied
	// (secure values stay encrypted).
	Config pulumiconfig.Map
}

// Source is the configuration as the engine passes it to the program. Secret
// values, which cannot be decrypted offline, read as config.SecretPlaceholder.
func (s *Stack) Source() (config.Source, error) {
	return SourceOf(s.Project.Name.String(), s.Config, pulumiconfig.NewBlindingDecrypter())
}

// SourceOf turns a Pulumi config map into what the engine hands the program:
// every value decrypted to text (objects and lists as JSON) and the list of
// secret keys.
func SourceOf(project string, m pulumiconfig.Map, dec pulumiconfig.Decrypter) (config.Source, error) {
	values, err := m.Decrypt(dec)
	if err != nil {
		return config.Source{}, err
	}
	src := config.Source{Project: project, Values: make(map[string]string, len(values))}
	for k, v := range values {
		src.Values[k.String()] = v
	}
	for k, v := range m {
		if v.Secure() {
			src.Secret = append(src.Secret, k.String())
		}
	}
	sort.Strings(src.Secret)
	return src, nil
}

// ProjectFile finds the Pulumi.yaml that governs stackPath: the one beside
// it, or else the one the CLI would find from the working directory.
func ProjectFile(stackPath string) (string, error) {
	if p, err := workspace.DetectProjectPathFrom(filepath.Dir(stackPath)); err == nil && p != "" {
		return p, nil
	}
	p, err := workspace.DetectProjectPath()
	if err != nil || p == "" {
		return "", errors.New("no Pulumi.yaml beside the stack file or above the working directory; run from the project directory")
	}
	return p, nil
}

// StackName returns NAME for a file called Pulumi.NAME.yaml (or .yml, .json).
func StackName(path string) (string, bool) {
	name, ok := strings.CutPrefix(filepath.Base(path), "Pulumi.")
	if !ok {
		return "", false
	}
	for _, ext := range []string{".yaml", ".yml", ".json"} {
		if n, ok := strings.CutSuffix(name, ext); ok && n != "" {
			return n, true
		}
	}
	return "", false
}

// Load reads the project file and the stack file with Pulumi's loaders,
// applies the project's defaults and validates the stack config as
// `pulumi preview` does. Warnings Pulumi's loader prints go to warn. Where
// Pulumi refuses the stack, the error carries Pulumi's message and the fix.
func Load(projectPath, stackPath, stackName string, warn io.Writer) (*Stack, error) {
	project, err := workspace.LoadProject(projectPath)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", projectPath, err)
	}
	// Pulumi treats a missing stack file as an empty stack; offline, a
	// missing file is a mistyped path.
	if _, err := os.Stat(stackPath); err != nil {
		return nil, err
	}
	sink := diag.DefaultSink(warn, warn, diag.FormatOptions{Color: colors.Never})
	ps, err := workspace.LoadProjectStack(sink, project, stackPath)
	if err != nil {
		return nil, fmt.Errorf("%s: %w; it must be a YAML mapping with a config: section", stackPath, err)
	}
	if ps.Environment != nil && len(ps.Environment.Definition()) > 0 {
		return nil, fmt.Errorf("%s: environment: Pulumi ESC environments are resolved by Pulumi Cloud and are not available offline; copy the values the stack needs into its config: section to plan it", stackPath)
	}
	if len(ps.Config) == 0 {
		return nil, fmt.Errorf("%s: no config: section; the stack needs at least %s", stackPath, strings.Join(config.RequiredKeys(), ", "))
	}
	if err := checkCiphertexts(stackPath, ps); err != nil {
		return nil, err
	}
	err = pkgworkspace.ValidateStackConfigAndApplyProjectConfig(context.Background(), stackName, project,
		esc.Value{}, ps.Config, pulumiconfig.NopEncrypter, pulumiconfig.NewBlindingDecrypter())
	st := &Stack{Name: stackName, Project: project, Config: ps.Config}
	if err != nil {
		// Pulumi stops at the first problem; the program's own checks list the rest.
		refused := &RefusedError{Path: stackPath, Err: err}
		if src, srcErr := st.Source(); srcErr == nil {
			if _, cfgErr := config.Load(src); cfgErr != nil {
				return nil, errors.Join(refused, cfgErr)
			}
		}
		return nil, refused
	}
	return st, nil
}

// RefusedError is a stack file that Pulumi's own config validation refuses:
// `pulumi preview` would stop before the program runs.
type RefusedError struct {
	Path string
	Err  error
}

func (e *RefusedError) Error() string {
	msg := e.Err.Error()
	var fix string
	switch {
	case strings.Contains(msg, "is missing configuration"):
		fix = "set each of them under config: (see docs/configuration.md)"
	case strings.Contains(msg, "must be of type"):
		fix = "write the value in the type Pulumi.yaml declares for the key: a YAML list for array keys, a mapping for object keys, true/false for booleans"
	case strings.Contains(msg, "must be encrypted"):
		fix = "set it with `pulumi config set --secret`"
	default:
		fix = "correct the stack file as the message says"
	}
	return fmt.Sprintf("%s: Pulumi refuses this stack (pulumi preview would stop before the program runs): %s; %s", e.Path, msg, fix)
}

func (e *RefusedError) Unwrap() error { return e.Err }

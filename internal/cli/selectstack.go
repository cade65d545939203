package cli

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/workspace"

	"github.com/example/landing-zone-audit/internal/stackfile"
)

// envStack is the environment variable Pulumi's CLI reads the stack from
// when --stack is not given.
const envStack = "PULUMI_STACK"

// selectStack returns the stack file and stack name plan reads, chosen as
// Pulumi's CLI chooses a stack (pulumi.com/docs/iac/cli/environment-variables,
// PULUMI_STACK: the --stack flag, then PULUMI_STACK, then the stack selected
// with `pulumi stack select`). The selection Pulumi keeps in its workspace
// is not in the repository, so offline the last step is the project's only
// stack file; with several, plan names them and asks, instead of planning
// one the user did not mean.
func selectStack(flagStack, configPath string) (file, name string, err error) {
	env := os.Getenv(envStack)
	if configPath != "" {
		if flagStack != "" {
			return configPath, shortStackName(flagStack), nil
		}
		if n, ok := stackfile.StackName(configPath); ok {
			return configPath, n, nil
		}
		if env != "" {
			return configPath, shortStackName(env), nil
		}
		return "", "", fmt.Errorf("--config %s is not named Pulumi.<stack>.yaml; name the stack with --stack NAME", configPath)
	}
	dir := "."
	if project, err := workspace.DetectProjectPath(); err == nil && project != "" {
		dir = filepath.Dir(project)
	}
	for _, n := range []string{flagStack, env} {
		if n != "" {
			return stackFilePath(dir, n), shortStackName(n), nil
		}
	}
	files, err := stackFiles(dir)
	if err != nil {
		return "", "", err
	}
	switch len(files) {
	case 0:
		return "", "", errors.New("no stack file (Pulumi.<stack>.yaml) in the project; create one with pulumi stack init NAME and pulumi config set, or name a file with --config PATH")
	case 1:
		n, _ := stackfile.StackName(files[0])
		return files[0], n, nil
	}
	var names []string
	for _, f := range files {
		n, _ := stackfile.StackName(f)
		names = append(names, n)
	}
	return "", "", fmt.Errorf("no stack selected and the project has %d stack files (%s); name one with --stack NAME or %s=NAME, as for pulumi preview", len(files), strings.Join(names, ", "), envStack)
}

// stackFilePath is the stack file of name in dir. A fully qualified name
// (org/project/stack) has its file under the stack's own name, as Pulumi's
// workspace names it.
func stackFilePath(dir, name string) string {
	return filepath.Join(dir, "Pulumi."+shortStackName(name)+".yaml")
}

// shortStackName is the stack part of a fully qualified name.
func shortStackName(name string) string {
	return name[strings.LastIndex(name, "/")+1:]
}

// stackFiles are the project's stack files in dir, sorted.
func stackFiles(dir string) ([]string, error) {
	matches, err := filepath.Glob(filepath.Join(dir, "Pulumi.*"))
	if err != nil {
		return nil, err
	}
	var out []string
	for _, m := range matches {
		if _, ok := stackfile.StackName(m); ok {
			out = append(out, m)
		}
	}
	sort.Strings(out)
	return out, nil
}

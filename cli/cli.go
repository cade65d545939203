// Package cli implements the offline subcommands: plan, test-filter and
// test-event-pattern. None of them needs credentials or network access.
package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/example/landing-zone-audit/config"
	"github.com/example/landing-zone-audit/plan"
	"github.com/example/landing-zone-audit/stack"
	"github.com/example/landing-zone-audit/stackfile"
)

// Exit statuses.
const (
	exitOK      = 0
	exitFailure = 1
	exitInvalid = 2 // bad configuration, pattern, event or usage
)

const usage = `usage: landing-zone-audit <command> [flags]

Run without a command by the Pulumi engine (pulumi preview / pulumi up).

Offline commands:
  plan                 show everything the stack would deploy, per account and region
      --stack NAME       read Pulumi.NAME.yaml (default prod)
      --config PATH      read the stack configuration from PATH instead
      --format FORMAT    table (default), json or mermaid
  test-filter          evaluate a CloudWatch Logs filter pattern against events
      --pattern P        the filter pattern
      --events FILE      JSON Lines or a JSON array of events (default stdin)
  test-event-pattern   evaluate an EventBridge event pattern against events
      --pattern JSON     the event pattern
      --events FILE      JSON Lines or a JSON array of events (default stdin)
`

// Main runs one offline subcommand and returns the process exit status.
func Main(args []string, stdin io.Reader, stdout, stderr io.Writer) (status int) {
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintf(stderr, "internal error: %v\n", r)
			status = exitFailure
		}
	}()
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitInvalid
	}
	switch args[0] {
	case "plan":
		return runPlan(args[1:], stdout, stderr)
	case "test-filter":
		return runTestFilter(args[1:], stdin, stdout, stderr)
	case "test-event-pattern":
		return runTestEventPattern(args[1:], stdin, stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return exitOK
	}
	fmt.Fprintf(stderr, "unknown command %q\n\n%s", args[0], usage)
	return exitInvalid
}

func newFlagSet(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return fs
}

func runPlan(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("plan", stderr)
	stackName := fs.String("stack", "prod", "stack name; reads Pulumi.NAME.yaml")
	path := fs.String("config", "", "stack configuration file (default Pulumi.<stack>.yaml)")
	format := fs.String("format", "table", "table, json or mermaid")
	if err := fs.Parse(args); err != nil || fs.NArg() > 0 {
		if err == nil {
			fmt.Fprintf(stderr, "plan: unexpected argument %q\n", fs.Arg(0))
		}
		return exitInvalid
	}
	if !slices.Contains(plan.Formats, *format) {
		fmt.Fprintf(stderr, "plan: --format %q is not supported; use one of %s\n", *format, strings.Join(plan.Formats, ", "))
		return exitInvalid
	}
	file := *path
	if file == "" {
		file = "Pulumi." + *stackName + ".yaml"
	} else if name, ok := stackfile.StackName(file); ok && !flagSet(fs, "stack") {
		*stackName = name
	}
	src, err := loadStack(file, *stackName, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "plan: %v\n", err)
		return exitInvalid
	}
	p, err := plan.Run(stack.Program, *stackName, src)
	var cfgErr *plan.ConfigError
	if errors.As(err, &cfgErr) {
		fmt.Fprintln(stderr, cfgErr.Error())
		return exitInvalid
	}
	if err != nil {
		fmt.Fprintf(stderr, "plan: %v\n", err)
		return exitFailure
	}
	if err := p.Write(stdout, *format); err != nil {
		fmt.Fprintf(stderr, "plan: %v\n", err)
		return exitFailure
	}
	return exitOK
}

// loadStack reads a stack file and its project with Pulumi's own loaders.
func loadStack(file, stackName string, stderr io.Writer) (config.Source, error) {
	project, err := stackfile.ProjectFile(file)
	if err != nil {
		return config.Source{}, err
	}
	st, err := stackfile.Load(project, file, stackName, stderr)
	if err != nil {
		return config.Source{}, err
	}
	return st.Source()
}

func flagSet(fs *flag.FlagSet, name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}

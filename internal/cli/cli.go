// Package cli implements the subcommands: plan, test-filter,
// test-event-pattern and replay. Only replay reading from S3 needs
// credentials or network access.
package cli

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"slices"
	"strings"

	"github.com/example/landing-zone-audit/config"
	"github.com/example/landing-zone-audit/internal/jsondoc"
	"github.com/example/landing-zone-audit/internal/plan"
	"github.com/example/landing-zone-audit/internal/stackfile"
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
  test-filter          evaluate a CloudWatch Logs filter pattern against events
  test-event-pattern   evaluate an EventBridge event pattern against events
  replay               run the stack's alarms over CloudTrail log files (local or S3)
  version              print the program's and its SDKs' versions

Commands that read the live organization (read-only, AWS credentials of the
management account):
  init                 write a stack file from the organization
  preflight            check what the first pulumi up needs, check by check

  help [COMMAND]       print this help, or a command's

Exit status: 0 success, 1 internal failure, 2 bad configuration, pattern,
event or usage, 3 replay skipped input it could not read. (go run reports
any non-zero status as 1; build the binary with go build for scripts.)
`

// commandUsage is each command's help, in the same --flag style.
var commandUsage = map[string]string{
	"plan": `usage: landing-zone-audit plan [flags]

Show everything the stack would deploy, per account and region, reading the
stack file with Pulumi's own loaders and config validation.

  --stack NAME       read Pulumi.NAME.yaml; without it, the stack named by
                     PULUMI_STACK, else the project's only stack file (with
                     several, plan asks for one, as Pulumi does)
  --config PATH      read the stack configuration from PATH instead
  --format FORMAT    table (default), summary (counts per account, region and
                     service), json, mermaid, or destroy (what pulumi destroy
                     would delete, keep and be refused; docs/removal.md)
  --diff OLD.json    print what the stack adds, removes and changes against a
                     plan saved earlier with --format json, per resource and property
  --import-file PATH write Pulumi's bulk import file (for pulumi import --file)
                     for every resource of the kinds that commonly exist
                     already, and print the aws commands that find the IDs
                     only AWS knows
`,
	"init": `usage: landing-zone-audit init --stack NAME --regions R1,R2 [flags]

Write Pulumi.NAME.yaml from the live organization, read-only, with the
management account's credentials (the AWS SDK's standard chain) and the role
it assumes into each account: the organization, its accounts under aliases
derived from their names, the core accounts, and what already exists
(detectors, recorders, delivery channels, Security Hub, organization trails,
Control Tower, delegated administrators) as adoption keys. Lines marked
DECIDE need a human; UNVERIFIED marks what could not be read.

  --stack NAME                 the stack; writes Pulumi.NAME.yaml (required)
  --regions R1,R2              governed regions, the home region first (required)
  --role-name NAME             role assumed in each account (default OrganizationAccountAccessRole)
  --prefix P                   resourcePrefix (default audit)
  --security-account ID|NAME   the security account (default: recognised by name, else asked)
  --log-archive-account ID|NAME  the log archive account (likewise)
  --force                      overwrite an existing stack file
  --concurrency N              calls in flight across accounts and regions (default 16)
`,
	"preflight": `usage: landing-zone-audit preflight --stack NAME [flags]

Check, read-only, what the first pulumi up of Pulumi.NAME.yaml needs from the
live organization: the caller, all features, trusted access, delegated
administrators, the deploy role in every account, governed regions enabled,
what exists but is not adopted, the quotas the plan counts against. Each
check says PASS, WARN or FAIL with the command that fixes it; the exit status
is 1 when one fails.

  --stack NAME       the stack (required)
  --format FORMAT    table (default) or json
  --concurrency N    calls in flight across accounts and regions (default 16)
`,
	"test-filter": `usage: landing-zone-audit test-filter --pattern P [flags]

Evaluate a CloudWatch Logs JSON filter pattern against CloudTrail events,
as aws logs test-metric-filter does. Prints, per event, its index, its
eventName, its eventID and match or no-match.

  --pattern P        the filter pattern (JSON patterns, at most 1,024 characters)
  --events FILE      one JSON event, JSON Lines or a JSON array; - for stdin (default)
  --format FORMAT    text (default) or json

Events are read as a stream, in constant memory; answers are printed 1,000
at a time, so an invalid event stops the command after the blocks before it.
`,
	"test-event-pattern": `usage: landing-zone-audit test-event-pattern --pattern JSON [flags]

Evaluate an EventBridge event pattern against events, as aws events
test-event-pattern does. Prints, per event, its index, its detail-type,
the ID and title of the finding it carries (GuardDuty, Security Hub) or
else its event ID, and match or no-match.

  --pattern JSON     the event pattern
  --events FILE      one JSON event, JSON Lines or a JSON array; - for stdin (default)
  --format FORMAT    text (default) or json

Events are read as a stream, as test-filter reads them.
`,
	"replay": `usage: landing-zone-audit replay [flags] SOURCE...

Run every metric-filter alarm the stack deploys over CloudTrail log files and
report, per alarm, the matching events, the first and last, the matches per
day, the alarm periods that would have breached and the alarms that would
have fired, and the top principals, accounts, source IPs and event names.

A SOURCE is a directory (walked for .json, .json.gz, .jsonl and .ndjson
files; in CloudTrail's AWSLogs/ layout only CloudTrail's log files, not its
digests), a file, or s3://bucket/prefix (read with the AWS SDK's standard
credential chain). Files hold CloudTrail's {"Records": [...]}, JSON Lines or
JSON arrays, gzip-compressed or not.

  --stack NAME       the stack whose alarms to replay: reads Pulumi.NAME.yaml
                     (default $PULUMI_STACK, else the project's only stack file)
  --config PATH      read the stack configuration from PATH instead
  --since DAY        first day (YYYY-MM-DD, UTC) of events to count
  --until DAY        last day (YYYY-MM-DD, UTC) of events to count; both narrow
                     the directories read by the dates in their paths
  --account IDS      only these accounts (comma-separated)
  --region NAMES     only these regions (comma-separated)
  --alarm NAMES      only these alarms (comma-separated; default every alarm)
  --format FORMAT    table (default), json or csv
  --chart FILE       write an SVG chart of the matches per day per alarm
  --events FILE      write the matching events as JSON Lines (- for stdout,
                     instead of the report)
  --top N            principals, accounts, source IPs and event names per alarm (default 5)
  --parallel N       files read at once (default one per core; eight per core on S3);
                     a local JSON Lines file of 64 MiB or more is read in N parts
  --strict           stop at the first file that cannot be read in full
  --endpoint-url URL an S3-compatible endpoint, addressed path-style

A file that cannot be read in full (corrupt gzip, a line that is not JSON, a
Records element that is not an object, an object that disappears) is named on
standard error and the run goes on; the exit status is then 3. A progress bar
shows on standard error when it is a terminal; a summary line ends the run.
`,
	"version": `usage: landing-zone-audit version

Print the program's version and the versions of the Pulumi SDKs it is built with.
`,
}

// Main runs one offline subcommand and returns the process exit status;
// plan runs program, the same function the Pulumi engine runs.
func Main(program plan.Program, args []string, stdin io.Reader, stdout, stderr io.Writer) (status int) {
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
		return runPlan(program, args[1:], stdout, stderr)
	case "init":
		return runInit(args[1:], stdin, stdout, stderr)
	case "preflight":
		return runPreflight(program, args[1:], stdout, stderr)
	case "test-filter":
		return runTestFilter(args[1:], stdin, stdout, stderr)
	case "test-event-pattern":
		return runTestEventPattern(args[1:], stdin, stdout, stderr)
	case "replay":
		return runReplay(program, args[1:], stdout, stderr)
	case "version", "--version":
		fmt.Fprintln(stdout, versionText())
		return exitOK
	case "help", "-h", "--help":
		if len(args) > 1 {
			text, ok := commandUsage[args[1]]
			if !ok {
				fmt.Fprintf(stderr, "unknown command %q\n\n%s", args[1], usage)
				return exitInvalid
			}
			fmt.Fprint(stdout, text)
			return exitOK
		}
		fmt.Fprint(stdout, usage)
		return exitOK
	}
	fmt.Fprintf(stderr, "unknown command %q\n\n%s", args[0], usage)
	return exitInvalid
}

// versionText names the build and the SDKs it was built with.
func versionText() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "landing-zone-audit (unknown build)"
	}
	parts := []string{"landing-zone-audit " + info.Main.Version, info.GoVersion}
	for _, d := range info.Deps {
		switch d.Path {
		case "github.com/pulumi/pulumi/sdk/v3", "github.com/pulumi/pulumi-aws/sdk/v6", "github.com/pulumi/pulumi-aws-native/sdk":
			parts = append(parts, d.Path+" "+d.Version)
		}
	}
	return strings.Join(parts, "\n")
}

func newFlagSet(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {} // parseFlags prints the command's help where it belongs
	return fs
}

// parseFlags parses a command's flags. --help prints the command's help to
// stdout and ends the command with status 0; a bad flag ends it with 2.
func parseFlags(fs *flag.FlagSet, args []string, stdout io.Writer) (code int, done bool) {
	err := fs.Parse(args)
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprint(stdout, commandUsage[fs.Name()])
		return exitOK, true
	}
	if err != nil {
		fmt.Fprintf(fs.Output(), "\n%s", commandUsage[fs.Name()])
		return exitInvalid, true
	}
	return 0, false
}

func runPlan(program plan.Program, args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("plan", stderr)
	stackName := fs.String("stack", "", "stack name; reads Pulumi.NAME.yaml (default $PULUMI_STACK, else the project's only stack file)")
	path := fs.String("config", "", "stack configuration file (default Pulumi.<stack>.yaml)")
	format := fs.String("format", "table", "table, summary, json, mermaid or destroy")
	diffPath := fs.String("diff", "", "print what changed against a plan saved with --format json")
	importPath := fs.String("import-file", "", "write Pulumi's bulk import file for what commonly exists already")
	if code, done := parseFlags(fs, args, stdout); done {
		return code
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "plan: unexpected argument %q\n", fs.Arg(0))
		return exitInvalid
	}
	if !slices.Contains(plan.Formats, *format) {
		fmt.Fprintf(stderr, "plan: --format %q is not supported; use one of %s\n", *format, strings.Join(plan.Formats, ", "))
		return exitInvalid
	}
	file, name, err := selectStack(*stackName, *path)
	if err != nil {
		fmt.Fprintf(stderr, "plan: %v\n", err)
		return exitInvalid
	}
	src, err := loadStack(file, name, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "plan: %v\n", err)
		return exitInvalid
	}
	p, err := plan.Run(program, name, src)
	var cfgErr *plan.ConfigError
	if errors.As(err, &cfgErr) {
		fmt.Fprintln(stderr, cfgErr.Error())
		return exitInvalid
	}
	if err != nil {
		fmt.Fprintf(stderr, "plan: %v\n", err)
		return exitFailure
	}
	if *diffPath != "" {
		return writeDiff(*diffPath, p, stdout, stderr)
	}
	if *importPath != "" {
		return writeImportFile(*importPath, p, stdout, stderr)
	}
	if err := p.Write(stdout, *format); err != nil {
		fmt.Fprintf(stderr, "plan: %v\n", err)
		return exitFailure
	}
	return exitOK
}

// writeDiff prints what p adds, removes and changes against a saved plan.
func writeDiff(path string, p *plan.Plan, stdout, stderr io.Writer) int {
	data, err := os.ReadFile(path)
	if err != nil {
		fmt.Fprintf(stderr, "plan: --diff: %v\n", err)
		return exitInvalid
	}
	var old plan.Plan
	if err := json.Unmarshal(data, &old); err != nil {
		fmt.Fprintf(stderr, "plan: --diff: %s is not a plan saved with --format json: %v\n", path, err)
		return exitInvalid
	}
	if err := plan.WriteDiff(stdout, plan.Diff(&old, p)); err != nil {
		fmt.Fprintf(stderr, "plan: %v\n", err)
		return exitFailure
	}
	if lines := plan.CostChanges(&old, p); len(lines) > 0 {
		fmt.Fprintf(stdout, "running cost:\n  %s\n", strings.Join(lines, "\n  "))
	}
	return exitOK
}

// writeImportFile writes the plan's bulk import file and says what to fill in.
func writeImportFile(path string, p *plan.Plan, stdout, stderr io.Writer) int {
	file, lookups := p.ImportFile()
	data, err := jsondoc.MarshalIndent(file, "  ")
	if err == nil {
		err = os.WriteFile(path, []byte(data+"\n"), 0o644)
	}
	if err != nil {
		fmt.Fprintf(stderr, "plan: --import-file: %v\n", err)
		return exitFailure
	}
	fmt.Fprintf(stdout, "wrote %s: %d entries (the resources that commonly exist already, with their components and providers)\n", path, len(file.Resources))
	if len(lookups) > 0 {
		fmt.Fprintf(stdout, "\nReplace each %s...> ID with what this prints, run with that account's credentials:\n", plan.PlaceholderPrefix)
		for _, l := range lookups {
			fmt.Fprintf(stdout, "  %s (%s %s, %s): %s\n", l.Name, l.Account, l.AccountID, l.Region, l.Command)
		}
	}
	// pulumi import protects what it imports unless told otherwise; the
	// program declares no protection, so the next up would undo it.
	fmt.Fprintf(stdout, "\nRemove the entries of resources that do not exist, then: pulumi import --file %s --generate-code=false --protect=false -s %s\n", path, p.Stack)
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

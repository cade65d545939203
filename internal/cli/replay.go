package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"regexp"
	"runtime/debug"
	"slices"
	"strings"
	"time"

	"github.com/example/landing-zone-audit/internal/plan"
	"github.com/example/landing-zone-audit/internal/replay"
)

// exitSkipped is replay's status when it finished but could not read some
// input in full (or stopped at it with --strict).
const exitSkipped = 3

var (
	accountIDPattern = regexp.MustCompile(`^\d{12}$`)
	regionPattern    = regexp.MustCompile(`^[a-z]{2}(-[a-z]+)+-\d$`)
)

func runReplay(program plan.Program, args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("replay", stderr)
	stackName := fs.String("stack", "", "stack name; reads Pulumi.NAME.yaml (default $PULUMI_STACK, else the project's only stack file)")
	path := fs.String("config", "", "stack configuration file (default Pulumi.<stack>.yaml)")
	since := fs.String("since", "", "first day, YYYY-MM-DD (UTC)")
	until := fs.String("until", "", "last day, YYYY-MM-DD (UTC)")
	accounts := fs.String("account", "", "account IDs, comma-separated")
	regions := fs.String("region", "", "regions, comma-separated")
	only := fs.String("alarm", "", "alarm names, comma-separated (default every alarm)")
	format := fs.String("format", "table", "table, json or csv")
	chart := fs.String("chart", "", "write an SVG chart of the matches per day per alarm to FILE")
	eventsPath := fs.String("events", "", "write the matching events as JSON Lines to FILE (- for stdout)")
	parallel := fs.Int("parallel", 0, "files read at once (default one per core; eight per core on S3)")
	strict := fs.Bool("strict", false, "stop at the first file that cannot be read in full")
	endpoint := fs.String("endpoint-url", "", "an S3-compatible endpoint, addressed path-style")
	topN := fs.Int("top", 5, "principals, accounts, source IPs and event names listed per alarm")
	sources, code, done := parseInterleaved(fs, args, stdout)
	if done {
		return code
	}
	var problems []string
	if len(sources) == 0 {
		problems = append(problems, "name at least one source: a directory, a file or s3://bucket/prefix")
	}
	if !slices.Contains(replay.Formats, *format) {
		problems = append(problems, fmt.Sprintf("--format %q is not supported; use one of %s", *format, strings.Join(replay.Formats, ", ")))
	}
	scope := replay.Scope{Accounts: list(*accounts), Regions: list(*regions)}
	for _, d := range []struct {
		flag, value string
		into        *time.Time
	}{{"since", *since, &scope.Since}, {"until", *until, &scope.Until}} {
		if d.value == "" {
			continue
		}
		t, err := time.Parse(time.DateOnly, d.value)
		if err != nil {
			problems = append(problems, fmt.Sprintf("--%s %q is not a day; write YYYY-MM-DD (UTC)", d.flag, d.value))
			continue
		}
		*d.into = t
	}
	if !scope.Since.IsZero() && !scope.Until.IsZero() && scope.Until.Before(scope.Since) {
		problems = append(problems, fmt.Sprintf("--until %s is before --since %s", *until, *since))
	}
	for _, a := range scope.Accounts {
		if !accountIDPattern.MatchString(a) {
			problems = append(problems, fmt.Sprintf("--account %q is not an account ID; AWS account IDs are 12 digits", a))
		}
	}
	for _, r := range scope.Regions {
		if !regionPattern.MatchString(r) {
			problems = append(problems, fmt.Sprintf("--region %q is not a region name such as eu-west-2", r))
		}
	}
	if *parallel < 0 || *topN < 1 {
		problems = append(problems, "--parallel takes 0 (automatic) or more, --top 1 or more")
	}
	if len(problems) > 0 {
		for _, p := range problems {
			fmt.Fprintf(stderr, "replay: %s\n", p)
		}
		return exitInvalid
	}

	alarms, code := stackAlarms(program, *stackName, *path, stderr)
	if alarms == nil {
		return code
	}
	if names := list(*only); len(names) > 0 {
		var unknown []string
		for _, n := range names {
			if !slices.ContainsFunc(alarms, func(a replay.Alarm) bool { return a.Name == n }) {
				unknown = append(unknown, n)
			}
		}
		if len(unknown) > 0 {
			var known []string
			for _, a := range alarms {
				known = append(known, a.Name)
			}
			fmt.Fprintf(stderr, "replay: --alarm %s: the stack deploys no such alarm; it deploys %s\n", strings.Join(unknown, ", "), strings.Join(known, ", "))
			return exitInvalid
		}
		alarms = slices.DeleteFunc(alarms, func(a replay.Alarm) bool { return !slices.Contains(names, a.Name) })
	}

	opts := replay.Options{
		Sources:  sources,
		Scope:    scope,
		Parallel: *parallel,
		Strict:   *strict,
		Top:      *topN,
		S3:       replay.S3Options{EndpointURL: *endpoint},
		Progress: &replay.Progress{},
	}
	report := stdout
	switch *eventsPath {
	case "":
	case "-":
		opts.Events, report = stdout, io.Discard
	default:
		f, err := os.Create(*eventsPath)
		if err != nil {
			fmt.Fprintf(stderr, "replay: --events: %v\n", err)
			return exitInvalid
		}
		defer f.Close()
		opts.Events = f
	}

	if os.Getenv("GOMEMLIMIT") == "" {
		// replay keeps little (its counts) and throws away what it parses:
		// a soft limit on the heap makes the collector run more often only
		// when the counts of a long archive grow, instead of letting the
		// heap double them.
		debug.SetMemoryLimit(40 << 20)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	stopBar := progressBar(opts.Progress, stderr)
	rep, err := replay.Run(ctx, alarms, opts)
	stopBar()
	if err != nil {
		fmt.Fprintf(stderr, "replay: %v\n", err)
		return exitInvalid
	}
	if err := rep.Write(report, *format); err != nil {
		fmt.Fprintf(stderr, "replay: %v\n", err)
		return exitFailure
	}
	if *chart != "" {
		if err := writeChart(*chart, rep); err != nil {
			fmt.Fprintf(stderr, "replay: --chart: %v\n", err)
			return exitFailure
		}
	}
	if *format != "table" {
		for _, p := range rep.Problems {
			fmt.Fprintf(stderr, "replay: %s: %s\n", p.Path, p.Describe())
		}
	}
	fmt.Fprintln(stderr, rep.SummaryLine())
	if ctx.Err() != nil {
		fmt.Fprintln(stderr, "replay: interrupted; the report covers what was read")
		return exitFailure
	}
	if len(rep.Problems) > 0 {
		return exitSkipped
	}
	return exitOK
}

// stackAlarms plans the stack offline, chosen and planned as plan does, and
// returns the metric-filter alarms it deploys; nil and an exit status when
// it deploys none or cannot be planned.
func stackAlarms(program plan.Program, flagStack, path string, stderr io.Writer) ([]replay.Alarm, int) {
	file, stackName, err := selectStack(flagStack, path)
	if err != nil {
		fmt.Fprintf(stderr, "replay: %v\n", err)
		return nil, exitInvalid
	}
	src, err := loadStack(file, stackName, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "replay: %v\n", err)
		return nil, exitInvalid
	}
	p, err := plan.Run(program, stackName, src)
	var cfgErr *plan.ConfigError
	if errors.As(err, &cfgErr) {
		fmt.Fprintln(stderr, cfgErr.Error())
		return nil, exitInvalid
	}
	if err != nil {
		fmt.Fprintf(stderr, "replay: %v\n", err)
		return nil, exitFailure
	}
	alarms, err := replay.FromPlan(p)
	if err != nil {
		fmt.Fprintf(stderr, "replay: %v\n", err)
		return nil, exitInvalid
	}
	if len(alarms) == 0 {
		fmt.Fprintf(stderr, "replay: stack %s (%s) deploys no metric-filter alarms, so there is nothing to replay; alarms.cisEnabled, alarms.supplementary.enabled and alarms.elevatedRoleDisabled: false turn them on\n", stackName, file)
		return nil, exitInvalid
	}
	return alarms, exitOK
}

func writeChart(path string, rep *replay.Report) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := rep.WriteChart(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// parseInterleaved parses flags that come before, between or after the
// positional arguments (the flag package stops at the first of those), and
// returns the positional arguments.
func parseInterleaved(fs *flag.FlagSet, args []string, stdout io.Writer) (positional []string, code int, done bool) {
	for {
		if code, done := parseFlags(fs, args, stdout); done {
			return nil, code, true
		}
		args = fs.Args()
		if len(args) == 0 {
			return positional, 0, false
		}
		if args[0] == "--" {
			return append(positional, args[1:]...), 0, false
		}
		positional = append(positional, args[0])
		args = args[1:]
	}
}

// list splits a comma-separated flag value.
func list(s string) []string {
	var out []string
	for _, v := range strings.Split(s, ",") {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

// progressBar draws the replay's progress on stderr when it is a terminal,
// a few times a second, and returns the function that stops it and clears
// the line.
func progressBar(p *replay.Progress, stderr io.Writer) func() {
	if !isTerminal(stderr) {
		return func() {}
	}
	done := make(chan struct{})
	finished := make(chan struct{})
	start := time.Now()
	go func() {
		defer close(finished)
		tick := time.NewTicker(250 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-done:
				fmt.Fprint(stderr, "\r\033[K")
				return
			case <-tick.C:
				fmt.Fprint(stderr, "\r\033[K"+progressLine(p, time.Since(start)))
			}
		}
	}()
	return func() {
		close(done)
		<-finished
	}
}

// progressLine is one frame of the progress bar: files, bytes, events, rate
// and, once every file is listed, a bar and the time left.
func progressLine(p *replay.Progress, elapsed time.Duration) string {
	read, listed := p.BytesRead.Load(), p.BytesListed.Load()
	rate := float64(read) / max(elapsed.Seconds(), 0.001)
	files := fmt.Sprintf("%d/%d files", p.FilesDone.Load(), p.FilesListed.Load())
	if !p.ListingDone.Load() {
		files += " (listing)"
	}
	line := fmt.Sprintf("%s  %s  %d events  %s/s", files, replay.Bytes(read), p.Events.Load(), replay.Bytes(int64(rate)))
	if p.ListingDone.Load() && listed > 0 {
		frac := min(1, float64(read)/float64(listed))
		const width = 24
		n := int(frac * width)
		bar := "[" + strings.Repeat("=", n) + strings.Repeat(" ", width-n) + "]"
		left := "-"
		if rate > 0 {
			left = time.Duration(float64(listed-read) / rate * float64(time.Second)).Round(time.Second).String()
		}
		line = fmt.Sprintf("%s %3.0f%%  %s  left %s", bar, frac*100, line, left)
	}
	return line
}

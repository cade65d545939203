package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"

	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/pulumi/pulumi/sdk/v3/go/common/workspace"
	"golang.org/x/term"

	"github.com/example/landing-zone-audit/config"
	"github.com/example/landing-zone-audit/internal/live"
	"github.com/example/landing-zone-audit/internal/plan"
	"github.com/example/landing-zone-audit/internal/stackfile"
)

// scanOrganization reads the organization with the SDK's standard
// configuration: credentials from the environment, a profile, SSO or an
// instance role; endpoints from AWS_ENDPOINT_URL(_<SERVICE>); throttled
// calls retried with backoff.
func scanOrganization(ctx context.Context, regions []string, role string, concurrency int, policyTargets []string, stderr io.Writer) (*live.Organization, error) {
	cfg, err := awsconfig.LoadDefaultConfig(ctx, awsconfig.WithRegion(regions[0]), awsconfig.WithRetryMaxAttempts(8))
	if err != nil {
		return nil, fmt.Errorf("AWS configuration: %w", err)
	}
	slices.Sort(policyTargets)
	opts := live.Options{Regions: regions, RoleName: role, Concurrency: concurrency, PolicyTargets: policyTargets}
	if isTerminal(stderr) {
		opts.Progress = stderr
	}
	return live.Scan(ctx, cfg, opts)
}

// isTerminal reports whether w is a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

func runInit(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := newFlagSet("init", stderr)
	stackName := fs.String("stack", "", "stack name; writes Pulumi.NAME.yaml (required)")
	regions := fs.String("regions", "", "governed regions, comma-separated, the home region first (required)")
	role := fs.String("role-name", "OrganizationAccountAccessRole", "role assumed in each account to read it")
	prefix := fs.String("prefix", "audit", "resourcePrefix")
	security := fs.String("security-account", "", "the security account's ID or name (default: recognised by name, else asked)")
	logArchive := fs.String("log-archive-account", "", "the log archive account's ID or name (default: recognised by name, else asked)")
	force := fs.Bool("force", false, "overwrite an existing stack file")
	concurrency := fs.Int("concurrency", 16, "calls in flight across accounts and regions")
	if code, done := parseFlags(fs, args, stdout); done {
		return code
	}
	var missing []string
	if *stackName == "" {
		missing = append(missing, "--stack NAME")
	}
	if len(list(*regions)) == 0 {
		missing = append(missing, "--regions R1,R2")
	}
	if len(missing) > 0 {
		fmt.Fprintf(stderr, "init: %s required\n", strings.Join(missing, " and "))
		return exitInvalid
	}
	file := "Pulumi." + *stackName + ".yaml"
	if _, err := os.Stat(file); err == nil && !*force {
		fmt.Fprintf(stderr, "init: %s exists; pass --force to overwrite it\n", file)
		return exitInvalid
	}
	projectFile, err := stackfile.ProjectFile(file)
	if err != nil {
		fmt.Fprintf(stderr, "init: %v\n", err)
		return exitInvalid
	}
	proj, err := workspace.LoadProject(projectFile)
	if err != nil {
		fmt.Fprintf(stderr, "init: %v\n", err)
		return exitInvalid
	}
	project := string(proj.Name)

	ctx := context.Background()
	org, err := scanOrganization(ctx, list(*regions), *role, *concurrency, nil, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "init: %v\n", err)
		return exitFailure
	}
	text, err := live.StackFile(org, live.InitOptions{
		Project: project, Prefix: *prefix, Regions: list(*regions), RoleName: *role,
		SecurityAccount: *security, LogArchiveAccount: *logArchive, Ask: asker(stdin, stderr),
	})
	if err != nil {
		fmt.Fprintf(stderr, "init: %v\n", err)
		return exitInvalid
	}
	// The file must pass the program's validation as written: check a copy
	// beside the project before the real file is touched.
	tmp := filepath.Join(filepath.Dir(file), ".Pulumi."+*stackName+".init.yaml")
	if err := os.WriteFile(tmp, []byte(text), 0o600); err != nil {
		fmt.Fprintf(stderr, "init: %v\n", err)
		return exitFailure
	}
	defer os.Remove(tmp)
	src, err := loadStack(tmp, *stackName, stderr)
	if err == nil {
		_, err = config.Load(src)
	}
	if err != nil {
		fmt.Fprintf(stderr, "init: the file written from the organization does not pass validation; nothing written:\n%v\n", err)
		return exitFailure
	}
	if err := os.Rename(tmp, file); err != nil {
		fmt.Fprintf(stderr, "init: %v\n", err)
		return exitFailure
	}
	for _, p := range org.Problems {
		fmt.Fprintf(stderr, "init: could not read %s (marked UNVERIFIED)\n", p)
	}
	fmt.Fprintf(stdout, "wrote %s: %d accounts, %d OUs; review the DECIDE lines, then run: landing-zone-audit preflight --stack %s\n", file, len(org.Accounts), len(org.OUs), *stackName)
	return exitOK
}

// asker asks on stderr and reads the answer from stdin.
func asker(stdin io.Reader, stderr io.Writer) func(string, []live.Account) (string, error) {
	in := bufio.NewReader(stdin)
	return func(role string, accounts []live.Account) (string, error) {
		fmt.Fprintf(stderr, "Which account is the %s account?\n", role)
		for _, a := range accounts {
			fmt.Fprintf(stderr, "  %s  %s\n", a.ID, a.Name)
		}
		fmt.Fprint(stderr, "account ID or name: ")
		line, err := in.ReadString('\n')
		if answer := strings.TrimSpace(line); answer != "" {
			return answer, nil
		}
		if err == nil {
			err = errors.New("no answer")
		}
		flag := "--security-account"
		if role != "security" {
			flag = "--log-archive-account"
		}
		return "", fmt.Errorf("no %s account chosen (%v); name it with %s", role, err, flag)
	}
}

func runPreflight(program plan.Program, args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("preflight", stderr)
	stackName := fs.String("stack", "", "stack name; reads Pulumi.NAME.yaml (required)")
	concurrency := fs.Int("concurrency", 16, "calls in flight across accounts and regions")
	format := fs.String("format", "table", "table or json")
	if code, done := parseFlags(fs, args, stdout); done {
		return code
	}
	if *stackName == "" {
		fmt.Fprintln(stderr, "preflight: --stack NAME required")
		return exitInvalid
	}
	if *format != "table" && *format != "json" {
		fmt.Fprintf(stderr, "preflight: --format %q is not supported; use table or json\n", *format)
		return exitInvalid
	}
	src, err := loadStack("Pulumi."+*stackName+".yaml", *stackName, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "preflight: %v\n", err)
		return exitInvalid
	}
	cfg, err := config.Load(src)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return exitInvalid
	}
	p, err := plan.Run(program, *stackName, src)
	if err != nil {
		fmt.Fprintf(stderr, "preflight: %v\n", err)
		return exitInvalid
	}
	regions := append([]string{cfg.HomeRegion}, cfg.GovernedRegions...)
	regions = uniq(regions)
	planned := Planned(p)
	org, err := scanOrganization(context.Background(), regions, cfg.AccessRoleName, *concurrency, slices.Collect(maps.Keys(planned.SCPs)), stderr)
	if org == nil {
		fmt.Fprintf(stderr, "preflight: %v\n", err)
		return exitFailure
	}
	var checks []live.Check
	if err != nil {
		checks = append(checks, live.Check{Name: "read the organization", Status: live.Fail, Detail: err.Error()})
	}
	checks = append(checks, live.Preflight(org, cfg, planned)...)
	if err := live.WriteChecks(stdout, checks, *format); err != nil {
		fmt.Fprintf(stderr, "preflight: %v\n", err)
		return exitFailure
	}
	if live.Failed(checks) {
		return exitFailure
	}
	return exitOK
}

// Planned is what preflight needs from the stack's offline plan.
func Planned(p *plan.Plan) live.Planned {
	out := live.Planned{SCPs: map[string][]string{}}
	policies := map[string]map[string]any{} // resource name → inputs
	for _, r := range p.ByType("aws:organizations/policy:Policy") {
		policies[r.Name] = r.Inputs
		if t, _ := r.Inputs["type"].(string); t != "" && !slices.Contains(out.PolicyTypes, t) {
			out.PolicyTypes = append(out.PolicyTypes, t)
		}
	}
	for _, a := range p.ByType("aws:organizations/policyAttachment:PolicyAttachment") {
		for resName, in := range policies {
			if !strings.HasPrefix(a.Name, resName+"-") || in["type"] != "SERVICE_CONTROL_POLICY" {
				continue
			}
			target, _ := a.Inputs["targetId"].(string)
			if strings.HasPrefix(target, "[") { // the root, read at deploy time
				target = "root"
			}
			name, _ := in["name"].(string)
			out.SCPs[target] = append(out.SCPs[target], name)
		}
	}
	for _, r := range p.Resources {
		out.ResourceTypes = append(out.ResourceTypes, r.Type)
		switch r.Type {
		case "aws:cloudwatch/logMetricFilter:LogMetricFilter":
			out.MetricFilters++
		case "aws:cfg/organizationManagedRule:OrganizationManagedRule", "aws:cfg/organizationCustomRule:OrganizationCustomRule", "aws:cfg/organizationCustomPolicyRule:OrganizationCustomPolicyRule":
			out.ConfigRules++
		}
	}
	return out
}

func uniq(list []string) []string {
	var out []string
	for _, s := range list {
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

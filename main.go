// Command landing-zone-audit deploys the audit, compliance and incident-detection
// layer of a multi-account AWS organization.
//
// Run by the Pulumi engine (pulumi preview / pulumi up) it deploys the stack.
// Run by hand it offers offline subcommands: plan, test-filter and
// test-event-pattern (see `go run . help`). Both run program.Program, which
// reads top to bottom in the order the stack is built:
//
//  1. config.Load: the typed stack configuration, every problem reported at once;
//  2. providers.New: one AWS provider per account alias and region;
//  3. the components (components/), each from its arguments in internal/stack:
//     the organization trail, the alarms, AWS Config, GuardDuty and the other
//     security services, in dependency order;
//  4. the exports operators need.
package main

import (
	"fmt"
	"os"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/example/landing-zone-audit/internal/cli"
	"github.com/example/landing-zone-audit/internal/program"
	"github.com/example/landing-zone-audit/internal/stack"
)

func main() {
	// The engine always sets its monitor address; arguments never reach the
	// offline subcommands when the program runs under Pulumi.
	if os.Getenv("PULUMI_MONITOR") != "" {
		src, err := stack.EngineConfig()
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		pulumi.Run(program.Program(src))
		return
	}
	os.Exit(cli.Main(program.Program, os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

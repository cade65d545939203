// Command landing-zone-audit deploys the audit, compliance and incident-detection
// layer of a multi-account AWS organization.
//
// Run by the Pulumi engine (pulumi preview / pulumi up) it deploys the stack.
// Run by hand it offers offline subcommands: plan, test-filter and
// test-event-pattern (see `go run . help`).
package main

import (
	"fmt"
	"os"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/example/landing-zone-audit/cli"
	"github.com/example/landing-zone-audit/stack"
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
		pulumi.Run(stack.Program(src))
		return
	}
	os.Exit(cli.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

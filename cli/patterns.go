package cli

import (
	"fmt"
	"io"
)

func runTestFilter(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fmt.Fprintln(stderr, "test-filter: not available yet")
	return exitFailure
}

func runTestEventPattern(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fmt.Fprintln(stderr, "test-event-pattern: not available yet")
	return exitFailure
}

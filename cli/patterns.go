package cli

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"

	"github.com/example/landing-zone-audit/eventpattern"
	"github.com/example/landing-zone-audit/filterpattern"
)

// matcher evaluates one event; errors mean the event itself is invalid.
type matcher func(event []byte) (bool, error)

func runTestFilter(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	return runMatcher("test-filter", args, stdin, stdout, stderr, func(pattern string) (matcher, error) {
		p, err := filterpattern.Parse(pattern)
		if err != nil {
			return nil, err
		}
		return p.Match, nil
	})
}

func runTestEventPattern(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	return runMatcher("test-event-pattern", args, stdin, stdout, stderr, func(pattern string) (matcher, error) {
		p, err := eventpattern.Parse([]byte(pattern))
		if err != nil {
			return nil, err
		}
		return p.Match, nil
	})
}

// runMatcher is the shared body of test-filter and test-event-pattern: it
// prints match or no-match for each event, in order. Every event is checked
// before anything is printed, so an invalid event leaves no partial output.
func runMatcher(cmd string, args []string, stdin io.Reader, stdout, stderr io.Writer, compile func(string) (matcher, error)) int {
	fs := newFlagSet(cmd, stderr)
	pattern := fs.String("pattern", "", "the pattern to test")
	eventsPath := fs.String("events", "", "file of events: JSON Lines or a JSON array (default stdin)")
	if err := fs.Parse(args); err != nil {
		return exitInvalid
	}
	if fs.NArg() > 0 || !flagSet(fs, "pattern") {
		fmt.Fprintf(stderr, "%s: --pattern is required (and takes no other arguments)\n", cmd)
		return exitInvalid
	}
	match, err := compile(*pattern)
	if err != nil {
		fmt.Fprintf(stderr, "%s: invalid pattern: %v\n", cmd, err)
		return exitInvalid
	}
	in := stdin
	if *eventsPath != "" {
		f, err := os.Open(*eventsPath)
		if err != nil {
			fmt.Fprintf(stderr, "%s: %v\n", cmd, err)
			return exitInvalid
		}
		defer f.Close()
		in = f
	}
	events, err := ReadEvents(in)
	if err != nil {
		fmt.Fprintf(stderr, "%s: %v\n", cmd, err)
		return exitInvalid
	}
	results := make([]string, len(events))
	for i, ev := range events {
		ok, err := match(ev)
		if err != nil {
			fmt.Fprintf(stderr, "%s: event %d: %v\n", cmd, i+1, err)
			return exitInvalid
		}
		results[i] = "no-match"
		if ok {
			results[i] = "match"
		}
	}
	for _, r := range results {
		fmt.Fprintln(stdout, r)
	}
	return exitOK
}

// ReadEvents reads events given as a JSON array or as JSON Lines (one
// document per line; blank lines are skipped).
func ReadEvents(r io.Reader) ([][]byte, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	trimmed := bytes.TrimSpace(data)
	if len(trimmed) > 0 && trimmed[0] == '[' {
		var events []json.RawMessage
		if err := json.Unmarshal(trimmed, &events); err != nil {
			return nil, fmt.Errorf("events: not a JSON array of events: %v", err)
		}
		out := make([][]byte, len(events))
		for i, e := range events {
			out[i] = e
		}
		return out, nil
	}
	var out [][]byte
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 64*1024), 16*1024*1024)
	for line := 1; sc.Scan(); line++ {
		text := bytes.TrimSpace(sc.Bytes())
		if len(text) == 0 {
			continue
		}
		if !json.Valid(text) {
			return nil, fmt.Errorf("events: line %d is not a JSON document", line)
		}
		out = append(out, append([]byte(nil), text...))
	}
	return out, sc.Err()
}

package cli

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"
	"unicode/utf8"

	"github.com/example/landing-zone-audit/internal/detection"
	"github.com/example/landing-zone-audit/internal/eventpattern"
	"github.com/example/landing-zone-audit/internal/filterpattern"
	"github.com/example/landing-zone-audit/internal/jsondoc"
)

// matcher evaluates one event; errors mean the event itself is invalid.
type matcher func(event []byte) (bool, error)

func runTestFilter(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	return runMatcher("test-filter", args, stdin, stdout, stderr, func(pattern string) (matcher, error) {
		if n := utf8.RuneCountInString(pattern); n > detection.MaxPatternLength {
			return nil, fmt.Errorf("%d characters; CloudWatch Logs takes at most %d in a filter pattern", n, detection.MaxPatternLength)
		}
		if t := strings.TrimSpace(pattern); !strings.HasPrefix(t, "{") {
			return nil, fmt.Errorf("only JSON filter patterns ({ $.field = value ... }) are supported, the kind metric filters on CloudTrail logs use; term patterns such as ERROR and space-delimited ones such as [ip, user, ...] are not")
		}
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

// result is the answer for one event.
type result struct {
	Index int    `json:"index"`
	Event string `json:"event"` // eventName (CloudTrail) or detail-type (EventBridge)
	// ID tells events of one name apart: a CloudTrail event's eventID, a
	// finding's ID (GuardDuty, Security Hub), else the EventBridge event's id.
	ID    string `json:"id,omitempty"`
	Title string `json:"title,omitempty"` // a finding's title
	Match bool   `json:"match"`
}

// runMatcher is the shared body of test-filter and test-event-pattern: it
// prints, for each event in order, its index, its name and match or
// no-match. Every event is checked before anything is printed, so an invalid
// event leaves no partial output.
func runMatcher(cmd string, args []string, stdin io.Reader, stdout, stderr io.Writer, compile func(string) (matcher, error)) int {
	fs := newFlagSet(cmd, stderr)
	pattern := fs.String("pattern", "", "the pattern to test")
	eventsPath := fs.String("events", "-", "file of events: one JSON event, JSON Lines or a JSON array; - for stdin")
	format := fs.String("format", "text", "text or json")
	if code, done := parseFlags(fs, args, stdout); done {
		return code
	}
	if fs.NArg() > 0 || !flagSet(fs, "pattern") {
		fmt.Fprintf(stderr, "%s: --pattern is required (and takes no other arguments)\n", cmd)
		return exitInvalid
	}
	if *format != "text" && *format != "json" {
		fmt.Fprintf(stderr, "%s: --format %q is not supported; use text or json\n", cmd, *format)
		return exitInvalid
	}
	match, err := compile(*pattern)
	if err != nil {
		fmt.Fprintf(stderr, "%s: invalid pattern: %v\n", cmd, err)
		return exitInvalid
	}
	in := stdin
	if *eventsPath != "-" {
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
	results := make([]result, len(events))
	for i, ev := range events {
		ok, err := match(ev)
		if err != nil {
			fmt.Fprintf(stderr, "%s: event %d: %v\n", cmd, i+1, err)
			return exitInvalid
		}
		results[i] = describe(ev)
		results[i].Index, results[i].Match = i+1, ok
	}
	if *format == "json" {
		fmt.Fprintln(stdout, jsondoc.MustMarshal(results)) // plain values only
		return exitOK
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	for _, r := range results {
		answer := "no-match"
		if r.Match {
			answer = "match"
		}
		id := r.ID
		if id == "" {
			id = "-"
		}
		if r.Title != "" {
			id += " " + strconv.Quote(r.Title)
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\n", r.Index, r.Event, id, answer)
	}
	if err := tw.Flush(); err != nil {
		return exitFailure
	}
	return exitOK
}

// describe names an event for the output: a CloudTrail event by its
// eventName and eventID; an EventBridge event by its detail-type (with its
// source) and the ID and title of the finding it carries (GuardDuty puts
// them in detail, Security Hub in detail.findings), else its own id.
func describe(ev []byte) result {
	var fields struct {
		EventName  string `json:"eventName"`
		EventID    string `json:"eventID"`
		DetailType string `json:"detail-type"`
		Source     string `json:"source"`
		ID         string `json:"id"`
		Detail     struct {
			ID       string `json:"id"`
			Title    string `json:"title"`
			Findings []struct {
				ID    string `json:"Id"`
				Title string `json:"Title"`
			} `json:"findings"`
		} `json:"detail"`
	}
	// Already checked to be an object; fields of another shape stay empty.
	_ = json.Unmarshal(ev, &fields)
	d := fields.Detail
	switch {
	case fields.EventName != "":
		return result{Event: fields.EventName, ID: fields.EventID}
	case fields.DetailType == "":
		return result{Event: "-"}
	case len(d.Findings) > 0:
		r := result{ID: d.Findings[0].ID, Title: d.Findings[0].Title}
		if n := len(d.Findings) - 1; n > 0 {
			r.ID += fmt.Sprintf(" (and %d more findings)", n)
		}
		r.Event = fields.DetailType + " (" + fields.Source + ")"
		return r
	case d.ID != "":
		return result{Event: fields.DetailType + " (" + fields.Source + ")", ID: d.ID, Title: d.Title}
	}
	return result{Event: fields.DetailType + " (" + fields.Source + ")", ID: fields.ID}
}

// ReadEvents reads events given as one JSON document (pretty-printed or
// not), JSON Lines, several documents one after another, or a JSON array of
// them, as `aws logs test-metric-filter` and `aws events
// test-event-pattern` users paste them. A UTF-8 byte-order mark is skipped;
// there is no line-length limit. Every event must be a JSON object.
func ReadEvents(r io.Reader) ([][]byte, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	dec := json.NewDecoder(bytes.NewReader(data))
	var docs []json.RawMessage
	for {
		start := dec.InputOffset()
		var doc json.RawMessage
		err := dec.Decode(&doc)
		if err == io.EOF {
			break
		}
		if err != nil {
			// Name where the bad document starts, past the whitespace before it.
			start += int64(len(data[start:]) - len(bytes.TrimLeft(data[start:], " \t\r\n")))
			line, col := position(data, start)
			return nil, fmt.Errorf("events: document %d (line %d, column %d) is not valid JSON: %v", len(docs)+1, line, col, err)
		}
		docs = append(docs, doc)
	}
	if len(docs) == 0 {
		return nil, errors.New("events: no events in the input; give one JSON event, JSON Lines, or a JSON array of events")
	}
	var events [][]byte
	if len(docs) == 1 && bytes.HasPrefix(bytes.TrimSpace(docs[0]), []byte("[")) {
		var list []json.RawMessage
		if err := json.Unmarshal(docs[0], &list); err != nil {
			return nil, fmt.Errorf("events: not a JSON array of events: %v", err)
		}
		if len(list) == 0 {
			return nil, errors.New("events: the array holds no events")
		}
		for _, e := range list {
			events = append(events, e)
		}
	} else {
		for _, d := range docs {
			events = append(events, d)
		}
	}
	for i, e := range events {
		if t := bytes.TrimSpace(e); len(t) == 0 || t[0] != '{' {
			return nil, fmt.Errorf("events: event %d is not a JSON object (an event is {...})", i+1)
		}
	}
	return events, nil
}

// position turns a byte offset into a line and column, both from 1.
func position(data []byte, offset int64) (line, col int) {
	if offset > int64(len(data)) {
		offset = int64(len(data))
	}
	before := data[:offset]
	line = bytes.Count(before, []byte("\n")) + 1
	col = int(offset) - bytes.LastIndexByte(before, '\n')
	return line, col
}

package cli

import (
	"bufio"
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
	"github.com/example/landing-zone-audit/internal/eventstream"
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

// resultBlock is how many answers are held before they are printed: events
// stream through in constant memory, and an input of up to this many events
// with an invalid one among them prints nothing but the error.
const resultBlock = 1000

// runMatcher is the shared body of test-filter and test-event-pattern: it
// prints, for each event in order, its index, its name and match or
// no-match, reading the events as a stream.
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
	out := &resultWriter{w: bufio.NewWriter(stdout), json: *format == "json"}
	rd := eventstream.NewReader(in)
	for {
		ev, err := rd.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			fmt.Fprintf(stderr, "%s: %s\n", cmd, eventsError(err))
			return exitInvalid
		}
		ok, err := match(ev)
		if err != nil {
			fmt.Fprintf(stderr, "%s: event %d: %v\n", cmd, rd.Events(), err)
			return exitInvalid
		}
		r := describe(ev)
		r.Index, r.Match = rd.Events(), ok
		if err := out.add(r); err != nil {
			return exitFailure
		}
	}
	if rd.Events() == 0 {
		msg := "events: no events in the input; give one JSON event, JSON Lines, or a JSON array of events"
		if rd.Shape() == eventstream.ShapeArray {
			msg = "events: the array holds no events"
		}
		fmt.Fprintf(stderr, "%s: %s\n", cmd, msg)
		return exitInvalid
	}
	if err := out.close(); err != nil {
		return exitFailure
	}
	return exitOK
}

// eventsError words a reading error as the commands always have.
func eventsError(err error) string {
	var e *eventstream.Error
	if errors.As(err, &e) && e.Event > 0 {
		return fmt.Sprintf("events: event %d %s (line %d, column %d)", e.Event, e.Msg, e.Line, e.Column)
	}
	return "events: " + err.Error()
}

// resultWriter prints answers a block at a time: a text table aligned per
// block, or one JSON array.
type resultWriter struct {
	w       *bufio.Writer
	json    bool
	block   []result
	written bool
}

func (r *resultWriter) add(res result) error {
	r.block = append(r.block, res)
	if len(r.block) < resultBlock {
		return nil
	}
	return r.flush()
}

func (r *resultWriter) flush() error {
	if r.json {
		for _, res := range r.block {
			sep := ","
			if !r.written {
				sep = "["
			}
			r.written = true
			r.w.WriteString(sep + jsondoc.MustMarshal(res)) // plain values only
		}
	} else {
		tw := tabwriter.NewWriter(r.w, 0, 4, 2, ' ', 0)
		for _, res := range r.block {
			answer := "no-match"
			if res.Match {
				answer = "match"
			}
			id := res.ID
			if id == "" {
				id = "-"
			}
			if res.Title != "" {
				id += " " + strconv.Quote(res.Title)
			}
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\n", res.Index, res.Event, id, answer)
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	r.block = r.block[:0]
	return r.w.Flush()
}

func (r *resultWriter) close() error {
	if err := r.flush(); err != nil {
		return err
	}
	if r.json {
		r.w.WriteString("]\n")
	}
	return r.w.Flush()
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

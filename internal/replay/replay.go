package replay

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/klauspost/compress/gzip"

	"github.com/example/landing-zone-audit/internal/eventstream"
	"github.com/example/landing-zone-audit/internal/filterpattern"
)

// Options configures a replay.
type Options struct {
	// Sources are directories, files and s3://bucket/prefix locations.
	Sources []string
	Scope   Scope
	// Parallel is how many files are read at once: 0 means one per core,
	// or eight per core (at most 64) when a source is on S3, whose requests
	// spend most of their time waiting.
	Parallel int
	// Strict stops at the first file that cannot be read in full.
	Strict bool
	// Events receives every matching event as a JSON Lines record; nil for none.
	Events io.Writer
	// Top is how many principals, accounts, source IPs and event names
	// each alarm lists (0 means 5).
	Top      int
	S3       S3Options
	Progress *Progress
	// SplitSize is the size from which a local file of JSON Lines is read
	// by several workers at once (0 means DefaultSplitSize).
	SplitSize int64
}

// Progress counts the work as it goes, for a progress bar. Its fields may
// be read while Run runs.
type Progress struct {
	FilesListed, FilesDone atomic.Int64
	BytesListed, BytesRead atomic.Int64 // as stored (compressed)
	Events                 atomic.Int64
	ListingDone            atomic.Bool
}

// Problem is a file or directory that could not be read in full.
type Problem struct {
	Path string `json:"path"`
	// Error is what stopped the file's reading (the events before it count).
	Error string `json:"error,omitempty"`
	// BadEvents counts documents, lines or Records elements skipped, and
	// FirstBadEvent says what was wrong with the first.
	BadEvents     int64  `json:"badEvents,omitempty"`
	FirstBadEvent string `json:"firstBadEvent,omitempty"`
}

// Summary says what was read.
type Summary struct {
	Files int64 `json:"files"`
	// Bytes are as stored: compressed for .json.gz files.
	Bytes  int64 `json:"bytes"`
	Events int64 `json:"events"`
	// Parsed counts the events the raw-bytes check could not rule out.
	Parsed       int64   `json:"parsed"`
	BadEvents    int64   `json:"badEvents"`
	SkippedFiles int64   `json:"filesWithProblems"`
	Seconds      float64 `json:"seconds"`
	// Stopped is set when --strict stopped the run at a problem.
	Stopped bool `json:"stopped,omitempty"`
}

// AlarmReport is one alarm's replay.
type AlarmReport struct {
	Alarm
	Matches int64 `json:"matches"`
	// Untimed counts matches without a readable eventTime, which no day or
	// period holds.
	Untimed int64      `json:"untimed,omitempty"`
	First   *time.Time `json:"first,omitempty"`
	Last    *time.Time `json:"last,omitempty"`
	// Days are the matches per day (UTC), in order; days without matches
	// are left out.
	Days []Count `json:"days"`
	Evaluation
	TopPrincipals []Count `json:"topPrincipals"`
	TopAccounts   []Count `json:"topAccounts"`
	TopSourceIPs  []Count `json:"topSourceIPs"`
	TopEventNames []Count `json:"topEventNames"`
	// A top list is approximate when more distinct values matched than
	// replay keeps (256): its counts, and that of any value it leaves
	// out, may then be under the true count by at most its undercount,
	// which is zero (and left out) when the list is exact.
	TopPrincipalsUndercount int64 `json:"topPrincipalsUndercount,omitempty"`
	TopAccountsUndercount   int64 `json:"topAccountsUndercount,omitempty"`
	TopSourceIPsUndercount  int64 `json:"topSourceIPsUndercount,omitempty"`
	TopEventNamesUndercount int64 `json:"topEventNamesUndercount,omitempty"`
}

// Report is the result of a replay.
type Report struct {
	Sources  []string      `json:"sources"`
	Since    string        `json:"since,omitempty"`
	Until    string        `json:"until,omitempty"`
	Accounts []string      `json:"accounts,omitempty"`
	Regions  []string      `json:"regions,omitempty"`
	Summary  Summary       `json:"summary"`
	Alarms   []AlarmReport `json:"alarms"`
	Problems []Problem     `json:"problems"`
}

// Run replays alarms over the log files of opts.Sources. Files that cannot
// be read in full are reported in the Report's Problems; an error means the
// replay could not start (a source that does not exist, an alarm replay
// cannot evaluate).
func Run(ctx context.Context, alarms []Alarm, opts Options) (*Report, error) {
	start := time.Now()
	if len(alarms) == 0 {
		return nil, errors.New("no alarms to replay")
	}
	alarms = slices.Clone(alarms)
	var patterns []*filterpattern.Pattern
	var owner []int // alarm of each pattern
	for i := range alarms {
		if err := alarms[i].compile(); err != nil {
			return nil, err
		}
		for _, p := range alarms[i].compiled {
			patterns = append(patterns, p)
			owner = append(owner, i)
		}
	}
	r := &run{
		opts:     opts,
		alarms:   alarms,
		patterns: patterns,
		owner:    owner,
		pf:       newPrefilter(patterns),
		progress: opts.Progress,
	}
	for range alarms {
		r.tallies = append(r.tallies, newTally())
	}
	if r.progress == nil {
		r.progress = &Progress{}
	}
	if opts.Events != nil {
		r.events = bufio.NewWriterSize(opts.Events, 256<<10)
	}
	roots, err := r.resolve(ctx)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	r.cancel = cancel

	parallel := opts.Parallel
	if parallel <= 0 {
		parallel = runtime.GOMAXPROCS(0)
		if slices.ContainsFunc(roots, func(s root) bool { _, ok := s.store.(*s3Store); return ok }) {
			parallel = min(64, 8*parallel)
		}
	}
	splitSize := opts.SplitSize
	if splitSize <= 0 {
		splitSize = DefaultSplitSize
	}
	files := make(chan logFile, 256)
	send := func(f logFile) {
		r.listed(f)
		for _, p := range parts(f, parallel, splitSize) {
			select {
			case files <- p:
			case <-ctx.Done():
				return
			}
		}
	}
	go func() {
		defer close(files)
		defer r.progress.ListingDone.Store(true)
		for _, s := range roots {
			if s.file != nil {
				send(*s.file)
				continue
			}
			listed := make(chan logFile)
			go func() {
				defer close(listed)
				walk(ctx, s.store, []string{s.dir}, opts.Scope, 8, listed, func(path string, err error) {
					r.problem(Problem{Path: s.display(path), Error: "cannot list: " + err.Error()})
				})
			}()
			for f := range listed {
				send(f)
			}
		}
	}()
	var wg sync.WaitGroup
	workers := make([]*worker, parallel)
	for i := range workers {
		w := r.newWorker()
		workers[i] = w
		wg.Go(func() {
			for f := range files {
				if ctx.Err() != nil {
					continue // drain
				}
				w.read(ctx, f)
			}
		})
	}
	wg.Wait()
	if r.events != nil {
		if err := r.events.Flush(); err != nil {
			return nil, fmt.Errorf("writing the matching events: %w", err)
		}
	}
	return r.report(workers, time.Since(start)), nil
}

// root is one source, resolved: a directory to walk or a single file.
type root struct {
	store   store
	dir     string
	file    *logFile
	display func(string) string
}

// resolve checks every source before anything is read.
func (r *run) resolve(ctx context.Context) ([]root, error) {
	var roots []root
	var errs []error
	s3Stores := map[string]*s3Store{}
	for _, src := range r.opts.Sources {
		if loc, ok := parseS3(src); ok {
			st := s3Stores[loc.bucket]
			if st == nil {
				var err error
				if st, err = newS3Store(ctx, loc.bucket, r.opts.S3); err != nil {
					errs = append(errs, fmt.Errorf("%s: %w", src, err))
					continue
				}
				s3Stores[loc.bucket] = st
			}
			display := func(p string) string { return "s3://" + loc.bucket + "/" + p }
			if slices.ContainsFunc(logExtensions, func(ext string) bool { return strings.HasSuffix(loc.prefix, ext) }) {
				f := st.file(loc.prefix, 0)
				roots = append(roots, root{store: st, file: &f, display: display})
				continue
			}
			dir := loc.prefix
			if dir != "" && !strings.HasSuffix(dir, "/") {
				dir += "/"
			}
			roots = append(roots, root{store: st, dir: dir, display: display})
			continue
		}
		if strings.Contains(src, "://") {
			errs = append(errs, fmt.Errorf("%s: only directories, files and s3://bucket/prefix locations are read", src))
			continue
		}
		info, err := os.Stat(src)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		display := func(p string) string { return p }
		if info.IsDir() {
			roots = append(roots, root{store: localStore{}, dir: filepath.Clean(src), display: display})
			continue
		}
		f := logFile{store: localStore{}, path: src, name: src, size: info.Size()}
		roots = append(roots, root{store: localStore{}, file: &f, display: display})
	}
	if len(r.opts.Sources) == 0 {
		errs = append(errs, errors.New("no sources: name directories, files or s3://bucket/prefix locations"))
	}
	return roots, errors.Join(errs...)
}

// run is the state one replay shares between its workers.
type run struct {
	opts     Options
	alarms   []Alarm
	patterns []*filterpattern.Pattern
	owner    []int
	pf       *prefilter
	progress *Progress
	cancel   context.CancelFunc

	// tallies are the alarms' counts, one per alarm shared by every worker:
	// few events match, so the lock is rarely contended, and memory does
	// not grow with the number of workers.
	tallyMu sync.Mutex
	tallies []*tally

	mu       sync.Mutex
	problems []Problem
	stopped  bool
	events   *bufio.Writer // guarded by mu
}

func (r *run) listed(f logFile) {
	r.progress.FilesListed.Add(1)
	r.progress.BytesListed.Add(f.size)
}

func (r *run) problem(p Problem) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.problems = append(r.problems, p)
	if r.opts.Strict {
		r.stopped = true
		r.cancel()
	}
}

// count adds a matching event to the tallies of the alarms it matched.
func (r *run) count(matched []bool, m *matched) {
	r.tallyMu.Lock()
	defer r.tallyMu.Unlock()
	for a, ok := range matched {
		if ok {
			r.tallies[a].add(m, int64(r.alarms[a].PeriodSeconds))
		}
	}
}

// worker reads files one after another, with buffers it reuses.
type worker struct {
	r         *run
	texts     *texts
	candidate []bool // by pattern
	matched   []bool // by alarm
	reader    *eventstream.Reader
	buffered  *bufio.Reader
	gz        *gzip.Reader
	line      bytes.Buffer
	files     int64
	bytes     int64
	events    int64
	parsed    int64
	bad       int64
}

func (r *run) newWorker() *worker {
	w := &worker{
		r:         r,
		texts:     r.pf.newTexts(),
		candidate: padded[bool](len(r.patterns)),
		matched:   padded[bool](len(r.alarms)),
		reader:    eventstream.NewReader(nil),
		buffered:  bufio.NewReaderSize(nil, 64<<10),
	}
	return w
}

// counter counts the bytes read from a file as stored.
type counter struct {
	r     io.Reader
	n     *int64
	total *atomic.Int64
}

func (c counter) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	*c.n += int64(n)
	c.total.Add(int64(n))
	return n, err
}

// read replays the alarms over one file.
func (w *worker) read(ctx context.Context, f logFile) {
	if f.from == 0 { // a file read in parts counts once
		w.files++
		defer w.r.progress.FilesDone.Add(1)
	}
	name := partName(f)
	rc, err := f.store.open(ctx, f)
	if err != nil {
		if ctx.Err() == nil {
			w.r.problem(Problem{Path: name, Error: err.Error()})
		}
		return
	}
	defer rc.Close()
	w.buffered.Reset(counter{rc, &w.bytes, &w.r.progress.BytesRead})
	var src io.Reader = w.buffered
	if magic, _ := w.buffered.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		if w.gz == nil {
			w.gz, err = gzip.NewReader(w.buffered)
		} else {
			err = w.gz.Reset(w.buffered)
		}
		if err != nil {
			w.r.problem(Problem{Path: name, Error: "gzip: " + err.Error()})
			return
		}
		src = w.gz
	}
	w.reader.Reset(src)
	var p Problem
	var batch int64
	for {
		ev, err := w.reader.Next()
		if err == io.EOF {
			break
		}
		var bad *eventstream.Error
		if errors.As(err, &bad) {
			w.badEvent(&p, bad.Error())
			continue
		}
		if err != nil {
			if ctx.Err() != nil {
				return
			}
			p.Error = err.Error()
			break
		}
		batch++
		if batch == 4096 {
			w.r.progress.Events.Add(batch)
			w.events += batch
			batch = 0
		}
		if err := w.event(ev, f.name); err != nil {
			w.badEvent(&p, fmt.Sprintf("event %d (line %d): %v", w.reader.Events(), w.reader.Line(), err))
		}
	}
	w.r.progress.Events.Add(batch)
	w.events += batch
	if p.Error != "" || p.BadEvents > 0 {
		p.Path = name
		w.r.problem(p)
	}
}

func (w *worker) badEvent(p *Problem, msg string) {
	w.bad++
	p.BadEvents++
	if p.FirstBadEvent == "" {
		p.FirstBadEvent = msg
	}
}

// event replays the alarms over one event: the raw bytes first, then, for
// the few events that could match, the parsed event.
func (w *worker) event(ev []byte, file string) error {
	r := w.r
	if !r.pf.candidates(ev, w.texts, w.candidate) {
		return nil
	}
	w.parsed++
	parsed, err := filterpattern.ParseEvent(ev)
	if err != nil {
		return err
	}
	clear(w.matched)
	hit := false
	for i, p := range r.patterns {
		a := r.owner[i]
		if w.matched[a] || !w.candidate[i] {
			continue
		}
		if ok, _ := p.MatchEvent(parsed); ok {
			w.matched[a] = true
			hit = true
		}
	}
	if !hit {
		return nil
	}
	m := fields(parsed.Value())
	if !r.opts.Scope.inScope(m) {
		return nil
	}
	r.count(w.matched, &m)
	if r.events != nil {
		return w.writeEvent(ev, file)
	}
	return nil
}

// EventRecord is one line of --events: the event, the alarms it matched and
// the file it came from.
type EventRecord struct {
	Alarms []string        `json:"alarms"`
	File   string          `json:"file"`
	Event  json.RawMessage `json:"event"`
}

func (w *worker) writeEvent(ev []byte, file string) error {
	rec := EventRecord{File: file}
	for a, ok := range w.matched {
		if ok {
			rec.Alarms = append(rec.Alarms, w.r.alarms[a].Name)
		}
	}
	var compact bytes.Buffer
	if err := json.Compact(&compact, ev); err != nil {
		return err
	}
	rec.Event = compact.Bytes()
	w.line.Reset()
	enc := json.NewEncoder(&w.line)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(rec); err != nil {
		return err
	}
	w.r.mu.Lock()
	defer w.r.mu.Unlock()
	_, err := w.r.events.Write(w.line.Bytes())
	return err
}

// matched is what the report keeps of a matching event.
type matched struct {
	time                                 time.Time
	principal, account, region, sourceIP string
	eventName                            string
}

// fields reads a CloudTrail event's when, who, where and what.
func fields(v any) matched {
	ev, _ := v.(map[string]any)
	id, _ := ev["userIdentity"].(map[string]any)
	m := matched{
		principal: firstOf(str(id["arn"]), str(id["invokedBy"]), join(str(id["type"]), str(id["principalId"]))),
		account:   firstOf(str(ev["recipientAccountId"]), str(id["accountId"])),
		region:    firstOf(str(ev["awsRegion"])),
		sourceIP:  firstOf(str(ev["sourceIPAddress"])),
		eventName: firstOf(str(ev["eventName"])),
	}
	if t, err := time.Parse(time.RFC3339, str(ev["eventTime"])); err == nil {
		m.time = t.UTC()
	}
	return m
}

func join(a, b string) string {
	if a == "" || b == "" {
		return a + b
	}
	return a + ":" + b
}

// firstOf returns the first non-empty value, or "-".
func firstOf(values ...string) string {
	for _, v := range values {
		if v != "" {
			return v
		}
	}
	return "-"
}

// inScope applies the scope to a matching event: its time, and its account
// and region (files outside CloudTrail's layout say neither).
func (s Scope) inScope(m matched) bool {
	if (!s.Since.IsZero() || !s.Until.IsZero()) && (m.time.IsZero() || !s.inTime(m.time)) {
		return false
	}
	if len(s.Accounts) > 0 && !slices.Contains(s.Accounts, m.account) {
		return false
	}
	return len(s.Regions) == 0 || slices.Contains(s.Regions, m.region)
}

// report turns the tallies and the workers' counts into the report.
func (r *run) report(workers []*worker, elapsed time.Duration) *Report {
	rep := &Report{Sources: r.opts.Sources, Accounts: r.opts.Scope.Accounts, Regions: r.opts.Scope.Regions}
	if !r.opts.Scope.Since.IsZero() {
		rep.Since = r.opts.Scope.Since.Format(time.DateOnly)
	}
	if !r.opts.Scope.Until.IsZero() {
		rep.Until = r.opts.Scope.Until.Format(time.DateOnly)
	}
	n := r.opts.Top
	if n <= 0 {
		n = 5
	}
	for a, t := range r.tallies {
		ar := AlarmReport{Alarm: r.alarms[a], Matches: t.matches, Untimed: t.untimed, Days: []Count{}}
		ar.Alarm.compiled = nil
		if !t.first.IsZero() {
			first, last := t.first, t.last
			ar.First, ar.Last = &first, &last
		}
		for _, d := range slices.Sorted(maps.Keys(t.days)) {
			ar.Days = append(ar.Days, Count{time.Unix(d*86400, 0).UTC().Format(time.DateOnly), t.days[d]})
		}
		ar.Evaluation = r.alarms[a].evaluate(t.periodCounts())
		ar.TopPrincipals, ar.TopPrincipalsUndercount = t.principals.top(n), t.principals.under
		ar.TopAccounts, ar.TopAccountsUndercount = t.accounts.top(n), t.accounts.under
		ar.TopSourceIPs, ar.TopSourceIPsUndercount = t.sourceIPs.top(n), t.sourceIPs.under
		ar.TopEventNames, ar.TopEventNamesUndercount = t.eventNames.top(n), t.eventNames.under
		rep.Alarms = append(rep.Alarms, ar)
	}
	for _, w := range workers {
		rep.Summary.Files += w.files
		rep.Summary.Bytes += w.bytes
		rep.Summary.Events += w.events
		rep.Summary.Parsed += w.parsed
		rep.Summary.BadEvents += w.bad
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	rep.Problems = slices.Clone(r.problems)
	if rep.Problems == nil {
		rep.Problems = []Problem{}
	}
	slices.SortFunc(rep.Problems, func(a, b Problem) int { return strings.Compare(a.Path, b.Path) })
	rep.Summary.SkippedFiles = int64(len(rep.Problems))
	rep.Summary.Stopped = r.stopped
	rep.Summary.Seconds = elapsed.Seconds()
	return rep
}

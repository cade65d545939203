// Package eventstream reads JSON events one at a time, in memory bounded by
// the largest event rather than the input: CloudTrail log files (an object
// whose first member is a "Records" array), JSON Lines, JSON arrays of
// events, and JSON documents one after another, pretty-printed or not.
//
// The reader checks the structure of what it reads (strings, brackets and
// commas between events), not every token inside an event: whoever parses an
// event finds the rest.
package eventstream

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/bits"
)

// DefaultMaxEventSize bounds one event. CloudTrail's events are far
// smaller; the limit keeps a corrupt file from growing the buffer without end.
const DefaultMaxEventSize = 8 << 20

const initialBuffer = 64 << 10

// Shape is the form of the input's last top-level document.
type Shape int

// The shapes a Reader recognises.
const (
	ShapeNone    Shape = iota // nothing read yet
	ShapeObject               // a lone event: one per document, as in JSON Lines
	ShapeArray                // a JSON array of events
	ShapeRecords              // a CloudTrail file: {"Records": [events]}
)

// Error is one document or array element that is not an event. The Reader
// has skipped it: Next goes on with what follows.
type Error struct {
	Document int // top-level document, from 1
	Event    int // the element's number among all events, from 1; 0 for a whole document
	Line     int // where the document or element starts, from 1
	Column   int
	Msg      string
}

func (e *Error) Error() string {
	if e.Event > 0 {
		return fmt.Sprintf("event %d (line %d, column %d) %s", e.Event, e.Line, e.Column, e.Msg)
	}
	return fmt.Sprintf("document %d (line %d, column %d) %s", e.Document, e.Line, e.Column, e.Msg)
}

// mode is where the reader stands in the input.
type mode int

const (
	atTop        mode = iota // between top-level documents
	inArray                  // inside a top-level array of events
	inRecords                // inside a CloudTrail file's Records array
	afterRecords             // past the Records array, inside the file's object
)

// Reader reads events from an io.Reader. It is not safe for concurrent use.
type Reader struct {
	// MaxEventSize bounds one event (DefaultMaxEventSize if zero).
	MaxEventSize int

	src      io.Reader
	buf      []byte
	pos, end int   // unread input is buf[pos:end]
	srcErr   error // the source's error, once it has returned one
	err      error // a fatal error, returned by every later Next
	pending  int   // bytes of the last event, consumed at the next call
	stack    []byte

	mode      mode
	needComma bool
	started   bool

	docs, events int
	shape        Shape
	line         int   // line of buf[pos]
	lastNL       int64 // input offset of the last newline consumed, -1 if none
	offset       int64 // input offset of buf[pos]
}

// NewReader returns a Reader of r.
func NewReader(r io.Reader) *Reader {
	rd := &Reader{}
	rd.Reset(r)
	return rd
}

// Reset makes the Reader read r from the start, keeping its buffer.
func (r *Reader) Reset(src io.Reader) {
	*r = Reader{MaxEventSize: r.MaxEventSize, src: src, buf: r.buf[:cap(r.buf)], stack: r.stack[:0], line: 1, lastNL: -1}
	if len(r.buf) == 0 {
		r.buf = make([]byte, initialBuffer)
	}
}

// Events is how many events (and elements that are not events) the Reader
// has returned.
func (r *Reader) Events() int { return r.events }

// Shape is the form of the last top-level document read.
func (r *Reader) Shape() Shape { return r.shape }

// Line is the line the next event starts on, or the last one ended on.
func (r *Reader) Line() int { return r.line }

// Next returns the next event, valid until the following call. At the end of
// the input it returns io.EOF. An *Error means one document or element was
// skipped and reading goes on; any other error (the source's, a truncated
// input, an event over MaxEventSize) ends the input and is returned again by
// every later call.
func (r *Reader) Next() ([]byte, error) {
	if r.err != nil {
		return nil, r.err
	}
	r.advance(r.pending)
	r.pending = 0
	ev, err := r.next()
	if err != nil {
		var e *Error
		if !errors.As(err, &e) {
			r.err = err
		}
	}
	return ev, err
}

func (r *Reader) next() ([]byte, error) {
	for {
		if !r.started {
			r.started = true
			if err := r.ensure(3); err != nil && err != io.EOF {
				return nil, err
			}
			if bytes.HasPrefix(r.buf[r.pos:r.end], []byte("\xef\xbb\xbf")) {
				r.advance(3)
			}
		}
		c, err := r.skipSpace()
		if err == io.EOF {
			if r.mode != atTop {
				return nil, r.truncated()
			}
			return nil, io.EOF
		}
		if err != nil {
			return nil, err
		}
		switch r.mode {
		case atTop:
			return r.topLevel(c)
		case inArray, inRecords:
			if c == ']' {
				r.advance(1)
				r.needComma = false
				if r.mode == inRecords {
					r.mode = afterRecords
					r.needComma = true
				} else {
					r.mode = atTop
				}
				continue
			}
			if r.needComma {
				if c != ',' {
					return nil, r.syntaxError("expected , or ] after an event")
				}
				r.advance(1)
				r.needComma = false
				continue
			}
			return r.element(c)
		case afterRecords:
			if err := r.skipMember(c); err != nil {
				return nil, err
			}
		}
	}
}

// topLevel starts a document at c.
func (r *Reader) topLevel(c byte) ([]byte, error) {
	r.docs++
	line, col := r.line, r.column()
	switch c {
	case '[':
		r.advance(1)
		r.mode, r.needComma, r.shape = inArray, false, ShapeArray
		return r.next()
	case '{':
		if r.recordsAhead() {
			r.mode, r.needComma, r.shape = inRecords, false, ShapeRecords
			return r.next()
		}
		r.shape = ShapeObject
		n, err := r.scanComposite(0)
		if err != nil {
			// Declared here, bad is allocated (errors.As takes its
			// address) only for a bad document, not for every event.
			var bad *scanError
			if !errors.As(err, &bad) {
				return nil, err
			}
			// Start again on the next line, as JSON Lines would.
			if err := r.skipLine(); err != nil {
				return nil, err
			}
			return nil, &Error{Document: r.docs, Line: line, Column: col, Msg: "is not valid JSON: " + bad.msg}
		}
		r.events++
		r.pending = n
		return r.buf[r.pos : r.pos+n], nil
	}
	// Not an event: skip the rest of the line and say whether it was JSON at all.
	msg := "is not valid JSON"
	if n, err := r.scanValue(c); err == nil && json.Valid(r.buf[r.pos:r.pos+n]) {
		msg = "is not a JSON object (an event is {...})"
	}
	if err := r.skipLine(); err != nil {
		return nil, err
	}
	return nil, &Error{Document: r.docs, Line: line, Column: col, Msg: msg}
}

// element returns the array element that starts at c.
func (r *Reader) element(c byte) ([]byte, error) {
	r.events++
	r.needComma = true
	line, col := r.line, r.column()
	n, err := r.scanValue(c)
	if err != nil {
		return nil, r.fatal(err)
	}
	if c != '{' {
		r.advance(n)
		return nil, &Error{Document: r.docs, Event: r.events, Line: line, Column: col, Msg: "is not a JSON object (an event is {...})"}
	}
	r.pending = n
	return r.buf[r.pos : r.pos+n], nil
}

// recordsAhead reports whether the object at pos opens with a "Records"
// array, and if so consumes the input up to the array's first element.
func (r *Reader) recordsAhead() bool {
	_ = r.ensure(64)
	b := r.buf[r.pos:r.end]
	i := skipWS(b, 1)
	if !bytes.HasPrefix(b[i:], []byte(`"Records"`)) {
		return false
	}
	i = skipWS(b, i+len(`"Records"`))
	if i >= len(b) || b[i] != ':' {
		return false
	}
	i = skipWS(b, i+1)
	if i >= len(b) || b[i] != '[' {
		return false
	}
	r.advance(i + 1)
	return true
}

// skipMember skips one member (or the separator, or the closing brace) of
// a CloudTrail file's object after its Records array.
func (r *Reader) skipMember(c byte) error {
	switch {
	case c == '}':
		r.advance(1)
		r.mode = atTop
		return nil
	case r.needComma && c == ',':
		r.advance(1)
		r.needComma = false
		return nil
	case !r.needComma && c == '"':
		n, err := r.scanValue(c) // the key
		if err != nil {
			return r.fatal(err)
		}
		r.advance(n)
		if c, err = r.skipSpace(); err != nil {
			return r.eofIsTruncation(err)
		}
		if c != ':' {
			return r.syntaxError("expected : after a key")
		}
		r.advance(1)
		if c, err = r.skipSpace(); err != nil {
			return r.eofIsTruncation(err)
		}
		if n, err = r.scanValue(c); err != nil {
			return r.fatal(err)
		}
		r.advance(n)
		r.needComma = true
		return nil
	}
	return r.syntaxError("unexpected character in the object around Records")
}

// scanValue returns the length of the JSON value starting at pos with c.
func (r *Reader) scanValue(c byte) (int, error) {
	switch c {
	case '{', '[':
		return r.scanComposite(0)
	case '"':
		for from := 1; ; {
			n, ok := skipString(r.buf[r.pos:r.end], from)
			if ok {
				return n, nil
			}
			from = n
			if err := r.more(); err != nil {
				return 0, endsInside(err, "a string")
			}
		}
	}
	n, err := r.scalar()
	if err != nil {
		return 0, err
	}
	if n == 0 {
		return 0, &scanError{fmt.Sprintf("unexpected character %q", c)}
	}
	return n, nil
}

// scalar returns the length of the number, true, false, null (or garbage)
// at pos: everything up to the next separator.
func (r *Reader) scalar() (int, error) {
	for from := 0; ; {
		b := r.buf[r.pos:r.end]
		for i := from; i < len(b); i++ {
			switch b[i] {
			case ',', ']', '}', ' ', '\t', '\r', '\n', '"', '{', '[', ':':
				return i, nil
			}
		}
		from = len(b)
		if err := r.more(); err == io.EOF {
			return from, nil
		} else if err != nil {
			return 0, err
		}
	}
}

// scanComposite returns the length of the object or array at pos+from,
// checking that brackets pair up, and reading more input as needed.
//
// Most of an event's bytes are inside short strings. Where classify is in
// assembly, it goes through the input a block of 64 bytes at a time: the
// block's quotes tell which of its bytes are inside strings, and only its
// brackets outside strings are looked at one by one. A block with a
// backslash, whose escapes change where strings end, the buffer's last
// bytes, and all the input elsewhere, go from string to string, each found
// with bytes.IndexByte.
func (r *Reader) scanComposite(from int) (int, error) {
	var (
		stack    = r.stack[:0] // the open brackets
		inString uint64        // all ones inside a string, else zero
		i        = from
	)
	for {
		b := r.buf[r.pos:r.end]
		for i < len(b) {
			// A block that starts inside a string must not start with a byte
			// a backslash may escape: that one is for the byte-at-a-time path.
			if haveClassify && i+64 <= len(b) && (inString == 0 || b[i-1] != '\\') {
				quotes, backslashes, brackets := classify((*[64]byte)(b[i : i+64]))
				if backslashes == 0 {
					in := prefixXor(quotes) ^ inString
					inString = uint64(int64(in) >> 63) // from the block's last byte
					for m := brackets &^ in; m != 0; m &= m - 1 {
						j := i + bits.TrailingZeros64(m)
						var done bool
						var err error
						if stack, done, err = bracket(stack, b[j], j-from); done || err != nil {
							return r.scanned(stack, j+1, err)
						}
					}
					i += 64
					continue
				}
			}
			// To the end of the block at least, and of the string there.
			if inString != 0 {
				n, ok := skipString(b, i)
				if i = n; !ok {
					break
				}
				inString = 0
			}
			for end := min(i+64, len(b)); i < end; i++ {
				switch c := b[i]; c {
				case '"':
					n, ok := skipString(b, i+1)
					if !ok {
						inString = ^uint64(0)
					}
					i = n - 1 // the string's last byte, or the buffer's
				case '{', '[', '}', ']':
					var done bool
					var err error
					if stack, done, err = bracket(stack, c, i-from); done || err != nil {
						return r.scanned(stack, i+1, err)
					}
				}
			}
		}
		if err := r.more(); err != nil {
			return r.scanned(stack, 0, endsInside(err, "an event"))
		}
	}
}

// scanned ends scanComposite, keeping the stack's memory for the next.
func (r *Reader) scanned(stack []byte, n int, err error) (int, error) {
	r.stack = stack[:0]
	if err != nil {
		return 0, err
	}
	return n, nil
}

// prefixXor sets bit i of its result to the parity of bits 0..i of x: of
// quotes, whether byte i is inside a string (an opening quote is, a
// closing one is not), in a block where every quote opens or closes one.
func prefixXor(x uint64) uint64 {
	x ^= x << 1
	x ^= x << 2
	x ^= x << 4
	x ^= x << 8
	x ^= x << 16
	x ^= x << 32
	return x
}

// bracket applies c, at index i of a composite, to the stack of open
// brackets; any other byte leaves it as it is. It reports whether c closes
// the composite, or an error if c closes a bracket that is not open.
func bracket(stack []byte, c byte, i int) ([]byte, bool, error) {
	switch c {
	case '{', '[':
		return append(stack, c), false, nil
	case '}', ']':
		// In ASCII each closing bracket is two past its opening one.
		if len(stack) == 0 || stack[len(stack)-1] != c-2 {
			return stack, false, &scanError{fmt.Sprintf("unexpected %q at byte %d", c, i+1)}
		}
		stack = stack[:len(stack)-1]
		return stack, len(stack) == 0, nil
	}
	return stack, false, nil
}

// skipString returns the index just past the closing quote of a string
// whose contents start at from, and true; or, when b ends first, where to
// resume and false.
func skipString(b []byte, from int) (int, bool) {
	for {
		k := bytes.IndexByte(b[from:], '"')
		if k < 0 {
			return len(b), false
		}
		q := from + k
		backslashes := 0
		for j := q - 1; j >= 0 && b[j] == '\\'; j-- {
			backslashes++
		}
		if backslashes%2 == 0 {
			return q + 1, true
		}
		from = q + 1
	}
}

func skipWS(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r' || b[i] == '\n') {
		i++
	}
	return i
}

// skipSpace consumes whitespace and returns the byte after it.
func (r *Reader) skipSpace() (byte, error) {
	for {
		b := r.buf[r.pos:r.end]
		i := skipWS(b, 0)
		r.advance(i)
		if i < len(b) {
			return b[i], nil
		}
		if err := r.more(); err != nil {
			return 0, err
		}
	}
}

// skipLine consumes the input up to and including the next newline.
func (r *Reader) skipLine() error {
	for {
		b := r.buf[r.pos:r.end]
		if k := bytes.IndexByte(b, '\n'); k >= 0 {
			r.advance(k + 1)
			return nil
		}
		r.advance(len(b))
		if err := r.more(); err == io.EOF {
			return nil
		} else if err != nil {
			return err
		}
	}
}

// advance consumes n bytes, counting lines.
func (r *Reader) advance(n int) {
	if n == 0 {
		return
	}
	b := r.buf[r.pos : r.pos+n]
	if c := bytes.Count(b, []byte{'\n'}); c > 0 {
		r.line += c
		r.lastNL = r.offset + int64(bytes.LastIndexByte(b, '\n'))
	}
	r.pos += n
	r.offset += int64(n)
}

func (r *Reader) column() int { return int(r.offset - r.lastNL) }

// ensure reads until n bytes are unread or the input ends.
func (r *Reader) ensure(n int) error {
	for r.end-r.pos < n {
		if err := r.more(); err != nil {
			return err
		}
	}
	return nil
}

// more reads at least one more byte into the buffer, moving the unread
// input to the front or growing the buffer when it is full. It returns
// io.EOF at the end of the input.
func (r *Reader) more() error {
	if r.srcErr != nil {
		return r.srcErr
	}
	if r.pos > 0 && (r.end == len(r.buf) || r.pos > len(r.buf)/2) {
		r.end = copy(r.buf, r.buf[r.pos:r.end])
		r.pos = 0
	}
	if r.end == len(r.buf) {
		limit := r.MaxEventSize
		if limit <= 0 {
			limit = DefaultMaxEventSize
		}
		if len(r.buf) >= limit {
			return &scanError{fmt.Sprintf("an event larger than %d MiB", limit>>20)}
		}
		grown := make([]byte, min(2*len(r.buf), limit))
		r.end = copy(grown, r.buf[:r.end])
		r.buf = grown
	}
	for {
		n, err := r.src.Read(r.buf[r.end:])
		r.end += n
		if err != nil {
			r.srcErr = err
			if n > 0 {
				return nil
			}
			return err
		}
		if n > 0 {
			return nil
		}
	}
}

// truncated is the error for input that ends inside an array or event.
func (r *Reader) truncated() error {
	return fmt.Errorf("line %d: the input ends inside %s (truncated file?)", r.line, r.where())
}

func (r *Reader) eofIsTruncation(err error) error {
	if err == io.EOF {
		return r.truncated()
	}
	return err
}

func (r *Reader) where() string {
	switch r.mode {
	case inRecords, afterRecords:
		return "a CloudTrail file's Records"
	case inArray:
		return "an array of events"
	}
	return "an event"
}

// scanError is a problem with the structure of the input (as opposed to an
// error from the source).
type scanError struct{ msg string }

func (e *scanError) Error() string { return e.msg }

// endsInside turns the end of the input inside a value into a scanError.
func endsInside(err error, what string) error {
	if err == io.EOF {
		return &scanError{"the input ends inside " + what + " (truncated?)"}
	}
	return err
}

// fatal places a structural error where the reader stands; after one, the
// reader cannot find where the next event starts.
func (r *Reader) fatal(err error) error {
	var bad *scanError
	if errors.As(err, &bad) {
		return fmt.Errorf("line %d, column %d: %s is not valid JSON: %s", r.line, r.column(), r.where(), bad.msg)
	}
	return err
}

func (r *Reader) syntaxError(msg string) error {
	return r.fatal(&scanError{msg})
}

package eventstream

// refReader is the reader as it was before its scanner went through the
// input in blocks: one byte at a time, each string found with
// bytes.IndexByte. It is kept as the reference that FuzzReader and
// TestReaderEverySplit compare the Reader with, and BenchmarkReader
// measures it beside the Reader. It shares only the types of what it
// returns.

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

type refReader struct {
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

// newRefReader returns a refReader of r.
func newRefReader(r io.Reader) *refReader {
	rd := &refReader{}
	rd.Reset(r)
	return rd
}

// Reset makes the refReader read r from the start, keeping its buffer.
func (r *refReader) Reset(src io.Reader) {
	*r = refReader{MaxEventSize: r.MaxEventSize, src: src, buf: r.buf[:cap(r.buf)], stack: r.stack[:0], line: 1, lastNL: -1}
	if len(r.buf) == 0 {
		r.buf = make([]byte, initialBuffer)
	}
}

// Events is how many events (and elements that are not events) the refReader
// has returned.
func (r *refReader) Events() int { return r.events }

// Shape is the form of the last top-level document read.
func (r *refReader) Shape() Shape { return r.shape }

// Line is the line the next event starts on, or the last one ended on.
func (r *refReader) Line() int { return r.line }

// Next returns the next event, valid until the following call. At the end of
// the input it returns io.EOF. An *Error means one document or element was
// skipped and reading goes on; any other error (the source's, a truncated
// input, an event over MaxEventSize) ends the input and is returned again by
// every later call.
func (r *refReader) Next() ([]byte, error) {
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

func (r *refReader) next() ([]byte, error) {
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
func (r *refReader) topLevel(c byte) ([]byte, error) {
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
		var bad *scanError
		if errors.As(err, &bad) {
			// Start again on the next line, as JSON Lines would.
			if err := r.skipLine(); err != nil {
				return nil, err
			}
			return nil, &Error{Document: r.docs, Line: line, Column: col, Msg: "is not valid JSON: " + bad.msg}
		}
		if err != nil {
			return nil, err
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
func (r *refReader) element(c byte) ([]byte, error) {
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
func (r *refReader) recordsAhead() bool {
	_ = r.ensure(64)
	b := r.buf[r.pos:r.end]
	i := refSkipWS(b, 1)
	if !bytes.HasPrefix(b[i:], []byte(`"Records"`)) {
		return false
	}
	i = refSkipWS(b, i+len(`"Records"`))
	if i >= len(b) || b[i] != ':' {
		return false
	}
	i = refSkipWS(b, i+1)
	if i >= len(b) || b[i] != '[' {
		return false
	}
	r.advance(i + 1)
	return true
}

// skipMember skips one member (or the separator, or the closing brace) of
// a CloudTrail file's object after its Records array.
func (r *refReader) skipMember(c byte) error {
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
func (r *refReader) scanValue(c byte) (int, error) {
	switch c {
	case '{', '[':
		return r.scanComposite(0)
	case '"':
		for from := 1; ; {
			n, ok := refSkipString(r.buf[r.pos:r.end], from)
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
func (r *refReader) scalar() (int, error) {
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
func (r *refReader) scanComposite(from int) (int, error) {
	stack := r.stack[:0]
	defer func() { r.stack = stack[:0] }()
	i, inString := from, false
	for {
		b := r.buf[r.pos:r.end]
		if inString {
			n, ok := refSkipString(b, i)
			i = n
			if !ok {
				if err := r.more(); err != nil {
					return 0, endsInside(err, "an event")
				}
				continue
			}
			inString = false
		}
		for i < len(b) {
			c := b[i]
			switch c {
			case '"':
				n, ok := refSkipString(b, i+1)
				i = n
				if !ok {
					inString = true
					goto refill
				}
				continue
			case '{', '[':
				stack = append(stack, c)
			case '}', ']':
				open := byte('{')
				if c == ']' {
					open = '['
				}
				if len(stack) == 0 || stack[len(stack)-1] != open {
					return 0, &scanError{fmt.Sprintf("unexpected %q at byte %d", c, i-from+1)}
				}
				stack = stack[:len(stack)-1]
				if len(stack) == 0 {
					return i + 1, nil
				}
			}
			i++
		}
	refill:
		if err := r.more(); err != nil {
			return 0, endsInside(err, "an event")
		}
	}
}

// refSkipString returns the index just past the closing quote of a string
// whose contents start at from, and true; or, when b ends first, where to
// resume and false.
func refSkipString(b []byte, from int) (int, bool) {
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

func refSkipWS(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r' || b[i] == '\n') {
		i++
	}
	return i
}

// skipSpace consumes whitespace and returns the byte after it.
func (r *refReader) skipSpace() (byte, error) {
	for {
		b := r.buf[r.pos:r.end]
		i := refSkipWS(b, 0)
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
func (r *refReader) skipLine() error {
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
func (r *refReader) advance(n int) {
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

func (r *refReader) column() int { return int(r.offset - r.lastNL) }

// ensure reads until n bytes are unread or the input ends.
func (r *refReader) ensure(n int) error {
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
func (r *refReader) more() error {
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
func (r *refReader) truncated() error {
	return fmt.Errorf("line %d: the input ends inside %s (truncated file?)", r.line, r.where())
}

func (r *refReader) eofIsTruncation(err error) error {
	if err == io.EOF {
		return r.truncated()
	}
	return err
}

func (r *refReader) where() string {
	switch r.mode {
	case inRecords, afterRecords:
		return "a CloudTrail file's Records"
	case inArray:
		return "an array of events"
	}
	return "an event"
}

// fatal places a structural error where the reader stands; after one, the
// reader cannot find where the next event starts.
func (r *refReader) fatal(err error) error {
	var bad *scanError
	if errors.As(err, &bad) {
		return fmt.Errorf("line %d, column %d: %s is not valid JSON: %s", r.line, r.column(), r.where(), bad.msg)
	}
	return err
}

func (r *refReader) syntaxError(msg string) error {
	return r.fatal(&scanError{msg})
}

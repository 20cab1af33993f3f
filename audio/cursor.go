package audio

import (
	"fmt"
	"io"
)

// cursor is what the streamers of this package share: the length, the
// position and the error, held the same way so that every decoder keeps
// beep's contract alike. An error met after some samples of a call is held
// back (pending) so that those samples are handed over first; the next
// call reports it. Embedding a cursor gives a streamer Err, Len and
// Position.
type cursor struct {
	codec   string // names the streamer in errors: "wav", "mp3", ...
	length  int
	pos     int
	err     error
	pending error
}

// resume starts a call of Stream: it makes a held-back error the stream's
// error and reports whether the stream may go on.
func (c *cursor) resume() bool {
	if c.pending != nil {
		c.err, c.pending = c.pending, nil
	}
	return c.err == nil
}

// fail ends the stream with err: at once when no samples came in this call
// (n is 0), else after handing those over (beep's contract allows no
// samples with an error).
func (c *cursor) fail(n int, err error) (int, bool) {
	if n == 0 {
		c.err = err
		return 0, false
	}
	c.pending = err
	return n, true
}

func (c *cursor) Err() error    { return c.err }
func (c *cursor) Len() int      { return c.length }
func (c *cursor) Position() int { return c.pos }

// checkSeek returns the error of Seek(p) to a place outside the stream.
func (c *cursor) checkSeek(p int) error {
	if p < 0 || p > c.length {
		return fmt.Errorf("audio: %s: seek to %d out of range [0, %d]", c.codec, p, c.length)
	}
	return nil
}

// closeSource closes the file a decoder reads.
func (c *cursor) closeSource(r io.Closer) error {
	if err := r.Close(); err != nil {
		return fmt.Errorf("audio: %s: %w", c.codec, err)
	}
	return nil
}

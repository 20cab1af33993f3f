// Package progress shows how far long work has come: a status line redrawn
// in place on a terminal under lines that stay (Status), and on it a bar
// for a task of known size (Bar); elsewhere, plain occasional lines.
package progress

import (
	"fmt"
	"io"
	"sync"
	"time"
)

// Bar reports progress of a task of known size. It is safe for concurrent use.
type Bar struct {
	mu       sync.Mutex
	status   *Status
	label    string
	total    int64
	done     int64
	start    time.Time
	lastPct  int
	finished bool
}

// New returns a bar writing to w. On a terminal it redraws one line; on
// anything else it prints a line at every tenth of the work, so logs stay short.
// A nil w gives a bar that prints nothing.
func New(w io.Writer, label string, total int64) *Bar {
	s := NewStatus(w, IsTerminal(w))
	return &Bar{status: s, label: label, total: total, start: s.now(), lastPct: -1}
}

// Set records that done units of the total are done.
func (b *Bar) Set(done int64) {
	if b == nil {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.finished {
		return
	}
	b.done = min(done, b.total)
	pct := 100
	if b.total > 0 {
		pct = int(b.done * 100 / b.total)
	}
	if b.status.Terminal() {
		b.status.Draw(b.done >= b.total, fmt.Sprintf("%s %s %3d%% %s", b.label, Meter(b.done, b.total, 30), pct, b.eta(b.status.now())))
		return
	}
	if pct/10 != b.lastPct/10 || b.lastPct < 0 {
		b.lastPct = pct
		b.status.Println(fmt.Sprintf("%s: %d%%", b.label, pct))
	}
}

func (b *Bar) eta(now time.Time) string {
	el := now.Sub(b.start)
	if b.done == 0 || b.done >= b.total {
		return fmt.Sprintf("%5.1fs", el.Seconds())
	}
	left := time.Duration(float64(el) * float64(b.total-b.done) / float64(b.done))
	return fmt.Sprintf("%5.1fs left", left.Seconds())
}

// Done finishes the bar: the terminal line ends with the elapsed time.
func (b *Bar) Done() {
	if b == nil {
		return
	}
	b.Set(b.total)
	b.mu.Lock()
	defer b.mu.Unlock()
	b.status.Keep()
	b.finished = true
}

// Stop ends the bar where it is, leaving its line as drawn and the cursor on
// a fresh line, so that a message printed next (an error, Ctrl-C's) does not
// run on from the bar. Later calls to Set draw nothing.
func (b *Bar) Stop() {
	if b == nil {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.status.Keep()
	b.finished = true
}

// Println prints a line that stays above the bar (a notice met during the
// work).
func (b *Bar) Println(text string) {
	if b == nil {
		return
	}
	b.status.Println(text)
}

// Package progress draws a progress bar on a terminal, and plain occasional
// lines elsewhere, for long work such as rendering or encoding.
package progress

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	"golang.org/x/term"
)

// Bar reports progress of a task of known size. It is safe for concurrent use.
type Bar struct {
	mu       sync.Mutex
	w        io.Writer
	label    string
	total    int64
	done     int64
	tty      bool
	start    time.Time
	last     time.Time
	lastPct  int
	finished bool
	now      func() time.Time
}

// New returns a bar writing to w. On a terminal it redraws one line; on
// anything else it prints a line at every tenth of the work, so logs stay short.
// A nil w gives a bar that prints nothing.
func New(w io.Writer, label string, total int64) *Bar {
	b := &Bar{w: w, label: label, total: total, now: time.Now, lastPct: -1}
	if f, ok := w.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		b.tty = true
	}
	b.start = b.now()
	return b
}

// Set records that done units of the total are done.
func (b *Bar) Set(done int64) {
	if b == nil {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.w == nil || b.finished {
		return
	}
	b.done = min(done, b.total)
	pct := 100
	if b.total > 0 {
		pct = int(b.done * 100 / b.total)
	}
	now := b.now()
	if b.tty {
		if now.Sub(b.last) < 100*time.Millisecond && b.done < b.total {
			return
		}
		b.last = now
		const width = 30
		fill := width * pct / 100
		fmt.Fprintf(b.w, "\r\033[K%s [%s%s] %3d%% %s", b.label, strings.Repeat("#", fill), strings.Repeat(".", width-fill), pct, b.eta(now))
		return
	}
	if pct/10 != b.lastPct/10 || b.lastPct < 0 {
		b.lastPct = pct
		fmt.Fprintf(b.w, "%s: %d%%\n", b.label, pct)
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
	if b.w != nil && b.tty && !b.finished {
		fmt.Fprintln(b.w)
	}
	b.finished = true
}

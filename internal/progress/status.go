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

// IsTerminal tells whether w is a terminal.
func IsTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// Status is a line of progress redrawn in place on a terminal, under lines
// printed above it that stay: what the program's progress displays (the
// export bar, clip rendering, pack builds) have in common. Off a terminal
// it draws nothing, and the lines are printed as they come. It is safe for
// concurrent use.
type Status struct {
	mu    sync.Mutex
	w     io.Writer
	tty   bool
	drawn bool
	last  time.Time
	now   func() time.Time
}

// redrawEvery is how often the line is redrawn at most: faster is flicker.
const redrawEvery = 100 * time.Millisecond

// NewStatus returns a status line on w, drawn when tty is set (see
// IsTerminal). A nil w prints nothing.
func NewStatus(w io.Writer, tty bool) *Status {
	return &Status{w: w, tty: tty && w != nil, now: time.Now}
}

// Terminal reports whether the status line is drawn.
func (s *Status) Terminal() bool { return s.tty }

// Draw shows text as the status line, unless it was drawn less than 100 ms
// ago and force is not set.
func (s *Status) Draw(force bool, text string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.tty {
		return
	}
	now := s.now()
	if !force && s.drawn && now.Sub(s.last) < redrawEvery {
		return
	}
	s.last = now
	fmt.Fprint(s.w, "\r\033[K"+text)
	s.drawn = true
}

// Println prints a line that stays, above the status line.
func (s *Status) Println(text string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.w == nil {
		return
	}
	s.clearLocked()
	fmt.Fprintln(s.w, text)
}

// Clear takes the status line away.
func (s *Status) Clear() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.clearLocked()
}

// Keep ends the status line as drawn, so that it stays.
func (s *Status) Keep() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.drawn {
		fmt.Fprintln(s.w)
		s.drawn = false
	}
}

func (s *Status) clearLocked() {
	if s.drawn {
		fmt.Fprint(s.w, "\r\033[K")
		s.drawn = false
	}
}

// Meter draws done of total as a bar width cells wide: "[#####.....]".
func Meter(done, total int64, width int) string {
	fill := width
	if total > 0 {
		fill = int(int64(width) * min(max(done, 0), total) / total)
	}
	return "[" + strings.Repeat("#", fill) + strings.Repeat(".", width-fill) + "]"
}

package pack

import (
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"sync"
	"time"

	"golang.org/x/term"

	"routinecast/mixer"
)

// Display shows a build's progress to a person: on a terminal one line,
// redrawn, with each rendering episode's percentage; elsewhere (logs, CI) a
// line for each episode done. Its Update is a BuildOptions.Progress.
type Display struct {
	w     io.Writer
	tty   bool
	mu    sync.Mutex
	pct   map[string]int // -1 while measuring loudness
	done  int
	count int
	last  time.Time
	drawn bool
}

// NewDisplay returns a display that writes to w.
func NewDisplay(w io.Writer) *Display {
	d := &Display{w: w, pct: map[string]int{}}
	if f, ok := w.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		d.tty = true
	}
	return d
}

// Update shows one report.
func (d *Display) Update(pr Progress) {
	d.mu.Lock()
	defer d.mu.Unlock()
	slug := pr.Episode.Slug
	length := mixer.Clock(pr.Duration.Round(time.Second).Seconds())
	switch pr.Kind {
	case Reused:
		d.line("unchanged %s.mp3 (%s)", slug, length)
	case Started:
		d.count = pr.Count
		d.pct[slug] = 0
		d.redraw(true)
	case Measuring:
		d.pct[slug] = -1
		d.redraw(true)
	case Advanced:
		if pr.Total > 0 {
			d.pct[slug] = int(pr.Done * 100 / pr.Total)
		}
		d.redraw(false)
	case Rendered:
		delete(d.pct, slug)
		d.done++
		d.line("rendered %s.mp3 (%s, %.1f MB) in %.1fs [%d/%d]", slug, length, float64(pr.Bytes)/1e6, pr.Elapsed.Seconds(), d.done, d.count)
		d.redraw(true)
	}
}

// line prints a line that stays, above the redrawn status line.
func (d *Display) line(format string, args ...any) {
	d.clear()
	fmt.Fprintf(d.w, format+"\n", args...)
}

func (d *Display) clear() {
	if d.tty && d.drawn {
		fmt.Fprint(d.w, "\r\033[K")
		d.drawn = false
	}
}

func (d *Display) redraw(force bool) {
	if !d.tty || len(d.pct) == 0 || !force && time.Since(d.last) < 100*time.Millisecond {
		return
	}
	d.last = time.Now()
	slugs := make([]string, 0, len(d.pct))
	for s := range d.pct {
		slugs = append(slugs, s)
	}
	sort.Strings(slugs)
	for i, s := range slugs {
		if d.pct[s] < 0 {
			slugs[i] = s + " measuring"
		} else {
			slugs[i] = fmt.Sprintf("%s %d%%", s, d.pct[s])
		}
	}
	fmt.Fprintf(d.w, "\r\033[Krendering [%d/%d done] %s", d.done, d.count, strings.Join(slugs, ", "))
	d.drawn = true
}

// Finish clears the status line, once the build is over.
func (d *Display) Finish() {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.clear()
}

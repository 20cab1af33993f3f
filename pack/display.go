package pack

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"
	"time"

	"routinecast/internal/progress"
	"routinecast/routines"
)

// Display shows a build's progress to a person: on a terminal one line,
// redrawn, with each rendering episode's percentage; elsewhere (logs, CI) a
// line for each episode done. Its Update is a BuildOptions.Progress.
type Display struct {
	status *progress.Status
	mu     sync.Mutex
	pct    map[string]int // -1 while measuring loudness
	done   int
	count  int
}

// NewDisplay returns a display that writes to w.
func NewDisplay(w io.Writer) *Display { return newDisplay(w, progress.IsTerminal(w)) }

func newDisplay(w io.Writer, tty bool) *Display {
	return &Display{status: progress.NewStatus(w, tty), pct: map[string]int{}}
}

// Update shows one report.
func (d *Display) Update(pr Progress) {
	d.mu.Lock()
	defer d.mu.Unlock()
	slug := pr.Episode.Slug
	length := routines.FormatClock(pr.Duration.Round(time.Second))
	switch pr.Kind {
	case Reused:
		d.line("unchanged %s.mp3 (%s)", slug, length)
	case Speaking:
		if pr.Done == pr.Total {
			d.line("%s: rendered %d lines with the built-in voice", slug, pr.Total)
		}
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
	d.status.Println(fmt.Sprintf(format, args...))
}

func (d *Display) redraw(force bool) {
	if !d.status.Terminal() || len(d.pct) == 0 {
		return
	}
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
	d.status.Draw(force, fmt.Sprintf("rendering [%d/%d done] %s", d.done, d.count, strings.Join(slugs, ", ")))
}

// Finish clears the status line, once the build is over.
func (d *Display) Finish() {
	d.status.Clear()
}

package cli

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"
	"time"

	"routinecast/internal/progress"
	"routinecast/pack"
	"routinecast/routines"
)

// packDisplay shows a pack build's progress to a person: on a terminal one
// line, redrawn, with each rendering episode's percentage; elsewhere (logs,
// CI) a line for each episode done. Its update is a pack.BuildOptions.Progress.
type packDisplay struct {
	status *progress.Status
	mu     sync.Mutex
	pct    map[string]int // -1 while measuring loudness
	done   int
	count  int
}

// newPackDisplay returns a display that writes to w, redrawn in place when
// tty is set.
func newPackDisplay(w io.Writer, tty bool) *packDisplay {
	return &packDisplay{status: progress.NewStatus(w, tty), pct: map[string]int{}}
}

// update shows one report.
func (d *packDisplay) update(pr pack.Progress) {
	d.mu.Lock()
	defer d.mu.Unlock()
	slug := pr.Episode.Slug
	length := routines.FormatClock(pr.Duration.Round(time.Second))
	switch pr.Kind {
	case pack.Reused:
		d.line("unchanged %s.mp3 (%s)", slug, length)
	case pack.Speaking:
		if pr.Done == pr.Total {
			d.line("%s: rendered %d lines with the built-in voice", slug, pr.Total)
		}
	case pack.Started:
		d.count = pr.Count
		d.pct[slug] = 0
		d.redraw(true)
	case pack.Measuring:
		d.pct[slug] = -1
		d.redraw(true)
	case pack.Advanced:
		if pr.Total > 0 {
			d.pct[slug] = int(pr.Done * 100 / pr.Total)
		}
		d.redraw(false)
	case pack.Rendered:
		delete(d.pct, slug)
		d.done++
		d.line("rendered %s.mp3 (%s, %.1f MB) in %.1fs [%d/%d]", slug, length, float64(pr.Bytes)/1e6, pr.Elapsed.Seconds(), d.done, d.count)
		d.redraw(true)
	}
}

// line prints a line that stays, above the redrawn status line.
func (d *packDisplay) line(format string, args ...any) {
	d.status.Println(fmt.Sprintf(format, args...))
}

func (d *packDisplay) redraw(force bool) {
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

// finish clears the status line, once the build is over.
func (d *packDisplay) finish() {
	d.status.Clear()
}

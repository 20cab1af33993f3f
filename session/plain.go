package session

import (
	"fmt"
	"io"

	"routinecast/mixer"
)

// plain prints one line per chapter and per spoken line, with the time, for
// output that is not a terminal (a log, a pipe, a screen reader).
type plain struct {
	w       io.Writer
	lastPos int
	chapter int
	line    string
	paused  bool
	started bool
}

// show prints what changed since the last frame; a jump of more than jump
// samples (a seek) names the chapter again.
func (d *plain) show(f frame, jump int) {
	w := f.Where
	if !d.started {
		d.started = true
		fmt.Fprintf(d.w, "%s, %s, %d chapters\n", f.Title, mixer.Clock(w.Total.Seconds()), w.Chapters)
		d.chapter = -1
	}
	jumped := w.Pos < d.lastPos || w.Pos-d.lastPos > jump
	d.lastPos = w.Pos
	if (w.Chapter != d.chapter || jumped) && w.Chapter >= 0 {
		fmt.Fprintf(d.w, "%s chapter %d/%d: %s\n", mixer.Clock(w.Elapsed.Seconds()), w.Chapter+1, w.Chapters, w.ChapterTitle)
		d.chapter = w.Chapter
	}
	if w.Speaking != "" && w.Speaking != d.line {
		fmt.Fprintf(d.w, "%s   %s\n", mixer.Clock(w.Elapsed.Seconds()), w.Speaking)
	}
	d.line = w.Speaking
	if f.Paused != d.paused && w.Elapsed > 0 {
		state := "resumed"
		if f.Paused {
			state = "paused"
		}
		fmt.Fprintf(d.w, "%s %s\n", mixer.Clock(w.Elapsed.Seconds()), state)
	}
	d.paused = f.Paused
}

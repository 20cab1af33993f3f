package session

import (
	"fmt"
	"io"
	"strconv"

	"routinecast/routines"
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
		fmt.Fprintln(d.w, f.words().Label("plain_start", "title", f.Title, "length", routines.FormatClock(w.Total), "n", strconv.Itoa(w.Chapters)))
		d.chapter = -1
	}
	jumped := w.Pos < d.lastPos || w.Pos-d.lastPos > jump
	d.lastPos = w.Pos
	if (w.Chapter != d.chapter || jumped) && w.Chapter >= 0 {
		chapter := f.words().Label("header_chapter", "n", strconv.Itoa(w.Chapter+1), "of", strconv.Itoa(w.Chapters))
		fmt.Fprintf(d.w, "%s %s: %s\n", routines.FormatClock(w.Elapsed), chapter, w.ChapterTitle)
		d.chapter = w.Chapter
	}
	if w.Speaking != "" && w.Speaking != d.line {
		fmt.Fprintf(d.w, "%s   %s\n", routines.FormatClock(w.Elapsed), w.Speaking)
	}
	d.line = w.Speaking
	if f.Paused != d.paused && w.Elapsed > 0 {
		state := f.words().Label("resumed")
		if f.Paused {
			state = f.words().Label("paused")
		}
		fmt.Fprintf(d.w, "%s %s\n", routines.FormatClock(w.Elapsed), state)
	}
	d.paused = f.Paused
}

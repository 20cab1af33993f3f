package mixer

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
)

var errNoRate = errors.New("mixer: the timeline has no sample rate")

// ms converts a sample offset to whole milliseconds, rounded to the nearest.
func (tl *Timeline) ms(n int) int64 {
	sr := int64(tl.SampleRate)
	return (int64(n)*1000 + sr/2) / sr
}

// vttTime formats milliseconds as a WebVTT timestamp, hh:mm:ss.ttt.
func vttTime(ms int64) string {
	return fmt.Sprintf("%02d:%02d:%02d.%03d", ms/3600000, ms/60000%60, ms/1000%60, ms%1000)
}

// vttText makes a line safe as WebVTT cue text: the three characters with a
// meaning there are escaped, and line breaks (a blank line would end the cue)
// become spaces.
var vttText = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", "\r\n", " ", "\n", " ", "\r", " ")

// WriteVTT writes the timeline's spoken lines as a WebVTT transcript, one cue
// per line at the time it is heard (milliseconds, rounded to the nearest).
func WriteVTT(w io.Writer, tl *Timeline) error {
	if tl.SampleRate <= 0 {
		return errNoRate
	}
	b := bufio.NewWriter(w)
	b.WriteString("WEBVTT\n")
	for i, l := range tl.Lines {
		start, end := tl.ms(l.Start), tl.ms(l.End)
		if end <= start {
			end = start + 1 // a cue must end after it starts
		}
		fmt.Fprintf(b, "\n%d\n%s --> %s\n%s\n", i+1, vttTime(start), vttTime(end), vttText.Replace(l.Text))
	}
	if err := b.Flush(); err != nil {
		return fmt.Errorf("mixer: writing the transcript: %w", err)
	}
	return nil
}

// jsonChapters is the Podcasting 2.0 JSON chapters format, version 1.2.0.
type jsonChapters struct {
	Version  string        `json:"version"`
	Title    string        `json:"title,omitempty"`
	Chapters []jsonChapter `json:"chapters"`
}

type jsonChapter struct {
	StartTime float64 `json:"startTime"`
	Title     string  `json:"title"`
}

// WriteChaptersJSON writes the timeline's chapters in the Podcasting 2.0 JSON
// chapters format: {"version":"1.2.0","chapters":[{"startTime":0.5,"title":"..."}]},
// start times in seconds to the millisecond.
func WriteChaptersJSON(w io.Writer, tl *Timeline) error {
	if tl.SampleRate <= 0 {
		return errNoRate
	}
	doc := jsonChapters{Version: "1.2.0", Title: tl.Title, Chapters: []jsonChapter{}}
	for _, c := range tl.Chapters {
		doc.Chapters = append(doc.Chapters, jsonChapter{StartTime: float64(tl.ms(c.Start)) / 1000, Title: c.Title})
	}
	e := json.NewEncoder(w)
	e.SetIndent("", "  ")
	e.SetEscapeHTML(false)
	if err := e.Encode(doc); err != nil {
		return fmt.Errorf("mixer: writing the chapters: %w", err)
	}
	return nil
}

// stamp formats milliseconds as h:mm:ss.ttt: the timeline dump's own
// format, to the millisecond (a length told to people is
// routines.FormatClock's).
func stamp(ms int64) string {
	return fmt.Sprintf("%d:%02d:%02d.%03d", ms/3600000, ms/60000%60, ms/1000%60, ms%1000)
}

// WriteTimeline writes a plain-text listing of the timeline, one chapter or
// event a line, with its sample range and its time: what golden files hold,
// exact to the sample.
func WriteTimeline(w io.Writer, tl *Timeline) error {
	if tl.SampleRate <= 0 {
		return errNoRate
	}
	b := bufio.NewWriter(w)
	ch := "stereo"
	if tl.Channels == 1 {
		ch = "mono"
	}
	fmt.Fprintf(b, "%s: %d Hz %s, %d samples (%s), %d events, %d lines, %d chapters\n",
		tl.Title, tl.SampleRate, ch, tl.Length, stamp(tl.ms(tl.Length)), len(tl.Events), len(tl.Lines), len(tl.Chapters))
	c := 0
	for _, e := range tl.Events {
		for ; c < len(tl.Chapters) && tl.Chapters[c].Start <= e.Start; c++ {
			fmt.Fprintf(b, "%s  chapter %q\n", stamp(tl.ms(tl.Chapters[c].Start)), tl.Chapters[c].Title)
		}
		what := ""
		switch {
		case e.Kind.Voice():
			what = fmt.Sprintf(" %q", e.Text)
		case e.Kind.Tone():
			what = fmt.Sprintf(" %g Hz", e.Freq)
		case e.Amp != 0 && e.Sound == BreathNoise:
			what = " noise"
		case e.Amp != 0:
			what = fmt.Sprintf(" %s %g Hz", e.Sound, e.Freq)
		}
		fmt.Fprintf(b, "%s  %-11s [%d, %d) %.3fs%s\n", stamp(tl.ms(e.Start)), e.Kind, e.Start, e.End,
			float64(e.Len())/float64(tl.SampleRate), what)
	}
	for ; c < len(tl.Chapters); c++ {
		fmt.Fprintf(b, "%s  chapter %q\n", stamp(tl.ms(tl.Chapters[c].Start)), tl.Chapters[c].Title)
	}
	if err := b.Flush(); err != nil {
		return fmt.Errorf("mixer: writing the timeline: %w", err)
	}
	return nil
}

package narration

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"

	"routinecast/routines"
)

// Line is a distinct line of narration and the levels that say it.
type Line struct {
	Text   string
	Levels []routines.Level
}

// Lines gathers the lines of scripts (typically one routine expanded at
// several levels) in first-use order, one per clip key: lines that differ
// only in case, spacing or punctuation share a clip, and the first spelling
// stands for them.
func Lines(scripts ...*routines.Script) []Line {
	var out []Line
	index := map[string]int{}
	for _, s := range scripts {
		for _, t := range s.Lines() {
			n := Normalize(t)
			i, ok := index[n]
			if !ok {
				i = len(out)
				index[n] = i
				out = append(out, Line{Text: t})
			}
			if l := &out[i]; len(l.Levels) == 0 || l.Levels[len(l.Levels)-1] != s.Level {
				l.Levels = append(l.Levels, s.Level)
			}
		}
	}
	return out
}

// Texts returns the text of each line.
func Texts(lines []Line) []string {
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = l.Text
	}
	return out
}

// RecordingFile is the file name a person's recording of text must have to
// be imported into a recorded voice ([Import]): a readable part, the line's
// key, and ".wav". A .flac or .mp3 file of the same name works as well.
func RecordingFile(text string) string { return clipBase(text, Recorded) + ".wav" }

// Sheet is a recording script: every line a person records for a routine,
// with the file name each recording must have.
type Sheet struct {
	Title   string // the routine's title
	Routine string // how the routine is named on the command line: a built-in name or a file
	// Import is the command that takes the recordings in; "" means
	// routinecast voice import with --routine Routine.
	Import string
	Levels []routines.Level
	Lines  []Line
}

// importCommand is the command the sheet tells its reader to run.
func (s *Sheet) importCommand() string {
	if s.Import != "" {
		return s.Import
	}
	c := "routinecast voice import FOLDER --voice MY-VOICE"
	if s.Routine != "" {
		c += " --routine " + s.Routine
	}
	return c
}

// NewSheet makes the recording sheet of a routine expanded at the given
// levels.
func NewSheet(title string, scripts ...*routines.Script) *Sheet {
	s := &Sheet{Title: title, Lines: Lines(scripts...)}
	for _, sc := range scripts {
		s.Levels = append(s.Levels, sc.Level)
	}
	return s
}

func (s *Sheet) levels(l Line) string {
	if len(l.Levels) == len(s.Levels) {
		return "all"
	}
	parts := make([]string, len(l.Levels))
	for i, lv := range l.Levels {
		parts[i] = string(lv)
	}
	return strings.Join(parts, " ")
}

// WriteCSV writes the sheet as CSV with a header row: n, file, text, levels
// ("all", or the levels that say the line, space-separated).
func (s *Sheet) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"n", "file", "text", "levels"})
	for i, l := range s.Lines {
		cw.Write([]string{strconv.Itoa(i + 1), RecordingFile(l.Text), l.Text, s.levels(l)})
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("narration: %w", err)
	}
	return nil
}

// WriteMarkdown writes the sheet as a printable Markdown page: how to
// record, then each line with its file name and a box to tick.
func (s *Sheet) WriteMarkdown(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "# Recording script: %s\n\n", mdEscape(s.Title))
	lv := make([]string, len(s.Levels))
	for i, l := range s.Levels {
		lv[i] = string(l)
	}
	if s.Routine != "" {
		fmt.Fprintf(&b, "Routine: `%s`. ", s.Routine)
	}
	fmt.Fprintf(&b, "%d lines, covering the levels %s.\n\n", len(s.Lines), strings.Join(lv, ", "))
	b.WriteString(`How to record:

- Record each line as its own file, named exactly as shown under it. WAV is
  shown; FLAC or MP3 with the same name work too, at any sample rate.
- Use a quiet room and keep the same distance from the microphone throughout.
  Speak calmly, at the pace you would use with someone following along.
- Silence before and after each line is trimmed, and every line is brought to
  the same loudness, so neither needs care.
- Put all the files in one folder, then run:
  ` + "`" + s.importCommand() + "`" + `
  It reports the lines still missing and any file it did not expect.

`)
	for i, l := range s.Lines {
		fmt.Fprintf(&b, "%d. [ ] %s  \n   `%s`", i+1, mdEscape(l.Text), RecordingFile(l.Text))
		if lvl := s.levels(l); lvl != "all" {
			fmt.Fprintf(&b, " (%s only)", lvl)
		}
		b.WriteString("\n")
	}
	if _, err := io.WriteString(w, b.String()); err != nil {
		return fmt.Errorf("narration: %w", err)
	}
	return nil
}

// mdEscape keeps a line's text from being read as Markdown.
func mdEscape(s string) string {
	var b strings.Builder
	for _, r := range s {
		if strings.ContainsRune("\\`*_[]<>#|~", r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

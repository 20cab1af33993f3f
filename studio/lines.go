package studio

import (
	"strings"

	"routinecast/narration"
	"routinecast/routines"
)

// lineInfo is one line of the recording sheet.
type lineInfo struct {
	Key     string // the clip key in a recorded voice
	Text    string
	Levels  string // "all", or the levels that say it
	Chapter string // the chapter it is first said in
}

// extrasChapter holds the lines no chapter says: the phrases the mixer adds
// (spoken countdown numbers, "halfway").
const extrasChapter = "Countdown and cues"

// sheetLines lists every line the routine says at any level, in the order of
// the recording sheet ('voice script'), each with the chapter it first comes
// in.
func sheetLines(r *routines.Routine) ([]lineInfo, error) {
	var scripts []*routines.Script
	for _, l := range routines.Levels() {
		sc, err := routines.Expand(r, l)
		if err != nil {
			return nil, err
		}
		scripts = append(scripts, sc)
	}
	sheet := narration.NewSheet(r.Title, scripts...)
	chapter := map[string]string{}
	for _, sc := range scripts {
		cur := ""
		for _, c := range sc.Cues {
			switch {
			case c.Kind == routines.Chapter:
				cur = c.Text
			case c.Text != "" && (c.Kind.Spoken() || c.Kind == routines.BreatheIn || c.Kind == routines.BreatheOut):
				n := narration.Normalize(c.Text)
				if _, ok := chapter[n]; !ok {
					chapter[n] = cur
				}
			}
		}
	}
	out := make([]lineInfo, len(sheet.Lines))
	for i, l := range sheet.Lines {
		ch, ok := chapter[narration.Normalize(l.Text)]
		if !ok || ch == "" {
			ch = extrasChapter
		}
		levels := "all"
		if len(l.Levels) != len(sheet.Levels) {
			parts := make([]string, len(l.Levels))
			for j, lv := range l.Levels {
				parts[j] = string(lv)
			}
			levels = strings.Join(parts, " ")
		}
		out[i] = lineInfo{Key: narration.Key(l.Text, narration.Recorded), Text: l.Text, Levels: levels, Chapter: ch}
	}
	return out, nil
}

// texts returns the lines' texts.
func texts(lines []lineInfo) []string {
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = l.Text
	}
	return out
}

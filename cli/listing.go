package cli

import (
	"fmt"
	"io"
	"strings"
	"time"

	"routinecast/mixer"
	"routinecast/routines"
)

// writeListing writes a listing for people, as show prints it: a heading
// with the total, then each chapter and its cues, one a line. The
// countdown's tones are left out: the hold implies them.
func writeListing(w io.Writer, l mixer.Listing) error {
	var b strings.Builder
	about := ""
	if l.Estimated {
		about = "about "
	}
	fmt.Fprintf(&b, "%s (level %s), %s%s\n", l.Title, l.Level, about, clockAt(l.TotalSeconds))
	// Times are right-aligned to the longest, the total's, so that the
	// columns after them line up past ten minutes and past an hour.
	wide := len(clockAt(l.TotalSeconds))
	if l.Estimated {
		b.WriteString("(times estimated from the words: no clips were rendered)\n")
	}
	ci := 0
	chapter := func() {
		fmt.Fprintf(&b, "\n%*s  %d. %s\n", wide, clockAt(l.Chapters[ci].StartSeconds), ci+1, l.Chapters[ci].Title)
		ci++
	}
	for _, c := range l.Cues {
		for ci < len(l.Chapters) && l.Chapters[ci].StartSeconds <= c.AtSeconds {
			chapter()
		}
		if mixer.EventKind(c.Kind).Tone() {
			continue
		}
		label := strings.ReplaceAll(c.Kind, "_", " ")
		switch c.Kind {
		case "say", "count", "phrase":
			fmt.Fprintf(&b, "%*s    %-11s %s\n", wide, clockAt(c.AtSeconds), label, c.Text)
		default:
			fmt.Fprintf(&b, "%*s    %-11s %s\n", wide, clockAt(c.AtSeconds), label, seconds(c.Seconds))
		}
	}
	for ci < len(l.Chapters) {
		chapter()
	}
	fmt.Fprintf(&b, "\ntotal %s%s\n", about, clockAt(l.TotalSeconds))
	_, err := io.WriteString(w, b.String())
	return err
}

// clockAt is the time sec seconds into the track, as routines.FormatClock
// tells it.
func clockAt(sec float64) string {
	return routines.FormatClock(time.Duration(sec * float64(time.Second)))
}

func seconds(s float64) string {
	return strings.TrimSuffix(strings.TrimRight(fmt.Sprintf("%.3f", s), "0"), ".") + "s"
}

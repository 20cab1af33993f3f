package narration

import (
	"fmt"
	"io"
	"os"
	"strings"
	"unicode/utf8"

	"golang.org/x/term"

	"routinecast/routines"
)

// progressLog shows how far a render is: a bar redrawn in place on a
// terminal, one line per clip otherwise (logs, pipes, CI).
type progressLog struct {
	w     io.Writer
	bar   bool
	drawn bool
}

func newProgressLog(w io.Writer, bar bool) *progressLog {
	if f, ok := w.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		bar = true
	}
	return &progressLog{w: w, bar: bar}
}

const progressBarWidth = 30

func (p *progressLog) update(u Progress) {
	if !p.bar {
		if u.Err != nil {
			fmt.Fprintf(p.w, "[%d/%d] failed: %q: %v\n", u.Done, u.Total, u.Line, u.Err)
		} else {
			fmt.Fprintf(p.w, "[%d/%d] %s\n", u.Done, u.Total, u.File)
		}
		return
	}
	if u.Err != nil {
		// A failure stays on screen above the bar.
		fmt.Fprintf(p.w, "\r\033[Kfailed: %q: %v\n", u.Line, u.Err)
	}
	fill := progressBarWidth * u.Done / u.Total
	fmt.Fprintf(p.w, "\r\033[K[%s%s] %d/%d %s", strings.Repeat("=", fill), strings.Repeat(" ", progressBarWidth-fill), u.Done, u.Total, ellipsis(u.Line, 40))
	p.drawn = true
}

func (p *progressLog) finish() {
	if p.drawn {
		fmt.Fprint(p.w, "\r\033[K")
	}
}

// ellipsis shortens s to n runes.
func ellipsis(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

func levelNames(levels []routines.Level) string {
	parts := make([]string, len(levels))
	for i, l := range levels {
		parts[i] = string(l)
	}
	return strings.Join(parts, ", ")
}

// humanBytes writes a size the way ls -h does, in powers of 1024.
func humanBytes(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGT"[exp])
}

// ShellWords joins args for a command line the user can paste, quoting those
// a shell would split or expand: the commands that advice names are run as
// they are printed.
func ShellWords(args ...string) string {
	out := make([]string, len(args))
	for i, a := range args {
		if a == "" || strings.ContainsAny(a, " \t\n'\"\\$`*?[]{}()<>|&;#~!") {
			a = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
		}
		out[i] = a
	}
	return strings.Join(out, " ")
}

// missingFix says how to give voice v (named voiceArg by the user) the clips
// it lacks for routines; each command it names, when run, does it.
func (t Tasks) missingFix(v *Voice, voiceArg string, routineArgs []string, language string) string {
	rs := ShellWords(routineArgs...)
	if voiceArg == "" {
		voiceArg = v.dir
	}
	switch {
	case v.dir == "":
		e := InstalledEngine
		if t.Engine != nil {
			e = t.Engine
		}
		name := e()
		if name == "" {
			return "the built-in voice has only the built-in routines' lines: install a speech engine (see 'routinecast voice engines') and render them"
		}
		cached, err := CacheName(EngineSpec{Name: name}, language)
		if err != nil {
			return "render them with 'routinecast voice render " + rs + " --engine " + name + "'"
		}
		return "the built-in voice has only the built-in routines' lines: render them with 'routinecast voice render " + rs + " --engine " + name + "', then use --voice " + cached
	case v.Manifest.Engine.Name == Recorded:
		routinesFlags := ""
		for _, r := range routineArgs {
			routinesFlags += " --routine " + ShellWords(r)
		}
		return "record them (see 'routinecast voice script " + rs + "') and import them with 'routinecast voice import FOLDER --voice " + ShellWords(voiceArg) + routinesFlags + "'"
	default:
		return "render them with 'routinecast voice render " + rs + " --voice " + ShellWords(voiceArg) + "'"
	}
}

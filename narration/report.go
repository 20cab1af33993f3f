package narration

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"routinecast/internal/progress"
	"routinecast/routines"
)

// progressLog shows how far a render is: a bar redrawn in place on a
// terminal, one line per clip otherwise (logs, pipes, CI).
type progressLog struct{ status *progress.Status }

func newProgressLog(w io.Writer, bar bool) *progressLog {
	return &progressLog{progress.NewStatus(w, bar || progress.IsTerminal(w))}
}

func (p *progressLog) update(u Progress) {
	if !p.status.Terminal() {
		if u.Err != nil {
			p.status.Println(fmt.Sprintf("[%d/%d] failed: %q: %v", u.Done, u.Total, u.Line, u.Err))
		} else {
			p.status.Println(fmt.Sprintf("[%d/%d] %s", u.Done, u.Total, u.File))
		}
		return
	}
	if u.Err != nil {
		// A failure stays on screen above the bar.
		p.status.Println(fmt.Sprintf("failed: %q: %v", u.Line, u.Err))
	}
	p.status.Draw(u.Done == u.Total, fmt.Sprintf("%s %d/%d %s", progress.Meter(int64(u.Done), int64(u.Total), 30), u.Done, u.Total, ellipsis(u.Line, 40)))
}

func (p *progressLog) finish() { p.status.Clear() }

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

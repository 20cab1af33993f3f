package narration

import (
	"cmp"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"routinecast/routines"
)

// Tasks does what the voice commands of routinecast do, and says what it did
// on Out and how far it is and what looks wrong on Log. Routines are named
// as a user names them (a built-in name or a file); the advice in errors
// names routinecast's commands.
type Tasks struct {
	Out, Log io.Writer
	// Load finds a routine by the name a user gave; its errors are returned
	// unchanged.
	Load func(name string) (*routines.Routine, error)
	// Engine is the speech engine advice names; nil means InstalledEngine.
	Engine func() string
}

// scripts loads the routines and expands each at the levels.
func (t Tasks) scripts(names []string, levels []routines.Level) ([]*routines.Script, error) {
	var out []*routines.Script
	for _, n := range names {
		r, err := t.Load(n)
		if err != nil {
			return nil, err
		}
		for _, l := range levels {
			s, err := routines.Expand(r, l)
			if err != nil {
				return nil, inputError(err)
			}
			out = append(out, s)
		}
	}
	return out, nil
}

// ListEngines lists the speech engines, whether each is installed and what
// installs it, and their voices.
func (t Tasks) ListEngines() error {
	var b strings.Builder
	for _, e := range Engines() {
		status := "installed (" + e.Path + ")"
		if !e.Installed() {
			status = "missing: " + e.Install
		}
		fmt.Fprintf(&b, "%-10s %s\n%-10s voices: %s\n", e.Name, status, "", e.Voices)
	}
	fmt.Fprintf(&b, "%-10s any program, set in voice.yaml (e.g. piper: see 'go doc routinecast/narration')\n", commandEngine)
	_, err := io.WriteString(t.Out, b.String())
	return err
}

// ListVoices lists the voices in the cache (see [CachedVoices]) with their
// engine, language, number of clips and size.
func (t Tasks) ListVoices() error {
	root, err := CacheRoot()
	if err != nil {
		return err
	}
	voices, err := CachedVoices()
	if err != nil {
		return err
	}
	if len(voices) == 0 {
		fmt.Fprintf(t.Out, "no cached voices in %s: 'routinecast voice render ROUTINE --engine ENGINE' or 'routinecast export ROUTINE --engine ENGINE -o FILE' makes one\n", root)
		return nil
	}
	w := tabwriter.NewWriter(t.Out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "NAME\tENGINE\tLANGUAGE\tCLIPS\tSIZE")
	for _, cv := range voices {
		m := cv.Voice.Manifest
		engine := m.Engine.Name
		if m.Engine.Voice != "" {
			engine += " " + m.Engine.Voice
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%d\t%s\n", cv.Name, engine, m.Language, cv.Voice.Len(), humanBytes(cv.Bytes))
	}
	if err := w.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(t.Out, "in %s\n", root)
	return nil
}

// CheckTask is what CheckVoice checks.
type CheckTask struct {
	Routines []string
	Levels   []routines.Level
	Voice    string // a folder or a cached voice's name; "" is the embedded voice
}

// CheckVoice lists the lines of the routines at the levels that have no
// clip in the voice. Lines without a clip are an error that says how to
// give the voice their clips.
func (t Tasks) CheckVoice(o CheckTask) error {
	scripts, err := t.scripts(o.Routines, o.Levels)
	if err != nil {
		return err
	}
	v, err := OpenVoice(o.Voice)
	if err != nil {
		return err
	}
	lines := Lines(scripts...)
	missing := v.Missing(Texts(lines))
	damaged := v.Damaged(Texts(lines))
	fmt.Fprintf(t.Out, "%s: %d lines of %s (%s)\n", v.describe(), len(lines), strings.Join(o.Routines, ", "), levelNames(o.Levels))
	if len(missing) == 0 && len(damaged) == 0 {
		fmt.Fprintf(t.Out, "every line has a clip\n")
		return nil
	}
	var problems []string
	if len(missing) > 0 {
		fmt.Fprintf(t.Out, "%d lines have no clip:\n", len(missing))
		for _, l := range missing {
			fmt.Fprintf(t.Out, "  %s\n", l)
		}
		problems = append(problems, fmt.Sprintf("%d of %d lines have no clip", len(missing), len(lines)))
	}
	if len(damaged) > 0 {
		fmt.Fprintf(t.Out, "%d clips do not decode:\n", len(damaged))
		for _, d := range damaged {
			fmt.Fprintf(t.Out, "  %s (%s: %s)\n", d.Line, d.File, errText(d.Err))
		}
		problems = append(problems, fmt.Sprintf("%d clips do not decode", len(damaged)))
	}
	fix := t.missingFix(v, o.Voice, o.Routines, scripts[0].Language)
	if len(missing) == 0 && v.Manifest.Engine.Name != Recorded && v.dir != "" {
		// Render replaces the clips that do not decode.
		fix = "render them again with 'routinecast voice render " + ShellWords(o.Routines...) + " --voice " + ShellWords(cmp.Or(o.Voice, v.dir)) + "'"
	}
	return fmt.Errorf("voice check: %s; %s", strings.Join(problems, ", "), fix)
}

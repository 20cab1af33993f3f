package narration

import (
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
	"slices"
	"strings"
	"time"

	"routinecast/routines"
)

// RenderTask is what RenderVoice renders.
type RenderTask struct {
	Routines []string
	Levels   []routines.Level
	Choice               // the voice to render into (see EngineVoice)
	Clips    *ClipFormat // nil: leave the voice's as it is
	Jobs     int
	Timeout  time.Duration
	Prune    bool // delete the clips none of the routines' lines needs
	Bar      bool // draw the progress bar even when Log is no terminal
}

// RenderVoice renders the lines of the routines at the levels that have no
// clip in the chosen voice yet, and the phrases a track may add on request
// (mayAdd), so that a rendered voice can say them too.
func (t Tasks) RenderVoice(ctx context.Context, o RenderTask) error {
	switch {
	case o.Jobs < 1:
		return inputError(fmt.Errorf("voice render: --jobs %d: give 1 or more", o.Jobs))
	case o.Timeout <= 0:
		return inputError(fmt.Errorf("voice render: --timeout %v: give a positive duration", o.Timeout))
	case o.EngineVoice != "" && o.Engine == "" && o.Voice == "":
		return inputError(errors.New("voice render: --engine-voice needs --engine"))
	}
	scripts, err := t.scripts(o.Routines, o.Levels)
	if err != nil {
		return err
	}
	lines := append(Texts(Lines(scripts...)), mayAdd(scripts)...)
	lang := scripts[0].Language
	v, err := EngineVoice(o.Choice, lang, o.Clips)
	if err != nil {
		return err
	}
	if !sameLanguage(lang, v.Manifest.Language) {
		fmt.Fprintf(t.Log, "warning: %s is in %q, the routine in %q\n", v.describe(), v.Manifest.Language, lang)
	}
	fmt.Fprintf(t.Out, "%s: %d lines of %s (%s)\n", v.describe(), len(lines), strings.Join(o.Routines, ", "), levelNames(o.Levels))
	if o.Prune && v.OnDisk() {
		pruned, err := v.Prune(lines)
		if err != nil {
			return fmt.Errorf("voice render: %w", err)
		}
		if len(pruned) > 0 {
			fmt.Fprintf(t.Out, "pruned %d clips no line needs\n", len(pruned))
		}
	}
	return t.renderMissing(ctx, t.Out, "voice render", v, lines, o.Jobs, o.Timeout, o.Bar)
}

// VoiceFor readies the voice a routine is played or exported with at level,
// or at every level when all is set (a routine fitted to a length plays
// something between them). With an engine chosen, the clips the routine
// lacks are rendered first, and the messages go to Log (Out may carry the
// audio). With neither a voice nor an engine named, the embedded voice speaks
// a routine it has every clip for, and the built-in engine renders any other
// (one voice for the whole track: never the embedded voice with another). It
// returns the voice's folder, "" for the embedded voice; what names the
// command in errors.
func (t Tasks) VoiceFor(ctx context.Context, what string, c Choice, r *routines.Routine, level routines.Level, all bool) (string, error) {
	if c.Engine == "" && c.EngineVoice != "" {
		return "", inputError(fmt.Errorf("%s: --engine-voice needs --engine", what))
	}
	if c.Engine == "" && c.Voice != "" {
		return LookupVoice(c.Voice)
	}
	levels := []routines.Level{level}
	if all {
		levels = routines.Levels()
	}
	var scripts []*routines.Script
	for _, l := range levels {
		s, err := routines.Expand(r, l)
		if err != nil {
			return "", inputError(err)
		}
		scripts = append(scripts, s)
	}
	lines := Texts(Lines(scripts...))
	if c.Engine == "" {
		if len(Default().Missing(lines)) == 0 {
			return "", nil
		}
		c.Engine = BuiltinFor(scripts[0].Language)
	}
	v, err := EngineVoice(c, scripts[0].Language, nil)
	if err != nil {
		return "", err
	}
	if err := v.removeDamaged(lines, t.notice); err != nil {
		return "", err
	}
	if missing := v.Missing(lines); len(missing) > 0 {
		fmt.Fprintf(t.Log, "%s: %d of the %d lines of %s have no clip yet\n", v.describe(), len(missing), len(lines), r.Title)
	}
	if err := t.RenderLines(ctx, what, v, lines); err != nil {
		return "", err
	}
	return v.Dir(), nil
}

// RenderLines renders the lines v has no clip for with v's engine, showing
// progress on Log; it says nothing when every line has a clip.
func (t Tasks) RenderLines(ctx context.Context, what string, v *Voice, lines []string) error {
	if len(v.Missing(lines)) == 0 {
		return nil
	}
	return t.renderMissing(ctx, t.Log, what, v, lines, 0, DefaultTimeout, false)
}

// notice prints a repair of a voice's clips on Log.
func (t Tasks) notice(r CacheRepair) { fmt.Fprintln(t.Log, r.String()) }

// renderMissing renders the lines v has no clip for, showing progress on
// Log, and says what it did on out.
func (t Tasks) renderMissing(ctx context.Context, out io.Writer, what string, v *Voice, lines []string, jobs int, timeout time.Duration, bar bool) error {
	// A clip that does not decode is no clip: it is rendered again.
	if err := v.removeDamaged(lines, t.notice); err != nil {
		return err
	}
	missing := v.Missing(lines)
	if len(missing) == 0 {
		fmt.Fprintf(out, "every line has a clip already: nothing to render\n")
		return nil
	}
	if jobs <= 0 {
		jobs = runtime.NumCPU()
	}
	jobs = min(jobs, len(missing))
	fmt.Fprintf(out, "rendering %d missing clips, %d at a time\n", len(missing), jobs)
	start := time.Now()
	prog := newProgressLog(t.Log, bar)
	res, err := Render(ctx, v, lines, RenderOptions{Jobs: jobs, Timeout: timeout, Progress: prog.update})
	prog.finish()
	elapsed := time.Since(start).Round(100 * time.Millisecond)
	switch {
	case errors.Is(err, ErrNotInstalled):
		return inputError(fmt.Errorf("%s: %w", what, err))
	case err != nil && res.Failed > 0 && ctx.Err() == nil:
		// Render stops at the first line that fails; the clips finished
		// before it are kept.
		return fmt.Errorf("%s: stopped after %d clips in %v, at the first line that failed:\n%w", what, len(res.Rendered), elapsed, err)
	case err != nil:
		return stopped(fmt.Errorf("%s: %w", what, err),
			fmt.Sprintf("kept %d clips rendered before the interrupt in %s; run it again to finish", len(res.Rendered), v.Dir()))
	}
	fmt.Fprintf(out, "rendered %d clips in %v into %s\n", len(res.Rendered), elapsed, v.Dir())
	return nil
}

// mayAdd are the phrases a track says only when asked to (a spoken
// hold-start's "Hold."): not lines a voice must have, but ones a rendered
// voice gets, and --prune keeps.
func mayAdd(scripts []*routines.Script) []string {
	var out []string
	for _, s := range scripts {
		if h := s.Phrases.Hold; h != "" && !slices.Contains(out, h) {
			out = append(out, h)
		}
	}
	return out
}

package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
	"time"

	ucli "github.com/urfave/cli/v3"

	"routinecast/narration"
	"routinecast/routines"
)

// engineFlags let a command that plays a routine (export, show, play) render
// the clips its voice lacks with a speech engine first.
func engineFlags() []ucli.Flag {
	return []ucli.Flag{
		&ucli.StringFlag{Name: "engine", Aliases: []string{"e"}, Usage: "render the missing clips first with `ENGINE` (festival, flite, espeak-ng, say) into the voice cache, or into --voice DIR"},
		&ucli.StringFlag{Name: "engine-voice", Usage: "the engine's `VOICE`, e.g. kal16 for flite or en-us for espeak-ng"},
	}
}

// voiceChoice is what the user said about the voice: --voice (a folder or a
// cached voice's name) and --engine.
type voiceChoice struct {
	Voice, Engine, EngineVoice string
}

// lookupVoice resolves --voice for a command that only reads a voice: "" is
// the embedded voice, anything else a folder or the name of a cached voice.
func lookupVoice(arg string) (string, error) {
	if arg == "" {
		return "", nil
	}
	dir, err := narration.FindVoice(arg)
	if err != nil {
		return "", Usage(err)
	}
	return dir, nil
}

// engineVoice prepares the voice that --engine renders into: --voice DIR (or a
// cached voice of that name) when given, else the engine's folder in the
// cache. Nothing is written until a clip is.
func engineVoice(c voiceChoice, language string, clips *narration.ClipFormat) (*narration.Voice, error) {
	spec := narration.EngineSpec{Name: c.Engine, Voice: c.EngineVoice}
	dir := c.Voice
	if dir != "" {
		if found, err := narration.FindVoice(dir); err == nil {
			dir = found
		}
		if v, err := narration.Open(dir); err == nil {
			if spec.Name == "" && spec.Voice == "" {
				// An existing voice keeps the engine it was made with.
				if clips != nil {
					if err := v.SetClips(*clips); err != nil {
						return nil, Usage(err)
					}
				}
				return v, nil
			}
			if spec.Name == "" {
				spec.Name = v.Manifest.Engine.Name
			}
			if language == "" {
				language = v.Manifest.Language
			}
		}
	}
	if spec.Name == "" {
		spec.Name = "festival"
	}
	if dir == "" {
		d, err := narration.CacheDir(spec, language)
		if err != nil {
			return nil, Usage(err)
		}
		dir = d
	}
	m := narration.Manifest{Language: language, Engine: spec}
	if clips != nil {
		m.Clips = *clips
	}
	v, err := narration.Prepare(dir, m)
	if err != nil {
		return nil, Usage(err)
	}
	if clips != nil {
		if err := v.SetClips(*clips); err != nil {
			return nil, Usage(err)
		}
	}
	return v, nil
}

// renderMissing renders the lines v has no clip for, with a progress display
// on stderr, and says what it did on out.
func renderMissing(ctx context.Context, env *Env, out io.Writer, what string, v *narration.Voice, lines []string, jobs int, timeout time.Duration, forceBar bool) error {
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
	prog := newRenderProgress(env.Stderr, forceBar)
	res, err := narration.Render(ctx, v, lines, narration.RenderOptions{Jobs: jobs, Timeout: timeout, Progress: prog.update})
	prog.finish()
	elapsed := time.Since(start).Round(100 * time.Millisecond)
	if err != nil {
		if errors.Is(err, narration.ErrNotInstalled) {
			return Usage(fmt.Errorf("%s: %w", what, err))
		}
		if res.Failed > 0 && ctx.Err() == nil {
			// Render stops at the first line that fails; the clips finished
			// before it are kept.
			return fmt.Errorf("%s: stopped after %d clips in %v, at the first line that failed:\n%w", what, len(res.Rendered), elapsed, err)
		}
		return Interrupted(fmt.Errorf("%s: %w", what, err),
			fmt.Sprintf("kept %d clips rendered before the interrupt in %s; run it again to finish", len(res.Rendered), v.Dir()))
	}
	fmt.Fprintf(out, "rendered %d clips in %v into %s\n", len(res.Rendered), elapsed, v.Dir())
	return nil
}

// prepareEngineVoice is what --engine does before export, show or play: the
// clips the routine lacks at level are rendered into the engine's voice, and
// the voice folder to use is returned. Without --engine it resolves --voice.
// Messages go to stderr, since stdout may carry the audio.
func prepareEngineVoice(ctx context.Context, env *Env, what string, c voiceChoice, r *routines.Routine, level routines.Level) (string, error) {
	if c.Engine == "" {
		if c.EngineVoice != "" {
			return "", Usage(fmt.Errorf("%s: --engine-voice needs --engine", what))
		}
		return lookupVoice(c.Voice)
	}
	s, err := routines.Expand(r, level)
	if err != nil {
		return "", Usage(err)
	}
	v, err := engineVoice(c, s.Language, nil)
	if err != nil {
		return "", err
	}
	lines := narration.Texts(narration.Lines(s))
	if len(v.Missing(lines)) == 0 {
		return v.Dir(), nil
	}
	fmt.Fprintf(env.Stderr, "%s: %d lines of %s (%s)\n", describeVoice(v), len(lines), r.Title, level)
	if err := renderMissing(ctx, env, env.Stderr, what, v, lines, 0, narration.DefaultTimeout, false); err != nil {
		return "", err
	}
	return v.Dir(), nil
}

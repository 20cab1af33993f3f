package cli

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"text/tabwriter"
	"time"
	"unicode/utf8"

	"routinecast/internal/atomicfile"
	"routinecast/internal/progress"
	"routinecast/narration"
	"routinecast/routines"
)

// voiceTasks does what the voice commands do with narration's voices, and
// says what it did on out and how far it is and what looks wrong on log.
// Routines are named as a user names them (a built-in name or a file); the
// advice in errors names routinecast's commands.
type voiceTasks struct {
	out, log io.Writer
	// load finds a routine by the name a user gave; its errors are
	// returned unchanged.
	load func(name string) (*routines.Routine, error)
	// engine is the speech engine advice names.
	engine func() string
}

// newVoiceTasks runs the voice tasks for a command: routines are found as
// the command line names them, and advice names installedEngine.
func newVoiceTasks(env *Env) voiceTasks {
	return voiceTasks{out: env.Stdout, log: env.Stderr, load: loadRoutine, engine: installedEngine}
}

// scripts loads the routines and expands each at the levels.
func (t voiceTasks) scripts(names []string, levels []routines.Level) ([]*routines.Script, error) {
	var out []*routines.Script
	for _, n := range names {
		r, err := t.load(n)
		if err != nil {
			return nil, err
		}
		for _, l := range levels {
			s, err := routines.Expand(r, l)
			if err != nil {
				return nil, Usage(err)
			}
			out = append(out, s)
		}
	}
	return out, nil
}

// listEngines lists the speech engines, whether each is installed and what
// installs it, and their voices.
func (t voiceTasks) listEngines() error {
	var b strings.Builder
	for _, e := range narration.Engines() {
		status := "installed (" + e.Path + ")"
		if !e.Installed() {
			status = "missing: " + e.Install
		}
		fmt.Fprintf(&b, "%-10s %s\n%-10s voices: %s\n", e.Name, status, "", e.Voices)
	}
	fmt.Fprintf(&b, "%-10s any program, set in voice.yaml (e.g. piper: see 'go doc routinecast/narration')\n", narration.CommandEngine)
	_, err := io.WriteString(t.out, b.String())
	return err
}

// listVoices lists the voices in the cache (see narration.CachedVoices)
// with their engine, language, number of clips and size.
func (t voiceTasks) listVoices() error {
	root, err := narration.CacheRoot()
	if err != nil {
		return err
	}
	voices, err := narration.CachedVoices()
	if err != nil {
		return err
	}
	if len(voices) == 0 {
		fmt.Fprintf(t.out, "no cached voices in %s: 'routinecast voice render ROUTINE --engine ENGINE' or 'routinecast export ROUTINE --engine ENGINE -o FILE' makes one\n", root)
		return nil
	}
	w := tabwriter.NewWriter(t.out, 0, 4, 2, ' ', 0)
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
	fmt.Fprintf(t.out, "in %s\n", root)
	return nil
}

// checkTask is what checkVoice checks.
type checkTask struct {
	Routines []string
	Levels   []routines.Level
	Voice    string // a folder or a cached voice's name; "" is the embedded voice
}

// checkVoice lists the lines of the routines at the levels that have no
// clip in the voice. Lines without a clip are an error that says how to
// give the voice their clips.
func (t voiceTasks) checkVoice(o checkTask) error {
	scripts, err := t.scripts(o.Routines, o.Levels)
	if err != nil {
		return err
	}
	v, err := narration.OpenVoice(o.Voice)
	if err != nil {
		return voiceErr(err)
	}
	lines := narration.Lines(scripts...)
	missing := v.Missing(narration.Texts(lines))
	damaged := v.Damaged(narration.Texts(lines))
	fmt.Fprintf(t.out, "%s: %d lines of %s (%s)\n", v.Describe(), len(lines), strings.Join(o.Routines, ", "), levelNames(o.Levels))
	if len(missing) == 0 && len(damaged) == 0 {
		fmt.Fprintf(t.out, "every line has a clip\n")
		return nil
	}
	var problems []string
	if len(missing) > 0 {
		fmt.Fprintf(t.out, "%d lines have no clip:\n", len(missing))
		for _, l := range missing {
			fmt.Fprintf(t.out, "  %s\n", l)
		}
		problems = append(problems, fmt.Sprintf("%d of %d lines have no clip", len(missing), len(lines)))
	}
	if len(damaged) > 0 {
		fmt.Fprintf(t.out, "%d clips do not decode:\n", len(damaged))
		for _, d := range damaged {
			fmt.Fprintf(t.out, "  %s (%s: %s)\n", d.Line, d.File, d.Reason())
		}
		problems = append(problems, fmt.Sprintf("%d clips do not decode", len(damaged)))
	}
	fix := t.missingFix(v, o.Voice, o.Routines, scripts[0].Language)
	if len(missing) == 0 && v.Manifest.Engine.Name != narration.Recorded && v.Dir() != "" {
		// Render replaces the clips that do not decode.
		fix = "render them again with 'routinecast voice render " + shellWords(o.Routines...) + " --voice " + shellWords(cmp.Or(o.Voice, v.Dir())) + "'"
	}
	return fmt.Errorf("voice check: %s; %s", strings.Join(problems, ", "), fix)
}

// missingFix says how to give voice v (named voiceArg by the user) the clips
// it lacks for routines; each command it names, when run, does it.
func (t voiceTasks) missingFix(v *narration.Voice, voiceArg string, routineArgs []string, language string) string {
	rs := shellWords(routineArgs...)
	if voiceArg == "" {
		voiceArg = v.Dir()
	}
	switch {
	case v.Dir() == "":
		name := t.engine()
		if name == "" {
			return "the built-in voice has only the built-in routines' lines: install a speech engine (see 'routinecast voice engines') and render them"
		}
		cached, err := narration.CacheName(narration.EngineSpec{Name: name}, language)
		if err != nil {
			return "render them with 'routinecast voice render " + rs + " --engine " + name + "'"
		}
		return "the built-in voice has only the built-in routines' lines: render them with 'routinecast voice render " + rs + " --engine " + name + "', then use --voice " + cached
	case v.Manifest.Engine.Name == narration.Recorded:
		routinesFlags := ""
		for _, r := range routineArgs {
			routinesFlags += " --routine " + shellWords(r)
		}
		return "record them (see 'routinecast voice script " + rs + "') and import them with 'routinecast voice import FOLDER --voice " + shellWords(voiceArg) + routinesFlags + "'"
	default:
		return "render them with 'routinecast voice render " + rs + " --voice " + shellWords(voiceArg) + "'"
	}
}

// renderTask is what renderVoice renders.
type renderTask struct {
	Routines         []string
	Levels           []routines.Level
	narration.Choice                       // the voice to render into (see narration.EngineVoice)
	Clips            *narration.ClipFormat // nil: leave the voice's as it is
	Jobs             int
	Timeout          time.Duration
	Prune            bool // delete the clips none of the routines' lines needs
	Bar              bool // draw the progress bar even when log is no terminal
}

// renderVoice renders the lines of the routines at the levels that have no
// clip in the chosen voice yet, and the phrases a track may add on request
// (narration.MayAdd), so that a rendered voice can say them too.
func (t voiceTasks) renderVoice(ctx context.Context, o renderTask) error {
	switch {
	case o.Jobs < 1:
		return Usage(fmt.Errorf("voice render: --jobs %d: give 1 or more", o.Jobs))
	case o.Timeout <= 0:
		return Usage(fmt.Errorf("voice render: --timeout %v: give a positive duration", o.Timeout))
	case o.EngineVoice != "" && o.Engine == "" && o.Voice == "":
		return Usage(errors.New("voice render: --engine-voice needs --engine"))
	}
	scripts, err := t.scripts(o.Routines, o.Levels)
	if err != nil {
		return err
	}
	lines := append(narration.Texts(narration.Lines(scripts...)), narration.MayAdd(scripts...)...)
	lang := scripts[0].Language
	v, err := narration.EngineVoice(o.Choice, lang, o.Clips)
	if err != nil {
		return voiceErr(err)
	}
	if !narration.SameLanguage(lang, v.Manifest.Language) {
		fmt.Fprintf(t.log, "warning: %s is in %q, the routine in %q\n", v.Describe(), v.Manifest.Language, lang)
	}
	fmt.Fprintf(t.out, "%s: %d lines of %s (%s)\n", v.Describe(), len(lines), strings.Join(o.Routines, ", "), levelNames(o.Levels))
	if o.Prune && v.OnDisk() {
		pruned, err := v.Prune(lines)
		if err != nil {
			return fmt.Errorf("voice render: %w", err)
		}
		if len(pruned) > 0 {
			fmt.Fprintf(t.out, "pruned %d clips no line needs\n", len(pruned))
		}
	}
	return t.renderMissing(ctx, t.out, "voice render", v, lines, o.Jobs, o.Timeout, o.Bar)
}

// voiceFor readies the voice a routine is played or exported with at level,
// or at every level when all is set (a routine fitted to a length plays
// something between them). With an engine chosen, the clips the routine
// lacks are rendered first, and the messages go to log (out may carry the
// audio). With neither a voice nor an engine named, the embedded voice speaks
// a routine it has every clip for, and the built-in engine renders any other
// (one voice for the whole track: never the embedded voice with another). It
// returns the voice's folder, "" for the embedded voice; what names the
// command in errors.
func (t voiceTasks) voiceFor(ctx context.Context, what string, c narration.Choice, r *routines.Routine, level routines.Level, all bool) (string, error) {
	if c.Engine == "" && c.EngineVoice != "" {
		return "", Usage(fmt.Errorf("%s: --engine-voice needs --engine", what))
	}
	if c.Engine == "" && c.Voice != "" {
		dir, err := narration.LookupVoice(c.Voice)
		return dir, voiceErr(err)
	}
	levels := []routines.Level{level}
	if all {
		levels = routines.Levels()
	}
	var scripts []*routines.Script
	for _, l := range levels {
		s, err := routines.Expand(r, l)
		if err != nil {
			return "", Usage(err)
		}
		scripts = append(scripts, s)
	}
	lines := narration.Texts(narration.Lines(scripts...))
	if c.Engine == "" {
		if len(narration.Default().Missing(lines)) == 0 {
			return "", nil
		}
		c.Engine = narration.BuiltinFor(scripts[0].Language)
	}
	v, err := narration.EngineVoice(c, scripts[0].Language, nil)
	if err != nil {
		return "", voiceErr(err)
	}
	if err := v.RemoveDamaged(lines, t.notice); err != nil {
		return "", err
	}
	if missing := v.Missing(lines); len(missing) > 0 {
		fmt.Fprintf(t.log, "%s: %d of the %d lines of %s have no clip yet\n", v.Describe(), len(missing), len(lines), r.Title)
	}
	if err := t.renderLines(ctx, what, v, lines); err != nil {
		return "", err
	}
	return v.Dir(), nil
}

// renderLines renders the lines v has no clip for with v's engine, showing
// progress on log; it says nothing when every line has a clip.
func (t voiceTasks) renderLines(ctx context.Context, what string, v *narration.Voice, lines []string) error {
	if len(v.Missing(lines)) == 0 {
		return nil
	}
	return t.renderMissing(ctx, t.log, what, v, lines, 0, narration.DefaultTimeout, false)
}

// notice prints a repair of a voice's clips on log.
func (t voiceTasks) notice(r narration.CacheRepair) { fmt.Fprintln(t.log, r.String()) }

// renderMissing renders the lines v has no clip for, showing progress on
// log, and says what it did on out.
func (t voiceTasks) renderMissing(ctx context.Context, out io.Writer, what string, v *narration.Voice, lines []string, jobs int, timeout time.Duration, bar bool) error {
	// A clip that does not decode is no clip: it is rendered again.
	if err := v.RemoveDamaged(lines, t.notice); err != nil {
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
	prog := newProgressLog(t.log, bar)
	res, err := narration.Render(ctx, v, lines, narration.RenderOptions{Jobs: jobs, Timeout: timeout, Progress: prog.update})
	prog.finish()
	elapsed := time.Since(start).Round(100 * time.Millisecond)
	switch {
	case errors.Is(err, narration.ErrNotInstalled):
		return Usage(fmt.Errorf("%s: %w", what, err))
	case err != nil && res.Failed > 0 && ctx.Err() == nil:
		// Render stops at the first line that fails; the clips finished
		// before it are kept.
		return fmt.Errorf("%s: stopped after %d clips in %v, at the first line that failed:\n%w", what, len(res.Rendered), elapsed, err)
	case err != nil:
		return Interrupted(fmt.Errorf("%s: %w", what, err),
			fmt.Sprintf("kept %d clips rendered before the interrupt in %s; run it again to finish", len(res.Rendered), v.Dir()))
	}
	fmt.Fprintf(out, "rendered %d clips in %v into %s\n", len(res.Rendered), elapsed, v.Dir())
	return nil
}

// scriptTask is what writeScript writes: the recording sheet of Routine, as
// CSV and as Markdown. A path "" is NAME-recording.csv or .md after the
// routine's name, "-" is out.
type scriptTask struct {
	Routine       string
	CSV, Markdown string
}

// writeScript writes the recording sheet of a routine at every level (see
// narration.NewSheet), which names the command that imports the recordings.
func (t voiceTasks) writeScript(o scriptTask) error {
	scripts, err := t.scripts([]string{o.Routine}, routines.Levels())
	if err != nil {
		return err
	}
	sheet := narration.NewSheet(scripts[0].Title, scripts...)
	sheet.Routine = o.Routine
	sheet.Import = "routinecast voice import FOLDER --voice MY-VOICE --routine " + shellWords(o.Routine)
	base := strings.TrimSuffix(filepath.Base(o.Routine), filepath.Ext(o.Routine))
	if o.CSV == "" {
		o.CSV = base + "-recording.csv"
	}
	if o.Markdown == "" {
		o.Markdown = base + "-recording.md"
	}
	for _, out := range []struct {
		path  string
		write func(io.Writer) error
	}{{o.CSV, sheet.WriteCSV}, {o.Markdown, sheet.WriteMarkdown}} {
		if out.path == "-" {
			if err := out.write(t.out); err != nil {
				return err
			}
			continue
		}
		if err := atomicfile.Write(out.path, func(f *atomicfile.File) error { return out.write(f) }); err != nil {
			return fmt.Errorf("voice script: %w", err)
		}
		fmt.Fprintf(t.log, "wrote %d lines to %s\n", len(sheet.Lines), out.path)
	}
	fmt.Fprintf(t.log, "record each line as the file named beside it, then run: %s\n", sheet.Import)
	return nil
}

// importTask is what importVoice imports: the recordings in Dir, into the
// recorded voice Voice (a folder, or a cached voice's name), for the lines
// of Routines (every built-in routine when empty). Language and Name are a
// new voice's; Language defaults to the routine's.
type importTask struct {
	Dir, Voice     string
	Routines       []string
	Language, Name string
	AsIs           bool // copy the recordings unchanged (see narration.ImportOptions)
}

// importVoice takes a folder of recordings into a recorded voice (see
// narration.Import), and lists the files that match no line and the lines
// still missing. Files that match no line, or a folder where none matches,
// are bad input: they are most often recordings of another routine.
func (t voiceTasks) importVoice(ctx context.Context, o importTask) error {
	if st, err := os.Stat(o.Dir); err != nil || !st.IsDir() {
		return Usage(fmt.Errorf("voice import: %s is not a folder of recordings", o.Dir))
	}
	if len(o.Routines) == 0 {
		// The built-in routines in one language: the embedded voice's,
		// unless another is asked for.
		lang := o.Language
		if lang == "" {
			lang = "en"
		}
		o.Routines = routines.BuiltinsIn(lang)
		if len(o.Routines) == 0 {
			return Usage(fmt.Errorf("voice import: no built-in routine is in %q: name the routines the recordings are of (--routine)", lang))
		}
	}
	scripts, err := t.scripts(o.Routines, routines.Levels())
	if err != nil {
		return err
	}
	if o.Language == "" {
		o.Language = scripts[0].Language
	}
	dir := o.Voice
	if found, err := narration.FindVoice(dir); err == nil {
		dir = found
	}
	v, err := narration.Prepare(dir, narration.Manifest{Name: o.Name, Language: o.Language,
		Engine: narration.EngineSpec{Name: narration.Recorded}, Clips: narration.ClipFormat{Format: "flac"}})
	if err != nil {
		return Usage(err)
	}
	lines := narration.Texts(narration.Lines(scripts...))
	res, err := narration.Import(ctx, v, o.Dir, narration.ImportOptions{Expected: lines, AsIs: o.AsIs})
	if err == nil && len(res.Imported) == 0 && len(res.Unexpected) == 0 {
		return Usage(fmt.Errorf("voice import: %s holds no recordings (WAV, FLAC or MP3 files named as 'routinecast voice script' says)", o.Dir))
	}
	names := strings.Join(o.Routines, ", ")
	if len(res.Imported) > 0 || err != nil {
		fmt.Fprintf(t.out, "imported %d recordings into %s\n", len(res.Imported), v.Describe())
	}
	if len(res.Unexpected) > 0 {
		fmt.Fprintf(t.out, "%d files match no line of %s and were not imported:\n", len(res.Unexpected), names)
		for _, f := range res.Unexpected {
			fmt.Fprintf(t.out, "  %s\n", f)
		}
	}
	switch {
	case len(res.Imported) == 0 && err == nil:
		// Nothing matched: the error says so; every line's name would bury it.
	case len(res.Missing) > 0:
		fmt.Fprintf(t.out, "%d of %d lines still have no recording:\n", len(res.Missing), len(lines))
		for _, l := range res.Missing {
			fmt.Fprintf(t.out, "  %s  (%s)\n", narration.RecordingFile(l), l)
		}
	default:
		fmt.Fprintf(t.out, "every line of %s has a recording\n", names)
	}
	if err != nil {
		return Interrupted(fmt.Errorf("voice import: %w", err),
			fmt.Sprintf("kept %d recordings imported before the interrupt; run it again to finish", len(res.Imported)))
	}
	// The recording sheet's command names the routine with --routine.
	hint := "name the recorded routine with --routine ROUTINE, and name each file as 'routinecast voice script ROUTINE' says"
	switch {
	case len(res.Imported) == 0:
		return Usage(fmt.Errorf("voice import: none of the %d files in %s matches a line of %s; %s", len(res.Unexpected), o.Dir, names, hint))
	case len(res.Unexpected) > 0:
		return Usage(fmt.Errorf("voice import: %d files in %s match no line of %s (listed above); %s", len(res.Unexpected), o.Dir, names, hint))
	}
	return nil
}

// progressLog shows how far a render is: a bar redrawn in place on a
// terminal, one line per clip otherwise (logs, pipes, CI).
type progressLog struct{ status *progress.Status }

func newProgressLog(w io.Writer, bar bool) *progressLog {
	return &progressLog{progress.NewStatus(w, bar || progress.IsTerminal(w))}
}

func (p *progressLog) update(u narration.Progress) {
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

// shellWords joins args for a command line the user can paste, quoting those
// a shell would split or expand: the commands that advice names are run as
// they are printed.
func shellWords(args ...string) string {
	out := make([]string, len(args))
	for i, a := range args {
		if a == "" || strings.ContainsAny(a, " \t\n'\"\\$`*?[]{}()<>|&;#~!") {
			a = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
		}
		out[i] = a
	}
	return strings.Join(out, " ")
}

package cli

import (
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

	ucli "github.com/urfave/cli/v3"
	"golang.org/x/term"

	"routinecast/internal/atomicfile"
	"routinecast/narration"
	"routinecast/routines"
)

func init() { register(voiceCommand) }

func voiceCommand(env *Env) *ucli.Command {
	return &ucli.Command{
		Name:  "voice",
		Usage: "make and check voices: render clips with a speech engine, or record them yourself",
		Description: `A voice is a folder of clips, one per line of narration, with a voice.yaml that
says how they were made. With no voice given, routinecast uses the voice built
into it, which has every line of the built-in routines.

Examples:
  routinecast voice engines
  routinecast voice render my-routine.yaml --engine flite
  routinecast voice list
  routinecast voice check my-routine.yaml --voice flite-slt
  routinecast voice script my-routine.yaml
  routinecast voice import recordings/ --voice my-voice --routine my-routine.yaml`,
		Commands: []*ucli.Command{
			voiceEnginesCommand(env),
			voiceListCommand(env),
			voiceRenderCommand(env),
			voiceCheckCommand(env),
			voiceScriptCommand(env),
			voiceImportCommand(env),
		},
	}
}

// voiceLevelFlags are the --level and --all-levels flags of the voice
// commands, which work on every level unless --level narrows them: a voice
// serves a routine at whatever level it is played.
func voiceLevelFlags() []ucli.Flag {
	return []ucli.Flag{
		&ucli.StringFlag{Name: "level", Aliases: []string{"l"}, Usage: "only `LEVEL`: gentle, standard or full (default: every level)"},
		&ucli.BoolFlag{Name: "all-levels", Usage: "every level (the default; overrides --level)"},
	}
}

// voiceLevels is the levels a voice command works on.
func voiceLevels(level string, all bool) ([]routines.Level, error) {
	if all || level == "" {
		return routines.Levels(), nil
	}
	return levelsFor(level, false)
}

// voiceScripts loads the routines and expands each at the levels.
func voiceScripts(args []string, levels []routines.Level) ([]*routines.Script, error) {
	var out []*routines.Script
	for _, a := range args {
		r, err := loadRoutine(a)
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

// voiceRoutineNames is how a command's output names the routines it worked on.
func voiceRoutineNames(args []string) string { return strings.Join(args, ", ") }

func voiceLevelNames(levels []routines.Level) string {
	parts := make([]string, len(levels))
	for i, l := range levels {
		parts[i] = string(l)
	}
	return strings.Join(parts, ", ")
}

// describeVoice names a voice for messages.
func describeVoice(v *narration.Voice) string {
	m := v.Manifest
	how := m.Engine.Name
	switch {
	case m.Engine.Name == narration.Recorded:
		how = "recorded"
	case m.Engine.Voice != "":
		how += " " + m.Engine.Voice
	}
	if v.Dir() == "" {
		return fmt.Sprintf("the embedded voice %q (%s)", m.Name, how)
	}
	return fmt.Sprintf("the voice %q in %s (%s)", m.Name, v.Dir(), how)
}

// --- voice engines ---

func voiceEnginesCommand(env *Env) *ucli.Command {
	return &ucli.Command{
		Name:  "engines",
		Usage: "list the speech engines and whether each is installed",
		Action: func(ctx context.Context, c *ucli.Command) error {
			if c.NArg() != 0 {
				return Usage(fmt.Errorf("voice engines: takes no arguments"))
			}
			return runVoiceEngines(env)
		},
	}
}

func runVoiceEngines(env *Env) error {
	var b strings.Builder
	for _, e := range narration.Engines() {
		status := "installed (" + e.Path + ")"
		if !e.Installed() {
			status = "missing: " + e.Install
		}
		fmt.Fprintf(&b, "%-10s %s\n%-10s voices: %s\n", e.Name, status, "", e.Voices)
	}
	fmt.Fprintf(&b, "%-10s any program, set in voice.yaml (e.g. piper: see 'go doc routinecast/narration')\n", "command")
	_, err := io.WriteString(env.Stdout, b.String())
	return err
}

// --- voice render ---

func voiceRenderCommand(env *Env) *ucli.Command {
	return &ucli.Command{
		Name:      "render",
		Usage:     "render the clips a routine needs with a speech engine, into a voice folder",
		ArgsUsage: "ROUTINE...",
		Description: `Renders every line of the routines, at every level (--level narrows it), that
has no clip yet in the voice, in parallel, trimmed of silence and brought to one
loudness. The voice is a cache: lines that already have a clip are not rendered
again.

Without --voice, the clips go to the user's voice cache, one voice per engine and
engine voice (see 'routinecast voice list'), which 'export --engine' reads too.
--voice takes a folder (made a new voice if it has none) or the name of a cached
voice. An existing voice keeps the engine it was made with.

Examples:
  routinecast voice render my-routine.yaml --engine flite
  routinecast voice render lower-back --engine festival --voice my-voice
  routinecast voice render lower-back --engine espeak-ng --engine-voice en-us --format flac`,
		Flags: append(voiceLevelFlags(),
			&ucli.StringFlag{Name: "engine", Aliases: []string{"e"}, Usage: "`ENGINE`: festival, flite, espeak-ng or say (default: the voice's, or festival for a new voice)"},
			&ucli.StringFlag{Name: "engine-voice", Usage: "the engine's `VOICE`, e.g. kal16 for flite or en-us for espeak-ng"},
			&ucli.StringFlag{Name: "voice", Aliases: []string{"v"}, Usage: "voice folder `DIR`, or a cached voice's name (default: the engine's voice in the cache)"},
			&ucli.StringFlag{Name: "format", Usage: "store new clips as `FORMAT`: wav, flac or mp3 (saved in voice.yaml)"},
			&ucli.IntFlag{Name: "rate", Usage: "store new clips at `HZ` (default the engine's rate, 24000 for mp3)"},
			&ucli.IntFlag{Name: "bitrate", Usage: "MP3 bitrate in `KBPS` (default 40)"},
			&ucli.IntFlag{Name: "jobs", Aliases: []string{"j"}, Value: runtime.NumCPU(), Usage: "render `N` lines at once"},
			&ucli.DurationFlag{Name: "timeout", Value: narration.DefaultTimeout, Usage: "give up on a line after `DURATION`"},
			&ucli.BoolFlag{Name: "prune", Usage: "delete the clips in the folder that none of the routines' lines need"},
		),
		Action: func(ctx context.Context, c *ucli.Command) error {
			if c.NArg() == 0 {
				return Usage(errors.New("voice render: give one or more ROUTINEs"))
			}
			o := voiceRenderOptions{
				Routines: c.Args().Slice(), Level: c.String("level"), AllLevels: c.Bool("all-levels"),
				Engine: c.String("engine"), EngineVoice: c.String("engine-voice"), Voice: c.String("voice"),
				Jobs: c.Int("jobs"), Timeout: c.Duration("timeout"), Prune: c.Bool("prune"),
			}
			if c.IsSet("format") || c.IsSet("rate") || c.IsSet("bitrate") {
				o.Clips = &narration.ClipFormat{Format: c.String("format"), SampleRate: c.Int("rate"), Bitrate: c.Int("bitrate")}
			}
			return runVoiceRender(ctx, env, o)
		},
	}
}

type voiceRenderOptions struct {
	Routines         []string
	Level            string // "" or AllLevels: every level
	AllLevels        bool
	Engine           string
	EngineVoice      string
	Voice            string
	Clips            *narration.ClipFormat // nil: leave the voice's as it is
	Jobs             int
	Timeout          time.Duration
	Prune            bool
	ForceProgressBar bool // draw the bar even when stderr is not a terminal (tests)
}

func runVoiceRender(ctx context.Context, env *Env, o voiceRenderOptions) error {
	levels, err := voiceLevels(o.Level, o.AllLevels)
	if err != nil {
		return err
	}
	if o.Jobs < 1 {
		return Usage(fmt.Errorf("voice render: --jobs %d: give 1 or more", o.Jobs))
	}
	if o.Timeout <= 0 {
		return Usage(fmt.Errorf("voice render: --timeout %v: give a positive duration", o.Timeout))
	}
	if o.EngineVoice != "" && o.Engine == "" && o.Voice == "" {
		return Usage(errors.New("voice render: --engine-voice needs --engine"))
	}
	scripts, err := voiceScripts(o.Routines, levels)
	if err != nil {
		return err
	}
	lines := narration.Texts(narration.Lines(scripts...))
	v, err := engineVoice(voiceChoice{Voice: o.Voice, Engine: o.Engine, EngineVoice: o.EngineVoice}, scripts[0].Language, o.Clips)
	if err != nil {
		return err
	}
	if lang := scripts[0].Language; !voiceSameLanguage(lang, v.Manifest.Language) {
		fmt.Fprintf(env.Stderr, "warning: %s is in %q, the routine in %q\n", describeVoice(v), v.Manifest.Language, lang)
	}
	fmt.Fprintf(env.Stdout, "%s: %d lines of %s (%s)\n", describeVoice(v), len(lines), voiceRoutineNames(o.Routines), voiceLevelNames(levels))
	if o.Prune && v.OnDisk() {
		pruned, err := v.Prune(lines)
		if err != nil {
			return fmt.Errorf("voice render: %w", err)
		}
		if len(pruned) > 0 {
			fmt.Fprintf(env.Stdout, "pruned %d clips no line needs\n", len(pruned))
		}
	}
	return renderMissing(ctx, env, env.Stdout, "voice render", v, lines, o.Jobs, o.Timeout, o.ForceProgressBar)
}

// voiceSameLanguage compares the primary subtags of two language tags.
func voiceSameLanguage(a, b string) bool {
	p := func(s string) string { return strings.ToLower(strings.SplitN(s, "-", 2)[0]) }
	return p(a) == p(b)
}

// renderProgress shows how far a render is: a bar redrawn in place on a terminal,
// one line per clip otherwise (logs, pipes, CI).
type renderProgress struct {
	w     io.Writer
	bar   bool
	drawn bool
}

func newRenderProgress(w io.Writer, force bool) *renderProgress {
	p := &renderProgress{w: w, bar: force}
	if f, ok := w.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		p.bar = true
	}
	return p
}

const renderBarWidth = 30

func (p *renderProgress) update(u narration.Progress) {
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
	fill := renderBarWidth * u.Done / u.Total
	fmt.Fprintf(p.w, "\r\033[K[%s%s] %d/%d %s", strings.Repeat("=", fill), strings.Repeat(" ", renderBarWidth-fill), u.Done, u.Total, voiceEllipsis(u.Line, 40))
	p.drawn = true
}

func (p *renderProgress) finish() {
	if p.drawn {
		fmt.Fprint(p.w, "\r\033[K")
	}
}

// voiceEllipsis shortens s to n runes.
func voiceEllipsis(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

// --- voice list ---

func voiceListCommand(env *Env) *ucli.Command {
	return &ucli.Command{
		Name:  "list",
		Usage: "list the voices in the voice cache, which --voice takes by name",
		Description: `Lists the voices that 'voice render' and 'export --engine' made in the user's
cache folder ($XDG_CACHE_HOME/routinecast/voices, or ~/.cache/routinecast/voices),
with their engine, language, number of clips and size. --voice NAME uses one.

Examples:
  routinecast voice list
  routinecast export my-routine.yaml --voice flite-slt -o mine.mp3`,
		Action: func(ctx context.Context, c *ucli.Command) error {
			if c.NArg() != 0 {
				return Usage(fmt.Errorf("voice list: takes no arguments, got %d", c.NArg()))
			}
			return runVoiceList(env)
		},
	}
}

func runVoiceList(env *Env) error {
	root, err := narration.CacheRoot()
	if err != nil {
		return err
	}
	voices, err := narration.CachedVoices()
	if err != nil {
		return err
	}
	if len(voices) == 0 {
		fmt.Fprintf(env.Stdout, "no cached voices in %s: 'routinecast voice render ROUTINE --engine ENGINE' or 'routinecast export ROUTINE --engine ENGINE -o FILE' makes one\n", root)
		return nil
	}
	w := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
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
	fmt.Fprintf(env.Stdout, "in %s\n", root)
	return nil
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

// --- voice check ---

func voiceCheckCommand(env *Env) *ucli.Command {
	return &ucli.Command{
		Name:      "check",
		Usage:     "list the lines of a routine that have no clip in a voice; exit 1 if any",
		ArgsUsage: "ROUTINE...",
		Description: `Checks every level (--level narrows it). Without --voice, checks the voice
built into routinecast. --voice takes a folder or a cached voice's name.

Examples:
  routinecast voice check lower-back
  routinecast voice check my-routine.yaml --voice my-voice
  routinecast voice check my-routine.yaml --voice flite-slt --level gentle`,
		Flags: append(voiceLevelFlags(),
			&ucli.StringFlag{Name: "voice", Aliases: []string{"v"}, Usage: "voice folder `DIR` or cached voice name (default: the embedded voice)"},
		),
		Action: func(ctx context.Context, c *ucli.Command) error {
			if c.NArg() == 0 {
				return Usage(errors.New("voice check: give one or more ROUTINEs"))
			}
			return runVoiceCheck(env, voiceCheckOptions{Routines: c.Args().Slice(), Level: c.String("level"),
				AllLevels: c.Bool("all-levels"), Voice: c.String("voice")})
		},
	}
}

type voiceCheckOptions struct {
	Routines  []string
	Level     string
	AllLevels bool
	Voice     string
}

// openVoiceDir opens the voice a command names (a folder or a cached voice),
// or the embedded one.
func openVoiceDir(arg string) (*narration.Voice, error) {
	dir, err := lookupVoice(arg)
	if err != nil || dir == "" {
		return narration.Default(), err
	}
	v, err := narration.Open(dir)
	if err != nil {
		return nil, Usage(err)
	}
	return v, nil
}

func runVoiceCheck(env *Env, o voiceCheckOptions) error {
	levels, err := voiceLevels(o.Level, o.AllLevels)
	if err != nil {
		return err
	}
	scripts, err := voiceScripts(o.Routines, levels)
	if err != nil {
		return err
	}
	v, err := openVoiceDir(o.Voice)
	if err != nil {
		return err
	}
	lines := narration.Lines(scripts...)
	missing := v.Missing(narration.Texts(lines))
	fmt.Fprintf(env.Stdout, "%s: %d lines of %s (%s)\n", describeVoice(v), len(lines), voiceRoutineNames(o.Routines), voiceLevelNames(levels))
	if len(missing) == 0 {
		fmt.Fprintf(env.Stdout, "every line has a clip\n")
		return nil
	}
	fmt.Fprintf(env.Stdout, "%d lines have no clip:\n", len(missing))
	for _, l := range missing {
		fmt.Fprintf(env.Stdout, "  %s\n", l)
	}
	return fmt.Errorf("voice check: %d of %d lines have no clip; %s", len(missing), len(lines), missingFix(v, o.Voice, o.Routines, scripts[0].Language))
}

// missingFix says how to give voice v the clips it lacks for routines; each
// command it names, when run, does it (a test runs them).
func missingFix(v *narration.Voice, voiceArg string, routineArgs []string, language string) string {
	rs := shellWords(routineArgs...)
	if voiceArg == "" {
		voiceArg = v.Dir()
	}
	switch {
	case v.Dir() == "":
		e := installedEngine()
		if e == "" {
			return "the built-in voice has only the built-in routines' lines: install a speech engine (see 'routinecast voice engines') and render them"
		}
		name, err := narration.CacheName(narration.EngineSpec{Name: e}, language)
		if err != nil {
			return "render them with 'routinecast voice render " + rs + " --engine " + e + "'"
		}
		return "the built-in voice has only the built-in routines' lines: render them with 'routinecast voice render " + rs + " --engine " + e + "', then use --voice " + name
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

// installedEngine is the engine that advice names: the first speech engine
// found on this machine, in the order of narration.Engines (the most
// intelligible first), or "". Tests may prefer a faster one.
var installedEngine = firstInstalledEngine

func firstInstalledEngine() string {
	for _, e := range narration.Engines() {
		if e.Installed() {
			return e.Name
		}
	}
	return ""
}

// shellWords joins args for a command line the user can paste, quoting those
// a shell would split or expand.
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

// --- voice script ---

func voiceScriptCommand(env *Env) *ucli.Command {
	return &ucli.Command{
		Name:      "script",
		Usage:     "write the recording script of a routine: every line of every level, with the file name each recording must have",
		ArgsUsage: "ROUTINE",
		Description: `Writes the sheet as CSV (for a spreadsheet or a script) and as Markdown (to
print or read from while recording). "-" writes to standard output. The sheet
names its routine and the 'voice import' command that takes the recordings.

Examples:
  routinecast voice script lower-back
  routinecast voice script my-routine.yaml --csv lines.csv --markdown lines.md`,
		Flags: []ucli.Flag{
			&ucli.StringFlag{Name: "csv", Usage: "write the CSV sheet to `FILE` (default NAME-recording.csv)"},
			&ucli.StringFlag{Name: "markdown", Aliases: []string{"md"}, Usage: "write the Markdown sheet to `FILE` (default NAME-recording.md)"},
		},
		Action: func(ctx context.Context, c *ucli.Command) error {
			if c.NArg() != 1 {
				return Usage(fmt.Errorf("voice script: expected one ROUTINE, got %d arguments", c.NArg()))
			}
			return runVoiceScript(env, voiceScriptOptions{Routine: c.Args().First(), CSV: c.String("csv"), Markdown: c.String("markdown")})
		},
	}
}

type voiceScriptOptions struct {
	Routine       string
	CSV, Markdown string
}

func runVoiceScript(env *Env, o voiceScriptOptions) error {
	scripts, err := voiceScripts([]string{o.Routine}, routines.Levels())
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
			if err := out.write(env.Stdout); err != nil {
				return err
			}
			continue
		}
		if err := atomicfile.Write(out.path, func(f *atomicfile.File) error { return out.write(f) }); err != nil {
			return fmt.Errorf("voice script: %w", err)
		}
		fmt.Fprintf(env.Stderr, "wrote %d lines to %s\n", len(sheet.Lines), out.path)
	}
	fmt.Fprintf(env.Stderr, "record each line as the file named beside it, then run: %s\n", sheet.Import)
	return nil
}

// --- voice import ---

func voiceImportCommand(env *Env) *ucli.Command {
	return &ucli.Command{
		Name:      "import",
		Usage:     "take a folder of recordings, named as 'voice script' says, into a recorded voice",
		ArgsUsage: "DIR",
		Description: `Each recording is trimmed of silence, brought to one loudness and stored in the
voice folder (FLAC unless the voice says otherwise; --as-is copies the files
unchanged). Recordings may be WAV, FLAC or MP3 at any sample rate. Reports the
lines still missing. Files that match no line of the routines (the built-in
routines unless --routine is given), or a folder where no file matches, are bad
input: they are listed and the command exits with code 2. The voice folder is
made with its first recording.

Examples:
  routinecast voice import recordings/ --voice my-voice --routine my-routine.yaml
  routinecast voice import recordings/ --voice my-voice`,
		Flags: []ucli.Flag{
			&ucli.StringFlag{Name: "voice", Aliases: []string{"v"}, Required: true, Usage: "voice folder `DIR` (made if it does not exist)"},
			&ucli.StringSliceFlag{Name: "routine", Aliases: []string{"r"}, Usage: "the `ROUTINE` recorded (repeat for several; default every built-in routine)"},
			&ucli.StringFlag{Name: "language", Usage: "`LANG` of a new voice (default the routine's)"},
			&ucli.StringFlag{Name: "name", Usage: "`NAME` of a new voice (default the folder's name)"},
			&ucli.BoolFlag{Name: "as-is", Usage: "copy the recordings unchanged: no trimming, no loudness"},
		},
		Action: func(ctx context.Context, c *ucli.Command) error {
			if c.NArg() != 1 {
				return Usage(fmt.Errorf("voice import: expected one DIR of recordings, got %d arguments", c.NArg()))
			}
			return runVoiceImport(ctx, env, voiceImportOptions{Dir: c.Args().First(), Voice: c.String("voice"),
				Routines: c.StringSlice("routine"), Language: c.String("language"), Name: c.String("name"), AsIs: c.Bool("as-is")})
		},
	}
}

type voiceImportOptions struct {
	Dir, Voice     string
	Routines       []string
	Language, Name string
	AsIs           bool
}

func runVoiceImport(ctx context.Context, env *Env, o voiceImportOptions) error {
	if st, err := os.Stat(o.Dir); err != nil || !st.IsDir() {
		return Usage(fmt.Errorf("voice import: %s is not a folder of recordings", o.Dir))
	}
	if len(o.Routines) == 0 {
		o.Routines = routines.BuiltinNames()
	}
	scripts, err := voiceScripts(o.Routines, routines.Levels())
	if err != nil {
		return err
	}
	lang := o.Language
	if lang == "" {
		lang = scripts[0].Language
	}
	dir := o.Voice
	if found, err := narration.FindVoice(dir); err == nil {
		dir = found
	}
	v, err := narration.Prepare(dir, narration.Manifest{Name: o.Name, Language: lang,
		Engine: narration.EngineSpec{Name: narration.Recorded}, Clips: narration.ClipFormat{Format: "flac"}})
	if err != nil {
		return Usage(err)
	}
	lines := narration.Texts(narration.Lines(scripts...))
	res, err := narration.Import(ctx, v, o.Dir, narration.ImportOptions{Expected: lines, AsIs: o.AsIs})
	names := voiceRoutineNames(o.Routines)
	fmt.Fprintf(env.Stdout, "imported %d recordings into %s\n", len(res.Imported), describeVoice(v))
	if len(res.Unexpected) > 0 {
		fmt.Fprintf(env.Stdout, "%d files match no line of %s and were not imported:\n", len(res.Unexpected), names)
		for _, f := range res.Unexpected {
			fmt.Fprintf(env.Stdout, "  %s\n", f)
		}
	}
	if len(res.Missing) > 0 {
		fmt.Fprintf(env.Stdout, "%d of %d lines still have no recording:\n", len(res.Missing), len(lines))
		for _, l := range res.Missing {
			fmt.Fprintf(env.Stdout, "  %s  (%s)\n", narration.RecordingFile(l), l)
		}
	} else {
		fmt.Fprintf(env.Stdout, "every line of %s has a recording\n", names)
	}
	if err != nil {
		return Interrupted(fmt.Errorf("voice import: %w", err),
			fmt.Sprintf("kept %d recordings imported before the interrupt; run it again to finish", len(res.Imported)))
	}
	// Recordings that match nothing are most often of another routine: the
	// recording sheet's command names it, with --routine.
	hint := "name the recorded routine with --routine ROUTINE, and name each file as 'routinecast voice script ROUTINE' says"
	switch {
	case len(res.Imported) == 0 && len(res.Unexpected) == 0:
		return Usage(fmt.Errorf("voice import: %s holds no recordings (WAV, FLAC or MP3 files named as 'routinecast voice script' says)", o.Dir))
	case len(res.Imported) == 0:
		return Usage(fmt.Errorf("voice import: none of the %d files in %s matches a line of %s; %s", len(res.Unexpected), o.Dir, names, hint))
	case len(res.Unexpected) > 0:
		return Usage(fmt.Errorf("voice import: %d files in %s match no line of %s (listed above); %s", len(res.Unexpected), o.Dir, names, hint))
	}
	return nil
}

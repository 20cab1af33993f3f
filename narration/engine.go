package narration

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"routinecast/internal/safefile"
	"routinecast/narration/internal/flite"
	"routinecast/narration/internal/pico"
)

// Engine speaks a line into a WAV file. Engines run a real program with an
// argument list (never through a shell), or run inside this program (the
// built-in engine); Render returns when the line is spoken, and fails when
// the engine fails, writes nothing, or outlives ctx.
type Engine interface {
	// Render speaks text into a new WAV file at out.
	Render(ctx context.Context, text, out string) error
}

// ErrNotInstalled reports an engine whose program cannot be found. Its
// message names what to install.
var ErrNotInstalled = errors.New("not installed")

// EngineInfo describes an engine and whether it can run here.
type EngineInfo struct {
	Name    string // as given to NewEngine and in voice.yaml
	Program string // the program it runs
	Path    string // where the program is, empty when it is not installed; BuiltIn for a built-in engine
	Install string // how to install the program
	Voices  string // the voices it offers, and its default
}

// BuiltIn is the Path of an engine that runs inside this program.
const BuiltIn = "built in"

// Builtin is the name of the speech engine inside the program: Flite,
// compiled to WebAssembly and run in-process, so that any routine speaks with
// nothing installed.
const Builtin = "builtin"

// Pico is the name of the second engine inside the program: SVOX Pico,
// compiled to WebAssembly, for the languages Flite does not speak.
const Pico = "pico"

// Installed reports whether the engine's program was found.
func (i EngineInfo) Installed() bool { return i.Path != "" }

// engineDef is a built-in engine: how to find its program and how to call it.
type engineDef struct {
	name, program, install, voices string
	defaultVoice                   string
	checkVoice                     func(string) error
	// argv returns the program's arguments and standard input for a line.
	argv func(voice, text, out string) (args []string, stdin string)
	// rate, when set, returns the arguments that set the speaking rate,
	// placed after the voice's.
	rate func(r float64) []string
	// diagnose, when set, recognizes a failure from the program's output
	// that deserves a clearer error than its exit status.
	diagnose func(voice, output string) error
	// speak, set for an engine built into the program, speaks a line
	// in-process instead of running program.
	speak func(ctx context.Context, voice, text, out string) error
	// voiceFor, when set, is the default voice for a language, "" when
	// the engine has none for it.
	voiceFor func(language string) string
}

var voiceName = regexp.MustCompile(`^[A-Za-z0-9_.+-]+$`)

func checkVoiceName(v string) error {
	if !voiceName.MatchString(v) {
		return fmt.Errorf("voice %q: use letters, digits and _ . + - only", v)
	}
	return nil
}

var fliteVoices = []string{"slt", "kal", "kal16", "awb", "rms", "awb_time"}

var engineDefs = []engineDef{
	{
		// First: it is always there. rms is its default because it was
		// the most intelligible of its voices (see README, "Voices").
		name: Builtin, program: "flite (WebAssembly, built in)",
		install:      "it is part of routinecast",
		voices:       strings.Join(flite.Voices, ", ") + " (Flite's voices); default rms",
		defaultVoice: "rms",
		checkVoice: func(v string) error {
			if slices.Contains(flite.Voices, v) {
				return nil
			}
			return fmt.Errorf("built-in voice %q: use one of %s", v, strings.Join(flite.Voices, ", "))
		},
		speak: flite.Speak,
	},
	{
		// Second: it speaks the languages Flite does not.
		name: Pico, program: "SVOX Pico (WebAssembly, built in)",
		install:  "it is part of routinecast",
		voices:   strings.Join(pico.Voices, ", ") + " (languages); default the routine's language",
		voiceFor: pico.VoiceFor,
		checkVoice: func(v string) error {
			if slices.Contains(pico.Voices, v) {
				return nil
			}
			return fmt.Errorf("pico voice %q: use one of %s", v, strings.Join(pico.Voices, ", "))
		},
		speak: pico.Speak,
	},
	{
		name: "festival", program: "text2wave",
		install:      "install the Debian packages festival and festvox-us-slt-hts: apt-get install festival festvox-us-slt-hts",
		voices:       "any installed festival voice; default cmu_us_slt_arctic_hts (Debian festvox-us-slt-hts)",
		defaultVoice: "cmu_us_slt_arctic_hts",
		checkVoice: func(v string) error {
			// The voice goes into a Scheme expression: letters, digits
			// and underscores only, so it cannot be anything but a name.
			if !regexp.MustCompile(`^[a-z0-9_]+$`).MatchString(v) {
				return fmt.Errorf("festival voice %q: use lower-case letters, digits and underscores, as in cmu_us_slt_arctic_hts", v)
			}
			return nil
		},
		argv: func(voice, text, out string) ([]string, string) {
			return []string{"-eval", "(voice_" + voice + ")", "-o", out}, text + "\n"
		},
		// Duration_Stretch does nothing to HTS voices: their engine takes
		// its own rate flag, -r.
		rate: func(r float64) []string {
			return []string{"-eval", fmt.Sprintf(`(set! hts_engine_params (append hts_engine_params (list (list "-r" %s))))`, strconv.FormatFloat(r, 'f', -1, 64))}
		},
		diagnose: func(voice, output string) error {
			// festival exits 0 and writes nothing when the voice is
			// not installed.
			if !strings.Contains(output, "unbound variable : voice_"+voice) {
				return nil
			}
			hint := "install the Debian package that provides it (festvox-*)"
			if voice == "cmu_us_slt_arctic_hts" {
				hint = "install the Debian package festvox-us-slt-hts: apt-get install festvox-us-slt-hts"
			}
			return fmt.Errorf("festival: voice %s is %w; %s", voice, ErrNotInstalled, hint)
		},
	},
	{
		name: "flite", program: "flite",
		install:      "install the Debian package flite: apt-get install flite",
		voices:       "slt, kal, kal16, awb, rms, or a .flitevox file; default slt",
		defaultVoice: "slt",
		checkVoice: func(v string) error {
			// flite quietly falls back to its default voice when it does
			// not know one, so only known names and voice files pass.
			if slices.Contains(fliteVoices, v) || strings.HasSuffix(v, ".flitevox") {
				return nil
			}
			return fmt.Errorf("flite voice %q: use one of %s, or a .flitevox file", v, strings.Join(fliteVoices, ", "))
		},
		argv: func(voice, text, out string) ([]string, string) {
			return []string{"-voice", voice, "-t", text, "-o", out}, ""
		},
		diagnose: func(voice, output string) error {
			// flite exits 0 and speaks with its default voice when it
			// cannot load the one it was given.
			if !strings.Contains(output, "Error load voice") {
				return nil
			}
			return fmt.Errorf("flite: cannot load voice %s: %s", voice, strings.Join(strings.Fields(output), " "))
		},
	},
	{
		name: "espeak-ng", program: "espeak-ng",
		install:    "install the Debian package espeak-ng: apt-get install espeak-ng",
		voices:     "any espeak-ng voice or language (espeak-ng --voices); default the voice's language",
		checkVoice: checkVoiceName,
		argv: func(voice, text, out string) ([]string, string) {
			return []string{"-v", voice, "-w", out, "--stdin"}, text + "\n"
		},
	},
	{
		name: "say", program: "say",
		install:    "say comes with macOS only",
		voices:     "any macOS voice (say -v '?'); default the system voice",
		checkVoice: func(v string) error { return nil },
		argv: func(voice, text, out string) ([]string, string) {
			args := []string{"--file-format=WAVE", "--data-format=LEI16@22050", "-o", out, "-f", "-"}
			if voice != "" {
				args = append([]string{"-v", voice}, args...)
			}
			return args, text
		},
	},
}

// CommandEngine is the name of the engine that runs any program set in
// voice.yaml.
const CommandEngine = "command"

func findDef(name string) (*engineDef, bool) {
	for i := range engineDefs {
		if engineDefs[i].name == name {
			return &engineDefs[i], true
		}
	}
	return nil, false
}

// EngineNames lists the engines NewEngine knows.
func EngineNames() []string {
	var out []string
	for _, d := range engineDefs {
		out = append(out, d.name)
	}
	return append(out, CommandEngine)
}

// Engines describes every built-in engine and whether its program is
// installed. The command engine runs whatever program its voice names, so it
// is not listed.
func Engines() []EngineInfo {
	var out []EngineInfo
	for _, d := range engineDefs {
		info := EngineInfo{Name: d.name, Program: d.program, Install: d.install, Voices: d.voices}
		if d.speak != nil {
			info.Path = BuiltIn
		} else if p, err := exec.LookPath(d.program); err == nil {
			info.Path = p
		}
		out = append(out, info)
	}
	return out
}

// withDefaults fills in the engine's default voice; espeak-ng and pico
// default to the voice's language.
func (e EngineSpec) withDefaults(language string) EngineSpec {
	if d, ok := findDef(e.Name); ok && e.Voice == "" {
		e.Voice = d.defaultVoice
		if e.Name == "espeak-ng" {
			e.Voice = strings.ToLower(language)
		}
		if d.voiceFor != nil {
			e.Voice = d.voiceFor(language)
		}
	}
	return e
}

func (e EngineSpec) check() error {
	if e.Name == Recorded {
		if e.Voice != "" || len(e.Command) > 0 || e.Rate != 0 {
			return fieldErrorf("engine", "engine: a recorded voice has no engine voice or command")
		}
		return nil
	}
	if e.Name == CommandEngine {
		if e.Voice != "" || e.Rate != 0 {
			return fieldErrorf("engine.voice", "engine: the command engine takes no voice or rate: put them in the command")
		}
		return checkCommand(e.Command)
	}
	d, ok := findDef(e.Name)
	if !ok {
		return fieldErrorf("engine.name", "engine: unknown engine %q: use %s, or %s", e.Name, strings.Join(EngineNames(), ", "), Recorded)
	}
	if len(e.Command) > 0 {
		return fieldErrorf("engine.command", "engine: command applies to the command engine only")
	}
	if e.Rate != 0 {
		if e.Name != "festival" || !strings.HasSuffix(e.Voice, "_hts") {
			return fieldErrorf("engine.rate", "engine: rate applies to festival's HTS voices only (such as cmu_us_slt_arctic_hts)")
		}
		if e.Rate < 0.5 || e.Rate > 2 || math.IsNaN(e.Rate) {
			return fieldErrorf("engine.rate", "engine: rate %g: use 0.5 to 2 (1 is the voice's own rate)", e.Rate)
		}
	}
	if e.Voice == "" && d.voiceFor != nil {
		return fieldErrorf("engine.voice", "engine: %s has no voice for the routine's language: give one of %s (--engine-voice)", d.name, strings.Join(pico.Voices, ", "))
	}
	if e.Voice != "" {
		if err := d.checkVoice(e.Voice); err != nil {
			return fieldErrorf("engine.voice", "engine: %v", err)
		}
	}
	return nil
}

func checkCommand(argv []string) error {
	if len(argv) == 0 || argv[0] == "" {
		return fieldErrorf("engine.command", "engine: the command engine needs a command, such as [piper, --model, voice.onnx, --output_file, \"{out}\"]")
	}
	out := false
	for _, a := range argv {
		out = out || strings.Contains(a, "{out}")
	}
	if !out {
		return fieldErrorf("engine.command", "engine: the command %q does not say where to write the clip: put {out} in one argument", argv)
	}
	if strings.Contains(argv[0], "{") {
		return fieldErrorf("engine.command", "engine: the command's program %q cannot hold {text} or {out}", argv[0])
	}
	return nil
}

// NewEngine returns the engine a spec names, with its default voice when the
// spec gives none (espeak-ng speaks language). It fails on an unknown engine,
// a bad setting, or a recorded voice; a program that is not installed is
// reported when a line is rendered, with ErrNotInstalled.
func NewEngine(spec EngineSpec, language string) (engine Engine, err error) {
	if spec.Name == Recorded {
		return nil, fmt.Errorf("narration: a recorded voice has no engine: record the missing lines (see 'routinecast voice script')")
	}
	spec = spec.withDefaults(language)
	if err := spec.check(); err != nil {
		return nil, fmt.Errorf("narration: %w", err)
	}
	if spec.Name == CommandEngine {
		return &programEngine{name: CommandEngine, program: spec.Command[0],
			install: "install it, or fix the command in voice.yaml",
			argv: func(text, out string) ([]string, string) {
				args := make([]string, 0, len(spec.Command)-1)
				stdin := text + "\n"
				for _, a := range spec.Command[1:] {
					if strings.Contains(a, "{text}") {
						stdin = ""
					}
					args = append(args, strings.NewReplacer("{text}", text, "{out}", out).Replace(a))
				}
				return args, stdin
			}}, nil
	}
	d, _ := findDef(spec.Name)
	voice := spec.Voice
	if d.speak != nil {
		return builtinEngine{name: d.name, voice: voice, speak: d.speak}, nil
	}
	if d.name == "flite" && strings.HasSuffix(voice, ".flitevox") {
		if voice, err = fliteVoxFile(voice); err != nil {
			return nil, err
		}
	}
	e := &programEngine{name: d.name, program: d.program, install: d.install,
		argv: func(text, out string) ([]string, string) {
			args, stdin := d.argv(voice, text, out)
			if spec.Rate != 0 && spec.Rate != 1 && d.rate != nil {
				// After the voice is selected, before -o.
				args = append(append(args[:2:2], d.rate(spec.Rate)...), args[2:]...)
			}
			return args, stdin
		}}
	if d.diagnose != nil {
		e.diagnose = func(output string) error { return d.diagnose(voice, output) }
	}
	return e, nil
}

// maxFliteVox bounds a flite voice file; the ones flite's authors publish
// are under 20 MB.
const maxFliteVox = 200 << 20

// fliteVoxFile checks that a .flitevox voice is a regular file and returns
// its absolute path: flite runs in a scratch folder, and would quietly speak
// with its default voice when it cannot find the file.
func fliteVoxFile(voice string) (string, error) {
	abs, err := filepath.Abs(voice)
	if err != nil {
		return "", fmt.Errorf("narration: flite voice %s: %w", voice, err)
	}
	f, err := safefile.Open(abs, maxFliteVox)
	if err != nil {
		return "", fmt.Errorf("narration: flite voice file %w", safefile.Short(err))
	}
	f.Close()
	return abs, nil
}

// builtinEngine speaks in-process.
type builtinEngine struct {
	name, voice string
	speak       func(ctx context.Context, voice, text, out string) error
}

func (e builtinEngine) Render(ctx context.Context, text, out string) error {
	if err := e.speak(ctx, e.voice, text, out); err != nil {
		return fmt.Errorf("%s: %w", e.name, err)
	}
	return nil
}

// programEngine runs one program per line.
type programEngine struct {
	name, program, install string
	argv                   func(text, out string) ([]string, string)
	diagnose               func(output string) error
}

// stderrLimit bounds how much of an engine's error output is kept for the
// error message.
const stderrLimit = 2000

// Available reports whether the engine's program is installed.
func (e *programEngine) Available() error {
	_, err := e.lookPath()
	return err
}

func (e *programEngine) lookPath() (string, error) {
	path, err := exec.LookPath(e.program)
	if err != nil {
		return "", fmt.Errorf("%s: program %s is %w; %s", e.name, e.program, ErrNotInstalled, e.install)
	}
	return path, nil
}

func (e *programEngine) Render(ctx context.Context, text, out string) error {
	path, err := e.lookPath()
	if err != nil {
		return err
	}
	args, stdin := e.argv(text, out)
	cmd := exec.CommandContext(ctx, path, args...)
	cmd.Dir = filepath.Dir(out)
	if stdin != "" {
		cmd.Stdin = strings.NewReader(stdin)
	}
	var stderr tailBuffer
	cmd.Stdout = &stderr
	cmd.Stderr = &stderr
	// Pipes held open by a grandchild must not keep Wait from returning
	// after the program was killed.
	cmd.WaitDelay = 2 * time.Second
	killGroup(cmd)
	err = cmd.Run()
	if ctx.Err() != nil {
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return fmt.Errorf("%s: %s did not finish in time%s", e.name, e.program, stderr.suffix())
		}
		return fmt.Errorf("%s: %w", e.name, ctx.Err())
	}
	if e.diagnose != nil {
		if derr := e.diagnose(string(stderr.b)); derr != nil {
			return derr
		}
	}
	if err != nil {
		// %v, not %w: the program's exit status is part of the message,
		// never something a caller could take for its own exit code.
		return fmt.Errorf("%s: %s failed: %v%s", e.name, e.program, err, stderr.suffix())
	}
	st, err := os.Stat(out)
	switch {
	case err != nil:
		return fmt.Errorf("%s: %s wrote no audio file%s", e.name, e.program, stderr.suffix())
	case st.Size() == 0:
		return fmt.Errorf("%s: %s wrote an empty file%s", e.name, e.program, stderr.suffix())
	}
	return nil
}

// tailBuffer keeps the last stderrLimit bytes written to it.
type tailBuffer struct{ b []byte }

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.b = append(t.b, p...)
	if len(t.b) > stderrLimit {
		t.b = t.b[len(t.b)-stderrLimit:]
	}
	return len(p), nil
}

// suffix is the program's output for an error message, or "" when it said
// nothing.
func (t *tailBuffer) suffix() string {
	s := strings.TrimSpace(string(bytes.ToValidUTF8(t.b, []byte("?"))))
	if s == "" {
		return ""
	}
	return ": " + strings.Join(strings.Fields(s), " ")
}

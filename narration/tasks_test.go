package narration

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"routinecast/routines"
)

const shoulderRoutine = `title: Shoulders
intro: [Good morning.]
exercises:
  - name: Shoulder circles
    reps: 2
    steps: [Circle your shoulders back., {count: true}]
outro: [That is all for today.]
`

// testTasks runs tasks on shoulderRoutine, whatever the routine's name, and
// returns what they write to Out and Log.
func testTasks(t *testing.T, engine string) (Tasks, *strings.Builder, *strings.Builder) {
	t.Helper()
	var out, log strings.Builder
	load := func(name string) (*routines.Routine, error) { return routines.Parse(name, []byte(shoulderRoutine)) }
	return Tasks{Out: &out, Log: &log, Load: load, Engine: func() string { return engine }}, &out, &log
}

func renderTask(voice string, bar bool) RenderTask {
	return RenderTask{Routines: []string{"shoulders.yaml"}, Levels: []routines.Level{routines.Gentle},
		Choice: Choice{Voice: voice}, Jobs: 2, Timeout: DefaultTimeout, Bar: bar}
}

func TestRenderVoiceProgress(t *testing.T) {
	for _, tc := range []struct {
		name string
		bar  bool
		want []string // in Log
	}{
		{"bar", true, []string{"\r\033[K[", "[##############################] ", "\r\033[K"}},
		{"lines", false, []string{"[1/", "] good-morning-", "] that-is-all-for-today-"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := fakeVoice(t, "speak", ClipFormat{})
			tasks, out, log := testTasks(t, "")
			if err := tasks.RenderVoice(context.Background(), renderTask(v.Dir(), tc.bar)); err != nil {
				t.Fatal(err)
			}
			for _, want := range tc.want {
				if !strings.Contains(log.String(), want) {
					t.Errorf("log lacks %q:\n%q", want, log.String())
				}
			}
			if !tc.bar && strings.Contains(log.String(), "\r") {
				t.Errorf("a bar drawn on a log that is no terminal:\n%q", log.String())
			}
			if !strings.Contains(out.String(), "rendering ") || !strings.Contains(out.String(), "rendered ") {
				t.Errorf("out:\n%s", out.String())
			}
			out.Reset()
			if err := tasks.RenderVoice(context.Background(), renderTask(v.Dir(), tc.bar)); err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(out.String(), "nothing to render") {
				t.Errorf("second render:\n%s", out.String())
			}
		})
	}
}

// TestRenderVoiceErrors tells bad input from failures and interrupts, which
// a program gives different exit codes.
func TestRenderVoiceErrors(t *testing.T) {
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	for _, tc := range []struct {
		name     string
		mode     string // the fake engine's; "" is a program that is not installed
		ctx      context.Context
		change   func(*RenderTask)
		bad      bool
		kept     string // what a *Stopped says, "" if no *Stopped
		contains string
	}{
		{"bad jobs", "speak", context.Background(), func(o *RenderTask) { o.Jobs = 0 }, true, "", "--jobs 0"},
		{"bad timeout", "speak", context.Background(), func(o *RenderTask) { o.Timeout = -time.Second }, true, "", "--timeout -1s"},
		{"engine voice alone", "speak", context.Background(), func(o *RenderTask) { o.Voice, o.EngineVoice = "", "slt" }, true, "", "--engine-voice needs --engine"},
		{"not installed", "", context.Background(), nil, true, "", "not installed"},
		{"engine fails", "fail", context.Background(), nil, false, "", "stopped after 0 clips"},
		{"interrupted", "hang", cancelled, nil, false, "kept 0 clips rendered before the interrupt", "voice render: "},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var v *Voice
			if tc.mode == "" {
				var err error
				v, err = Create(filepath.Join(t.TempDir(), "voice"), Manifest{Language: "en",
					Engine: EngineSpec{Name: "command", Command: []string{"routinecast-no-such-engine", "{out}"}}})
				if err != nil {
					t.Fatal(err)
				}
			} else {
				v = fakeVoice(t, tc.mode, ClipFormat{})
			}
			o := renderTask(v.Dir(), false)
			if tc.change != nil {
				tc.change(&o)
			}
			tasks, _, _ := testTasks(t, "")
			err := tasks.RenderVoice(tc.ctx, o)
			if err == nil || !strings.Contains(err.Error(), tc.contains) {
				t.Fatalf("error %v, want one saying %q", err, tc.contains)
			}
			if errors.Is(err, ErrBadInput) != tc.bad {
				t.Errorf("error %v: bad input %v, want %v", err, !tc.bad, tc.bad)
			}
			var s *Stopped
			if got := errors.As(err, &s); got != (tc.kept != "") || got && !strings.Contains(s.Kept, tc.kept) {
				t.Errorf("error %v: stopped %v (%+v), want it to say %q", err, got, s, tc.kept)
			}
		})
	}
}

func TestEngineVoice(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("XDG_CACHE_HOME", filepath.Join(tmp, "cache"))
	t.Setenv("HOME", tmp)
	existing := fakeVoice(t, "speak", ClipFormat{})
	for _, tc := range []struct {
		name       string
		choice     Choice
		clips      *ClipFormat
		wantEngine string
		wantDir    string // "" is the engine's voice in the cache
		wantFormat string
	}{
		{"existing voice keeps its engine", Choice{Voice: existing.Dir()}, nil, "command", existing.Dir(), ""},
		{"existing voice takes a format", Choice{Voice: existing.Dir()}, &ClipFormat{Format: "flac"}, "command", existing.Dir(), "flac"},
		{"engine into the cache", Choice{Engine: "flite"}, nil, "flite", "", ""},
		{"the built-in engine without an engine", Choice{}, nil, Builtin, "", ""},
		{"new folder", Choice{Voice: filepath.Join(tmp, "new"), Engine: "espeak-ng"}, &ClipFormat{Format: "mp3"}, "espeak-ng", filepath.Join(tmp, "new"), "mp3"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v, err := EngineVoice(tc.choice, "en", tc.clips)
			if err != nil {
				t.Fatal(err)
			}
			if v.Manifest.Engine.Name != tc.wantEngine || v.Manifest.Clips.Format != tc.wantFormat {
				t.Errorf("engine %q, format %q; want %q, %q", v.Manifest.Engine.Name, v.Manifest.Clips.Format, tc.wantEngine, tc.wantFormat)
			}
			want := tc.wantDir
			if want == "" {
				if want, err = CacheDir(v.Manifest.Engine, "en"); err != nil {
					t.Fatal(err)
				}
			}
			if v.Dir() != want {
				t.Errorf("dir %s, want %s", v.Dir(), want)
			}
		})
	}
	// A routine in a language Pico speaks, with no engine named, is
	// Pico's, in that language.
	for lang, voice := range map[string]string{"es": "es-ES", "de": "de-DE", "fr": "fr-FR", "it": "it-IT", "en": "rms"} {
		v, err := EngineVoice(Choice{}, lang, nil)
		if err != nil {
			t.Fatal(err)
		}
		if e := v.Manifest.Engine; e.Name != BuiltinFor(lang) || e.Voice != voice || (lang != "en") != (e.Name == Pico) {
			t.Errorf("a routine in %s with no voice given: engine %s %s, want voice %s", lang, e.Name, e.Voice, voice)
		}
	}
	if _, err := EngineVoice(Choice{Engine: "sapi"}, "en", nil); !errors.Is(err, ErrBadInput) {
		t.Errorf("unknown engine: %v, want bad input", err)
	}
}

// TestCheckVoiceAdvice: the advice for missing clips fits how the voice is
// made, and quotes what a shell would split.
func TestCheckVoiceAdvice(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("XDG_CACHE_HOME", filepath.Join(tmp, "cache"))
	recorded, err := Create(filepath.Join(tmp, "my voice"), Manifest{Language: "en", Engine: EngineSpec{Name: Recorded}})
	if err != nil {
		t.Fatal(err)
	}
	rendered := fakeVoice(t, "speak", ClipFormat{})
	for _, tc := range []struct {
		name, voice, engine, want string
	}{
		{"embedded, an engine installed", "", "flite", "render them with 'routinecast voice render 'my shoulders.yaml' --engine flite', then use --voice flite-slt"},
		{"embedded, no engine", "", "", "install a speech engine (see 'routinecast voice engines')"},
		{"recorded", recorded.Dir(), "flite", "record them (see 'routinecast voice script 'my shoulders.yaml'') and import them with 'routinecast voice import FOLDER --voice '" + recorded.Dir() + "' --routine 'my shoulders.yaml''"},
		{"rendered", rendered.Dir(), "flite", "render them with 'routinecast voice render 'my shoulders.yaml' --voice " + rendered.Dir() + "'"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tasks, out, _ := testTasks(t, tc.engine)
			err := tasks.CheckVoice(CheckTask{Routines: []string{"my shoulders.yaml"}, Levels: routines.Levels(), Voice: tc.voice})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v\nwant it to say %s", err, tc.want)
			}
			if errors.Is(err, ErrBadInput) {
				t.Errorf("missing clips are a failure, not bad input: %v", err)
			}
			if !strings.Contains(out.String(), "  Circle your shoulders back.") {
				t.Errorf("out does not list the missing lines:\n%s", out.String())
			}
		})
	}
}

func TestVoiceForWithoutEngine(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	t.Setenv("PATH", t.TempDir()) // nothing installed
	tasks, _, log := testTasks(t, "")
	r, err := routines.Parse("shoulders.yaml", []byte(shoulderRoutine))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tasks.VoiceFor(context.Background(), "play", Choice{EngineVoice: "slt"}, r, routines.Gentle, false); !errors.Is(err, ErrBadInput) ||
		err.Error() != "play: --engine-voice needs --engine" {
		t.Errorf("--engine-voice alone: %v", err)
	}
	if _, err := tasks.VoiceFor(context.Background(), "play", Choice{Voice: "no/such/voice"}, r, routines.Gentle, false); !errors.Is(err, ErrBadInput) || !errors.Is(err, ErrNoVoice) {
		t.Errorf("unknown voice: %v", err)
	}
	if log.Len() != 0 {
		t.Errorf("nothing rendered, yet the log says:\n%s", log.String())
	}

	// The built-in routine: the embedded voice, nothing rendered.
	back, err := routines.Builtin("lower-back")
	if err != nil {
		t.Fatal(err)
	}
	if dir, err := tasks.VoiceFor(context.Background(), "play", Choice{}, back, routines.Full, true); dir != "" || err != nil {
		t.Errorf("lower-back, no voice: %q, %v; want the embedded voice", dir, err)
	}
	// Any other routine: the built-in engine renders every line of it into
	// its cached voice, with nothing installed; a second call renders nothing.
	dir, err := tasks.VoiceFor(context.Background(), "play", Choice{}, r, routines.Gentle, true)
	if err != nil {
		t.Fatal(err)
	}
	v, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if v.Manifest.Engine.Name != Builtin || v.Manifest.Engine.Voice != "rms" {
		t.Errorf("voice %s made by %+v, want the built-in engine's rms", dir, v.Manifest.Engine)
	}
	var scripts []*routines.Script
	for _, l := range routines.Levels() {
		s, _ := routines.Expand(r, l)
		scripts = append(scripts, s)
	}
	if missing := v.Missing(Texts(Lines(scripts...))); len(missing) > 0 {
		t.Errorf("after VoiceFor, %d lines still have no clip: %q", len(missing), missing)
	}
	log.Reset()
	if again, err := tasks.VoiceFor(context.Background(), "play", Choice{}, r, routines.Gentle, true); again != dir || err != nil || log.Len() != 0 {
		t.Errorf("second call: %q, %v, log %q; want the same voice and nothing rendered", again, err, log.String())
	}
}

func TestShellWords(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"lower-back", "my/routine.yaml"}, "lower-back my/routine.yaml"},
		{[]string{"my routine.yaml"}, "'my routine.yaml'"},
		{[]string{"it's"}, `'it'\''s'`},
		{[]string{""}, "''"},
		{[]string{"$HOME", "*.yaml", "~x"}, "'$HOME' '*.yaml' '~x'"},
	} {
		if got := ShellWords(tc.args...); got != tc.want {
			t.Errorf("ShellWords(%q) = %s, want %s", tc.args, got, tc.want)
		}
	}
}

func TestHumanBytes(t *testing.T) {
	for n, want := range map[int64]string{0: "0 B", 1023: "1023 B", 1024: "1.0 KiB", 1536: "1.5 KiB", 5 << 20: "5.0 MiB", 3 << 30: "3.0 GiB"} {
		if got := humanBytes(n); got != want {
			t.Errorf("humanBytes(%d) = %s, want %s", n, got, want)
		}
	}
}

func TestEllipsis(t *testing.T) {
	if got := ellipsis("Breathe in slowly.", 40); got != "Breathe in slowly." {
		t.Errorf("short line shortened: %q", got)
	}
	if got := ellipsis("Détendez-vous bien", 5); got != "Déte…" {
		t.Errorf("ellipsis = %q, want 5 runes", got)
	}
}

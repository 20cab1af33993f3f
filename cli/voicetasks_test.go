package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"routinecast/audio"
	"routinecast/export"
	"routinecast/internal/safefile"
	"routinecast/internal/testtool"
	"routinecast/job"
	"routinecast/mixer"
	"routinecast/narration"
	"routinecast/routines"
)

// TestMain lets the test binary play a speech engine: run as
// "TESTBINARY fake-engine MODE OUT TEXT", it does what MODE says, so the
// voice tasks meet a program's successes and failures without a shell.
func TestMain(m *testing.M) {
	if len(os.Args) > 2 && os.Args[1] == "fake-engine" {
		os.Exit(fakeEngine(os.Args[2], os.Args[3:]))
	}
	os.Exit(m.Run())
}

func fakeEngine(mode string, args []string) int {
	switch mode {
	case "speak":
		// 0.3 s of silence, 0.25 s of tone per word, 0.3 s of silence.
		const sr = 16000
		words := len(strings.Fields(args[1]))
		s := make([][2]float64, sr*6/10+sr*words/4)
		for i := sr * 3 / 10; i < len(s)-sr*3/10; i++ {
			s[i][0] = 0.2 * math.Sin(2*math.Pi*440*float64(i)/sr)
		}
		if err := os.WriteFile(args[0], testtool.WAV(sr, 1, s), 0o644); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
	case "fail":
		fmt.Fprintln(os.Stderr, "fake: out of cheese")
		return 3
	case "hang":
		fmt.Fprintln(os.Stderr, "fake: hanging")
		time.Sleep(10 * time.Minute)
	}
	return 0
}

// fakeVoice is a voice in a new folder whose engine is the test binary in
// mode.
func fakeVoice(t *testing.T, mode string) *narration.Voice {
	t.Helper()
	v, err := narration.Create(filepath.Join(t.TempDir(), "voice"), narration.Manifest{Name: "fake", Language: "en",
		Engine: narration.EngineSpec{Name: narration.CommandEngine, Command: []string{os.Args[0], "fake-engine", mode, "{out}", "{text}"}}})
	if err != nil {
		t.Fatal(err)
	}
	return v
}

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
func testTasks(t *testing.T, engine string) (voiceTasks, *strings.Builder, *strings.Builder) {
	t.Helper()
	var out, log strings.Builder
	load := func(name string) (*routines.Routine, error) { return routines.Parse(name, []byte(shoulderRoutine)) }
	return voiceTasks{out: &out, log: &log, load: load, engine: func() string { return engine }}, &out, &log
}

func testRenderTask(voice string, bar bool) renderTask {
	return renderTask{Routines: []string{"shoulders.yaml"}, Levels: []routines.Level{routines.Gentle},
		Choice: narration.Choice{Voice: voice}, Jobs: 2, Timeout: narration.DefaultTimeout, Bar: bar}
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
			v := fakeVoice(t, "speak")
			tasks, out, log := testTasks(t, "")
			if err := tasks.renderVoice(context.Background(), testRenderTask(v.Dir(), tc.bar)); err != nil {
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
			if err := tasks.renderVoice(context.Background(), testRenderTask(v.Dir(), tc.bar)); err != nil {
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
		change   func(*renderTask)
		bad      bool
		kept     string // what a *Stopped says, "" if no *Stopped
		contains string
	}{
		{"bad jobs", "speak", context.Background(), func(o *renderTask) { o.Jobs = 0 }, true, "", "--jobs 0"},
		{"bad timeout", "speak", context.Background(), func(o *renderTask) { o.Timeout = -time.Second }, true, "", "--timeout -1s"},
		{"engine voice alone", "speak", context.Background(), func(o *renderTask) { o.Voice, o.EngineVoice = "", "slt" }, true, "", "--engine-voice needs --engine"},
		{"not installed", "", context.Background(), nil, true, "", "not installed"},
		{"engine fails", "fail", context.Background(), nil, false, "", "stopped after 0 clips"},
		{"interrupted", "hang", cancelled, nil, false, "kept 0 clips rendered before the interrupt", "voice render: "},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var v *narration.Voice
			if tc.mode == "" {
				var err error
				v, err = narration.Create(filepath.Join(t.TempDir(), "voice"), narration.Manifest{Language: "en",
					Engine: narration.EngineSpec{Name: "command", Command: []string{"routinecast-no-such-engine", "{out}"}}})
				if err != nil {
					t.Fatal(err)
				}
			} else {
				v = fakeVoice(t, tc.mode)
			}
			o := testRenderTask(v.Dir(), false)
			if tc.change != nil {
				tc.change(&o)
			}
			tasks, _, _ := testTasks(t, "")
			err := tasks.renderVoice(tc.ctx, o)
			if err == nil || !strings.Contains(err.Error(), tc.contains) {
				t.Fatalf("error %v, want one saying %q", err, tc.contains)
			}
			if bad := ExitCode(err) == ExitBadInput; bad != tc.bad {
				t.Errorf("error %v: bad input %v, want %v", err, bad, tc.bad)
			}
			var s interrupted
			if got := errors.As(err, &s); got != (tc.kept != "") || got && !strings.Contains(s.kept, tc.kept) {
				t.Errorf("error %v: interrupted %v (%+v), want it to say %q", err, got, s, tc.kept)
			}
		})
	}
}

// TestCheckVoiceAdvice: the advice for missing clips fits how the voice is
// made, and quotes what a shell would split.
func TestCheckVoiceAdvice(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("XDG_CACHE_HOME", filepath.Join(tmp, "cache"))
	recorded, err := narration.Create(filepath.Join(tmp, "my voice"), narration.Manifest{Language: "en", Engine: narration.EngineSpec{Name: narration.Recorded}})
	if err != nil {
		t.Fatal(err)
	}
	rendered := fakeVoice(t, "speak")
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
			err := tasks.checkVoice(checkTask{Routines: []string{"my shoulders.yaml"}, Levels: routines.Levels(), Voice: tc.voice})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v\nwant it to say %s", err, tc.want)
			}
			if ExitCode(err) == ExitBadInput {
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
	if _, err := tasks.voiceFor(context.Background(), "play", narration.Choice{EngineVoice: "slt"}, r, routines.Gentle, false); ExitCode(err) != ExitBadInput ||
		err.Error() != "play: --engine-voice needs --engine" {
		t.Errorf("--engine-voice alone: %v", err)
	}
	if _, err := tasks.voiceFor(context.Background(), "play", narration.Choice{Voice: "no/such/voice"}, r, routines.Gentle, false); ExitCode(err) != ExitBadInput || !errors.Is(err, narration.ErrNoVoice) {
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
	if dir, err := tasks.voiceFor(context.Background(), "play", narration.Choice{}, back, routines.Full, true); dir != "" || err != nil {
		t.Errorf("lower-back, no voice: %q, %v; want the embedded voice", dir, err)
	}
	// Any other routine: the built-in engine renders every line of it into
	// its cached voice, with nothing installed; a second call renders nothing.
	dir, err := tasks.voiceFor(context.Background(), "play", narration.Choice{}, r, routines.Gentle, true)
	if err != nil {
		t.Fatal(err)
	}
	v, err := narration.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if v.Manifest.Engine.Name != narration.Builtin || v.Manifest.Engine.Voice != "rms" {
		t.Errorf("voice %s made by %+v, want the built-in engine's rms", dir, v.Manifest.Engine)
	}
	var scripts []*routines.Script
	for _, l := range routines.Levels() {
		s, _ := routines.Expand(r, l)
		scripts = append(scripts, s)
	}
	if missing := v.Missing(narration.Texts(narration.Lines(scripts...))); len(missing) > 0 {
		t.Errorf("after VoiceFor, %d lines still have no clip: %q", len(missing), missing)
	}
	log.Reset()
	if again, err := tasks.voiceFor(context.Background(), "play", narration.Choice{}, r, routines.Gentle, true); again != dir || err != nil || log.Len() != 0 {
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
		if got := shellWords(tc.args...); got != tc.want {
			t.Errorf("shellWords(%q) = %s, want %s", tc.args, got, tc.want)
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

// TestDamagedClipsAreRenderedAgain: a rendered clip cut short and one
// overwritten with text are reported by voice check, and voice render
// removes and renders them again, saying so in one line each; then every
// line has a clip that decodes.
func TestDamagedClipsAreRenderedAgain(t *testing.T) {
	t.Setenv(narration.PCMCacheEnv, t.TempDir())
	v := fakeVoice(t, "speak")
	tasks, out, log := testTasks(t, "")
	if err := tasks.renderVoice(context.Background(), testRenderTask(v.Dir(), false)); err != nil {
		t.Fatal(err)
	}
	check := checkTask{Routines: []string{"shoulders.yaml"}, Levels: []routines.Level{routines.Gentle}, Voice: v.Dir()}
	out.Reset()
	if err := tasks.checkVoice(check); err != nil {
		t.Fatalf("a fresh voice: %v\n%s", err, out)
	}

	clips := slices.DeleteFunc(testtool.Names(t, v.Dir()), func(n string) bool { return n == narration.ManifestFile })
	if len(clips) < 2 {
		t.Fatalf("%d clips rendered", len(clips))
	}
	cut, garbage := filepath.Join(v.Dir(), clips[0]), filepath.Join(v.Dir(), clips[1])
	whole, err := os.ReadFile(cut)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(cut, whole[:len(whole)/2], 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(garbage, []byte("this is not audio, but it is long enough to be sniffed as something"), 0o644); err != nil {
		t.Fatal(err)
	}

	out.Reset()
	err = tasks.checkVoice(check)
	if err == nil || !strings.Contains(err.Error(), "2 clips do not decode") || !strings.Contains(err.Error(), "voice render") {
		t.Errorf("voice check over damaged clips: %v", err)
	}
	for _, name := range []string{clips[0], clips[1]} {
		if !strings.Contains(out.String(), name) {
			t.Errorf("voice check does not name %s:\n%s", name, out)
		}
	}

	out.Reset()
	log.Reset()
	if err := tasks.renderVoice(context.Background(), testRenderTask(v.Dir(), false)); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "rendering 2 missing clips") {
		t.Errorf("voice render:\n%s", out)
	}
	for _, p := range []string{cut, garbage} {
		if !strings.Contains(log.String(), "note: clip "+p+" does not decode") {
			t.Errorf("no notice for %s:\n%s", p, log)
		}
	}
	if n := strings.Count(log.String(), "note: "); n != 2 {
		t.Errorf("%d notices, want 2:\n%s", n, log)
	}
	again, err := os.ReadFile(cut)
	if err != nil || !bytes.Equal(again, whole) {
		t.Errorf("the clip cut short was not rendered again whole (%d bytes, was %d): %v", len(again), len(whole), err)
	}
	out.Reset()
	if err := tasks.checkVoice(check); err != nil || !strings.Contains(out.String(), "every line has a clip") {
		t.Errorf("after render: %v\n%s", err, out)
	}
}

// fixMissingClips names the command that adds the clips, which depends on
// the voice: one an engine made renders them, a recorded one records them,
// and the built-in voice suggests an engine.
func TestFixMissingClips(t *testing.T) {
	dir := t.TempDir()
	flite, recorded := filepath.Join(dir, "flite"), filepath.Join(dir, "mine")
	if _, err := narration.Create(flite, narration.Manifest{Language: "en", Engine: narration.EngineSpec{Name: "flite"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := narration.Create(recorded, narration.Manifest{Language: "en", Engine: narration.EngineSpec{Name: narration.Recorded}}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { installedEngine = firstInstalledEngine })
	for _, c := range []struct {
		voice, dir, engine, want string
	}{
		{"flite", flite, "", "the voice flite has no clip for 1 line(s) of this routine:\n  \"a\"\nrender them with 'routinecast voice render 'my routine.yaml' --voice flite', or add --engine flite to this command"},
		{"mine", recorded, "", "record them (see 'routinecast voice script 'my routine.yaml'') and import them with 'routinecast voice import FOLDER --voice mine --routine 'my routine.yaml''"},
		{"", "", "", "the built-in voice has no clip"},
		{"", "", "", "add --engine festival to this command"},
		{"", "", "espeak-ng", "add --engine espeak-ng to this command"},
	} {
		installedEngine = func() string { return c.engine }
		e := &job.MissingClipsError{Voice: c.dir, Lines: []string{"a"}}
		fixMissingClips(e, "my routine.yaml", c.voice, c.dir)
		if !strings.Contains(e.Error(), c.want) {
			t.Errorf("voice %q: %s\nwant it to say %s", c.voice, e.Error(), c.want)
		}
	}
}

// TestExportErrorBadInput: what the user chose (a format, settings, a
// voice lacking clips, a length, a missing or special file) is bad input;
// a failure or an interrupt is not.
func TestExportErrorBadInput(t *testing.T) {
	for _, c := range []struct {
		err  error
		want int
	}{
		{fmt.Errorf("wrapped: %w", export.ErrFormat), ExitBadInput},
		{&job.MissingClipsError{Voice: "v", Lines: []string{"a"}}, ExitBadInput},
		{fmt.Errorf("mixer: %w: gap", mixer.ErrOptions), ExitBadInput},
		{fmt.Errorf("fit: %w", job.ErrLength), ExitBadInput},
		{fmt.Errorf("music: %w", fs.ErrNotExist), ExitBadInput},
		{fmt.Errorf("music: %w", safefile.ErrNotRegular), ExitBadInput},
		{fmt.Errorf("clip: %w", audio.ErrUnsupported), ExitBadInput},
		{errors.New("disk full"), ExitFailure},
		{context.Canceled, ExitInterrupted},
	} {
		if got := ExitCode(exportError(c.err)); got != c.want {
			t.Errorf("exportError(%v): exit %d, want %d", c.err, got, c.want)
		}
	}
}

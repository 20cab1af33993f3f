package narration

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"
	"time"

	"routinecast/audio"
	"routinecast/internal/testtool"
)

const testLine = "Breathe in slowly, and let your shoulders relax."

// TestEnginesSpeak renders a line with each installed engine and checks the
// raw output is speech.
func TestEnginesSpeak(t *testing.T) {
	tests := []struct {
		program string
		spec    EngineSpec
	}{
		{"text2wave", EngineSpec{Name: "festival"}},
		{"flite", EngineSpec{Name: "flite"}},
		{"flite", EngineSpec{Name: "flite", Voice: "kal16"}},
		{"espeak-ng", EngineSpec{Name: "espeak-ng"}},
	}
	for _, tc := range tests {
		t.Run(tc.spec.Name+"-"+tc.spec.Voice, func(t *testing.T) {
			testtool.Require(t, tc.program)
			c := speak(t, tc.spec, testLine)
			checkSpeech(t, c.Samples, c.Rate, len(strings.Fields(testLine)))
		})
	}
}

// speak renders line with a new engine of spec (within a minute) and decodes
// what it wrote.
func speak(t *testing.T, spec EngineSpec, line string) *audio.Clip {
	t.Helper()
	e, err := NewEngine(spec, "en")
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "speech.wav")
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	if err := e.Render(ctx, line, out); err != nil {
		t.Fatal(err)
	}
	c, err := decodeFile(out)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestFestivalMissingVoice(t *testing.T) {
	testtool.Require(t, "text2wave")
	e, err := NewEngine(EngineSpec{Name: "festival", Voice: "no_such_voice"}, "en")
	if err != nil {
		t.Fatal(err)
	}
	err = e.Render(context.Background(), "Hello.", filepath.Join(t.TempDir(), "out.wav"))
	if !errors.Is(err, ErrNotInstalled) || !strings.Contains(err.Error(), "festival: voice no_such_voice is not installed; install the Debian package that provides it") {
		t.Errorf("festival with an unknown voice: %v, want ErrNotInstalled naming the voice", err)
	}

	// Render stops at the first such error and reports it once.
	v, err := Create(filepath.Join(t.TempDir(), "v"), Manifest{Language: "en", Engine: EngineSpec{Name: "festival", Voice: "no_such_voice"}})
	if err != nil {
		t.Fatal(err)
	}
	res, err := Render(context.Background(), v, someLines, RenderOptions{Jobs: 1})
	if !errors.Is(err, ErrNotInstalled) || strings.Count(err.Error(), "not installed") != 1 || res.Failed > 2 {
		t.Errorf("Render with a missing festival voice: %+v, %v; want one error, and the lines after it not tried", res, err)
	}
}

func TestEngineFailures(t *testing.T) {
	tests := []struct {
		name    string
		spec    EngineSpec
		timeout time.Duration
		want    []string
		notInst bool
	}{
		{"missing command", EngineSpec{Name: "command", Command: []string{"routinecast-no-such-engine", "{out}"}}, time.Minute,
			[]string{"command: program routinecast-no-such-engine is not installed"}, true},
		{"non-zero exit", EngineSpec{Name: "command", Command: fakeCommand("fail")}, time.Minute,
			[]string{"failed: exit status 3: fake: out of cheese"}, false},
		{"hang", EngineSpec{Name: "command", Command: fakeCommand("hang")}, 300 * time.Millisecond,
			[]string{"did not finish in time"}, false},
		{"no output", EngineSpec{Name: "command", Command: fakeCommand("none")}, time.Minute,
			[]string{"wrote no audio file"}, false},
		{"empty output", EngineSpec{Name: "command", Command: fakeCommand("empty")}, time.Minute,
			[]string{"wrote an empty file"}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e, err := NewEngine(tc.spec, "en")
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), tc.timeout)
			defer cancel()
			start := time.Now()
			err = e.Render(ctx, "Hello.", filepath.Join(t.TempDir(), "out.wav"))
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not say %q", err, w)
				}
			}
			if errors.Is(err, ErrNotInstalled) != tc.notInst {
				t.Errorf("errors.Is(ErrNotInstalled) = %v, want %v", !tc.notInst, tc.notInst)
			}
			if d := time.Since(start); d > tc.timeout+5*time.Second {
				t.Errorf("took %v, past the %v timeout", d, tc.timeout)
			}
		})
	}
}

// TestMissingEngineNamesPackage runs each built-in engine with an empty PATH.
func TestMissingEngineNamesPackage(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	tests := []struct {
		engine string
		want   string
	}{
		{"festival", "install the Debian packages festival and festvox-us-slt-hts: apt-get install festival festvox-us-slt-hts"},
		{"flite", "apt-get install flite"},
		{"espeak-ng", "apt-get install espeak-ng"},
		{"say", "say comes with macOS only"},
	}
	for _, tc := range tests {
		t.Run(tc.engine, func(t *testing.T) {
			e, err := NewEngine(EngineSpec{Name: tc.engine}, "en")
			if err != nil {
				t.Fatal(err)
			}
			err = e.Render(context.Background(), "Hello.", filepath.Join(t.TempDir(), "out.wav"))
			if !errors.Is(err, ErrNotInstalled) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want ErrNotInstalled saying %q", err, tc.want)
			}
		})
	}
	for _, info := range Engines() {
		if builtin := info.Path == BuiltIn; info.Installed() != builtin {
			t.Errorf("Engines says %s is installed: %v with an empty PATH (built in: %v)", info.Name, info.Installed(), builtin)
		}
	}
}

// TestBuiltinEngineSpeaks: the built-in engine needs nothing on PATH, and
// writes a WAV that holds speech: energy where the words are, quiet around.
func TestBuiltinEngineSpeaks(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	c := speak(t, EngineSpec{Name: Builtin}, "Slowly bring your right knee up towards your chest.")
	if d := c.Duration(); d < 2*time.Second || d > 6*time.Second {
		t.Errorf("a nine-word line lasts %v, want 2 to 6 s", d)
	}
}

// TestPicoEngine: the second built-in engine needs nothing on PATH, speaks
// the routine's language when no voice is given, and refuses a language it
// has no voice for, naming the ones it has.
func TestPicoEngine(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	e, err := NewEngine(EngineSpec{Name: Pico}, "es")
	if err != nil {
		t.Fatal(err)
	}
	if got := e.(builtinEngine).voice; got != "es-ES" {
		t.Errorf("pico's voice for a routine in es is %q, want es-ES", got)
	}
	out := filepath.Join(t.TempDir(), "speech.wav")
	if err := e.Render(t.Context(), "Lleva despacio la rodilla derecha hacia el pecho.", out); err != nil {
		t.Fatal(err)
	}
	c, err := decodeFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if d := c.Duration(); d < 2*time.Second || d > 6*time.Second {
		t.Errorf("an eight-word line lasts %v, want 2 to 6 s", d)
	}
	_, err = NewEngine(EngineSpec{Name: Pico}, "en")
	if err == nil || !strings.Contains(err.Error(), "es-ES, de-DE, fr-FR, it-IT") {
		t.Errorf("pico for a routine in en: %v, want an error naming its voices", err)
	}
	if _, err := NewEngine(EngineSpec{Name: Pico, Voice: "pt-PT"}, "es"); err == nil {
		t.Error("pico took the voice pt-PT")
	}
}

func TestCommandEngineArguments(t *testing.T) {
	// The fake engine gets the text as an argument: a line with shell
	// metacharacters must arrive as one argument, untouched.
	line := `It's "fine"; $(rm -rf /) & more`
	c := speak(t, EngineSpec{Name: "command", Command: fakeCommand("speak")}, line)
	// 7 words as strings.Fields counts them, 0.25 s each, plus 0.6 s of
	// silence.
	if got, want := c.Duration(), 2350*time.Millisecond; got != want {
		t.Errorf("fake engine wrote %v, want %v: the text did not arrive as one argument", got, want)
	}
}

// TestFliteVoiceFileMissing: flite given a .flitevox it cannot find speaks
// with its default voice and exits 0; routinecast refuses before rendering.
func TestFliteVoiceFileMissing(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "nobody.flitevox")
	_, err := NewEngine(EngineSpec{Name: "flite", Voice: missing}, "en")
	if want := "narration: flite voice file " + missing + ": no such file or directory"; err == nil || err.Error() != want {
		t.Fatalf("err = %v, want %s", err, want)
	}
	if _, err := NewEngine(EngineSpec{Name: "flite", Voice: dir + "/x.flitevox/"}, "en"); err == nil {
		t.Error("a folder path was taken")
	}
	v, err := Create(filepath.Join(dir, "voice"), Manifest{Language: "en", Engine: EngineSpec{Name: "flite", Voice: missing}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Render(context.Background(), v, []string{"Hello."}, RenderOptions{}); err == nil || !strings.Contains(err.Error(), "no such file") {
		t.Fatalf("Render err = %v", err)
	}
	if files := folderFiles(t, v.Dir()); len(files) != 0 {
		t.Errorf("cached %v", files)
	}
}

// TestFliteVoiceFileBroken runs real flite on a file that is not a voice: it
// says so and exits 0, and the line fails instead of being cached in flite's
// default voice.
func TestFliteVoiceFileBroken(t *testing.T) {
	testtool.Require(t, "flite")
	dir := t.TempDir()
	bogus := filepath.Join(dir, "bogus.flitevox")
	os.WriteFile(bogus, []byte("not a voice"), 0o644)
	v, err := Create(filepath.Join(dir, "voice"), Manifest{Language: "en", Engine: EngineSpec{Name: "flite", Voice: bogus}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = Render(context.Background(), v, []string{"Hello."}, RenderOptions{})
	if err == nil || !strings.Contains(err.Error(), "flite: cannot load voice "+bogus+": Error load voice") {
		t.Fatalf("err = %v", err)
	}
	if files := folderFiles(t, v.Dir()); len(files) != 0 {
		t.Errorf("cached %v", files)
	}
}

// TestBuiltinRenderSpacesCollections: while the built-in engine renders,
// the collector runs sparser (a collection waits for every line running in
// the engine to end), and the pacing is back as it was once Render returns.
func TestBuiltinRenderSpacesCollections(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	v, err := Create(filepath.Join(t.TempDir(), "voice"), Manifest{Name: "b", Language: "en", Engine: EngineSpec{Name: Builtin, Voice: "kal"}})
	if err != nil {
		t.Fatal(err)
	}
	gcPercent := func() int { p := debug.SetGCPercent(100); debug.SetGCPercent(p); return p }
	var during []int
	_, err = Render(t.Context(), v, []string{"Breathe in.", "Breathe out."}, RenderOptions{Progress: func(Progress) {
		during = append(during, gcPercent())
	}})
	if err != nil {
		t.Fatal(err)
	}
	if len(during) != 2 || during[0] <= 100 || during[1] <= 100 {
		t.Errorf("GOGC during the render: %v, want over 100", during)
	}
	if p := gcPercent(); p != 100 {
		t.Errorf("GOGC after the render: %d, want the 100 it was", p)
	}
}

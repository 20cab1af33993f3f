package cli

import (
	"encoding/csv"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"routinecast/internal/testtool"
	"routinecast/internal/testtool/routinetest"
	"routinecast/narration"
)

// smallRoutine writes a short routine file and returns its path.
func smallRoutine(t *testing.T, dir string) string {
	t.Helper()
	p := filepath.Join(dir, "neck.yaml")
	src := `title: Neck
language: en
intro:
  - Hello there.
exercises:
  - name: Neck roll
    reps: 2
    steps:
      - say: Roll your head slowly.
      - count: true
outro:
  - Well done, see you tomorrow.
`
	return testtool.WriteFile(t, p, src)
}

func TestVoiceEngines(t *testing.T) {
	out, errs, code := run(t, "voice", "engines")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, info := range narration.Engines() {
		want := info.Name + " "
		if info.Installed() {
			want += "installed (" + info.Path + ")"
		} else {
			want += "missing: " + info.Install
		}
		if !strings.Contains(strings.Join(strings.Fields(out), " "), want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if !strings.Contains(out, "command    any program") {
		t.Errorf("output does not mention the command engine:\n%s", out)
	}
}

func TestVoiceRenderFliteTwice(t *testing.T) {
	testtool.Require(t, "flite")
	dir := t.TempDir()
	routine := smallRoutine(t, dir)
	voice := filepath.Join(dir, "voice")
	out, errs, code := run(t, "voice", "render", routine, "--engine", "flite", "--voice", voice, "--all-levels")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if !strings.Contains(out, "rendering ") || !strings.Contains(out, "rendered ") {
		t.Errorf("first run output:\n%s", out)
	}
	// The plain progress lines (stderr is no terminal here) name each clip.
	if strings.Count(errs, "] ") == 0 || !strings.Contains(errs, "hello-there-") {
		t.Errorf("no progress lines on stderr:\n%s", errs)
	}
	out, errs, code = run(t, "voice", "check", routine, "--voice", voice, "--all-levels")
	if code != 0 || !strings.Contains(out, "every line has a clip") {
		t.Errorf("check after render: exit %d\n%s%s", code, out, errs)
	}
	out, errs, code = run(t, "voice", "render", routine, "--voice", voice, "--all-levels")
	if code != 0 {
		t.Fatalf("second run: exit %d: %s", code, errs)
	}
	if !strings.Contains(out, "nothing to render") || strings.Contains(out, "rendering ") {
		t.Errorf("second run rendered again:\n%s", out)
	}
	// Rewording a line renders that line only; --prune drops the old clip.
	src, _ := os.ReadFile(routine)
	os.WriteFile(routine, []byte(strings.Replace(string(src), "Hello there.", "Hello again.", 1)), 0o644)
	out, errs, code = run(t, "voice", "render", routine, "--voice", voice, "--all-levels", "--prune")
	if code != 0 {
		t.Fatalf("render after rewording: exit %d: %s", code, errs)
	}
	if !strings.Contains(out, "pruned 1 clips") || !strings.Contains(out, "rendering 1 missing clips") {
		t.Errorf("render after rewording:\n%s", out)
	}
	if matches, _ := filepath.Glob(filepath.Join(voice, "hello-there-*")); len(matches) != 0 {
		t.Errorf("--prune left %v", matches)
	}
	// The voice keeps its engine.
	_, errs, code = run(t, "voice", "render", routine, "--voice", voice, "--engine", "espeak-ng")
	if code != 2 || !strings.Contains(errs, "made with flite") {
		t.Errorf("render with another engine into the voice: exit %d: %s", code, errs)
	}
}

func TestVoiceCheckMissing(t *testing.T) {
	dir := t.TempDir()
	routine := smallRoutine(t, dir)
	voice := filepath.Join(dir, "voice")
	if _, err := narration.Create(voice, narration.Manifest{Language: "en", Engine: narration.EngineSpec{Name: "flite"}}); err != nil {
		t.Fatal(err)
	}
	out, errs, code := run(t, "voice", "check", routine, "--voice", voice)
	if code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
	for _, want := range []string{"lines have no clip:", "  Hello there.", "  Roll your head slowly.", "  two"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if !strings.Contains(errs, "voice render "+routine+" --voice "+voice) {
		t.Errorf("error does not say how to fix it: %s", errs)
	}
}

// TestVoiceCheckEmbedded is the promise: the built-in routine needs
// no speech engine.
func TestVoiceCheckEmbedded(t *testing.T) {
	out, errs, code := run(t, "voice", "check", "lower-back", "--all-levels")
	if code != 0 || !strings.Contains(out, "every line has a clip") {
		t.Errorf("exit %d:\n%s%s", code, out, errs)
	}
}

func TestVoiceScript(t *testing.T) {
	dir := t.TempDir()
	csvPath, mdPath := filepath.Join(dir, "lines.csv"), filepath.Join(dir, "lines.md")
	_, errs, code := run(t, "voice", "script", "lower-back", "--csv", csvPath, "--markdown", mdPath)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	f, err := os.Open(csvPath)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	need := map[string]bool{}
	for _, s := range routinetest.Scripts(t, "lower-back") {
		for _, line := range s.Lines() {
			need[narration.RecordingFile(line)] = true
		}
	}
	have := map[string]bool{}
	for _, row := range rows[1:] {
		have[row[1]] = true
	}
	for f := range need {
		if !have[f] {
			t.Errorf("the sheet lacks %s", f)
		}
	}
	md, err := os.ReadFile(mdPath)
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(md), ". [ ] "); n != len(need) {
		t.Errorf("the Markdown sheet has %d lines to tick, want %d", n, len(need))
	}
	if !strings.Contains(errs, "wrote "+strconv.Itoa(len(need))+" lines to "+csvPath) {
		t.Errorf("stderr: %s", errs)
	}
}

func TestVoiceImport(t *testing.T) {
	dir := t.TempDir()
	routine := smallRoutine(t, dir)
	rec := filepath.Join(dir, "recordings")
	os.Mkdir(rec, 0o755)
	// A one-second 440 Hz "recording" of the first line.
	writeTone(t, filepath.Join(rec, narration.RecordingFile("Hello there.")))
	os.WriteFile(filepath.Join(rec, "readme.txt"), []byte("x"), 0o644)
	voice := filepath.Join(dir, "mine")
	out, errs, code := run(t, "voice", "import", rec, "--voice", voice, "--routine", routine)
	// A file that matches no line is bad input: listed, and exit 2, though
	// the others are imported.
	if code != 2 || !strings.Contains(errs, "1 files in "+rec+" match no line of "+routine) {
		t.Fatalf("exit %d, stderr %s; want 2 naming the unmatched file", code, errs)
	}
	for _, want := range []string{"imported 1 recordings", "1 files match no line", "  readme.txt", "lines still have no recording:", narration.RecordingFile("Roll your head slowly.")} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	v, err := narration.Open(voice)
	if err != nil {
		t.Fatal(err)
	}
	if v.Manifest.Engine.Name != narration.Recorded || v.Missing([]string{"Hello there."}) != nil {
		t.Errorf("voice %+v lacks the imported line", v.Manifest)
	}
	_, errs, code = run(t, "voice", "import", rec)
	if code != 2 {
		t.Errorf("import without --voice: exit %d (%s), want 2", code, errs)
	}

	// Without --routine the recordings are checked against the built-in
	// routines, which they do not match: exit 2, nothing imported, and no
	// voice folder made.
	os.Remove(filepath.Join(rec, "readme.txt"))
	other := filepath.Join(dir, "other")
	out, errs, code = run(t, "voice", "import", rec, "--voice", other)
	if code != 2 || !strings.Contains(errs, "none of the 1 files in "+rec+" matches a line of lower-back") || !strings.Contains(out, narration.RecordingFile("Hello there.")) {
		t.Errorf("import against the wrong routine: exit %d\n%s%s", code, out, errs)
	}
	if _, err := os.Stat(other); err == nil {
		t.Errorf("an import of nothing made the voice folder %s", other)
	}
	empty := filepath.Join(dir, "empty")
	os.Mkdir(empty, 0o755)
	if out, errs, code = run(t, "voice", "import", empty, "--voice", other, "--routine", routine); code != 2 || !strings.Contains(errs, "holds no recordings") || out != "" {
		t.Errorf("import of an empty folder: exit %d, %s\nstdout: %q", code, errs, out)
	}
}

func writeTone(t *testing.T, path string) {
	t.Helper()
	s := make([][2]float64, 16000)
	for i := range s {
		x := 0.3 * math.Sin(2*math.Pi*440*float64(i)/16000)
		s[i] = [2]float64{x, x}
	}
	testtool.WriteWAV(t, path, 16000, 1, s)
}

func TestVoiceBadInput(t *testing.T) {
	dir := t.TempDir()
	routine := smallRoutine(t, dir)
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"unknown engine", []string{"voice", "render", routine, "--engine", "sapi", "--voice", filepath.Join(dir, "a")}, `unknown engine "sapi"`},
		{"bad flite voice", []string{"voice", "render", routine, "--engine", "flite", "--engine-voice", "bob", "--voice", filepath.Join(dir, "b")}, `flite voice "bob"`},
		{"engine voice alone", []string{"voice", "render", routine, "--engine-voice", "slt"}, "--engine-voice needs --engine"},
		{"bad level", []string{"voice", "check", routine, "--level", "hard"}, `unknown level "hard"`},
		{"no routine", []string{"voice", "check"}, "voice check: give at least one ROUTINE"},
		{"unknown routine", []string{"voice", "script", "upper-back"}, "neither a built-in routine"},
		{"not a voice", []string{"voice", "check", routine, "--voice", dir}, "is not a voice"},
		{"bad format", []string{"voice", "render", routine, "--engine", "flite", "--format", "ogg", "--voice", filepath.Join(dir, "c")}, `format "ogg"`},
		{"bad jobs", []string{"voice", "render", routine, "--jobs", "0"}, "--jobs 0"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, errs, code := run(t, tc.args...)
			if code != 2 || !strings.Contains(errs, tc.want) {
				t.Errorf("exit %d, stderr %q; want 2 and %q", code, errs, tc.want)
			}
		})
	}
}

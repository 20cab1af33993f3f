package cli

import (
	"encoding/csv"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"routinecast/internal/testtool"
)

// Every suggestion a command prints, when followed, fixes what it reported.
// These tests take the commands out of the messages ('routinecast ...'), run
// them, and run the failing command again.

var suggestion = regexp.MustCompile(`'(routinecast [^']+)'`)

// suggested returns the commands a message suggests, in order.
func suggested(t *testing.T, msg string) []string {
	t.Helper()
	var out []string
	for _, m := range suggestion.FindAllStringSubmatch(msg, -1) {
		out = append(out, m[1])
	}
	if len(out) == 0 {
		t.Fatalf("no suggested command in:\n%s", msg)
	}
	return out
}

// follow runs a suggested command line; it must exit 0.
func follow(t *testing.T, line string) string {
	t.Helper()
	out, errs := runShellLine(t, line)
	return out + errs
}

// levelRoutine writes a routine with a line that differs by level, so that
// one level's clips leave the others' missing.
func levelRoutine(t *testing.T, dir string) string {
	t.Helper()
	p := filepath.Join(dir, "neck.yaml")
	src := "title: Neck\nintro:\n  - Hello there.\nexercises:\n  - name: Neck roll\n    reps: 1-3\n    steps:\n      - Roll your head {reps} times.\n"
	return testtool.WriteFile(t, p, src)
}

func emptyCache(t *testing.T) string {
	tmp := t.TempDir()
	t.Setenv("HOME", tmp)
	t.Setenv("XDG_CACHE_HOME", filepath.Join(tmp, "cache"))
	t.Chdir(tmp)
	return tmp
}

// engineForTests makes the advice name flite when it is installed: it
// renders a line in a fraction of festival's second, and the advice is the
// same whatever the engine.
func engineForTests(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("flite"); err == nil {
		installedEngine = func() string { return "flite" }
		t.Cleanup(func() { installedEngine = firstInstalledEngine })
	}
	if installedEngine() == "" {
		testtool.Require(t, "flite")
	}
}

func TestSuggestionVoiceCheckRenderedVoice(t *testing.T) {
	engineForTests(t)
	dir := emptyCache(t)
	r := levelRoutine(t, dir)
	follow(t, "routinecast voice render "+r+" --engine "+installedEngine()+" --voice mine --level gentle")
	_, errs, code := run(t, "voice", "check", r, "--voice", "mine")
	if code != 1 {
		t.Fatalf("check of a voice rendered at one level: exit %d\n%s", code, errs)
	}
	cmds := suggested(t, errs)
	if len(cmds) != 1 {
		t.Fatalf("want one command, got %q", cmds)
	}
	follow(t, cmds[0])
	if _, errs, code := run(t, "voice", "check", r, "--voice", "mine"); code != 0 {
		t.Errorf("after %q: exit %d\n%s", cmds[0], code, errs)
	}
}

func TestSuggestionVoiceCheckEmbeddedVoice(t *testing.T) {
	engineForTests(t)
	dir := emptyCache(t)
	r := levelRoutine(t, dir)
	_, errs, code := run(t, "voice", "check", r)
	if code != 1 {
		t.Fatalf("exit %d\n%s", code, errs)
	}
	cmds := suggested(t, errs)
	follow(t, cmds[0])
	m := regexp.MustCompile(`then use --voice (\S+)`).FindStringSubmatch(errs)
	if m == nil {
		t.Fatalf("the message names no voice to use:\n%s", errs)
	}
	if _, errs, code := run(t, "voice", "check", r, "--voice", m[1]); code != 0 {
		t.Errorf("after %q, check with --voice %s: exit %d\n%s", cmds[0], m[1], code, errs)
	}
}

func TestSuggestionExportMissingClips(t *testing.T) {
	engineForTests(t)
	dir := emptyCache(t)
	r := levelRoutine(t, dir)
	// No voice named: the built-in engine speaks a routine the embedded
	// voice cannot, with nothing to install.
	args := []string{"export", r, "--level", "full", "-o", "out.wav"}
	_, errs, code := run(t, args...)
	if code != 0 || !strings.Contains(errs, `the voice "builtin-rms"`) {
		t.Fatalf("export with no voice named: exit %d, want 0 and the built-in engine's voice\n%s", code, errs)
	}

	// A voice rendered at another level: its own engine renders the lines
	// the level adds, as part of the export.
	follow(t, "routinecast voice render "+r+" --engine "+installedEngine()+" --voice mine --level gentle")
	args = []string{"export", r, "--voice", "mine", "--level", "full", "-o", "out.wav"}
	_, errs, code = run(t, args...)
	if code != 0 || !strings.Contains(errs, "clips in") || !strings.Contains(errs, "into mine") {
		t.Fatalf("export with a voice lacking the level: exit %d, want 0 with the missing clips rendered into mine\n%s", code, errs)
	}
	if _, errs, code := run(t, "voice", "check", r, "--voice", "mine", "--level", "full"); code != 0 {
		t.Errorf("after the export, the voice still lacks clips: exit %d\n%s", code, errs)
	}
}

// The recorded voice's advice: the recording sheet, then the import command
// it gives, fill the voice.
func TestSuggestionRecordedVoice(t *testing.T) {
	dir := emptyCache(t)
	r := levelRoutine(t, dir)
	rec := filepath.Join(dir, "rec")
	os.Mkdir(rec, 0o755)
	// One recording of the intro makes a recorded voice that lacks the rest.
	runShellLine(t, "routinecast voice script "+r+" --csv sheet.csv --markdown sheet.md")
	f, err := os.Open("sheet.csv")
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(f).ReadAll()
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	writeTone(t, filepath.Join(rec, rows[1][1]))
	follow(t, "routinecast voice import "+rec+" --voice mine --routine "+r)
	_, errs, code := run(t, "voice", "check", r, "--voice", "mine")
	if code != 1 {
		t.Fatalf("exit %d\n%s", code, errs)
	}
	cmds := suggested(t, errs)
	if len(cmds) != 2 || !strings.HasPrefix(cmds[0], "routinecast voice script") {
		t.Fatalf("want the sheet and the import command, got %q", cmds)
	}
	follow(t, cmds[0]+" --csv sheet.csv --markdown sheet.md")
	f, _ = os.Open("sheet.csv")
	rows, _ = csv.NewReader(f).ReadAll()
	f.Close()
	for _, row := range rows[1:] {
		writeTone(t, filepath.Join(rec, row[1]))
	}
	// The sheet prints the same import command, naming the routine.
	md, _ := os.ReadFile("sheet.md")
	if !strings.Contains(string(md), "--routine "+r) || !strings.Contains(string(md), "Routine: `"+r+"`") {
		t.Errorf("the sheet does not name its routine:\n%s", md)
	}
	follow(t, strings.Replace(cmds[1], "FOLDER", rec, 1))
	if _, errs, code := run(t, "voice", "check", r, "--voice", "mine"); code != 0 {
		t.Errorf("after the import: exit %d\n%s", code, errs)
	}
}

func TestSuggestionsOfUsageErrors(t *testing.T) {
	root, _ := filepath.Abs("..")
	tmp := emptyCache(t)
	flow := filepath.Join(tmp, "flow.yaml")
	src := "title: T\nexercises:\n  - name: E\n    setup: [Sit or stand tall, arms relaxed.]\n    steps:\n      - Go.\n"
	os.WriteFile(flow, []byte(src), 0o644)
	packFile := filepath.Join(root, "examples", "back-care.yaml")

	// A mistyped command or flag: the command with the name it suggests runs.
	for _, c := range []struct{ args, wrong string }{
		{"lsit", "lsit"},
		{"show lower-back --levl gentle", "--levl"},
		{"voice enignes", "enignes"},
	} {
		_, errs, code := run(t, strings.Fields(c.args)...)
		m := regexp.MustCompile(`did you mean (?:voice )?(\S+)\?`).FindStringSubmatch(errs)
		if code != 2 || m == nil {
			t.Errorf("%s: exit %d, %s", c.args, code, errs)
			continue
		}
		follow(t, "routinecast "+strings.Replace(c.args, c.wrong, m[1], 1))
	}

	// validate on a pack file points to pack validate, which passes.
	_, errs, code := run(t, "validate", packFile)
	if code != 2 {
		t.Fatalf("validate on a pack: exit %d", code)
	}
	follow(t, suggested(t, errs)[0])
	out, _, _ := run(t, "list", "--dir", filepath.Dir(packFile))
	for _, l := range strings.Split(out, "\n") {
		if strings.Contains(l, "back-care.yaml") {
			follow(t, suggested(t, l)[0])
		}
	}

	// A flow list split: the quoted line the message gives validates.
	_, errs, code = run(t, "validate", flow)
	m := regexp.MustCompile(`quote the line \(("[^"]+")\)`).FindStringSubmatch(errs)
	if code != 2 || m == nil {
		t.Fatalf("validate of a split flow list: exit %d\n%s", code, errs)
	}
	fixed := strings.Replace(src, "[Sit or stand tall, arms relaxed.]", "["+m[1]+"]", 1)
	os.WriteFile(flow, []byte(fixed), 0o644)
	follow(t, "routinecast validate "+flow)
}

// voice render without --voice or --level renders every level into the
// cache that export --engine reads; voice list shows it; names and levels
// work in any case.
func TestVoiceCacheRoundTrip(t *testing.T) {
	testtool.Require(t, "flite")
	dir := emptyCache(t)
	r := levelRoutine(t, dir)
	out, _, code := run(t, "voice", "list")
	if code != 0 || !strings.Contains(out, "no cached voices in "+filepath.Join(dir, "cache", "routinecast", "voices")) {
		t.Fatalf("voice list on an empty cache: exit %d\n%s", code, out)
	}
	out, errs, code := run(t, "voice", "render", r, "--engine", "flite")
	if code != 0 || !strings.Contains(out, "(gentle, standard, full)") {
		t.Fatalf("voice render: exit %d\n%s%s", code, out, errs)
	}
	out, _, _ = run(t, "voice", "list")
	if !regexp.MustCompile(`(?m)^flite-slt +flite slt +en +\d+ +[\d.]+ KiB`).MatchString(out) {
		t.Errorf("voice list:\n%s", out)
	}
	for _, level := range []string{"Gentle", "STANDARD", "full"} {
		_, errs, code := run(t, "export", r, "--engine", "flite", "--level", level, "-o", "x.wav")
		if code != 0 || strings.Contains(errs, "missing clips") {
			t.Errorf("export --level %s after voice render: exit %d, rendered again:\n%s", level, code, errs)
		}
		if _, errs, code := run(t, "show", r, "--voice", "flite-slt", "--level", level); code != 0 || strings.Contains(errs, "estimated") {
			t.Errorf("show --voice flite-slt --level %s: exit %d\n%s", level, code, errs)
		}
	}
	// show --engine renders what a changed routine lacks, and times the
	// script with the clips instead of estimating.
	src, _ := os.ReadFile(r)
	os.WriteFile(r, append(src, "outro:\n  - A new line at the end.\n"...), 0o644)
	if _, errs, code := run(t, "show", r, "--engine", "flite"); code != 0 || !strings.Contains(errs, "rendering 1 missing clips") || strings.Contains(errs, "estimated") {
		t.Errorf("show --engine flite on a changed routine: exit %d\n%s", code, errs)
	}
	// A failed render (an engine voice that does not exist) leaves no folder
	// that would stop another engine.
	if _, _, code := run(t, "voice", "render", r, "--engine", "festival", "--engine-voice", "no_such_voice", "--voice", "v"); code == 0 {
		t.Fatal("render with a missing festival voice succeeded")
	}
	if _, err := os.Stat("v"); err == nil {
		t.Fatal("the failed render left its folder")
	}
	if _, errs, code := run(t, "voice", "render", r, "--engine", "flite", "--voice", "v"); code != 0 {
		t.Errorf("flite into the folder of a failed render: exit %d\n%s", code, errs)
	}
}

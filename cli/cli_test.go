package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"routinecast/internal/testtool"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// run runs a command line in-process and returns its output and exit code.
func run(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errb bytes.Buffer
	err := Run(context.Background(), append([]string{"routinecast"}, args...), strings.NewReader(""), &out, &errb)
	if err != nil && err.Error() != "" {
		errb.WriteString(err.Error() + "\n")
	}
	return out.String(), errb.String(), ExitCode(err)
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	testtool.Golden(t, filepath.Join("testdata", name), []byte(got), *update)
}

func TestShowGolden(t *testing.T) {
	for _, level := range []string{"gentle", "standard", "full"} {
		t.Run(level, func(t *testing.T) {
			out, errs, code := run(t, "show", "lower-back", "--level", level)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errs)
			}
			golden(t, "show-lower-back-"+level+".txt", out)
		})
	}
}

// The article's nine exercises, in its order.
var articleOrder = []string{
	"Lying trunk rotation", "Supported cat-cow", "Side bend", "Child's pose",
	"Seated lumbar extension", "Seated hamstring stretch", "Bridge", "Seated marching", "All-fours stretching",
}

func TestShowJSON(t *testing.T) {
	totals := map[string]float64{}
	for _, level := range []string{"gentle", "standard", "full"} {
		out, errs, code := run(t, "show", "lower-back", "--level", level, "--json")
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errs)
		}
		var v struct {
			Title        string  `json:"title"`
			Level        string  `json:"level"`
			TotalSeconds float64 `json:"total_seconds"`
			Chapters     []struct {
				Title        string  `json:"title"`
				StartSeconds float64 `json:"start_seconds"`
			} `json:"chapters"`
			Cues []struct {
				AtSeconds float64 `json:"at_seconds"`
				Kind      string  `json:"kind"`
				Text      string  `json:"text"`
				Seconds   float64 `json:"seconds"`
			} `json:"cues"`
		}
		if err := json.Unmarshal([]byte(out), &v); err != nil {
			t.Fatal(err)
		}
		if v.Level != level || v.Title != "Lower back stretches" {
			t.Errorf("title %q level %q", v.Title, v.Level)
		}
		var titles []string
		for _, c := range v.Chapters {
			titles = append(titles, c.Title)
		}
		want := append(append([]string{"Introduction", "Deep breathing"}, articleOrder...), "Closing")
		if strings.Join(titles, "|") != strings.Join(want, "|") {
			t.Errorf("chapters %q, want %q", titles, want)
		}
		var end float64
		starts := map[float64]bool{}
		for _, c := range v.Cues {
			end = max(end, c.AtSeconds+c.Seconds)
			if c.Kind == "hold_start" {
				starts[c.AtSeconds] = true
			}
		}
		for _, c := range v.Cues {
			if c.Kind == "hold" && !starts[c.AtSeconds] {
				t.Errorf("%s: no hold_start cue at the hold at %.3f s", level, c.AtSeconds)
			}
		}
		if end > v.TotalSeconds || end < v.TotalSeconds-2 {
			t.Errorf("total %v does not close the last cue (ends at %v)", v.TotalSeconds, end)
		}
		totals[level] = v.TotalSeconds
	}
	if !(totals["gentle"] < totals["standard"] && totals["standard"] < totals["full"]) {
		t.Errorf("levels should lengthen the routine: %v", totals)
	}
}

func TestValidate(t *testing.T) {
	dir := t.TempDir()
	tmpl, _, code := run(t, "new")
	if code != 0 {
		t.Fatal("new failed")
	}
	good := filepath.Join(dir, "good.yaml")
	bad := filepath.Join(dir, "bad.yaml")
	os.WriteFile(good, []byte(tmpl), 0o644)
	os.WriteFile(bad, []byte("title: T\ncolour: red\nexercises:\n  - name: E\n    reps: 0\n    steps:\n      - hold: 0s\n"), 0o644)

	out, errs, code := run(t, "validate", good)
	if code != 0 || out != "" || errs != "" {
		t.Errorf("valid template: exit %d, stdout %q, stderr %q; want silence and 0", code, out, errs)
	}
	_, errs, code = run(t, "validate", good, bad)
	if code != 2 {
		t.Errorf("exit %d, want 2", code)
	}
	lines := strings.Split(strings.TrimSpace(errs), "\n")
	want := []string{bad + ":2:1: ", bad + ":5:11: ", bad + ":7:15: "}
	if len(lines) != len(want) {
		t.Fatalf("stderr:\n%s\nwant %d lines", errs, len(want))
	}
	for i := range want {
		if !strings.HasPrefix(lines[i], want[i]) {
			t.Errorf("line %d: %q, want prefix %q", i, lines[i], want[i])
		}
	}
}

// TestValidateWarns: a routine that says something that does nothing is
// valid (exit 0), with a warning at its line on stderr.
func TestValidateWarns(t *testing.T) {
	f := filepath.Join(t.TempDir(), "knee.yaml")
	os.WriteFile(f, []byte("title: Knee\nexercises:\n  - name: Quad sets\n    steps:\n      - say: Tighten.\n        later: Again.\n      - hold: 5s\n"), 0o644)
	out, errs, code := run(t, "validate", f)
	want := "warning: " + f + ":6:16: exercise \"Quad sets\": steps: later is never said"
	if code != 0 || out != "" || !strings.HasPrefix(errs, want) || strings.Count(errs, "\n") != 1 {
		t.Errorf("exit %d, stdout %q, stderr %q; want 0 and one line starting %q", code, out, errs, want)
	}
}

func TestBadInputExitsTwo(t *testing.T) {
	cases := []struct {
		name string
		args []string
		msg  string
	}{
		{"unknown routine", []string{"show", "no-such-routine"}, `"no-such-routine" is neither a built-in routine`},
		{"unknown level", []string{"show", "lower-back", "--level", "hard"}, `unknown level "hard"`},
		{"missing file", []string{"show", "./missing.yaml"}, "missing.yaml"},
		{"no arguments", []string{"show"}, "expected one ROUTINE"},
		{"unknown flag", []string{"show", "--bogus", "lower-back"}, "show: unknown flag --bogus (see 'routinecast show --help')"},
		{"mistyped flag", []string{"export", "lower-back", "--levl", "gentle", "-o", "x.wav"}, "export: unknown flag --levl: did you mean --level?"},
		{"mistyped command", []string{"exprot", "lower-back"}, `unknown command "exprot": did you mean export?`},
		{"mistyped subcommand", []string{"voice", "rendr", "lower-back"}, `unknown command "voice rendr": did you mean voice render?`},
		{"unknown command", []string{"xyzzy"}, `unknown command "xyzzy" (commands: `},
		{"mistyped help topic", []string{"help", "exprot"}, `unknown command "exprot": did you mean export?`},
		{"mistyped help subtopic", []string{"voice", "help", "rendr"}, `unknown command "voice rendr": did you mean voice render?`},
		{"arguments to a command without", []string{"list", "extra"}, "list: takes no arguments, got 1"},
		{"two routines to a one-routine command", []string{"voice", "script", "lower-back", "neck"}, "voice script: expected one ROUTINE, got 2 arguments"},
		{"engine without rendering", []string{"show", "lower-back", "--engine", "flite", "--no-render"}, "show: --engine and --no-render exclude each other: give one"},
		{"mono and stereo", []string{"export", "lower-back", "--mono", "--stereo", "-o", "x.wav"}, "export: --mono and --stereo exclude each other: give one"},
		{"bad cover", []string{"export", "lower-back", "-o", "x.mp3", "--cover", "cli_test.go"}, "--cover cli_test.go is not a PNG or JPEG image"},
		{"cover on a wav", []string{"export", "lower-back", "-o", "x.wav", "--cover", "cli_test.go"}, "--cover is for MP3 files"},
		{"missing cover", []string{"export", "lower-back", "-o", "x.mp3", "--cover", "no-such.png"}, "no-such.png"},
		{"output folder missing", []string{"export", "lower-back", "-o", "no/such/dir/x.mp3"}, "the folder no/such/dir does not exist"},
		{"transcript folder missing", []string{"export", "lower-back", "-o", "x.mp3", "--transcript", "no/such/x.vtt"}, "--transcript no/such/x.vtt"},
		{"bad music", []string{"export", "lower-back", "-o", "x.mp3", "--music", "cli_test.go"}, "music"},
		{"unknown voice name", []string{"export", "lower-back", "-o", "x.mp3", "--voice", "no-such-voice"}, `voice "no-such-voice" is neither a folder nor a cached voice`},
		{"validate a pack", []string{"validate", "../examples/back-care.yaml"}, "a pack file, not a routine: check it with 'routinecast pack validate ../examples/back-care.yaml'"},
		{"validate nothing", []string{"validate"}, "validate: give at least one FILE"},
		{"countdown too long", []string{"export", "lower-back", "--countdown", "11", "-o", "x.wav"}, "--countdown 11"},
		{"unknown cue sounds", []string{"export", "lower-back", "--cue-sounds", "bells", "-o", "x.wav"}, `--cue-sounds "bells": use classic, soft or wood`},
		{"unknown hold start", []string{"export", "lower-back", "--hold-start", "bell", "-o", "x.wav"}, `--hold-start "bell": use tone, spoken or none`},
		{"unknown breath words", []string{"export", "lower-back", "--breath-words", "sometimes", "-o", "x.wav"}, `--breath-words "sometimes"`},
		{"unknown format", []string{"export", "lower-back", "-o", "x.ogg"}, `unknown format ".ogg"`},
		{"export without output", []string{"export", "lower-back"}, "give the output file with -o"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out, errs, code := run(t, c.args...)
			if code != 2 {
				t.Errorf("exit %d, want 2", code)
			}
			if !strings.Contains(errs, c.msg) {
				t.Errorf("stderr %q does not say %q", errs, c.msg)
			}
			// One line of error, no help, nothing written.
			if n := strings.Count(strings.TrimSpace(errs), "\n"); n > 0 && !strings.Contains(c.name, "pack") {
				t.Errorf("stderr has %d lines, want one:\n%s", n+1, errs)
			}
			if out != "" {
				t.Errorf("stdout: %q", out)
			}
			for _, f := range []string{"x.wav", "x.mp3"} {
				if _, err := os.Stat(f); err == nil {
					os.Remove(f)
					t.Errorf("%s was written", f)
				}
			}
		})
	}
}

func TestList(t *testing.T) {
	dir := t.TempDir()
	tmpl, _, _ := run(t, "new")
	os.WriteFile(filepath.Join(dir, "mine.yaml"), []byte(tmpl), 0o644)
	os.WriteFile(filepath.Join(dir, "broken.yaml"), []byte("title: [\n"), 0o644)
	out, _, code := run(t, "list", "--dir", dir)
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	for _, want := range []string{"lower-back", "Lower back stretches", "Morning neck and shoulders", "broken.yaml", "invalid"} {
		if !strings.Contains(out, want) {
			t.Errorf("list output lacks %q:\n%s", want, out)
		}
	}
}

// TestSlipMessages: each slip a new user made on the command line is one
// line, exit 2, naming the flag or file and what to write instead.
func TestSlipMessages(t *testing.T) {
	dir := t.TempDir()
	tmpl, _, _ := run(t, "new")
	os.WriteFile(filepath.Join(dir, "knee.yaml"), []byte(tmpl), 0o644)
	os.Mkdir(filepath.Join(dir, "out"), 0o755)
	mp3 := append([]byte("ID3\x04\x00\x00\x00\x00\x00\x00"), make([]byte, 100)...)
	os.WriteFile(filepath.Join(dir, "small.mp3"), mp3, 0o644)
	os.WriteFile(filepath.Join(dir, "big.mp3"), append(mp3, make([]byte, 2<<20)...), 0o644)
	t.Chdir(dir)
	cases := []struct {
		name string
		args []string
		msg  string
	}{
		{"minutes in words", []string{"show", "lower-back", "--minutes", "ten"}, "show: --minutes ten: give a number (N minutes), such as --minutes 10"},
		{"minutes zero", []string{"show", "lower-back", "--minutes", "0"}, "show: --minutes 0: give the session's length in minutes, above 0, such as --minutes 10"},
		{"minutes negative", []string{"handout", "lower-back", "--minutes=-5", "-o", "x.pdf"}, "handout: --minutes -5: give the session's length in minutes, above 0"},
		{"bit rate below 1", []string{"export", "lower-back", "-o", "x.mp3", "--bitrate", "-64"}, "export: --bitrate -64: give an MP3 bit rate in kbit/s, such as --bitrate 64"},
		{"no jobs at once", []string{"pack", "build", "p.yaml", "-o", "out", "--jobs", "0"}, "pack build: --jobs 0: give how many to do at once, 1 or more"},
		{"whole number flag", []string{"export", "lower-back", "--sample-rate", "abc", "-o", "x.mp3"}, "export: --sample-rate abc: give a whole number (HZ), such as --sample-rate 44100"},
		{"mistyped file", []string{"export", "kne.yaml", "-o", "x.mp3"}, "kne.yaml: no such file; did you mean knee.yaml?"},
		{"file without its extension", []string{"show", "knee"}, `"knee" is neither a built-in routine (lower-back, lower-back-es) nor a file: did you mean knee.yaml?`},
		{"mistyped built-in", []string{"show", "lowerback"}, "did you mean lower-back?"},
		{"folder as the output", []string{"export", "lower-back", "-o", "."}, "export: -o . is a folder, and -o takes the file to write: give a name in it, such as -o lower-back.mp3"},
		{"folder as the handout", []string{"handout", "knee.yaml", "-o", "out"}, "handout: -o out is a folder, and -o takes the file to write: give a name in it, such as -o out/knee.pdf"},
		{"output as an argument", []string{"export", "knee.yaml", "x.mp3"}, "export: expected one ROUTINE, got 2 arguments: to write x.mp3, give -o x.mp3"},
		{"small MP3 as the routine", []string{"show", "small.mp3"}, "small.mp3:1:5: not a routine file: a NUL byte here; a routine file is UTF-8 text, and this looks like binary data"},
		{"big MP3 as the routine", []string{"show", "big.mp3"}, "big.mp3:1:5: not a routine file: a NUL byte here; a routine file is UTF-8 text, and this looks like binary data"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out, errs, code := run(t, c.args...)
			if code != 2 || out != "" || !strings.Contains(errs, c.msg) || strings.Count(errs, "\n") != 1 {
				t.Errorf("exit %d, stdout %q, stderr %q; want 2 and one line saying %q", code, out, errs, c.msg)
			}
		})
	}
	for _, f := range []string{"x.mp3", "x.pdf"} {
		if _, err := os.Stat(f); err == nil {
			t.Errorf("%s was written", f)
		}
	}
}

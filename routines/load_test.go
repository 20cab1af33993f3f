package routines

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"routinecast/internal/testtool"
)

// valid is a minimal routine that the table cases below break one way each.
const valid = `title: T
exercises:
  - name: E
    steps:
      - Do it.
`

func TestParseErrors(t *testing.T) {
	cases := []struct {
		name string
		src  string
		want []string // every error line, in order, without the file name
	}{
		{"yaml syntax error", "title: [unclosed\nexercises: []\n", []string{"2:1: yaml: ',' or ']' must be specified"}},
		{"empty file", "", []string{"empty file: a routine needs at least a title and exercises"}},
		{"not a mapping", "- a\n- b\n", []string{"1:1: not a routine file: it holds a list, not key: value lines"}},
		{"text, not a routine", "root:x:0:0:root:/root:/bin/bash\nbin:x:2:2:bin:/bin:/usr/sbin/nologin\n", []string{"1:1: not a routine file: it holds text, not key: value lines"}},
		{"mapping of no routine field", "root: x\ndaemon: y\n", []string{"1:1: not a routine file: none of its 2 keys is a routine field"}},
		{"NUL byte", "title: T\x00\n" + valid[9:], []string{"1:9: not a routine file: a NUL byte here; a routine file is UTF-8 text"}},
		{"invalid UTF-8", "title: caf\xe9\n" + valid[9:], []string{"1:11: not a routine file: invalid UTF-8 here"}},
		{"raw ANSI escape", "title: T\x1b[31m\n" + valid[9:], []string{"1:9: ESC (U+001B), which starts terminal escape sequences may not appear in a routine file"}},
		{"raw bell in a step", valid + "      - Ding\x07 done.\n", []string{"6:13: control character U+0007 may not appear in a routine file"}},
		{"raw DEL", "title: T\x7f\n" + valid[9:], []string{"1:9: DEL (U+007F) may not appear"}},
		{"raw C1 next line", "title: T\u0085x\n" + valid[9:], []string{"1:9: C1 control character U+0085 may not appear"}},
		{"raw bidi override", valid + "      - Lift \u202etfel\n", []string{"6:14: bidirectional control U+202E, which reorders how text is shown may not appear"}},
		{"raw carriage return alone", "title: T\rX\n" + valid[9:], []string{"1:9: carriage return (U+000D) may not appear"}},
		{"escaped ESC in a title", "title: \"T\\e[2J\"\n" + valid[9:], []string{"1:8: title: ESC (U+001B), which starts terminal escape sequences at character 2"}},
		{"escaped NUL in a step", valid + "      - \"Do\\0it\"\n", []string{`6:9: exercise "E": steps: NUL (U+0000) at character 3`}},
		{"escaped bidi in a name", "title: T\nexercises:\n  - name: \"E\\u2066\"\n    steps: [Go.]\n", []string{"3:11: exercise \"E\\u2066\": name: bidirectional control U+2066"}},
		{"escaped C1 in the description", "description: \"a\\x9bb\"\n" + valid, []string{"1:14: description: C1 control character U+009B at character 2"}},
		{"escaped DEL in a source url", "source:\n  url: \"http://x\\x7f\"\n" + valid, []string{"2:8: source.url: DEL (U+007F) at character 9"}},
		{"source url not a web address", "source:\n  url: \"javascript:alert(1)\"\n" + valid, []string{`2:8: source.url: "javascript:alert(1)" is not an absolute http or https URL`}},
		{"source url with a space", "source:\n  url: \"https://a.example/x y\"\n" + valid, []string{`2:8: source.url: "https://a.example/x y" holds " " at character 20, which a URL must escape`}},
		{"unspeakable step", valid + "      - \"...\"\n", []string{`6:9: exercise "E": steps: "..." has nothing to say (no letter or digit)`}},
		{"zero-width step", valid + "      - say: \"\\u200b\\u200d\"\n", []string{`6:14: exercise "E": steps: say: "\u200b\u200d" has nothing to say`}},
		{"unspeakable title", "title: \"?!\"\n" + valid[9:], []string{`1:8: title: "?!" has nothing to say`}},
		{"unspeakable intro", "intro: [\"—\"]\n" + valid, []string{`1:9: intro: "—" has nothing to say`}},
		{"unknown key", "title: T\ncolor: red\n" + valid[9:], []string{`2:1: routine: unknown field "color"`}},
		{"unknown key in exercise", valid + "    tempo: fast\n", []string{`6:5: exercise "E": unknown field "tempo"`}},
		{"missing title", valid[9:], []string{`1:1: missing required field "title"`}},
		{"missing exercises", "title: T\n", []string{`1:1: missing required field "exercises"`}},
		{"no exercises", "title: T\nexercises: []\n", []string{"2:12: exercises: a routine needs at least one exercise"}},
		{"missing name", "title: T\nexercises:\n  - steps: [Go.]\n", []string{`3:5: exercise: missing required field "name"`}},
		{"missing steps", "title: T\nexercises:\n  - name: E\n", []string{`3:5: exercise "E": missing required field "steps"`}},
		{"wrong type for title", "title: [a, b]\n" + valid[9:], []string{"1:8: title: expected text, found a list"}},
		{"wrong type for reps", valid + "    reps: [1]\n", []string{`6:11: exercise "E": reps: expected a number or a range like 3-5, found a list`}},
		{"zero reps", valid + "    reps: 0\n", []string{`6:11: exercise "E": reps: 0 is not a positive count`}},
		{"negative reps", valid + "    reps: -3\n", []string{`6:11: exercise "E": reps: "-3" is not a positive count`}},
		{"absurd reps", valid + "    reps: 5-500\n", []string{`6:11: exercise "E": reps: 500 is more than the limit of 100`}},
		{"backwards range", valid + "    reps: 5-3\n", []string{`6:11: exercise "E": reps: range "5-3" runs backwards`}},
		{"absurd sets", valid + "    sets: 50\n", []string{`6:11: exercise "E": sets: 50 is more than the limit of 20`}},
		{"zero hold", valid + "      - hold: 0s\n", []string{`6:15: exercise "E": steps: hold: 0s is not a positive duration`}},
		{"negative rest", valid + "      - rest: -5s\n", []string{`6:15: exercise "E": steps: rest: -5s is not a positive duration`}},
		{"absurd hold", valid + "      - hold: 2h\n", []string{`6:15: exercise "E": steps: hold: 2h is longer than the limit of 10m0s`}},
		{"bad duration", valid + "      - hold: soon\n", []string{`6:15: exercise "E": steps: hold: "soon" is not a duration like 10s or a range like 5-10s`}},
		{"empty text", valid + "      - say: \"\"\n", []string{`6:14: exercise "E": steps: say: empty text`}},
		{"null text", valid + "      - say:\n", []string{`6:14: exercise "E": steps: say: empty text`}},
		{"text too long", valid + "      - " + strings.Repeat("word ", 100) + "words\n", []string{`6:9: exercise "E": steps: text is 505 characters; a line is at most 500 (split it into several lines)`}},
		{"unknown template variable", valid + "      - Hold {sidee}.\n", []string{`6:9: exercise "E": steps: unknown template variable {sidee}`}},
		{"variable without a value", valid + "      - Hold for {hold} seconds.\n", []string{`6:9: exercise "E": steps: template variable {hold} has no value here (the exercise has no hold step)`}},
		{"unclosed brace", valid + "      - Hold {side.\n", []string{`6:9: exercise "E": steps: unclosed "{"`}},
		{"side without sides", valid + "      - To the {side}.\n", []string{`6:9: exercise "E": steps: template variable {side} has no value here`}},
		{"alternate sides never named", valid + "    sides: alternate\n", []string{`6:12: exercise "E": sides: alternate, but no step says which side`}},
		{"bad sides", valid + "    sides: both\n", []string{`6:12: exercise "E": sides must be alternate, each or none, not "both"`}},
		{"side names without sides", valid + "    side_names: [up, down]\n", []string{`6:17: exercise "E": side_names given but the exercise has no sides`}},
		{"side names the same", valid + "    sides: each\n    side_names: [up, up]\n", []string{`7:17: exercise "E": side_names needs two different names`}},
		{"set rest with one set", valid + "    set_rest: 10s\n", []string{`6:15: exercise "E": set_rest is given but the exercise has only one set`}},
		{"unknown action", valid + "      - jump: 3s\n", []string{`6:9: exercise "E": steps: unknown action "jump"`}},
		{"two actions in a step", valid + "      - hold: 3s\n        rest: 2s\n", []string{`6:9: exercise "E": steps: a step has one action`}},
		{"count not a bool", valid + "      - count: 3\n", []string{`6:16: exercise "E": steps: count takes true`}},
		{"warmup without breaths", "title: T\nwarmup:\n  inhale: 4s\n  exhale: 4s\n" + valid[9:], []string{"3:3: warmup.breaths: missing required field"}},
		{"unknown language", "language: xx\n" + valid, []string{`1:11: no phrasebook for language "xx"`}},
		{"alias", "title: &t T\n" + valid[9:], []string{"1:8: title: anchors and aliases are not supported"}},
		{"duplicate key", valid + "    reps: 100\n    steps:\n      - hold: 10s\n", []string{`7:5: yaml: mapping key "steps" already defined at [4:5]`}},
		{"too long in total", "title: T\nexercises:\n  - name: E\n    reps: 100\n    sets: 20\n    steps:\n      - hold: 10s\n", []string{"3:3: exercises: the routine lasts more than 4h0m0s at level gentle; shorten holds, repetitions or sets"}},
		{"several mistakes at once", "title: T\ncolour: red\nexercises:\n  - name: E\n    reps: 0\n    steps:\n      - hold: 0s\n", []string{
			`2:1: routine: unknown field "colour"`,
			`5:11: exercise "E": reps: 0 is not a positive count`,
			`7:15: exercise "E": steps: hold: 0s is not a positive duration`,
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse("r.yaml", []byte(c.src))
			if err == nil {
				t.Fatalf("no error; want %q", c.want)
			}
			var es Errors
			if !errors.As(err, &es) {
				t.Fatalf("error %T is not Errors: %v", err, err)
			}
			if len(es) != len(c.want) {
				t.Fatalf("got %d errors, want %d:\n%v", len(es), len(c.want), err)
			}
			for i, e := range es {
				line := strings.TrimPrefix(e.Error(), "r.yaml:")
				line = strings.TrimPrefix(line, " ")
				if !strings.HasPrefix(line, c.want[i]) {
					t.Errorf("error %d:\n got %s\nwant %s...", i, line, c.want[i])
				}
			}
		})
	}
}

func TestParseAcceptsCRLFAndBOM(t *testing.T) {
	src := "\ufeff" + strings.ReplaceAll(valid, "\n", "\r\n")
	if _, err := Parse("r.yaml", []byte(src)); err != nil {
		t.Fatal(err)
	}
}

// TestLoadSpecialFiles opens real special files: each is refused at once
// with a message naming the file, and nothing of a non-routine file's content
// comes back.
func TestLoadSpecialFiles(t *testing.T) {
	dir := t.TempDir()
	fifo := testtool.Mkfifo(t, filepath.Join(dir, "pipe.yaml"))
	zero := filepath.Join(dir, "zero.yaml")
	if err := os.Symlink("/dev/zero", zero); err != nil {
		t.Fatal(err)
	}
	big := filepath.Join(dir, "big.yaml")
	if err := os.WriteFile(big, make([]byte, MaxFileBytes+1), 0o644); err != nil {
		t.Fatal(err)
	}
	// An MP3 given as the routine is binary data, small or large.
	mp3 := append([]byte("ID3\x04\x00\x00\x00\x00\x00\x00"), make([]byte, 100)...)
	smallMP3, bigMP3 := filepath.Join(dir, "small.mp3"), filepath.Join(dir, "big.mp3")
	os.WriteFile(smallMP3, mp3, 0o644)
	os.WriteFile(bigMP3, append(mp3, make([]byte, MaxFileBytes)...), 0o644)
	bigText := filepath.Join(dir, "big-text.yaml")
	os.WriteFile(bigText, []byte(strings.Repeat("intro: words words words\n", MaxFileBytes/20)), 0o644)
	secret := filepath.Join(dir, "shadow")
	os.WriteFile(secret, []byte("root:$y$j9T$secrethash:19000:0:99999:7:::\ndaemon: \"*:19000\"\n"), 0o600)
	for _, c := range []struct{ path, want string }{
		{"/dev/zero", "/dev/zero: is a character device, not a routine file"},
		{zero, zero + ": is a character device, not a routine file"},
		{fifo, fifo + ": is a FIFO (named pipe), not a routine file"},
		{dir, dir + ": is a folder, not a routine file"},
		{big, big + ":1:1: not a routine file: a NUL byte here; a routine file is UTF-8 text, and this looks like binary data"},
		{smallMP3, smallMP3 + ":1:5: not a routine file: a NUL byte here; a routine file is UTF-8 text, and this looks like binary data"},
		{bigMP3, bigMP3 + ":1:5: not a routine file: a NUL byte here; a routine file is UTF-8 text, and this looks like binary data"},
		{bigText, bigText + ": not a routine file: it is over 1024 KB, and a routine file is text of at most 1024 KB"},
		{secret, secret + ":1:1: not a routine file: none of its 2 keys is a routine field"},
	} {
		done := make(chan error, 1)
		go func() { _, err := Load(c.path); done <- err }()
		var err error
		select {
		case err = <-done:
		case <-time.After(10 * time.Second): // a hang, not slowness
			t.Fatalf("Load(%s) did not return", c.path)
		}
		var es Errors
		if !errors.As(err, &es) || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("Load(%s) = %v, want Errors starting %q", c.path, err, c.want)
		}
		if err != nil && (strings.Contains(err.Error(), "secrethash") || strings.Contains(err.Error(), "daemon")) {
			t.Errorf("message quotes the file: %v", err)
		}
	}
}

func TestLoadFileErrors(t *testing.T) {
	dir := t.TempDir()
	if _, err := Load(filepath.Join(dir, "missing.yaml")); err == nil || !strings.Contains(err.Error(), "missing.yaml") {
		t.Errorf("missing file: got %v", err)
	}
	if _, err := Load(dir); err == nil || !strings.Contains(err.Error(), "is a folder") {
		t.Errorf("folder: got %v", err)
	}
	p := filepath.Join(dir, "r.yaml")
	testtool.WriteFile(t, p, "title: T\nexercises: 3\n")
	_, err := Load(p)
	if want := p + ":2:12: exercises: expected a list"; err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Errorf("got %v, want %s...", err, want)
	}
}

func TestLevelsResolveRanges(t *testing.T) {
	src := valid + "    reps: 3-5\n      - hold: 5-10s\n"
	src = strings.Replace(valid, "    steps:\n", "    reps: 3-5\n    steps:\n      - hold: 5-10s\n      - rest: 2-3s\n", 1)
	r, err := Parse("r.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		level      Level
		reps       int
		hold, rest time.Duration
	}{
		{Gentle, 3, 5 * time.Second, 2 * time.Second},
		{Standard, 4, 8 * time.Second, 3 * time.Second},
		{Full, 5, 10 * time.Second, 3 * time.Second},
	}
	for _, c := range cases {
		t.Run(string(c.level), func(t *testing.T) {
			s, err := Expand(r, c.level)
			if err != nil {
				t.Fatal(err)
			}
			var holds, rests int
			for _, cue := range s.Cues {
				switch cue.Kind {
				case Hold:
					holds++
					if cue.Duration != c.hold {
						t.Errorf("hold %v, want %v", cue.Duration, c.hold)
					}
				case Rest:
					rests++
					if cue.Duration != c.rest {
						t.Errorf("rest %v, want %v", cue.Duration, c.rest)
					}
				}
			}
			if holds != c.reps || rests != c.reps {
				t.Errorf("%d holds and %d rests, want %d of each", holds, rests, c.reps)
			}
		})
	}
}

func TestSidesAndSets(t *testing.T) {
	src := `title: T
exercises:
  - name: March
    sides: alternate
    side_names: [right, left]
    reps: 2
    sets: 2
    set_rest: 15s
    steps:
      - say: "{side} knee, {other} arm, rep {rep} of {reps}, set {set}."
        later: "{side}."
      - count: true
  - name: Lunge
    sides: each
    reps: 2
    steps:
      - Step your {side} foot forward.
`
	s := parseExpand(t, src, Standard)
	var got []string
	for _, c := range s.Cues {
		switch c.Kind {
		case Say, Count, Chapter:
			got = append(got, string(c.Kind)+": "+c.Text)
		default:
			got = append(got, string(c.Kind)+": "+c.Duration.String())
		}
	}
	want := []string{
		"chapter: March", "say: Next: March.",
		"say: Set one of two.",
		"say: Right knee, left arm, rep one of two, set one.", "say: Left knee, right arm, rep one of two, set one.", "count: one",
		"say: Right.", "say: Left.", "count: two",
		"say: Rest.", "rest: 15s",
		"say: Set two of two.",
		"say: Right.", "say: Left.", "count: one",
		"say: Right.", "say: Left.", "count: two",
		"say: Well done.",
		"chapter: Lunge", "say: Next: Lunge.",
		"say: Step your left foot forward.", "say: Step your left foot forward.",
		"say: Switch sides.",
		"say: Step your right foot forward.", "say: Step your right foot forward.",
		"say: Well done.",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("script:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// parseExpand parses src, a routine file's text, and expands it at level.
func parseExpand(t *testing.T, src string, level Level) *Script {
	t.Helper()
	r, err := Parse("r.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	s, err := Expand(r, level)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestBreathsMarkFirstOfSeries(t *testing.T) {
	src := "title: T\nwarmup:\n  breaths: 2\n  inhale: 3s\n  exhale: 5s\n" + valid[9:]
	s := parseExpand(t, src, Gentle)
	var firsts []bool
	for _, c := range s.Cues {
		if c.Kind == BreatheIn || c.Kind == BreatheOut {
			firsts = append(firsts, c.First)
		}
	}
	if len(firsts) != 4 || !firsts[0] || firsts[1] || firsts[2] || firsts[3] {
		t.Errorf("first flags %v, want [true false false false]", firsts)
	}
}

func TestNumbersInWords(t *testing.T) {
	pb, err := PhrasebookFor("en")
	if err != nil {
		t.Fatal(err)
	}
	for n, want := range map[int]string{0: "zero", 7: "seven", 13: "thirteen", 20: "twenty", 42: "forty-two", 100: "one hundred", 305: "three hundred and five", 600: "six hundred"} {
		if got := pb.Number(n); got != want {
			t.Errorf("Number(%d) = %q, want %q", n, got, want)
		}
	}
	if got := pb.Seconds(2500 * time.Millisecond); got != "two and a half" {
		t.Errorf("Seconds(2.5s) = %q", got)
	}
}

func FuzzParseRoutine(f *testing.F) {
	testtool.AddSeeds(f, "testdata/*.yaml", "builtin/lower-back.yaml")
	f.Add([]byte(valid))
	f.Fuzz(func(t *testing.T, src []byte) {
		r, err := Parse("fuzz.yaml", src)
		if err != nil {
			var es Errors
			if !errors.As(err, &es) || len(es) == 0 {
				t.Fatalf("error is not a non-empty Errors: %v", err)
			}
			return
		}
		for _, l := range Levels() {
			s, err := Expand(r, l)
			if err != nil {
				t.Fatal(err)
			}
			if s.Total() > MaxTotal {
				t.Fatalf("valid routine lasts %v", s.Total())
			}
		}
	})
}

// TestPraiseSaidOnceAtTheEnd: the last exercise's "Well done." is left out
// when the closing starts with it; other exercises, and a closing that says
// something else, keep it.
func TestPraiseSaidOnceAtTheEnd(t *testing.T) {
	const two = "title: T\nexercises:\n  - name: A\n    steps: [Lift.]\n  - name: B\n    steps: [Lower.]\n"
	for _, c := range []struct {
		outro string
		end   []string // what is said after "Lower."
	}{
		{"outro: [\"well done! See you tomorrow.\"]\n", []string{"well done! See you tomorrow."}},
		{"outro: [Well done.]\n", []string{"Well done."}},
		{"outro: [That is all.]\n", []string{"Well done.", "That is all."}},
		{"outro: [\"Well, don't stop now.\"]\n", []string{"Well done.", "Well, don't stop now."}},
		{"", []string{"Well done."}},
	} {
		s := parseExpand(t, two+c.outro, Standard)
		var said []string
		for _, cue := range s.Cues {
			if cue.Kind == Say {
				said = append(said, cue.Text)
			}
		}
		want := append([]string{"Next: A.", "Lift.", "Well done.", "Next: B.", "Lower."}, c.end...)
		if !slices.Equal(said, want) {
			t.Errorf("with %q said %q; want %q", c.outro, said, want)
		}
	}
}

// TestSideFormsBeforeANoun: in a language whose side names change before a
// noun, {side:FORM} and {other:FORM} say the form the noun needs, on every
// side; a form the language lacks, or forms with an exercise's own side
// names, are errors that say what there is.
func TestSideFormsBeforeANoun(t *testing.T) {
	src := "title: T\nlanguage: de\nexercises:\n  - name: A\n    sides: each\n    steps:\n" +
		"      - Ziehe die {side:e} Ferse heran, nicht den {other:en} Fuß.\n      - \"{side:er} Arm.\"\n"
	var said []string
	for _, c := range parseExpand(t, src, Standard).Cues {
		if c.Kind == Say {
			said = append(said, c.Text)
		}
	}
	want := []string{"Als Nächstes: A.", "Ziehe die linke Ferse heran, nicht den rechten Fuß.", "Linker Arm.",
		"Seite wechseln.", "Ziehe die rechte Ferse heran, nicht den linken Fuß.", "Rechter Arm.", "Gut gemacht."}
	if !slices.Equal(said, want) {
		t.Errorf("said %q\nwant %q", said, want)
	}
	for _, c := range []struct{ src, want string }{
		{strings.Replace(src, "{side:er}", "{side:x}", 1), `{side:x}: no such form of the sides' names; this language's are {side:e}, {side:en}, {side:er}, {side:es}`},
		{strings.Replace(src, "    sides: each\n", "    sides: each\n    side_names: [vorne, hinten]\n", 1), `{side:e}: the sides have no forms here`},
		{strings.Replace(src, "language: de", "language: en", 1), `{side:e}: the sides have no forms here`},
		{strings.Replace(src, "    sides: each\n", "", 1), `template variable {side:e} has no value here (the exercise has no sides`},
	} {
		if _, err := Parse("r.yaml", []byte(c.src)); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("got %v\nwant an error saying %s", err, c.want)
		}
	}
}

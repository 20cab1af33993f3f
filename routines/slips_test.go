package routines

import (
	"context"
	"errors"
	"strings"
	"testing"
)

// knee is the start of the routine a new user wrote from the template; each
// case below adds one slip to it.
const knee = `title: Knee programme
exercises:
  - name: Quad sets
    reps: 3
    steps:
      - Tighten the muscle on top of your thigh.
`

// TestSlipsAreErrors: every slip a new user made that used to validate, or
// that brought a second error with it, is now one error at the line and
// column of the value at fault, saying how to write it.
func TestSlipsAreErrors(t *testing.T) {
	cases := []struct {
		name string
		src  string
		want string // the one error, without the file name
	}{
		{"hold without its colon", knee + "      - hold 5s\n",
			`7:9: exercise "Quad sets": steps: "hold 5s" would be said aloud, not timed; did you mean "hold: 5s"?`},
		{"rest without its colon, spaced unit", knee + "      - rest 3 s\n",
			`7:9: exercise "Quad sets": steps: "rest 3 s" would be said aloud, not timed; did you mean "rest: 3s"?`},
		{"breathe in as words", knee + "      - breathe in 4s\n",
			`7:9: exercise "Quad sets": steps: "breathe in 4s" would be said aloud, not timed; did you mean "breathe_in: 4s"?`},
		{"hold with no space after the colon", knee + "      - hold:5s\n",
			`7:9: exercise "Quad sets": steps: "hold:5s" would be said aloud, not timed; did you mean "hold: 5s"?`},
		{"a step missing its colon is one, whatever follows", knee + "      - hold 5s\n      - hold: 5s\n",
			`7:9: exercise "Quad sets": steps: "hold 5s" would be said aloud, not timed; did you mean "hold: 5s"?`},
		{"a sentence that reads as a step, with no step after it", knee + "      - Rest 10 seconds.\n",
			`7:9: exercise "Quad sets": steps: "Rest 10 seconds." would be said aloud, not timed; did you mean "rest: 10s"?`},
		{"mistyped step in the setup", strings.Replace(knee, "    steps:", "    setup:\n      - rest 2\n    steps:", 1),
			`6:9: exercise "Quad sets": setup: "rest 2" would be said aloud, not timed; did you mean "rest: 2s"?`},
		{"a spaced unit is reported once, with the fix", knee + "      - Hold for {hold} seconds.\n      - hold: 5 seconds\n",
			`8:15: exercise "Quad sets": steps: hold: "5 seconds" is not a duration like 10s or a range like 5-10s; did you mean "hold: 5s"?`},
		{"a hold without its colon brings no {hold} error", knee + "      - Hold for {hold} seconds.\n      - hold 5s\n",
			`8:9: exercise "Quad sets": steps: "hold 5s" would be said aloud, not timed; did you mean "hold: 5s"?`},
		{"rest: 3 s", knee + "      - rest: 3 s\n",
			`7:15: exercise "Quad sets": steps: rest: "3 s" is not a duration like 10s or a range like 5-10s; did you mean "rest: 3s"?`},
		{"sides: both brings no {side} error", strings.Replace(knee, "    reps: 3\n", "    reps: 3\n    sides: both\n", 1) + "      - Lift your {side} leg.\n",
			`5:12: exercise "Quad sets": sides must be alternate, each or none, not "both" (for both sides, use alternate`},
		{"side names given as sides", strings.Replace(knee, "    reps: 3\n", "    reps: 3\n    sides: [left, right]\n", 1) + "      - Lift your {side} leg.\n",
			`5:12: exercise "Quad sets": sides must be alternate, each or none, not a list (the sides' names go in side_names: [left, right])`},
		{"a hold written as a field of the exercise", strings.Replace(knee, "    reps: 3\n", "    reps: 3\n    hold: 5s\n", 1),
			`5:5: exercise "Quad sets": hold is a step, not a field of the exercise: write it under steps, as "- hold: 5s"`},
		{"a rest written as a field of the exercise", strings.Replace(knee, "    reps: 3\n", "    reps: 3\n    rest:\n", 1),
			`5:5: exercise "Quad sets": rest is a step, not a field of the exercise: write it under steps, as "- rest: ..."`},
		{"a mistyped field", strings.Replace(knee, "    reps: 3\n", "    rep: 3\n", 1),
			`4:5: exercise "Quad sets": unknown field "rep": did you mean "reps"?`},
		{"a language by its name", "language: Deutsch\n" + knee,
			`1:11: language: "Deutsch" is a language's name; give its tag: language: de`},
		{"a mistyped side mode is named", strings.Replace(knee, "    reps: 3\n", "    reps: 3\n    sides: alternat\n", 1) + "      - Lift your {side} leg.\n",
			`5:12: exercise "Quad sets": sides must be alternate, each or none, not "alternat" (did you mean "alternate"?)`},
		{"bad sets brings no set_rest error", strings.Replace(knee, "    reps: 3\n", "    reps: 3\n    sets: two\n    set_rest: 10s\n", 1),
			`5:11: exercise "Quad sets": sets: "two" is not a number or a range like 3-5`},
		{"a sentence with a colon", knee + "      - Note: keep your back flat.\n",
			`7:9: exercise "Quad sets": steps: unknown action "Note" (known: breathe_in, breathe_out, count, hold, rest, say); if this is a line to say, quote it, since YAML reads a colon followed by a space as key: value: - "Note: keep your back flat."`},
		{"a sentence with a colon in the intro", "intro:\n  - Note: be gentle.\n" + knee,
			`2:5: intro: expected text, found a mapping (YAML reads a colon followed by a space as key: value; if this is one line of text, quote it: "Note: be gentle.")`},
		{"a mistyped action", knee + "      - hodl: 5s\n",
			`7:9: exercise "Quad sets": steps: unknown action "hodl": did you mean "hold"?`},
		{"a mistyped hold brings no {hold} error", knee + "      - Hold for {hold} seconds.\n      - hodl: 5s\n",
			`8:9: exercise "Quad sets": steps: unknown action "hodl": did you mean "hold"?`},
		{"an action in words", knee + "      - breathe out: 5s\n",
			`7:9: exercise "Quad sets": steps: unknown action "breathe out": did you mean "breathe_out"?`},
		{"two exercises of one name", knee + "  - name: Quad sets\n    steps:\n      - hold: 5s\n",
			`7:11: exercise "Quad sets": the exercise at line 3 has this name too`},
		{"a variant named as its exercise", knee + "    variant:\n      name: Quad sets\n      steps: [Again.]\n",
			`8:13: exercise "Quad sets": the variant has the exercise's own name`},
		{"steps with nothing in them", "title: T\nexercises:\n  - name: E\n    steps:\n",
			`4:5: exercise "E": steps has nothing to say or time`},
		{"steps that only say false", "title: T\nexercises:\n  - name: E\n    steps:\n      - count: false\n",
			`5:7: exercise "E": steps has nothing to say or time`},
		{"settle in words", "settle: 2 seconds\n" + knee,
			`1:9: settle: "2 seconds" is not a duration like 10s or a range like 5-10s; did you mean "settle: 2s"?`},
		{"warm-up breath in words", "warmup:\n  breaths: 3\n  inhale: 4 sec\n  exhale: 4s\n" + knee,
			`3:11: warmup.inhale: "4 sec" is not a duration like 10s or a range like 5-10s; did you mean "inhale: 4s"?`},
		{"a title with a colon", strings.Replace(knee, "title: Knee programme", "title: Knee: programme", 1),
			`1:8: yaml: this value holds a colon and a space, which YAML reads as another key: quote it: title: "Knee: programme"`},
		{"a key indented under a value", strings.Replace(knee, "title: Knee programme\n", "title: Knee programme\n description: For the knee.\n", 1),
			`2:2: yaml: this line is indented under "title", which has a value already; line it up with "title"`},
		{"a step indented one space too far", knee + "       - hold: 5s\n",
			`7:8: exercise "Quad sets": steps: "- hold: 5s" is read as part of the line above ("Tighten the muscle on top of your thigh. - hold: 5s"), because it is indented further`},
		{"an intro line indented one space too far", "intro:\n- Welcome.\n - Sit down.\n" + knee,
			`3:2: intro: "- Sit down." is read as part of the line above ("Welcome. - Sit down."), because it is indented further`},
		{"a bad reps brings no later warning and no second error", strings.Replace(knee, "reps: 3", "reps: three", 1) + "      - say: Lift.\n        later: Again.\n",
			`4:11: exercise "Quad sets": reps: "three" is not a number`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, err := Parse("knee.yaml", []byte(c.src))
			if err == nil {
				t.Fatalf("no error (warnings %v); want %s", r.Warnings, c.want)
			}
			var es Errors
			if !errors.As(err, &es) {
				t.Fatalf("error %T is not Errors: %v", err, err)
			}
			if len(es) != 1 {
				t.Fatalf("got %d errors, want one:\n%v", len(es), err)
			}
			got := strings.TrimPrefix(es[0].Error(), "knee.yaml:")
			if !strings.HasPrefix(got, c.want) {
				t.Errorf("\n got %s\nwant %s...", got, c.want)
			}
		})
	}
}

// TestSlipsAreWarnings: what does nothing though an author may mean it is
// valid, with a warning at its line saying so.
func TestSlipsAreWarnings(t *testing.T) {
	cases := []struct {
		name string
		src  string
		want string
	}{
		{"later with one repetition", strings.Replace(knee, "    reps: 3\n", "", 1) + "      - say: Again.\n        later: Once more.\n",
			`7:16: exercise "Quad sets": steps: later is never said: it is for the repetitions after the first, and the exercise has one repetition and one set`},
		{"later in the setup", strings.Replace(knee, "    steps:", "    setup:\n      - say: Sit.\n        later: Sit again.\n    steps:", 1),
			`7:16: exercise "Quad sets": setup: later is never said: it is for the repetitions after the first, and the setup is done once`},
		{"count: false", knee + "      - count: false\n",
			`7:16: exercise "Quad sets": steps: count: false does nothing`},
		{"a line in another script", knee + "      - 你好\n",
			`7:9: exercise "Quad sets": steps: "你好" has no letter of the Latin alphabet, the only one the built-in engines read`},
		{"a number alone, or a word in another script beside a Latin one, is no slip", knee + "      - \"10\"\n      - Tadasana (ताड़ासन).\n      - count: false\n",
			`9:16: exercise "Quad sets": steps: count: false does nothing`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, err := Parse("knee.yaml", []byte(c.src))
			if err != nil {
				t.Fatalf("error: %v", err)
			}
			if len(r.Warnings) != 1 {
				t.Fatalf("got %d warnings, want one: %v", len(r.Warnings), r.Warnings)
			}
			if got := strings.TrimPrefix(r.Warnings[0].Error(), "knee.yaml:"); !strings.HasPrefix(got, c.want) {
				t.Errorf("\n got %s\nwant %s...", got, c.want)
			}
		})
	}
}

// TestWordsThatLookLikeStepsAreSaid: a line that merely starts with an
// action's word is a line to say.
func TestWordsThatLookLikeStepsAreSaid(t *testing.T) {
	for _, line := range []string{"Hold for 5 seconds.", "Rest 3 seconds between sets, then go on.", "Breathe in slowly.", "Hold it.", "Rest.",
		"Rest 10 seconds.\n      - rest: 10s", "Hold 5 s\n      - hold: 5s", "Breathe in 4s.\n      - breathe_in: 4s"} {
		r, err := Parse("knee.yaml", []byte(knee+"      - "+line+"\n"))
		if err != nil {
			t.Errorf("%q: %v", line, err)
			continue
		}
		if len(r.Warnings) > 0 {
			t.Errorf("%q: warnings %v", line, r.Warnings)
		}
	}
}

// TestBuiltinsAndExamplesHaveNoWarnings: what the project ships validates
// silently.
func TestBuiltinsAndExamplesHaveNoWarnings(t *testing.T) {
	for _, name := range BuiltinNames() {
		r, err := Ref{Name: name}.Load(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if len(r.Warnings) > 0 {
			t.Errorf("built-in %s: %v", name, r.Warnings)
		}
	}
	r, err := Load("../examples/box-breathing.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Warnings) > 0 {
		t.Errorf("examples/box-breathing.yaml: %v", r.Warnings)
	}
}

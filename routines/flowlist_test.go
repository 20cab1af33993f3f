package routines

import (
	"strings"
	"testing"
)

func TestFlowListSplitSentence(t *testing.T) {
	const head = "title: T\nexercises:\n  - name: E\n"
	const es, de = "language: es\n", "language: de\n"
	cases := []struct {
		name string
		src  string
		want string // the one error, without the file name; "" for none
	}{
		{"comma splits setup", head + "    setup: [Sit or stand tall, arms relaxed.]\n    steps: [Go.]\n",
			`4:32: setup: "arms relaxed." continues the line "Sit or stand tall": the comma in [...] split one sentence into two spoken lines; quote the line ("Sit or stand tall, arms relaxed.") or use a block list`},
		{"comma splits intro", "title: T\nintro: [Good morning, let's start.]\n" + head[9:] + "    steps: [Go.]\n",
			`2:23: intro: "let's start." continues the line "Good morning"`},
		{"comma splits a step", head + "    steps: [Lie down, knees bent., {hold: 5s}]\n", `4:23: steps: "knees bent." continues`},
		{"comma splits notes", head + "    steps: [Go.]\n    notes: [Breathe, and relax.]\n", `5:22: notes: "and relax."`},
		{"two sentences are two lines", head + "    setup: [Sit tall., Relax your arms.]\n    steps: [Go.]\n", ""},
		{"capital after a comma is a new line", head + "    steps: [Inhale, Exhale]\n", ""},
		{"quoted line stays whole", head + "    setup: [\"Sit or stand tall, arms relaxed.\"]\n    steps: [Go.]\n", ""},
		{"quoted pieces were meant", head + "    steps: [\"Left\", \"then right\"]\n", ""},
		{"side names are not lines", head + "    sides: each\n    side_names: [left, right]\n    steps:\n      - To the {side}.\n", ""},
		{"block list keeps commas", head + "    setup:\n      - Sit or stand tall, arms relaxed.\n    steps: [Go.]\n", ""},
		// Other languages: a sentence may open with ¿ or ¡, and German
		// nouns have capitals anywhere.
		{"spanish question is a new line", es + head + "    steps: [Baja despacio., ¿Notas el estiramiento?, ¡Muy bien!]\n", ""},
		{"spanish question split by a comma", es + head + "    steps: [Baja despacio, ¿notas el estiramiento?]\n", `5:28: steps: "¿notas el estiramiento?" continues the line "Baja despacio"`},
		{"spanish exclamation split by a comma", es + head + "    notes: [Respira hondo, ¡y suelta!]\n    steps: [Ve.]\n", `5:28: notes: "¡y suelta!" continues`},
		{"german nouns", de + head + "    setup: [Setz dich auf den Stuhl., Rücken gerade., Füße flach auf den Boden.]\n    steps: [Los.]\n", ""},
		{"german split by a comma", de + head + "    setup: [Setz dich hin, den Rücken gerade.]\n    steps: [Los.]\n", `5:28: setup: "den Rücken gerade." continues`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse("r.yaml", []byte(c.src))
			switch {
			case c.want == "" && err != nil:
				t.Fatalf("unexpected error: %v", err)
			case c.want == "":
				return
			case err == nil:
				t.Fatalf("no error; want %q", c.want)
			}
			es, ok := err.(Errors)
			if !ok || len(es) != 1 {
				t.Fatalf("want one error, got %v", err)
			}
			if got := strings.TrimPrefix(es[0].Error(), "r.yaml:"); !strings.HasPrefix(got, c.want) {
				t.Errorf("got  %s\nwant %s...", got, c.want)
			}
		})
	}
}

// The fix the message gives works: the quoted line it suggests validates and
// is spoken whole.
func TestFlowListFixWorks(t *testing.T) {
	src := "title: T\nexercises:\n  - name: E\n    setup: [\"Sit or stand tall, arms relaxed.\"]\n    steps: [Go.]\n"
	r, err := Parse("r.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if got := r.Exercises[0].Setup; len(got) != 1 || got[0].Text != "Sit or stand tall, arms relaxed." {
		t.Errorf("setup = %+v", got)
	}
}

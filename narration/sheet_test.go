package narration

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"

	"routinecast/internal/testtool/routinetest"
	"routinecast/routines"
)

func TestLinesMergesLevels(t *testing.T) {
	gentle := &routines.Script{Level: routines.Gentle, Cues: []routines.Cue{
		{Kind: routines.Say, Text: "Welcome."}, {Kind: routines.Count, Text: "one"}, {Kind: routines.Hold, Duration: 1},
	}}
	full := &routines.Script{Level: routines.Full, Cues: []routines.Cue{
		{Kind: routines.Say, Text: "welcome!"}, {Kind: routines.Count, Text: "two"}, {Kind: routines.BreatheIn, Text: "Breathe in."},
	}, Phrases: routines.Extras{Halfway: "Halfway."}}
	got := Lines(gentle, full)
	want := []Line{
		{"Welcome.", []routines.Level{routines.Gentle, routines.Full}},
		{"one", []routines.Level{routines.Gentle}},
		{"two", []routines.Level{routines.Full}},
		{"Breathe in.", []routines.Level{routines.Full}},
		{"Halfway.", []routines.Level{routines.Full}},
	}
	if len(got) != len(want) {
		t.Fatalf("Lines = %v, want %v", got, want)
	}
	for i := range want {
		if got[i].Text != want[i].Text || len(got[i].Levels) != len(want[i].Levels) {
			t.Errorf("line %d = %v, want %v", i, got[i], want[i])
			continue
		}
		for j := range want[i].Levels {
			if got[i].Levels[j] != want[i].Levels[j] {
				t.Errorf("line %d = %v, want %v", i, got[i], want[i])
			}
		}
	}
}

func TestSheetCoversEveryLevel(t *testing.T) {
	scripts := routinetest.Scripts(t, "lower-back")
	all := map[string]bool{}
	for _, s := range scripts {
		for _, line := range s.Lines() {
			all[Normalize(line)] = true
		}
	}
	sheet := NewSheet(scripts[0].Title, scripts...)

	var b bytes.Buffer
	if err := sheet.WriteCSV(&b); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(rows[0], ","); got != "n,file,text,levels" {
		t.Errorf("header %q", got)
	}
	covered := map[string]bool{}
	for _, row := range rows[1:] {
		text, file := row[2], row[1]
		covered[Normalize(text)] = true
		if file != RecordingFile(text) {
			t.Errorf("row %s: file %q, want %q", row[0], file, RecordingFile(text))
		}
	}
	for l := range all {
		if !covered[l] {
			t.Errorf("the CSV sheet misses %q", l)
		}
	}
	if len(rows)-1 != len(all) {
		t.Errorf("%d rows for %d distinct lines", len(rows)-1, len(all))
	}

	b.Reset()
	if err := sheet.WriteMarkdown(&b); err != nil {
		t.Fatal(err)
	}
	md := b.String()
	for _, l := range sheet.Lines {
		if !strings.Contains(md, "`"+RecordingFile(l.Text)+"`") {
			t.Errorf("the Markdown sheet misses the file of %q", l.Text)
		}
	}
}

func TestMarkdownEscapes(t *testing.T) {
	s := &Sheet{Title: "A *bold* title", Levels: []routines.Level{routines.Gentle, routines.Full},
		Lines: []Line{{Text: "Use a | pipe and _this_.", Levels: []routines.Level{routines.Gentle}}}}
	var b bytes.Buffer
	if err := s.WriteMarkdown(&b); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`# Recording script: A \*bold\* title`, `1. [ ] Use a \| pipe and \_this\_.`, "(gentle only)"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("Markdown lacks %q:\n%s", want, b.String())
		}
	}
}

// The sheet names its routine, and its import command takes the recordings
// against that routine (without --routine they would be checked against the
// built-in ones).
func TestSheetNamesItsRoutine(t *testing.T) {
	r, err := routines.Parse("neck.yaml", []byte("title: Neck\nexercises:\n  - name: Roll\n    steps:\n      - Roll your head.\n"))
	if err != nil {
		t.Fatal(err)
	}
	s, err := routines.Expand(r, routines.Standard)
	if err != nil {
		t.Fatal(err)
	}
	sheet := NewSheet(s.Title, s)
	sheet.Routine = "my routines/neck.yaml"
	var b bytes.Buffer
	if err := sheet.WriteMarkdown(&b); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Routine: `my routines/neck.yaml`.", "`routinecast voice import FOLDER --voice MY-VOICE --routine my routines/neck.yaml`"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("sheet lacks %q:\n%s", want, b.String())
		}
	}
	sheet.Import = "routinecast voice import FOLDER --voice MY-VOICE --routine 'my routines/neck.yaml'"
	b.Reset()
	sheet.WriteMarkdown(&b)
	if !strings.Contains(b.String(), sheet.Import) {
		t.Errorf("sheet does not use the given import command:\n%s", b.String())
	}
}

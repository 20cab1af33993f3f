package handout

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"routinecast/internal/testtool"
	"routinecast/routines"
)

// pdfText extracts a PDF's text with poppler's pdftotext, white space made
// single spaces so that wrapped lines read as one.
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	out := testtool.Output(t, testtool.Require(t, "pdftotext"), "-layout", "-enc", "UTF-8", writePDF(t, pdf), "-")
	return strings.Join(strings.Fields(string(out)), " ")
}

// writePDF writes pdf to a temporary file, for poppler's tools to read.
func writePDF(t *testing.T, pdf []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "h.pdf")
	if err := os.WriteFile(path, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// The text of the sheet lists every exercise in order, each with the hold and
// the repetitions its ranges give at the level, as numbers.
func TestHandoutListsEveryExercise(t *testing.T) {
	r, err := routines.Builtin("lower-back")
	if err != nil {
		t.Fatal(err)
	}
	for _, level := range routines.Levels() {
		var b bytes.Buffer
		if err := Write(&b, Options{Routine: r, Level: level, Length: 30*time.Minute + 44*time.Second, URL: "https://example.org/back-care/"}); err != nil {
			t.Fatal(err)
		}
		text := pdfText(t, b.Bytes())
		at := 0
		for _, ex := range r.Exercises {
			i := strings.Index(text[at:], ex.Name)
			if i < 0 {
				t.Fatalf("%s: %q is missing or out of order", level, ex.Name)
			}
			at += i
			// The exercise's text runs to the next one's name.
			section := text[at:]
			if next := nextName(r, ex.Name); next != "" {
				j := strings.Index(section[len(ex.Name):], ". "+next)
				if j < 0 {
					t.Fatalf("%s: %q does not follow %q", level, next, ex.Name)
				}
				section = section[:len(ex.Name)+j]
			}
			for _, s := range ex.Steps {
				if s.Kind == routines.Hold {
					want := fmt.Sprintf("hold %s s", strings.TrimSuffix(fmt.Sprint(s.Duration.At(level).Seconds()), ".0"))
					if !strings.Contains(strings.ToLower(section), want) {
						t.Errorf("%s: %s: no %q in %q", level, ex.Name, want, section)
					}
				}
			}
			reps := ex.Reps.At(level)
			want := fmt.Sprintf("%d reps", reps)
			if ex.Sides != routines.NoSides {
				want += " per side"
			}
			if reps == 1 {
				want = "once"
			}
			if !strings.Contains(section, want) {
				t.Errorf("%s: %s: no %q in %q", level, ex.Name, want, section)
			}
			if sets := ex.Sets.At(level); sets > 1 && !strings.Contains(section, fmt.Sprintf("%d sets", sets)) {
				t.Errorf("%s: %s: the %d sets are missing", level, ex.Name, sets)
			}
		}
		for _, want := range []string{
			r.Title, "Level: " + string(level), "Session length 30:44", "Safety first",
			strings.Join(strings.Fields(r.Cautions[0]), " "), "Cleveland Clinic", "https://example.org/back-care/",
		} {
			if !strings.Contains(text, want) {
				t.Errorf("%s: the sheet does not say %q", level, want)
			}
		}
	}
}

func nextName(r *routines.Routine, name string) string {
	for i, ex := range r.Exercises {
		if ex.Name == name && i+1 < len(r.Exercises) {
			return r.Exercises[i+1].Name
		}
	}
	return ""
}

// A4 and Letter give pages of their own size; the same options give the
// same bytes.
func TestHandoutPaper(t *testing.T) {
	bin := testtool.Require(t, "pdfinfo")
	r, err := routines.Builtin("lower-back")
	if err != nil {
		t.Fatal(err)
	}
	for paper, want := range map[Paper]string{A4: "595.28 x 841.89 pts (A4)", Letter: "612 x 792 pts (letter)"} {
		var a, b bytes.Buffer
		if err := Write(&a, Options{Routine: r, Paper: paper}); err != nil {
			t.Fatal(err)
		}
		if err := Write(&b, Options{Routine: r, Paper: paper}); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(a.Bytes(), b.Bytes()) {
			t.Errorf("%s: two writes differ", paper)
		}
		out := testtool.Output(t, bin, writePDF(t, a.Bytes()))
		size := regexp.MustCompile(`Page size:\s+(.*)`).FindStringSubmatch(string(out))
		if size == nil || strings.TrimSpace(size[1]) != want {
			t.Errorf("%s: page size %q, want %q", paper, size, want)
		}
	}
	if err := Write(&bytes.Buffer{}, Options{Routine: r, Paper: "a5"}); err == nil {
		t.Error("paper a5 was accepted")
	}
}

func TestSummarizeDose(t *testing.T) {
	r, err := routines.Parse("t.yaml", []byte(`title: T
warmup:
  say: ["Take {breaths} breaths."]
  breaths: 3-5
  inhale: 4s
  exhale: 6s
exercises:
  - name: March
    sides: alternate
    side_names: [right, left]
    reps: 8
    sets: 3
    set_rest: 15s
    steps:
      - say: Lift your {side} knee and {other} arm.
      - breathe_out: 2-3s
      - breathe_in: 2-3s
      - count: true
  - name: Hamstring
    sides: each
    reps: 3-5
    steps:
      - Stretch.
      - hold: 10s
      - rest: 2s
`))
	if err != nil {
		t.Fatal(err)
	}
	s := Summarize(r, routines.Full)
	if got, want := s.Warmup.Dose, "5 breaths: in 4 s, out 6 s"; got != want {
		t.Errorf("warm-up %q, want %q", got, want)
	}
	if got, want := s.Warmup.Say[0], "Take 5 breaths."; got != want {
		t.Errorf("warm-up says %q, want %q", got, want)
	}
	for i, want := range []string{
		"Breathe out 3 s · breathe in 3 s · 8 reps per side, alternating sides · 3 sets, 15 s rest between",
		"Hold 10 s · 5 reps per side, all on the left side, then the right",
	} {
		if got := s.Exercises[i].Dose; got != want {
			t.Errorf("exercise %d: %q, want %q", i+1, got, want)
		}
	}
	if got, want := s.Exercises[0].Steps[0], "Lift your right knee and left arm."; got != want {
		t.Errorf("step %q, want %q", got, want)
	}
}

// A routine stretched to a length is named by it, with the stretched values.
func TestHandoutStretched(t *testing.T) {
	r, err := routines.Builtin("lower-back")
	if err != nil {
		t.Fatal(err)
	}
	s := r.Stretched(routines.Even(0.5))
	var b bytes.Buffer
	if err := Write(&b, Options{Routine: s, Label: "28 min", Length: 28 * time.Minute}); err != nil {
		t.Fatal(err)
	}
	text := pdfText(t, b.Bytes())
	hold := s.Exercises[0].Steps[1].Duration.Min
	for _, want := range []string{"Holds and repetitions set for 28 min · Session length 28:00", fmt.Sprintf("Hold %g s", hold.Seconds())} {
		if !strings.Contains(text, want) {
			t.Errorf("the sheet does not say %q", want)
		}
	}
}

// A hold, rest or breath that the line before it already says is printed
// once, in the line; one the line does not say is printed as a step.
func TestSummarizeSaysAHoldOnce(t *testing.T) {
	r, err := routines.Parse("t.yaml", []byte(`title: T
exercises:
  - name: Quad sets
    setup:
      - Rest 3 seconds first.
      - rest: 3s
    steps:
      - Tighten your thigh and hold for {hold} seconds.
      - hold: 5s
      - Hold for 8 seconds more.
      - hold: 8s
      - Relax.
      - rest: 3s
      - Hold again.
      - hold: 6s
      - Breathe in for 4 s.
      - breathe_in: 4s
`))
	if err != nil {
		t.Fatal(err)
	}
	ex := Summarize(r, routines.Standard).Exercises[0]
	wantSetup := []string{"Rest 3 seconds first."}
	want := []string{"Tighten your thigh and hold for 5 seconds.", "Hold for 8 seconds more.", "Relax.", "Rest for 3 s.", "Hold again.", "Hold for 6 s.", "Breathe in for 4 s."}
	if fmt.Sprint(ex.Setup) != fmt.Sprint(wantSetup) {
		t.Errorf("setup %q, want %q", ex.Setup, wantSetup)
	}
	if fmt.Sprint(ex.Steps) != fmt.Sprint(want) {
		t.Errorf("steps\n got %q\nwant %q", ex.Steps, want)
	}
}

// Stretched to a length, the sheet prints whole seconds: the doses a person
// prescribes.
func TestHandoutStretchedWholeSeconds(t *testing.T) {
	r, err := routines.Builtin("lower-back")
	if err != nil {
		t.Fatal(err)
	}
	frac := regexp.MustCompile(`[0-9]\.[0-9]+ s\b`)
	for _, p := range []float64{0.13, 0.37, 0.5, 0.71, 0.93} {
		s := Summarize(r.Stretched(routines.Even(p)), routines.Standard)
		lines := []string{s.Warmup.Dose}
		for _, ex := range s.Exercises {
			lines = append(append(append(lines, ex.Dose), ex.Steps...), ex.Setup...)
		}
		for _, l := range lines {
			if frac.MatchString(l) {
				t.Errorf("stretch %g: %q", p, l)
			}
		}
	}
}

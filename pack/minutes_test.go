package pack

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"routinecast/job"
	"routinecast/pack/packtest"
	"routinecast/routines"
)

// A routine whose holds stretch from 20 s to 2 min, with lines that are the
// same at any length, so the test voice has every clip.
const stretchy = `title: Long holds
exercises:
  - name: Wall sit
    reps: 2
    steps:
      - Slide down the wall.
      - hold: 20-120s
      - Stand up.
      - rest: 5-20s
`

// An episode given in minutes is rendered at that length, named for it, and
// gets its handout and its exercise list at the stretched values.
func TestBuildMinutesEpisode(t *testing.T) {
	dir := t.TempDir()
	src := packtest.PackYAML()
	file := packtest.Write(t, dir)
	r, err := routines.Parse(filepath.Join(dir, "long.yaml"), []byte(stretchy))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "long.yaml"), []byte(stretchy), 0o644); err != nil {
		t.Fatal(err)
	}
	packtest.WriteVoice(t, filepath.Join(dir, "longvoice"), r)
	src = append(src, []byte("  - routine: long.yaml\n    minutes: 2.5\n    published: 2026-01-19\n    voice: longvoice\n")...)
	if err := os.WriteFile(file, src, 0o644); err != nil {
		t.Fatal(err)
	}
	p := loadPack(t, file)
	e := p.Episodes[2]
	if e.Slug != "long-2-5-min" || e.Title != "Long holds (2.5 min)" {
		t.Fatalf("episode slug %q title %q", e.Slug, e.Title)
	}
	out := filepath.Join(dir, "public")
	rep, _ := build(t, p, out, BuildOptions{})
	got := rep.Episodes[2].Duration
	if d := got - 150*time.Second; d > job.FitTolerance || d < -job.FitTolerance {
		t.Errorf("the 2.5 min episode lasts %v", got)
	}
	page, err := os.ReadFile(filepath.Join(out, "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	fit, err := job.Fit(job.Options{Routine: e.Routine, Voice: e.Voice}, e.length())
	if err != nil {
		t.Fatal(err)
	}
	hold := fit.Routine.Exercises[0].Steps[1].Duration.Min
	if hold <= 20*time.Second || hold >= 120*time.Second {
		t.Errorf("fitted hold %v is not inside the range", hold)
	}
	want := "Hold " + strconv.FormatFloat(hold.Seconds(), 'f', -1, 64) + " s · 2 reps"
	if !bytes.Contains(page, []byte(want)) || !bytes.Contains(page, []byte("2.5 min")) {
		t.Errorf("the page does not list %q at 2.5 min", want)
	}
	if st, err := os.Stat(filepath.Join(out, "long-2-5-min.pdf")); err != nil || st.Size() == 0 {
		t.Errorf("no handout: %v", err)
	}
}

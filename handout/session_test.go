package handout

import (
	"strings"
	"testing"

	"routinecast/job"
	"routinecast/routines"
)

// said says only a line the embedded voice has, besides its holds.
const said = `title: Said
exercises:
  - name: Bridge
    steps:
      - Lower back down.
      - hold: 4-20s
`

func TestSession(t *testing.T) {
	r, err := routines.Parse("said.yaml", []byte(said))
	if err != nil {
		t.Fatal(err)
	}
	j, err := job.Compile(job.Options{Routine: r, Level: routines.Full})
	if err != nil {
		t.Fatal(err)
	}
	o, err := Session(Options{URL: "https://example.org/"}, job.Options{Routine: r, Level: routines.Full})
	if err != nil || o.Length != j.Timeline.Duration() || o.Level != routines.Full || o.URL == "" {
		t.Errorf("at a level: %+v, %v; want the timeline's %v", o, err, j.Timeline.Duration())
	}

	// A line the voice lacks is timed from its words: the sheet needs no clip.
	unsaid, _ := routines.Parse("unsaid.yaml", []byte(strings.Replace(said, "Lower back down.", "A line nobody recorded.", 1)))
	s, _ := routines.Expand(unsaid, routines.Gentle)
	if o, err := Session(Options{}, job.Options{Routine: unsaid, Level: routines.Gentle}); err != nil || o.Length != s.Total() {
		t.Errorf("without a clip: %v, %v; want the script's %v", o.Length, err, s.Total())
	}

	// A length stretches the routine and labels the sheet with it.
	gentle, err := job.Compile(job.Options{Routine: r, Level: routines.Gentle})
	if err != nil {
		t.Fatal(err)
	}
	want := (gentle.Timeline.Duration() + j.Timeline.Duration()) / 2
	o, err = Session(Options{}, job.Options{Routine: r, Length: want})
	if err != nil {
		t.Fatal(err)
	}
	if o.Label != string(job.MinutesLabel(want)) || o.Routine == r || o.Length < want-job.FitTolerance || o.Length > want+job.FitTolerance {
		t.Errorf("at %v: label %q, length %v", want, o.Label, o.Length)
	}
}

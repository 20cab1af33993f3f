package routines

import (
	"fmt"
	"strings"
	"testing"
)

// TestExpandPlaces checks the place Expand puts on each cue against the
// routine's own structure, exercise by exercise.
func TestExpandPlaces(t *testing.T) {
	r, err := Builtin("lower-back")
	if err != nil {
		t.Fatal(err)
	}
	s, err := Expand(r, Standard)
	if err != nil {
		t.Fatal(err)
	}
	// What each exercise's holds, breaths and rests are, as "set.rep.side".
	seen := map[string][]string{}
	for _, c := range s.Cues {
		p := c.Place
		if c.Kind.Timed() && p.Exercise > 0 && p.Rep > 0 {
			seen[p.Name] = append(seen[p.Name], fmt.Sprintf("%d.%d.%s", p.Set, p.Rep, p.Side))
		}
		if p.Exercise > 0 && (p.Exercises != len(r.Exercises) || p.Name == "") {
			t.Errorf("cue %+v: place %+v", c, p)
		}
		if c.Kind == BreatheIn && p.Exercise == 0 && (p.Breath < 1 || p.Breath > p.Breaths) {
			t.Errorf("warm-up breath: place %+v", p)
		}
	}
	tests := []struct{ name, first, last string }{
		{"Lying trunk rotation", "1.1.left", "1.4.right"},
		{"Seated hamstring stretch", "1.1.left", "1.4.right"},
		{"Bridge", "1.1.", "1.5."},
		{"Seated marching", "1.1.right", "3.8.left"},
	}
	for _, tc := range tests {
		got := seen[tc.name]
		if len(got) == 0 || got[0] != tc.first || got[len(got)-1] != tc.last {
			t.Errorf("%s: places %v, want %s first and %s last", tc.name, got, tc.first, tc.last)
		}
	}
	// A variant has one repetition by default, under its own name.
	if got := seen["Child's pose at a counter"]; len(got) == 0 || got[0] != "1.1." {
		t.Errorf("the variant's hold is not placed under its own name: %v", got)
	}
	// Each side: all repetitions of the left side, then "switch sides" on the right.
	ham := seen["Seated hamstring stretch"]
	if strings.Join(ham, " ") != "1.1.left 1.1.left 1.2.left 1.2.left 1.3.left 1.3.left 1.4.left 1.4.left 1.1.right 1.1.right 1.2.right 1.2.right 1.3.right 1.3.right 1.4.right 1.4.right" {
		t.Errorf("hamstring stretch order: %v", ham)
	}
	for _, c := range s.Cues {
		if c.Kind == Say && c.Place.Name == "Seated hamstring stretch" && strings.Contains(strings.ToLower(c.Text), "switch") {
			if c.Place.Side != "right" || c.Place.Rep != 0 {
				t.Errorf("switch sides: place %+v, want the right side before its first repetition", c.Place)
			}
		}
		if c.Kind == Say && strings.HasPrefix(c.Text, "Set two") && (c.Place.Set != 2 || c.Place.Rep != 0) {
			t.Errorf("%q: place %+v", c.Text, c.Place)
		}
	}
}

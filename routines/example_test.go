package routines_test

import (
	"fmt"

	"routinecast/routines"
)

func ExampleExpand() {
	r, err := routines.Parse("stretch.yaml", []byte(`
title: Calf stretch
exercises:
  - name: Calf stretch
    sides: each
    reps: 1-2
    steps:
      - Lean into the wall, {side} leg back, for {hold} seconds.
      - hold: 10-20s
`))
	if err != nil {
		fmt.Println(err)
		return
	}
	s, _ := routines.Expand(r, routines.Gentle)
	for _, c := range s.Cues {
		if c.Kind.Timed() {
			fmt.Printf("%s %v\n", c.Kind, c.Duration)
		} else {
			fmt.Printf("%s %s\n", c.Kind, c.Text)
		}
	}
	// Output:
	// chapter Calf stretch
	// say Next: Calf stretch.
	// say Lean into the wall, left leg back, for ten seconds.
	// hold 10s
	// say Switch sides.
	// say Lean into the wall, right leg back, for ten seconds.
	// hold 10s
	// say Well done.
}

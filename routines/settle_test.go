package routines

import (
	"strings"
	"testing"
	"time"
)

// TestSettle checks where settle times come from: DefaultSettle, the
// routine's, the exercise's (which its variant takes), 0 for none; and that
// only a hold right after a line gets one.
func TestSettle(t *testing.T) {
	src := `title: T
settle: 1s
exercises:
  - name: A
    steps:
      - say: Pull your knee in.
      - hold: 10s
      - hold: 5s
  - name: B
    settle: 0
    steps:
      - say: Lift.
      - hold: 5s
  - name: C
    settle: 3s
    steps:
      - say: Bend.
      - hold: 5s
    variant:
      name: C easy
      steps:
        - say: Bend a little.
        - hold: 5s
`
	s := parseExpand(t, src, Standard)
	var got []time.Duration
	for _, c := range s.Cues {
		if c.Kind == Hold {
			got = append(got, c.Settle)
		}
	}
	want := []time.Duration{time.Second, 0, 0, 3 * time.Second, 3 * time.Second}
	if len(got) != len(want) {
		t.Fatalf("holds' settle times %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("hold %d settles %v, want %v (all %v)", i+1, got[i], want[i], got)
		}
	}
	var total time.Duration
	for _, c := range s.Cues {
		total += c.Settle + c.Duration
	}
	if s.Total() != total {
		t.Errorf("Total %v, want the settle times counted too, %v", s.Total(), total)
	}

	ds := parseExpand(t, "title: T\nexercises:\n  - name: A\n    steps:\n      - say: Go.\n      - hold: 5s\n", Standard)
	for _, c := range ds.Cues {
		if c.Kind == Hold && c.Settle != DefaultSettle {
			t.Errorf("hold settles %v by default, want %v", c.Settle, DefaultSettle)
		}
	}

	for _, bad := range []struct{ value, want string }{
		{"2-3s", "t.yaml:2:9: settle: \"2-3s\" is a range"},
		{"45s", "t.yaml:2:9: settle: 45s is longer than the limit of 30s"},
		{"-1s", "t.yaml:2:9: settle: -1s is not a positive duration"},
	} {
		_, err := Parse("t.yaml", []byte("title: T\nsettle: "+bad.value+"\nexercises:\n  - name: A\n    steps:\n      - say: Go.\n"))
		if err == nil || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("settle %s: error %v, want %q", bad.value, err, bad.want)
		}
	}
}

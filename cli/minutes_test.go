package cli

import (
	"encoding/json"
	"math"
	"strconv"
	"strings"
	"testing"

	"routinecast/mixer"
)

func TestShowMinutes(t *testing.T) {
	lo, hi, span := lowerBackSpan(t)
	minutes := (lo + hi) / 120 // a whole number of minutes inside the span
	out, errOut, code := run(t, "show", "lower-back", "--minutes", strconv.Itoa(minutes), "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var v mixer.Listing
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		t.Fatal(err)
	}
	if math.Abs(v.TotalSeconds-float64(minutes*60)) > 10 {
		t.Errorf("--minutes %d lasts %.3f s", minutes, v.TotalSeconds)
	}
	if v.Level != strconv.Itoa(minutes)+" min" {
		t.Errorf("level %q", v.Level)
	}
	// Doses a person prescribes: whole seconds, rests over 10 s on
	// multiples of 5 s.
	for _, c := range v.Cues {
		switch c.Kind {
		case "hold", "rest", "breathe_in", "breathe_out":
			if s := c.Seconds; s != math.Round(s) {
				t.Errorf("--minutes %d: a %s of %g s at %g s", minutes, c.Kind, s, c.AtSeconds)
			} else if c.Kind == "rest" && s > 10 && math.Mod(s, 5) != 0 {
				t.Errorf("--minutes %d: a rest of %g s at %g s", minutes, s, c.AtSeconds)
			}
		}
	}

	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"show", "lower-back", "--minutes", "10"}, span},
		{[]string{"show", "lower-back", "--minutes", "-1"}, "--minutes -1"},
		{[]string{"show", "lower-back", "--minutes", strconv.Itoa(minutes), "--level", "full"}, "exclude each other"},
		{[]string{"export", "lower-back", "--minutes", "60", "-o", t.TempDir() + "/x.mp3"}, span},
	} {
		_, errOut, code := run(t, c.args...)
		if code != 2 || !strings.Contains(errOut, c.want) {
			t.Errorf("%v: exit %d, %q; want 2 and %q", c.args, code, errOut, c.want)
		}
	}
}

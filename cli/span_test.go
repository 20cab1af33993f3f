package cli

import (
	"encoding/json"
	"fmt"
	"testing"

	"routinecast/mixer"
)

// lowerBackSpan returns the built-in routine's shortest and longest length in
// whole seconds, as show prints them, and the message that names the span:
// what --minutes can reach with the embedded voice.
func lowerBackSpan(t *testing.T) (lo, hi int, msg string) {
	t.Helper()
	total := func(level string) int {
		out, errOut, code := run(t, "show", "lower-back", "--level", level, "--json")
		if code != 0 {
			t.Fatalf("show --level %s: exit %d: %s", level, code, errOut)
		}
		var v mixer.Listing
		if err := json.Unmarshal([]byte(out), &v); err != nil {
			t.Fatal(err)
		}
		return int(v.TotalSeconds)
	}
	lo, hi = total("gentle"), total("full")
	clock := func(s int) string { return fmt.Sprintf("%d:%02d", s/60, s%60) }
	return lo, hi, "lower-back lasts " + clock(lo) + " to " + clock(hi)
}

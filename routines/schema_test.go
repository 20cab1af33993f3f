package routines

import (
	"regexp"
	"testing"
)

// The schema's patterns take what the loader's parsers take, so that an
// editor flags what validate refuses and nothing it accepts.
func TestSchemaPatternsMatchTheParsers(t *testing.T) {
	dur := regexp.MustCompile(durationPattern)
	for _, s := range []string{"10s", "1m30s", "500ms", "5", "2.5", "5-10s", "5-10", " 5 - 10s ", "1m-2m", "0.5s-1s", "1h",
		"5 seconds", "5 s", "ten", "-5s", "5s-", "s", "", "5x", "5-", "1m 30s", "5sec"} {
		_, err := parseDuration(s)
		if got, want := dur.MatchString(s), err == nil; got != want {
			t.Errorf("duration %q: the schema says %v, the loader %v (%v)", s, got, want, err)
		}
	}
	count := regexp.MustCompile(countPattern)
	for _, s := range []string{"3", "3-5", " 3 - 5 ", "10", "three", "-3", "3-", "3.5", "3,5", ""} {
		_, err := parseCount(s)
		if got, want := count.MatchString(s), err == nil; got != want {
			t.Errorf("count %q: the schema says %v, the loader %v (%v)", s, got, want, err)
		}
	}
	// The step slips the schema refuses are ones the loader refuses too.
	slip := regexp.MustCompile(mistypedPattern)
	for _, s := range []string{"hold 5s", "rest 3 s", "breathe in 4s", "breathe_out 6", "hold:5s", "rest 2-4s", "hold 5 seconds"} {
		if !slip.MatchString(s) || asStep(s) == "" || sentence(s) {
			t.Errorf("%q: schema %v, loader %q, sentence %v", s, slip.MatchString(s), asStep(s), sentence(s))
		}
	}
	for _, s := range []string{"Hold for 5 seconds.", "Rest 10 seconds.", "hold it", "Breathe in."} {
		if slip.MatchString(s) {
			t.Errorf("%q: the schema refuses a line to say", s)
		}
	}
}

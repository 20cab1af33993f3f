package cli

import (
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestLimitsAgree: export --sample-rate and --loudness and a pack's
// audio.sample_rate and audio.loudness accept and refuse the same values,
// with the same words (both write MP3 here).
func TestLimitsAgree(t *testing.T) {
	if testing.Short() {
		t.Skip("end to end and sequential: the full run covers it; -short is CI's race run")
	}
	file := packFixture(t)
	src, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	// The reason after the flag or field name, as both print it.
	reason := regexp.MustCompile(`(?:--sample-rate|--loudness|audio\.sample_rate|audio\.loudness): (.*)`)
	why := func(s string) string {
		m := reason.FindStringSubmatch(s)
		if m == nil {
			return ""
		}
		return strings.TrimSpace(m[1])
	}
	withAudio := func(field, value string) string {
		s := strings.Replace(string(src), "\nepisodes:", "\naudio:\n  "+field+": "+value+"\nepisodes:", 1)
		if s == string(src) {
			t.Fatal("the fixture has no episodes: line")
		}
		if err := os.WriteFile(file, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
		return file
	}
	for _, tc := range []struct {
		flag, field, value string
		ok                 bool
	}{
		{"--sample-rate", "sample_rate", "8000", false}, // in the mixer's range, not an MP3 rate
		{"--sample-rate", "sample_rate", "48000", true},
		{"--sample-rate", "sample_rate", "96000", false},
		{"--sample-rate", "sample_rate", "192000", false},
		{"--sample-rate", "sample_rate", "400000", false},
		{"--loudness", "loudness", "-45", false},
		{"--loudness", "loudness", "-40", true},
		{"--loudness", "loudness", "-5", true},
		{"--loudness", "loudness", "0", false},
	} {
		t.Run(tc.flag+"="+tc.value, func(t *testing.T) {
			_, perr, pcode := run(t, "pack", "validate", withAudio(tc.field, tc.value))
			if tc.ok {
				if pcode != 0 {
					t.Errorf("pack %s: %s refused: %s", tc.field, tc.value, perr)
				}
				return
			}
			// Export stops at the bad value before anything renders.
			_, eerr, ecode := run(t, "export", "lower-back", "-o", t.TempDir()+"/x.mp3", tc.flag, tc.value)
			if ecode != 2 || pcode != 2 {
				t.Fatalf("%s: export exit %d, pack exit %d; want 2 and 2\nexport: %s\npack: %s", tc.value, ecode, pcode, eerr, perr)
			}
			if e, p := why(eerr), why(perr); e == "" || e != p {
				t.Errorf("%s %s: export says %q, pack says %q", tc.flag, tc.value, e, p)
			}
		})
	}
	// WAV takes any rate in the mixer's range.
	if _, errs, code := run(t, "export", "lower-back", "--level", "gentle", "-o", t.TempDir()+"/x.wav", "--sample-rate", strconv.Itoa(96000)); code != 0 {
		t.Errorf("WAV at 96000 Hz: exit %d\n%s", code, errs)
	}
}

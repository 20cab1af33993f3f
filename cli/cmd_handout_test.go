package cli

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"routinecast/narration"
)

func TestHandoutCommand(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "h.pdf")
	lo, hi, span := lowerBackSpan(t)
	minutes := (lo + hi) / 120
	_, errOut, code := run(t, "handout", "lower-back", "--minutes", strconv.Itoa(minutes), "--paper", "letter", "--url", "https://example.org/back-care/", "-o", out)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(b, []byte("%PDF-")) || !strings.Contains(errOut, fmt.Sprintf("9 exercises, %d:0", minutes)) && !strings.Contains(errOut, fmt.Sprintf("9 exercises, %d:5", minutes-1)) {
		t.Errorf("wrote %d bytes, said %q", len(b), errOut)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"handout", "lower-back"}, "-o FILE.pdf"},
		{[]string{"handout", "lower-back", "--paper", "a5", "-o", filepath.Join(dir, "x.pdf")}, "use a4 or letter"},
		{[]string{"handout", "lower-back", "--url", "example.org", "-o", filepath.Join(dir, "x.pdf")}, `handout: --url: "example.org" is not an absolute http or https URL`},
		{[]string{"handout", "lower-back", "--minutes", "50", "-o", filepath.Join(dir, "x.pdf")}, span},
	} {
		_, errOut, code := run(t, c.args...)
		if code != 2 || !strings.Contains(errOut, c.want) {
			t.Errorf("%v: exit %d, %q; want 2 and %q", c.args, code, errOut, c.want)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "x.pdf")); err == nil {
		t.Error("a failed handout left a file")
	}
}

// --voice takes a cached voice by name, as export and show do.
func TestHandoutCachedVoice(t *testing.T) {
	cache := t.TempDir()
	t.Setenv("XDG_CACHE_HOME", cache)
	dir, err := narration.CacheDir(narration.EngineSpec{Name: "flite"}, "en")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := narration.Create(dir, narration.Manifest{Language: "en", Engine: narration.EngineSpec{Name: "flite"}}); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "h.pdf")
	if _, errOut, code := run(t, "handout", "lower-back", "-v", filepath.Base(dir), "-o", out); code != 0 {
		t.Fatalf("handout --voice %s: exit %d: %s", filepath.Base(dir), code, errOut)
	}
	if _, errOut, code := run(t, "handout", "lower-back", "--voice", "no-such-voice", "-o", out+"2"); code != 2 || !strings.Contains(errOut, "neither a folder nor a cached voice") {
		t.Errorf("unknown voice: exit %d: %s", code, errOut)
	}
}

// The done-when, through the command: a programme for a patient
// from a start date for a number of weeks; and each flag's mistakes are
// usage errors that write nothing.
func TestHandoutProgrammeFlags(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "h.pdf")
	_, errOut, code := run(t, "handout", "lower-back", "--patient", "Ann Example", "--start", "2027-01-04", "--weeks", "2", "-o", out)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if b, err := os.ReadFile(out); err != nil || !bytes.HasPrefix(b, []byte("%PDF-")) {
		t.Fatalf("no PDF: %v", err)
	}
	bad := filepath.Join(dir, "x.pdf")
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--start", "4/1/2027"}, `--start "4/1/2027" is not a date like 2027-01-04`},
		{[]string{"--weeks", "53"}, "--weeks 53: give 1 to 52 weeks"},
		{[]string{"--weeks", "-1"}, "--weeks -1: give 1 to 52 weeks"},
		{[]string{"--patient", "Ann\x1b[2J"}, "--patient: ESC"},
		{[]string{"--patient", strings.Repeat("A", 101)}, "--patient is 101 characters; at most 100"},
	} {
		args := append([]string{"handout", "lower-back", "-o", bad}, c.args...)
		_, errOut, code := run(t, args...)
		if code != 2 || !strings.Contains(errOut, c.want) {
			t.Errorf("%v: exit %d, %q; want 2 and %q", c.args, code, errOut, c.want)
		}
	}
	if _, err := os.Stat(bad); err == nil {
		t.Error("a refused handout left a file")
	}
}

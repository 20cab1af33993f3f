package typo

import "testing"

func TestDistance(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want int
	}{
		{"", "", 0}, {"level", "level", 0}, {"levl", "level", 1}, {"lveel", "level", 1},
		{"export", "exprot", 1}, {"", "abc", 3}, {"kitten", "sitting", 3}, {"ça", "ca", 1},
	} {
		if got := Distance(c.a, c.b); got != c.want {
			t.Errorf("Distance(%q, %q) = %d, want %d", c.a, c.b, got, c.want)
		}
	}
}

func TestNearest(t *testing.T) {
	names := []string{"export", "play", "pack", "show", "voice"}
	for in, want := range map[string]string{
		"exprot": "export", "EXPORT": "export", "paly": "play", "pakc": "pack",
		"xyzzy": "", "": "", "vocie": "voice", "sh": "",
	} {
		if got := Nearest(in, names); got != want {
			t.Errorf("Nearest(%q) = %q, want %q", in, got, want)
		}
	}
	if got := Nearest("x", nil); got != "" {
		t.Errorf("no candidates: %q", got)
	}
}

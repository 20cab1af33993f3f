package routines

import (
	"slices"
	"testing"
)

func TestParseLevel(t *testing.T) {
	for _, c := range []struct {
		in   string
		want Level
		err  string
	}{
		{"gentle", Gentle, ""},
		{"Standard", Standard, ""},
		{" FULL\t", Full, ""},
		{"hard", "", `unknown level "hard": use gentle, standard or full`},
		{"", "", `unknown level "": use gentle, standard or full`},
		{"gent", "", `unknown level "gent": use gentle, standard or full`},
	} {
		t.Run(c.in, func(t *testing.T) {
			got, err := ParseLevel(c.in)
			if c.err != "" {
				if err == nil || err.Error() != c.err {
					t.Fatalf("ParseLevel(%q) = %q, %v; want error %q", c.in, got, err, c.err)
				}
				return
			}
			if err != nil || got != c.want {
				t.Fatalf("ParseLevel(%q) = %q, %v; want %q", c.in, got, err, c.want)
			}
		})
	}
}

// A caller that changes the slice it was given changes no one else's.
func TestLevelsIsACopy(t *testing.T) {
	want := []Level{Gentle, Standard, Full}
	ls := Levels()
	ls[0] = "hard"
	if got := Levels(); !slices.Equal(got, want) {
		t.Fatalf("Levels() = %v after a caller changed its copy; want %v", got, want)
	}
	if _, err := Expand(&Routine{Language: "en"}, "hard"); err == nil {
		t.Error(`Expand took level "hard" after a caller changed its copy of Levels`)
	}
}

package textcheck

import (
	"bytes"
	"reflect"
	"testing"
)

func TestCheck(t *testing.T) {
	for _, tc := range []struct {
		name, in, want string
	}{
		{"plain", "Breathe in slowly.", ""},
		{"tab and newline", "one\ttwo\nthree", ""},
		{"accents and emoji", "Détendez-vous ✓ 🙂", ""},
		{"NUL", "a\x00b", "NUL (U+0000) at character 2"},
		{"ANSI escape", "\x1b[31mred", "ESC (U+001B), which starts terminal escape sequences at character 1"},
		{"bell", "ding\x07", "control character U+0007 at character 5"},
		{"carriage return", "a\rb", "carriage return (U+000D) at character 2"},
		{"DEL", "x\x7f", "DEL (U+007F) at character 2"},
		{"C1 CSI", "x\u009b31m", "C1 control character U+009B at character 2"},
		{"bidi override", "abc\u202edcba", "bidirectional control U+202E, which reorders how text is shown at character 4"},
		{"bidi isolate", "\u2067x", "bidirectional control U+2067, which reorders how text is shown at character 1"},
		{"replacement char", "caf\ufffd", "U+FFFD, the replacement character left by a broken encoding at character 4"},
		{"invalid UTF-8", "caf\xe9", "invalid UTF-8 at character 4"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := Check(tc.in)
			got := ""
			if err != nil {
				got = err.Error()
			}
			if got != tc.want {
				t.Fatalf("Check(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestSpeakable(t *testing.T) {
	for in, want := range map[string]bool{
		"Hold.": true, "3": true, "¡Sí!": true, "...": false, "—!?": false,
		"\u200b\u200b": false, "\u200d": false, "🙂": false, "": false,
	} {
		if got := Speakable(in); got != want {
			t.Errorf("Speakable(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestScan(t *testing.T) {
	src := []byte("\ufefftitle: ok\r\nname: \"x\x1b[0m\"\nnote: é\u202e\n")
	got := Scan(src, 10)
	want := []Finding{
		{2, 9, "ESC (U+001B), which starts terminal escape sequences"},
		{3, 8, "bidirectional control U+202E, which reorders how text is shown"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("Scan = %+v, want %+v", got, want)
	}
	if got := Scan([]byte("\x01\x02\x03"), 2); len(got) != 2 {
		t.Fatalf("limit not kept: %d findings", len(got))
	}
}

func TestBinary(t *testing.T) {
	if f, ok := Binary([]byte("ab\ncd\x00")); !ok || f != (Finding{2, 3, "a NUL byte"}) {
		t.Fatalf("Binary = %+v %v", f, ok)
	}
	if _, ok := Binary([]byte("title: é\n")); ok {
		t.Fatal("text taken for binary")
	}
}

func TestBlank(t *testing.T) {
	in := "\ufeffa: \x1b[1m\r\nb: x\u202ey\x7f\n"
	want := "\ufeffa:  [1m\r\nb: x y \n"
	if got := string(Blank([]byte(in))); got != want {
		t.Fatalf("Blank = %q, want %q", got, want)
	}
	if len(Scan(Blank([]byte(in)), 10)) != 0 {
		t.Fatal("Blank left refused characters")
	}
}

// FuzzScan: whatever a file holds, Blank leaves nothing Scan refuses, keeps
// its lines, and Binary and Scan never fail.
func FuzzScan(f *testing.F) {
	for _, s := range []string{"title: ok\n", "a\x1b[31m\r\nb\u202e\n", "\xff\xfe", "\ufeffx\x00"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		Binary(src)
		b := Blank(src)
		if got := Scan(b, 1); len(got) != 0 {
			t.Fatalf("Blank(%q) = %q still holds %+v", src, b, got)
		}
		if bytes.Count(b, []byte("\n")) != bytes.Count(src, []byte("\n")) {
			t.Fatalf("Blank changed the lines of %q", src)
		}
	})
}

func TestSentencesInEveryLanguage(t *testing.T) {
	for _, c := range []struct {
		prev, cur string
		want      bool
	}{
		{"Sit or stand tall", "arms relaxed.", true},
		{"Baja despacio", "¿notas el estiramiento?", true},
		{"Baja despacio.", "¿Notas el estiramiento?", false},
		{"¿Notas el estiramiento?", "¡Muy bien!", false},
		{"Respira hondo", "¡Muy bien!", false},
		{"Setz dich hin", "Rücken gerade.", false}, // a noun: a capital, whatever the sentence
		{"Setz dich hin", "den Rücken gerade.", true},
		{"Dites « respirez »", "« soufflez ».", false},
		{"Sagen Sie „jetzt“", "und atmen Sie aus.", false},
		{"Go", "", false},
		{"", "go", false},
		{"Go", "42 times.", false},
	} {
		if got := Continues(c.prev, c.cur); got != c.want {
			t.Errorf("Continues(%q, %q) = %v, want %v", c.prev, c.cur, got, c.want)
		}
	}
	for in, want := range map[string]string{
		"izquierda.":   "Izquierda.",
		"¿izquierda?":  "¿Izquierda?",
		"¡ánimo!":      "¡Ánimo!",
		"«über» alles": "«Über» alles",
		"":             "",
		"¿?":           "¿?",
		"3 veces":      "3 veces",
	} {
		if got := Capitalize(in); got != want {
			t.Errorf("Capitalize(%q) = %q, want %q", in, got, want)
		}
	}
}

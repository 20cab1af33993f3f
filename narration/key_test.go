package narration

import (
	"strings"
	"testing"
)

func TestNormalize(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"plain", "breathe in", "breathe in"},
		{"case and punctuation", "Breathe in.", "breathe in"},
		{"spaces", "  breathe \t IN!\n", "breathe in"},
		{"inner punctuation", "Cat: push, then round.", "cat push then round"},
		{"apostrophe", "Don't round it.", "dont round it"},
		{"typographic apostrophe", "Don’t round it.", "dont round it"},
		{"hyphen", "hip-width apart", "hip width apart"},
		{"digits", "Set 1 of 3", "set 1 of 3"},
		{"unicode letters", "Überkreuz ÄRMEL", "überkreuz ärmel"},
		{"only punctuation", "?!...", ""},
		{"empty", "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Normalize(tc.in); got != tc.want {
				t.Errorf("Normalize(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestKey(t *testing.T) {
	festival := EngineSpec{Name: "festival", Voice: "cmu_us_slt_arctic_hts"}.identity()
	flite := EngineSpec{Name: "flite", Voice: "slt"}.identity()
	// The key of a line must never change between versions: every voice
	// folder, the embedded one included, depends on it. Checked with
	// printf 'routinecast clip v1\0recorded\0breathe in' | sha256sum
	if got, want := Key("Breathe in.", Recorded), "2042aa65c62b698e"; got != want {
		t.Errorf("Key(Breathe in., recorded) = %s, want %s: changing the key orphans every clip", got, want)
	}
	tests := []struct {
		name         string
		a, b         string
		idA, idB     string
		wantSameKeys bool
	}{
		{"same line", "Breathe in.", "Breathe in.", festival, festival, true},
		{"case and punctuation", "Breathe in.", "breathe  in!", festival, festival, true},
		{"reworded", "Breathe in.", "Breathe in slowly.", festival, festival, false},
		{"other engine", "Breathe in.", "Breathe in.", festival, flite, false},
		{"recorded", "Breathe in.", "Breathe in.", festival, Recorded, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ka, kb := Key(tc.a, tc.idA), Key(tc.b, tc.idB)
			if (ka == kb) != tc.wantSameKeys {
				t.Errorf("keys %s and %s: same = %v, want %v", ka, kb, ka == kb, tc.wantSameKeys)
			}
			if len(ka) != keyLen {
				t.Errorf("key %q has %d characters, want %d", ka, len(ka), keyLen)
			}
		})
	}
}

func TestClipFileNames(t *testing.T) {
	tests := []struct {
		name, text, wantPrefix string
	}{
		{"short", "Breathe in.", "breathe-in-"},
		{"long cut at a word", "Stretch your arms and upper body over to the left.", "stretch-your-arms-and-upper-body-over-"},
		{"no ascii", "Привет", ""},
		{"accents spelled in ascii", "Túmbate boca arriba, Füße über Kreuz; ça va.", "tumbate-boca-arriba-fusse-uber-kreuz-ca-"},
		{"one huge word", strings.Repeat("a", 60), strings.Repeat("a", slugLen) + "-"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			name := RecordingFile(tc.text)
			key := Key(tc.text, Recorded)
			if want := tc.wantPrefix + key + ".wav"; name != want {
				t.Errorf("RecordingFile(%q) = %q, want %q", tc.text, name, want)
			}
			got, ok := keyOf(name)
			if !ok || got != key {
				t.Errorf("keyOf(%q) = %q, %v; want %q", name, got, ok, key)
			}
		})
	}
}

func TestKeyOf(t *testing.T) {
	tests := []struct {
		name, file, want string
		ok               bool
	}{
		{"wav", "breathe-in-2042aa65c62b698e.wav", "2042aa65c62b698e", true},
		{"mp3 upper-case extension", "breathe-in-2042aa65c62b698e.MP3", "2042aa65c62b698e", true},
		{"flac key only", "2042aa65c62b698e.flac", "2042aa65c62b698e", true},
		{"renamed prefix", "take-1-2042aa65c62b698e.wav", "2042aa65c62b698e", true},
		{"ogg", "breathe-in-2042aa65c62b698e.ogg", "", false},
		{"no hyphen before key", "breathein2042aa65c62b698e.wav", "", false},
		{"upper-case key", "breathe-in-4CB8D6E6F1FCA8A9.wav", "", false},
		{"short", "abc.wav", "", false},
		{"manifest", "voice.yaml", "", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := keyOf(tc.file)
			if got != tc.want || ok != tc.ok {
				t.Errorf("keyOf(%q) = %q, %v; want %q, %v", tc.file, got, ok, tc.want, tc.ok)
			}
		})
	}
}

func FuzzNormalize(f *testing.F) {
	for _, s := range []string{"Breathe in.", "Don’t", "  a  b  ", "Überkreuz", "\xff\xfe"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n := Normalize(s)
		if Normalize(n) != n {
			t.Errorf("Normalize is not idempotent on %q: %q then %q", s, n, Normalize(n))
		}
		if strings.HasPrefix(n, " ") || strings.HasSuffix(n, " ") || strings.Contains(n, "  ") {
			t.Errorf("Normalize(%q) = %q has stray spaces", s, n)
		}
		if k, ok := keyOf(RecordingFile(s)); !ok || k != Key(s, Recorded) {
			t.Errorf("the file name of %q does not give back its key", s)
		}
	})
}

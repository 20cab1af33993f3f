package narration

import (
	"errors"
	"path/filepath"
	"testing"
)

func TestEngineVoice(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("XDG_CACHE_HOME", filepath.Join(tmp, "cache"))
	t.Setenv("HOME", tmp)
	existing := fakeVoice(t, "speak", ClipFormat{})
	for _, tc := range []struct {
		name       string
		choice     Choice
		clips      *ClipFormat
		wantEngine string
		wantDir    string // "" is the engine's voice in the cache
		wantFormat string
	}{
		{"existing voice keeps its engine", Choice{Voice: existing.Dir()}, nil, "command", existing.Dir(), ""},
		{"existing voice takes a format", Choice{Voice: existing.Dir()}, &ClipFormat{Format: "flac"}, "command", existing.Dir(), "flac"},
		{"engine into the cache", Choice{Engine: "flite"}, nil, "flite", "", ""},
		{"the built-in engine without an engine", Choice{}, nil, Builtin, "", ""},
		{"new folder", Choice{Voice: filepath.Join(tmp, "new"), Engine: "espeak-ng"}, &ClipFormat{Format: "mp3"}, "espeak-ng", filepath.Join(tmp, "new"), "mp3"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v, err := EngineVoice(tc.choice, "en", tc.clips)
			if err != nil {
				t.Fatal(err)
			}
			if v.Manifest.Engine.Name != tc.wantEngine || v.Manifest.Clips.Format != tc.wantFormat {
				t.Errorf("engine %q, format %q; want %q, %q", v.Manifest.Engine.Name, v.Manifest.Clips.Format, tc.wantEngine, tc.wantFormat)
			}
			want := tc.wantDir
			if want == "" {
				if want, err = CacheDir(v.Manifest.Engine, "en"); err != nil {
					t.Fatal(err)
				}
			}
			if v.Dir() != want {
				t.Errorf("dir %s, want %s", v.Dir(), want)
			}
		})
	}
	// A routine in a language Pico speaks, with no engine named, is
	// Pico's, in that language.
	for lang, voice := range map[string]string{"es": "es-ES", "de": "de-DE", "fr": "fr-FR", "it": "it-IT", "en": "rms"} {
		v, err := EngineVoice(Choice{}, lang, nil)
		if err != nil {
			t.Fatal(err)
		}
		if e := v.Manifest.Engine; e.Name != BuiltinFor(lang) || e.Voice != voice || (lang != "en") != (e.Name == Pico) {
			t.Errorf("a routine in %s with no voice given: engine %s %s, want voice %s", lang, e.Name, e.Voice, voice)
		}
	}
	if _, err := EngineVoice(Choice{Engine: "sapi"}, "en", nil); !errors.Is(err, ErrBadInput) {
		t.Errorf("unknown engine: %v, want bad input", err)
	}
}

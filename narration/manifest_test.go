package narration

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"routinecast/internal/testtool"
)

func TestParseManifest(t *testing.T) {
	tests := []struct {
		name    string
		yaml    string
		wantErr string // "" for valid
	}{
		{"festival", "name: a\nlanguage: en\nengine:\n  name: festival\n  voice: cmu_us_slt_arctic_hts\n", ""},
		{"recorded flac", "name: a\nlanguage: en-GB\nengine: {name: recorded}\nclips: {format: flac}\n", ""},
		{"mp3 defaults", "name: a\nlanguage: en\nengine: {name: flite}\nclips: {format: mp3}\n", ""},
		{"command", "name: a\nlanguage: en\nengine: {name: command, command: [piper, --output_file, \"{out}\"]}\n", ""},
		{"unknown field", "name: a\nlanguage: en\nengine: {name: flite}\nspeed: 3\n", `[4:1] unknown field "speed"`},
		{"duplicate field", "name: a\nname: b\nlanguage: en\nengine: {name: flite}\n", "[2:1] mapping key \"name\" already defined"},
		{"not yaml", "name: [a\n", "narration: voice.yaml:"},
		{"unknown engine", "name: a\nlanguage: en\nengine: {name: sapi}\n", `voice.yaml:3:16: engine: unknown engine "sapi"`},
		{"bad festival voice", "name: a\nlanguage: en\nengine: {name: festival, voice: \"x) (system\"}\n", `voice.yaml:3:33: engine: festival voice "x) (system"`},
		{"unknown flite voice", "name: a\nlanguage: en\nengine: {name: flite, voice: bob}\n", `flite voice "bob"`},
		{"command without out", "name: a\nlanguage: en\nengine: {name: command, command: [piper]}\n", "put {out} in one argument"},
		{"command without program", "name: a\nlanguage: en\nengine: {name: command}\n", "voice.yaml:3:9: engine: the command engine needs a command"},
		{"recorded with voice", "name: a\nlanguage: en\nengine: {name: recorded, voice: x}\n", "recorded voice has no engine voice"},
		{"bad language", "name: a\nlanguage: english!\nengine: {name: flite}\n", `voice.yaml:2:11: language "english!"`},
		{"empty name and bad format", "name: ''\nlanguage: en\nengine: {name: flite}\nclips: {format: ogg}\n", "voice.yaml:1:7: name is empty\nnarration: voice.yaml:4:17: clips: format \"ogg\""},
		{"mp3 rate", "name: a\nlanguage: en\nengine: {name: flite}\nclips: {format: mp3, sample_rate: 11025}\n", "MP3 cannot store 11025 Hz"},
		{"mp3 bitrate", "name: a\nlanguage: en\nengine: {name: flite}\nclips: {format: mp3, bitrate: 33}\n", "no 33 kbit/s"},
		{"bitrate on wav", "name: a\nlanguage: en\nengine: {name: flite}\nclips: {bitrate: 32}\n", "bitrate applies to mp3"},
		{"loudness", "name: a\nlanguage: en\nengine: {name: flite}\nclips: {loudness: -3}\n", "loudness -3 LUFS"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m, err := ParseManifest("voice.yaml", []byte(tc.yaml))
			if tc.wantErr == "" {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				data, err := m.Marshal()
				if err != nil {
					t.Fatal(err)
				}
				if !strings.HasSuffix(string(data), "\n") {
					t.Errorf("marshalled manifest does not end in a newline: %q", data)
				}
				again, err := ParseManifest("again", data)
				if err != nil {
					t.Fatalf("marshalled manifest does not parse: %v\n%s", err, data)
				}
				if again.Identity() != m.Identity() || again.Clips != m.Clips || again.Name != m.Name {
					t.Errorf("round trip changed the manifest:\n%s", data)
				}
				return
			}
			if err == nil {
				t.Fatalf("no error, want one containing %q", tc.wantErr)
			}
			if !strings.Contains(err.Error(), tc.wantErr) || !strings.HasPrefix(err.Error(), "narration: ") {
				t.Errorf("error %q, want it to start with narration: and contain %q", err, tc.wantErr)
			}
		})
	}
}

func TestCreateKeepsEngine(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "v")
	v, err := Create(dir, Manifest{Language: "en", Engine: EngineSpec{Name: "espeak-ng"}})
	if err != nil {
		t.Fatal(err)
	}
	if v.Manifest.Name != "v" || v.Manifest.Engine.Voice != "en" {
		t.Errorf("new voice %+v: want name v and the espeak-ng voice en written down", v.Manifest)
	}
	if _, err := Create(dir, Manifest{Language: "en", Engine: EngineSpec{Name: "espeak-ng", Voice: "en"}}); err != nil {
		t.Errorf("reopening with the same engine: %v", err)
	}
	_, err = Create(dir, Manifest{Language: "en", Engine: EngineSpec{Name: "flite"}})
	if err == nil || !strings.Contains(err.Error(), "made with espeak-ng (voice en), not flite (voice slt)") {
		t.Errorf("reopening with another engine: %v, want a refusal naming both", err)
	}
	if err := v.SetClips(ClipFormat{Format: "flac", SampleRate: 16000}); err != nil {
		t.Fatal(err)
	}
	again, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if again.Manifest.Clips.Format != "flac" || again.Manifest.Clips.SampleRate != 16000 {
		t.Errorf("SetClips was not saved: %+v", again.Manifest.Clips)
	}
	if err := v.SetClips(ClipFormat{Format: "aiff"}); err == nil {
		t.Error("SetClips accepted aiff")
	}
}

func TestOpenNotAVoice(t *testing.T) {
	dir := t.TempDir()
	if _, err := Open(dir); err == nil || !strings.Contains(err.Error(), "is not a voice") {
		t.Errorf("Open of an empty folder: %v", err)
	}
	os.WriteFile(filepath.Join(dir, ManifestFile), []byte("name: x\nlanguage: en\nengine: {name: flite}\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "a-2042aa65c62b698e.wav"), nil, 0o644)
	os.WriteFile(filepath.Join(dir, "b-2042aa65c62b698e.mp3"), nil, 0o644)
	if _, err := Open(dir); err == nil || !strings.Contains(err.Error(), "clips of the same line") {
		t.Errorf("Open with two clips of one key: %v", err)
	}
}

func FuzzParseManifest(f *testing.F) {
	testtool.AddSeeds(f, filepath.Join("testdata", "*.yaml"))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := ParseManifest("fuzz.yaml", data)
		if err != nil {
			return
		}
		out, err := m.Marshal()
		if err != nil {
			t.Fatalf("valid manifest does not marshal: %v", err)
		}
		again, err := ParseManifest("again", out)
		if err != nil {
			t.Fatalf("marshalled manifest does not parse: %v\n%s", err, out)
		}
		if again.Identity() != m.Identity() {
			t.Errorf("identity changed in a round trip: %q, %q", m.Identity(), again.Identity())
		}
	})
}

func TestManifestRefusesControls(t *testing.T) {
	for _, tc := range []struct{ src, want string }{
		{"name: \"x\\e[2J\"\nlanguage: en\nengine: {name: recorded}\n", "name: ESC (U+001B)"},
		{"name: x\nlanguage: en\ncredit: \"a\\u202eb\"\nengine: {name: recorded}\n", "credit: bidirectional control U+202E"},
		{"name: x\nlanguage: en\nengine: {name: command, command: [prog, \"a\\0b\", \"{out}\"]}\n", "engine.command: argument 2: NUL (U+0000)"},
	} {
		_, err := ParseManifest("voice.yaml", []byte(tc.src))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("ParseManifest(%q) = %v, want %q", tc.src, err, tc.want)
		}
	}
}

func TestOpenRefusesFIFOManifest(t *testing.T) {
	dir := t.TempDir()
	testtool.Mkfifo(t, filepath.Join(dir, ManifestFile))
	done := make(chan error, 1)
	go func() { _, err := Open(dir); done <- err }()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), "voice.yaml is not a regular file") {
			t.Fatalf("err = %v", err)
		}
	case <-time.After(10 * time.Second): // a hang, not slowness
		t.Fatal("Open blocked on a FIFO")
	}
}

func TestManifestRefusesHostileYAML(t *testing.T) {
	for _, tc := range []struct{ src, want string }{
		{"name: &a x\nlanguage: en\nengine: {name: recorded}\n", "narration: voice.yaml:1:7: anchors, aliases and tags are not supported"},
		{"name: x\nlanguage: en\nengine: {name: command, command: [a, *b, \"{out}\"]}\n", "narration: voice.yaml:3:38: anchors, aliases and tags are not supported"},
		{"name: " + strings.Repeat("[", 1000) + "\n", "narration: voice.yaml:1:71: lists or mappings nested more than 64 deep"},
		{"name: x\x1b[2J\n", "narration: voice.yaml:1:8: ESC (U+001B), which starts terminal escape sequences may not appear in this file"},
		{"name: x\x00\n", "narration: voice.yaml:1:8: a NUL byte here; this looks like binary data"},
	} {
		_, err := ParseManifest("voice.yaml", []byte(tc.src))
		if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("ParseManifest(%q) = %v, want %q", tc.src, err, tc.want)
		}
	}
}

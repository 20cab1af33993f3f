package pack

import (
	"context"
	"encoding/binary"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"routinecast/internal/testtool"
	"routinecast/pack/packtest"
)

// writeTone writes a second of a quiet tone as a 16-bit WAV file.
func writeTone(t *testing.T, path string) {
	testtool.WriteWAV(t, path, 22050, 1, testtool.Sawtooth(22050, 50, 0.1))
}

// firstClip is the name of one WAV clip in the test voice.
func firstClip(t *testing.T, dir string) string {
	t.Helper()
	m, _ := filepath.Glob(filepath.Join(dir, packtest.VoiceDir, "*.wav"))
	if len(m) == 0 {
		t.Fatal("the test voice has no clips")
	}
	return m[0]
}

// TestCheck breaks one thing each in the tiny pack that Load accepts and
// Build would fail on; Check reports it at the field that names the file.
func TestCheck(t *testing.T) {
	tests := []struct {
		name  string
		edit  func(src string) string
		setup func(t *testing.T, dir string)
		want  string // the whole error, DIR for the folder
	}{
		{"valid", nil, nil, ""},
		{"valid with music", func(s string) string { return s + "    music: bed.wav\n" }, func(t *testing.T, dir string) { writeTone(t, filepath.Join(dir, "bed.wav")) }, ""},
		{"voice folder is not a voice", func(s string) string { return strings.Replace(s, "voice: voice", "voice: empty", 1) },
			func(t *testing.T, dir string) { os.Mkdir(filepath.Join(dir, "empty"), 0o755) },
			"DIR/tiny-pack.yaml:19:12: episode 1: voice: narration: DIR/empty is not a voice: it has no voice.yaml"},
		{"voice lacks a clip", nil, func(t *testing.T, dir string) { os.Remove(firstClip(t, dir)) },
			"DIR/tiny-pack.yaml:19:12: episode 1: DIR/voice has no clip for 1 of the"},
		{"clip header promises more than the file holds", nil, func(t *testing.T, dir string) {
			clip := firstClip(t, dir)
			f, err := os.OpenFile(clip, os.O_WRONLY, 0)
			if err != nil {
				t.Fatal(err)
			}
			var n [4]byte
			binary.LittleEndian.PutUint32(n[:], 10_000_000)
			f.WriteAt(n[:], 40)
			f.Close()
		}, "DIR/tiny-pack.yaml:19:12: episode 1: 1 of the clips of DIR/voice do not decode, the first: narration: audio: breathe-in-"},
		{"music is not audio", func(s string) string { return s + "    music: bed.mp3\n" },
			func(t *testing.T, dir string) {
				os.WriteFile(filepath.Join(dir, "bed.mp3"), []byte("<html>not music, but long enough to sniff</html>"), 0o644)
			},
			"DIR/tiny-pack.yaml:24:12: episode 2: music: does not decode: audio: DIR/bed.mp3: no MPEG audio frame found: unsupported audio format"},
		{"music cut short", func(s string) string { return s + "    music: bed.wav\n" }, func(t *testing.T, dir string) {
			p := filepath.Join(dir, "bed.wav")
			writeTone(t, p)
			os.Truncate(p, 1000)
		}, "DIR/tiny-pack.yaml:24:12: episode 2: music: does not decode: audio: DIR/bed.wav: wav: the header says 44100 bytes of audio, the file holds 956"},
		{"cover cut short", nil, func(t *testing.T, dir string) {
			p := filepath.Join(dir, packtest.CoverFile)
			st, _ := os.Stat(p)
			os.Truncate(p, st.Size()/2)
		}, "DIR/tiny-pack.yaml:6:8: cover: DIR/cover.png does not decode as an image: png: invalid format: not enough pixel data"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			file := packtest.Write(t, dir)
			if tc.edit != nil {
				os.WriteFile(file, []byte(tc.edit(string(packtest.PackYAML()))), 0o644)
			}
			if tc.setup != nil {
				tc.setup(t, dir)
			}
			p, err := Load(file)
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			err = Check(context.Background(), p)
			want := strings.ReplaceAll(tc.want, "DIR", dir)
			switch {
			case want == "" && err != nil:
				t.Fatalf("Check: %v", err)
			case want == "":
			case err == nil:
				t.Fatalf("no error; want %s", want)
			case !strings.HasPrefix(err.Error(), want):
				t.Errorf("error:\n%v\nwant it to start:\n%s", err, want)
			}
		})
	}
}

func TestCheckCancelled(t *testing.T) {
	dir := t.TempDir()
	p, err := Load(packtest.Write(t, dir))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := Check(ctx, p); err != context.Canceled {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}

package narration

import (
	"bytes"
	"context"
	"io/fs"
	"sort"
	"strings"
	"testing"

	"github.com/gopxl/beep/v2"

	"routinecast/audio"
	"routinecast/internal/testtool/routinetest"
	"routinecast/routines"
)

func TestClipSet(t *testing.T) {
	v := fakeVoice(t, "speak", ClipFormat{})
	lines := []string{"One two three four.", "Five."}
	if _, err := Render(context.Background(), v, lines, RenderOptions{}); err != nil {
		t.Fatal(err)
	}
	for _, sr := range []int{16000, 44100, 48000} {
		set := v.Clips(beepRate(sr))
		for _, l := range lines {
			name, _ := v.ClipFile(l)
			data, err := fs.ReadFile(v.fsys, name)
			if err != nil {
				t.Fatal(err)
			}
			stored, format, err := audio.Decode(readSeekNopCloser{bytes.NewReader(data)}, name)
			if err != nil {
				t.Fatal(err)
			}
			stored.Close()
			s, err := set.Open(l)
			if err != nil {
				t.Fatal(err)
			}
			// Resampling keeps the length in time: exactly ceil(n·to/from).
			want := (stored.Len()*sr + int(format.SampleRate) - 1) / int(format.SampleRate)
			if s.Len() != want {
				t.Errorf("%d Hz, %q: Len %d, want %d", sr, l, s.Len(), want)
			}
			buf := make([][2]float64, s.Len()+10)
			n, _ := s.Stream(buf)
			if n != s.Len() || s.Position() != n {
				t.Errorf("streamed %d of %d samples", n, s.Len())
			}
			if err := s.Seek(0); err != nil || s.Position() != 0 {
				t.Errorf("Seek(0): %v", err)
			}
			// A fresh stream each call, with the same samples (the
			// second may come from the set's cache).
			s.Seek(s.Len() / 2)
			s2, err := set.Open(l)
			if err != nil {
				t.Fatal(err)
			}
			if s2.Position() != 0 || s2.Len() != s.Len() {
				t.Errorf("second Open at %d of %d, want 0 of %d", s2.Position(), s2.Len(), s.Len())
			}
			buf2 := make([][2]float64, s2.Len())
			s2.Stream(buf2)
			for i := range buf2 {
				if buf2[i] != buf[i] {
					t.Fatalf("second Open differs at sample %d", i)
				}
			}
			s.Close()
		}
	}
	_, err := v.Clips(44100).Open("A line nobody rendered.")
	if err == nil || !strings.Contains(err.Error(), `"A line nobody rendered."`) || !strings.Contains(err.Error(), "voice render") {
		t.Errorf("unknown line: %v", err)
	}
}

// ClipLen, which reads only headers, agrees with the decoded clip for every
// clip of the embedded voice, at the rates the mixer uses.
func TestClipLenMatchesDecodedLength(t *testing.T) {
	v := Default()
	files, _ := fs.Glob(v.fsys, "*"+v.Manifest.Clips.ext())
	if len(files) == 0 {
		t.Fatal("the embedded voice has no clips")
	}
	lines := routinetest.Script(t, "lower-back", routines.Full).Lines()
	sort.Strings(lines)
	for _, sr := range []beep.SampleRate{44100, 48000, 24000} {
		cs := v.Clips(sr)
		for i, text := range lines {
			if i%8 != 0 { // a spread is enough; decoding is slow
				continue
			}
			n, err := cs.ClipLen(text)
			if err != nil {
				t.Fatal(err)
			}
			s, err := cs.Open(text)
			if err != nil {
				t.Fatal(err)
			}
			if s.Len() != n {
				t.Errorf("%d Hz %q: ClipLen %d, decoded %d", sr, text, n, s.Len())
			}
			s.Close()
		}
	}
}

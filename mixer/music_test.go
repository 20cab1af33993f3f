package mixer

import (
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/gopxl/beep/v2"

	"routinecast/audio"
	"routinecast/internal/testtool"
)

// writeMusic writes 1.3 s of a two-tone chord at 48 kHz with one of package
// audio's encoders.
func writeMusic(t *testing.T, path string, flac bool) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	opt := audio.EncodeOptions{SampleRate: 48000, Channels: 2}
	var enc audio.Encoder
	if flac {
		enc, err = audio.NewFLACEncoder(f, opt)
	} else {
		enc, err = audio.NewWAVEncoder(f, opt)
	}
	if err != nil {
		t.Fatal(err)
	}
	s := make([][2]float64, 48000*13/10)
	for i := range s {
		x := float64(i) / 48000
		s[i] = [2]float64{0.4 * math.Sin(2*math.Pi*440*x), 0.4 * math.Sin(2*math.Pi*660*x)}
	}
	if err := enc.Write(s); err != nil {
		t.Fatal(err)
	}
	if err := enc.Close(); err != nil {
		t.Fatal(err)
	}
}

// TestMusicFromFiles plays a music bed decoded by package audio from WAV,
// FLAC and MP3 (made by ffmpeg): the bed must be there, looped, and a seek
// must give the samples a read from the start gives, through the decoder's
// own seeks at every loop.
func TestMusicFromFiles(t *testing.T) {
	dir := t.TempDir()
	for _, format := range []string{"wav", "flac", "mp3"} {
		t.Run(format, func(t *testing.T) {
			path := filepath.Join(dir, "bed."+format)
			switch format {
			case "wav":
				writeMusic(t, path, false)
			case "flac":
				writeMusic(t, path, true)
			case "mp3":
				ffmpeg := testtool.Require(t, "ffmpeg")
				src := filepath.Join(dir, "src.wav")
				writeMusic(t, src, false)
				testtool.Output(t, ffmpeg, "-nostdin", "-v", "error", "-y", "-i", src, "-b:a", "128k", path)
			}
			c := fake()
			o := Options{Music: MusicOptions{Source: MusicFunc(func() (beep.StreamSeekCloser, beep.Format, error) { return audio.Open(path) })}}
			tl := compile(t, mixed(), c, o)
			whole := render(t, tl, c, RenderOptions{})
			// The bed alone, in the first hold: the left channel at 440 Hz, the
			// right at 660, each at -20 dB of 0.4.
			h := events(tl, Hold)[0]
			w := whole[h.Start+sr : h.Start+sr+4410]
			left := 2 * math.Sqrt(goertzel(w, 440, sr))
			var right [][2]float64
			for _, v := range w {
				right = append(right, [2]float64{v[1], v[0]})
			}
			r660 := 2 * math.Sqrt(goertzel(right, 660, sr))
			if want := 0.04; math.Abs(left-want) > 0.004 || math.Abs(r660-want) > 0.004 {
				t.Errorf("bed at %.4f (440 Hz, left) and %.4f (660 Hz, right), want %.3f", left, r660, want)
			}
			r, err := Render(tl, c, RenderOptions{})
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			for _, p := range []int{tl.Length / 3, 1000, tl.Length - 5000, 48000*13/10*441/480 - 10} {
				if err := r.Seek(p); err != nil {
					t.Fatal(err)
				}
				buf := make([][2]float64, 3000)
				n, _ := r.Stream(buf)
				for i := range buf[:n] {
					if buf[i] != whole[p+i] {
						t.Fatalf("sample %d after seeking to %d: %v, from the start %v", p+i, p, buf[i], whole[p+i])
					}
				}
			}
			if err := r.Err(); err != nil {
				t.Fatal(err)
			}
		})
	}
}

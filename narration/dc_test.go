package narration

import (
	"bytes"
	"io/fs"
	"math"
	"path/filepath"
	"testing"

	"routinecast/audio"
)

// dcFigures are what a listener's headphones get of a clip's offset: its
// mean over the whole clip and over its speech (20 ms windows within 40 dB
// of its loudest), and the step at each edge (its first and last sample), in
// dBFS.
type dcFigures struct{ whole, speech, first, last float64 }

func dbfs(x float64) float64 { return 20 * math.Log10(math.Abs(x)+1e-12) }

func measureDC(s []float64, sr int) dcFigures {
	var sum float64
	for _, v := range s {
		sum += v
	}
	w := sr / 50
	var peak float64
	rms := make([]float64, len(s)/w)
	for i := range rms {
		var p float64
		for _, v := range s[i*w : (i+1)*w] {
			p += v * v
		}
		rms[i] = math.Sqrt(p / float64(w))
		peak = max(peak, rms[i])
	}
	var ssum float64
	var sn int
	for i, r := range rms {
		if r > peak/100 {
			for _, v := range s[i*w : (i+1)*w] {
				ssum += v
			}
			sn += w
		}
	}
	return dcFigures{dbfs(sum / float64(len(s))), dbfs(ssum / float64(max(sn, 1))), dbfs(s[0]), dbfs(s[len(s)-1])}
}

// TestEmbeddedClipsHaveNoDC plays every clip of the embedded voice as the
// mixer gets it and checks its offset and edges are under -60 dBFS; the
// figures of the same clips decoded without the cleaning are logged beside.
func TestEmbeddedClipsHaveNoDC(t *testing.T) {
	v := Default()
	const sr = 44100
	worst, raw := dcFigures{-200, -200, -200, -200}, dcFigures{-200, -200, -200, -200}
	names, err := fs.Glob(v.fsys, "*"+v.Manifest.Clips.ext())
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, name := range names {
		text := name
		data, err := v.readClip(name)
		if err != nil {
			t.Fatal(err)
		}
		// As the voice's clip set decodes it for the mixer.
		pcm, err := decodeBytes(data, name, sr)
		if err != nil {
			t.Fatal(err)
		}
		s := make([]float64, len(pcm))
		for i := range s {
			s[i] = float64(pcm[i]) / 32767
		}
		f := measureDC(s, sr)
		worst = dcFigures{max(worst.whole, f.whole), max(worst.speech, f.speech), max(worst.first, f.first), max(worst.last, f.last)}
		if f.whole > -60 || f.speech > -60 || f.first > -60 || f.last > -60 {
			t.Errorf("clip %q: DC %.1f dBFS (%.1f in speech), edges %.1f and %.1f dBFS, want all under -60", text, f.whole, f.speech, f.first, f.last)
		}
		// The same clip decoded as it is stored.
		d, format, err := audio.Decode(readSeekNopCloser{bytes.NewReader(data)}, name)
		if err != nil {
			t.Fatal(err)
		}
		pcm, err = audio.LoadMono16(d, format.SampleRate, sr)
		d.Close()
		if err != nil {
			t.Fatal(err)
		}
		for i := range s[:len(pcm)] {
			s[i] = float64(pcm[i]) / 32767
		}
		r := measureDC(s[:len(pcm)], sr)
		raw = dcFigures{max(raw.whole, r.whole), max(raw.speech, r.speech), max(raw.first, r.first), max(raw.last, r.last)}
		n++
	}
	if n == 0 {
		t.Fatal("the embedded voice has no clips")
	}
	t.Logf("%d clips as played: worst DC %.1f dBFS (%.1f in speech), worst edges %.1f / %.1f dBFS", n, worst.whole, worst.speech, worst.first, worst.last)
	t.Logf("as stored:            worst DC %.1f dBFS (%.1f in speech), worst edges %.1f / %.1f dBFS", raw.whole, raw.speech, raw.first, raw.last)
}

// TestFinishClipRemovesDC renders a clip from a recording with a -30 dBFS
// offset and a 10 Hz rumble: the clip has neither, and starts and ends at
// silence.
func TestFinishClipRemovesDC(t *testing.T) {
	dir := t.TempDir()
	const sr = 16000
	src := filepath.Join(dir, "in.wav")
	s := toneBurst(sr, 0.3, 1.5, 0.3, 0.3)
	for i := range s {
		v := s[i][0] + 0.03 + 0.02*math.Sin(2*math.Pi*10*float64(i)/sr)
		s[i] = [2]float64{v, v}
	}
	if err := writeTestWAV(src, sr, s); err != nil {
		t.Fatal(err)
	}
	for _, f := range []ClipFormat{{}, {Format: "mp3"}} {
		dst := filepath.Join(dir, "out"+f.ext())
		if err := finishClip(src, dst, f); err != nil {
			t.Fatal(err)
		}
		c, err := decodeFile(dst)
		if err != nil {
			t.Fatal(err)
		}
		x := make([]float64, c.Len())
		for i, v := range c.Samples {
			x[i] = v[0]
		}
		m := measureDC(x, int(c.Rate))
		// The rumble: what is left at 10 Hz.
		var re, im float64
		for i, v := range x {
			ph := 2 * math.Pi * 10 * float64(i) / float64(c.Rate)
			re += v * math.Cos(ph)
			im += v * math.Sin(ph)
		}
		rumble := 2 * math.Hypot(re, im) / float64(len(x))
		t.Logf("%s: DC %.1f dBFS (%.1f in speech), edges %.1f / %.1f dBFS, 10 Hz at %.1f dBFS", f.resolved().Format, m.whole, m.speech, m.first, m.last, dbfs(rumble))
		if m.whole > -60 || m.speech > -60 || m.first > -60 || m.last > -60 || dbfs(rumble) > -50 {
			t.Errorf("%s: DC %.1f dBFS (%.1f in speech), edges %.1f / %.1f dBFS, 10 Hz at %.1f dBFS; want DC and edges under -60, rumble under -50", f.resolved().Format, m.whole, m.speech, m.first, m.last, dbfs(rumble))
		}
	}
}

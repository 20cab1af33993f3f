package mixer

import (
	"math"
	"testing"
	"time"

	"routinecast/audio/loudness"
)

// TestBedLoopsWithoutSeam plays each built-in bed across its loop point,
// as the music bed plays it under a track longer than the loop: the samples
// there are the bed's own sum continued in time (the loop holds exactly
// whole cycles of everything in it), and the step from the last sample to
// the first is no larger than the steps inside the loop.
func TestBedLoopsWithoutSeam(t *testing.T) {
	for _, name := range BedNames() {
		t.Run(name, func(t *testing.T) {
			d := bedDesigns[name]
			loop, err := bedLoop(name)
			if err != nil {
				t.Fatal(err)
			}
			// The gain the loop was made with.
			var g float64
			for n := 1000; n < 1100; n++ {
				if s := d.sample(n)[0]; math.Abs(s) > 1e-3 {
					g = float64(loop[n][0]) / s
					break
				}
			}
			for n := bedLen - 200; n < bedLen+200; n++ {
				want := g * d.sample(n)[0]
				if got := float64(loop[n%bedLen][0]); math.Abs(got-want) > 1e-4*math.Abs(g)+1e-6 {
					t.Fatalf("sample %d of the loop is %g, the bed continued in time is %g", n, got, want)
				}
			}
			var maxStep float64
			for n := 1; n < bedLen; n++ {
				maxStep = max(maxStep, math.Abs(float64(loop[n][0]-loop[n-1][0])), math.Abs(float64(loop[n][1]-loop[n-1][1])))
			}
			seam := max(math.Abs(float64(loop[0][0]-loop[bedLen-1][0])), math.Abs(float64(loop[0][1]-loop[bedLen-1][1])))
			if seam > maxStep {
				t.Errorf("step at the loop point %g, largest step inside the loop %g", seam, maxStep)
			}
			m := loudness.NewMeter(bedRate, 2)
			x := make([][2]float64, bedLen)
			var peak float64
			for n, v := range loop {
				x[n] = [2]float64{float64(v[0]), float64(v[1])}
				peak = max(peak, math.Abs(x[n][0]), math.Abs(x[n][1]))
			}
			m.Write(x)
			t.Logf("%s: %.1f LUFS, sample peak %.1f dBFS, seam step %.2g (largest step %.2g)", name, m.Integrated(), 20*math.Log10(peak), seam, maxStep)
			if peak > 1 {
				t.Errorf("peak %g over full scale", peak)
			}
		})
	}
}

// TestBedUnderTrack renders a track longer than a loop with the calm bed:
// it is heard where the voice is silent, ducked under the voice, and the
// same samples come back after a seek.
func TestBedUnderTrack(t *testing.T) {
	src, ok := Bed("calm")
	if !ok {
		t.Fatal("no calm bed")
	}
	if _, ok := Bed("no-such-bed"); ok {
		t.Fatal("a bed that does not exist")
	}
	s := script(say("Lie on your back."), hold(55*time.Second), say("Well done."))
	c := fake()
	tl := compile(t, s, c, Options{Music: MusicOptions{Source: src}})
	bed := render(t, tl, c, RenderOptions{NoLimit: true})
	dry := render(t, withoutMusic(tl), c, RenderOptions{NoLimit: true})
	level := func(a, b int) float64 {
		var p float64
		for j := a; j < b; j++ {
			d := bed[j][0] - dry[j][0]
			p += d * d
		}
		return 10 * math.Log10(p/float64(b-a))
	}
	l := tl.Lines[0]
	h := events(tl, Hold)[0]
	in, under := level(h.Start+5*sr, h.Start+15*sr), level(l.Start+sr/4, l.End-sr/4)
	t.Logf("bed at %.1f dBFS in the hold, %.1f dBFS under the voice", in, under)
	if in < -60 || in-under < 8 {
		t.Errorf("bed at %.1f dBFS in the hold, %.1f dBFS under the voice: want it heard, and ducked by 8 dB or more", in, under)
	}
}

func withoutMusic(tl *Timeline) *Timeline {
	c := *tl
	c.Options.Music.Source = nil
	return &c
}

package loudness

import (
	"math"
	"math/rand/v2"
	"testing"

	"routinecast/internal/dsp"
)

// segment is a stretch of a stereo sine.
type segment struct {
	seconds float64
	dbfs    float64 // peak level; -Inf for silence
}

// sineSegments renders 1 kHz stereo sine segments, phase-continuous.
func sineSegments(rate int, freq float64, segs ...segment) [][2]float64 {
	var out [][2]float64
	i := 0
	for _, s := range segs {
		a := math.Pow(10, s.dbfs/20)
		for range int(math.Round(s.seconds * float64(rate))) {
			v := a * math.Sin(2*math.Pi*freq*float64(i)/float64(rate))
			out = append(out, [2]float64{v, v})
			i++
		}
	}
	return out
}

func measure(samples [][2]float64, rate, channels int) Result {
	m := NewMeter(rate, channels)
	for len(samples) > 0 { // in uneven pieces, as a stream comes
		n := min(len(samples), 1237)
		m.Write(samples[:n])
		samples = samples[n:]
	}
	return m.Result()
}

// TestEBUTech3341 runs the minimum-requirement signals of EBU Tech 3341
// (cases 1-5: stereo 1 kHz sines, steady and with quiet and very quiet
// parts that the gates must drop), at 48 and 44.1 kHz.
func TestEBUTech3341(t *testing.T) {
	cases := []struct {
		name string
		segs []segment
		want float64
	}{
		{"1: -23 dBFS", []segment{{20, -23}}, -23},
		{"2: -33 dBFS", []segment{{20, -33}}, -33},
		{"3: -36/-23/-36", []segment{{10, -36}, {60, -23}, {10, -36}}, -23},
		{"4: -72/-36/-23/-36/-72", []segment{{10, -72}, {10, -36}, {60, -23}, {10, -36}, {10, -72}}, -23},
		{"5: -26/-20/-26", []segment{{20, -26}, {20.1, -20}, {20, -26}}, -23},
	}
	for _, rate := range []int{48000, 44100} {
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				s := sineSegments(rate, 1000, tc.segs...)
				r := measure(s, rate, 2)
				t.Logf("%d Hz: %.3f LUFS", rate, r.Integrated)
				if math.Abs(r.Integrated-tc.want) > 0.1 {
					t.Errorf("%d Hz: integrated %.3f LUFS, want %.1f ±0.1", rate, r.Integrated, tc.want)
				}
				if got := Integrated(s, rate, 2); got != r.Integrated {
					t.Errorf("%d Hz: Integrated %.6f LUFS, the meter %.6f", rate, got, r.Integrated)
				}
			})
		}
	}
}

func TestSilenceAndShort(t *testing.T) {
	const rate = 48000
	tests := []struct {
		name    string
		samples [][2]float64
		want    float64 // LUFS
		tol     float64
	}{
		{"empty", nil, math.Inf(-1), 0},
		{"digital silence", make([][2]float64, rate), math.Inf(-1), 0},
		{"below the absolute gate", sineSegments(rate, 1000, segment{5, -75}), math.Inf(-1), 0},
		{"300 ms, one short block", sineSegments(rate, 1000, segment{0.3, -23}), -23, 0.1},
		{"half a second", sineSegments(rate, 1000, segment{0.5, -20}), -20, 0.1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := measure(tc.samples, rate, 2).Integrated
			if math.IsInf(tc.want, -1) {
				if !math.IsInf(got, -1) {
					t.Errorf("integrated %.3f, want -Inf", got)
				}
				return
			}
			if math.Abs(got-tc.want) > tc.tol {
				t.Errorf("integrated %.3f, want %.1f", got, tc.want)
			}
		})
	}
}

func TestMonoIsOneChannel(t *testing.T) {
	// The same sine measured as mono reads 3.01 LU below stereo (both
	// channels count), as in BS.1770 and ffmpeg's default.
	s := sineSegments(44100, 1000, segment{3, -20})
	mono, stereo := measure(s, 44100, 1).Integrated, measure(s, 44100, 2).Integrated
	if d := stereo - mono; math.Abs(d-10*math.Log10(2)) > 0.001 {
		t.Errorf("stereo - mono = %.4f LU, want 3.0103", d)
	}
}

// TestTruePeakSines checks the interpolator on sines at phases that put the
// samples off the crest, from low frequencies to 80% of Nyquist. A 4x
// oversampled meter sees the sine only at its 4x grid, so the reference is
// the sine's largest value on that grid (up to 0.44 dB below the amplitude
// at 0.4·fs, as BS.1770-4 Annex 2 notes), and the test measures the
// interpolation filter's error against it. The sines fade in and out over
// 20 ms: an abrupt start is a step, whose band-limited reconstruction truly
// overshoots.
func TestTruePeakSines(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for _, rate := range []int{44100, 48000} {
		worst := 0.0
		for _, frac := range []float64{0.01, 0.05, 0.1, 0.2, 0.25, 0.3, 0.35, 0.4} {
			for range 8 {
				freq := frac * float64(rate)
				phase := rng.Float64() * 2 * math.Pi
				const a = 0.5
				s := make([][2]float64, rate/5)
				fade := rate / 50
				grid := 0.0
				for i := range s {
					v := a * math.Sin(2*math.Pi*freq*float64(i)/float64(rate)+phase)
					if k := min(i, len(s)-1-i); k < fade {
						v *= (1 - math.Cos(math.Pi*float64(k)/float64(fade))) / 2
					} else {
						for p := range 4 {
							x := (float64(i) + float64(p)/4) / float64(rate)
							grid = math.Max(grid, math.Abs(a*math.Sin(2*math.Pi*freq*x+phase)))
						}
					}
					s[i] = [2]float64{v, v}
				}
				m := NewMeter(rate, 1)
				m.Write(s)
				err := m.TruePeak() - dsp.Decibels(grid)
				worst = math.Max(worst, math.Abs(err))
				if math.Abs(err) > 0.1 {
					t.Errorf("%d Hz: sine at %.0f Hz, phase %.2f: true peak %.3f dB, 4x grid peak %.3f dB",
						rate, freq, phase, m.TruePeak(), dsp.Decibels(grid))
				}
				if m.TruePeak() < m.SamplePeak()-1e-12 {
					t.Errorf("true peak %.3f below sample peak %.3f", m.TruePeak(), m.SamplePeak())
				}
			}
		}
		t.Logf("%d Hz: worst interpolation error %.3f dB", rate, worst)
	}

	// fs/4 at 45°: samples at ±a/√2.
	s := make([][2]float64, 4800)
	for i := range s {
		v := 0.5 * math.Sin(math.Pi/2*float64(i)+math.Pi/4)
		s[i] = [2]float64{v, v}
	}
	r := measure(s, 48000, 2)
	if math.Abs(r.SamplePeak-dsp.Decibels(0.5/math.Sqrt2)) > 1e-9 || math.Abs(r.TruePeak-dsp.Decibels(0.5)) > 0.2 {
		t.Errorf("fs/4 at 45°: sample peak %.3f (want %.3f), true peak %.3f (want %.3f)",
			r.SamplePeak, dsp.Decibels(0.5/math.Sqrt2), r.TruePeak, dsp.Decibels(0.5))
	}
}

func TestOtherRates(t *testing.T) {
	// The recomputed filters give the same loudness at every rate for a
	// signal well inside the band.
	for _, rate := range []int{8000, 11025, 16000, 22050, 32000, 44100, 48000, 88200, 96000, 192000} {
		got := measure(sineSegments(rate, 1000, segment{5, -23}), rate, 2).Integrated
		if math.Abs(got+23) > 0.05 {
			t.Errorf("%d Hz: %.3f LUFS, want -23.0", rate, got)
		}
	}
}

// Quiet chunks skip the interpolation (see peakDetector.write): the true peak
// must be exactly what pushing every sample through it gives.
func TestTruePeakSkipIsExact(t *testing.T) {
	const n = 48000 * 3
	x := make([][2]float64, n)
	seed := uint64(7)
	for i := range x {
		seed = seed*6364136223846793005 + 1442695040888963407
		v := float64(int64(seed>>11))/float64(1<<53) - 0.5
		level := 0.02 // quiet, with loud bursts that land late in chunks
		if i%9000 > 8800 {
			level = 0.9 * float64(i) / n
		}
		x[i] = [2]float64{v * level, -v * level * 0.5}
	}
	chunked, single := NewMeter(48000, 2), NewMeter(48000, 2)
	for i := 0; i < n; i += 4096 {
		chunked.Write(x[i:min(i+4096, n)])
	}
	for i := range x {
		single.Write(x[i : i+1])
	}
	if a, b := chunked.TruePeak(), single.TruePeak(); a != b {
		t.Errorf("true peak %v in chunks, %v sample by sample", a, b)
	}
	if a, b := chunked.SamplePeak(), single.SamplePeak(); a != b {
		t.Errorf("sample peak %v in chunks, %v sample by sample", a, b)
	}
}

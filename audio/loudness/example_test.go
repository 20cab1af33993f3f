package loudness_test

import (
	"fmt"
	"math"

	"github.com/gopxl/beep/v2"

	"routinecast/audio/loudness"
)

// A 1 kHz sine at -20 dBFS peak in both channels of a stereo programme
// measures -20 LUFS (EBU Tech 3341's calibration, 3 dB above its -23).
func ExampleMeasure() {
	const rate = 48000
	amp := math.Pow(10, -20.0/20)
	i := 0
	sine := beep.StreamerFunc(func(buf [][2]float64) (int, bool) {
		for k := range buf {
			v := amp * math.Sin(2*math.Pi*1000*float64(i)/rate)
			buf[k] = [2]float64{v, v}
			i++
		}
		return len(buf), true
	})
	r, err := loudness.Measure(beep.Take(rate*10, sine), rate, 2)
	if err != nil {
		panic(err)
	}
	fmt.Printf("integrated %.1f LUFS, true peak %.1f dBTP\n", r.Integrated, r.TruePeak)
	// Output: integrated -20.0 LUFS, true peak -20.0 dBTP
}

// A Meter takes a stream in pieces; here a quiet passage and a loud one,
// where the relative gate drops the quiet part from the integrated value.
// The loud sine alone would read -9.0 LUFS; the three blocks that straddle
// the change are partly quiet but pass the gate, and bring it to -9.1.
func ExampleMeter() {
	const rate = 44100
	m := loudness.NewMeter(rate, 1)
	buf := make([][2]float64, rate)
	for sec := range 20 {
		amp := 0.5
		if sec < 10 {
			amp = 0.005 // 40 dB quieter
		}
		for i := range buf {
			v := amp * math.Sin(2*math.Pi*1000*float64(sec*rate+i)/rate)
			buf[i] = [2]float64{v, v}
		}
		m.Write(buf)
	}
	fmt.Printf("integrated %.1f LUFS, sample peak %.1f dBFS\n", m.Integrated(), m.SamplePeak())
	// Output: integrated -9.1 LUFS, sample peak -6.0 dBFS
}

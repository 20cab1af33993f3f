package narration

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"time"

	"github.com/gopxl/beep/v2"

	"routinecast/audio"
	"routinecast/audio/loudness"
	"routinecast/audio/mp3"
	"routinecast/internal/atomicfile"
	"routinecast/internal/dsp"
	"routinecast/internal/safefile"
)

// Silence trimming, applied once a clip is at its target loudness: sound is
// any 10 ms window within 30 dB of a -20 LUFS clip, and a little of the
// silence is kept so that a first consonant is not clipped.
const (
	trimThreshold = -50.0 // dBFS
	trimMargin    = 20 * time.Millisecond
)

// peakCeiling is the highest sample peak normalization may raise a clip to,
// in dBFS.
const peakCeiling = -1.0

// finishClip turns an engine's output or a recording at src into a clip at
// dst: decoded, folded to mono, brought to the format's loudness (once to
// set the trimming threshold, once more after trimming), rid of DC and
// subsonic energy, trimmed of leading and trailing silence, faded in and
// out over edgeFade, resampled to the format's rate and encoded
// in its format. dst is written through a temporary file, so it is never
// left half-written.
func finishClip(src, dst string, f ClipFormat) error {
	f = f.resolved()
	c, err := decodeFile(src)
	if err != nil {
		return err
	}
	if c.Len() == 0 {
		return errors.New("holds no audio")
	}
	removeDC(c.Samples, c.Rate)
	if err := normalize(c, f.Loudness); err != nil {
		return err
	}
	c.TrimSilence(trimThreshold, trimMargin)
	if c.Len() == 0 {
		return errors.New("holds only silence")
	}
	// Trimming drops blocks that were part silence, which measured
	// quieter: measure the trimmed clip again.
	if err := normalize(c, f.Loudness); err != nil {
		return err
	}
	if err := limitClip(c, f.Loudness); err != nil {
		return err
	}
	fadeEdges(c.Samples, c.Rate)
	if f.SampleRate != 0 && beep.SampleRate(f.SampleRate) != c.Rate {
		if c, err = audio.Load(c.Streamer(), c.Rate, beep.SampleRate(f.SampleRate), 1); err != nil {
			return fmt.Errorf("resampling: %w", err)
		}
	}
	return writeAtomic(dst, func(w io.WriteSeeker) error { return encodeClip(w, c.Samples, c.Rate, f) })
}

// decodeFile decodes a whole audio file into memory, as mono.
func decodeFile(path string) (*audio.Clip, error) {
	c, err := audio.LoadFile(path, 0, 1)
	if err != nil {
		return nil, fmt.Errorf("does not decode: %w", err)
	}
	return c, nil
}

// encodeClip writes mono samples in the clip format.
func encodeClip(w io.WriteSeeker, samples [][2]float64, sr beep.SampleRate, f ClipFormat) error {
	opt := audio.EncodeOptions{SampleRate: sr, Channels: 1, Length: len(samples), Dither: true}
	var (
		e   audio.Encoder
		err error
	)
	switch f.Format {
	case "mp3":
		e, err = mp3.NewEncoder(w, mp3.Options{SampleRate: int(sr), Channels: 1, Bitrate: f.Bitrate, Mode: mp3.Mono})
	case "flac":
		e, err = audio.NewFLACEncoder(w, opt)
	default:
		e, err = audio.NewWAVEncoder(w, opt)
	}
	if err != nil {
		return err
	}
	if err := e.Write(samples); err != nil {
		return err
	}
	return e.Close()
}

// writeAtomic writes a file through a temporary file in its folder, renamed
// into place only when write succeeds.
func writeAtomic(path string, write func(io.WriteSeeker) error) error {
	return atomicfile.Write(path, func(f *atomicfile.File) error { return write(f) })
}

// copyClip copies a recording unchanged, once it is known to decode and to
// hold sound.
func copyClip(src, dst string) error {
	c, err := decodeFile(src)
	if err != nil {
		return err
	}
	if c.Len() == 0 {
		return errors.New("holds no audio")
	}
	if math.IsInf(loudnessOf(c), -1) {
		return errors.New("holds only silence")
	}
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	return writeAtomic(dst, func(w io.WriteSeeker) error {
		_, err := io.Copy(w, in)
		return err
	})
}

// normalize brings a clip to target LUFS, held back so that its sample peak
// stays at or under peakCeiling. A clip whose loudness cannot be measured
// (below the absolute gate of BS.1770) holds only silence.
func normalize(c *audio.Clip, target float64) error {
	l := loudnessOf(c)
	if math.IsInf(l, -1) || math.IsNaN(l) {
		return errors.New("holds only silence")
	}
	var peak float64
	for _, s := range c.Samples {
		peak = max(peak, math.Abs(s[0]), math.Abs(s[1]))
	}
	gain := target - l
	if room := peakCeiling - dsp.Decibels(peak); gain > room {
		gain = room
	}
	c.Gain(gain)
	return nil
}

// loudnessOf is a mono clip's integrated loudness in LUFS (BS.1770-4), or
// -Inf for silence. A clip shorter than one 400 ms block counts as a single
// block of its whole length.
func loudnessOf(c *audio.Clip) float64 {
	return loudness.Integrated(c.Samples, int(c.Rate), 1)
}

// maxClipBytes bounds a clip file: a line is at most a few seconds, and even
// a minute of 48 kHz float WAV is 11 MB.
const maxClipBytes = 64 << 20

// readClip reads a clip file of the voice whole. A clip in a folder must be
// a regular file within maxClipBytes: something swapped in for a clip (a
// FIFO, a device, a huge file) is an error naming it, at once.
func (v *Voice) readClip(name string) ([]byte, error) {
	if v.dir == "" {
		return fs.ReadFile(v.fsys, name)
	}
	return safefile.ReadFile(context.Background(), filepath.Join(v.dir, name), maxClipBytes)
}

// readClipFS is readClip for a clip in any fs.FS.
func readClipFS(fsys fs.FS, name string) ([]byte, error) {
	return readRegularFS(fsys, name, "clip "+name, maxClipBytes)
}

// readRegularFS reads file name of fsys when it is a regular file of at
// most max bytes, checked by Stat first (which for a folder on disk follows
// links as opening would): a FIFO or device in its place must not block the
// program, nor a huge file swell it. what names the file in errors.
func readRegularFS(fsys fs.FS, name, what string, max int64) ([]byte, error) {
	st, err := fs.Stat(fsys, name)
	switch {
	case err != nil:
		return nil, err
	case !st.Mode().IsRegular():
		return nil, fmt.Errorf("%s is not a regular file", what)
	case st.Size() > max:
		return nil, fmt.Errorf("%s is %d bytes; at most %d", what, st.Size(), max)
	}
	return fs.ReadFile(fsys, name)
}

// maxPLR is the most a clip's sample peak may stand above its loudness, in
// dB. A track is brought to -16 LUFS with its true peak at -1 dBTP, which
// leaves its clips 15 dB; the track's own loudness sits about 1 LU under
// its clips' (pauses count against it), and 1 dB more is kept for the
// resampling and the MP3 coding of the clip. A peak above that is cut by the
// track's limiter, and a short word ("Right knee.") is mostly peak: it came
// out up to 3 dB quieter than long lines. Clips limited here pass the
// track's limiter untouched, short and long alike.
const maxPLR = 13.0

// limitLookahead is the half-width of the clip limiter's gain smoothing:
// long enough that the gain moves slower than the voice's pitch (no
// audible distortion), short enough to act on one syllable.
const limitLookahead = 8 * time.Millisecond

// limitClip holds a clip's sample peaks to target + maxPLR and brings it back
// to target loudness, over again until the gain that restores the loudness
// is under 0.01 dB (limiting lowers the loudness, the gain raises the
// peaks), at most 12 times, and limits once more. A clip ends a little under
// its loudness: 0.1 dB for one made mostly of peak (a 100 ms burst 22 dB
// over the rest of a 1 s clip).
func limitClip(c *audio.Clip, target float64) error {
	ceiling := dsp.Gain(target + maxPLR)
	w := c.Rate.N(limitLookahead)
	// One pair of buffers for every pass: a fresh pair a pass was most of
	// what a render allocated, and each collection it caused waited for the
	// lines running in the engine to reach a point where they could stop.
	sc := newPeakScratch(c.Len())
	for range 12 {
		limitPeaks(c.Samples, ceiling, w, sc)
		l := loudnessOf(c)
		if math.IsInf(l, -1) || math.IsNaN(l) {
			return errors.New("holds only silence")
		}
		g := target - l
		c.Gain(g)
		if g < 0.01 {
			break
		}
	}
	limitPeaks(c.Samples, ceiling, w, sc)
	return nil
}

// peakScratch is limitPeaks' working memory, for a clip of a given length.
type peakScratch struct {
	need, lo []float64
	dq       []int
}

func newPeakScratch(n int) *peakScratch {
	return &peakScratch{need: make([]float64, n), lo: make([]float64, n), dq: make([]int, n)}
}

// limitPeaks scales samples so that none exceeds ceiling, with a gain that
// moves smoothly: the gain each sample needs, its minimum over ±2w samples
// (so the gain is down before a peak arrives), then its mean over ±w. The
// mean of values that are all at most what the peak needs is at most that,
// so the peak ends at or under the ceiling.
func limitPeaks(s [][2]float64, ceiling float64, w int, sc *peakScratch) {
	need, lo := sc.need, sc.lo
	over := false
	for i, v := range s {
		need[i] = 1
		if a := max(math.Abs(v[0]), math.Abs(v[1])); a > ceiling {
			need[i] = ceiling / a
			over = true
		}
	}
	if !over {
		return
	}
	dsp.MinOver(lo, need, -2*w, 2*w, sc.dq)
	// The mean is over [i-w, i+w], the window cut at the ends (where it is
	// the mean of fewer values, all still at most what a peak there needs).
	dsp.MeanOver(need, lo, -w, w)
	for i, g := range need {
		s[i][0] *= g
		s[i][1] *= g
	}
}

// subsonic is the corner of the high-pass that removes what no speaker
// plays and no voice needs: DC (engines and sound cards leave offsets of
// -45 dBFS and more, which step at every clip's edge as a tick in silent
// headphones) and the rumble under 30 Hz.
const subsonic = 30.0 // Hz

// edgeFade is the fade at both ends of a clip: the trimmed clip keeps
// trimMargin of near-silence there, so the fade shapes only that, and the
// clip starts and ends at zero, with no step for a tick.
const edgeFade = 5 * time.Millisecond

// removeDC takes the mean off mono samples (both channels carry it) and
// filters them with a second-order high-pass at subsonic, forwards then
// backwards, so that the voice's phase is kept and the filter's start-up
// leaves nothing at either edge.
func removeDC(s [][2]float64, sr beep.SampleRate) {
	if len(s) == 0 {
		return
	}
	x := make([]float64, len(s))
	var mean float64
	for i, v := range s {
		x[i] = v[0]
		mean += v[0]
	}
	mean /= float64(len(x))
	for i := range x {
		x[i] -= mean
	}
	highPass(x, float64(sr), subsonic)
	for i := len(x) - 1; i >= 0; i-- {
		s[i] = [2]float64{x[i], x[i]}
	}
}

// highPass filters x in place with a second-order Butterworth high-pass at
// fc, run forwards and then backwards (zero phase, fourth order in all).
func highPass(x []float64, sr, fc float64) {
	f := dsp.Butterworth(sr, fc, true)
	for i, v := range x {
		x[i] = f.Step(v)
	}
	f = dsp.Butterworth(sr, fc, true)
	for i := len(x) - 1; i >= 0; i-- {
		x[i] = f.Step(x[i])
	}
}

// fadeEdges fades mono samples in and out over edgeFade (raised cosine).
func fadeEdges(s [][2]float64, sr beep.SampleRate) {
	n := min(sr.N(edgeFade), len(s)/2)
	for i := range n {
		g := 0.5 - 0.5*math.Cos(math.Pi*float64(i)/float64(n))
		s[i][0] *= g
		s[i][1] *= g
		j := len(s) - 1 - i
		s[j][0] *= g
		s[j][1] *= g
	}
}

// cleanPCM removes DC and subsonic energy from a decoded clip and fades its
// edges, as finishClip does to every clip it makes: clips made before it
// did (the embedded voice's among them) and recordings copied as they are
// play without an offset or a tick at their edges.
func cleanPCM(pcm []int16, sr beep.SampleRate) {
	s := make([][2]float64, len(pcm))
	for i, v := range pcm {
		f := float64(v) / 32767
		s[i] = [2]float64{f, f}
	}
	removeDC(s, sr)
	fadeEdges(s, sr)
	for i, v := range s {
		pcm[i] = int16(max(-32768, min(32767, math.Round(v[0]*32767))))
	}
}

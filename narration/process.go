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
// set the trimming threshold, once more after trimming), trimmed of leading
// and trailing silence, resampled to the format's rate and encoded
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
	if f.Format == "mp3" {
		e, err := mp3.NewEncoder(w, mp3.Options{SampleRate: int(sr), Channels: 1, Bitrate: f.Bitrate, Mode: mp3.Mono})
		if err != nil {
			return err
		}
		if _, err := e.Write(samples); err != nil {
			return err
		}
		return e.Close()
	}
	opt := audio.EncodeOptions{SampleRate: sr, Channels: 1, Length: len(samples), Dither: true}
	var (
		e   audio.Encoder
		err error
	)
	if f.Format == "flac" {
		e, err = audio.NewFLACEncoder(w, opt)
	} else {
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
	if room := peakCeiling - 20*math.Log10(peak); gain > room {
		gain = room
	}
	c.Gain(gain)
	return nil
}

// loudnessOf is a mono clip's integrated loudness in LUFS (BS.1770-4), or
// -Inf for silence. A clip shorter than one 400 ms block counts as a single
// block of its whole length.
func loudnessOf(c *audio.Clip) float64 {
	m := loudness.NewMeter(int(c.Rate), 1)
	m.Write(c.Samples)
	return m.Integrated()
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

// readClipFS is readClip for a clip in any fs.FS: checked by Stat first,
// which for a folder on disk follows links as opening would.
func readClipFS(fsys fs.FS, name string) ([]byte, error) {
	st, err := fs.Stat(fsys, name)
	switch {
	case err != nil:
		return nil, err
	case !st.Mode().IsRegular():
		return nil, fmt.Errorf("clip %s is not a regular file", name)
	case st.Size() > maxClipBytes:
		return nil, fmt.Errorf("clip %s is %d bytes; a clip is at most %d", name, st.Size(), maxClipBytes)
	}
	return fs.ReadFile(fsys, name)
}

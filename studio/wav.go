package studio

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"

	"routinecast/audio"
)

// sampleSource is the part of a renderer the WAV reader uses.
type sampleSource interface {
	Stream([][2]float64) (int, bool)
	Err() error
	Position() int
	Seek(int) error
	Close() error
}

const wavHeaderLen = 44

// wavReader is a 16-bit PCM WAV file read from a renderer: an io.ReadSeeker
// of known size, which http.ServeContent answers range requests from.
type wavReader struct {
	src      sampleSource
	channels int
	length   int // samples
	hdr      [wavHeaderLen]byte
	size     int64
	off      int64
	buf      []byte // bytes of the samples from bufOff
	bufOff   int64
	samples  [][2]float64
}

func newWAVReader(src sampleSource, rate, channels, length int) *wavReader {
	w := &wavReader{src: src, channels: channels, length: length, samples: make([][2]float64, 4096)}
	data := uint32(length * channels * 2)
	copy(w.hdr[:], audio.WAVHeader(rate, channels, length))
	w.size = wavHeaderLen + int64(data)
	w.bufOff = -1
	return w
}

func (w *wavReader) Size() int64  { return w.size }
func (w *wavReader) Close() error { return w.src.Close() }

func (w *wavReader) Seek(offset int64, whence int) (int64, error) {
	switch whence {
	case io.SeekStart:
	case io.SeekCurrent:
		offset += w.off
	case io.SeekEnd:
		offset += w.size
	default:
		return 0, errors.New("studio: wav: bad whence")
	}
	if offset < 0 {
		return 0, errors.New("studio: wav: seek before the start")
	}
	w.off = offset
	return offset, nil
}

func (w *wavReader) Read(p []byte) (int, error) {
	if w.off >= w.size {
		return 0, io.EOF
	}
	n := 0
	for n < len(p) && w.off < w.size {
		if w.off < wavHeaderLen {
			c := copy(p[n:], w.hdr[w.off:])
			n += c
			w.off += int64(c)
			continue
		}
		if w.bufOff < 0 || w.off < w.bufOff || w.off >= w.bufOff+int64(len(w.buf)) {
			if err := w.fill(); err != nil {
				return n, err
			}
		}
		c := copy(p[n:], w.buf[w.off-w.bufOff:])
		n += c
		w.off += int64(c)
	}
	return n, nil
}

// fill renders the block of samples that holds byte w.off.
func (w *wavReader) fill() error {
	frame := int64(2 * w.channels)
	at := int((w.off - wavHeaderLen) / frame)
	if w.src.Position() != at {
		if err := w.src.Seek(at); err != nil {
			return fmt.Errorf("studio: preview: %w", err)
		}
	}
	k, _ := w.src.Stream(w.samples[:min(len(w.samples), w.length-at)])
	if err := w.src.Err(); err != nil {
		return fmt.Errorf("studio: preview: %w", err)
	}
	if k == 0 {
		return fmt.Errorf("studio: preview: the render ended at sample %d of %d: %w", at, w.length, io.ErrUnexpectedEOF)
	}
	w.buf = w.buf[:0]
	for _, s := range w.samples[:k] {
		for c := range w.channels {
			w.buf = binary.LittleEndian.AppendUint16(w.buf, uint16(pcm16(s[c])))
		}
	}
	w.bufOff = wavHeaderLen + int64(at)*frame
	return nil
}

// pcm16 rounds a sample to 16 bits without dither: the preview is heard
// once, and the same bytes for the same range keep a resumed download whole.
func pcm16(x float64) int16 {
	return int16(max(-32768, min(32767, math.Round(x*32767))))
}

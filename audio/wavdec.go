package audio

import (
	"encoding/binary"
	"fmt"
	"io"
	"math"

	"github.com/gopxl/beep/v2"
)

// wavStream reads PCM or IEEE-float samples from a RIFF/WAVE file.
//
// beep's wav decoder is not used: it spins forever (0, true) on a file whose
// data chunk is shorter than its header says, takes one Read per call (a
// short read misaligns the channels), allocates on every call and reads
// neither 32-bit nor float samples, all of which TTS engines and ffmpeg
// produce.
type wavStream struct {
	cursor    // length: the samples in the data chunk
	rs        io.ReadSeekCloser
	dataStart int64
	channels  int
	width     int // bytes per channel sample
	float     bool
	buf       []byte
}

var _ beep.StreamSeekCloser = (*wavStream)(nil)

const (
	wavFormatPCM        = 1
	wavFormatFloat      = 3
	wavFormatExtensible = 0xfffe
)

func decodeWAV(rs io.ReadSeekCloser, off int64) (beep.StreamSeekCloser, beep.Format, error) {
	size, err := rs.Seek(0, io.SeekEnd)
	if err != nil {
		return nil, beep.Format{}, fmt.Errorf("audio: wav: %w", err)
	}
	if _, err := rs.Seek(off+12, io.SeekStart); err != nil {
		return nil, beep.Format{}, fmt.Errorf("audio: wav: %w", err)
	}
	var (
		s       = &wavStream{cursor: cursor{codec: "wav"}, rs: rs}
		format  beep.Format
		haveFmt bool
		pos     = off + 12
	)
	for {
		var ch [8]byte
		if _, err := io.ReadFull(rs, ch[:]); err != nil {
			return nil, beep.Format{}, fmt.Errorf("audio: wav: no data chunk: %w", ErrTruncated)
		}
		id := string(ch[:4])
		n := int64(binary.LittleEndian.Uint32(ch[4:]))
		pos += 8
		switch id {
		case "fmt ":
			if n < 16 {
				return nil, beep.Format{}, fmt.Errorf("audio: wav: fmt chunk of %d bytes is too short", n)
			}
			b := make([]byte, min(n, 40))
			if _, err := io.ReadFull(rs, b); err != nil {
				return nil, beep.Format{}, fmt.Errorf("audio: wav: fmt chunk: %w", ErrTruncated)
			}
			format, err = s.parseFmt(b)
			if err != nil {
				return nil, beep.Format{}, err
			}
			haveFmt = true
		case "data":
			if !haveFmt {
				return nil, beep.Format{}, fmt.Errorf("audio: wav: data chunk before fmt chunk")
			}
			s.dataStart = pos
			// Writers that stream (ffmpeg to a pipe, espeak-ng to stdout)
			// leave 0 or 0xFFFFFFFF here: then the data runs to the end.
			// Any other size is a promise: a file that holds less (a
			// partial download, a crashed engine) is an error, not a
			// quietly shorter clip. One byte short is a writer that
			// counted the pad byte of an odd-sized chunk and left it out.
			switch have := size - pos; {
			case n == 0 || n == 0xffffffff:
				n = have
			case n > have+1:
				return nil, beep.Format{}, fmt.Errorf("audio: wav: the header says %d bytes of audio, the file holds %d: %w", n, have, ErrTruncated)
			case n > have:
				n = have
			}
			s.length = int(n / int64(s.channels*s.width))
			s.buf = make([]byte, 0, 4096*s.channels*s.width)
			return s, format, nil
		}
		pos += n + n&1
		if pos > size {
			return nil, beep.Format{}, fmt.Errorf("audio: wav: %q chunk runs past the end: %w", id, ErrTruncated)
		}
		if _, err := rs.Seek(pos, io.SeekStart); err != nil {
			return nil, beep.Format{}, fmt.Errorf("audio: wav: %w", err)
		}
	}
}

// parseFmt reads the fmt chunk: WAVEFORMAT, WAVEFORMATEX or
// WAVEFORMATEXTENSIBLE (which names the real format in its sub-format GUID).
func (s *wavStream) parseFmt(b []byte) (beep.Format, error) {
	tag := binary.LittleEndian.Uint16(b[0:])
	channels := int(binary.LittleEndian.Uint16(b[2:]))
	rate := int(binary.LittleEndian.Uint32(b[4:]))
	align := int(binary.LittleEndian.Uint16(b[12:]))
	bits := int(binary.LittleEndian.Uint16(b[14:]))
	if tag == wavFormatExtensible {
		if len(b) < 40 {
			return beep.Format{}, fmt.Errorf("audio: wav: extensible fmt chunk too short")
		}
		tag = binary.LittleEndian.Uint16(b[24:])
	}
	if tag != wavFormatPCM && tag != wavFormatFloat {
		return beep.Format{}, fmt.Errorf("audio: wav: format tag %#x: %w", tag, ErrUnsupported)
	}
	if channels < 1 || channels > 2 {
		return beep.Format{}, fmt.Errorf("audio: wav: %d channels (mono or stereo only): %w", channels, ErrUnsupported)
	}
	if rate < 1 || rate > 1<<20 {
		return beep.Format{}, fmt.Errorf("audio: wav: sample rate %d: %w", rate, ErrUnsupported)
	}
	if align <= 0 || align%channels != 0 {
		return beep.Format{}, fmt.Errorf("audio: wav: block align %d for %d channels", align, channels)
	}
	width := align / channels
	s.float = tag == wavFormatFloat
	switch {
	case s.float && (width == 4 || width == 8) && bits == 8*width:
	case !s.float && width >= 1 && width <= 4 && bits >= 1 && bits <= 8*width:
	default:
		return beep.Format{}, fmt.Errorf("audio: wav: %d-bit samples in %d bytes (float %v): %w",
			bits, width, s.float, ErrUnsupported)
	}
	s.channels, s.width = channels, width
	return beep.Format{SampleRate: beep.SampleRate(rate), NumChannels: channels, Precision: min(width, 4)}, nil
}

func (s *wavStream) Stream(samples [][2]float64) (n int, ok bool) {
	if !s.resume() {
		return 0, false
	}
	frameSize := s.channels * s.width
	for n < len(samples) && s.pos < s.length {
		k := min(len(samples)-n, s.length-s.pos, cap(s.buf)/frameSize)
		b := s.buf[:k*frameSize]
		got, err := io.ReadFull(s.rs, b)
		k = got / frameSize
		s.decode(samples[n:n+k], b)
		n += k
		s.pos += k
		if err != nil {
			if err == io.EOF || err == io.ErrUnexpectedEOF {
				err = ErrTruncated
			}
			return s.fail(n, fmt.Errorf("audio: wav: %w", err))
		}
	}
	return n, n > 0
}

func (s *wavStream) decode(dst [][2]float64, b []byte) {
	step := s.width
	for i := range dst {
		var v [2]float64
		for c := range s.channels {
			p := b[(i*s.channels+c)*step:]
			switch {
			case s.float && step == 4:
				v[c] = float64(math.Float32frombits(binary.LittleEndian.Uint32(p)))
			case s.float:
				v[c] = math.Float64frombits(binary.LittleEndian.Uint64(p))
			case step == 1:
				v[c] = (float64(p[0]) - 128) / 128
			case step == 2:
				v[c] = float64(int16(binary.LittleEndian.Uint16(p))) / (1 << 15)
			case step == 3:
				v[c] = float64(int32(uint32(p[0])<<8|uint32(p[1])<<16|uint32(p[2])<<24)) / (1 << 31)
			default:
				v[c] = float64(int32(binary.LittleEndian.Uint32(p))) / (1 << 31)
			}
		}
		if s.float {
			v[0], v[1] = finite(v[0]), finite(v[1])
		}
		if s.channels == 1 {
			v[1] = v[0]
		}
		dst[i] = v
	}
}

func (s *wavStream) Seek(p int) error {
	if err := s.checkSeek(p); err != nil {
		return err
	}
	if _, err := s.rs.Seek(s.dataStart+int64(p)*int64(s.channels*s.width), io.SeekStart); err != nil {
		return fmt.Errorf("audio: wav: %w", err)
	}
	s.pos = p
	s.err, s.pending = nil, nil
	return nil
}

func (s *wavStream) Close() error { return s.closeSource(s.rs) }

// finite replaces NaN with silence and infinities with full scale, so that a
// broken float file cannot poison a mix or a loudness measurement.
func finite(x float64) float64 {
	switch {
	case math.IsNaN(x):
		return 0
	case math.IsInf(x, 1):
		return 1
	case math.IsInf(x, -1):
		return -1
	}
	return x
}

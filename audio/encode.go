package audio

import (
	"fmt"
	"io"

	"github.com/gopxl/beep/v2"
)

// EncodeOptions describes the file an encoder writes.
type EncodeOptions struct {
	// SampleRate of the samples written.
	SampleRate beep.SampleRate
	// Channels in the file: 1 or 2. Mono files get the mean of beep's two
	// channels (a mono source, whose channels are equal, is kept exactly).
	Channels int
	// Length in samples when known before writing, or 0. A WAV encoder on
	// a plain io.Writer needs it for the header; on an io.WriteSeeker the
	// header is patched at Close instead.
	Length int
	// Dither adds TPDF dither before rounding to 16 bits (see Quantizer).
	// Use it for rendered mixes; leave it off to copy 16-bit sources
	// bit-exactly.
	Dither bool
}

func (o EncodeOptions) check(format string) error {
	if o.Channels != 1 && o.Channels != 2 {
		return fmt.Errorf("audio: %s: %d channels (1 or 2 only)", format, o.Channels)
	}
	if o.SampleRate <= 0 || o.SampleRate > 655350 {
		return fmt.Errorf("audio: %s: sample rate %d out of range", format, o.SampleRate)
	}
	if o.Length < 0 {
		return fmt.Errorf("audio: %s: negative length %d", format, o.Length)
	}
	return nil
}

// Encoder writes samples to a file format. Write takes beep-layout samples;
// Close finishes the file (it does not close the underlying writer).
type Encoder interface {
	Write(samples [][2]float64) error
	Close() error
}

// Encode writes every sample of s to e and returns how many it wrote. It
// does not close e. An error from s (its Err) is returned too.
func Encode(e Encoder, s beep.Streamer) (int, error) {
	buf := make([][2]float64, 4096)
	total := 0
	for {
		n, ok := s.Stream(buf)
		if n > 0 {
			if err := e.Write(buf[:n]); err != nil {
				return total, err
			}
			total += n
		}
		if !ok {
			break
		}
	}
	if err := s.Err(); err != nil {
		return total, fmt.Errorf("audio: encode: source failed after %d samples: %w", total, err)
	}
	return total, nil
}

// encoderState is what the WAV and FLAC encoders share: the options, the
// quantizer, the count of samples written and the error, which sticks:
// once a call fails, every later one returns the same error.
type encoderState struct {
	format  string // names the encoder in errors: "wav", "flac"
	opt     EncodeOptions
	q       *Quantizer
	written int
	err     error
	closed  bool
}

func newEncoderState(format string, opt EncodeOptions) encoderState {
	return encoderState{format: format, opt: opt, q: NewQuantizer(opt.Dither)}
}

// writable returns the error that stops Write before any sample: the
// first error met, or a write after Close.
func (s *encoderState) writable() error {
	if s.err != nil {
		return s.err
	}
	if s.closed {
		return fmt.Errorf("audio: %s: write after close", s.format)
	}
	return nil
}

// closing starts Close: it marks the encoder closed and reports whether a
// file is left to finish, that is, whether Close was not called before and
// nothing has failed.
func (s *encoderState) closing() bool {
	if s.closed {
		return false
	}
	s.closed = true
	return s.err == nil
}

// fail makes err, named with the format, the encoder's error and returns
// it.
func (s *encoderState) fail(err error) error {
	s.err = fmt.Errorf("audio: %s: %w", s.format, err)
	return s.err
}

// announced ends a file whose header, written up front, cannot be patched:
// it is an error when the samples written are not the length it announced.
func (s *encoderState) announced() error {
	if s.written != s.opt.Length {
		s.err = fmt.Errorf("audio: %s: wrote %d samples, the header announced %d", s.format, s.written, s.opt.Length)
	}
	return s.err
}

// seekable returns w as an io.WriteSeeker and its offset now, or nil when
// w cannot seek: then an encoder's header cannot be patched at Close.
func seekable(w io.Writer) (io.WriteSeeker, int64) {
	if ws, ok := w.(io.WriteSeeker); ok {
		if base, err := ws.Seek(0, io.SeekCurrent); err == nil {
			return ws, base
		}
	}
	return nil, 0
}

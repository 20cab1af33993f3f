package audio

import (
	"fmt"

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

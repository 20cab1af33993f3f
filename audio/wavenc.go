package audio

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"
)

// WAVEncoder writes a 16-bit PCM WAV file as samples arrive, holding only a
// small buffer.
type WAVEncoder struct {
	encoderState
	w    *bufio.Writer
	ws   io.WriteSeeker // nil when the header cannot be patched
	base int64          // offset of "RIFF" in ws
	buf  []byte
}

var _ Encoder = (*WAVEncoder)(nil)

// maxWAVSamples keeps the data chunk's size within its 32-bit field.
func maxWAVSamples(channels int) int { return (0xffffffff - 36) / (2 * channels) }

// NewWAVEncoder writes the WAV header to w and returns an encoder for the
// samples. With opt.Length known the header is final at once and w may be a
// plain io.Writer (a pipe, stdout, an HTTP response); otherwise w must be an
// io.WriteSeeker and Close patches the sizes.
func NewWAVEncoder(w io.Writer, opt EncodeOptions) (*WAVEncoder, error) {
	if err := opt.check("wav"); err != nil {
		return nil, err
	}
	if opt.Length > maxWAVSamples(opt.Channels) {
		return nil, fmt.Errorf("audio: wav: %d samples exceed the 4 GiB limit of WAV", opt.Length)
	}
	e := &WAVEncoder{encoderState: newEncoderState("wav", opt), buf: make([]byte, 0, 16<<10)}
	e.ws, e.base = seekable(w)
	if e.ws == nil && opt.Length == 0 {
		return nil, fmt.Errorf("audio: wav: the length must be known to write to a stream that cannot seek")
	}
	e.w = bufio.NewWriterSize(w, 64<<10)
	if _, err := e.w.Write(WAVHeader(int(opt.SampleRate), opt.Channels, opt.Length)); err != nil {
		return nil, fmt.Errorf("audio: wav: %w", err)
	}
	return e, nil
}

// WAVHeader is the 44-byte canonical header of a 16-bit PCM WAV file of n
// samples (frames) of channels channels at rate: the one header the
// encoder, the studio's streamed WAV and Pico's clips write.
func WAVHeader(rate, channels, n int) []byte {
	data := uint32(n * 2 * channels)
	h := make([]byte, 44)
	copy(h[0:], "RIFF")
	binary.LittleEndian.PutUint32(h[4:], 36+data)
	copy(h[8:], "WAVEfmt ")
	binary.LittleEndian.PutUint32(h[16:], 16)
	binary.LittleEndian.PutUint16(h[20:], wavFormatPCM)
	binary.LittleEndian.PutUint16(h[22:], uint16(channels))
	binary.LittleEndian.PutUint32(h[24:], uint32(rate))
	binary.LittleEndian.PutUint32(h[28:], uint32(rate*2*channels))
	binary.LittleEndian.PutUint16(h[32:], uint16(2*channels))
	binary.LittleEndian.PutUint16(h[34:], 16)
	copy(h[36:], "data")
	binary.LittleEndian.PutUint32(h[40:], data)
	return h
}

// Write appends samples to the file.
func (e *WAVEncoder) Write(samples [][2]float64) error {
	if err := e.writable(); err != nil {
		return err
	}
	limit := e.opt.Length
	if e.ws != nil || limit == 0 {
		limit = maxWAVSamples(e.opt.Channels)
	}
	if e.written+len(samples) > limit {
		return e.fail(fmt.Errorf("more than the %d samples the header holds", limit))
	}
	for len(samples) > 0 {
		k := min(len(samples), cap(e.buf)/(2*e.opt.Channels))
		b := e.buf[:0]
		for _, s := range samples[:k] {
			if e.opt.Channels == 1 {
				b = binary.LittleEndian.AppendUint16(b, uint16(e.q.Int16((s[0]+s[1])/2)))
			} else {
				b = binary.LittleEndian.AppendUint16(b, uint16(e.q.Int16(s[0])))
				b = binary.LittleEndian.AppendUint16(b, uint16(e.q.Int16(s[1])))
			}
		}
		if _, err := e.w.Write(b); err != nil {
			return e.fail(err)
		}
		e.written += k
		samples = samples[k:]
	}
	return nil
}

// Close flushes the data and, on a seekable writer, patches the header with
// the real length (leaving the writer at the end of the file). On a plain
// writer it fails if fewer samples came than the header announced.
func (e *WAVEncoder) Close() error {
	if !e.closing() {
		return e.err
	}
	if err := e.w.Flush(); err != nil {
		return e.fail(err)
	}
	if e.ws == nil {
		return e.announced()
	}
	end, err := e.ws.Seek(0, io.SeekCurrent)
	if err == nil {
		h := WAVHeader(int(e.opt.SampleRate), e.opt.Channels, e.written)
		if _, err = e.ws.Seek(e.base+4, io.SeekStart); err == nil {
			if _, err = e.ws.Write(h[4:8]); err == nil {
				if _, err = e.ws.Seek(e.base+40, io.SeekStart); err == nil {
					if _, err = e.ws.Write(h[40:44]); err == nil {
						_, err = e.ws.Seek(end, io.SeekStart)
					}
				}
			}
		}
	}
	if err != nil {
		return e.fail(fmt.Errorf("patching the header: %w", err))
	}
	return nil
}

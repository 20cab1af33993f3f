package audio

import (
	"bufio"
	"fmt"
	"io"

	"github.com/mewkiz/flac"
	"github.com/mewkiz/flac/frame"
	"github.com/mewkiz/flac/meta"
)

// flacBlockSize is the number of samples per FLAC frame: libFLAC's default
// for 44.1/48 kHz, and a multiple of 16 as the streamable subset asks.
const flacBlockSize = 4096

// FLACEncoder writes a 16-bit FLAC file as samples arrive, one block (4096
// samples) in memory, using mewkiz/flac's encoder (fixed predictors and
// Rice coding) and choosing the stereo decorrelation per block.
type FLACEncoder struct {
	enc     *flac.Encoder
	out     *flacOut
	opt     EncodeOptions
	q       *Quantizer
	ch      [2][]int32
	n       int // samples in the current block
	written int
	err     error
	closed  bool
}

var _ Encoder = (*FLACEncoder)(nil)

// NewFLACEncoder writes the FLAC header to w and returns an encoder for the
// samples. On an io.WriteSeeker, Close fills in the length and the MD5 of
// the audio; on a plain io.Writer they stay "unknown" (allowed by FLAC)
// unless opt.Length gives the length up front.
func NewFLACEncoder(w io.Writer, opt EncodeOptions) (*FLACEncoder, error) {
	if err := opt.check("flac"); err != nil {
		return nil, err
	}
	out := &flacOut{w: bufio.NewWriterSize(w, 64<<10)}
	var dst io.Writer = out
	if ws, ok := w.(io.WriteSeeker); ok {
		if base, err := ws.Seek(0, io.SeekCurrent); err == nil {
			out.ws, out.base = ws, base
			dst = &flacSeekOut{out}
		}
	}
	info := &meta.StreamInfo{
		BlockSizeMin:  flacBlockSize,
		BlockSizeMax:  flacBlockSize,
		SampleRate:    uint32(opt.SampleRate),
		NChannels:     uint8(opt.Channels),
		BitsPerSample: 16,
		NSamples:      uint64(opt.Length),
	}
	enc, err := flac.NewEncoder(dst, info)
	if err != nil {
		return nil, fmt.Errorf("audio: flac: %w", err)
	}
	e := &FLACEncoder{enc: enc, out: out, opt: opt, q: NewQuantizer(opt.Dither)}
	for c := range opt.Channels {
		e.ch[c] = make([]int32, flacBlockSize)
	}
	return e, nil
}

// Write appends samples to the file.
func (e *FLACEncoder) Write(samples [][2]float64) error {
	if e.err != nil {
		return e.err
	}
	if e.closed {
		return fmt.Errorf("audio: flac: write after close")
	}
	if e.opt.Length > 0 && e.out.ws == nil && e.written+e.n+len(samples) > e.opt.Length {
		e.err = fmt.Errorf("audio: flac: more than the %d samples announced", e.opt.Length)
		return e.err
	}
	for _, s := range samples {
		if e.opt.Channels == 1 {
			e.ch[0][e.n] = int32(e.q.Int16((s[0] + s[1]) / 2))
		} else {
			e.ch[0][e.n] = int32(e.q.Int16(s[0]))
			e.ch[1][e.n] = int32(e.q.Int16(s[1]))
		}
		e.n++
		if e.n == flacBlockSize {
			if err := e.flush(); err != nil {
				return err
			}
		}
	}
	return nil
}

// flush encodes the current block as one frame.
func (e *FLACEncoder) flush() error {
	if e.n == 0 {
		return nil
	}
	f := &frame.Frame{
		Header: frame.Header{
			HasFixedBlockSize: true,
			BlockSize:         uint16(e.n),
			SampleRate:        uint32(e.opt.SampleRate),
			Channels:          frame.ChannelsMono,
			BitsPerSample:     16,
		},
	}
	if e.opt.Channels == 2 {
		f.Channels = stereoMode(e.ch[0][:e.n], e.ch[1][:e.n])
	}
	for c := range e.opt.Channels {
		f.Subframes = append(f.Subframes, &frame.Subframe{
			SubHeader: frame.SubHeader{Pred: frame.PredVerbatim},
			Samples:   e.ch[c][:e.n],
			NSamples:  e.n,
		})
	}
	if err := e.writeFrame(f); err != nil {
		e.err = fmt.Errorf("audio: flac: %w", err)
		return e.err
	}
	e.written += e.n
	e.n = 0
	return nil
}

func (e *FLACEncoder) writeFrame(f *frame.Frame) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("encoder panic: %v", p)
		}
	}()
	return e.enc.WriteFrame(f)
}

// stereoMode picks the channel coding that a second-order fixed predictor
// codes cheapest, estimating the cost by the sum of absolute residuals (the
// way libFLAC chooses): independent, left/side, side/right or mid/side.
func stereoMode(l, r []int32) frame.Channels {
	var cl, cr, cm, cs int64
	for i := 2; i < len(l); i++ {
		el := int64(l[i]) - 2*int64(l[i-1]) + int64(l[i-2])
		er := int64(r[i]) - 2*int64(r[i-1]) + int64(r[i-2])
		cl += abs64(el)
		cr += abs64(er)
		cm += abs64((el + er) >> 1)
		cs += abs64(el - er)
	}
	best, mode := cl+cr, frame.ChannelsLR
	if c := cl + cs; c < best {
		best, mode = c, frame.ChannelsLeftSide
	}
	if c := cs + cr; c < best {
		best, mode = c, frame.ChannelsSideRight
	}
	if c := cm + cs; c < best {
		mode = frame.ChannelsMidSide
	}
	return mode
}

func abs64(x int64) int64 {
	if x < 0 {
		return -x
	}
	return x
}

// Close encodes the last (short) block, completes the header when the writer
// can seek, and flushes. It does not close the writer. On a plain writer
// with a known length it fails if fewer samples came than announced.
func (e *FLACEncoder) Close() error {
	if e.closed {
		return e.err
	}
	e.closed = true
	if e.err != nil {
		return e.err
	}
	if err := e.flush(); err != nil {
		return err
	}
	if e.out.ws == nil && e.opt.Length > 0 && e.written != e.opt.Length {
		e.err = fmt.Errorf("audio: flac: wrote %d samples, the header announced %d", e.written, e.opt.Length)
		return e.err
	}
	end := e.out.pos
	if err := e.enc.Close(); err != nil {
		e.err = fmt.Errorf("audio: flac: %w", err)
		return e.err
	}
	if e.out.ws != nil {
		// The encoder rewrote the header in place; return to the end.
		if _, err := e.out.seek(end, io.SeekStart); err != nil {
			e.err = fmt.Errorf("audio: flac: %w", err)
			return e.err
		}
	}
	if err := e.out.w.Flush(); err != nil {
		e.err = fmt.Errorf("audio: flac: %w", err)
	}
	return e.err
}

// Written returns the number of samples written so far.
func (e *FLACEncoder) Written() int { return e.written }

// flacOut buffers the encoder's many small writes and hides the writer's
// Close (the encoder would close it). pos counts bytes from the start of the
// FLAC stream.
type flacOut struct {
	w    *bufio.Writer
	ws   io.WriteSeeker
	base int64
	pos  int64
}

func (o *flacOut) Write(p []byte) (int, error) {
	n, err := o.w.Write(p)
	o.pos += int64(n)
	return n, err
}

// seek flushes, then seeks relative to the start of the FLAC stream (the
// encoder seeks to offset 4 to rewrite STREAMINFO). It is not named Seek so
// that a flacOut on a plain writer is no io.WriteSeeker to the encoder.
func (o *flacOut) seek(off int64, whence int) (int64, error) {
	if whence != io.SeekStart {
		return 0, fmt.Errorf("unsupported whence %d", whence)
	}
	if err := o.w.Flush(); err != nil {
		return 0, err
	}
	if _, err := o.ws.Seek(o.base+off, io.SeekStart); err != nil {
		return 0, err
	}
	o.pos = off
	return off, nil
}

// flacSeekOut is flacOut with Seek visible, given to the encoder only when
// the real writer can seek.
type flacSeekOut struct{ *flacOut }

func (o *flacSeekOut) Seek(off int64, whence int) (int64, error) { return o.seek(off, whence) }

package audio

import (
	"bufio"
	"crypto/md5"
	"encoding/binary"
	"fmt"
	"hash"
	"io"

	"github.com/gopxl/beep/v2"
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
	encoderState
	enc *flac.Encoder
	out *flacOut
	ch  [2][]int32
	n   int // samples in the current block
	md5 hash.Hash
	raw []byte // the block as interleaved little-endian 16-bit, for the MD5
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
	out.ws, out.base = seekable(w)
	info := &meta.StreamInfo{
		BlockSizeMin:  flacBlockSize,
		BlockSizeMax:  flacBlockSize,
		SampleRate:    uint32(opt.SampleRate),
		NChannels:     uint8(opt.Channels),
		BitsPerSample: 16,
		NSamples:      uint64(opt.Length),
	}
	// The encoder gets a writer without Seek: its Close would rewrite
	// STREAMINFO with the last block's size as the minimum, which decoders
	// reject when it is under 16. Close patches the header here instead.
	enc, err := flac.NewEncoder(out, info)
	if err != nil {
		return nil, fmt.Errorf("audio: flac: %w", err)
	}
	e := &FLACEncoder{encoderState: newEncoderState("flac", opt), enc: enc, out: out, md5: md5.New(),
		raw: make([]byte, 0, 2*opt.Channels*flacBlockSize)}
	for c := range opt.Channels {
		e.ch[c] = make([]int32, flacBlockSize)
	}
	return e, nil
}

// Write appends samples to the file.
func (e *FLACEncoder) Write(samples [][2]float64) error {
	if err := e.writable(); err != nil {
		return err
	}
	if e.opt.Length > 0 && e.out.ws == nil && e.written+e.n+len(samples) > e.opt.Length {
		return e.fail(fmt.Errorf("more than the %d samples announced", e.opt.Length))
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

// frameRate is the sample rate a frame header states. For 24 and 176.4 kHz
// it is 0, "as STREAMINFO says" (valid FLAC, though outside the streamable
// subset): mewkiz/flac's decoder logs a line to the standard logger for
// every frame whose header names either rate, and a voice's clips are
// decoded by the hundred.
func frameRate(sr beep.SampleRate) uint32 {
	if sr == 24000 || sr == 176400 {
		return 0
	}
	return uint32(sr)
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
			SampleRate:        frameRate(e.opt.SampleRate),
			Channels:          frame.ChannelsMono,
			BitsPerSample:     16,
		},
	}
	if e.opt.Channels == 2 {
		f.Channels = stereoMode(e.ch[0][:e.n], e.ch[1][:e.n])
	}
	raw := e.raw[:0]
	for i := range e.n {
		for c := range e.opt.Channels {
			raw = binary.LittleEndian.AppendUint16(raw, uint16(e.ch[c][i]))
		}
	}
	e.md5.Write(raw)
	for c := range e.opt.Channels {
		f.Subframes = append(f.Subframes, &frame.Subframe{
			SubHeader: frame.SubHeader{Pred: frame.PredVerbatim},
			Samples:   e.ch[c][:e.n],
			NSamples:  e.n,
		})
	}
	if err := e.writeFrame(f); err != nil {
		return e.fail(err)
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
	if !e.closing() {
		return e.err
	}
	if err := e.flush(); err != nil {
		return err
	}
	if e.out.ws == nil && e.opt.Length > 0 {
		if err := e.announced(); err != nil {
			return err
		}
	}
	if err := e.enc.Close(); err != nil {
		return e.fail(err)
	}
	if e.out.ws != nil {
		if err := e.patchStreamInfo(); err != nil {
			return e.fail(fmt.Errorf("completing the header: %w", err))
		}
	}
	if err := e.out.w.Flush(); err != nil {
		return e.fail(err)
	}
	return nil
}

// patchStreamInfo writes the length and the MD5 into STREAMINFO, which
// starts 8 bytes into the stream ("fLaC" and the block header): the 64 bits
// at 10 hold rate, channels, bits and length; the MD5 follows at 18.
func (e *FLACEncoder) patchStreamInfo() error {
	end := e.out.pos
	var b [8 + 16]byte
	v := uint64(e.opt.SampleRate)<<44 | uint64(e.opt.Channels-1)<<41 | uint64(16-1)<<36 | uint64(e.written)&(1<<36-1)
	binary.BigEndian.PutUint64(b[:], v)
	e.md5.Sum(b[8:8])
	if _, err := e.out.seek(8+10, io.SeekStart); err != nil {
		return err
	}
	if _, err := e.out.Write(b[:]); err != nil {
		return err
	}
	_, err := e.out.seek(end, io.SeekStart)
	return err
}

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

// seek flushes, then seeks relative to the start of the FLAC stream. It is
// not named Seek so that the encoder never sees an io.WriteSeeker.
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

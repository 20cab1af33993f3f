package mp3

import (
	"errors"
	"fmt"
	"io"

	"github.com/gopxl/beep/v2"

	"routinecast/audio/mp3/internal/layer3"
	"routinecast/internal/dsp"
)

// Mode is the channel mode of the encoded stream.
type Mode int

// Channel modes. The zero value picks JointStereo for two channels and Mono
// for one.
const (
	ModeAuto    Mode = iota
	Mono             // one channel
	Stereo           // two channels coded apart
	JointStereo      // two channels, mid/side in the frames where it saves bits
)

func (m Mode) String() string {
	switch m {
	case ModeAuto:
		return "auto"
	case Mono:
		return "mono"
	case Stereo:
		return "stereo"
	case JointStereo:
		return "joint stereo"
	}
	return fmt.Sprintf("Mode(%d)", int(m))
}

// Options configures an Encoder.
type Options struct {
	// SampleRate in Hz: 32000, 44100 or 48000 (MPEG-1), or 16000, 22050 or
	// 24000 (MPEG-2 LSF). The input is not resampled.
	SampleRate int
	// Channels is 1 or 2; 0 takes it from Mode (2 unless Mode is Mono).
	Channels int
	// Bitrate in kbps: 32-320 for MPEG-1, 8-160 for MPEG-2 (see Bitrates).
	Bitrate int
	// Mode is the channel mode; ModeAuto picks one from Channels.
	Mode Mode
	// TotalSamples, when above 0, is the number of samples per channel that
	// will be written. It lets the Info frame be complete at once on a
	// writer that cannot seek. If the count written differs, Close rewrites
	// the Info frame on a writer that can seek and reports an error on one
	// that cannot.
	TotalSamples int64
}

// ErrClosed is returned by Write after Close.
var ErrClosed = errors.New("mp3: encoder is closed")

// codecDelay is the number of samples from an input sample to the same
// sample in a standard decoder's output: 481 of the polyphase filterbanks
// (analysis and synthesis) and 576 of the MDCT overlap.
const codecDelay = 1057

// encoderDelay is the delay the Info tag records; players add decoderDelay.
const encoderDelay = codecDelay - decoderDelay

// Encoder writes MP3 frames to an io.Writer. Write samples, then Close.
// Errors stick: once Write or Close fails, every later call returns the
// same error. An Encoder is not safe for concurrent use.
type Encoder struct {
	w    io.Writer
	opt  Options
	nch  int
	enc  *layer3.Encoder
	spf  int
	pcm  [2][]float64
	fill int
	n    int64 // samples per channel written

	seeker   io.WriteSeeker
	start    int64 // offset of the Info frame in seeker
	info     []byte
	infoOff  int // offset of the tag in the Info frame
	upfront  bool
	musicCRC uint16
	writeErr error
	err      error
	closed   bool
}

// NewEncoder returns an Encoder that writes to w. It writes the Info frame
// at once: if w is an io.WriteSeeker whose Seek works, Close rewrites it
// with the final counts; otherwise its counts come from opt.TotalSamples.
// When w cannot seek and opt.TotalSamples is 0, no Info frame is written:
// ffmpeg and mpg123 decode an Info frame without counts as a frame of
// silence and trim nothing, so it would only add a frame of delay.
// Such a stream decodes with the codec delay (1057 samples) at the start
// and up to a frame of silence at the end, and players estimate its
// duration from the bitrate.
func NewEncoder(w io.Writer, opt Options) (*Encoder, error) {
	nch := opt.Channels
	mode := opt.Mode
	switch {
	case nch == 0 && mode == Mono:
		nch = 1
	case nch == 0:
		nch = 2
	}
	if nch != 1 && nch != 2 {
		return nil, fmt.Errorf("mp3: %d channels: want 1 or 2", opt.Channels)
	}
	if mode == ModeAuto {
		mode = JointStereo
		if nch == 1 {
			mode = Mono
		}
	}
	var lmode layer3.Mode
	switch {
	case mode == Mono && nch == 1:
		lmode = layer3.Mono
	case mode == Stereo && nch == 2:
		lmode = layer3.Stereo
	case mode == JointStereo && nch == 2:
		lmode = layer3.JointStereo
	default:
		return nil, fmt.Errorf("mp3: mode %v does not fit %d channels", mode, nch)
	}
	if opt.TotalSamples < 0 {
		return nil, fmt.Errorf("mp3: TotalSamples %d is negative", opt.TotalSamples)
	}
	e := &Encoder{w: w, opt: opt, nch: nch}
	enc, err := layer3.New(layer3.Config{SampleRate: opt.SampleRate, Bitrate: opt.Bitrate, Mode: lmode}, e.emit)
	if err != nil {
		return nil, fmt.Errorf("mp3: %w", err)
	}
	e.enc = enc
	e.spf = enc.FrameSamples()
	e.pcm[0] = make([]float64, e.spf)
	e.pcm[1] = make([]float64, e.spf)
	e.opt.Mode, e.opt.Channels = mode, nch

	if s, ok := w.(io.WriteSeeker); ok {
		if pos, err := s.Seek(0, io.SeekCurrent); err == nil {
			e.seeker, e.start = s, pos
		}
	}
	e.upfront = opt.TotalSamples > 0
	if !e.upfront && e.seeker == nil {
		return e, nil
	}
	if err := e.makeInfo(); err != nil {
		return nil, err
	}
	if e.upfront {
		e.fillInfo(opt.TotalSamples)
	}
	if _, err := w.Write(e.info); err != nil {
		return nil, fmt.Errorf("mp3: writing the info frame: %w", err)
	}
	return e, nil
}

// Bitrates returns the bitrates in kbps allowed at sampleRate, or nil when
// the rate is not supported.
func Bitrates(sampleRate int) []int { return layer3.Bitrates(sampleRate) }

// CheckSampleRate reports a sample rate the encoder cannot write (MPEG-1 and
// MPEG-2 rates only: 16000, 22050, 24000, 32000, 44100 and 48000 Hz), in the
// words every command uses.
func CheckSampleRate(hz int) error {
	if len(layer3.Bitrates(hz)) == 0 {
		return fmt.Errorf("%d Hz is not an MP3 rate (16000, 22050, 24000, 32000, 44100 or 48000)", hz)
	}
	return nil
}

// makeInfo lays out the Info frame: the stream's header (or a higher
// bitrate's when the stream's frames are too short for the tag) and zero
// side information.
func (e *Encoder) makeInfo() error {
	side := e.enc.SideInfoLen()
	need := 4 + side + infoTagLen + lameExtLen
	br := e.enc.BitrateIndexFor(need)
	if br == 0 {
		return errors.New("mp3: internal error: no bitrate holds the info tag")
	}
	if e.enc.FrameLenAt(0) >= need {
		br = 0 // the stream's own bitrate
	}
	n := e.enc.FrameLenAt(br)
	e.info = make([]byte, n)
	h := e.enc.Header(br, 0, 0)
	copy(e.info, h[:])
	e.infoOff = 4 + side
	return nil
}

// fillInfo writes the tag for a stream of n samples per channel.
func (e *Encoder) fillInfo(n int64) {
	frames := (n + codecDelay + int64(e.spf) - 1) / int64(e.spf)
	il := int64(len(e.info))
	total := il + e.enc.StreamBytes(frames)
	stereo := 0
	switch e.opt.Mode {
	case Stereo:
		stereo = 1
	case JointStereo:
		stereo = 3
	}
	f := infoFields{
		frames:     frames,
		bytes:      total,
		delay:      encoderDelay,
		padding:    int(frames*int64(e.spf) - encoderDelay - n),
		bitrate:    e.opt.Bitrate,
		stereoMode: stereo,
		sampleRate: e.opt.SampleRate,
		musicCRC:   e.musicCRC,
	}
	f.toc = seekTable(frames, total, e.enc.StreamBytes)
	clear(e.info[4:])
	buildInfo(e.info, e.infoOff, f)
}

// emit writes one audio frame.
func (e *Encoder) emit(frame []byte) error {
	if e.writeErr != nil {
		return e.writeErr
	}
	if _, err := e.w.Write(frame); err != nil {
		e.writeErr = err
		return err
	}
	e.musicCRC = crc16(e.musicCRC, frame)
	return nil
}

// Write encodes samples, beep's layout: [i][0] left, [i][1] right, in
// [-1, 1]. Values outside are clipped and NaN counts as 0. A mono encoder
// codes the mean of both channels, so a mono source with both channels
// equal (as beep's decoders give) keeps its level. Its signature is
// package audio's Encoder's.
func (e *Encoder) Write(samples [][2]float64) error {
	if e.err != nil {
		return e.err
	}
	if e.closed {
		return ErrClosed
	}
	done := 0
	for done < len(samples) {
		chunk := samples[done:min(len(samples), done+e.spf-e.fill)]
		e.load(e.pcm[0][e.fill:], e.pcm[1][e.fill:], chunk)
		e.fill += len(chunk)
		done += len(chunk)
		if e.fill == e.spf {
			e.fill = 0
			if err := e.enc.EncodeFrame(e.pcm); err != nil {
				e.err = fmt.Errorf("mp3: %w", err)
				e.n += int64(done)
				return e.err
			}
		}
	}
	e.n += int64(len(samples))
	return nil
}

// load puts samples into the channels' buffers l and r, clipped; a mono
// encoder codes the mean of both channels, in l.
func (e *Encoder) load(l, r []float64, samples [][2]float64) {
	if e.nch == 1 {
		for i, s := range samples {
			l[i] = dsp.Clip((s[0] + s[1]) / 2)
		}
	} else {
		for i, s := range samples {
			l[i], r[i] = dsp.Clip(s[0]), dsp.Clip(s[1])
		}
	}
}

// Close encodes the buffered samples and enough silence for a decoder to
// give out every sample, writes the remaining frames and completes the Info
// frame. It does not close the underlying writer.
func (e *Encoder) Close() error {
	if e.closed {
		return e.err
	}
	e.closed = true
	if e.err != nil {
		return e.err
	}
	frames := (e.n + codecDelay + int64(e.spf) - 1) / int64(e.spf)
	for e.enc.Frames() < frames {
		for ch := range e.pcm {
			clear(e.pcm[ch][e.fill:])
		}
		e.fill = 0
		if err := e.enc.EncodeFrame(e.pcm); err != nil {
			e.err = fmt.Errorf("mp3: %w", err)
			return e.err
		}
	}
	if err := e.enc.Flush(); err != nil {
		e.err = fmt.Errorf("mp3: %w", err)
		return e.err
	}
	if e.seeker != nil && e.info != nil {
		e.fillInfo(e.n)
		if err := e.rewriteInfo(); err != nil {
			e.err = fmt.Errorf("mp3: rewriting the info frame: %w", err)
			return e.err
		}
	}
	if e.upfront && e.n != e.opt.TotalSamples && e.seeker == nil {
		e.err = fmt.Errorf("mp3: %d samples written but Options.TotalSamples is %d: the info frame is wrong", e.n, e.opt.TotalSamples)
		return e.err
	}
	return nil
}

func (e *Encoder) rewriteInfo() error {
	end, err := e.seeker.Seek(0, io.SeekCurrent)
	if err != nil {
		return err
	}
	if _, err := e.seeker.Seek(e.start, io.SeekStart); err != nil {
		return err
	}
	if _, err := e.seeker.Write(e.info); err != nil {
		return err
	}
	_, err = e.seeker.Seek(end, io.SeekStart)
	return err
}

// Encode reads s until it ends and writes it to w as MP3, then checks s's
// Err. It closes the Encoder but not w. When opt.TotalSamples is 0 and s is
// a beep.StreamSeeker, the samples left in it (Len - Position) are the
// total, so that a writer that cannot seek still gets a complete Info
// frame.
func Encode(w io.Writer, s beep.Streamer, opt Options) error {
	if ss, ok := s.(beep.StreamSeeker); ok && opt.TotalSamples == 0 {
		opt.TotalSamples = int64(max(ss.Len()-ss.Position(), 0))
	}
	e, err := NewEncoder(w, opt)
	if err != nil {
		return err
	}
	buf := make([][2]float64, 4096)
	for {
		n, ok := s.Stream(buf)
		if err := e.Write(buf[:n]); err != nil {
			return err
		}
		if !ok {
			break
		}
	}
	if err := s.Err(); err != nil {
		return fmt.Errorf("mp3: reading the input: %w", err)
	}
	return e.Close()
}

package audio

import (
	"fmt"
	"io"

	"github.com/gopxl/beep/v2"
	"github.com/mewkiz/flac"
	"github.com/mewkiz/flac/frame"
)

// flacStream decodes FLAC with mewkiz/flac frame by frame (one frame of
// samples in memory). Seeking decodes forward from the start, or from the
// current position when the target is ahead: mewkiz's own Seek indexes
// every frame of a file without a seek table, decoding all of it.
type flacStream struct {
	cursor
	rs       io.ReadSeekCloser
	off      int64 // offset of "fLaC"
	st       *flac.Stream
	channels int
	scale    float64
	cur      *frame.Frame
	curOff   int // next sample in cur
}

var _ beep.StreamSeekCloser = (*flacStream)(nil)

func decodeFLAC(rs io.ReadSeekCloser, off int64) (beep.StreamSeekCloser, beep.Format, error) {
	s := &flacStream{cursor: cursor{codec: "flac"}, rs: rs, off: off}
	if err := s.open(); err != nil {
		return nil, beep.Format{}, err
	}
	info := s.st.Info
	if info.NChannels < 1 || info.NChannels > 2 {
		return nil, beep.Format{}, fmt.Errorf("audio: flac: %d channels (mono or stereo only): %w", info.NChannels, ErrUnsupported)
	}
	if info.BitsPerSample < 4 || info.BitsPerSample > 32 || info.SampleRate == 0 {
		return nil, beep.Format{}, fmt.Errorf("audio: flac: bad stream info (%d bits, %d Hz)", info.BitsPerSample, info.SampleRate)
	}
	s.channels = int(info.NChannels)
	s.scale = 1 / float64(uint64(1)<<(info.BitsPerSample-1))
	s.length = int(min(info.NSamples, 1<<40))
	if info.NSamples == 0 {
		// Length unknown (written by a streaming encoder): count it.
		n := 0
		for {
			f, err := s.parseNext()
			if err == io.EOF {
				break
			}
			if err != nil {
				return nil, beep.Format{}, err
			}
			n += len(f.Subframes[0].Samples)
		}
		s.length = n
		if err := s.open(); err != nil {
			return nil, beep.Format{}, err
		}
	}
	format := beep.Format{
		SampleRate:  beep.SampleRate(info.SampleRate),
		NumChannels: s.channels,
		Precision:   min(int(info.BitsPerSample+7)/8, 4),
	}
	return s, format, nil
}

// open (re)starts decoding at the first frame.
func (s *flacStream) open() (err error) {
	if _, err := s.rs.Seek(s.off, io.SeekStart); err != nil {
		return fmt.Errorf("audio: flac: %w", err)
	}
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("audio: flac: malformed header (decoder panic: %v)", p)
		}
	}()
	// flac.New buffers the reader; hide Seek so it cannot wander.
	st, err := flac.New(struct{ io.Reader }{s.rs})
	if err != nil {
		return fmt.Errorf("audio: flac: %w", err)
	}
	if s.st != nil && st.Info.NChannels != s.st.Info.NChannels {
		return fmt.Errorf("audio: flac: stream changed while decoding")
	}
	s.st = st
	s.pos, s.cur, s.curOff, s.err, s.pending = 0, nil, 0, nil, nil
	return nil
}

// parseNext decodes the next frame; io.EOF at the end.
func (s *flacStream) parseNext() (f *frame.Frame, err error) {
	defer func() {
		if p := recover(); p != nil {
			f, err = nil, fmt.Errorf("audio: flac: malformed frame (decoder panic: %v)", p)
		}
	}()
	f, err = s.st.ParseNext()
	if err == io.EOF {
		return nil, io.EOF
	}
	if err != nil {
		if err == io.ErrUnexpectedEOF {
			err = ErrTruncated
		}
		return nil, fmt.Errorf("audio: flac: %w", err)
	}
	if len(f.Subframes) != s.channels && s.channels != 0 || len(f.Subframes) == 0 {
		return nil, fmt.Errorf("audio: flac: frame with %d channels in a %d-channel stream", len(f.Subframes), s.channels)
	}
	n := len(f.Subframes[0].Samples)
	for _, sf := range f.Subframes {
		if len(sf.Samples) != n {
			return nil, fmt.Errorf("audio: flac: malformed frame (subframes of unequal length)")
		}
	}
	return f, nil
}

func (s *flacStream) Stream(samples [][2]float64) (n int, ok bool) {
	if !s.resume() {
		return 0, false
	}
	for n < len(samples) && s.pos < s.length {
		if s.cur == nil || s.curOff >= len(s.cur.Subframes[0].Samples) {
			f, err := s.parseNext()
			if err == io.EOF {
				err = fmt.Errorf("audio: flac: %d of %d samples decoded: %w", s.pos, s.length, ErrTruncated)
			}
			if err != nil {
				return s.fail(n, err)
			}
			s.cur, s.curOff = f, 0
		}
		left := s.cur.Subframes[0].Samples[s.curOff:]
		right := left
		if s.channels == 2 {
			right = s.cur.Subframes[1].Samples[s.curOff:]
		}
		k := min(len(samples)-n, len(left), s.length-s.pos)
		for i := range k {
			samples[n+i] = [2]float64{float64(left[i]) * s.scale, float64(right[i]) * s.scale}
		}
		n += k
		s.pos += k
		s.curOff += k
	}
	return n, n > 0
}

func (s *flacStream) Seek(p int) error {
	if err := s.checkSeek(p); err != nil {
		return err
	}
	if p < s.pos || s.err != nil || s.pending != nil {
		if err := s.open(); err != nil {
			return err
		}
	}
	for s.pos < p {
		if s.cur == nil || s.curOff >= len(s.cur.Subframes[0].Samples) {
			f, err := s.parseNext()
			if err == io.EOF {
				err = fmt.Errorf("audio: flac: seek past the decodable data: %w", ErrTruncated)
			}
			if err != nil {
				return err
			}
			s.cur, s.curOff = f, 0
		}
		k := min(p-s.pos, len(s.cur.Subframes[0].Samples)-s.curOff)
		s.curOff += k
		s.pos += k
	}
	return nil
}

func (s *flacStream) Close() error {
	s.st, s.cur = nil, nil
	return s.closeSource(s.rs)
}

package mp3

import (
	"errors"
	"fmt"
	"io"

	"routinecast/audio/mp3/internal/layer3"
)

// Segments encodes one stream in pieces that can be encoded at the same time
// and joined in order: a stream of known length is cut into runs of frames,
// each encoded on its own (its first frame borrows nothing from the bit
// reservoir, and the filterbank is brought to its state from the input just
// before it), then appended in order behind one Info frame. The bytes depend
// on the cut only, so a fixed segment length gives the same file whatever the
// number of workers.
//
// Use: NewSegments writes the Info frame; for each segment, Input says which
// input samples it needs and EncodeSegment (safe for concurrent use) encodes
// them; Append takes the segments in order; Close completes the Info frame.
type Segments struct {
	w      io.Writer
	e      *Encoder // the stream's layout and Info frame; encodes nothing
	frames int64    // audio frames in the stream
	next   int64    // first frame of the next segment Append expects
	err    error
}

// preroll is the input before a segment that brings the analysis
// filterbank (480 samples of history) and the MDCT (the granule before) to
// their state: two granules at least, rounded to whole frames.
const preroll = 1152

// NewSegments starts a stream of opt.TotalSamples samples (required) on w,
// writing its Info frame. When w is an io.WriteSeeker, Close rewrites the
// Info frame with the CRC of the audio frames.
func NewSegments(w io.Writer, opt Options) (*Segments, error) {
	if opt.TotalSamples <= 0 {
		return nil, errors.New("mp3: segments need Options.TotalSamples")
	}
	e, err := NewEncoder(w, opt)
	if err != nil {
		return nil, err
	}
	e.closed = true // it only keeps the layout and the Info frame
	frames := (opt.TotalSamples + codecDelay + int64(e.spf) - 1) / int64(e.spf)
	return &Segments{w: w, e: e, frames: frames}, nil
}

// FrameSamples is the number of samples per channel in a frame.
func (s *Segments) FrameSamples() int { return s.e.spf }

// Frames is the number of audio frames the stream has (the last ones code
// the codec's delay and zeros after the input).
func (s *Segments) Frames() int64 { return s.frames }

// Input returns the input samples [lo, hi) the segment of frames
// [first, first+count) is made from: the frames' own input and the preroll
// before it, cut to the stream's length (the encoder adds the zeros after
// it).
func (s *Segments) Input(first, count int64) (lo, hi int64) {
	spf := int64(s.e.spf)
	lo = max(0, first*spf-preroll)
	hi = min(s.e.opt.TotalSamples, (first+count)*spf)
	return lo, max(lo, hi)
}

// Segment is an encoded run of frames.
type Segment struct {
	First, Count int64
	data         []byte
}

// Bytes returns the segment's frames.
func (g *Segment) Bytes() []byte { return g.data }

// EncodeSegment encodes frames [first, first+count) from in, the samples
// Input(first, count) names (beep's layout). It may run concurrently with
// other EncodeSegment calls and with Append.
func (s *Segments) EncodeSegment(first, count int64, in [][2]float64) (*Segment, error) {
	if first < 0 || count <= 0 || first+count > s.frames {
		return nil, fmt.Errorf("mp3: segment of frames [%d, %d) outside the stream's %d", first, first+count, s.frames)
	}
	lo, hi := s.Input(first, count)
	if int64(len(in)) != hi-lo {
		return nil, fmt.Errorf("mp3: segment [%d, %d) got %d samples, want %d", first, first+count, len(in), hi-lo)
	}
	seg := &Segment{First: first, Count: count}
	seg.data = make([]byte, 0, s.e.enc.StreamBytes(count)+int64(s.e.enc.FrameLenAt(0))+1)
	enc, err := layer3.New(s.e.enc.Config(), func(f []byte) error {
		seg.data = append(seg.data, f...)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("mp3: %w", err)
	}
	spf := s.e.spf
	var pcm [2][]float64
	pcm[0] = make([]float64, spf)
	pcm[1] = make([]float64, spf)
	load := func(dst [2][]float64, src [][2]float64) {
		s.e.load(dst[0], dst[1], src)
		clear(dst[0][len(src):])
		clear(dst[1][len(src):])
	}
	// in holds input [lo, hi); the stream's zeros follow it.
	at := func(k int64) [][2]float64 {
		if k-lo >= int64(len(in)) {
			return nil
		}
		return in[k-lo:]
	}
	start := first * int64(spf)
	var prePCM [2][]float64
	if pre := int(start - lo); pre > 0 {
		prePCM[0] = make([]float64, pre)
		prePCM[1] = make([]float64, pre)
		src := at(lo)
		load(prePCM, src[:min(len(src), pre)])
	}
	if err := enc.StartAt(first, prePCM); err != nil {
		return nil, fmt.Errorf("mp3: %w", err)
	}
	for f := int64(0); f < count; f++ {
		src := at(start + f*int64(spf))
		load(pcm, src[:min(len(src), spf)])
		if err := enc.EncodeFrame(pcm); err != nil {
			return nil, fmt.Errorf("mp3: %w", err)
		}
	}
	if err := enc.Flush(); err != nil {
		return nil, fmt.Errorf("mp3: %w", err)
	}
	return seg, nil
}

// Append writes the next segment; segments must come in order and cover
// the stream.
func (s *Segments) Append(g *Segment) error {
	if s.err != nil {
		return s.err
	}
	if g.First != s.next {
		return fmt.Errorf("mp3: segment at frame %d appended where frame %d is next", g.First, s.next)
	}
	if _, err := s.w.Write(g.data); err != nil {
		s.err = err
		return err
	}
	s.e.musicCRC = crc16(s.e.musicCRC, g.data)
	s.next += g.Count
	return nil
}

// Close checks that every frame was appended and completes the Info frame.
func (s *Segments) Close() error {
	if s.err != nil {
		return s.err
	}
	if s.next != s.frames {
		return fmt.Errorf("mp3: %d frames of %d appended", s.next, s.frames)
	}
	if s.e.seeker != nil && s.e.info != nil {
		s.e.fillInfo(s.e.opt.TotalSamples)
		if err := s.e.rewriteInfo(); err != nil {
			return fmt.Errorf("mp3: rewriting the info frame: %w", err)
		}
	}
	return nil
}

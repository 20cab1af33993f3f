package audio

import (
	"fmt"
	"io"

	"github.com/gopxl/beep/v2"
	gomp3 "github.com/hajimehoshi/go-mp3"
)

// mp3DecoderDelay is the delay of the MPEG-1 Layer III synthesis (hybrid
// filterbank plus polyphase filter) in samples. ffmpeg adds it to the
// encoder delay from the LAME tag when trimming the start.
const mp3DecoderDelay = 529

// mp3Stream decodes MPEG-1/2 Layer III with go-mp3, but walks the frames
// itself: go-mp3 decodes the Xing/Info frame as silence, does not trim
// encoder delay or padding, and (given a seeker) indexes every frame at
// open, which costs memory in proportion to the file.
type mp3Stream struct {
	cursor // length: the samples the stream yields
	rs     io.ReadSeekCloser
	first  mp3Header // first audio frame
	start  int64     // offset of the first audio frame
	spf    int       // samples per frame
	frames int       // audio frames
	skip   int       // decoded samples dropped at the start (delay + decoder delay)

	dec        *gomp3.Decoder
	feed       *mp3Repacker
	fromFrame  int   // frame the decoder started at
	decoded    int64 // samples read from dec
	discard    int   // samples still to drop before output
	raw        []byte
	rawOff     int
	tailZeroes bool // decoding ended; the rest up to length is silence
}

var _ beep.StreamSeekCloser = (*mp3Stream)(nil)

func decodeMP3(rs io.ReadSeekCloser, off int64) (beep.StreamSeekCloser, beep.Format, error) {
	if _, err := rs.Seek(off, io.SeekStart); err != nil {
		return nil, beep.Format{}, fmt.Errorf("audio: mp3: %w", err)
	}
	var hb [4]byte
	if _, err := io.ReadFull(rs, hb[:]); err != nil {
		return nil, beep.Format{}, fmt.Errorf("audio: mp3: %w", err)
	}
	h0, ok := parseMP3Header(hb)
	if !ok {
		return nil, beep.Format{}, fmt.Errorf("audio: mp3: no Layer III frame: %w", ErrUnsupported)
	}
	if _, err := rs.Seek(off, io.SeekStart); err != nil {
		return nil, beep.Format{}, fmt.Errorf("audio: mp3: %w", err)
	}
	fr := newMP3Frames(rs, off, h0)
	at, h, err := fr.next()
	if err == io.EOF {
		return nil, beep.Format{}, fmt.Errorf("audio: mp3: no whole frame: %w", ErrTruncated)
	}
	if err != nil {
		return nil, beep.Format{}, fmt.Errorf("audio: mp3: %w", err)
	}
	frame, err := fr.read(h)
	if err != nil {
		return nil, beep.Format{}, fmt.Errorf("audio: mp3: %w", err)
	}
	s := &mp3Stream{cursor: cursor{codec: "mp3"}, rs: rs, first: h, start: at, spf: h.samples()}
	info, isTag := parseMP3Tag(h, frame)
	if isTag {
		s.start = fr.pos
	}
	s.frames = info.frames
	if s.frames < 0 {
		// No count in a tag: count the frames (headers only).
		if _, err := rs.Seek(s.start, io.SeekStart); err != nil {
			return nil, beep.Format{}, fmt.Errorf("audio: mp3: %w", err)
		}
		fr = newMP3Frames(rs, s.start, h)
		s.frames = 0
		for {
			_, h, err := fr.next()
			if err == io.EOF {
				break
			}
			if err == nil {
				err = fr.skip(h)
			}
			if err != nil {
				return nil, beep.Format{}, fmt.Errorf("audio: mp3: %w", err)
			}
			s.frames++
		}
	}
	total := s.frames * s.spf
	s.length = total
	if info.trim {
		s.skip = info.delay + mp3DecoderDelay
		s.length = max(total-info.delay-info.padding, 0)
	}
	format := beep.Format{SampleRate: beep.SampleRate(h.sampleRate), NumChannels: 2, Precision: 2}
	if h.mono {
		format.NumChannels = 1
	}
	if s.length > 0 {
		// Decode the first frame now, so that undecodable data fails here.
		if err := s.restart(0, 0, s.skip); err != nil {
			return nil, beep.Format{}, err
		}
	}
	return s, format, nil
}

// restart sets up a decoder that reads from frame from, puts the first prime
// frames in the bit reservoir only, and drops the first discard samples it
// decodes.
func (s *mp3Stream) restart(from, prime, discard int) error {
	var off int64
	var first mp3Header
	if _, err := s.rs.Seek(s.start, io.SeekStart); err != nil {
		return fmt.Errorf("audio: mp3: %w", err)
	}
	fr := newMP3Frames(s.rs, s.start, s.first)
	for i := 0; ; i++ {
		at, h, err := fr.next()
		if err == io.EOF {
			return fmt.Errorf("audio: mp3: frame %d not found: %w", from, ErrTruncated)
		}
		if err != nil {
			return fmt.Errorf("audio: mp3: %w", err)
		}
		if i == from {
			off, first = at, h
			break
		}
		if err := fr.skip(h); err != nil {
			return fmt.Errorf("audio: mp3: %w", err)
		}
	}
	if _, err := s.rs.Seek(off, io.SeekStart); err != nil {
		return fmt.Errorf("audio: mp3: %w", err)
	}
	s.feed = newMP3Repacker(newMP3Frames(s.rs, off, first), s.frames-from, prime)
	dec, err := newGoMP3(s.feed)
	if err != nil {
		return fmt.Errorf("audio: mp3: %w", err)
	}
	s.dec = dec
	s.fromFrame = from + prime
	s.decoded = 0
	s.discard = discard
	s.rawOff = len(s.raw)
	s.tailZeroes = false
	if s.raw == nil {
		s.raw = make([]byte, 0, 4*1152*4)
	}
	s.raw = s.raw[:0]
	s.rawOff = 0
	return nil
}

// newGoMP3 shields the caller from panics in go-mp3 on malformed data.
func newGoMP3(r io.Reader) (d *gomp3.Decoder, err error) {
	defer func() {
		if p := recover(); p != nil {
			d, err = nil, fmt.Errorf("malformed frame (decoder panic: %v)", p)
		}
	}()
	return gomp3.NewDecoder(r)
}

func readGoMP3(d *gomp3.Decoder, p []byte) (n int, err error) {
	defer func() {
		if r := recover(); r != nil {
			n, err = 0, fmt.Errorf("malformed frame (decoder panic: %v)", r)
		}
	}()
	return d.Read(p)
}

// fill reads the next block of decoded bytes into s.raw. It returns io.EOF
// when the decoder has no more.
func (s *mp3Stream) fill() error {
	s.raw = s.raw[:cap(s.raw)]
	n, err := readGoMP3(s.dec, s.raw)
	n &^= 3
	s.raw = s.raw[:n]
	s.rawOff = 0
	s.decoded += int64(n / 4)
	if n > 0 {
		return nil
	}
	if err == nil {
		err = io.ErrNoProgress
	}
	return err
}

func (s *mp3Stream) Stream(samples [][2]float64) (n int, ok bool) {
	if !s.resume() {
		return 0, false
	}
	for n < len(samples) && s.pos < s.length {
		if s.tailZeroes {
			k := min(len(samples)-n, s.length-s.pos)
			clear(samples[n : n+k])
			n += k
			s.pos += k
			break
		}
		if s.rawOff >= len(s.raw) {
			if err := s.fill(); err != nil {
				if err != io.EOF {
					return s.fail(n, fmt.Errorf("audio: mp3: %w", err))
				}
				// The decoder yields whole frames; when it has yielded all
				// of them the remaining samples (padding shorter than the
				// decoder delay) are silence. Fewer frames means a
				// truncated file.
				if s.decoded < int64(s.frames-s.fromFrame)*int64(s.spf) {
					return s.fail(n, fmt.Errorf("audio: mp3: %d of %d samples decoded: %w",
						s.pos, s.length, ErrTruncated))
				}
				s.tailZeroes = true
				continue
			}
		}
		raw := s.raw[s.rawOff:]
		if s.discard > 0 {
			k := min(s.discard, len(raw)/4)
			s.discard -= k
			s.rawOff += 4 * k
			continue
		}
		k := min(len(raw)/4, len(samples)-n, s.length-s.pos)
		for i := range k {
			b := raw[4*i:]
			samples[n+i][0] = float64(int16(uint16(b[0])|uint16(b[1])<<8)) / 32768
			samples[n+i][1] = float64(int16(uint16(b[2])|uint16(b[3])<<8)) / 32768
		}
		s.rawOff += 4 * k
		n += k
		s.pos += k
	}
	return n, n > 0
}

// Seek restarts decoding two frames before the target, after reading enough
// earlier frames to fill the bit reservoir, and drops the samples before the
// target: what follows is identical to a straight decode. Two frames, because
// the target's first samples depend on the polyphase filter's history (16
// slots of 32 samples), which comes from the previous granule's output, which
// depends on the IMDCT overlap of the granule before; an MPEG-2 frame has
// one granule.
func (s *mp3Stream) Seek(p int) error {
	if err := s.checkSeek(p); err != nil {
		return err
	}
	s.err, s.pending = nil, nil
	if p == s.length {
		s.pos = p
		return nil
	}
	t := s.skip + p
	from := max(min(t/s.spf, s.frames-1)-2, 0)
	primeFrom, err := s.reservoirStart(from)
	if err == nil {
		err = s.restart(primeFrom, from-primeFrom, t-from*s.spf)
	}
	if err != nil {
		return err
	}
	s.pos = p
	return nil
}

// reservoirStart returns the frame from which the frames before frame k
// hold at least the largest bit reservoir.
func (s *mp3Stream) reservoirStart(k int) (int, error) {
	const ring = 256
	var md [ring]int
	if _, err := s.rs.Seek(s.start, io.SeekStart); err != nil {
		return 0, fmt.Errorf("audio: mp3: %w", err)
	}
	fr := newMP3Frames(s.rs, s.start, s.first)
	for i := range k {
		_, h, err := fr.next()
		if err == io.EOF {
			return 0, fmt.Errorf("audio: mp3: frame %d not found: %w", k, ErrTruncated)
		}
		if err == nil {
			err = fr.skip(h)
		}
		if err != nil {
			return 0, fmt.Errorf("audio: mp3: %w", err)
		}
		md[i%ring] = h.mainDataSize()
	}
	acc := 0
	for i := k - 1; i >= 0 && i > k-ring; i-- {
		acc += md[i%ring]
		if acc >= s.first.maxReservoir() {
			return i, nil
		}
	}
	return max(k-ring+1, 0), nil
}

func (s *mp3Stream) Close() error {
	s.dec = nil
	s.feed = nil
	return s.closeSource(s.rs)
}

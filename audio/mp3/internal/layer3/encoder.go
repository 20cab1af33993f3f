package layer3

import (
	"errors"
	"fmt"
	"math"

	"routinecast/audio/mp3/internal/tables"
)

// Mode is the channel mode field of the frame header.
type Mode int

// Channel modes (ISO/IEC 11172-3 2.4.2.3). Dual channel is not produced.
const (
	Stereo      Mode = 0
	JointStereo Mode = 1
	Mono        Mode = 3
)

// Config describes the stream an Encoder produces.
type Config struct {
	SampleRate int  // 32000, 44100, 48000 (MPEG-1) or 16000, 22050, 24000 (MPEG-2)
	Bitrate    int  // kbps
	Mode       Mode // Mono, Stereo or JointStereo
}

var bitrates = [2][15]int{
	{0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320},
	{0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160},
}

var sampleRates = [2][3]int{{44100, 48000, 32000}, {22050, 24000, 16000}}

// Bitrates lists the bitrates (kbps) allowed at a sample rate.
func Bitrates(sampleRate int) []int {
	lsf, _, err := rateIndex(sampleRate)
	if err != nil {
		return nil
	}
	return append([]int(nil), bitrates[lsf][1:]...)
}

func rateIndex(sampleRate int) (lsf, index int, err error) {
	for l, rates := range sampleRates {
		for i, r := range rates {
			if r == sampleRate {
				return l, i, nil
			}
		}
	}
	return 0, 0, fmt.Errorf("sample rate %d Hz is not one of 32000, 44100, 48000, 16000, 22050, 24000", sampleRate)
}

// Encoder turns PCM into Layer III frames, handing each finished frame to
// the emit function given to New.
type Encoder struct {
	cfg      Config
	nch, ngr int
	lsf      int
	sfIndex  int
	brIndex  int
	sfb      *[23]int
	sideLen  int
	maxResv  int // bytes of main data a frame may take from earlier frames
	mdbMax   int

	// Frame length: whole + padding, with the padding spread by padAcc.
	whole, rem, den, padAcc int
	padOK                   bool

	ana    [2]analysis
	sbPrev [2]*[32][18]float64
	sbCur  [2]*[32][18]float64
	sbBuf  [4][32][18]float64
	// prevZero says sbPrev[ch] is all zero: the last granule was silent.
	prevZero [2]bool
	gr       [2][2]granule
	split    [2][2]int // region0/1 counts per channel from the last frame
	gain     int       // last frame's common global gain

	bw      bitWriter
	side    bitWriter
	mdBuf   []byte
	sideBuf []byte
	asm     assembler
	frames  int64

	// noSameShortcut turns off transforming equal channels once; tests set
	// it to check that the shortcut changes nothing. sameGranules counts the
	// granules the shortcut served. Both are per encoder: encoders run
	// concurrently (pack builds, segment encoding).
	noSameShortcut bool
	sameGranules   int
}

// New returns an Encoder for cfg that passes every complete frame to emit.
func New(cfg Config, emit func(frame []byte) error) (*Encoder, error) {
	lsf, sfIndex, err := rateIndex(cfg.SampleRate)
	if err != nil {
		return nil, err
	}
	brIndex := 0
	for i, b := range bitrates[lsf] {
		if i > 0 && b == cfg.Bitrate {
			brIndex = i
		}
	}
	if brIndex == 0 {
		return nil, fmt.Errorf("bitrate %d kbps is not allowed at %d Hz (allowed: %v)", cfg.Bitrate, cfg.SampleRate, bitrates[lsf][1:])
	}
	e := &Encoder{cfg: cfg, lsf: lsf, sfIndex: sfIndex, brIndex: brIndex}
	switch cfg.Mode {
	case Mono:
		e.nch = 1
	case Stereo, JointStereo:
		e.nch = 2
	default:
		return nil, errors.New("unknown channel mode")
	}
	e.ngr = 2 - lsf
	e.sfb = &tables.SfbLong[lsf][sfIndex]
	switch {
	case lsf == 0 && e.nch == 1:
		e.sideLen = 17
	case lsf == 0:
		e.sideLen = 32
	case e.nch == 1:
		e.sideLen = 9
	default:
		e.sideLen = 17
	}
	num := 144000 * cfg.Bitrate
	if lsf == 1 {
		num = 72000 * cfg.Bitrate
	}
	e.whole, e.rem, e.den = num/cfg.SampleRate, num%cfg.SampleRate, cfg.SampleRate
	e.padOK = padAllowed(lsf, e.whole, e.rem, e.den)
	e.mdbMax = 511
	if lsf == 1 {
		e.mdbMax = 255
	}
	// The decoder's input buffer holds 7680 bits: a frame plus the
	// reservoir it draws on must fit.
	e.maxResv = min(e.mdbMax, max(0, (7680-8*(e.whole+1))/8))
	for gr := range e.gr {
		for ch := range e.gr[gr] {
			e.gr[gr][ch].sfb = e.sfb
		}
	}
	for ch := 0; ch < 2; ch++ {
		e.sbPrev[ch] = &e.sbBuf[2*ch]
		e.sbCur[ch] = &e.sbBuf[2*ch+1]
		e.split[ch] = [2]int{7, 6}
	}
	e.gain = 150
	e.asm.emit = emit
	return e, nil
}

// padAllowed reports whether frames may carry the padding byte.
// go-mp3 (v0.3.4) computes an MPEG-2 frame's length as (144·bitrate/rate +
// padding) >> 1 instead of 72·bitrate/rate + padding; where the two differ
// (22.05 kHz at some bitrates) it would lose the padding byte and misread the
// bit reservoir, so those streams are written without padding: a bitrate
// up to 0.5% under the nominal one, which decoders do not check.
func padAllowed(lsf, whole, rem, den int) bool {
	if rem == 0 {
		return false
	}
	if lsf == 0 {
		return true
	}
	// 144·br/rate = 2·whole + (2·rem >= den ? 1 : 0).
	return 2*rem >= den
}

// Config returns the configuration the encoder was made with.
func (e *Encoder) Config() Config { return e.cfg }

// FrameSamples returns the samples per channel that EncodeFrame takes.
func (e *Encoder) FrameSamples() int { return 576 * e.ngr }

// Frames returns the number of frames encoded so far.
func (e *Encoder) Frames() int64 { return e.frames }

// nextFrameBytes returns the length of the next frame and its padding bit.
func (e *Encoder) nextFrameBytes() (int, int) {
	if !e.padOK {
		return e.whole, 0
	}
	e.padAcc += e.rem
	if e.padAcc >= e.den {
		e.padAcc -= e.den
		return e.whole + 1, 1
	}
	return e.whole, 0
}

// StreamBytes returns the bytes of the first n frames of the stream: the
// padding spreads by a running remainder, so n frames hold
// floor(n·rem/den) padding bytes.
func (e *Encoder) StreamBytes(n int64) int64 {
	b := n * int64(e.whole)
	if e.padOK {
		b += n * int64(e.rem) / int64(e.den)
	}
	return b
}

// Header returns a frame header for this stream with the given bitrate index
// (0 for the stream's own), padding bit and mode extension.
func (e *Encoder) Header(brIndex, pad, modeExt int) [4]byte {
	if brIndex == 0 {
		brIndex = e.brIndex
	}
	var h [4]byte
	h[0] = 0xFF
	// Sync, version (11 MPEG-1, 10 MPEG-2), layer III (01), no CRC.
	h[1] = 0xFB
	if e.lsf == 1 {
		h[1] = 0xF3
	}
	h[2] = byte(brIndex<<4 | e.sfIndex<<2 | pad<<1)
	h[3] = byte(int(e.cfg.Mode)<<6 | modeExt<<4 | 1<<2) // original
	return h
}

// SideInfoLen returns the length of the side information.
func (e *Encoder) SideInfoLen() int { return e.sideLen }

// BitrateIndexFor returns the bitrate index of the smallest bitrate whose
// frames hold at least n bytes, or 0 when none does.
func (e *Encoder) BitrateIndexFor(n int) int {
	for i := 1; i < 15; i++ {
		num := 144000 * bitrates[e.lsf][i]
		if e.lsf == 1 {
			num /= 2
		}
		if num/e.cfg.SampleRate >= n {
			return i
		}
	}
	return 0
}

// FrameLenAt returns the unpadded frame length at bitrate index i (0 for
// the stream's own bitrate).
func (e *Encoder) FrameLenAt(i int) int {
	if i == 0 {
		i = e.brIndex
	}
	num := 144000 * bitrates[e.lsf][i]
	if e.lsf == 1 {
		num /= 2
	}
	return num / e.cfg.SampleRate
}

// EncodeFrame encodes one frame: pcm[ch] holds FrameSamples() samples of
// channel ch in [-1, 1].
func (e *Encoder) EncodeFrame(pcm [2][]float64) error {
	for gr := 0; gr < e.ngr; gr++ {
		// Both channels equal (a mono source played in stereo, common for
		// narration) and filter states equal: transform once.
		same := !e.noSameShortcut && e.nch == 2 && equal(pcm[0][576*gr:576*gr+576], pcm[1][576*gr:576*gr+576]) &&
			equal(e.ana[0].buf[:histLen], e.ana[1].buf[:histLen]) && *e.sbPrev[0] == *e.sbPrev[1]
		for ch := 0; ch < e.nch; ch++ {
			if same && ch == 1 {
				e.sameGranules++
				e.ana[1].buf = e.ana[0].buf
				*e.sbPrev[1] = *e.sbPrev[0] // the granule just done, after the swap
				e.prevZero[1] = e.prevZero[0]
				e.gr[gr][1].xr = e.gr[gr][0].xr
				continue
			}
			e.transform(ch, pcm[ch][576*gr:576*gr+576], &e.gr[gr][ch].xr)
		}
	}
	modeExt := 0
	if e.cfg.Mode == JointStereo && e.useMS() {
		modeExt = 2
		for gr := 0; gr < e.ngr; gr++ {
			l, r := &e.gr[gr][0].xr, &e.gr[gr][1].xr
			for i := range l {
				m, s := (l[i]+r[i])*math.Sqrt2/2, (l[i]-r[i])*math.Sqrt2/2
				l[i], r[i] = m, s
			}
		}
	}

	frameBytes, pad := e.nextFrameBytes()
	slots := frameBytes - 4 - e.sideLen
	mdb := min(e.asm.free(), e.maxResv)
	e.allocate((mdb + slots) * 8)

	// Main data: Huffman data of each granule and channel in order.
	e.bw.reset(e.mdBuf)
	for gr := 0; gr < e.ngr; gr++ {
		for ch := 0; ch < e.nch; ch++ {
			e.gr[gr][ch].write(&e.bw, e.sfb)
		}
	}
	md := e.bw.bytes()
	e.mdBuf = md
	if len(md) > mdb+slots {
		return fmt.Errorf("internal error: main data %d bytes exceeds %d", len(md), mdb+slots)
	}

	h := e.Header(0, pad, modeExt)
	e.side.reset(e.sideBuf)
	for _, b := range h {
		e.side.write(uint32(b), 8)
	}
	e.writeSideInfo(mdb)
	head := e.side.bytes()
	e.sideBuf = head
	e.frames++
	return e.asm.add(head, slots, mdb, md)
}

// Flush writes out the frames still waiting for their main data slots.
func (e *Encoder) Flush() error { return e.asm.close() }

// StartAt makes a new Encoder continue a stream at frame index frame, so
// that segments of one stream can be encoded apart and joined: frame
// lengths (the padding byte) follow the stream's frame count, and pre, the
// input just before the frame (whole granules, at least 1152 samples per
// channel unless the stream starts there), brings the filterbank and the
// MDCT to the state they would have had. Nothing is emitted for pre, and the
// first frame takes nothing from a bit reservoir: the segment stands alone.
// It must be called before the first EncodeFrame.
func (e *Encoder) StartAt(frame int64, pre [2][]float64) error {
	if e.frames != 0 || frame < 0 || len(pre[0])%576 != 0 || (e.nch == 2 && len(pre[1]) != len(pre[0])) {
		return errors.New("internal error: StartAt on a used encoder or with partial granules")
	}
	if e.padOK {
		e.padAcc = int(frame * int64(e.rem) % int64(e.den))
	}
	var xr [576]float64
	for g := 0; g < len(pre[0])/576; g++ {
		for ch := 0; ch < e.nch; ch++ {
			e.transform(ch, pre[ch][576*g:576*g+576], &xr)
		}
	}
	return nil
}

// transform takes one granule of channel ch through the filterbank and the
// MDCT into xr. Silence is common in a guided routine (the pauses between
// lines, the quiet of a hold), and where the filterbank's window holds only
// zeros its output is zero: both transforms are skipped there, with the same
// result.
func (e *Encoder) transform(ch int, pcm []float64, xr *[576]float64) {
	a := &e.ana[ch]
	copy(a.input(), pcm)
	silent := a.silent()
	if silent {
		clear(e.sbCur[ch][:])
		a.shift()
	} else {
		a.run(e.sbCur[ch])
	}
	if silent && e.prevZero[ch] {
		clear(xr[:])
	} else {
		mdctGranule(e.sbPrev[ch], e.sbCur[ch], xr)
	}
	e.sbPrev[ch], e.sbCur[ch] = e.sbCur[ch], e.sbPrev[ch]
	e.prevZero[ch] = silent
}

func (e *Encoder) writeSideInfo(mdb int) {
	w := &e.side
	if e.lsf == 0 {
		w.write(uint32(mdb), 9)
		if e.nch == 1 {
			w.write(0, 5)
		} else {
			w.write(0, 3)
		}
		w.write(0, 4*e.nch) // scfsi
	} else {
		w.write(uint32(mdb), 8)
		w.write(0, e.nch) // private bits
	}
	for gr := 0; gr < e.ngr; gr++ {
		for ch := 0; ch < e.nch; ch++ {
			g := &e.gr[gr][ch]
			w.write(uint32(g.part23), 12)
			w.write(uint32(g.bigValues), 9)
			w.write(uint32(g.gain), 8)
			if e.lsf == 0 {
				w.write(0, 4) // scalefac_compress
			} else {
				w.write(0, 9)
			}
			w.write(0, 1) // window_switching_flag
			for r := 0; r < 3; r++ {
				w.write(uint32(g.table[r]), 5)
			}
			w.write(uint32(g.region0), 4)
			w.write(uint32(g.region1), 3)
			if e.lsf == 0 {
				w.write(0, 1) // preflag
			}
			w.write(0, 1) // scalefac_scale
			w.write(uint32(g.count1Table), 1)
		}
	}
}

// equal reports whether a and b hold the same values.
func equal(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i, v := range a {
		if v != b[i] {
			return false
		}
	}
	return true
}

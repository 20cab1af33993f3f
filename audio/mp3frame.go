package audio

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"
)

// mp3Header is the decoded 4-byte header of an MPEG audio Layer III frame
// (ISO 11172-3 2.4.1.3; ISO 13818-3 for the half sample rates).
type mp3Header struct {
	lsf        bool // MPEG-2 "low sampling frequency": 576 samples a frame
	crc        bool // a 16-bit CRC follows the header
	bitrate    int  // kbit/s
	sampleRate int
	padding    int
	mono       bool
	size       int // whole frame, header included, in bytes
}

var (
	mp3Bitrates = [2][16]int{
		{0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, -1}, // MPEG-1
		{0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160, -1},     // MPEG-2
	}
	mp3Rates = [2][4]int{{44100, 48000, 32000, -1}, {22050, 24000, 16000, -1}}
)

// parseMP3Header decodes a Layer III frame header of MPEG-1 or MPEG-2. It
// rejects MPEG-2.5, other layers and the free-format bitrate, which the
// decoder (go-mp3) does not handle, so that a frame accepted here can be
// decoded.
func parseMP3Header(b [4]byte) (mp3Header, bool) {
	h := binary.BigEndian.Uint32(b[:])
	if h>>21 != 0x7ff {
		return mp3Header{}, false
	}
	version := (h >> 19) & 3 // 3 MPEG-1, 2 MPEG-2, 0 MPEG-2.5, 1 reserved
	layer := (h >> 17) & 3   // 1 Layer III
	if (version != 3 && version != 2) || layer != 1 {
		return mp3Header{}, false
	}
	lsf := 0
	if version == 2 {
		lsf = 1
	}
	br := mp3Bitrates[lsf][(h>>12)&15]
	sr := mp3Rates[lsf][(h>>10)&3]
	if br <= 0 || sr < 0 || h&3 == 2 { // free format, reserved rate or emphasis
		return mp3Header{}, false
	}
	hd := mp3Header{
		lsf:        lsf == 1,
		crc:        (h>>16)&1 == 0,
		bitrate:    br,
		sampleRate: sr,
		padding:    int((h >> 9) & 1),
		mono:       (h>>6)&3 == 3,
	}
	if hd.lsf {
		hd.size = 72000*br/sr + hd.padding
	} else {
		hd.size = 144000*br/sr + hd.padding
	}
	return hd, true
}

// mpegUnsupported names the kind of MPEG audio a valid header announces when
// the decoder cannot decode it, or returns "".
func mpegUnsupported(b [4]byte) string {
	h := binary.BigEndian.Uint32(b[:])
	if h>>21 != 0x7ff || (h>>19)&3 == 1 || (h>>17)&3 == 0 || (h>>12)&15 == 15 || (h>>10)&3 == 3 {
		return ""
	}
	switch {
	case (h>>19)&3 == 0:
		return "MPEG-2.5 audio (sample rates below 16 kHz)"
	case (h>>17)&3 != 1:
		return fmt.Sprintf("MPEG audio Layer %d (only Layer III)", 4-(h>>17)&3)
	case (h>>12)&15 == 0:
		return "free-format MP3"
	}
	return ""
}

// samples returns the number of samples a frame decodes to.
func (h mp3Header) samples() int {
	if h.lsf {
		return 576
	}
	return 1152
}

// sideInfoSize returns the size of the side information that follows the
// header (and CRC).
func (h mp3Header) sideInfoSize() int {
	switch {
	case h.lsf && h.mono:
		return 9
	case h.lsf, h.mono:
		return 17
	}
	return 32
}

// mainDataSize is the number of bytes of the frame that feed the bit
// reservoir.
func (h mp3Header) mainDataSize() int {
	n := h.size - 4 - h.sideInfoSize()
	if h.crc {
		n -= 2
	}
	return max(n, 0)
}

// maxReservoir is the furthest back main_data_begin can point, in bytes.
func (h mp3Header) maxReservoir() int {
	if h.lsf {
		return 255
	}
	return 511
}

// compatible reports whether a header can belong to the same stream as h:
// a frame with another version or sample rate is taken for junk.
func (h mp3Header) compatible(o mp3Header) bool {
	return h.lsf == o.lsf && h.sampleRate == o.sampleRate
}

// mp3Info is what the first frame's Xing/Info or VBRI tag says.
type mp3Info struct {
	frames  int  // audio frames after the tag frame; -1 when not given
	trim    bool // delay and padding are to be applied
	delay   int  // encoder delay in samples
	padding int  // samples of padding at the end
}

// parseMP3Tag looks for a Xing/Info or VBRI tag in the first frame. ok is
// false when the frame is an ordinary audio frame.
//
// Delay and padding come from the LAME extension that LAME and FFmpeg (Lavf,
// Lavc) write after the Xing fields; ffmpeg applies them only for those
// encoder strings, and so do we.
func parseMP3Tag(h mp3Header, frame []byte) (info mp3Info, ok bool) {
	info.frames = -1
	off := 4 + h.sideInfoSize()
	for _, o := range []int{off, off + 2} { // some encoders count the CRC, some do not
		if o+8 > len(frame) {
			break
		}
		id := string(frame[o : o+4])
		if id != "Xing" && id != "Info" {
			continue
		}
		p := frame[o+4:]
		flags := binary.BigEndian.Uint32(p)
		p = p[4:]
		take := func(n int) []byte {
			if len(p) < n {
				p = nil
				return nil
			}
			b := p[:n]
			p = p[n:]
			return b
		}
		if flags&1 != 0 {
			if b := take(4); b != nil {
				info.frames = int(binary.BigEndian.Uint32(b))
			}
		}
		if flags&2 != 0 {
			take(4)
		}
		if flags&4 != 0 {
			take(100)
		}
		if flags&8 != 0 {
			take(4)
		}
		if len(p) >= 24 {
			enc := string(p[:4])
			if enc == "LAME" || enc == "Lavf" || enc == "Lavc" {
				info.delay = int(p[21])<<4 | int(p[22])>>4
				info.padding = int(p[22]&15)<<8 | int(p[23])
				info.trim = true
			}
		}
		return info, true
	}
	// Fraunhofer's VBRI tag sits 32 bytes after the header whatever the mode.
	if len(frame) >= 36+18 && string(frame[36:40]) == "VBRI" {
		info.frames = int(binary.BigEndian.Uint32(frame[36+14:]))
		return info, true
	}
	return info, false
}

// mp3Frames walks the frames of a stream, skipping junk between them. The
// same walk counts frames, finds seek points and feeds the decoder, so all
// three agree on what a frame is.
type mp3Frames struct {
	br     *bufio.Reader
	pos    int64 // offset of the next byte br returns
	first  mp3Header
	synced bool // pos is where the previous frame ended
	buf    []byte
}

func newMP3Frames(r io.Reader, pos int64, first mp3Header) *mp3Frames {
	return &mp3Frames{br: bufio.NewReaderSize(r, 64<<10), pos: pos, first: first, synced: true}
}

// next finds the next whole frame and returns its offset and header, leaving
// the reader at the frame's first byte. It returns io.EOF at the end of the
// data, a truncated final frame included. A frame right where the previous
// one ended is trusted; after junk, a candidate counts only when another
// frame (or the end, or an ID3v1 tag) follows it, so that stray sync
// patterns in junk are not taken for audio.
func (f *mp3Frames) next() (int64, mp3Header, error) {
	inSync := f.synced
	f.synced = false
	for {
		b, err := f.br.Peek(4)
		if len(b) < 4 {
			if err != nil && err != io.EOF && err != bufio.ErrBufferFull {
				return 0, mp3Header{}, err
			}
			return 0, mp3Header{}, io.EOF
		}
		h, ok := parseMP3Header([4]byte(b))
		if ok && h.compatible(f.first) {
			b, err := f.br.Peek(h.size + 4)
			if len(b) < h.size {
				if err != nil && err != io.EOF && err != bufio.ErrBufferFull {
					return 0, mp3Header{}, err
				}
				return 0, mp3Header{}, io.EOF
			}
			confirmed := inSync || len(b) < h.size+4 || string(b[h.size:h.size+3]) == "TAG"
			if !confirmed {
				h2, ok := parseMP3Header([4]byte(b[h.size:]))
				confirmed = ok && h2.compatible(f.first)
			}
			if confirmed {
				return f.pos, h, nil
			}
		}
		inSync = false
		if _, err := f.br.Discard(1); err != nil {
			return 0, mp3Header{}, io.EOF
		}
		f.pos++
	}
}

// skip moves past the frame next returned.
func (f *mp3Frames) skip(h mp3Header) error {
	n, err := f.br.Discard(h.size)
	f.pos += int64(n)
	f.synced = err == nil
	return err
}

// read returns the bytes of the frame next returned; valid until the next call.
func (f *mp3Frames) read(h mp3Header) ([]byte, error) {
	if cap(f.buf) < h.size {
		f.buf = make([]byte, h.size)
	}
	b := f.buf[:h.size]
	n, err := io.ReadFull(f.br, b)
	f.pos += int64(n)
	f.synced = err == nil
	return b, err
}

// findMP3Sync looks for a confirmed Layer III frame within limit bytes of off.
func findMP3Sync(r io.ReadSeeker, off int64, limit int64) (int64, bool) {
	if _, err := r.Seek(off, io.SeekStart); err != nil {
		return 0, false
	}
	br := bufio.NewReaderSize(io.LimitReader(r, limit+2*1441+8), 64<<10)
	pos := off
	for pos < off+limit {
		b, _ := br.Peek(4)
		if len(b) < 4 {
			return 0, false
		}
		if h, ok := parseMP3Header([4]byte(b)); ok {
			b, _ := br.Peek(h.size + 4)
			if len(b) == h.size+4 {
				if h2, ok := parseMP3Header([4]byte(b[h.size:])); ok && h2.compatible(h) {
					return pos, true
				}
			}
		}
		if _, err := br.Discard(1); err != nil {
			return 0, false
		}
		pos++
	}
	return 0, false
}

package audio

import (
	"errors"
	"io"
)

// mp3Repacker rewrites the frames it hands to go-mp3 so that go-mp3's
// weaknesses cannot show:
//
//   - go-mp3 v0.3.4 computes the size of an MPEG-2 frame as
//     (144·bitrate/rate + padding) >> 1, which drops the padding byte when
//     144·bitrate/rate is even (22.05 kHz at 8-32, 80, 96, 144 or 160
//     kbit/s). It then resynchronises one byte later, the byte is missing
//     from its bit reservoir, and every frame that reaches back over it
//     decodes to loud noise.
//   - after a seek, go-mp3 decodes the first frames from a reservoir it
//     does not have (noise, or a Huffman error).
//
// Each frame's main data (scalefactors and Huffman codes, which may begin in
// earlier frames: the bit reservoir) is cut out of the source and laid out
// anew in frames of the largest bitrate, without CRC or padding, whose size
// go-mp3 computes right. Side information is copied unchanged apart from
// main_data_begin, so the decoded samples are exactly those of the source.
type mp3Repacker struct {
	fr    *mp3Frames
	left  int    // source frames still to read
	prime int    // source frames to read into the reservoir without output
	res   []byte // the tail of the source's main data stream

	// The new main data stream: queue holds frames whose main data area
	// may still receive bytes; area holds those areas, from position base.
	queue []*mp3OutFrame
	area  []byte
	base  int // stream position of area[0]
	q     int // stream position where the next frame's area starts
	w     int // stream position after the last frame's data

	out []byte // bytes ready for go-mp3
	err error
}

type mp3OutFrame struct {
	head []byte // header and side information
	at   int    // stream position of its main data area
	size int    // size of that area
}

func newMP3Repacker(fr *mp3Frames, frames, prime int) *mp3Repacker {
	return &mp3Repacker{fr: fr, left: frames, prime: prime}
}

func (r *mp3Repacker) Read(p []byte) (int, error) {
	for len(r.out) == 0 {
		if r.err != nil {
			return 0, r.err
		}
		if err := r.step(); err != nil {
			r.err = err
			r.emit(len(r.queue)) // the end: hand over what is held back
		}
	}
	n := copy(p, r.out)
	r.out = r.out[n:]
	return n, nil
}

// step reads one source frame and repacks it.
func (r *mp3Repacker) step() error {
	if r.left <= 0 {
		return io.EOF
	}
	_, h, err := r.fr.next()
	if err != nil {
		return err
	}
	raw, err := r.fr.read(h)
	if err != nil {
		if errors.Is(err, io.ErrUnexpectedEOF) {
			err = io.EOF
		}
		return err
	}
	r.left--
	siStart := 4
	if h.crc {
		siStart += 2
	}
	si := raw[siStart : siStart+h.sideInfoSize()]
	own := raw[siStart+h.sideInfoSize():]
	mdb, bits := mp3SideInfo(h, si)
	need := (bits + 7) / 8

	// The frame's data: mdb bytes back in the reservoir, need bytes long.
	var data []byte
	ok := mdb <= len(r.res) && need <= mdb+len(own)
	if ok {
		start := len(r.res) - mdb
		if need <= mdb {
			data = append([]byte(nil), r.res[start:start+need]...)
		} else {
			data = append(append([]byte(nil), r.res[start:]...), own[:need-mdb]...)
		}
	}
	r.res = append(r.res, own...)
	if keep := 2 * 511; len(r.res) > keep {
		r.res = append(r.res[:0], r.res[len(r.res)-keep:]...)
	}
	if r.prime > 0 {
		r.prime--
		return nil
	}

	// The new frame: same header but the largest bitrate, no CRC, no
	// padding; its main data area starts at q.
	hb := uint32(raw[0])<<24 | uint32(raw[1])<<16 | uint32(raw[2])<<8 | uint32(raw[3])
	hb |= 1 << 16                   // protection bit set: no CRC
	hb = hb&^(0xf<<12) | (14 << 12) // bitrate index 14: 320 or 160 kbit/s
	hb &^= 1 << 9                   // no padding
	nh, _ := parseMP3Header([4]byte{byte(hb >> 24), byte(hb >> 16), byte(hb >> 8), byte(hb)})
	f := &mp3OutFrame{head: make([]byte, 4+len(si)), at: r.q, size: nh.size - 4 - len(si)}
	f.head[0], f.head[1], f.head[2], f.head[3] = byte(hb>>24), byte(hb>>16), byte(hb>>8), byte(hb)
	copy(f.head[4:], si)
	r.area = append(r.area, make([]byte, f.size)...)
	r.q += f.size
	r.queue = append(r.queue, f)

	// Place the data as early as the reservoir allows: after the previous
	// frame's data, at most maxReservoir before this frame's area.
	start := max(r.w, f.at-nh.maxReservoir())
	if ok && start+len(data) > f.at+f.size {
		ok = false // cannot happen for a valid source: the new areas are larger
	}
	if !ok {
		// The data is not there (a stream cut in the middle, or a broken
		// one): decode the frame as silence, as other decoders do.
		mp3ClearData(h, f.head[4:])
		start, data = f.at, nil
	}
	mp3SetMainDataBegin(h, f.head[4:], f.at-start)
	copy(r.area[start-r.base:], data)
	r.w = start + len(data)

	// Areas wholly before where the next frame's data may start are final.
	final := 0
	for final < len(r.queue) && r.queue[final].at+r.queue[final].size <= max(r.w, r.q-nh.maxReservoir()) {
		final++
	}
	r.emit(final)
	return nil
}

// emit moves the first n queued frames to the output.
func (r *mp3Repacker) emit(n int) {
	for _, f := range r.queue[:n] {
		r.out = append(r.out, f.head...)
		r.out = append(r.out, r.area[f.at-r.base:f.at-r.base+f.size]...)
	}
	if n > 0 {
		last := r.queue[n-1]
		drop := last.at + last.size - r.base
		r.area = append(r.area[:0], r.area[drop:]...)
		r.base += drop
		r.queue = append(r.queue[:0], r.queue[n:]...)
	}
}

// mp3SideInfo returns main_data_begin and the total part2_3_length (bits of
// main data) from a frame's side information (ISO 11172-3 2.4.1.7, ISO
// 13818-3 2.4.1.7).
func mp3SideInfo(h mp3Header, si []byte) (mdb, bits int) {
	b := bitReader{b: si}
	nch := 2
	if h.mono {
		nch = 1
	}
	if h.lsf {
		mdb = b.read(8)
		b.skip(2 - (2 - nch)) // private bits: 1 mono, 2 stereo
		for range nch {
			bits += b.read(12)
			b.skip(63 - 12)
		}
		return mdb, bits
	}
	mdb = b.read(9)
	if nch == 1 {
		b.skip(5 + 4)
	} else {
		b.skip(3 + 8)
	}
	for range 2 * nch {
		bits += b.read(12)
		b.skip(59 - 12)
	}
	return mdb, bits
}

// mp3SetMainDataBegin writes main_data_begin into side information.
func mp3SetMainDataBegin(h mp3Header, si []byte, v int) {
	if h.lsf {
		si[0] = byte(v)
		return
	}
	si[0] = byte(v >> 1)
	si[1] = si[1]&0x7f | byte(v&1)<<7
}

// mp3ClearData zeroes every part2_3_length and big_values, so that the frame
// decodes to silence without reading main data.
func mp3ClearData(h mp3Header, si []byte) {
	nch := 2
	if h.mono {
		nch = 1
	}
	var pos, n, stride int
	if h.lsf {
		pos, n, stride = 8+nch, nch, 63
	} else {
		pos, n, stride = 9+map[int]int{1: 9, 2: 11}[nch], 2*nch, 59
	}
	for range n {
		for i := range 12 + 9 { // part2_3_length and big_values
			si[(pos+i)/8] &^= 0x80 >> ((pos + i) % 8)
		}
		pos += stride
	}
}

// bitReader reads big-endian bit fields.
type bitReader struct {
	b   []byte
	pos int
}

func (r *bitReader) read(n int) int {
	v := 0
	for range n {
		v = v<<1 | int(r.b[r.pos/8]>>(7-r.pos%8)&1)
		r.pos++
	}
	return v
}

func (r *bitReader) skip(n int) { r.pos += n }

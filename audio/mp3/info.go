package mp3

import (
	"encoding/binary"
)

// The Info tag (the Xing header as LAME writes it for constant bitrate) and
// the LAME extension that follows it, laid out as LAME 3.100 writes them.
const (
	infoTagLen = 120 // "Info", flags, frames, bytes, seek table, quality
	lameExtLen = 36  // encoder string .. tag CRC
	infoFlags  = 0xF // frames, bytes, seek table and quality present

	// decoderDelay is the delay, in samples, of a standard decoder's
	// synthesis (528 + 1), which players add to the tag's encoder delay.
	decoderDelay = 529
)

// encoderString fills the tag's 9-byte encoder version field. ffmpeg (and
// with it most players built on it) reads the encoder delay and padding
// only when the field starts with "LAME", "Lavf" or "Lavc"; "LAME" names
// the tag format LAME defined and that this tag follows. The rest says
// which encoder wrote it, so that nobody mistakes it for a LAME version
// (a version parser finds no number after "LAME").
const encoderString = "LAMErcast"

// infoFields are the values the Info frame records.
type infoFields struct {
	frames     int64 // audio frames after the Info frame
	bytes      int64 // bytes of the whole stream, Info frame included
	toc        [100]byte
	delay      int // encoder delay in samples (12 bits)
	padding    int // padding at the end in samples (12 bits)
	bitrate    int // kbps
	stereoMode int // LAME's code: 0 mono, 1 stereo, 3 joint stereo
	sampleRate int
	musicCRC   uint16 // CRC-16 of the frames after the Info frame
}

// buildInfo fills frame (the Info frame, header already written, the rest
// zero) with the tag at offset off (after the side information).
func buildInfo(frame []byte, off int, f infoFields) {
	t := frame[off:]
	copy(t, "Info")
	binary.BigEndian.PutUint32(t[4:], infoFlags)
	binary.BigEndian.PutUint32(t[8:], sat32(f.frames))
	binary.BigEndian.PutUint32(t[12:], sat32(f.bytes))
	copy(t[16:116], f.toc[:])
	binary.BigEndian.PutUint32(t[116:], 0) // quality: not meaningful here
	x := t[infoTagLen:]
	copy(x[0:9], encoderString)
	x[9] = 0x01 // tag revision 0, VBR method 1: constant bitrate
	x[10] = 0   // lowpass: none applied
	// Peak amplitude and ReplayGain (x[11:19]) are left unset.
	x[19] = 0 // encoding flags, ATH type
	x[20] = byte(min(f.bitrate, 255))
	d, p := min(max(f.delay, 0), 4095), min(max(f.padding, 0), 4095)
	x[21] = byte(d >> 4)
	x[22] = byte(d<<4 | p>>8)
	x[23] = byte(p)
	var sf byte
	switch {
	case f.sampleRate < 32000:
		sf = 0
	case f.sampleRate == 44100:
		sf = 1
	case f.sampleRate == 48000:
		sf = 2
	default: // 32 kHz counts with "32 kHz and below"
		sf = 0
	}
	x[24] = sf<<6 | byte(f.stereoMode)<<2 // misc: no noise shaping, not unwise
	x[25] = 0                             // MP3 gain
	binary.BigEndian.PutUint16(x[26:], 0) // preset, surround
	binary.BigEndian.PutUint32(x[28:], sat32(f.bytes))
	binary.BigEndian.PutUint16(x[32:], f.musicCRC)
	binary.BigEndian.PutUint16(x[34:], crc16(0, frame[:off+infoTagLen+34]))
}

// sat32 clamps v to the 32 bits of a tag field (a stream over 4 GiB).
func sat32(v int64) uint32 { return uint32(min(max(v, 0), 1<<32-1)) }

// crc16 continues a CRC-16/ARC (polynomial 0x8005, reflected), the CRC the
// LAME tag uses for the tag and the music.
func crc16(crc uint16, b []byte) uint16 {
	for _, v := range b {
		crc = crcTable[byte(crc)^v] ^ crc>>8
	}
	return crc
}

var crcTable = func() (t [256]uint16) {
	for i := range t {
		c := uint16(i)
		for k := 0; k < 8; k++ {
			if c&1 != 0 {
				c = c>>1 ^ 0xA001
			} else {
				c >>= 1
			}
		}
		t[i] = c
	}
	return t
}()

// seekTable returns the Xing seek table: entry i is the position of the
// audio frame at i% of the duration, in 256ths of the stream's bytes,
// counted from the first audio frame as ffmpeg reads it. frameStart gives
// the offset of audio frame k from the first.
func seekTable(frames int64, total int64, frameStart func(k int64) int64) (toc [100]byte) {
	if total <= 0 || frames <= 0 {
		return toc
	}
	for i := range toc {
		k := int64(i) * frames / 100
		v := frameStart(k) * 256 / total
		toc[i] = byte(min(v, 255))
	}
	return toc
}

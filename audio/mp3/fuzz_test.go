package mp3

import (
	"encoding/binary"
	"testing"
)

// fuzzConfigs are the streams the fuzz test picks from with its first byte.
var fuzzConfigs = []Options{
	{SampleRate: 24000, Bitrate: 40, Mode: Mono},
	{SampleRate: 22050, Bitrate: 32, Mode: Mono},
	{SampleRate: 16000, Bitrate: 8, Mode: JointStereo},
	{SampleRate: 44100, Bitrate: 128, Mode: JointStereo},
	{SampleRate: 44100, Bitrate: 32, Mode: Stereo},
	{SampleRate: 48000, Bitrate: 320, Mode: JointStereo},
	{SampleRate: 32000, Bitrate: 64, Mode: Mono},
	{SampleRate: 22050, Bitrate: 160, Mode: Stereo},
}

// FuzzEncode feeds arbitrary PCM (16-bit little-endian stereo, optionally
// repeated to make it loud and long enough to fill the reservoir) and
// checks that the stream always decodes with go-mp3 to the expected length
// and that its frames and Info tag are consistent.
func FuzzEncode(f *testing.F) {
	f.Add([]byte{0, 1})
	f.Add([]byte{3, 4, 0x00, 0x80, 0xff, 0x7f, 0x00, 0x80, 0xff, 0x7f})
	f.Add([]byte{5, 200, 0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc})
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) < 2 {
			return
		}
		opt := fuzzConfigs[int(data[0])%len(fuzzConfigs)]
		repeat := int(data[1])%64 + 1
		pcm := data[2:]
		var in [][2]float64
		for r := 0; r < repeat; r++ {
			for i := 0; i+4 <= len(pcm); i += 4 {
				l := float64(int16(binary.LittleEndian.Uint16(pcm[i:]))) / 32768
				rr := float64(int16(binary.LittleEndian.Uint16(pcm[i+2:]))) / 32768
				in = append(in, [2]float64{l, rr})
			}
		}
		if len(in) > 200000 {
			in = in[:200000]
		}
		b := encodeToMem(t, in, opt, 999)
		dec := decodeGoMP3(t, b)
		spf := frameSamples(opt.SampleRate)
		frames := (len(in) + codecDelay + spf - 1) / spf
		if len(dec) != (frames+1)*spf {
			t.Fatalf("decoded %d samples, want %d", len(dec), (frames+1)*spf)
		}
		c := rtCase{opt.SampleRate, opt.Bitrate, opt.Mode}
		checkFrames(t, b, c, frames)
	})
}

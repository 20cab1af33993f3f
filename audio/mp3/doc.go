// Package mp3 encodes PCM audio to MPEG audio Layer III (MP3), in pure Go
// and as a stream: memory stays constant whatever the length of the input.
//
// It writes MPEG-1 at 32, 44.1 and 48 kHz (32-320 kbps) and MPEG-2 LSF at
// 16, 22.05 and 24 kHz (8-160 kbps), at a constant bitrate, in mono, stereo
// or joint stereo (mid/side chosen per frame where it saves bits), with the
// bit reservoir and long blocks. The input is not resampled.
//
// Rate control aims at the smallest squared error for the bitrate: one
// quantizer step across each frame's granules and channels, as fine as the
// frame's bits and the reservoir allow, no psychoacoustic model and no
// low-pass filter. On speech with beeps and on music this gives a higher
// signal-to-noise ratio than LAME 3.100 at 64 kbps mono and 128 kbps joint
// stereo, in less than half LAME's time (bench/mp3/RESULTS.md).
//
// # Info frame, delay and padding
//
// The first frame is an Info tag laid out as LAME 3.100 writes it: frame
// and byte counts, a 100-entry seek table, and the LAME extension with the
// encoder delay (528 samples; players add their own 529), the padding at
// the end and the tag's CRC-16. ffmpeg, mpg123 and routinecast's own
// decoder (package audio) then give back exactly the input's samples.
// ffmpeg reads the delay and padding only when the tag's 9-byte encoder
// field starts with "LAME", "Lavf" or "Lavc"; the field holds "LAMErcast":
// "LAME" names the tag format the stream follows, and the rest says which
// encoder wrote it, so that no tool takes it for a LAME version.
//
// The Info frame is complete when the writer can seek (Close rewrites it)
// or when Options.TotalSamples gives the length up front; otherwise there
// is none (see NewEncoder). Decoders that ignore the tag, like go-mp3,
// decode the Info frame as one frame of silence and keep the codec delay:
// their output starts 1152 (MPEG-2: 576) + 1057 samples late.
//
// At 22.05 kHz and 8-32, 80, 96, 144 or 160 kbps, frames carry no padding
// byte (an average bitrate up to 0.5% under the nominal one): go-mp3
// computes the length of such padded MPEG-2 frames wrong and would decode
// noise.
//
// The encoder is written from ISO/IEC 11172-3 and 13818-3; its tables are
// generated from the source of github.com/hajimehoshi/go-mp3 (Apache-2.0).
package mp3

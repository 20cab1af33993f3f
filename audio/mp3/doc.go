// Package mp3 encodes PCM audio to MPEG audio Layer III (MP3), in pure Go
// and as a stream: memory stays constant whatever the length of the input.
//
// It writes MPEG-1 at 32, 44.1 and 48 kHz (32-320 kbps) and MPEG-2 LSF at
// 16, 22.05 and 24 kHz (8-160 kbps), constant bitrate, mono, stereo or joint
// stereo (mid/side chosen per frame when it saves bits), with the bit
// reservoir and long blocks. The first frame is an Info tag in the layout
// LAME 3.100 writes (frame and byte counts, seek table, encoder delay and
// padding, CRC), so that players report the exact duration and drop the
// encoder delay and padding (gapless playback).
//
// The encoder is written from ISO/IEC 11172-3 and 13818-3; its tables are
// generated from the source of github.com/hajimehoshi/go-mp3 (Apache-2.0).
// Rate control aims at the smallest squared error for the bitrate (an equal
// quantizer step across each frame, no psychoacoustic model), which suits
// speech, beeps and music at the bitrates routinecast uses.
package mp3

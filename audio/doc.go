// Package audio reads and writes the audio files routinecast works with.
//
// Decoding: [Open] and [Decode] read WAV (8/16/24/32-bit integer, 32/64-bit
// float), MP3 (MPEG-1 and MPEG-2 Layer III, through go-mp3) and FLAC
// (through mewkiz/flac) at any sample rate, mono or stereo, into a
// beep.StreamSeekCloser that streams with constant memory. The format is
// found from the data; a file name only helps when the data is ambiguous.
// MP3 is trimmed of the Info frame, encoder delay and padding exactly as
// ffmpeg trims it (delay + 529 samples at the start), so a one-second LAME
// file decodes to one second of samples. Damaged data ends the stream with
// [ErrTruncated]; formats we do not read fail with [ErrUnsupported].
//
// Clips: [Load] and [LoadFile] decode a short clip whole into memory at a
// chosen sample rate (the one exception to streaming), and a [Clip] offers
// the edits narration needs: [Clip.TrimSilence], [Clip.Gain], and any number
// of independent [Clip.Streamer]s. [Resample] converts a stream's sample
// rate (beep.Resample, with its end-of-stream fault worked around).
//
// Encoding: [NewWAVEncoder] and [NewFLACEncoder] write 16-bit files from
// float samples with constant memory, to files or to plain writers;
// [Encode] copies a streamer into one. [Quantizer] does the float to 16-bit
// step, optionally with TPDF dither.
//
// Loudness (BS.1770-4, EBU R128) and true peak are measured by the
// sub-package loudness.
//
// Everything here follows beep's streamer contract (gopxl/beep/v2
// interface.go): a streamer fills the whole buffer until it ends; an error
// ends the stream, is reported by Err, and comes after any good samples.
package audio

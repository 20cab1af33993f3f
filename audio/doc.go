// Package audio reads and writes the audio files routinecast works with.
//
// Decoding: [Open] and [Decode] read WAV, MP3 and FLAC into a
// beep.StreamSeekCloser, streaming with constant memory. MP3 is trimmed of
// encoder delay and padding exactly as ffmpeg trims it, so a one-second LAME
// file decodes to one second of samples.
//
// Clips: [Load] and [LoadFile] decode a short clip whole into memory at a
// chosen sample rate, and [Clip] offers the small edits narration needs
// (trimming silence, gain).
//
// Encoding: [NewWAVEncoder] and [NewFLACEncoder] write 16-bit files from
// float samples with constant memory; [Encode] copies a streamer into one.
//
// Loudness measurement lives in the sub-package loudness.
//
// Everything here follows beep's streamer contract (gopxl/beep/v2
// interface.go): a streamer fills the whole buffer until it ends, and an
// error met mid-stream ends the stream and is reported by Err.
package audio

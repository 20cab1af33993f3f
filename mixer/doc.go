// Package mixer turns an expanded routine script into one sample-accurate audio
// track: narration clips, countdown tones, breathing swells and an optional
// music bed, at a standard loudness.
//
// It works in two steps, both pure (no files, processes or devices):
//
//   - Compile maps a script and the real lengths of its clips to a Timeline:
//     every event at an exact sample offset, the chapters, and every spoken
//     line with its start and end (for transcripts). Durations are converted to
//     samples once, here, with beep.SampleRate.N.
//   - Render maps a Timeline to a seekable stream (beep.StreamSeeker) built from
//     small position-exact stages: the events, the music bed with its fades and
//     ducking, a gain, a look-ahead limiter and a mono fold-down. Each stage
//     computes any sample from its absolute position, so the track streams in
//     constant memory whatever its length, and Seek then Stream gives exactly
//     the samples a read from the start gives.
//
// Measure reads a rendered track's loudness (ITU-R BS.1770-4 integrated
// loudness and true peak, through package audio/loudness) in one pass, from
// which package export finds the gain that brings it to the target: there is
// one loudness pipeline, export's.
// WriteVTT and WriteChaptersJSON write the transcript and chapters of a Timeline;
// a Listing lists its cues with their times, for people (text) or scripts (JSON).
//
// The rules of the timeline (see Compile for the details):
//
//   - The voice never overlaps itself and is never cut: every clip plays whole.
//   - A hold, rest or breath starts exactly when the line announcing it ends
//     (a hold after its settle time, a breath whose phrase is said a gap
//     later), and lasts exactly its duration in samples.
//   - Any two voice events are at least Options.Gap apart, whatever sits
//     between them (spoken countdown numbers 300 ms); a line that follows a
//     tone waits for the tone to end.
package mixer

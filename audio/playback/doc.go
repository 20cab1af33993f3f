// Package playback plays a beep.StreamSeeker through the system's audio output,
// with the controls a person following a routine needs: pause, resume, seek,
// volume, and the position being heard.
//
// It talks to the device through github.com/ebitengine/oto/v3 (pure Go: PulseAudio
// or PipeWire on Linux with ALSA as fallback, Core Audio on macOS, WASAPI on
// Windows). It does not use beep/speaker, whose Init reports success when there is
// no sound server and then blocks forever.
//
// # One device per process
//
// oto allows one audio context per process, for the life of the process, and a
// failed attempt cannot be retried. This package therefore keeps a single context,
// created lazily by the first [Init] or [New] at that call's sample rate. Later
// players with another sample rate are resampled to it. If the context cannot be
// created (no server, no device), every later call returns the same error, an
// [*OutputError]. Tests that need a fresh device must run in a fresh process.
//
// # Latency
//
// The device buffer is kept short ([BufferDuration]) so that every control is heard
// within about that time. [Player.Position] reports the sample being heard, not the
// sample last handed to the device: it subtracts the audio still queued in oto and
// the device buffer.
//
// # A stalled output
//
// A sound server that hangs (frozen with SIGSTOP, a stuck PipeWire) keeps its
// connection open, takes no sound and reports no error. A playing player that
// has sound ready and sees the device take none of it for [StallTimeout]
// stops with an error matching [ErrStalled]; a pause, a seek, or a stream that
// renders slower than real time does not count.
package playback

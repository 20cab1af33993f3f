package playback

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/ebitengine/oto/v3"
	"github.com/gopxl/beep/v2"
)

// BufferDuration is the length of the device buffer. Pause, seek and volume
// changes are heard after about this long; shorter risks dropouts on a busy
// machine.
const BufferDuration = 75 * time.Millisecond

// openTimeout bounds the wait for the audio output, so that a machine with no
// sound answers within the 3 seconds the CLI promises even with process start-up.
const openTimeout = 2500 * time.Millisecond

// ErrNoOutput is matched (errors.Is) by every error saying that no audio output
// could be opened.
var ErrNoOutput = errors.New("playback: no audio output")

// OutputError says that no audio output could be opened, what was tried, and what
// to do instead. It matches ErrNoOutput; Unwrap gives the driver's own error.
type OutputError struct {
	// Tried lists the outputs that were tried, e.g. "the PulseAudio/PipeWire
	// server at unix:/run/user/1000/pulse/native (connection refused)".
	Tried []string
	// Err is the driver's error, often long (one line per ALSA device).
	Err error
}

func (e *OutputError) Error() string {
	return fmt.Sprintf("playback: no audio output: tried %s; to write the track to a file instead, use `routinecast export`",
		strings.Join(e.Tried, " and "))
}

// Unwrap returns the driver's error and ErrNoOutput.
func (e *OutputError) Unwrap() []error { return []error{ErrNoOutput, e.Err} }

// device is the process's single oto context (see the package comment).
var device struct {
	mu    sync.Mutex
	ctx   *oto.Context
	ready chan struct{}
	rate  beep.SampleRate
	err   error // sticky: set once the context has failed
}

// Init opens the audio output at sample rate sr and waits until it is ready, or
// fails within a few seconds (or when ctx ends) with an error matching ErrNoOutput.
// Calling it is optional: New calls it. Call it early, in parallel with other
// start-up work, to make the first sound come sooner. Only the first call's sr
// counts; later calls return the state of the existing output.
func Init(ctx context.Context, sr beep.SampleRate) error {
	_, _, err := open(ctx, sr)
	return err
}

// open returns the process's context and its sample rate, creating it at sr if
// there is none yet.
func open(ctx context.Context, sr beep.SampleRate) (*oto.Context, beep.SampleRate, error) {
	if sr <= 0 {
		return nil, 0, fmt.Errorf("playback: invalid sample rate %d", sr)
	}
	device.mu.Lock()
	if device.err != nil {
		err := device.err
		device.mu.Unlock()
		return nil, 0, err
	}
	if device.ctx == nil {
		quietALSA()
		c, ready, err := oto.NewContext(&oto.NewContextOptions{
			SampleRate:      int(sr),
			ChannelCount:    2,
			Format:          oto.FormatFloat32LE,
			BufferSize:      BufferDuration,
			ApplicationName: "routinecast",
		})
		if err != nil {
			device.err = outputError(err)
			device.mu.Unlock()
			return nil, 0, device.err
		}
		device.ctx, device.ready, device.rate = c, ready, sr
	}
	c, ready, rate := device.ctx, device.ready, device.rate
	device.mu.Unlock()

	timer := time.NewTimer(openTimeout)
	defer timer.Stop()
	select {
	case <-ready:
	case <-timer.C:
		// Not sticky: the driver may still answer, and a later call waits again.
		return nil, 0, &OutputError{
			Tried: append(triedOutputs(), fmt.Sprintf("(no answer within %v)", openTimeout)),
			Err:   errors.New("timed out waiting for the audio output"),
		}
	case <-ctx.Done():
		return nil, 0, fmt.Errorf("playback: opening the audio output: %w", ctx.Err())
	}
	if err := c.Err(); err != nil {
		device.mu.Lock()
		if device.err == nil {
			device.err = outputError(err)
		}
		err = device.err
		device.mu.Unlock()
		return nil, 0, err
	}
	return c, rate, nil
}

// outputError turns oto's initialisation error into an OutputError whose text
// fits on a terminal: oto lists every ALSA device with its own error.
func outputError(err error) *OutputError {
	tried := triedOutputs()
	msg := err.Error()
	if runtime.GOOS == "linux" {
		pulse, alsa, ok := strings.Cut(msg, "; ALSA: ")
		if ok {
			if !strings.HasSuffix(tried[0], ")") { // else the cause is a meaningless path
				tried[0] += " (" + lastCause(pulse) + ")"
			}
			tried[1] += " (" + alsaSummary(alsa) + ")"
		} else {
			// Without an ALSA fallback (no libasound loader on this system)
			// the error is PulseAudio's alone.
			tried = []string{tried[0] + " (" + lastCause(msg) + ")"}
		}
	} else {
		tried[0] += " (" + lastCause(msg) + ")"
	}
	return &OutputError{Tried: tried, Err: err}
}

// triedOutputs says what oto tries on this system, in order.
func triedOutputs() []string {
	switch runtime.GOOS {
	case "linux", "freebsd", "netbsd":
		return []string{"the PulseAudio/PipeWire server " + pulseServer(), "ALSA"}
	case "darwin":
		return []string{"Core Audio"}
	case "windows":
		return []string{"WASAPI and WinMM"}
	}
	return []string{"the system audio output"}
}

// pulseServer says where the PulseAudio client library looks for the server,
// the same way jfreymuth/pulse does: PULSE_SERVER, else the runtime directory.
func pulseServer() string {
	if s, ok := os.LookupEnv("PULSE_SERVER"); ok {
		return "at " + s
	}
	dir := os.Getenv("XDG_RUNTIME_DIR")
	if dir == "" {
		return "(neither PULSE_SERVER nor XDG_RUNTIME_DIR is set)"
	}
	return "at unix:" + filepath.Join(dir, "pulse", "native")
}

// lastCause keeps the innermost cause of a chain of "a: b: c" messages that
// matter to a person: the part after the last "failed: ".
func lastCause(s string) string {
	if i := strings.LastIndex(s, "failed: "); i >= 0 {
		s = s[i+len("failed: "):]
	}
	return strings.TrimSpace(s)
}

// alsaSummary condenses oto's ALSA error, which names every device it tried.
func alsaSummary(s string) string {
	const marker = "ALSA device initialization failed: "
	i := strings.Index(s, marker)
	if i < 0 {
		return lastCause(s)
	}
	devices := strings.Split(s[i+len(marker):], ", \"")
	first := devices[0]
	first = strings.Replace(first, ": oto: ALSA error at snd_pcm_open", "", 1)
	if len(devices) == 1 {
		return "device " + first
	}
	return fmt.Sprintf("none of %d devices opened; device %s", len(devices), first)
}

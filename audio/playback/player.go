package playback

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"sync"
	"time"

	"github.com/ebitengine/oto/v3"
	"github.com/gopxl/beep/v2"
)

const (
	// renderAhead is how much the renderer keeps ready beyond what oto holds.
	renderAhead = 500 * time.Millisecond
	// otoBuffer is what oto's mixer reads ahead from us. It must exceed the
	// largest request of the device (one device buffer) or the device gets
	// zeros in the middle of the sound; its size does not delay the controls,
	// which act where oto mixes.
	otoBuffer = 200 * time.Millisecond
	// startFill is what Play and Seek wait to have rendered before sound starts,
	// so that the device's first request finds a full buffer.
	startFill = 100 * time.Millisecond
	// startWait bounds that wait, for a stream slower than real time.
	startWait = 300 * time.Millisecond
	// pollEvery is how often the player notices the device taking audio and the
	// end of the stream.
	pollEvery = 5 * time.Millisecond
)

// StallTimeout is how long a playing player waits for the audio output to take
// sound it has ready before it gives up with ErrStalled. A sound server that
// is frozen (SIGSTOP, a hung PipeWire) or a device that stopped its clock
// takes nothing and reports nothing; a busy machine delays it by far less.
const StallTimeout = 2 * time.Second

// ErrStalled is matched (errors.Is) by the error of a player whose audio output
// stopped taking sound while the player had sound for it.
var ErrStalled = errors.New("playback: the audio output stopped taking sound")

// ErrClosed is returned by the controls of a player that has finished or been
// closed.
var ErrClosed = errors.New("playback: player is closed")

// Player plays one stream through the audio output. Its methods are safe for
// concurrent use. A Player starts paused: call Play.
type Player struct {
	otoCtx *oto.Context
	op     *oto.Player
	src    *source
	s      beep.StreamSeeker
	rate   beep.SampleRate // of the device
	ratio  float64         // stream rate / device rate
	// delay is the device frames between oto's mixer and the ear. The device
	// takes audio in pieces of about half its buffer whenever half is free, so
	// its buffer holds between half and all of BufferDuration: about three
	// quarters on average (35 ms measured for 50 ms with PulseAudio).
	delay int

	mu      sync.Mutex
	started bool
	paused  bool
	volume  float64
	// The model of what is heard, in device frames since the last seek: lastC
	// frames had left oto's buffer when last seen, at lastT; the ear is delay
	// frames behind, and never before floor (the last answer since the last
	// seek).
	lastC int
	lastT time.Time
	floor int
	// moved is when the device was last seen taking audio, or playback last
	// started: a pause or a seek is no stall. empty is when oto was last seen
	// holding none of our sound: a stream slower than real time is no stall
	// either.
	moved  time.Time
	empty  time.Time
	closed bool
	err    error
	done   chan struct{}
}

// New prepares a player for s, whose samples are at f.SampleRate (resampled if
// the output runs at another rate). It opens the audio output if needed (see
// Init): with none, it fails within a few seconds with an error matching
// ErrNoOutput. ctx bounds only that wait. The player starts paused at s's
// current position; call Play. Close it when done.
func New(ctx context.Context, s beep.StreamSeeker, f beep.Format) (*Player, error) {
	if s == nil {
		return nil, errors.New("playback: nil stream")
	}
	c, rate, err := open(ctx, f.SampleRate)
	if err != nil {
		return nil, err
	}
	p := &Player{
		otoCtx: c,
		s:      s,
		rate:   rate,
		ratio:  float64(f.SampleRate) / float64(rate),
		delay:  rate.N(BufferDuration * 3 / 4),
		volume: 1,
		lastT:  time.Now(),
		done:   make(chan struct{}),
	}
	p.src = newSource(s, f.SampleRate, rate, rate.N(renderAhead))
	p.op = c.NewPlayer(p.src)
	p.op.SetBufferSize(rate.N(otoBuffer) * frameBytes)
	go p.watch()
	return p, nil
}

// Play starts playback, or resumes it after Pause.
func (p *Player) Play() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed || (p.started && !p.paused) {
		return
	}
	if !p.started {
		p.src.waitFor(p.rate.N(startFill), startWait)
	}
	now := time.Now()
	p.floor = p.heard(now)
	p.moved = now
	p.started, p.paused = true, false
	p.op.Play()
}

// Resume continues after Pause. It is Play under the name a caller of Pause
// looks for.
func (p *Player) Resume() { p.Play() }

// Pause stops the sound, within about BufferDuration. Position stays where the
// sound stopped.
func (p *Player) Pause() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed || !p.started || p.paused {
		return
	}
	p.paused = true
	p.op.Pause()
}

// Paused reports whether the player is paused (or not yet started).
func (p *Player) Paused() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return !p.started || p.paused
}

// Seek moves playback to sample pos of the stream (clamped to [0, Len]), keeping
// it playing or paused as it was. The new sound is heard within about
// BufferDuration.
func (p *Player) Seek(pos int) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return ErrClosed
	}
	pos = max(0, min(pos, p.s.Len()))
	playing := p.started && !p.paused
	// Stop mixing first, so that the sound after the seek starts from a full
	// buffer; oto's Seek then drops what it had read ahead.
	p.op.Pause()
	if _, err := p.op.Seek(int64(pos), io.SeekStart); err != nil {
		if playing {
			p.op.Play()
		}
		return fmt.Errorf("playback: seek to sample %d: %w", pos, err)
	}
	p.lastC, p.lastT, p.floor = 0, time.Now(), 0
	if playing {
		p.src.waitFor(p.rate.N(startFill), startWait)
		p.moved = time.Now()
		p.op.Play()
	}
	return nil
}

// Position returns the sample of the stream being heard now: the samples handed
// to the output, less those still queued in oto and in the device buffer.
func (p *Player) Position() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	base, _, _ := p.src.state()
	h := p.heard(time.Now())
	return min(base+int(math.Round(float64(h)*p.ratio)), p.s.Len())
}

// Len returns the stream's length in samples.
func (p *Player) Len() int { return p.s.Len() }

// heard updates the model and returns the device frame (since the last seek)
// being heard at now. p.mu must be held.
func (p *Player) heard(now time.Time) int {
	_, handed, _ := p.src.state()
	if c := handed - p.op.BufferedSize()/frameBytes; c > p.lastC {
		p.lastC, p.lastT, p.moved = c, now, now
	}
	h := p.lastC - p.delay + p.rate.N(now.Sub(p.lastT))
	// When the device stalls and then takes a large piece, the model would step
	// back; what is heard never does.
	p.floor = max(min(h, p.lastC), p.floor, 0)
	return p.floor
}

// SetVolume sets the volume, from 0 (silent) to 1 (the stream as it is); values
// outside are clamped, NaN is ignored. The change is heard within about
// BufferDuration, as a short ramp rather than a click.
func (p *Player) SetVolume(v float64) {
	if math.IsNaN(v) {
		return
	}
	v = max(0, min(v, 1))
	p.mu.Lock()
	defer p.mu.Unlock()
	p.volume = v
	if !p.closed {
		p.op.SetVolume(v)
	}
}

// Volume returns the volume set by SetVolume (1 at first).
func (p *Player) Volume() float64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.volume
}

// Done is closed when the player stops for good: the end of the stream has been
// heard, the stream or the device failed (see Err), or Close was called.
func (p *Player) Done() <-chan struct{} { return p.done }

// Wait blocks until Done and returns Err.
func (p *Player) Wait() error {
	<-p.done
	return p.Err()
}

// Err returns the error that stopped the stream or the device, if any. It is
// sticky: once set it does not change.
func (p *Player) Err() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.err != nil {
		return p.err
	}
	if err := p.src.Err(); err != nil {
		return fmt.Errorf("playback: stream: %w", err)
	}
	return nil
}

// Close stops the sound and releases the player. It returns nil; the stream's
// error, if any, stays in Err. The audio output stays open for later players.
func (p *Player) Close() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.finish(nil)
	return nil
}

// finish stops everything once. p.mu must be held.
func (p *Player) finish(err error) {
	if p.closed {
		return
	}
	p.closed = true
	if err != nil {
		p.err = err
	} else if serr := p.src.Err(); serr != nil {
		p.err = fmt.Errorf("playback: stream: %w", serr)
	}
	// oto closes a player when it is collected; this takes it out of the mix
	// and stops its reads now.
	p.op.PauseAndStopReading()
	p.src.close()
	close(p.done)
}

// watch keeps the model of what is heard up to date, and finishes the player
// when the end of the stream has been heard or the device fails.
func (p *Player) watch() {
	t := time.NewTicker(pollEvery)
	defer t.Stop()
	for {
		select {
		case <-p.done:
			return
		case now := <-t.C:
			p.mu.Lock()
			if !p.closed {
				p.check(now)
			}
			p.mu.Unlock()
		}
	}
}

// check is one step of watch. p.mu must be held.
func (p *Player) check(now time.Time) {
	h := p.heard(now)
	if err := p.otoCtx.Err(); err != nil {
		p.finish(fmt.Errorf("playback: audio output failed: %w", err))
		return
	}
	if err := p.op.Err(); err != nil {
		p.finish(fmt.Errorf("playback: %w", err))
		return
	}
	if _, _, drained := p.src.state(); drained && p.started && p.op.BufferedSize() == 0 && h >= p.lastC {
		p.finish(nil)
		return
	}
	// Sound waiting in oto that the device does not take is a stalled
	// device. The wait counts from when the device last took some, or from
	// when there was last none to take (the stream rendering slower than
	// real time), whichever is later.
	if p.op.BufferedSize() == 0 {
		p.empty = now
		return
	}
	if still := now.Sub(later(p.moved, p.empty)); p.started && !p.paused && still >= StallTimeout {
		p.finish(fmt.Errorf("%w: nothing was played for %v though sound was ready (is the sound server frozen or suspended?)", ErrStalled, still.Round(100*time.Millisecond)))
	}
}

// later returns the later of a and b.
func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

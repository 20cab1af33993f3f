package session

import (
	"strconv"
	"time"

	"routinecast/mixer"
	"routinecast/routines"
)

// Player is what a session drives: audio/playback's Player, or a stand-in.
type Player interface {
	Play()
	Pause()
	Paused() bool
	Seek(pos int) error
	Position() int
	SetVolume(v float64)
	Volume() float64
	// Done is closed when the track has played to its end or failed.
	Done() <-chan struct{}
	Err() error
}

// A key is one command from the keyboard.
type key int

const (
	keyNone key = iota
	keyPause
	keyNext
	keyPrev
	keyLouder
	keySofter
	keyQuit
)

// keyOf maps a key as bubbletea names it to a command. Arrows and their
// letters both work, and '=' is '+' without shift.
func keyOf(name string) key {
	switch name {
	case "space":
		return keyPause
	case "n", "N", "right":
		return keyNext
	case "p", "P", "left":
		return keyPrev
	case "+", "=", "up":
		return keyLouder
	case "-", "_", "down":
		return keySofter
	case "q", "Q", "ctrl+c", "ctrl+d":
		return keyQuit
	}
	return keyNone
}

// prevTwice is how soon a second p must follow the first to go to the previous
// chapter rather than restart the same one again.
const prevTwice = 1500 * time.Millisecond

// volumeStep is the change of one + or -.
const volumeStep = 0.1

// messageFor is how long the effect of a key stays on the screen.
const messageFor = 3 * time.Second

// control turns keys into player commands and remembers what the screen
// says about them.
type control struct {
	tl *mixer.Timeline
	p  Player
	// words are the messages' words, in the routine's language; nil is English.
	words *routines.Phrasebook

	lastPrev   time.Time // when p was last pressed
	lastPrevTo int       // the chapter it went to

	message      string // the last key's effect
	messageUntil time.Time
}

// say shows msg until a few seconds after now. A new message replaces the
// old one, so the same words never stand twice on the screen.
func (c *control) say(msg string, now time.Time) {
	c.message, c.messageUntil = msg, now.Add(messageFor)
}

// label is one of the control's words; a control made without words (in
// tests) speaks English.
func (c *control) label(key string, pairs ...string) string {
	w := c.words
	if w == nil {
		w = routines.LabelsFor("en")
	}
	return w.Label(key, pairs...)
}

// messageAt is the message still showing at now, or "".
func (c *control) messageAt(now time.Time) string {
	if now.Before(c.messageUntil) {
		return c.message
	}
	return ""
}

// chapterAt returns the chapter playing at sample pos, -1 before the first.
func chapterAt(tl *mixer.Timeline, pos int) int {
	i := -1
	for j, c := range tl.Chapters {
		if c.Start <= pos {
			i = j
		}
	}
	return i
}

// press acts on k at time now and reports whether to stop.
func (c *control) press(k key, now time.Time) (quit bool, err error) {
	o := c.act(k, now)
	c.apply(o)
	return o.quit, o.err
}

// An outcome is what a key did: what the screen says about it, and what
// the control remembers.
type outcome struct {
	key  key
	at   time.Time
	say  string // "" for nothing
	quit bool
	err  error // the player's
	// prevTo is the chapter p went to (with key keyPrev).
	prevTo int
}

// act gives the player the command k stands for and says what it did. It
// changes nothing in c, so that it can run off bubbletea's event loop while
// the screen reads c; apply then records the outcome.
func (c *control) act(k key, now time.Time) outcome {
	o := outcome{key: k, at: now}
	switch k {
	case keyPause:
		if c.p.Paused() {
			c.p.Play()
			o.say = c.label("resumed")
		} else {
			c.p.Pause()
			o.say = c.label("paused")
		}
	case keyNext:
		i := chapterAt(c.tl, c.p.Position()) + 1
		if i >= len(c.tl.Chapters) {
			o.say = c.label("end_of_routine")
			o.err = c.p.Seek(c.tl.Length)
			return o
		}
		o.say = c.label("skipped_to", "n", strconv.Itoa(i+1), "title", c.tl.Chapters[i].Title)
		o.err = c.p.Seek(c.tl.Chapters[i].Start)
	case keyPrev:
		if len(c.tl.Chapters) == 0 {
			o.key = keyNone // no chapter to remember
			o.err = c.p.Seek(0)
			return o
		}
		i := max(chapterAt(c.tl, c.p.Position()), 0)
		what := "restarted"
		if now.Sub(c.lastPrev) < prevTwice && i == c.lastPrevTo && i > 0 {
			i--
			what = "back_to"
		}
		o.prevTo = i
		o.say = c.label(what, "n", strconv.Itoa(i+1), "title", c.tl.Chapters[i].Title)
		o.err = c.p.Seek(c.tl.Chapters[i].Start)
	case keyLouder, keySofter:
		v := c.p.Volume() + volumeStep
		if k == keySofter {
			v = c.p.Volume() - volumeStep
		}
		// Round to the step, so that steps do not drift by float error.
		v = float64(int(v/volumeStep+0.5)) * volumeStep
		c.p.SetVolume(v)
		o.say = c.label("volume", "n", strconv.Itoa(int(c.p.Volume()*100+0.5)))
	case keyQuit:
		o.quit = true
	}
	return o
}

// apply records what a key did: its message, and where p went.
func (c *control) apply(o outcome) {
	if o.key == keyPrev {
		c.lastPrev, c.lastPrevTo = o.at, o.prevTo
	}
	if o.say != "" {
		c.say(o.say, o.at)
	}
}

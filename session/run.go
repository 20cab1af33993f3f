package session

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"slices"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"golang.org/x/term"

	"routinecast/mixer"
	"routinecast/routines"
)

// Options are what a session plays and where it shows it.
type Options struct {
	Timeline *mixer.Timeline
	Player   Player
	// Title heads the screen and the closing line: "Lower back stretches (standard)".
	Title string
	// Language is the routine's, which the screen's words are in; ""
	// is English.
	Language string
	// Resume is the command that plays the same routine again from chapter n
	// (counted from 1), for the closing line; nil leaves the hint out.
	Resume func(chapter int) string
	// In gives the keys (nil: none). Out shows the screen when it is a
	// terminal that can address its cursor (TERM is not dumb), and plain
	// lines otherwise.
	In  io.Reader
	Out io.Writer
}

// PlayerError is a session ended by its player failing (a stream error, an
// audio output that stopped taking sound), with the command that resumes
// where the sound stopped. It unwraps to the player's error.
type PlayerError struct {
	Err error
	// Resume is the command line that plays on from the chapter the sound
	// stopped in; "" when Options.Resume is nil.
	Resume string
}

func (e *PlayerError) Error() string {
	if e.Resume == "" {
		return e.Err.Error()
	}
	return e.Err.Error() + "; resume with: " + e.Resume
}

func (e *PlayerError) Unwrap() error { return e.Err }

// redraw is how often the screen follows the sound.
const redraw = 100 * time.Millisecond

// Run starts the player, shows the session until the track ends, a key quits
// or ctx ends, and then prints one line saying where it stopped and how to go
// on from there. The terminal is restored on every way out. Stopping with a
// key (q, Ctrl-C on a terminal that reads keys one by one) is not an error;
// stopping because ctx ended, or SIGINT, SIGTERM or SIGHUP came, returns an
// error matching context.Canceled (or ctx's error); a player that fails gives
// a *PlayerError.
func Run(ctx context.Context, o Options) error {
	outFile, _ := o.Out.(*os.File)
	live := outFile != nil && term.IsTerminal(int(outFile.Fd())) && cursorAddressing(os.Getenv("TERM"))

	m := &model{
		c:      control{tl: o.Timeline, p: o.Player, words: routines.LabelsFor(o.Language)},
		title:  o.Title,
		now:    time.Now,
		live:   live,
		width:  80,
		height: 24,
	}
	// Signals end the session through its context. bubbletea's own handler
	// is left out: it can block sending its message while the program stops
	// for another reason, and then never return.
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	defer stop()
	opts := []tea.ProgramOption{tea.WithoutSignalHandler()}
	if live {
		// The screen is drawn in 256 colours and bubbletea brings them down
		// to the terminal's profile; the same profile decides whether it
		// is drawn plain (NO_COLOR, a terminal without colour).
		profile := colorprofile.Detect(o.Out, os.Environ())
		m.st = newStyles(profile)
		opts = append(opts, tea.WithColorProfile(profile))
		if w, h, err := term.GetSize(int(outFile.Fd())); err == nil {
			m.width, m.height = w, h
		}
		opts = append(opts, tea.WithOutput(o.Out), tea.WithInput(keyInput(o.In)))
	} else {
		// Plain lines, even on a terminal that cannot show the screen:
		// hidden from bubbletea, so that it writes no escape sequence to
		// it. Nor is that terminal made raw, where a line would not return
		// to the margin: keys then come a line at a time, and Ctrl-C is
		// its SIGINT. Keys from a terminal while the lines go elsewhere (a
		// pipe to tee) are still read one by one.
		m.plain = &plain{w: &m.lines}
		m.out = o.Out
		in := keyInput(o.In)
		if outFile != nil && term.IsTerminal(int(outFile.Fd())) {
			in = plainInput(o.In)
		}
		opts = append(opts, tea.WithoutRenderer(), tea.WithOutput(struct{ io.Writer }{o.Out}), tea.WithInput(in))
	}

	o.Player.Play()
	p := tea.NewProgram(m, opts...)
	// The end of ctx quits the program as a key would, rather than through
	// tea.WithContext, which kills it: bubbletea then closes its input
	// reader without waiting for the goroutine that still reads it.
	ran := make(chan struct{})
	var stopped atomic.Bool // by ctx
	go func() {
		select {
		case <-ctx.Done():
			stopped.Store(true)
			p.Quit()
		case <-ran:
		}
	}()
	_, err := p.Run()
	close(ran)
	// An effect that bubbletea started but did not wait for finishes
	// first; none runs after this.
	m.fx.close()
	if errors.Is(err, tea.ErrInterrupted) {
		err = nil // Ctrl-C: the user stopped, as with q
	}
	pos := o.Player.Position()
	switch {
	case err != nil:
	case m.err != nil:
		err = m.err
		if m.playerFailed {
			err = &PlayerError{Err: err, Resume: resumeAt(o, pos)}
		}
	case stopped.Load() && !m.ended:
		err = fmt.Errorf("session: stopped: %w", context.Cause(ctx))
	}
	fmt.Fprintln(o.Out, closing(o, pos, m.ended))
	return err
}

// resumeAt is the command that resumes in the chapter playing at pos (the
// first during the lead-in); "" without Options.Resume.
func resumeAt(o Options, pos int) string {
	if o.Resume == nil || len(o.Timeline.Chapters) == 0 {
		return ""
	}
	return o.Resume(max(chapterAt(o.Timeline, pos), 0) + 1)
}

// plainInput is in read as a stream of bytes, whatever it is: a terminal is
// left as it is (cooked), so that what the user types is echoed and sent a
// line at a time.
func plainInput(in io.Reader) io.Reader {
	if in == nil {
		return nil
	}
	return struct{ io.Reader }{in}
}

// keyInput is in as bubbletea should read it. A terminal is read as a file,
// so that bubbletea can make it raw and stop reading at the end; anything
// else (a pipe, /dev/null) through a plain reader, which works for any kind
// of file.
func keyInput(in io.Reader) io.Reader {
	if in == nil {
		return nil
	}
	if f, ok := in.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		return f
	}
	return struct{ io.Reader }{in}
}

// closing is the line printed when the session ends: where it stopped and the
// command that resumes there. ended says the player reached the end (its
// position may lag behind a little).
func closing(o Options, pos int, ended bool) string {
	tl := o.Timeline
	if ended || pos >= tl.Length {
		return fmt.Sprintf("%s: played to the end (%s)", o.Title, routines.FormatClock(tl.Duration()))
	}
	line := fmt.Sprintf("%s: stopped at %s of %s", o.Title, routines.FormatClock(tl.Time(pos)), routines.FormatClock(tl.Duration()))
	if i := chapterAt(tl, pos); i >= 0 {
		line += fmt.Sprintf(", chapter %d of %d (%s)", i+1, len(tl.Chapters), tl.Chapters[i].Title)
		if o.Resume != nil {
			line += "; resume with: " + o.Resume(i+1)
		}
	}
	return line
}

type (
	tickMsg struct{}
	doneMsg struct{}
	// pressedMsg is what a key did, once the player has done it.
	pressedMsg struct{ outcome }
	// wroteMsg says plain lines were written.
	wroteMsg struct{}
)

// model is the bubbletea model of a session. Update only decides: what the
// player is told and the plain lines are side effects, run as commands
// (effects).
type model struct {
	c     control
	title string
	now   func() time.Time
	st    *styles
	live  bool
	plain *plain // off a terminal; it writes to lines
	lines bytes.Buffer
	out   io.Writer // where lines go

	fx       effects
	quitting bool // once the effects before it have run

	width, height int
	ended         bool // the player is done
	err           error
	playerFailed  bool // err is the player's
}

// effects run a session's side effects as bubbletea commands, one at a
// time and in order: a key's seek lands before the next key reads the
// position, and plain lines come out as they happened. busy and queue
// belong to the event loop; mu and closed keep an effect from running after
// the program, or at the same time as Run's closing line.
type effects struct {
	busy  bool
	queue []effect

	mu     sync.Mutex
	closed bool
}

// An effect is one side effect; key says it is a key's command to the
// player.
type effect struct {
	f   func() tea.Msg
	key bool
}

// start is the command that runs x, or nil with x queued behind the effect
// running.
func (e *effects) start(x effect) tea.Cmd {
	if e.busy {
		e.queue = append(e.queue, x)
		return nil
	}
	e.busy = true
	return e.cmd(x.f)
}

// dropKeys forgets the keys queued: after the player failed, no key reaches
// it, as none did when the session ended at once.
func (e *effects) dropKeys() {
	e.queue = slices.DeleteFunc(e.queue, func(x effect) bool { return x.key })
}

func (e *effects) cmd(f func() tea.Msg) tea.Cmd {
	return func() tea.Msg {
		e.mu.Lock()
		defer e.mu.Unlock()
		if e.closed {
			return nil
		}
		return f()
	}
}

// next is the command of the next effect queued, called when one ends; nil
// when none is.
func (e *effects) next() tea.Cmd {
	if len(e.queue) == 0 {
		e.busy = false
		return nil
	}
	x := e.queue[0]
	e.queue = e.queue[1:]
	return e.cmd(x.f)
}

// close waits for the effect running, if any, and keeps the rest from
// running.
func (e *effects) close() {
	e.mu.Lock()
	e.closed = true
	e.mu.Unlock()
}

func (m *model) Init() tea.Cmd {
	done := m.c.p.Done()
	return tea.Batch(tick(), func() tea.Msg { <-done; return doneMsg{} })
}

func tick() tea.Cmd { return tea.Tick(redraw, func(time.Time) tea.Msg { return tickMsg{} }) }

func (m *model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
	case tea.KeyPressMsg:
		if m.quitting {
			return m, nil
		}
		k, now := keyOf(msg.String()), m.now()
		if k == keyQuit {
			write := m.printPlain()
			return m, tea.Batch(write, m.quit())
		}
		return m, m.fx.start(effect{f: func() tea.Msg { return pressedMsg{m.c.act(k, now)} }, key: true})
	case pressedMsg:
		m.c.apply(msg.outcome)
		if msg.err != nil {
			m.err = msg.err
			m.fx.dropKeys()
			return m, tea.Batch(m.fx.next(), m.quit())
		}
		return m, tea.Batch(m.fx.next(), m.printPlain())
	case wroteMsg:
		return m, m.fx.next()
	case tickMsg:
		if m.quitting {
			return m, nil
		}
		return m, tea.Batch(tick(), m.printPlain())
	case doneMsg:
		write := m.printPlain()
		m.err = m.c.p.Err()
		m.ended = m.err == nil
		m.playerFailed = m.err != nil
		return m, tea.Batch(write, m.quit())
	}
	return m, nil
}

// quit ends the program once the effects started have run: quitting, the
// program takes no more keys, and the last lines are written first.
func (m *model) quit() tea.Cmd {
	m.quitting = true
	if m.fx.busy {
		return m.fx.start(effect{f: func() tea.Msg { return tea.QuitMsg{} }})
	}
	return tea.Quit
}

func (m *model) frame() frame {
	return frame{
		Title:   m.title,
		Where:   m.c.tl.Where(m.c.p.Position()),
		Paused:  m.c.p.Paused(),
		Volume:  m.c.p.Volume(),
		Message: m.c.messageAt(m.now()),
		Words:   m.c.words,
	}
}

// printPlain is the effect that writes the plain lines for now (nil on a
// screen, or when nothing changed).
func (m *model) printPlain() tea.Cmd {
	if m.plain == nil {
		return nil
	}
	m.plain.show(m.frame(), m.c.tl.SampleRate.N(2*time.Second))
	if m.lines.Len() == 0 {
		return nil
	}
	text := m.lines.String()
	m.lines.Reset()
	return m.fx.start(effect{f: func() tea.Msg {
		io.WriteString(m.out, text)
		return wroteMsg{}
	}})
}

// View is the screen in the alternate screen, without a cursor; off a
// terminal nothing, since the plain lines are printed as they happen.
func (m *model) View() tea.View {
	if !m.live {
		return tea.View{}
	}
	v := tea.NewView(screen(m.st, m.frame(), m.width, m.height))
	v.AltScreen = true
	return v
}

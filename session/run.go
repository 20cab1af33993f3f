package session

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/lipgloss"
	"golang.org/x/term"

	"routinecast/mixer"
)

// Options are what a session plays and where it shows it.
type Options struct {
	Timeline *mixer.Timeline
	Player   Player
	// Title heads the screen and the closing line: "Lower back stretches (standard)".
	Title string
	// Resume is the command that plays the same routine again from chapter n
	// (counted from 1), for the closing line; nil leaves the hint out.
	Resume func(chapter int) string
	// In gives the keys (nil: none). Out shows the screen when it is a
	// terminal, and plain lines otherwise.
	In  io.Reader
	Out io.Writer
}

// redraw is how often the screen follows the sound.
const redraw = 100 * time.Millisecond

// Run starts the player, shows the session until the track ends, a key quits
// or ctx ends, and then prints one line saying where it stopped and how to go
// on from there. The terminal is restored on every way out. Stopping early is
// not an error; a player that fails is.
func Run(ctx context.Context, o Options) error {
	outFile, _ := o.Out.(*os.File)
	live := outFile != nil && term.IsTerminal(int(outFile.Fd()))

	m := &model{
		c:      control{tl: o.Timeline, p: o.Player},
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
	opts := []tea.ProgramOption{tea.WithOutput(o.Out), tea.WithInput(keyInput(o.In)), tea.WithoutSignalHandler()}
	if live {
		m.st = newStyles(lipgloss.NewRenderer(o.Out))
		if w, h, err := term.GetSize(int(outFile.Fd())); err == nil {
			m.width, m.height = w, h
		}
	} else {
		m.plain = &plain{w: o.Out}
		opts = append(opts, tea.WithoutRenderer())
	}

	o.Player.Play()
	p := tea.NewProgram(m, opts...)
	// The end of ctx quits the program as a key would, rather than through
	// tea.WithContext, which kills it: bubbletea then closes its input
	// reader without waiting for the goroutine that still reads it.
	ran := make(chan struct{})
	go func() {
		select {
		case <-ctx.Done():
			p.Quit()
		case <-ran:
		}
	}()
	_, err := p.Run()
	close(ran)
	if errors.Is(err, tea.ErrInterrupted) {
		err = nil // Ctrl-C: the user stopped, as with q
	}
	if err == nil {
		err = m.err
	}
	fmt.Fprintln(o.Out, closing(o, o.Player.Position(), m.ended))
	return err
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
		return fmt.Sprintf("%s: played to the end (%s)", o.Title, mixer.Clock(tl.Duration().Seconds()))
	}
	line := fmt.Sprintf("%s: stopped at %s of %s", o.Title, mixer.Clock(tl.Time(pos).Seconds()), mixer.Clock(tl.Duration().Seconds()))
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
)

// model is the bubbletea model of a session.
type model struct {
	c     control
	title string
	now   func() time.Time
	st    *styles
	live  bool
	plain *plain // off a terminal

	width, height int
	ended         bool // the player is done
	err           error
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
		quit, err := m.c.press(keyOf(msg.String()), m.now())
		if err != nil {
			m.err = err
			return m, tea.Quit
		}
		m.printPlain()
		if quit {
			return m, tea.Quit
		}
	case tickMsg:
		m.printPlain()
		return m, tick()
	case doneMsg:
		m.printPlain()
		m.err = m.c.p.Err()
		m.ended = m.err == nil
		return m, tea.Quit
	}
	return m, nil
}

func (m *model) frame() frame {
	return frame{
		Title:   m.title,
		Where:   m.c.tl.Where(m.c.p.Position()),
		Paused:  m.c.p.Paused(),
		Volume:  m.c.p.Volume(),
		Message: m.c.messageAt(m.now()),
	}
}

func (m *model) printPlain() {
	if m.plain != nil {
		m.plain.show(m.frame(), m.c.tl.SampleRate.N(2*time.Second))
	}
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

package session

import (
	"bytes"
	"context"
	"errors"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
)

// send gives m msg, runs the commands Update returns (the key's effect on
// the player, then what follows from it) and gives m their messages, as
// bubbletea would; it returns the last command that made no message of
// m's own (a quit, say).
func send(m *model, msg tea.Msg) tea.Cmd {
	var last tea.Cmd
	msgs := []tea.Msg{msg}
	for len(msgs) > 0 {
		msg, msgs = msgs[0], msgs[1:]
		_, cmd := m.Update(msg)
		cmds := []tea.Cmd{cmd}
		for len(cmds) > 0 {
			c := cmds[0]
			cmds = cmds[1:]
			if c == nil {
				continue
			}
			switch r := c().(type) {
			case tea.BatchMsg:
				cmds = append(cmds, r...)
			case pressedMsg, wroteMsg:
				msgs = append(msgs, r)
			default:
				last = c
			}
		}
	}
	return last
}

func TestModelKeysAndResize(t *testing.T) {
	tl := lowerBack(t)
	f := newFake()
	f.pos = tl.Chapters[2].Start
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	m := &model{c: control{tl: tl, p: f}, title: "Lower back stretches (standard)", st: noColor(), live: true, width: 80, height: 24,
		now: func() time.Time { return now }}
	if v := m.View().Content; !showsName(v, "Lying trunk rotation", 78) || !strings.Contains(v, "space pause") {
		t.Fatalf("first screen:\n%s", v)
	}
	send(m, tea.KeyPressMsg{Code: tea.KeySpace, Text: " "})
	v := m.View().Content
	if !f.Paused() || !strings.Contains(v, "PAUSED") || !strings.Contains(v, "space resume") {
		t.Errorf("after space: paused %v, screen:\n%s", f.Paused(), v)
	}
	if strings.Count(v, "paused") > 0 {
		t.Errorf("the banner and a message both say paused:\n%s", v)
	}
	m.Update(tea.WindowSizeMsg{Width: 40, Height: 12})
	checkSize(t, m.View().Content, 40, 12)
	send(m, tea.KeyPressMsg{Code: tea.KeySpace, Text: " "})
	send(m, tea.KeyPressMsg{Code: 'n', Text: "n"})
	if f.pos != tl.Chapters[3].Start {
		t.Errorf("n went to %d, want chapter 4 at %d", f.pos, tl.Chapters[3].Start)
	}
	if v := m.View().Content; !strings.Contains(v, "skipped to chapter 4") {
		t.Errorf("after n:\n%s", v)
	}
	now = now.Add(messageFor)
	if v := m.View().Content; strings.Contains(v, "skipped") {
		t.Errorf("the message outlived %v:\n%s", messageFor, v)
	}
	cmd := send(m, tea.KeyPressMsg{Code: 'c', Mod: tea.ModCtrl})
	if cmd == nil {
		t.Fatal("ctrl+c: no command")
	}
	if _, ok := cmd().(tea.QuitMsg); !ok {
		t.Error("ctrl+c does not quit")
	}
}

func TestRunPlain(t *testing.T) {
	resume := func(n int) string { return "routinecast play test --from " + strconv.Itoa(n) }
	t.Run("quit", func(t *testing.T) {
		f := newFake()
		f.pos = 20000
		var out bytes.Buffer
		err := Run(context.Background(), Options{Timeline: smallTimeline(), Player: f, Title: "Test (standard)", Resume: resume,
			In: strings.NewReader("q"), Out: &out})
		if err != nil {
			t.Fatal(err)
		}
		want := "Test (standard): stopped at 0:20 of 1:00, chapter 2 of 3 (Knee hug); resume with: routinecast play test --from 2\n"
		if !strings.HasSuffix(out.String(), want) || f.plays != 1 {
			t.Errorf("output %q (played %d times); want it to end with %q", out.String(), f.plays, want)
		}
		if !strings.HasPrefix(out.String(), "Test (standard), 1:00, 3 chapters\n0:20 chapter 2/3: Knee hug\n") {
			t.Errorf("plain lines: %q", out.String())
		}
	})
	t.Run("end", func(t *testing.T) {
		f := newFake()
		f.pos = 60000
		close(f.done)
		var out bytes.Buffer
		if err := Run(context.Background(), Options{Timeline: smallTimeline(), Player: f, Title: "Test (standard)", Resume: resume, Out: &out}); err != nil {
			t.Fatal(err)
		}
		if !strings.HasSuffix(out.String(), "Test (standard): played to the end (1:00)\n") {
			t.Errorf("output %q", out.String())
		}
	})
	t.Run("input from /dev/null", func(t *testing.T) {
		null, err := os.Open(os.DevNull)
		if err != nil {
			t.Skip(err)
		}
		defer null.Close()
		f := newFake()
		f.pos = 60000
		time.AfterFunc(200*time.Millisecond, func() { close(f.done) })
		var out bytes.Buffer
		if err := Run(context.Background(), Options{Timeline: smallTimeline(), Player: f, Title: "T", In: null, Out: &out}); err != nil {
			t.Fatalf("with keys from %s: %v", os.DevNull, err)
		}
		if !strings.HasSuffix(out.String(), "T: played to the end (1:00)\n") {
			t.Errorf("output %q", out.String())
		}
	})
	t.Run("context", func(t *testing.T) {
		f := newFake()
		f.pos = 600
		ctx, cancel := context.WithCancel(context.Background())
		time.AfterFunc(300*time.Millisecond, cancel)
		var out bytes.Buffer
		r, w := ioPipe(t)
		defer w.Close()
		// Stopped by its context (a signal, off a terminal), it says so:
		// the program exits 130, as for any interrupted command.
		if err := Run(ctx, Options{Timeline: smallTimeline(), Player: f, Title: "T", Resume: resume, In: r, Out: &out}); !errors.Is(err, context.Canceled) {
			t.Fatalf("stopped by its context: %v, want context.Canceled", err)
		}
		if !strings.Contains(out.String(), "0:00   Welcome.\n") || !strings.HasSuffix(out.String(), "--from 1\n") {
			t.Errorf("output %q", out.String())
		}
	})
}

// failingPlayer is a fakePlayer whose sound stops with an error at pos.
func failingPlayer(pos int, err error) *fakePlayer {
	f := newFake()
	f.pos, f.err = pos, err
	close(f.done)
	return f
}

func TestRunPlayerFails(t *testing.T) {
	resume := func(n int) string { return "routinecast play test --from " + strconv.Itoa(n) }
	stalled := errors.New("playback: the audio output stopped taking sound")
	tests := []struct {
		name    string
		pos     int
		resume  func(int) string
		wantErr string
	}{
		{"in a chapter", 20000, resume, "playback: the audio output stopped taking sound; resume with: routinecast play test --from 2"},
		{"in the lead-in", 100, resume, "playback: the audio output stopped taking sound; resume with: routinecast play test --from 1"},
		{"without a resume command", 20000, nil, "playback: the audio output stopped taking sound"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var out bytes.Buffer
			err := Run(context.Background(), Options{Timeline: smallTimeline(), Player: failingPlayer(tc.pos, stalled), Title: "T", Resume: tc.resume, Out: &out})
			var pe *PlayerError
			if !errors.As(err, &pe) || !errors.Is(err, stalled) {
				t.Fatalf("error %v (%T), want a *PlayerError wrapping the player's", err, err)
			}
			if err.Error() != tc.wantErr {
				t.Errorf("error %q, want %q", err, tc.wantErr)
			}
			if !strings.Contains(out.String(), "T: stopped at ") || strings.Contains(out.String(), "played to the end") {
				t.Errorf("closing line: %q", out.String())
			}
		})
	}
}

func TestPlainLines(t *testing.T) {
	tl := smallTimeline()
	var b bytes.Buffer
	d := &plain{w: &b}
	show := func(pos int, paused bool) {
		d.show(frame{Title: "Test (standard)", Where: tl.Where(pos), Paused: paused}, 5000)
	}
	for _, pos := range []int{0, 400, 600, 700, 5000, 10000, 10100, 13000} {
		show(pos, false)
	}
	show(13100, true)
	show(13100, false)
	show(10000, false) // restart of the chapter: said again
	want := `Test (standard), 1:00, 3 chapters
0:00 chapter 1/3: Intro
0:00   Welcome.
0:10 chapter 2/3: Knee hug
0:10   Hug your knees.
0:13 paused
0:13 resumed
0:10 chapter 2/3: Knee hug
0:10   Hug your knees.
`
	if b.String() != want {
		t.Errorf("plain output:\n%s\nwant:\n%s", b.String(), want)
	}
}

// TestModelEffectsInOrder: keys pressed faster than the player takes them
// reach it one at a time and in order, and q quits only after them: the
// second space must see the first's pause, and resume.
func TestModelEffectsInOrder(t *testing.T) {
	tl := lowerBack(t)
	f := newFake()
	m := &model{c: control{tl: tl, p: f}, st: noColor(), live: true, width: 80, height: 24, now: time.Now}
	space := tea.KeyPressMsg{Code: tea.KeySpace, Text: " "}
	_, first := m.Update(space)
	if first == nil {
		t.Fatal("space: no command")
	}
	if f.Paused() {
		t.Fatal("the player was paused inside Update")
	}
	if _, cmd := m.Update(space); cmd != nil {
		t.Fatal("a second key started while the first's effect runs")
	}
	if _, cmd := m.Update(tea.KeyPressMsg{Code: 'q', Text: "q"}); cmd != nil {
		t.Fatal("q quit before the keys before it reached the player")
	}
	msg := first()
	if !f.Paused() {
		t.Fatal("the first space did not pause")
	}
	_, second := m.Update(msg)
	if second == nil {
		t.Fatal("the second space was not run after the first")
	}
	_, quit := m.Update(second())
	if f.Paused() {
		t.Error("the second space did not resume")
	}
	if quit == nil {
		t.Fatal("no quit after the keys")
	}
	if _, ok := quit().(tea.QuitMsg); !ok {
		t.Error("the last effect is not the quit")
	}
}

package session

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gopxl/beep/v2"

	"routinecast/mixer"
)

// fakePlayer is a player without sound: it records what the session asks.
type fakePlayer struct {
	mu     sync.Mutex
	pos    int
	paused bool
	volume float64
	seeks  []int
	plays  int
	done   chan struct{}
	err    error // what Err says once done is closed
}

func newFake() *fakePlayer { return &fakePlayer{volume: 1, done: make(chan struct{})} }

func (f *fakePlayer) Play() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.paused = false
	f.plays++
}
func (f *fakePlayer) Pause()       { f.mu.Lock(); defer f.mu.Unlock(); f.paused = true }
func (f *fakePlayer) Paused() bool { f.mu.Lock(); defer f.mu.Unlock(); return f.paused }
func (f *fakePlayer) Position() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.pos
}
func (f *fakePlayer) Seek(p int) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.pos = p
	f.seeks = append(f.seeks, p)
	return nil
}
func (f *fakePlayer) SetVolume(v float64) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.volume = max(0, min(v, 1))
}
func (f *fakePlayer) Volume() float64       { f.mu.Lock(); defer f.mu.Unlock(); return f.volume }
func (f *fakePlayer) Done() <-chan struct{} { return f.done }
func (f *fakePlayer) Err() error            { return f.err }

// smallTimeline is 60 s at 1000 Hz with three chapters, a hold and two lines.
func smallTimeline() *mixer.Timeline {
	return &mixer.Timeline{
		Title:      "Test",
		SampleRate: beep.SampleRate(1000),
		Length:     60000,
		Chapters: []mixer.Chapter{
			{Title: "Intro", Start: 500},
			{Title: "Knee hug", Start: 10000},
			{Title: "Closing", Start: 50000},
		},
		Events: []mixer.Event{
			{Kind: mixer.Speech, Start: 500, End: 3000, Text: "Welcome."},
			{Kind: mixer.Speech, Start: 10000, End: 12000, Text: "Hug your knees."},
			{Kind: mixer.Hold, Start: 12000, End: 42000},
			{Kind: mixer.Beep, Start: 39000, End: 39100},
			{Kind: mixer.Speech, Start: 50000, End: 52000, Text: "Well done."},
		},
	}
}

func TestKeyOf(t *testing.T) {
	tests := []struct {
		names []string
		want  key
	}{
		{[]string{"space"}, keyPause},
		{[]string{"n", "N", "right"}, keyNext},
		{[]string{"p", "P", "left"}, keyPrev},
		{[]string{"+", "=", "up"}, keyLouder},
		{[]string{"-", "_", "down"}, keySofter},
		{[]string{"q", "Q", "ctrl+c", "ctrl+d"}, keyQuit},
		{[]string{"x", "enter", "pgup", "esc"}, keyNone},
	}
	for _, tc := range tests {
		for _, n := range tc.names {
			if got := keyOf(n); got != tc.want {
				t.Errorf("keyOf(%q) = %v, want %v", n, got, tc.want)
			}
		}
	}
}

func TestControlChapters(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	type step struct {
		at   time.Duration // since t0
		pos  int           // position before the key (-1: unchanged)
		key  key
		want int    // position after (a seek, or unchanged)
		msg  string // what the screen says about it
	}
	tests := []struct {
		name  string
		steps []step
	}{
		{"next from the lead-in", []step{{0, 0, keyNext, 500, "skipped to chapter 1: Intro"}}},
		{"next from the middle of a chapter", []step{{0, 20000, keyNext, 50000, "skipped to chapter 3: Closing"}}},
		{"next from the last chapter goes to the end", []step{{0, 55000, keyNext, 60000, "end of the routine"}}},
		{"prev restarts the chapter", []step{{0, 20000, keyPrev, 10000, "restarted chapter 2: Knee hug"}}},
		{"prev twice quickly goes back one", []step{{0, 20000, keyPrev, 10000, ""}, {time.Second, -1, keyPrev, 500, "back to chapter 1: Intro"}}},
		{"prev three times quickly goes back two", []step{{0, 55000, keyPrev, 50000, ""}, {time.Second, -1, keyPrev, 10000, ""}, {2 * time.Second, -1, keyPrev, 500, ""}}},
		{"prev twice slowly restarts twice", []step{{0, 20000, keyPrev, 10000, ""}, {5 * time.Second, 11000, keyPrev, 10000, "restarted chapter 2: Knee hug"}}},
		{"prev in the first chapter stays there", []step{{0, 2000, keyPrev, 500, ""}, {time.Second, -1, keyPrev, 500, "restarted chapter 1: Intro"}}},
		{"prev in the lead-in goes to the first chapter", []step{{0, 100, keyPrev, 500, ""}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFake()
			c := &control{tl: smallTimeline(), p: f}
			for i, st := range tc.steps {
				if st.pos >= 0 {
					f.pos = st.pos
				}
				now := t0.Add(st.at)
				quit, err := c.press(st.key, now)
				if quit || err != nil {
					t.Fatalf("step %d: quit %v, err %v", i, quit, err)
				}
				if f.pos != st.want {
					t.Fatalf("step %d: position %d, want %d", i, f.pos, st.want)
				}
				if got := c.messageAt(now); st.msg != "" && got != st.msg {
					t.Errorf("step %d: message %q, want %q", i, got, st.msg)
				}
			}
		})
	}
}

func TestControlPauseVolumeQuit(t *testing.T) {
	f := newFake()
	c := &control{tl: smallTimeline(), p: f}
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	c.press(keyPause, now)
	if !f.paused || c.messageAt(now) != "paused" {
		t.Errorf("after space: paused %v, message %q", f.paused, c.messageAt(now))
	}
	c.press(keyPause, now)
	if f.paused || c.messageAt(now) != "resumed" {
		t.Errorf("second space: paused %v, message %q", f.paused, c.messageAt(now))
	}
	for range 3 {
		c.press(keySofter, now)
	}
	if f.volume < 0.69 || f.volume > 0.71 || c.messageAt(now) != "volume 70%" {
		t.Errorf("volume %v (%q) after three -, want 0.7", f.volume, c.messageAt(now))
	}
	for range 20 {
		c.press(keySofter, now)
	}
	if f.volume != 0 {
		t.Errorf("volume %v, want 0 at the bottom", f.volume)
	}
	for range 25 {
		c.press(keyLouder, now)
	}
	if f.volume != 1 {
		t.Errorf("volume %v, want 1 at the top", f.volume)
	}
	// Messages expire, and one replaces the other rather than piling up.
	if got := c.messageAt(now.Add(messageFor - time.Millisecond)); got != "volume 100%" {
		t.Errorf("message %q just before it expires", got)
	}
	if got := c.messageAt(now.Add(messageFor)); got != "" {
		t.Errorf("message %q after %v, want none", got, messageFor)
	}
	if quit, _ := c.press(keyQuit, now); !quit {
		t.Error("q does not quit")
	}
	if len(f.seeks) != 0 {
		t.Errorf("pause and volume sought: %v", f.seeks)
	}
	if strings.Contains(c.message, "·") {
		t.Errorf("message %q joins several", c.message)
	}
}

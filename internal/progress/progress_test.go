package progress

import (
	"strings"
	"testing"
	"time"
)

// On a terminal the status line is redrawn in place, at most every 100 ms
// unless forced, and a line that stays clears it first; off a terminal only
// the lines that stay are printed.
func TestStatus(t *testing.T) {
	var b strings.Builder
	s := NewStatus(&b, true)
	now := time.Unix(0, 0)
	s.now = func() time.Time { return now }
	s.Draw(false, "a")
	now = now.Add(50 * time.Millisecond)
	s.Draw(false, "skipped: too soon")
	s.Draw(true, "b")
	s.Println("stays")
	s.Draw(false, "c")
	s.Keep()
	s.Clear()
	want := "\r\033[Ka\r\033[Kb\r\033[Kstays\n\r\033[Kc\n"
	if b.String() != want {
		t.Errorf("terminal:\n%q\nwant\n%q", b.String(), want)
	}

	b.Reset()
	s = NewStatus(&b, false)
	s.Draw(true, "not drawn")
	s.Println("stays")
	s.Clear()
	if b.String() != "stays\n" {
		t.Errorf("plain: %q", b.String())
	}
	NewStatus(nil, true).Println("nowhere") // a nil writer prints nothing
}

func TestMeter(t *testing.T) {
	for _, c := range []struct {
		done, total int64
		want        string
	}{
		{0, 10, "[....]"}, {5, 10, "[##..]"}, {10, 10, "[####]"}, {12, 10, "[####]"}, {-1, 10, "[....]"}, {0, 0, "[####]"},
	} {
		if got := Meter(c.done, c.total, 4); got != c.want {
			t.Errorf("Meter(%d, %d) = %q, want %q", c.done, c.total, got, c.want)
		}
	}
}

// Off a terminal the bar prints a line at each tenth of the work, not at
// every step, so that logs stay short.
func TestBarPlain(t *testing.T) {
	var b strings.Builder
	bar := New(&b, "rendering", 100)
	for i := int64(0); i <= 100; i++ {
		bar.Set(i)
	}
	bar.Done()
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	if len(lines) != 11 || lines[0] != "rendering: 0%" || lines[10] != "rendering: 100%" {
		t.Errorf("%d lines:\n%s", len(lines), b.String())
	}
	var nilBar *Bar
	nilBar.Set(1)
	nilBar.Done()
}

// A bar stopped mid-way ends its line, so that the message printed next
// (an error, Ctrl-C's) starts on a line of its own; a notice printed during
// the work clears the bar first.
func TestBarStopEndsTheLine(t *testing.T) {
	var b strings.Builder
	bar := &Bar{status: NewStatus(&b, true), label: "rendering", total: 100, lastPct: -1}
	bar.status.now = func() time.Time { return time.Unix(0, 0) }
	bar.start = bar.status.now()
	bar.Set(40)
	bar.Println("note: something")
	bar.Set(50)
	bar.Stop()
	bar.Set(60)
	b.WriteString("routinecast: interrupted")
	out := b.String()
	if !strings.HasSuffix(out, "\nroutinecast: interrupted") || strings.Contains(out, " 60%") {
		t.Errorf("after Stop the message does not start a line of its own, or the bar drew on:\n%q", out)
	}
	if !strings.Contains(out, "\r\033[Knote: something\n") {
		t.Errorf("the notice did not clear the bar first:\n%q", out)
	}
	var nilBar *Bar
	nilBar.Stop()
	nilBar.Println("x")
}

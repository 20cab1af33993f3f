package session

import (
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/colorprofile"

	"routinecast/internal/testtool"
	"routinecast/internal/testtool/routinetest"
	"routinecast/mixer"
	"routinecast/mixer/mixertest"
	"routinecast/routines"
)

var update = flag.Bool("update", false, "rewrite the golden screens in testdata")

// lowerBack is the built-in routine at the standard level, laid out with the
// mixer's stand-in voice, whose clip lengths depend only on the words.
func lowerBack(t *testing.T) *mixer.Timeline {
	t.Helper()
	tl, err := mixer.Compile(routinetest.Script(t, "lower-back", routines.Standard), &mixertest.Clips{}, mixer.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return tl
}

// noColor are the styles of a screen without colour, as under NO_COLOR.
func noColor() *styles { return newStyles(colorprofile.ASCII) }

// find returns the n-th (from 0) event of kind k whose place matches ok.
func find(t *testing.T, tl *mixer.Timeline, k mixer.EventKind, n int, ok func(mixer.Where) bool) mixer.Event {
	t.Helper()
	for _, e := range tl.Events {
		if e.Kind == k && ok(tl.Where(e.Start)) {
			if n == 0 {
				return e
			}
			n--
		}
	}
	t.Fatalf("no %s number %d", k, n)
	return mixer.Event{}
}

func inExercise(name string) func(mixer.Where) bool {
	return func(w mixer.Where) bool { return w.Place.Name == name }
}

func TestScreenGolden(t *testing.T) {
	tl := lowerBack(t)
	sec := int(tl.SampleRate)
	trunkHold := find(t, tl, mixer.Hold, 1, inExercise("Lying trunk rotation")) // rep 1, right side
	trunkRest := find(t, tl, mixer.Rest, 0, inExercise("Lying trunk rotation"))
	inhale := find(t, tl, mixer.BreatheIn, 2, func(w mixer.Where) bool { return w.ChapterTitle == "Deep breathing" })
	exhale := find(t, tl, mixer.BreatheOut, 2, func(w mixer.Where) bool { return w.ChapterTitle == "Deep breathing" })
	setBreak := find(t, tl, mixer.Rest, 0, func(w mixer.Where) bool { return w.Place.Name == "Seated marching" && w.Place.Rep == 0 })
	longHold := find(t, tl, mixer.Hold, 0, inExercise("Child's pose"))
	said := find(t, tl, mixer.Speech, 0, func(w mixer.Where) bool {
		return w.Place.Name == "Lying trunk rotation" && w.Place.Rep == 2 && w.Speaking == w.Instruction
	})
	saidApart := find(t, tl, mixer.Speech, 0, func(w mixer.Where) bool {
		return w.Place.Exercise > 0 && w.Speaking != "" && w.Speaking != w.Instruction
	})
	tests := []struct {
		name          string
		pos           int
		width, height int
		paused        bool
		volume        float64
		message       string
	}{
		{"hold-alternating-100x30", trunkHold.Start + 3*sec, 100, 30, false, 1, ""},
		{"hold-alternating-80x24", trunkHold.Start + 3*sec, 80, 24, false, 1, ""},
		{"hold-alternating-60x15", trunkHold.Start + 3*sec, 60, 15, false, 1, ""},
		{"hold-alternating-50x15", trunkHold.Start + 3*sec, 50, 15, false, 1, ""},
		{"hold-alternating-40x12", trunkHold.Start + 3*sec, 40, 12, false, 1, ""},
		{"speaking-100x30", (said.Start + said.End) / 2, 100, 30, false, 1, ""},
		{"speaking-80x24", (said.Start + said.End) / 2, 80, 24, false, 1, ""},
		{"speaking-apart-80x24", (saidApart.Start + saidApart.End) / 2, 80, 24, false, 1, ""},
		{"hold-last-seconds-80x24", trunkHold.End - sec/2, 80, 24, false, 1, ""},
		{"rest-next-side-80x24", trunkRest.Start + sec/2, 80, 24, false, 1, ""},
		{"breath-in-80x24", inhale.Start + sec, 80, 24, false, 1, ""},
		{"breath-out-40x12", exhale.Start + sec, 40, 12, false, 1, ""},
		{"set-break-80x24", setBreak.Start + 5*sec, 80, 24, false, 1, ""},
		{"set-break-60x15", setBreak.Start + 5*sec, 60, 15, false, 1, ""},
		{"long-hold-60x15", longHold.Start + 2*sec, 60, 15, false, 1, ""},
		{"paused-80x24", trunkHold.Start + 3*sec, 80, 24, true, 0.8, "paused"},
		{"paused-40x12", trunkHold.Start + 3*sec, 40, 12, true, 1, "paused"},
		{"message-60x15", trunkHold.Start + 3*sec, 60, 15, false, 0.7, "volume 70%"},
		{"intro-80x24", 2 * sec, 80, 24, false, 1, ""},
	}
	st := noColor()
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := frame{Title: "Lower back stretches (standard)", Where: tl.Where(tc.pos), Paused: tc.paused, Volume: tc.volume, Message: tc.message}
			got := screen(st, f, tc.width, tc.height) + "\n"
			checkSize(t, got, tc.width, tc.height)
			if tc.height >= 15 && tc.width >= 50 && !strings.Contains(got, "Lower back stretches (standard)") {
				t.Errorf("the title is cut:\n%s", got)
			}
			if w := f.Where; w.Speaking != "" && !strings.Contains(strings.Join(strings.Fields(got), " "), strings.Fields(w.Speaking)[0]) {
				t.Errorf("the line being said (%q) is not on the screen:\n%s", w.Speaking, got)
			}
			testtool.Golden(t, filepath.Join("testdata", tc.name+".golden"), []byte(got), *update)
		})
	}
}

// showsName tells whether a screen shows an exercise's name, large or not.
func showsName(screen, name string, inner int) bool {
	if strings.Contains(screen, strings.ToUpper(name)) {
		return true
	}
	rows := bigRows(strings.ToUpper(name), inner, 2)
	return rows != nil && strings.Contains(screen, rows[0])
}

// checkSize fails when the screen has more rows or columns than the terminal.
func checkSize(t *testing.T, screen string, width, height int) {
	t.Helper()
	lines := strings.Split(strings.TrimSuffix(screen, "\n"), "\n")
	if len(lines) > height {
		t.Errorf("%d rows on a terminal of %d", len(lines), height)
	}
	for _, l := range lines {
		if w := lipgloss.Width(l); w > width {
			t.Errorf("row of %d columns on a terminal of %d: %q", w, width, l)
		}
	}
}

// TestScreenSmallKeepsEssentials renders every hold, rest and breath of the
// routine at small sizes, paused and not: the countdown, the side and what to
// do must always be on the screen, and nothing may spill out of it.
func TestScreenSmallKeepsEssentials(t *testing.T) {
	tl := lowerBack(t)
	st := noColor()
	sizes := [][2]int{{60, 15}, {40, 12}, {100, 30}, {80, 24}}
	checked := 0
	for _, e := range tl.Events {
		if !e.Kind.Segment() {
			continue
		}
		for _, pos := range []int{e.Start, (e.Start + e.End) / 2, e.End - 1} {
			w := tl.Where(pos)
			for _, size := range sizes {
				for _, paused := range []bool{false, true} {
					f := frame{Title: "Lower back stretches (standard)", Where: w, Paused: paused, Volume: 1}
					got := screen(st, f, size[0], size[1])
					checkSize(t, got, size[0], size[1])
					flat := strings.Join(strings.Fields(got), " ")
					if w.Place.Side != "" && !strings.Contains(got, strings.ToUpper(w.Place.Side)+" SIDE") {
						t.Fatalf("%dx%d at %v: no side (%s):\n%s", size[0], size[1], tl.Time(pos), w.Place.Side, got)
					}
					if w.Place.Rep > 0 && w.Place.Reps > 1 && !strings.Contains(got, fmt.Sprintf("rep %d of %d", w.Place.Rep, w.Place.Reps)) {
						t.Fatalf("%dx%d at %v: no repetition:\n%s", size[0], size[1], tl.Time(pos), got)
					}
					if ins := wrap(w.Instruction, size[0]-2); len(ins) > 0 && !strings.Contains(flat, strings.Join(strings.Fields(strings.TrimSuffix(ins[0], "…")), " ")) {
						t.Fatalf("%dx%d at %v: no instruction %q:\n%s", size[0], size[1], tl.Time(pos), ins[0], got)
					}
					digits := big(countdown(w.Timer.Seconds()))
					if !strings.Contains(got, digits[0]) || !strings.Contains(got, digits[4]) {
						t.Fatalf("%dx%d at %v: no large countdown of %d:\n%s", size[0], size[1], tl.Time(pos), w.Timer.Seconds(), got)
					}
					if paused && !strings.Contains(got, "PAUSED") {
						t.Fatalf("%dx%d: paused, and the screen does not say so:\n%s", size[0], size[1], got)
					}
					checked++
				}
			}
		}
	}
	t.Logf("%d screens checked", checked)
}

// TestScreenHelpFollowsState: the keys named are those that do something now.
func TestScreenHelpFollowsState(t *testing.T) {
	tl := lowerBack(t)
	st := noColor()
	w := tl.Where(tl.Length / 3)
	playing := screen(st, frame{Where: w, Volume: 1}, 80, 24)
	paused := screen(st, frame{Where: w, Volume: 1, Paused: true}, 80, 24)
	if !strings.Contains(playing, "space pause") || strings.Contains(playing, "resume") {
		t.Errorf("playing, the help says:\n%s", playing)
	}
	if !strings.Contains(paused, "space resume") || strings.Contains(paused, "space pause") {
		t.Errorf("paused, the help says:\n%s", paused)
	}
}

// TestScreenColour: colour where the terminal has it, brought down to what
// it shows, and none under NO_COLOR. The profile is found as Run finds it,
// on a terminal (TTY_FORCE stands for one).
func TestScreenColour(t *testing.T) {
	tl := lowerBack(t)
	hold := find(t, tl, mixer.Hold, 0, inExercise("Lying trunk rotation"))
	f := frame{Title: "Lower back stretches (standard)", Where: tl.Where(hold.Start), Volume: 1}
	detect := func(vars ...string) colorprofile.Profile {
		return colorprofile.Detect(io.Discard, append(vars, "TTY_FORCE=1"))
	}
	// shown is the screen as a terminal of profile p receives it.
	shown := func(p colorprofile.Profile) string {
		var b strings.Builder
		w := &colorprofile.Writer{Forward: &b, Profile: p}
		if _, err := io.WriteString(w, screen(newStyles(p), f, 80, 24)); err != nil {
			t.Fatal(err)
		}
		return b.String()
	}
	p := detect("TERM=xterm-256color")
	if got := shown(p); !strings.Contains(got, "\x1b[") || !strings.Contains(got, "38;5;") {
		t.Errorf("no 256-colour escapes on a 256-colour terminal (%v):\n%q", p, got)
	}
	p = detect("TERM=xterm")
	if got := shown(p); !strings.Contains(got, "\x1b[") || strings.Contains(got, "38;5;") {
		t.Errorf("not 16 colours on a 16-colour terminal (%v):\n%q", p, got)
	}
	p = detect("TERM=xterm-256color", "NO_COLOR=1")
	got := shown(p)
	if strings.Contains(got, "\x1b[") {
		t.Errorf("escapes under NO_COLOR (%v):\n%q", p, got)
	}
	if plain := screen(noColor(), f, 80, 24); got != plain {
		t.Errorf("NO_COLOR screen differs from the plain one")
	}
}

var _ = time.Second

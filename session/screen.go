package session

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/lipgloss"

	"routinecast/mixer"
)

// frame is what the screen shows at one moment.
type frame struct {
	Title   string
	Where   mixer.Where
	Paused  bool
	Volume  float64
	Message string // the last key's effect, while it lasts
}

// styles are the looks of the screen's parts, made by one renderer so that
// they follow its colour profile (none under NO_COLOR or off a terminal).
type styles struct {
	plain, dim, bold, name, side, label, help, message, banner lipgloss.Style
	timer                                                      map[mixer.EventKind]lipgloss.Style
	soon, paused                                               lipgloss.Style
}

func newStyles(r *lipgloss.Renderer) *styles {
	c := func(n string) lipgloss.Color { return lipgloss.Color(n) }
	s := &styles{
		plain:   r.NewStyle(),
		dim:     r.NewStyle().Foreground(c("245")),
		bold:    r.NewStyle().Bold(true),
		name:    r.NewStyle().Bold(true).Foreground(c("117")),
		side:    r.NewStyle().Bold(true).Foreground(c("16")).Background(c("221")),
		label:   r.NewStyle().Foreground(c("250")),
		help:    r.NewStyle().Foreground(c("243")),
		message: r.NewStyle().Italic(true).Foreground(c("250")),
		banner:  r.NewStyle().Bold(true).Foreground(c("16")).Background(c("214")),
		soon:    r.NewStyle().Bold(true).Foreground(c("209")),
		paused:  r.NewStyle().Foreground(c("240")),
		timer: map[mixer.EventKind]lipgloss.Style{
			mixer.Settle:     r.NewStyle().Bold(true).Foreground(c("228")),
			mixer.Hold:       r.NewStyle().Bold(true).Foreground(c("84")),
			mixer.Rest:       r.NewStyle().Bold(true).Foreground(c("75")),
			mixer.BreatheIn:  r.NewStyle().Bold(true).Foreground(c("87")),
			mixer.BreatheOut: r.NewStyle().Bold(true).Foreground(c("183")),
		},
	}
	return s
}

// A row is one line of the screen: plain text, fitted to the width before
// it is styled (so that escape codes never count as columns).
type row struct {
	text   string
	style  lipgloss.Style
	center bool
	// split, when above zero, styles the bytes from there on with rest.
	split int
	rest  lipgloss.Style
}

// A block is rows that come and go together as the terminal shrinks.
type block struct {
	name string
	rows []row
}

// The order in which blocks give way when the screen is short: blank rows
// first, then what one can do without at a glance. The countdown, the side
// and what to do stay to the last (they shrink instead: see screen).
var dropOrder = []string{"gapProgress", "gapTimer", "gapText", "gapTop", "rule", "help", "speaking", "header", "label", "progress", "next", "message"}

// screen lays f out in width×height cells.
func screen(st *styles, f frame, width, height int) string {
	width, height = max(width, 20), max(height, 1)
	w := f.Where
	inner := width - 2 // a column of margin on each side

	instruction := wrap(w.Instruction, inner)
	compact := false
	build := func() []block {
		var bs []block
		add := func(name string, rows ...row) { bs = append(bs, block{name, rows}) }
		gap := func(name string) { add(name, row{}) }

		add("header", headerRow(st, f, inner))
		add("rule", row{text: strings.Repeat("─", inner), style: st.dim})
		gap("gapTop")
		add("label", row{text: exerciseLabel(w), style: st.label, center: true})
		add("name", row{text: strings.ToUpper(exerciseName(w)), style: st.name, center: true})
		add("counters", countersRow(st, w))
		gap("gapText")
		var ins []row
		for _, l := range instruction {
			ins = append(ins, row{text: l, style: st.bold, center: true})
		}
		if len(ins) == 0 {
			ins = []row{{}}
		}
		add("instruction", ins...)
		if w.Speaking != "" && w.Speaking != w.Instruction {
			add("speaking", row{text: "“" + w.Speaking + "”", style: st.dim, center: true})
		}
		gap("gapTimer")
		add("timer", timerRows(st, f, inner, compact)...)
		if n := nextText(w); n != "" {
			add("next", row{text: n, style: st.label, center: true})
		}
		gap("gapProgress")
		add("progress", progressRow(st, w, inner))
		switch {
		case f.Paused:
			add("paused", row{text: "❚❚  PAUSED · press space to resume", style: st.banner, center: true})
		case f.Message != "":
			add("message", row{text: f.Message, style: st.message, center: true})
		}
		add("help", helpRow(st, f, inner))
		return bs
	}

	bs := build()
	count := func() int {
		n := 0
		for _, b := range bs {
			n += len(b.rows)
		}
		return n
	}
	drop := func(name string) {
		for i, b := range bs {
			if b.name == name {
				bs = append(bs[:i], bs[i+1:]...)
				return
			}
		}
	}
	dropped := map[string]bool{}
	// Shrink step by step until it fits: drop in order, and shorten the
	// instruction and the countdown only once all else is gone.
	steps := append([]func(){}, func() {})
	for _, name := range dropOrder {
		steps = append(steps, func() { dropped[name] = true })
	}
	steps = append(steps,
		func() { instruction = instruction[:min(len(instruction), 2)] },
		func() { compact = true },
		func() { instruction = instruction[:min(len(instruction), 1)] },
		func() { dropped["label"], dropped["name"] = true, true },
	)
	for _, step := range steps {
		step()
		bs = build()
		for name := range dropped {
			drop(name)
		}
		if count() <= height {
			break
		}
	}

	// Spare rows go above the exercise and above the progress bar, so that the
	// help stays at the bottom and the middle stays in the middle.
	var rows []row
	spare := max(height-count(), 0)
	for _, b := range bs {
		switch b.name {
		case "gapTop":
			for range spare / 2 {
				rows = append(rows, row{})
			}
		case "gapProgress":
			for range spare - spare/2 {
				rows = append(rows, row{})
			}
		}
		rows = append(rows, b.rows...)
	}
	rows = rows[:min(len(rows), height)]

	var out strings.Builder
	for i, r := range rows {
		if i > 0 {
			out.WriteByte('\n')
		}
		text := fit(r.text, inner)
		if strings.TrimSpace(text) == "" {
			continue
		}
		pad := 1
		if r.center {
			pad += (inner - lipgloss.Width(text)) / 2
		}
		out.WriteString(strings.Repeat(" ", pad))
		switch {
		case text == "":
		case r.split > 0 && r.split < len(text):
			out.WriteString(r.style.Render(text[:r.split]) + r.rest.Render(text[r.split:]))
		default:
			out.WriteString(r.style.Render(text))
		}
	}
	return out.String()
}

func headerRow(st *styles, f frame, inner int) row {
	w := f.Where
	right := ""
	if w.Chapter >= 0 {
		right = fmt.Sprintf("chapter %d/%d", w.Chapter+1, w.Chapters)
	}
	if v := int(f.Volume*100 + 0.5); v != 100 {
		right = fmt.Sprintf("vol %d%% · %s", v, right)
	}
	title := fit(f.Title, max(inner-lipgloss.Width(right)-2, 5))
	space := max(inner-lipgloss.Width(title)-lipgloss.Width(right), 1)
	return row{text: title + strings.Repeat(" ", space) + right, style: st.dim}
}

// exerciseName is the exercise being done, or the chapter's title between
// exercises (intro, warm-up, outro).
func exerciseName(w mixer.Where) string {
	if w.Place.Exercise > 0 && w.Place.Name != "" {
		return w.Place.Name
	}
	return w.ChapterTitle
}

func exerciseLabel(w mixer.Where) string {
	switch {
	case w.Place.Exercise > 0:
		return fmt.Sprintf("Exercise %d of %d", w.Place.Exercise, w.Place.Exercises)
	case w.Chapter >= 0:
		return fmt.Sprintf("Chapter %d of %d", w.Chapter+1, w.Chapters)
	}
	return ""
}

// countersRow says the side, the repetition and the set (or the breath):
// "LEFT · rep 2 of 4 · set 1 of 3". The side is the most visible, since
// doing the wrong one is the easiest mistake to make.
func countersRow(st *styles, w mixer.Where) row {
	p := w.Place
	var parts []string
	if p.Rep > 0 && p.Reps > 1 {
		parts = append(parts, fmt.Sprintf("rep %d of %d", p.Rep, p.Reps))
	}
	if p.Set > 0 && p.Sets > 1 {
		parts = append(parts, fmt.Sprintf("set %d of %d", p.Set, p.Sets))
	}
	if p.Breath > 0 {
		parts = append(parts, fmt.Sprintf("breath %d of %d", p.Breath, p.Breaths))
	}
	text := strings.Join(parts, " · ")
	if p.Side == "" {
		return row{text: text, style: st.bold, center: true}
	}
	side := " " + strings.ToUpper(p.Side) + " SIDE "
	if text == "" {
		return row{text: side, style: st.side, center: true}
	}
	return row{text: side + "  " + text, style: st.side, split: len(side), rest: st.bold, center: true}
}

// timerName is how the screen calls a running timer.
func timerName(w mixer.Where) string {
	switch w.Timer.Kind {
	case mixer.Settle:
		return "GET READY" // the hold's clock starts when this ends
	case mixer.Hold:
		return "HOLD"
	case mixer.Rest:
		if w.Place.Rep == 0 && w.Place.Set > 0 && w.Place.Sets > 1 {
			return "SET BREAK"
		}
		return "REST"
	case mixer.BreatheIn, mixer.BreatheOut:
		return "BREATHE"
	}
	return ""
}

// countdown is the time left as the large digits show it: seconds under a
// minute, m:ss from there.
func countdown(secs int) string {
	if secs < 60 {
		return strconv.Itoa(secs)
	}
	return fmt.Sprintf("%d:%02d", secs/60, secs%60)
}

// timerRows draws the running timer: its name beside a large countdown (for
// a breath, IN or OUT and its seconds), or in one row when compact. With no
// timer they are blank rows, so that the screen does not jump about.
func timerRows(st *styles, f frame, inner int, compact bool) []row {
	w := f.Where
	name := timerName(w)
	if name == "" {
		if compact {
			return []row{{}}
		}
		return make([]row, 5)
	}
	secs := w.Timer.Seconds()
	style := st.timer[w.Timer.Kind]
	if w.Timer.Kind == mixer.Hold && secs <= 3 {
		style = st.soon
	}
	if f.Paused {
		style = st.paused
	}
	text := countdown(secs)
	sub := fmt.Sprintf("of %s", seconds(w.Timer.Length))
	switch w.Timer.Kind {
	case mixer.BreatheIn:
		text = "IN " + text
	case mixer.BreatheOut:
		text = "OUT " + text
	}
	if compact {
		return []row{{text: fmt.Sprintf(" %s %s s %s ", name, countdown(secs), sub), style: style.Reverse(true), center: true}}
	}
	digits := big(text)
	labelW := max(lipgloss.Width(name), lipgloss.Width(sub))
	if labelW+2+lipgloss.Width(digits[0]) > inner {
		labelW = -2 // no room beside the digits: the digits alone
	}
	rows := make([]row, 5)
	for i, d := range digits {
		label := ""
		switch i {
		case 1:
			label = name
		case 3:
			label = sub
		}
		text := d
		if labelW >= 0 {
			text = pad(label, labelW) + "  " + d
		}
		rows[i] = row{text: text, style: style, center: true}
	}
	return rows
}

// seconds says a duration as "8 s" or "1:30".
func seconds(d time.Duration) string {
	s := int((d + time.Second - 1) / time.Second)
	if s < 60 {
		return fmt.Sprintf("%d s", s)
	}
	return fmt.Sprintf("%d:%02d", s/60, s%60)
}

// nextText says what comes next during rests and set breaks, and between
// exercises; "" when the screen has more pressing things to say.
func nextText(w mixer.Where) string {
	n := w.Next
	if n.Cue < 0 {
		return ""
	}
	if n.Chapter {
		if w.Timer.Kind == mixer.Rest || w.Timer.Kind == "" && w.Place.Rep == 0 {
			return "Next: " + n.Title
		}
		return ""
	}
	if w.Timer.Kind != mixer.Rest {
		return ""
	}
	var parts []string
	p, here := n.Place, w.Place
	if p.Set > 0 && p.Set != here.Set && p.Sets > 1 {
		parts = append(parts, fmt.Sprintf("set %d of %d", p.Set, p.Sets))
	}
	if p.Side != "" {
		parts = append(parts, p.Side+" side")
	}
	if p.Rep > 0 && p.Reps > 1 {
		parts = append(parts, fmt.Sprintf("rep %d of %d", p.Rep, p.Reps))
	}
	text := "Next: " + strings.Join(parts, ", ")
	if len(parts) == 0 {
		text = "Next:"
	}
	if n.Instruction != "" {
		if len(parts) > 0 {
			text += " —"
		}
		text += " " + n.Instruction
	}
	return text
}

// progressRow is a bar through the session with the time left in the
// exercise and in the session.
func progressRow(st *styles, w mixer.Where, inner int) row {
	part := "chapter"
	if w.Place.Exercise > 0 {
		part = "exercise"
	}
	times := fmt.Sprintf(" %s left in this %s · %s in the session", clock(w.ChapterLeft), part, clock(w.Left))
	switch {
	case inner < 50:
		times = fmt.Sprintf(" %s · %s left", clock(w.ChapterLeft), clock(w.Left))
	case inner < 90:
		times = fmt.Sprintf(" %s %s · session %s", part, clock(w.ChapterLeft), clock(w.Left))
	}
	n := inner - lipgloss.Width(times) - 2
	if n < 5 {
		return row{text: strings.TrimSpace(times), style: st.dim}
	}
	filled := 0
	if w.Total > 0 {
		filled = min(max(int(int64(n)*int64(w.Elapsed)/int64(w.Total)), 0), n)
	}
	return row{text: "▕" + strings.Repeat("█", filled) + strings.Repeat("░", n-filled) + "▏" + times, style: st.dim}
}

// helpRow names the keys that do something now, in as many words as fit.
func helpRow(st *styles, f frame, inner int) row {
	pause := "pause"
	if f.Paused {
		pause = "resume"
	}
	for _, h := range []string{
		"space " + pause + " · ←/p restart (twice: back) · →/n next · +/- volume · q quit",
		"space " + pause + " · ← restart · → next · +/- volume · q quit",
		"space " + pause + " · ← → chapter · +/- vol · q quit",
	} {
		if lipgloss.Width(h) <= inner {
			return row{text: h, style: st.help}
		}
	}
	return row{text: "space " + pause + " · q quit", style: st.help}
}

// clock formats a duration as m:ss (h:mm:ss from an hour).
func clock(d time.Duration) string {
	s := int(max(d, 0) / time.Second)
	if s >= 3600 {
		return fmt.Sprintf("%d:%02d:%02d", s/3600, s/60%60, s%60)
	}
	return fmt.Sprintf("%d:%02d", s/60, s%60)
}

// fit cuts s to n columns, marking a cut with an ellipsis.
func fit(s string, n int) string {
	if lipgloss.Width(s) <= n {
		return s
	}
	r := []rune(s)
	for len(r) > 0 && lipgloss.Width(string(r))+1 > n {
		r = r[:len(r)-1]
	}
	return string(r) + "…"
}

// pad fills s with spaces to n columns.
func pad(s string, n int) string {
	return s + strings.Repeat(" ", max(n-lipgloss.Width(s), 0))
}

// wrap breaks s into lines of at most n columns at spaces, three lines at
// most (the last cut with an ellipsis).
func wrap(s string, n int) []string {
	const rows = 3
	var out []string
	line := ""
	for _, word := range strings.Fields(s) {
		switch {
		case line == "":
			line = word
		case lipgloss.Width(line)+1+lipgloss.Width(word) <= n:
			line += " " + word
		default:
			out = append(out, line)
			line = word
		}
	}
	if line != "" {
		out = append(out, line)
	}
	if len(out) > rows {
		out = out[:rows]
		out[rows-1] = fit(out[rows-1]+" …", n)
	}
	for i := range out {
		out[i] = fit(out[i], n)
	}
	return out
}

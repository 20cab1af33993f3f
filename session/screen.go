package session

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/colorprofile"

	"routinecast/mixer"
	"routinecast/routines"
)

// frame is what the screen shows at one moment.
type frame struct {
	Title   string
	Where   mixer.Where
	Paused  bool
	Volume  float64
	Message string // the last key's effect, while it lasts
	// Words are the screen's words, in the routine's language; nil is English.
	Words *routines.Phrasebook
}

// words are f's words, English when it has none.
func (f frame) words() *routines.Phrasebook {
	if f.Words == nil {
		return routines.LabelsFor("en")
	}
	return f.Words
}

// styles are the looks of the screen's parts. They are written in 256
// colours; the program's renderer brings them down to what the terminal
// shows.
type styles struct {
	dim, bold, name, side, label, help, message, banner lipgloss.Style
	saying                                              lipgloss.Style // the line being said
	timer                                               map[mixer.EventKind]lipgloss.Style
	soon, paused                                        lipgloss.Style
	// inverse is the style a compact timer row adds to its own.
	inverse lipgloss.Style
}

// newStyles are the screen's looks on a terminal of profile p. Without
// colour there are none at all:
// NO_COLOR asks for plain text, and a renderer that only drops colours
// would leave bold, italic and reverse in.
func newStyles(p colorprofile.Profile) *styles {
	if p <= colorprofile.ASCII {
		return &styles{}
	}
	c := lipgloss.Color
	bold := lipgloss.NewStyle().Bold(true)
	fg := lipgloss.NewStyle().Foreground
	return &styles{
		dim:     fg(c("245")),
		bold:    bold,
		saying:  bold.Foreground(c("229")),
		name:    bold.Foreground(c("117")),
		side:    bold.Foreground(c("16")).Background(c("221")),
		label:   fg(c("250")),
		help:    fg(c("243")),
		message: fg(c("250")).Italic(true),
		banner:  bold.Foreground(c("16")).Background(c("214")),
		soon:    bold.Foreground(c("209")),
		paused:  fg(c("240")),
		timer: map[mixer.EventKind]lipgloss.Style{
			mixer.Settle:     bold.Foreground(c("228")),
			mixer.Hold:       bold.Foreground(c("84")),
			mixer.Rest:       bold.Foreground(c("75")),
			mixer.BreatheIn:  bold.Foreground(c("87")),
			mixer.BreatheOut: bold.Foreground(c("183")),
		},
		inverse: lipgloss.NewStyle().Reverse(true),
	}
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
// The large name and side go before the small rows they stand for; the
// title goes late, so that it stays at 50×15.
var dropOrder = []string{"gapProgress", "gapTimer", "gapText", "gapTop", "bigCounters", "bigName", "rule", "help", "label", "chapterBar", "next", "progress", "speaking", "header", "message"}

// screen lays f out in width×height cells.
func screen(st *styles, f frame, width, height int) string {
	width, height = max(width, 20), max(height, 1)
	w, l := f.Where, f.words()
	inner := width - 2 // a column of margin on each side

	instruction := wrap(w.Instruction, inner)
	compact := false
	dropped := map[string]bool{}
	build := func() []block {
		var bs []block
		add := func(name string, rows ...row) { bs = append(bs, block{name, rows}) }
		gap := func(name string) { add(name, row{}) }

		add("header", headerRow(st, f, inner))
		add("rule", row{text: strings.Repeat("─", inner), style: st.dim})
		gap("gapTop")
		add("label", row{text: exerciseLabel(l, w), style: st.label, center: true})
		if rows := bigRows(strings.ToUpper(exerciseName(w)), inner, 2); rows != nil && !dropped["bigName"] {
			add("name", styled(rows, st.name)...)
		} else {
			add("name", row{text: strings.ToUpper(exerciseName(w)), style: st.name, center: true})
		}
		if rows := bigRows(bigCounters(l, w), inner, 1); rows != nil && !dropped["bigCounters"] {
			add("bigCounters", styled(rows, st.bold)...)
		}
		add("counters", countersRow(st, l, w))
		gap("gapText")
		// The line being said is bright while it is said: the instruction
		// itself, or a line of its own (a count, a breath).
		insStyle := st.bold
		if w.Speaking != "" && w.Speaking == w.Instruction {
			insStyle = st.saying
		}
		var ins []row
		for _, l := range instruction {
			ins = append(ins, row{text: l, style: insStyle, center: true})
		}
		if len(ins) == 0 {
			ins = []row{{}}
		}
		add("instruction", ins...)
		if w.Speaking != "" && w.Speaking != w.Instruction {
			add("speaking", row{text: "“" + w.Speaking + "”", style: st.saying, center: true})
		}
		gap("gapTimer")
		add("timer", timerRows(st, f, inner, compact)...)
		if n := nextText(l, w); n != "" {
			add("next", row{text: n, style: st.label, center: true})
		}
		gap("gapProgress")
		chapterBar, sessionBar := progressRows(st, l, w, inner)
		add("chapterBar", chapterBar)
		add("progress", sessionBar)
		switch {
		case f.Paused:
			add("paused", row{text: l.Label("paused_banner"), style: st.banner, center: true})
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
	w, l := f.Where, f.words()
	right := ""
	if w.Chapter >= 0 {
		right = l.Label("header_chapter", "n", strconv.Itoa(w.Chapter+1), "of", strconv.Itoa(w.Chapters))
	}
	if v := int(f.Volume*100 + 0.5); v != 100 {
		right = l.Label("volume_short", "n", strconv.Itoa(v)) + " · " + right
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

func exerciseLabel(l *routines.Phrasebook, w mixer.Where) string {
	switch {
	case w.Place.Exercise > 0:
		return nOf(l, "exercise_of", w.Place.Exercise, w.Place.Exercises)
	case w.Chapter >= 0:
		return nOf(l, "chapter_of", w.Chapter+1, w.Chapters)
	}
	return ""
}

// nOf is a label of the form "rep {n} of {of}".
func nOf(l *routines.Phrasebook, key string, n, of int) string {
	return l.Label(key, "n", strconv.Itoa(n), "of", strconv.Itoa(of))
}

// sideLabel names a side as the screen shows it: "LEFT SIDE".
func sideLabel(l *routines.Phrasebook, side string) string {
	return strings.ToUpper(l.Label("side", "side", side))
}

// countersRow says the side, the repetition and the set (or the breath):
// "LEFT · rep 2 of 4 · set 1 of 3". The side is the most visible, since
// doing the wrong one is the easiest mistake to make.
func countersRow(st *styles, l *routines.Phrasebook, w mixer.Where) row {
	p := w.Place
	var parts []string
	if p.Rep > 0 && p.Reps > 1 {
		parts = append(parts, nOf(l, "rep_of", p.Rep, p.Reps))
	}
	if p.Set > 0 && p.Sets > 1 {
		parts = append(parts, nOf(l, "set_of", p.Set, p.Sets))
	}
	if p.Breath > 0 {
		parts = append(parts, nOf(l, "breath_of", p.Breath, p.Breaths))
	}
	text := strings.Join(parts, " · ")
	if p.Side == "" {
		return row{text: text, style: st.bold, center: true}
	}
	side := " " + sideLabel(l, p.Side) + " "
	if text == "" {
		return row{text: side, style: st.side, center: true}
	}
	return row{text: side + "  " + text, style: st.side, split: len(side), rest: st.bold, center: true}
}

// timerName is how the screen calls a running timer.
func timerName(l *routines.Phrasebook, w mixer.Where) string {
	switch w.Timer.Kind {
	case mixer.Settle:
		return l.Label("get_ready") // the hold's clock starts when this ends
	case mixer.Hold:
		return l.Label("hold")
	case mixer.Rest:
		if w.Place.Rep == 0 && w.Place.Set > 0 && w.Place.Sets > 1 {
			return l.Label("set_break")
		}
		return l.Label("rest")
	case mixer.BreatheIn, mixer.BreatheOut:
		return l.Label("breathe")
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
	w, l := f.Where, f.words()
	name := timerName(l, w)
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
	sub := l.Label("timer_of", "time", seconds(w.Timer.Length))
	word := ""
	switch w.Timer.Kind {
	case mixer.BreatheIn:
		word = l.Label("big_in")
	case mixer.BreatheOut:
		word = l.Label("big_out")
	}
	if word != "" {
		// The breath's word goes beside the digits, large; where it does
		// not fit, it names the timer instead.
		if lipgloss.Width(big(word + " " + text)[0]) <= inner {
			text = word + " " + text
		} else {
			name = word
		}
	}
	if compact {
		return []row{{text: fmt.Sprintf(" %s %s s %s ", name, countdown(secs), sub), style: style.Inherit(st.inverse), center: true}}
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
func nextText(l *routines.Phrasebook, w mixer.Where) string {
	n := w.Next
	if n.Cue < 0 {
		return ""
	}
	if n.Chapter {
		if w.Timer.Kind == mixer.Rest || w.Timer.Kind == "" && w.Place.Rep == 0 {
			return l.Label("next") + " " + n.Title
		}
		return ""
	}
	if w.Timer.Kind != mixer.Rest {
		return ""
	}
	var parts []string
	p, here := n.Place, w.Place
	if p.Set > 0 && p.Set != here.Set && p.Sets > 1 {
		parts = append(parts, nOf(l, "set_of", p.Set, p.Sets))
	}
	if p.Side != "" {
		parts = append(parts, l.Label("side", "side", p.Side))
	}
	if p.Rep > 0 && p.Reps > 1 {
		parts = append(parts, nOf(l, "rep_of", p.Rep, p.Reps))
	}
	text := l.Label("next") + " " + strings.Join(parts, ", ")
	if len(parts) == 0 {
		text = l.Label("next")
	}
	if n.Instruction != "" {
		if len(parts) > 0 {
			text += " —"
		}
		text += " " + n.Instruction
	}
	return text
}

// progressRows are two bars, each with what it counts: the time left in
// the exercise (or chapter) and in the session.
func progressRows(st *styles, l *routines.Phrasebook, w mixer.Where, inner int) (chapter, session row) {
	key := "left_in_chapter"
	if w.Place.Exercise > 0 {
		key = "left_in_exercise"
	}
	if inner < 50 {
		key += "_short"
	}
	labels := [2]string{l.Label(key, "time", routines.FormatClock(w.ChapterLeft)), l.Label("left", "time", routines.FormatClock(w.Left))}
	done := [2]time.Duration{w.ChapterLength - w.ChapterLeft, w.Elapsed}
	total := [2]time.Duration{w.ChapterLength, w.Total}
	n := inner - max(lipgloss.Width(labels[0]), lipgloss.Width(labels[1])) - 3
	var rows [2]row
	for i := range rows {
		if n < 5 {
			rows[i] = row{text: labels[i], style: st.dim}
			continue
		}
		filled := 0
		if total[i] > 0 {
			filled = min(max(int(int64(n)*int64(done[i])/int64(total[i])), 0), n)
		}
		rows[i] = row{text: "▕" + strings.Repeat("█", filled) + strings.Repeat("░", n-filled) + "▏ " + labels[i], style: st.dim}
	}
	return rows[0], rows[1]
}

// bigCounters is the side and repetition (or breath) for the large line:
// "RIGHT · REP 1/4", "BREATH 3/5"; "" when there is neither.
func bigCounters(l *routines.Phrasebook, w mixer.Where) string {
	p := w.Place
	var parts []string
	if p.Side != "" {
		parts = append(parts, strings.ToUpper(p.Side))
	}
	if p.Rep > 0 && p.Reps > 1 {
		parts = append(parts, nOf(l, "big_rep", p.Rep, p.Reps))
	}
	if p.Breath > 0 {
		parts = append(parts, nOf(l, "big_breath", p.Breath, p.Breaths))
	}
	return strings.Join(parts, " · ")
}

// bigRows draws s large in at most lines lines of inner columns, breaking
// it at spaces; nil when s is empty, has a character the large font lacks,
// or does not fit.
func bigRows(s string, inner, lines int) []string {
	if strings.TrimSpace(s) == "" {
		return nil
	}
	var out []string
	line := ""
	flush := func() bool {
		rows, ok := bigLine(line)
		if !ok || lipgloss.Width(rows[0]) > inner {
			return false
		}
		out = append(out, rows[:]...)
		return true
	}
	for _, word := range strings.Fields(s) {
		next := strings.TrimSpace(line + " " + word)
		if rows, ok := bigLine(next); ok && lipgloss.Width(rows[0]) <= inner || line == "" {
			line = next
			continue
		}
		if !flush() {
			return nil
		}
		line = word
	}
	if !flush() || len(out) > 3*lines {
		return nil
	}
	return out
}

// styled makes rows of texts in one style, centred.
func styled(texts []string, st lipgloss.Style) []row {
	rows := make([]row, len(texts))
	for i, t := range texts {
		rows[i] = row{text: t, style: st, center: true}
	}
	return rows
}

// helpRow names the keys that do something now, in as many words as fit.
func helpRow(st *styles, f frame, inner int) row {
	l := f.words()
	pause := l.Label("key_pause")
	if f.Paused {
		pause = l.Label("key_resume")
	}
	for _, key := range []string{"help", "help_medium", "help_short"} {
		if h := l.Label(key, "pause", pause); lipgloss.Width(h) <= inner {
			return row{text: h, style: st.help}
		}
	}
	return row{text: l.Label("help_least", "pause", pause), style: st.help}
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

package routines

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"

	"routinecast/internal/textcheck"
)

// Until a voice has real clips, a line is assumed to take this long per word
// (about 160 words a minute, a calm instructing pace) plus a short lead.
const (
	perWord  = 375 * time.Millisecond
	lineLead = 250 * time.Millisecond
)

// EstimateSpoken guesses how long a line takes to say from its words.
func EstimateSpoken(text string) time.Duration {
	return lineLead + time.Duration(len(strings.Fields(text)))*perWord
}

// ErrTooLong is returned by Expand for a routine longer than MaxTotal.
var ErrTooLong = errors.New("routines: routine too long")

// Expand resolves a routine at a level into its script: every line said and
// every timed step, in order, with chapters for the intro, the warm-up, each
// exercise and the outro.
func Expand(r *Routine, level Level) (*Script, error) {
	if !level.known() {
		return nil, fmt.Errorf("routines: unknown level %q (use gentle, standard or full)", level)
	}
	pb, err := PhrasebookFor(r.Language)
	if err != nil {
		return nil, err
	}
	e := &expander{pb: pb, level: level, s: &Script{Title: r.Title, Language: r.Language, Level: level}, settle: DefaultSettle}
	if r.Settle != nil {
		e.settle = *r.Settle
	}
	for i := 1; i <= 10; i++ {
		e.s.Phrases.Countdown = append(e.s.Phrases.Countdown, pb.Number(i))
	}
	e.s.Phrases.Halfway = pb.Phrase("halfway", nil)
	e.s.Phrases.Hold = pb.Phrase("hold", nil)

	if len(r.Intro) > 0 || len(r.Cautions) > 0 {
		e.chapter(pb.Phrase("intro", nil))
		for _, l := range r.Intro {
			e.say(l, nil)
		}
		for _, l := range r.Cautions {
			e.say(l, nil)
		}
	}
	if w := r.Warmup; w != nil {
		title := w.Title
		if title == "" {
			title = pb.Phrase("warmup", nil)
		}
		e.chapter(title)
		in, out := w.Inhale.At(level), w.Exhale.At(level)
		n := w.Breaths.At(level)
		vars := map[string]string{"breaths": pb.Number(n), "inhale": pb.Seconds(in), "exhale": pb.Seconds(out)}
		for _, l := range w.Say {
			e.say(l, vars)
		}
		for i := 0; i < n; i++ {
			e.place = Place{Breath: i + 1, Breaths: n}
			e.breathe(BreatheIn, in)
			e.breathe(BreatheOut, out)
		}
		e.place = Place{}
	}
	for i := range r.Exercises {
		ex := &r.Exercises[i]
		e.place = Place{Exercise: i + 1, Exercises: len(r.Exercises), Name: ex.Name}
		e.chapter(ex.Name)
		e.say(pb.Phrase("next", map[string]string{"exercise": ex.Name}), nil)
		e.exercise(ex)
		if ex.Variant != nil {
			v := *ex.Variant
			if v.Settle == nil {
				v.Settle = ex.Settle
			}
			e.exercise(&v)
		}
		e.place.Name = ex.Name
		// The closing that starts with the praise says it once, not twice
		// in a row ("Well done." "Well done. See you tomorrow.").
		wellDone := pb.Phrase("well_done", nil)
		if i < len(r.Exercises)-1 || len(r.Outro) == 0 || !startsWithWords(r.Outro[0], wellDone) {
			e.say(wellDone, nil)
		}
	}
	e.place = Place{}
	if len(r.Outro) > 0 {
		e.chapter(pb.Phrase("outro", nil))
		for _, l := range r.Outro {
			e.say(l, nil)
		}
	}
	if e.total > MaxTotal {
		return nil, fmt.Errorf("%w: the routine lasts more than %s at level %s", ErrTooLong, MaxTotal, level)
	}
	return e.s, nil
}

type expander struct {
	pb       *Phrasebook
	level    Level
	s        *Script
	rep, set int           // the repetition and set being run; zero outside them
	place    Place         // given to every cue added
	total    time.Duration // of the cues so far
	settle   time.Duration // of the exercise being run (see Cue.Settle)
}

// add appends a cue, unless the script is already over MaxTotal: expanding stops
// growing there, so a hostile file cannot make Expand run for long.
func (e *expander) add(c Cue) {
	if e.total > MaxTotal {
		return
	}
	e.total += c.Settle + c.Duration
	c.Place = e.place
	e.s.Cues = append(e.s.Cues, c)
}

func (e *expander) chapter(title string) { e.add(Cue{Kind: Chapter, Text: title}) }

func (e *expander) say(tmpl string, vars map[string]string) {
	text := FillSentence(tmpl, vars)
	e.add(Cue{Kind: Say, Text: text, Duration: EstimateSpoken(text)})
}

// Capitalize gives s a capital first letter, as a sentence of a
// routine's text begins when it is said or printed; past an opening ¿, ¡
// or quotation mark ("¿Izquierda?").
func Capitalize(s string) string { return textcheck.Capitalize(s) }

// FillSentence replaces each {name} in a routine's text by vars[name], as
// the script says it and the handout prints it: a text that starts with a
// value ("{side} knee.", "¿{side}?") starts a sentence, so it gets a capital.
func FillSentence(tmpl string, vars map[string]string) string {
	text := fill(tmpl, vars)
	if strings.HasPrefix(textcheck.SkipOpeners(tmpl), "{") {
		text = Capitalize(text)
	}
	return text
}

func (e *expander) breathe(kind CueKind, d time.Duration) {
	first := true
	for i := len(e.s.Cues) - 1; i >= 0; i-- {
		if k := e.s.Cues[i].Kind; k != Chapter {
			first = k != BreatheIn && k != BreatheOut
			break
		}
	}
	e.add(Cue{Kind: kind, Text: e.pb.Phrase(string(kind), nil), Duration: d, First: first})
}

func (e *expander) exercise(ex *Exercise) {
	if ex.Settle != nil {
		defer func(s time.Duration) { e.settle = s }(e.settle)
		e.settle = *ex.Settle
	}
	pb, l := e.pb, e.level
	reps, sets := ex.Reps.At(l), ex.Sets.At(l)
	vars := map[string]string{
		"exercise": ex.Name,
		"reps":     pb.Number(reps),
		"sets":     pb.Number(sets),
		"set_rest": pb.Seconds(ex.SetRest.At(l)),
	}
	for _, s := range append(append([]Step{}, ex.Setup...), ex.Steps...) {
		if _, ok := vars[string(s.Kind)]; !ok && (s.Kind == Hold || s.Kind == Rest) {
			vars[string(s.Kind)] = pb.Seconds(s.Duration.At(l))
		}
	}
	e.place.Name, e.place.Sets, e.place.Reps = ex.Name, sets, reps
	e.place.Set, e.place.Rep, e.place.Side = 0, 0, ""
	e.steps(ex.Setup, vars)
	sideName := func(side int) string {
		if ex.Sides == NoSides {
			return ""
		}
		return ex.SideNames[side]
	}
	for set := 1; set <= sets; set++ {
		vars["set"] = pb.Number(set)
		e.place.Set, e.place.Rep, e.place.Side = set, 0, ""
		if sets > 1 {
			e.say(pb.Phrase("set", vars), nil)
		}
		lastOne := func(rep, side int) {
			if reps >= 3 && rep == reps {
				// "last one" announces the repetition it leads.
				e.place.Rep, e.place.Side = rep, sideName(side)
				e.say(pb.Phrase("last_one", nil), nil)
			}
		}
		run := func(rep, side int, countHere bool) {
			e.rep, e.set = rep, set
			e.place.Rep, e.place.Side = rep, sideName(side)
			vars["rep"] = pb.Number(rep)
			if ex.Sides != NoSides {
				pb.SideVars(vars, ex.SideNames, side)
			}
			for _, s := range ex.Steps {
				if s.Kind == Count && !countHere {
					continue
				}
				e.step(s, vars)
			}
		}
		switch ex.Sides {
		case NoSides:
			for rep := 1; rep <= reps; rep++ {
				lastOne(rep, 0)
				run(rep, 0, true)
			}
		case Alternate:
			for rep := 1; rep <= reps; rep++ {
				lastOne(rep, 0)
				run(rep, 0, false)
				run(rep, 1, true) // the count comes once both sides are done
			}
		case EachSide:
			for side := 0; side < 2; side++ {
				if side > 0 {
					e.place.Rep, e.place.Side = 0, sideName(side)
					e.say(pb.Phrase("switch_sides", nil), nil)
				}
				for rep := 1; rep <= reps; rep++ {
					lastOne(rep, side)
					run(rep, side, true)
				}
			}
		}
		if set < sets {
			e.place.Rep, e.place.Side = 0, ""
			e.say(pb.Phrase("rest", nil), nil)
			e.add(Cue{Kind: Rest, Duration: ex.SetRest.At(l)})
		}
	}
	e.rep, e.set = 0, 0
	e.place.Set, e.place.Rep, e.place.Side = 0, 0, ""
	for _, n := range ex.Notes {
		e.say(n, vars)
	}
}

func (e *expander) steps(steps []Step, vars map[string]string) {
	for _, s := range steps {
		e.step(s, vars)
	}
}

func (e *expander) step(s Step, vars map[string]string) {
	switch s.Kind {
	case Say:
		text := s.Text
		if e.rep > 1 || e.set > 1 {
			text = s.Later
		}
		e.say(text, vars)
	case Count:
		text := vars["rep"]
		e.add(Cue{Kind: Count, Text: text, Duration: EstimateSpoken(text)})
	case BreatheIn, BreatheOut:
		e.breathe(s.Kind, s.Duration.At(e.level))
	default:
		c := Cue{Kind: s.Kind, Duration: s.Duration.At(e.level)}
		if s.Kind == Hold && e.afterSay() {
			c.Settle = e.settle
		}
		e.add(c)
	}
}

// afterSay reports whether the last cue but chapters is a line of the
// routine (an instruction to move, which a hold needs time to follow).
func (e *expander) afterSay() bool {
	for i := len(e.s.Cues) - 1; i >= 0; i-- {
		if k := e.s.Cues[i].Kind; k != Chapter {
			return k == Say
		}
	}
	return false
}

// startsWithWords reports whether line's words begin with prefix's, case and
// punctuation aside.
func startsWithWords(line, prefix string) bool {
	words := func(s string) []string {
		return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	}
	l, p := words(line), words(prefix)
	return len(p) > 0 && len(l) >= len(p) && slices.Equal(l[:len(p)], p)
}

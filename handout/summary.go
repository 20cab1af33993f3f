package handout

import (
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"routinecast/routines"
)

// Exercise is one exercise of a routine at a level, as people read it.
type Exercise struct {
	Name string
	// Dose is the holds, breaths, repetitions, sets and sides as numbers,
	// e.g. "Hold 10 s · 5 reps per side".
	Dose string
	// Setup is what is said once, before the first repetition.
	Setup []string
	// Steps is what is done each repetition, in order.
	Steps []string
	Notes []string
	// Variant is an easier or harder version done right after, if any.
	Variant *Exercise
}

// Warmup is a routine's breathing warm-up as people read it.
type Warmup struct {
	Title string
	Dose  string // e.g. "6 breaths: in 4 s, out 6 s"
	Say   []string
}

// Summary is a routine at one level as people read it.
type Summary struct {
	Warmup    *Warmup
	Exercises []Exercise
}

// Summarize describes every exercise of a routine at a level, in the
// routine's language. A routine that Stretched has fixed
// (routines.Routine.Stretched) reads the same at any level.
func Summarize(r *routines.Routine, level routines.Level) Summary {
	w := words{routines.LabelsFor(r.Language)}
	var s Summary
	if wu := r.Warmup; wu != nil {
		n, in, out := wu.Breaths.At(level), wu.Inhale.At(level), wu.Exhale.At(level)
		vars := map[string]string{"breaths": strconv.Itoa(n), "inhale": w.secs(in), "exhale": w.secs(out)}
		title := wu.Title
		if title == "" {
			title = w.Phrase("warmup", nil)
		}
		sw := &Warmup{Title: title, Dose: w.Label("warmup_dose", "breaths", w.Count("breaths", n), "inhale", w.secs(in), "exhale", w.secs(out))}
		for _, l := range wu.Say {
			sw.Say = append(sw.Say, routines.FillSentence(l, vars))
		}
		s.Warmup = sw
	}
	for i := range r.Exercises {
		s.Exercises = append(s.Exercises, w.summarizeExercise(&r.Exercises[i], level))
	}
	return s
}

// words are the sheet's words in one language.
type words struct{ *routines.Phrasebook }

func (w words) summarizeExercise(ex *routines.Exercise, l routines.Level) Exercise {
	reps, sets := ex.Reps.At(l), ex.Sets.At(l)
	vars := map[string]string{
		"exercise": ex.Name, "reps": strconv.Itoa(reps), "sets": strconv.Itoa(sets),
		"set_rest": w.secs(ex.SetRest.At(l)), "rep": "1", "set": "1",
	}
	if ex.Sides != routines.NoSides {
		w.SideVars(vars, ex.SideNames, 0)
	}
	all := append(append([]routines.Step{}, ex.Setup...), ex.Steps...)
	for _, s := range all {
		if _, ok := vars[string(s.Kind)]; !ok && (s.Kind == routines.Hold || s.Kind == routines.Rest) {
			vars[string(s.Kind)] = w.secs(s.Duration.At(l))
		}
	}
	out := Exercise{Name: ex.Name}
	for i, s := range ex.Setup {
		if t := w.stepText(s, l, vars); t != "" && !w.saidBefore(ex.Setup, i, l, vars) {
			out.Setup = append(out.Setup, t)
		}
	}
	// The dose lists the holds and breaths, once each; rests are in the steps.
	var dose []string
	seen := map[string]bool{}
	add := func(s string) {
		if !seen[s] {
			seen[s] = true
			dose = append(dose, s)
		}
	}
	for i, s := range ex.Steps {
		if t := w.stepText(s, l, vars); t != "" && !w.saidBefore(ex.Steps, i, l, vars) {
			out.Steps = append(out.Steps, t)
		}
		d := w.secs(s.Duration.At(l))
		switch s.Kind {
		case routines.Hold:
			add(w.Label("dose_hold", "s", d))
		case routines.BreatheIn:
			add(w.Label("dose_breathe_in", "s", d))
		case routines.BreatheOut:
			add(w.Label("dose_breathe_out", "s", d))
		}
	}
	if ex.Sides == routines.Alternate && len(out.Steps) > 0 {
		out.Steps = append(out.Steps, w.Label("then_other_side", "side", ex.SideNames[1]))
	}
	switch {
	case ex.Sides == routines.Alternate:
		dose = append(dose, w.Label("dose_alternate", "reps", w.Count("reps", reps)))
	case ex.Sides == routines.EachSide:
		dose = append(dose, w.Label("dose_each_side", "reps", w.Count("reps", reps), "side", ex.SideNames[0], "other", ex.SideNames[1]))
	case reps > 1:
		dose = append(dose, w.Count("reps", reps))
	default:
		dose = append(dose, w.Label("dose_once"))
	}
	if sets > 1 {
		set := w.Count("sets", sets)
		if r := ex.SetRest.At(l); r > 0 {
			set = w.Label("dose_set_rest", "sets", set, "s", w.secs(r))
		}
		dose = append(dose, set)
	}
	out.Dose = routines.Capitalize(strings.Join(dose, " · "))
	for _, n := range ex.Notes {
		out.Notes = append(out.Notes, routines.FillSentence(n, vars))
	}
	if ex.Variant != nil {
		v := w.summarizeExercise(ex.Variant, l)
		out.Variant = &v
	}
	return out
}

// stepLabels are the labels of timed steps on the sheet, and of the words
// that say them in a routine's line.
var stepLabels = map[routines.CueKind][2]string{
	routines.Hold:       {"step_hold", "said_hold"},
	routines.Rest:       {"step_rest", "said_rest"},
	routines.BreatheIn:  {"step_breathe_in", "said_breathe_in"},
	routines.BreatheOut: {"step_breathe_out", "said_breathe_out"},
}

// stepText is a step as a line of the sheet; counts are not written.
func (w words) stepText(s routines.Step, l routines.Level, vars map[string]string) string {
	if s.Kind == routines.Say {
		return routines.FillSentence(s.Text, vars)
	}
	if k, ok := stepLabels[s.Kind]; ok {
		return w.Label(k[0], "s", w.secs(s.Duration.At(l)))
	}
	return ""
}

// saidBefore reports whether the timed step steps[i] is what the line
// before it already says ("Hold for {hold} seconds.", or "Rest 5 seconds."
// before a 5 s rest): the sheet then does not print it a second time.
func (w words) saidBefore(steps []routines.Step, i int, l routines.Level, vars map[string]string) bool {
	s := steps[i]
	if !s.Kind.Timed() || i == 0 || steps[i-1].Kind != routines.Say {
		return false
	}
	tmpl := steps[i-1].Text
	d := w.secs(s.Duration.At(l))
	if s.Kind == routines.Hold || s.Kind == routines.Rest {
		if strings.Contains(tmpl, "{"+string(s.Kind)+"}") && vars[string(s.Kind)] == d {
			return true
		}
	}
	k, ok := stepLabels[s.Kind]
	if !ok {
		return false
	}
	said := strings.ToLower(routines.FillSentence(tmpl, vars))
	n := regexp.MustCompile(`(^|[^0-9.` + regexp.QuoteMeta(w.Label("decimal")) + `])` + regexp.QuoteMeta(d) + `\s*(` + w.alternatives("said_seconds") + `)($|[^\pL])`)
	return regexp.MustCompile(w.alternatives(k[1])).MatchString(said) && n.MatchString(said)
}

// alternatives makes a label's comma-separated words a regular expression's
// alternatives, longest first.
func (w words) alternatives(key string) string {
	var alts []string
	for _, a := range strings.Split(w.Label(key), ",") {
		if a = strings.ToLower(strings.TrimSpace(a)); a != "" {
			alts = append(alts, regexp.QuoteMeta(a))
		}
	}
	sort.Slice(alts, func(i, j int) bool { return len(alts[i]) > len(alts[j]) })
	return strings.Join(alts, "|")
}

// secs writes a duration in seconds as people write it: "10", "2.5" ("2,5"
// in languages that write a decimal comma).
func (w words) secs(d time.Duration) string {
	return strings.Replace(strconv.FormatFloat(d.Seconds(), 'f', -1, 64), ".", w.Label("decimal"), 1)
}

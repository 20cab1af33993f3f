package handout

import (
	"fmt"
	"regexp"
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

// Summarize describes every exercise of a routine at a level. A routine that
// Stretched has fixed (routines.Routine.Stretched) reads the same at any level.
func Summarize(r *routines.Routine, level routines.Level) Summary {
	var s Summary
	if w := r.Warmup; w != nil {
		n, in, out := w.Breaths.At(level), w.Inhale.At(level), w.Exhale.At(level)
		vars := map[string]string{"breaths": strconv.Itoa(n), "inhale": secs(in), "exhale": secs(out)}
		title := w.Title
		if title == "" {
			title = "Deep breathing"
		}
		sw := &Warmup{Title: title, Dose: fmt.Sprintf("%d %s: in %s s, out %s s", n, plural(n, "breath", "breaths"), secs(in), secs(out))}
		for _, l := range w.Say {
			sw.Say = append(sw.Say, routines.FillSentence(l, vars))
		}
		s.Warmup = sw
	}
	for i := range r.Exercises {
		s.Exercises = append(s.Exercises, summarizeExercise(&r.Exercises[i], level))
	}
	return s
}

func summarizeExercise(ex *routines.Exercise, l routines.Level) Exercise {
	reps, sets := ex.Reps.At(l), ex.Sets.At(l)
	vars := map[string]string{
		"exercise": ex.Name, "reps": strconv.Itoa(reps), "sets": strconv.Itoa(sets),
		"set_rest": secs(ex.SetRest.At(l)), "rep": "1", "set": "1",
	}
	if ex.Sides != routines.NoSides {
		vars["side"], vars["other"] = ex.SideNames[0], ex.SideNames[1]
	}
	all := append(append([]routines.Step{}, ex.Setup...), ex.Steps...)
	for _, s := range all {
		if _, ok := vars[string(s.Kind)]; !ok && (s.Kind == routines.Hold || s.Kind == routines.Rest) {
			vars[string(s.Kind)] = secs(s.Duration.At(l))
		}
	}
	out := Exercise{Name: ex.Name}
	for i, s := range ex.Setup {
		if t := stepText(s, l, vars); t != "" && !saidBefore(ex.Setup, i, l, vars) {
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
		if t := stepText(s, l, vars); t != "" && !saidBefore(ex.Steps, i, l, vars) {
			out.Steps = append(out.Steps, t)
		}
		d := s.Duration.At(l)
		switch s.Kind {
		case routines.Hold:
			add("hold " + secs(d) + " s")
		case routines.BreatheIn:
			add("breathe in " + secs(d) + " s")
		case routines.BreatheOut:
			add("breathe out " + secs(d) + " s")
		}
	}
	if ex.Sides == routines.Alternate && len(out.Steps) > 0 {
		out.Steps = append(out.Steps, fmt.Sprintf("Then the same on the %s side.", ex.SideNames[1]))
	}
	switch {
	case ex.Sides == routines.Alternate:
		dose = append(dose, fmt.Sprintf("%d %s per side, alternating sides", reps, plural(reps, "rep", "reps")))
	case ex.Sides == routines.EachSide:
		dose = append(dose, fmt.Sprintf("%d %s per side, all on the %s side, then the %s", reps, plural(reps, "rep", "reps"), ex.SideNames[0], ex.SideNames[1]))
	case reps > 1:
		dose = append(dose, fmt.Sprintf("%d reps", reps))
	default:
		dose = append(dose, "once")
	}
	if sets > 1 {
		set := fmt.Sprintf("%d sets", sets)
		if r := ex.SetRest.At(l); r > 0 {
			set += fmt.Sprintf(", %s s rest between", secs(r))
		}
		dose = append(dose, set)
	}
	out.Dose = routines.Capitalize(strings.Join(dose, " · "))
	for _, n := range ex.Notes {
		out.Notes = append(out.Notes, routines.FillSentence(n, vars))
	}
	if ex.Variant != nil {
		v := summarizeExercise(ex.Variant, l)
		out.Variant = &v
	}
	return out
}

// stepText is a step as a line of the sheet; counts are not written.
func stepText(s routines.Step, l routines.Level, vars map[string]string) string {
	d := secs(s.Duration.At(l))
	switch s.Kind {
	case routines.Say:
		return routines.FillSentence(s.Text, vars)
	case routines.Hold:
		return "Hold for " + d + " s."
	case routines.Rest:
		return "Rest for " + d + " s."
	case routines.BreatheIn:
		return "Breathe in for " + d + " s."
	case routines.BreatheOut:
		return "Breathe out for " + d + " s."
	}
	return ""
}

// saidBefore reports whether the timed step steps[i] is what the line
// before it already says ("Hold for {hold} seconds.", or "Rest 5 seconds."
// before a 5 s rest): the sheet then does not print it a second time.
func saidBefore(steps []routines.Step, i int, l routines.Level, vars map[string]string) bool {
	s := steps[i]
	if !s.Kind.Timed() || i == 0 || steps[i-1].Kind != routines.Say {
		return false
	}
	tmpl := steps[i-1].Text
	if s.Kind == routines.Hold || s.Kind == routines.Rest {
		if strings.Contains(tmpl, "{"+string(s.Kind)+"}") && vars[string(s.Kind)] == secs(s.Duration.At(l)) {
			return true
		}
	}
	word := map[routines.CueKind]string{routines.Hold: "hold", routines.Rest: "rest", routines.BreatheIn: "breathe in", routines.BreatheOut: "breathe out"}[s.Kind]
	said := strings.ToLower(routines.FillSentence(tmpl, vars))
	n := regexp.MustCompile(`(^|[^0-9.])` + regexp.QuoteMeta(secs(s.Duration.At(l))) + `\s*(s|sec|secs|seconds?)\b`)
	return strings.Contains(said, word) && n.MatchString(said)
}

// secs writes a duration in seconds as people write it: "10", "2.5".
func secs(d time.Duration) string {
	return strconv.FormatFloat(d.Seconds(), 'f', -1, 64)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

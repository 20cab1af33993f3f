package routines

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/goccy/go-yaml/ast"

	"routinecast/internal/textcheck"
	"routinecast/internal/typo"
	"routinecast/internal/yamlfile"
)

// Limits that keep a routine sane. Anything beyond them is almost certainly a typo.
const (
	MaxTextLen   = 500
	MaxStep      = 10 * time.Minute // one hold, rest or breath
	MaxReps      = 100
	MaxSets      = 20
	MaxBreaths   = 100
	MaxTotal     = 4 * time.Hour // a whole routine, at any level
	maxFileBytes = 1 << 20
)

// Error is one problem in a routine file, at a line and column (1-based; zero
// when the problem concerns the whole file).
type Error = yamlfile.Error

// Errors is every problem found in a routine file, in file order. Its Error
// method gives one line per problem. It is the type pack.Errors is too, so
// one errors.As finds the problems of either file.
type Errors = yamlfile.Errors

// MaxFileBytes bounds a routine file: a real routine is a few kilobytes.
const MaxFileBytes = maxFileBytes

// Load reads and validates a routine file.
func Load(path string) (*Routine, error) { return LoadContext(context.Background(), path) }

// LoadContext reads and validates a routine file, stopping when ctx ends.
// The path must name a regular file of at most MaxFileBytes: a folder,
// device or FIFO is an error naming it, returned at once.
func LoadContext(ctx context.Context, path string) (*Routine, error) {
	return Ref{Name: path, Path: path}.Load(ctx)
}

// Parse decodes and validates a routine from YAML source. name is used in
// error messages and as the routine's Name. Every problem is reported at once,
// as Errors.
func Parse(name string, src []byte) (*Routine, error) {
	d := &decoder{Decoder: &yamlfile.Decoder{File: name, Kind: "routine"}}
	r := d.parse(src)
	if len(d.Errs) > 0 {
		d.Sort()
		return nil, Errors(d.Errs)
	}
	r.Name = name
	d.SortWarnings()
	r.Warnings = Errors(d.Warns)
	return r, nil
}

type decoder struct {
	*yamlfile.Decoder
	sides     [2]string           // what the routine's language calls the sides
	sideForms map[string][]string // and their forms before a noun (Phrasebook.SideForms)
}

func (d *decoder) parse(src []byte) *Routine {
	r := &Routine{Language: "en"}
	body := d.Parse(src, "a routine needs at least a title and exercises")
	if body == nil {
		return r
	}
	m, fields, ok := d.Document(body, routineDef.Keys())
	if !ok {
		return r
	}
	d.checkFlowLists(m)
	if fields["title"] == nil {
		d.Errorf(yamlfile.PosOf(m), "missing required field \"title\"")
	}
	r.Title = d.text(fields["title"], "title")
	r.Description = d.plain(fields["description"], "description")
	r.Credits = d.plain(fields["credits"], "credits")
	if n := fields["language"]; n != nil {
		r.Language = d.plain(n, "language")
		if pb, err := PhrasebookFor(r.Language); err == nil {
			d.sides, d.sideForms = pb.Sides(), pb.SideForms
		} else if tag, ok := TagOfLanguageName(r.Language); ok {
			d.Errorf(yamlfile.PosOf(n), "language: %q is a language's name; give its tag: language: %s", r.Language, tag)
		} else if r.Language != "" {
			d.Errorf(yamlfile.PosOf(n), "no phrasebook for language %q (available: %s)", r.Language, strings.Join(Languages(), ", "))
		}
	}
	if n := fields["source"]; n != nil {
		r.Source = d.source(n)
	}
	vars := templateVars{}
	r.Intro = d.lines(fields["intro"], "intro", vars)
	r.Cautions = d.lines(fields["cautions"], "cautions", vars)
	r.Outro = d.lines(fields["outro"], "outro", vars)
	if n := fields["warmup"]; n != nil {
		r.Warmup = d.warmup(n)
	}
	r.Settle = d.settle(fields["settle"], "settle")
	d.programme(r, fields)
	if n := fields["exercises"]; n != nil {
		seq, ok := d.Sequence(n, "exercises")
		if ok {
			if len(seq.Values) == 0 {
				d.Errorf(yamlfile.PosOf(n), "exercises: a routine needs at least one exercise")
			}
			named := map[string]int{} // exercise name: the line it is first given at
			for _, v := range seq.Values {
				ex := d.exercise(v, false)
				if ex == nil {
					continue
				}
				r.Exercises = append(r.Exercises, *ex)
				if ex.Name == "" {
					continue
				}
				m, _ := v.(*ast.MappingNode)
				at := yamlfile.PosOf(fieldNode(m, "name", v))
				key := strings.ToLower(ex.Name) // "Quad sets" and "quad sets" are one chapter title to a listener
				if first, dup := named[key]; dup {
					d.Errorf(at, "exercise %q: the exercise at line %d has this name too, and each exercise is a chapter named for it; give this one a name of its own (such as %q), or make it a variant of the first", ex.Name, first, ex.Name+", second round")
				} else {
					named[key] = at.Line
				}
			}
		}
	} else {
		d.Errorf(yamlfile.PosOf(m), "missing required field \"exercises\"")
	}
	if len(d.Errs) == 0 {
		d.checkTotal(r, yamlfile.PosOf(fields["exercises"]))
	}
	return r
}

// plain reads an optional scalar as text, without template checks.
func (d *decoder) plain(n ast.Node, what string) string {
	s, ok := d.Text(n, what)
	if !ok {
		return ""
	}
	s = strings.TrimSpace(s)
	if len(s) > 4*MaxTextLen {
		d.Errorf(yamlfile.PosOf(n), "%s: text is %d characters; at most %d", what, len(s), 4*MaxTextLen)
	}
	return s
}

// text reads an optional line that may be said, with no template variables.
func (d *decoder) text(n ast.Node, what string) string {
	if n == nil {
		return ""
	}
	s, ok := d.line(n, what, templateVars{})
	if !ok {
		return ""
	}
	return s
}

// line reads one line of narration and checks its template variables against vars.
func (d *decoder) line(n ast.Node, what string, vars templateVars) (string, bool) {
	s, ok := d.Text(n, what)
	if !ok {
		return "", false
	}
	s = strings.Join(strings.Fields(s), " ")
	switch {
	case s == "":
		d.Errorf(yamlfile.PosOf(n), "%s: empty text", what)
		return "", false
	case !textcheck.Speakable(s):
		d.Errorf(yamlfile.PosOf(n), "%s: %q has nothing to say (no letter or digit)", what, s)
		return "", false
	case len([]rune(s)) > MaxTextLen:
		d.Errorf(yamlfile.PosOf(n), "%s: text is %d characters; a line is at most %d (split it into several lines)", what, len([]rune(s)), MaxTextLen)
		return "", false
	}
	if err := vars.check(s); err != nil {
		d.Errorf(yamlfile.PosOf(n), "%s: %v", what, err)
		return "", false
	}
	if latinless(s) {
		d.Warnf(yamlfile.PosOf(n), "%s: %q has no letter of the Latin alphabet, the only one the built-in engines read: it needs a recording (the studio, or voice import)", what, s)
	}
	return s, true
}

// latinless reports whether s has letters and none of them Latin: a line
// in another script, which every phrasebook language's engine reads as
// nothing.
func latinless(s string) bool {
	letters := false
	for _, r := range s {
		if unicode.IsLetter(r) {
			if unicode.Is(unicode.Latin, r) {
				return false
			}
			letters = true
		}
	}
	return letters
}

func (d *decoder) lines(n ast.Node, what string, vars templateVars) []string {
	if n == nil {
		return nil
	}
	if _, null := n.(*ast.NullNode); null {
		return nil
	}
	if _, ok := yamlfile.Scalar(n); ok { // a single line is fine too
		s, _ := d.line(n, what, vars)
		if s == "" {
			return nil
		}
		return []string{s}
	}
	seq, ok := d.Sequence(n, what)
	if !ok {
		return nil
	}
	var out []string
	for _, v := range seq.Values {
		if s, ok := d.line(v, what, vars); ok {
			out = append(out, s)
		}
	}
	return out
}

func (d *decoder) source(n ast.Node) Source {
	if _, ok := yamlfile.Scalar(n); ok {
		return Source{Title: d.plain(n, "source")}
	}
	m, ok := d.Mapping(n, "source")
	if !ok {
		return Source{}
	}
	f := d.Fields(m, "source", sourceDef.Keys())
	src := Source{
		Title:     d.plain(f["title"], "source.title"),
		Author:    d.plain(f["author"], "source.author"),
		Publisher: d.plain(f["publisher"], "source.publisher"),
		URL:       d.plain(f["url"], "source.url"),
	}
	// The source may become a link on a page: only a web address will do
	// (not javascript: or file:).
	if src.URL != "" {
		if err := CheckWebURL(src.URL); err != nil {
			d.Errorf(yamlfile.PosOf(f["url"]), "source.url: %v", err)
			src.URL = ""
		}
	}
	return src
}

func (d *decoder) warmup(n ast.Node) *Warmup {
	m, ok := d.Mapping(n, "warmup")
	if !ok {
		return nil
	}
	f := d.Fields(m, "warmup", warmupDef.Keys())
	w := &Warmup{}
	if f["title"] != nil {
		w.Title = d.text(f["title"], "warmup.title")
	}
	w.Breaths, _ = d.count(f["breaths"], "warmup.breaths", MaxBreaths, m, Range{})
	w.Inhale, _ = d.duration(f["inhale"], "warmup.inhale", MaxStep, m, DurationRange{})
	w.Exhale, _ = d.duration(f["exhale"], "warmup.exhale", MaxStep, m, DurationRange{})
	w.Say = d.lines(f["say"], "warmup.say", templateVars{"breaths": true, "inhale": true, "exhale": true})
	return w
}

// count reads a count or a count range ("3-5"). A missing field takes def, or
// is an error when def is zero. ok is false when the field is there and wrong.
func (d *decoder) count(n ast.Node, what string, max int, parent ast.Node, def Range) (r Range, ok bool) {
	return rangeField(d, n, what, "a number or a range like 3-5", parent, def, def.Max == 0, func(s string) (Range, error) {
		r, err := parseCount(s)
		switch {
		case err != nil:
			return r, err
		case r.Min < 1:
			return r, fmt.Errorf("%d is not a positive count", r.Min)
		case r.Max > max:
			return r, fmt.Errorf("%d is more than the limit of %d", r.Max, max)
		}
		return r, nil
	})
}

// rangeField reads a count or duration field n through parse, which returns
// the range its text gives or what is wrong with it. A missing field takes
// def, or is an error when required. ok is false after an error.
func rangeField[R Range | DurationRange](d *decoder, n ast.Node, what, like string, parent ast.Node, def R, required bool, parse func(string) (R, error)) (R, bool) {
	if n == nil {
		if required {
			d.Errorf(yamlfile.PosOf(parent), "%s: missing required field", what)
			return def, false
		}
		return def, true
	}
	if _, ok := d.Plain(n, what); !ok {
		return def, false
	}
	s, ok := yamlfile.Scalar(n)
	if !ok {
		d.Errorf(yamlfile.PosOf(n), "%s: expected %s, found %s", what, like, yamlfile.KindName(n))
		return def, false
	}
	r, err := parse(s)
	if err != nil {
		d.Errorf(yamlfile.PosOf(n), "%s: %v", what, err)
		return def, false
	}
	return r, true
}

func parseCount(s string) (Range, error) {
	lo, hi, isRange := strings.Cut(strings.TrimSpace(s), "-")
	if isRange && strings.TrimSpace(lo) == "" { // "-3"
		return Range{}, fmt.Errorf("%q is not a positive count", s)
	}
	a, err := strconv.Atoi(strings.TrimSpace(lo))
	if err != nil {
		return Range{}, fmt.Errorf("%q is not a number or a range like 3-5", s)
	}
	b := a
	if isRange {
		if b, err = strconv.Atoi(strings.TrimSpace(hi)); err != nil {
			return Range{}, fmt.Errorf("%q is not a number or a range like 3-5", s)
		}
		if b < a {
			return Range{}, fmt.Errorf("range %q runs backwards", s)
		}
	}
	return Range{a, b}, nil
}

// duration reads a duration or a duration range ("5-10s", "90s", "1m30s").
func (d *decoder) duration(n ast.Node, what string, max time.Duration, parent ast.Node, def DurationRange) (DurationRange, bool) {
	return rangeField(d, n, what, "a duration like 10s or a range like 5-10s", parent, def, def.Max == 0, func(s string) (DurationRange, error) {
		r, err := parseDuration(s)
		switch {
		case err != nil:
			return r, withFix(err, what, s)
		case r.Min <= 0:
			return r, fmt.Errorf("%s is not a positive duration", s)
		case r.Max > max:
			return r, fmt.Errorf("%s is longer than the limit of %s", s, max)
		case r.Min < 100*time.Millisecond:
			return r, fmt.Errorf("%s is too short to follow (at least 0.1s)", s)
		}
		return r, nil
	})
}

// settle reads an optional settle time: one duration from 0 (none) to
// MaxSettle.
func (d *decoder) settle(n ast.Node, what string) *time.Duration {
	if n == nil {
		return nil
	}
	s, ok := yamlfile.Scalar(n)
	if !ok {
		d.Errorf(yamlfile.PosOf(n), "%s: expected a duration like 2s, found %s", what, yamlfile.KindName(n))
		return nil
	}
	r, err := parseDuration(s)
	switch {
	case err != nil:
		err = withFix(err, what, s)
	case r.Min != r.Max:
		err = fmt.Errorf("%q is a range: give one duration, such as 2s", s)
	case r.Max > MaxSettle:
		err = fmt.Errorf("%s is longer than the limit of %s", s, MaxSettle)
	}
	if err != nil {
		d.Errorf(yamlfile.PosOf(n), "%s: %v", what, err)
		return nil
	}
	return &r.Min
}

// withFix adds to a duration's error the way to write it, when it is a
// duration written as people write it ("5 seconds").
func withFix(err error, what, s string) error {
	fix, ok := durationFix(s)
	if !ok {
		return err
	}
	key := what[strings.LastIndexAny(what, " .")+1:]
	return fmt.Errorf("%w; did you mean \"%s: %s\"?", err, key, fix)
}

// parseDuration reads "10s", "1m30s", "500ms", or a range "5-10s" whose unit
// may be given once at the end. A bare number is seconds.
func parseDuration(s string) (DurationRange, error) {
	s = strings.TrimSpace(s)
	bad := fmt.Errorf("%q is not a duration like 10s or a range like 5-10s", s)
	if strings.HasPrefix(s, "-") {
		return DurationRange{}, fmt.Errorf("%s is not a positive duration", s)
	}
	lo, hi, isRange := strings.Cut(s, "-")
	hi = strings.TrimSpace(hi)
	lo = strings.TrimSpace(lo)
	unit := ""
	if isRange {
		unit = strings.TrimLeft(hi, "0123456789.")
		if unit == "" {
			unit = "s"
		}
	}
	one := func(v, unit string) (time.Duration, error) {
		if v == "" {
			return 0, bad
		}
		if strings.Trim(v, "0123456789.") == "" {
			v += unit
			if unit == "" {
				v += "s"
			}
		}
		dur, err := time.ParseDuration(v)
		if err != nil {
			return 0, bad
		}
		return dur, nil
	}
	a, err := one(lo, unit)
	if err != nil {
		return DurationRange{}, err
	}
	b := a
	if isRange {
		if b, err = one(hi, ""); err != nil {
			return DurationRange{}, err
		}
		if b < a {
			return DurationRange{}, fmt.Errorf("range %q runs backwards", s)
		}
	}
	return DurationRange{a, b}, nil
}

func (d *decoder) exercise(n ast.Node, isVariant bool) *Exercise {
	what := "exercise"
	if isVariant {
		what = "variant"
	}
	m, ok := d.Mapping(n, what)
	if !ok {
		return nil
	}
	for _, mv := range m.Values { // name the exercise in every message, even about earlier keys
		if k, _ := yamlfile.Scalar(mv.Key); k == "name" {
			if name, ok := yamlfile.Scalar(mv.Value); ok && strings.TrimSpace(name) != "" {
				what = fmt.Sprintf("%s %q", what, strings.TrimSpace(name))
			}
		}
	}
	// A variant's own variant is a known key, to say why it cannot be; so
	// are the steps' actions, to say where they go.
	own, keys := exerciseDef.Keys(), exerciseDef.Keys()
	for _, a := range actions {
		keys[a] = true
	}
	f := d.Fields(m, what, keys)
	for _, a := range actions {
		if n := f[a]; n != nil && !own[a] {
			example := a + ": ..."
			if v, ok := yamlfile.Scalar(n); ok && strings.TrimSpace(v) != "" {
				example = a + ": " + strings.TrimSpace(v)
			}
			d.Errorf(keyPos(m, a), "%s: %s is a step, not a field of the exercise: write it under steps, as \"- %s\"", what, a, example)
		}
	}
	ex := &Exercise{SideNames: d.sides}
	if ex.SideNames[0] == "" {
		ex.SideNames = [2]string{"left", "right"}
	}
	ex.Name = d.text(f["name"], what+": name")
	if f["name"] == nil {
		d.Errorf(yamlfile.PosOf(m), "%s: missing required field \"name\"", what)
	}
	var repsOK, setsOK bool
	ex.Reps, repsOK = d.count(f["reps"], what+": reps", MaxReps, m, Range{1, 1})
	ex.Sets, setsOK = d.count(f["sets"], what+": sets", MaxSets, m, Range{1, 1})
	ex.SetRest, _ = d.duration(f["set_rest"], what+": set_rest", MaxStep, m, DurationRange{20 * time.Second, 20 * time.Second})
	ex.Settle = d.settle(f["settle"], what+": settle")
	ex.Image = d.image(f["image"], what)
	if f["set_rest"] != nil && setsOK && ex.Sets.Max == 1 {
		d.Errorf(yamlfile.PosOf(f["set_rest"]), "%s: set_rest is given but the exercise has only one set (add sets: 2 or more, or remove set_rest)", what)
	}
	// A value that is wrong is reported once: what depends on it is
	// judged as if it were right, so no second error follows from it.
	sidesOK := true
	if _, list := f["sides"].(*ast.SequenceNode); list {
		sidesOK = false
		d.Errorf(yamlfile.PosOf(f["sides"]), "%s: sides must be alternate, each or none, not a list (the sides' names go in side_names: [left, right])", what)
	} else if n := f["sides"]; n != nil {
		s := d.plain(n, what+": sides")
		switch SideMode(s) {
		case Alternate, EachSide:
			ex.Sides = SideMode(s)
		case "none":
		default:
			sidesOK = false
			hint := ""
			if near := typo.Nearest(s, []string{"alternate", "each", "none"}); near != "" {
				hint = fmt.Sprintf(" (did you mean %q?)", near)
			} else if strings.EqualFold(s, "both") {
				hint = " (for both sides, use alternate: each repetition on both sides; or each: all on one side, then the other)"
			}
			d.Errorf(yamlfile.PosOf(n), "%s: sides must be alternate, each or none, not %q%s", what, s, hint)
		}
	}
	if n := f["side_names"]; n != nil {
		names := d.lines(n, what+": side_names", templateVars{})
		switch {
		case ex.Sides == NoSides && sidesOK:
			d.Errorf(yamlfile.PosOf(n), "%s: side_names given but the exercise has no sides (add sides: alternate or each)", what)
		case ex.Sides == NoSides:
		case len(names) != 2 || names[0] == names[1]:
			d.Errorf(yamlfile.PosOf(n), "%s: side_names needs two different names, like [left, right]", what)
		default:
			ex.SideNames = [2]string{names[0], names[1]}
		}
	}
	stepsNode := f["steps"]
	if stepsNode == nil {
		d.Errorf(yamlfile.PosOf(m), "%s: missing required field \"steps\" (what to do each repetition)", what)
	}
	vars := templateVars{"exercise": true, "reps": true, "sets": true}
	if ex.Sides != NoSides || !sidesOK {
		vars["side"], vars["other"] = true, true
		if ex.SideNames == d.sides {
			vars = vars.with(sideFormVars(d.sideForms)...)
		}
	}
	if ex.Sets.Max > 1 || !setsOK {
		vars["set_rest"] = true
	}
	kinds := stepKinds(f["setup"], stepsNode)
	for _, k := range []CueKind{Hold, Rest} {
		if kinds[k] {
			vars[string(k)] = true
		}
	}
	setupVars := vars.without(append([]string{"rep", "set", "side", "other"}, sideFormVars(d.sideForms)...)...)
	stepVars := vars.with("rep", "set")
	ex.Setup = d.steps(f["setup"], what+": setup", setupVars, false)
	before := len(d.Errs)
	// later is said from the second repetition or set on; a bad reps or
	// sets is reported already, so it is taken to allow one.
	ex.Steps = d.steps(stepsNode, what+": steps", stepVars, ex.Reps.Max > 1 || ex.Sets.Max > 1 || !repsOK || !setsOK)
	if stepsNode != nil && len(ex.Steps) == 0 && len(d.Errs) == before {
		at := yamlfile.PosOf(stepsNode)
		if _, null := stepsNode.(*ast.NullNode); null {
			at = keyPos(m, "steps")
		}
		d.Errorf(at, "%s: steps has nothing to say or time; give at least one line to say or a hold, rest or breath", what)
	}
	ex.Notes = d.lines(f["notes"], what+": notes", setupVars)
	if ex.Sides == Alternate && !mentionsSide(stepsNode) {
		d.Errorf(yamlfile.PosOf(f["sides"]), "%s: sides: alternate, but no step says which side ({side}); the listener cannot tell the sides apart", what)
	}
	if n := f["variant"]; n != nil {
		if isVariant {
			d.Errorf(yamlfile.PosOf(n), "%s: a variant cannot have a variant of its own", what)
		} else {
			ex.Variant = d.exercise(n, true)
			if v := ex.Variant; v != nil && v.Name != "" && v.Name == ex.Name {
				vm, _ := n.(*ast.MappingNode)
				d.Errorf(yamlfile.PosOf(fieldNode(vm, "name", n)), "%s: the variant has the exercise's own name; name it for what makes it different (such as %q)", what, ex.Name+" with support")
			}
		}
	}
	return ex
}

// keyPos is where key is in m.
func keyPos(m *ast.MappingNode, key string) yamlfile.Pos {
	for _, mv := range m.Values {
		if k, _ := yamlfile.Scalar(mv.Key); k == key {
			return yamlfile.PosOf(mv.Key)
		}
	}
	return yamlfile.PosOf(m)
}

// fieldNode is the value of key in m, or def when m has none.
func fieldNode(m *ast.MappingNode, key string, def ast.Node) ast.Node {
	if m == nil {
		if mv, ok := def.(*ast.MappingValueNode); ok {
			if k, _ := yamlfile.Scalar(mv.Key); k == key {
				return mv.Value
			}
		}
		return def
	}
	for _, mv := range m.Values {
		if k, _ := yamlfile.Scalar(mv.Key); k == key && mv.Value != nil {
			return mv.Value
		}
	}
	return def
}

// steps reads a list of steps. A plain string is a line to say; otherwise a
// step is a mapping with one key: say, hold, rest, breathe_in, breathe_out or count;
// say may come with later, a shorter line for every repetition after the
// first, which hasLater says there is.
func (d *decoder) steps(n ast.Node, what string, vars templateVars, hasLater bool) []Step {
	if n == nil {
		return nil
	}
	if _, null := n.(*ast.NullNode); null {
		return nil
	}
	seq, ok := d.Sequence(n, what)
	if !ok {
		return nil
	}
	var out []Step
	for i, v := range seq.Values {
		if text, isText := yamlfile.Scalar(v); isText {
			if fix := asStep(text); fix != "" && !(sentence(text) && announces(fix, seq.Values[i+1:])) {
				d.Errorf(yamlfile.PosOf(v), "%s: %q would be said aloud, not timed; did you mean %q? (a timed step needs a colon and a space after its action)", what, strings.TrimSpace(text), fix)
				continue
			}
			if s, ok := d.line(v, what, vars); ok {
				out = append(out, Step{Kind: Say, Text: s, Later: s})
			}
			continue
		}
		m, ok := d.Mapping(v, what)
		if !ok {
			continue
		}
		var later ast.Node
		if len(m.Values) == 2 {
			if k, _ := yamlfile.Scalar(m.Values[1].Key); k == "later" {
				later = m.Values[1].Value
				if later == nil {
					later = ast.Null(m.Values[1].Key.GetToken())
				}
				m = &ast.MappingNode{BaseNode: m.BaseNode, Start: m.Start, Values: m.Values[:1]}
			}
		}
		if len(m.Values) != 1 {
			d.Errorf(yamlfile.PosOf(m), "%s: a step has one action (say, hold, rest, breathe_in, breathe_out or count); found %d keys (start each action on its own line with \"- \")", what, len(m.Values))
			continue
		}
		mv := m.Values[0]
		key, _ := yamlfile.Scalar(mv.Key)
		if later != nil && key != "say" {
			d.Errorf(yamlfile.PosOf(later), "%s: later goes with say (a shorter line for the repetitions after the first)", what)
			continue
		}
		val := mv.Value
		if val == nil {
			val = ast.Null(mv.Key.GetToken())
		}
		switch key {
		case "say":
			s, ok := d.line(val, what+": say", vars)
			step := Step{Kind: Say, Text: s, Later: s}
			if later != nil {
				var lok bool
				step.Later, lok = d.line(later, what+": later", vars)
				ok = ok && lok
				if lok && !hasLater {
					d.Warnf(yamlfile.PosOf(later), "%s: later is never said: it is for the repetitions after the first, and %s", what, noLater(what))
				}
			}
			if ok {
				out = append(out, step)
			}
		case "hold", "rest", "breathe_in", "breathe_out":
			dr, _ := d.duration(val, what+": "+key, MaxStep, mv, DurationRange{})
			if dr.Max > 0 {
				out = append(out, Step{Kind: CueKind(key), Duration: dr})
			}
		case "count":
			b, isBool := val.(*ast.BoolNode)
			if !isBool {
				d.Errorf(yamlfile.PosOf(val), "%s: count takes true (say the repetition number) or false", what)
				continue
			}
			if b.Value {
				out = append(out, Step{Kind: Count})
			} else {
				d.Warnf(yamlfile.PosOf(val), "%s: count: false does nothing (remove the step, or write count: true to say the repetition number)", what)
			}
		default:
			d.Errorf(yamlfile.PosOf(mv.Key), "%s: %s", what, unknownAction(mv, key))
		}
	}
	return out
}

// noLater says why a list of steps has no later repetition.
func noLater(what string) string {
	if strings.HasSuffix(what, ": setup") {
		return "the setup is done once; remove later"
	}
	return "the exercise has one repetition and one set; remove later, or raise reps or sets"
}

func (d *decoder) checkTotal(r *Routine, at yamlfile.Pos) {
	for _, l := range Levels() {
		if _, err := Expand(r, l); errors.Is(err, ErrTooLong) {
			d.Errorf(at, "exercises: the routine lasts more than %s at level %s; shorten holds, repetitions or sets", MaxTotal, l)
			return
		} else if err != nil {
			d.Errorf(at, "%v", err)
			return
		}
	}
}

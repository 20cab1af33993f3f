package routines

import (
	"errors"
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
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
type Error struct {
	File   string
	Line   int
	Column int
	Msg    string
}

func (e *Error) Error() string {
	if e.Line == 0 {
		return fmt.Sprintf("%s: %s", e.File, e.Msg)
	}
	return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Column, e.Msg)
}

// Errors is every problem found in a routine file, in file order. Its Error
// method gives one line per problem.
type Errors []*Error

func (es Errors) Error() string {
	lines := make([]string, len(es))
	for i, e := range es {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// Unwrap lets errors.As find each *Error.
func (es Errors) Unwrap() []error {
	out := make([]error, len(es))
	for i, e := range es {
		out[i] = e
	}
	return out
}

// Load reads and validates a routine file.
func Load(path string) (*Routine, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("routines: %w", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("routines: %w", err)
	}
	if st.IsDir() {
		return nil, Errors{{File: path, Msg: "is a folder, not a routine file"}}
	}
	if st.Size() > maxFileBytes {
		return nil, Errors{{File: path, Msg: fmt.Sprintf("file is %d bytes; a routine file is at most %d", st.Size(), maxFileBytes)}}
	}
	src := make([]byte, st.Size())
	if _, err := f.ReadAt(src, 0); err != nil && st.Size() > 0 {
		return nil, fmt.Errorf("routines: %w", err)
	}
	return Parse(path, src)
}

// Parse decodes and validates a routine from YAML source. name is used in
// error messages and as the routine's Name. Every problem is reported at once,
// as Errors.
func Parse(name string, src []byte) (*Routine, error) {
	d := &decoder{file: name}
	r := d.parse(src)
	if len(d.errs) > 0 {
		sort.SliceStable(d.errs, func(i, j int) bool {
			a, b := d.errs[i], d.errs[j]
			if a.Line != b.Line {
				return a.Line < b.Line
			}
			return a.Column < b.Column
		})
		return nil, d.errs
	}
	r.Name = name
	return r, nil
}

type decoder struct {
	file string
	errs Errors
}

type pos struct{ line, col int }

func posOf(n ast.Node) pos {
	switch v := n.(type) {
	case nil:
		return pos{}
	case *ast.MappingNode: // its token is the first ':'; point at the first key
		if len(v.Values) > 0 {
			return posOf(v.Values[0].Key)
		}
	case *ast.MappingValueNode:
		return posOf(v.Key)
	}
	tk := n.GetToken()
	if tk == nil || tk.Position == nil {
		return pos{}
	}
	return pos{tk.Position.Line, tk.Position.Column}
}

func (d *decoder) errorf(p pos, format string, args ...any) {
	d.errs = append(d.errs, &Error{File: d.file, Line: p.line, Column: p.col, Msg: fmt.Sprintf(format, args...)})
}

func (d *decoder) parse(src []byte) *Routine {
	r := &Routine{Language: "en"}
	f, err := parser.ParseBytes(src, 0)
	if err != nil {
		d.syntaxError(err)
		return r
	}
	var body ast.Node
	for i, doc := range f.Docs {
		if doc.Body == nil {
			continue
		}
		if body != nil {
			d.errorf(posOf(doc.Body), "a routine file holds one YAML document; found another (document %d)", i+1)
			break
		}
		body = doc.Body
	}
	if body == nil {
		d.errorf(pos{}, "empty file: a routine needs at least a title and exercises")
		return r
	}
	m, ok := d.mapping(body, "routine")
	if !ok {
		return r
	}
	fields := d.fields(m, "routine", map[string]bool{
		"title": true, "description": true, "language": true, "source": true, "credits": true,
		"intro": true, "cautions": true, "warmup": true, "exercises": true, "outro": true,
	})
	if fields["title"] == nil {
		d.errorf(posOf(m), "missing required field \"title\"")
	}
	r.Title = d.text(fields["title"], "title")
	r.Description = d.plain(fields["description"], "description")
	r.Credits = d.plain(fields["credits"], "credits")
	if n := fields["language"]; n != nil {
		r.Language = d.plain(n, "language")
		if _, err := PhrasebookFor(r.Language); err != nil && r.Language != "" {
			d.errorf(posOf(n), "no phrasebook for language %q (available: %s)", r.Language, strings.Join(Languages(), ", "))
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
	if n := fields["exercises"]; n != nil {
		seq, ok := d.sequence(n, "exercises")
		if ok {
			if len(seq.Values) == 0 {
				d.errorf(posOf(n), "exercises: a routine needs at least one exercise")
			}
			for _, v := range seq.Values {
				if ex := d.exercise(v, false); ex != nil {
					r.Exercises = append(r.Exercises, *ex)
				}
			}
		}
	} else {
		d.errorf(posOf(m), "missing required field \"exercises\"")
	}
	if len(d.errs) == 0 {
		d.checkTotal(r, posOf(fields["exercises"]))
	}
	return r
}

// syntaxError turns the YAML parser's error into a positioned Error.
func (d *decoder) syntaxError(err error) {
	var se *yaml.SyntaxError
	if errors.As(err, &se) && se.Token != nil && se.Token.Position != nil {
		d.errorf(pos{se.Token.Position.Line, se.Token.Position.Column}, "yaml: %s", se.Message)
		return
	}
	var de *yaml.DuplicateKeyError
	if errors.As(err, &de) && de.Token != nil && de.Token.Position != nil {
		d.errorf(pos{de.Token.Position.Line, de.Token.Position.Column}, "yaml: %s", de.Message)
		return
	}
	msg := err.Error()
	if i := strings.IndexByte(msg, '\n'); i >= 0 {
		msg = msg[:i]
	}
	d.errorf(pos{}, "yaml: %s", msg)
}

// unwrap checks for YAML features a routine file does not use: anchors, aliases
// and tags. Refusing aliases also rules out exponential expansion.
func (d *decoder) unwrap(n ast.Node, what string) (ast.Node, bool) {
	switch v := n.(type) {
	case *ast.AnchorNode, *ast.AliasNode:
		d.errorf(posOf(n), "%s: anchors and aliases are not supported in routine files", what)
		return nil, false
	case *ast.TagNode:
		d.errorf(posOf(n), "%s: tags (%s) are not supported in routine files", what, v.Start.Value)
		return nil, false
	}
	return n, true
}

func kindName(n ast.Node) string {
	switch n.(type) {
	case *ast.MappingNode, *ast.MappingValueNode:
		return "a mapping"
	case *ast.SequenceNode:
		return "a list"
	case *ast.NullNode:
		return "nothing"
	case *ast.IntegerNode, *ast.FloatNode:
		return "a number"
	case *ast.BoolNode:
		return "true/false"
	}
	return "text"
}

func (d *decoder) mapping(n ast.Node, what string) (*ast.MappingNode, bool) {
	n, ok := d.unwrap(n, what)
	if !ok {
		return nil, false
	}
	switch v := n.(type) {
	case *ast.MappingNode:
		return v, true
	case *ast.MappingValueNode: // a mapping of one key
		return &ast.MappingNode{BaseNode: v.BaseNode, Start: v.GetToken(), Values: []*ast.MappingValueNode{v}}, true
	}
	d.errorf(posOf(n), "%s: expected a mapping (key: value lines), found %s", what, kindName(n))
	return nil, false
}

func (d *decoder) sequence(n ast.Node, what string) (*ast.SequenceNode, bool) {
	n, ok := d.unwrap(n, what)
	if !ok {
		return nil, false
	}
	if s, ok := n.(*ast.SequenceNode); ok {
		return s, true
	}
	d.errorf(posOf(n), "%s: expected a list (lines starting with \"- \"), found %s", what, kindName(n))
	return nil, false
}

// fields returns a mapping's values by key, reporting unknown keys (strict mode).
func (d *decoder) fields(m *ast.MappingNode, what string, known map[string]bool) map[string]ast.Node {
	out := map[string]ast.Node{}
	for _, mv := range m.Values {
		key, ok := scalarString(mv.Key)
		if !ok {
			d.errorf(posOf(mv.Key), "%s: keys must be plain words", what)
			continue
		}
		if !known[key] {
			d.errorf(posOf(mv.Key), "%s: unknown field %q (known: %s)", what, key, strings.Join(sortedKeys(known), ", "))
			continue
		}
		if _, dup := out[key]; dup {
			d.errorf(posOf(mv.Key), "%s: field %q given twice", what, key)
			continue
		}
		v := mv.Value
		if v == nil {
			v = ast.Null(mv.Key.GetToken())
		}
		out[key] = v
	}
	return out
}

func sortedKeys(m map[string]bool) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func scalarString(n ast.Node) (string, bool) {
	switch v := n.(type) {
	case *ast.StringNode:
		return v.Value, true
	case *ast.LiteralNode:
		return v.Value.Value, true
	case *ast.IntegerNode, *ast.FloatNode, *ast.BoolNode:
		return v.GetToken().Value, true
	}
	return "", false
}

// plain reads an optional scalar as text, without template checks.
func (d *decoder) plain(n ast.Node, what string) string {
	if n == nil {
		return ""
	}
	n, ok := d.unwrap(n, what)
	if !ok {
		return ""
	}
	if _, null := n.(*ast.NullNode); null {
		return ""
	}
	s, ok := scalarString(n)
	if !ok {
		d.errorf(posOf(n), "%s: expected text, found %s", what, kindName(n))
		return ""
	}
	s = strings.TrimSpace(s)
	if len(s) > 4*MaxTextLen {
		d.errorf(posOf(n), "%s: text is %d characters; at most %d", what, len(s), 4*MaxTextLen)
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
	n, ok := d.unwrap(n, what)
	if !ok {
		return "", false
	}
	if _, null := n.(*ast.NullNode); null {
		d.errorf(posOf(n), "%s: empty text", what)
		return "", false
	}
	s, ok := scalarString(n)
	if !ok {
		d.errorf(posOf(n), "%s: expected text, found %s", what, kindName(n))
		return "", false
	}
	s = strings.Join(strings.Fields(s), " ")
	switch {
	case s == "":
		d.errorf(posOf(n), "%s: empty text", what)
		return "", false
	case len([]rune(s)) > MaxTextLen:
		d.errorf(posOf(n), "%s: text is %d characters; a line is at most %d (split it into several lines)", what, len([]rune(s)), MaxTextLen)
		return "", false
	}
	if err := vars.check(s); err != nil {
		d.errorf(posOf(n), "%s: %v", what, err)
		return "", false
	}
	return s, true
}

func (d *decoder) lines(n ast.Node, what string, vars templateVars) []string {
	if n == nil {
		return nil
	}
	if _, null := n.(*ast.NullNode); null {
		return nil
	}
	if _, ok := scalarString(n); ok { // a single line is fine too
		s, _ := d.line(n, what, vars)
		if s == "" {
			return nil
		}
		return []string{s}
	}
	seq, ok := d.sequence(n, what)
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
	if s, ok := scalarString(n); ok {
		return Source{Title: strings.TrimSpace(s)}
	}
	m, ok := d.mapping(n, "source")
	if !ok {
		return Source{}
	}
	f := d.fields(m, "source", map[string]bool{"title": true, "author": true, "publisher": true, "url": true})
	return Source{
		Title:     d.plain(f["title"], "source.title"),
		Author:    d.plain(f["author"], "source.author"),
		Publisher: d.plain(f["publisher"], "source.publisher"),
		URL:       d.plain(f["url"], "source.url"),
	}
}

func (d *decoder) warmup(n ast.Node) *Warmup {
	m, ok := d.mapping(n, "warmup")
	if !ok {
		return nil
	}
	f := d.fields(m, "warmup", map[string]bool{"title": true, "say": true, "breaths": true, "inhale": true, "exhale": true})
	w := &Warmup{}
	if f["title"] != nil {
		w.Title = d.text(f["title"], "warmup.title")
	}
	w.Breaths = d.count(f["breaths"], "warmup.breaths", MaxBreaths, m, Range{})
	w.Inhale = d.duration(f["inhale"], "warmup.inhale", MaxStep, m, DurationRange{})
	w.Exhale = d.duration(f["exhale"], "warmup.exhale", MaxStep, m, DurationRange{})
	w.Say = d.lines(f["say"], "warmup.say", templateVars{"breaths": true, "inhale": true, "exhale": true})
	return w
}

// count reads a count or a count range ("3-5"). A missing field takes def, or
// is an error when def is zero.
func (d *decoder) count(n ast.Node, what string, max int, parent ast.Node, def Range) Range {
	if n == nil {
		if def.Max == 0 {
			d.errorf(posOf(parent), "%s: missing required field", what)
		}
		return def
	}
	s, ok := scalarString(n)
	if !ok {
		d.errorf(posOf(n), "%s: expected a number or a range like 3-5, found %s", what, kindName(n))
		return def
	}
	r, err := parseCount(s)
	if err != nil {
		d.errorf(posOf(n), "%s: %v", what, err)
		return def
	}
	if r.Min < 1 {
		d.errorf(posOf(n), "%s: %d is not a positive count", what, r.Min)
		return def
	}
	if r.Max > max {
		d.errorf(posOf(n), "%s: %d is more than the limit of %d", what, r.Max, max)
		return def
	}
	return r
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
func (d *decoder) duration(n ast.Node, what string, max time.Duration, parent ast.Node, def DurationRange) DurationRange {
	if n == nil {
		if def.Max == 0 {
			d.errorf(posOf(parent), "%s: missing required field", what)
		}
		return def
	}
	s, ok := scalarString(n)
	if !ok {
		d.errorf(posOf(n), "%s: expected a duration like 10s or a range like 5-10s, found %s", what, kindName(n))
		return def
	}
	r, err := parseDuration(s)
	if err != nil {
		d.errorf(posOf(n), "%s: %v", what, err)
		return def
	}
	if r.Min <= 0 {
		d.errorf(posOf(n), "%s: %s is not a positive duration", what, s)
		return def
	}
	if r.Max > max {
		d.errorf(posOf(n), "%s: %s is longer than the limit of %s", what, s, max)
		return def
	}
	if r.Min < 100*time.Millisecond {
		d.errorf(posOf(n), "%s: %s is too short to follow (at least 0.1s)", what, s)
		return def
	}
	return r
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

var exerciseFields = map[string]bool{
	"name": true, "setup": true, "steps": true, "reps": true, "sets": true, "set_rest": true,
	"sides": true, "side_names": true, "notes": true, "variant": true,
}

func (d *decoder) exercise(n ast.Node, isVariant bool) *Exercise {
	what := "exercise"
	if isVariant {
		what = "variant"
	}
	m, ok := d.mapping(n, what)
	if !ok {
		return nil
	}
	for _, mv := range m.Values { // name the exercise in every message, even about earlier keys
		if k, _ := scalarString(mv.Key); k == "name" {
			if name, ok := scalarString(mv.Value); ok && strings.TrimSpace(name) != "" {
				what = fmt.Sprintf("%s %q", what, strings.TrimSpace(name))
			}
		}
	}
	f := d.fields(m, what, exerciseFields)
	ex := &Exercise{SideNames: [2]string{"left", "right"}}
	ex.Name = d.text(f["name"], what+": name")
	if f["name"] == nil {
		d.errorf(posOf(m), "%s: missing required field \"name\"", what)
	}
	ex.Reps = d.count(f["reps"], what+": reps", MaxReps, m, Range{1, 1})
	ex.Sets = d.count(f["sets"], what+": sets", MaxSets, m, Range{1, 1})
	ex.SetRest = d.duration(f["set_rest"], what+": set_rest", MaxStep, m, DurationRange{20 * time.Second, 20 * time.Second})
	if f["set_rest"] != nil && ex.Sets.Max == 1 {
		d.errorf(posOf(f["set_rest"]), "%s: set_rest is given but the exercise has only one set", what)
	}
	if n := f["sides"]; n != nil {
		s := d.plain(n, what+": sides")
		switch SideMode(s) {
		case Alternate, EachSide:
			ex.Sides = SideMode(s)
		case "none":
		default:
			d.errorf(posOf(n), "%s: sides must be alternate, each or none, not %q", what, s)
		}
	}
	if n := f["side_names"]; n != nil {
		names := d.lines(n, what+": side_names", templateVars{})
		switch {
		case ex.Sides == NoSides:
			d.errorf(posOf(n), "%s: side_names given but the exercise has no sides (add sides: alternate or each)", what)
		case len(names) != 2 || names[0] == names[1]:
			d.errorf(posOf(n), "%s: side_names needs two different names, like [left, right]", what)
		default:
			ex.SideNames = [2]string{names[0], names[1]}
		}
	}
	stepsNode := f["steps"]
	if stepsNode == nil {
		d.errorf(posOf(m), "%s: missing required field \"steps\" (what to do each repetition)", what)
	}
	// Pass one reads the steps to learn which values exist; pass two checks
	// every text against them.
	ex.Setup, _ = d.steps(f["setup"], what+": setup", nil)
	ex.Steps, _ = d.steps(stepsNode, what+": steps", nil)
	if stepsNode != nil && len(ex.Steps) == 0 {
		if seq, ok := stepsNode.(*ast.SequenceNode); ok && len(seq.Values) == 0 {
			d.errorf(posOf(stepsNode), "%s: steps is empty", what)
		}
	}
	vars := templateVars{"exercise": true, "reps": true, "sets": true}
	if ex.Sides != NoSides {
		vars["side"], vars["other"] = true, true
	}
	if ex.Sets.Max > 1 {
		vars["set_rest"] = true
	}
	for _, s := range append(append([]Step{}, ex.Setup...), ex.Steps...) {
		switch s.Kind {
		case Hold:
			vars["hold"] = true
		case Rest:
			vars["rest"] = true
		}
	}
	setupVars := vars.without("rep", "set", "side", "other")
	stepVars := vars.with("rep", "set")
	ex.Setup, _ = d.steps(f["setup"], what+": setup", setupVars)
	ex.Steps, _ = d.steps(stepsNode, what+": steps", stepVars)
	ex.Notes = d.lines(f["notes"], what+": notes", setupVars)
	if ex.Sides == Alternate && !mentions(ex.Steps, "{side}") && !mentions(ex.Steps, "{other}") {
		d.errorf(posOf(f["sides"]), "%s: sides: alternate, but no step says which side ({side}); the listener cannot tell the sides apart", what)
	}
	if n := f["variant"]; n != nil {
		if isVariant {
			d.errorf(posOf(n), "%s: a variant cannot have a variant of its own", what)
		} else {
			ex.Variant = d.exercise(n, true)
		}
	}
	return ex
}

func mentions(steps []Step, v string) bool {
	for _, s := range steps {
		if strings.Contains(s.Text, v) {
			return true
		}
	}
	return false
}

// steps reads a list of steps. A plain string is a line to say; otherwise a
// step is a mapping with one key: say, hold, rest, breathe_in, breathe_out or count;
// say may come with later, a shorter line for every repetition after the first.
// With vars nil, template variables are not checked and no errors are reported
// for texts (the first pass).
func (d *decoder) steps(n ast.Node, what string, vars templateVars) ([]Step, bool) {
	if n == nil {
		return nil, true
	}
	if _, null := n.(*ast.NullNode); null {
		return nil, true
	}
	quiet := vars == nil
	if quiet { // first pass: collect kinds only, report nothing
		saved := d.errs
		defer func() { d.errs = saved }()
		vars = templateVars{}
	}
	seq, ok := d.sequence(n, what)
	if !ok {
		return nil, false
	}
	var out []Step
	for _, v := range seq.Values {
		if _, isText := scalarString(v); isText {
			if s, ok := d.line(v, what, vars); ok {
				out = append(out, Step{Kind: Say, Text: s, Later: s})
			}
			continue
		}
		m, ok := d.mapping(v, what)
		if !ok {
			continue
		}
		var later ast.Node
		if len(m.Values) == 2 {
			if k, _ := scalarString(m.Values[1].Key); k == "later" {
				later = m.Values[1].Value
				m = &ast.MappingNode{BaseNode: m.BaseNode, Start: m.Start, Values: m.Values[:1]}
			}
		}
		if len(m.Values) != 1 {
			d.errorf(posOf(m), "%s: a step has one action (say, hold, rest, breathe_in, breathe_out or count); found %d keys", what, len(m.Values))
			continue
		}
		mv := m.Values[0]
		if k, _ := scalarString(mv.Key); later != nil && k != "say" {
			d.errorf(posOf(later), "%s: later goes with say (a shorter line for the repetitions after the first)", what)
			continue
		}
		key, _ := scalarString(mv.Key)
		val := mv.Value
		if val == nil {
			val = ast.Null(mv.Key.GetToken())
		}
		switch key {
		case "say":
			s, ok := d.line(val, what+": say", vars)
			step := Step{Kind: Say, Text: s, Later: s}
			if later != nil {
				step.Later, ok = d.line(later, what+": later", vars)
			}
			if ok {
				out = append(out, step)
			}
		case "hold", "rest", "breathe_in", "breathe_out":
			dr := d.duration(val, what+": "+key, MaxStep, mv, DurationRange{})
			if dr.Max > 0 {
				out = append(out, Step{Kind: CueKind(key), Duration: dr})
			}
		case "count":
			b, isBool := val.(*ast.BoolNode)
			if !isBool {
				d.errorf(posOf(val), "%s: count takes true (say the repetition number) or false", what)
				continue
			}
			if b.Value {
				out = append(out, Step{Kind: Count})
			}
		default:
			d.errorf(posOf(mv.Key), "%s: unknown action %q (known: breathe_in, breathe_out, count, hold, rest, say)", what, key)
		}
	}
	return out, true
}

func (d *decoder) checkTotal(r *Routine, at pos) {
	for _, l := range Levels {
		if _, err := Expand(r, l); errors.Is(err, ErrTooLong) {
			d.errorf(at, "exercises: the routine lasts more than %s at level %s; shorten holds, repetitions or sets", MaxTotal, l)
			return
		} else if err != nil {
			d.errorf(at, "%v", err)
			return
		}
	}
}

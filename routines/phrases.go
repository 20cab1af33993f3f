package routines

import (
	"cmp"
	"embed"
	"errors"
	"fmt"
	"path"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/goccy/go-yaml"
)

//go:embed phrases/*.yaml
var phraseFiles embed.FS

// Phrasebook holds the words routinecast adds around a routine's own lines, in
// one language: numbers, "switch sides", "breathe in" and so on. It is data a
// translator edits (phrases/LANG.yaml); the rules for numbers are few, and a
// number said its own way is listed in Numbers.
type Phrasebook struct {
	Language string   `yaml:"language"`
	Units    []string `yaml:"units"` // 0 to 19
	Tens     []string `yaml:"tens"`  // 0, 10, 20 ... 90
	// Compound joins tens and units, 21 to 99: "{tens}-{units}".
	Compound string `yaml:"compound"`
	// CompoundUnits are units said another way inside Compound (German
	// "ein" in "einundzwanzig", Italian "tré" in "ventitré").
	CompoundUnits map[int]string `yaml:"compound_units"`
	// Hundreds are 100, 200 ... 900 said alone; HundredsBefore, when
	// given, the same followed by the rest (Spanish "cien" but "ciento
	// uno", French "deux cents" but "deux cent un").
	Hundreds       []string `yaml:"hundreds"`
	HundredsBefore []string `yaml:"hundreds_before"`
	// HundredsAnd joins a hundred and the rest: "{hundreds} and {rest}".
	HundredsAnd string `yaml:"hundreds_and"`
	// Elide drops a word's final vowel when the next is joined to it
	// and starts with a vowel (Italian venti + uno, "ventuno").
	Elide bool `yaml:"elide"`
	// Numbers are said as given, before any rule: "21" (Spanish
	// "veintiuno"), "1.5" (German "eineinhalb").
	Numbers map[string]string `yaml:"numbers"`
	// Half says a whole number and a half: "{n} and a half".
	Half    string            `yaml:"half"`
	Phrases map[string]string `yaml:"phrases"`
	// SideForms are the sides' names as a line may need them before a
	// noun, by the ending or gender they take ({side:e} in German "das
	// {side:e} Bein", "das linke Bein"), each [left, right]: the phrases'
	// left and right are the words said alone.
	SideForms map[string][]string `yaml:"side_forms"`
	// Dates are how the handout writes a day.
	Dates Dates `yaml:"dates"`
	// Labels are the words people read rather than hear (the handout, the
	// follow-along page, the play screen, a pack's page), by key; see Label.
	Labels map[string]string `yaml:"labels"`
}

// Dates are a language's names of months and weekdays (Sunday first) and
// its long and short ways of writing a day: "{weekday} {day} de {month} de
// {year}", with {weekday_short} and {month_short} for the short names.
type Dates struct {
	Months        []string `yaml:"months"`
	MonthsShort   []string `yaml:"months_short"`
	Weekdays      []string `yaml:"weekdays"`
	WeekdaysShort []string `yaml:"weekdays_short"`
	Long          string   `yaml:"long"`
	Short         string   `yaml:"short"`
	// First, if set, writes the first of a month (French "1er").
	First string `yaml:"first"`
}

// The phrases every phrasebook must have.
var phraseKeys = []string{"intro", "warmup", "outro", "next", "set", "switch_sides",
	"breathe_in", "breathe_out", "rest", "last_one", "halfway", "hold", "well_done", "left", "right"}

// PhraseKeys lists the phrases every phrasebook has.
func PhraseKeys() []string { return slices.Clone(phraseKeys) }

// The labels every phrasebook must have: the handout's, the follow-along
// page's, the play screen's and a pack page's words.
var labelKeys = []string{
	// the handout
	"footer", "level", "level_fitted", "session_length", "session_length_about", "listen",
	"gentle", "standard", "full", "patient", "from_to", "how_often", "safety", "warmup_heading",
	"exercises", "afterwards", "notes", "contact", "phone", "email", "web", "source", "set_up",
	"each_time", "variant", "log", "log_tick", "log_tick_times", "log_pain", "log_day", "log_done",
	"log_pain_scale",
	// schedules
	"once_a_day", "twice_a_day", "times_a_day", "every_day", "days_a_week_one", "days_a_week",
	"for_weeks_one", "for_weeks", "weeks_one", "weeks",
	// doses
	"breaths_one", "breaths", "warmup_dose", "reps_one", "reps", "sets", "dose_hold",
	"dose_breathe_in", "dose_breathe_out", "dose_alternate", "dose_each_side", "dose_once",
	"dose_set_rest", "then_other_side", "step_hold", "step_rest", "step_breathe_in",
	"step_breathe_out", "said_hold", "said_rest", "said_breathe_in", "said_breathe_out",
	"said_seconds", "decimal",
	// the follow-along page and the play screen
	"chapter_of", "exercise_of", "rep_of", "set_of", "breath_of", "side", "next", "get_ready",
	"hold", "rest", "set_break", "breathe", "breathe_in", "breathe_out", "big_in", "big_out",
	"big_rep", "big_breath", "timer_of", "left", "left_in_exercise", "left_in_part",
	"left_in_chapter", "left_in_exercise_short", "left_in_chapter_short", "play", "pause",
	"playback", "previous_chapter", "next_chapter", "all_episodes", "handout", "audio",
	"saving_offline", "works_offline",
	// the play screen alone
	"header_chapter", "volume_short", "paused_banner", "key_pause", "key_resume", "help",
	"help_medium", "help_short", "help_least", "paused", "resumed", "end_of_routine",
	"skipped_to", "restarted", "back_to", "volume", "plain_start",
	// a pack's page
	"subscribe", "subscribe_in", "scan", "episode", "episodes", "or", "chapters", "chapters_of",
	"transcript", "made_with", "cover_of", "follow", "follow_hint",
}

// LabelKeys lists the labels every phrasebook has.
func LabelKeys() []string { return slices.Clone(labelKeys) }

var (
	phrasebooksOnce sync.Once
	phrasebooks     map[string]*Phrasebook
	phrasebooksErr  error
)

func loadPhrasebooks() {
	phrasebooks = map[string]*Phrasebook{}
	entries, _ := phraseFiles.ReadDir("phrases")
	for _, e := range entries {
		src, err := phraseFiles.ReadFile(path.Join("phrases", e.Name()))
		if err != nil {
			phrasebooksErr = err
			return
		}
		pb, err := parsePhrasebook(src)
		if err != nil {
			phrasebooksErr = fmt.Errorf("routines: phrasebook %s: %w", e.Name(), err)
			return
		}
		if want := strings.TrimSuffix(e.Name(), ".yaml"); pb.Language != want {
			phrasebooksErr = fmt.Errorf("routines: phrasebook %s: its language is %q, not %q", e.Name(), pb.Language, want)
			return
		}
		phrasebooks[pb.Language] = pb
	}
}

// parsePhrasebook reads and checks a phrasebook.
func parsePhrasebook(src []byte) (*Phrasebook, error) {
	var pb Phrasebook
	if err := yaml.UnmarshalWithOptions(src, &pb, yaml.Strict()); err != nil {
		return nil, err
	}
	switch {
	case len(pb.Units) != 20 || len(pb.Tens) != 10:
		return nil, errors.New("needs 20 units and 10 tens")
	case len(pb.Hundreds) != 10:
		return nil, errors.New("needs 10 hundreds (the first is not said)")
	case pb.HundredsBefore != nil && len(pb.HundredsBefore) != 10:
		return nil, errors.New("hundreds_before needs 10 entries, or none")
	}
	for form, w := range pb.SideForms {
		if len(w) != 2 || w[0] == "" || w[1] == "" || form == "" || strings.ContainsAny(form, "{}: ") {
			return nil, fmt.Errorf("side_forms: %q needs a plain name and two words, [left, right]", form)
		}
	}
	words := slices.Concat(pb.Units, pb.Tens[2:], pb.Hundreds[1:])
	if pb.HundredsBefore != nil {
		words = append(words, pb.HundredsBefore[1:]...)
	}
	if slices.Contains(words, "") {
		// YAML reads an unquoted null (German zero) as nothing.
		return nil, errors.New("a number has no words: quote words YAML reads otherwise, such as \"null\"")
	}
	for _, k := range phraseKeys {
		if pb.Phrases[k] == "" {
			return nil, fmt.Errorf("missing phrase %q", k)
		}
	}
	for k := range pb.Phrases {
		if !slices.Contains(phraseKeys, k) {
			return nil, fmt.Errorf("unknown phrase %q (known: %s)", k, strings.Join(phraseKeys, ", "))
		}
	}
	for _, k := range labelKeys {
		if strings.TrimSpace(pb.Labels[k]) == "" {
			return nil, fmt.Errorf("missing label %q", k)
		}
	}
	for k := range pb.Labels {
		if !slices.Contains(labelKeys, k) {
			return nil, fmt.Errorf("unknown label %q", k)
		}
	}
	d := pb.Dates
	switch {
	case len(d.Months) != 12 || len(d.MonthsShort) != 12:
		return nil, errors.New("dates: needs 12 months and 12 short months")
	case len(d.Weekdays) != 7 || len(d.WeekdaysShort) != 7:
		return nil, errors.New("dates: needs 7 weekdays and 7 short weekdays, Sunday first")
	case d.Long == "" || d.Short == "":
		return nil, errors.New("dates: needs a long and a short way to write a day")
	case slices.Contains(slices.Concat(d.Months, d.MonthsShort, d.Weekdays, d.WeekdaysShort), ""):
		return nil, errors.New("dates: a month or weekday has no name")
	}
	return &pb, nil
}

// PhrasebookFor returns the phrasebook of a language ("en"); a tag with a
// region ("es-MX") has its language's.
func PhrasebookFor(lang string) (*Phrasebook, error) {
	phrasebooksOnce.Do(loadPhrasebooks)
	if phrasebooksErr != nil {
		return nil, phrasebooksErr
	}
	pb, ok := phrasebooks[lang]
	if !ok {
		primary, _, _ := strings.Cut(lang, "-")
		pb, ok = phrasebooks[strings.ToLower(primary)]
	}
	if !ok {
		return nil, fmt.Errorf("routines: no phrasebook for language %q", lang)
	}
	return pb, nil
}

// LabelsFor returns the phrasebook of a language for its labels, English
// when the language has none: a page or screen is better in English than
// not at all.
func LabelsFor(lang string) *Phrasebook {
	if pb, err := PhrasebookFor(cmp.Or(lang, "en")); err == nil {
		return pb
	}
	pb, err := PhrasebookFor("en")
	if err != nil {
		panic(err) // the embedded English phrasebook is checked by tests
	}
	return pb
}

// Languages lists the languages that have a phrasebook.
func Languages() []string {
	phrasebooksOnce.Do(loadPhrasebooks)
	var out []string
	for l := range phrasebooks {
		out = append(out, l)
	}
	sort.Strings(out)
	return out
}

// Phrase returns a phrase with its {variables} filled in.
func (pb *Phrasebook) Phrase(key string, vars map[string]string) string {
	return fill(pb.Phrases[key], vars)
}

// Label returns a label with its {variables} filled in from pairs of name
// and value: Label("rep_of", "n", "2", "of", "5").
func (pb *Phrasebook) Label(key string, pairs ...string) string {
	s, ok := pb.Labels[key]
	if !ok {
		panic("routines: no label " + key) // every phrasebook has every label
	}
	if len(pairs) == 0 {
		return s
	}
	vars := make(map[string]string, len(pairs)/2)
	for i := 0; i+1 < len(pairs); i += 2 {
		vars[pairs[i]] = pairs[i+1]
	}
	return fill(s, vars)
}

// Count is the label for n of something, its {n} filled in: key_one when n
// is 1, key otherwise ("1 rep", "5 reps"); pairs fill the rest.
func (pb *Phrasebook) Count(key string, n int, pairs ...string) string {
	if _, ok := pb.Labels[key+"_one"]; ok && n == 1 {
		key += "_one"
	}
	return pb.Label(key, append([]string{"n", strconv.Itoa(n)}, pairs...)...)
}

// Date writes a day the long way ("lunes 4 de enero de 2027") or the short
// one ("lun 4 ene 2027").
func (pb *Phrasebook) Date(t time.Time, long bool) string {
	d := pb.Dates
	tmpl := d.Short
	if long {
		tmpl = d.Long
	}
	day := strconv.Itoa(t.Day())
	if t.Day() == 1 && d.First != "" {
		day = d.First
	}
	return fill(tmpl, map[string]string{
		"weekday": d.Weekdays[t.Weekday()], "weekday_short": d.WeekdaysShort[t.Weekday()],
		"month": d.Months[t.Month()-1], "month_short": d.MonthsShort[t.Month()-1],
		"day": day, "year": strconv.Itoa(t.Year()),
	})
}

// Sides are the names of the two sides, left first, as routines say them
// when they name none.
func (pb *Phrasebook) Sides() [2]string {
	return [2]string{pb.Phrases["left"], pb.Phrases["right"]}
}

// SideVars sets {side} and {other} in vars for the side at index side (0
// left, 1 right) of names, and their forms ({side:e}) when names are the
// phrasebook's own.
func (pb *Phrasebook) SideVars(vars map[string]string, names [2]string, side int) {
	vars["side"], vars["other"] = names[side], names[1-side]
	if names != pb.Sides() {
		return
	}
	for form, w := range pb.SideForms {
		vars["side:"+form], vars["other:"+form] = w[side], w[1-side]
	}
}

// sideFormVars are the template variables of the sides' forms.
func sideFormVars(forms map[string][]string) []string {
	var out []string
	for form := range forms {
		out = append(out, "side:"+form, "other:"+form)
	}
	return out
}

// Number says a whole number from 0 to 999 in words (larger ones in digits).
func (pb *Phrasebook) Number(n int) string {
	if s, ok := pb.Numbers[strconv.Itoa(n)]; ok {
		return s
	}
	switch {
	case n < 0:
		return strconv.Itoa(n)
	case n < 20:
		return pb.Units[n]
	case n < 100:
		if n%10 == 0 {
			return pb.Tens[n/10]
		}
		u, ok := pb.CompoundUnits[n%10]
		if !ok {
			u = pb.Units[n%10]
		}
		return pb.join(pb.Compound, "tens", pb.Tens[n/10], "units", u)
	case n < 1000:
		if n%100 == 0 {
			return pb.Hundreds[n/100]
		}
		h := pb.Hundreds[n/100]
		if pb.HundredsBefore != nil {
			h = pb.HundredsBefore[n/100]
		}
		return pb.join(pb.HundredsAnd, "hundreds", h, "rest", pb.Number(n%100))
	}
	return strconv.Itoa(n)
}

// join fills a template of two variables; with Elide, a word that ends in a
// vowel loses it when the next is joined to it and starts with one.
func (pb *Phrasebook) join(tmpl, a, av, b, bv string) string {
	if pb.Elide && strings.Contains(tmpl, "{"+a+"}{"+b+"}") && endsInVowel(av) && startsWithVowel(bv) {
		_, size := utf8.DecodeLastRuneInString(av)
		av = av[:len(av)-size]
	}
	return fill(tmpl, map[string]string{a: av, b: bv})
}

func isVowel(r rune) bool { return strings.ContainsRune("aeiouàèéìíòóùú", unicode.ToLower(r)) }

func endsInVowel(s string) bool {
	r, _ := utf8.DecodeLastRuneInString(s)
	return isVowel(r)
}

func startsWithVowel(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return isVowel(r)
}

// Seconds says a duration as a number of seconds in words: whole seconds as a
// number, halves with the phrasebook's "and a half", anything else in digits.
func (pb *Phrasebook) Seconds(d time.Duration) string {
	switch {
	case d%time.Second == 0:
		return pb.Number(int(d / time.Second))
	case d%(time.Second/2) == 0:
		n := int(d / time.Second)
		if s, ok := pb.Numbers[strconv.Itoa(n)+".5"]; ok {
			return s
		}
		return fill(pb.Half, map[string]string{"n": pb.Number(n)})
	}
	return strings.TrimRight(fmt.Sprintf("%.2f", d.Seconds()), "0")
}

// fill replaces each {name} in a template by vars[name]. Unknown names are
// left as they are (templates are checked when a routine is loaded).
func fill(tmpl string, vars map[string]string) string {
	if !strings.Contains(tmpl, "{") {
		return tmpl
	}
	var b strings.Builder
	for {
		i := strings.IndexByte(tmpl, '{')
		if i < 0 {
			break
		}
		j := strings.IndexByte(tmpl[i:], '}')
		if j < 0 {
			break
		}
		name := tmpl[i+1 : i+j]
		v, ok := vars[name]
		b.WriteString(tmpl[:i])
		if ok {
			b.WriteString(v)
		} else {
			b.WriteString(tmpl[i : i+j+1])
		}
		tmpl = tmpl[i+j+1:]
	}
	b.WriteString(tmpl)
	return b.String()
}

// templateVars is the set of variables a text may use.
type templateVars map[string]bool

var allVars = []string{"exercise", "side", "other", "hold", "rest", "rep", "reps", "set", "sets", "set_rest", "breaths", "inhale", "exhale"}

func (v templateVars) with(names ...string) templateVars {
	out := templateVars{}
	for k := range v {
		out[k] = true
	}
	for _, n := range names {
		out[n] = true
	}
	return out
}

func (v templateVars) without(names ...string) templateVars {
	out := v.with()
	for _, n := range names {
		delete(out, n)
	}
	return out
}

// check reports the first unknown or unavailable {variable} in s, or an
// unbalanced brace.
func (v templateVars) check(s string) error {
	rest := s
	for {
		i := strings.IndexAny(rest, "{}")
		if i < 0 {
			return nil
		}
		if rest[i] == '}' {
			return fmt.Errorf("unmatched \"}\" in %q", s)
		}
		j := strings.IndexAny(rest[i+1:], "{}")
		if j < 0 || rest[i+1+j] != '}' {
			return fmt.Errorf("unclosed \"{\" in %q", s)
		}
		name := rest[i+1 : i+1+j]
		if base, form, ok := strings.Cut(name, ":"); ok && (base == "side" || base == "other") && !v[name] {
			return v.sideFormError(base, form)
		}
		if !v[name] {
			known := false
			for _, a := range allVars {
				known = known || a == name
			}
			if !known {
				return fmt.Errorf("unknown template variable {%s} (known: %s)", name, strings.Join(allVars, ", "))
			}
			return fmt.Errorf("template variable {%s} has no value here%s", name, whyNot(name))
		}
		rest = rest[i+1+j+1:]
	}
}

// sideFormError says why {side:FORM} or {other:FORM} has no value.
func (v templateVars) sideFormError(base, form string) error {
	var forms []string
	for name := range v {
		if strings.HasPrefix(name, base+":") {
			forms = append(forms, name)
		}
	}
	slices.Sort(forms)
	for i, f := range forms {
		forms[i] = "{" + f + "}"
	}
	switch {
	case !v[base]:
		return fmt.Errorf("template variable {%s:%s} has no value here%s", base, form, whyNot(base))
	case len(forms) == 0:
		return fmt.Errorf("{%s:%s}: the sides have no forms here: the routine's language says them one way ({%s}), or the exercise names its own sides (side_names)", base, form, base)
	}
	return fmt.Errorf("{%s:%s}: no such form of the sides' names; this language's are %s", base, form, strings.Join(forms, ", "))
}

func whyNot(name string) string {
	switch name {
	case "side", "other":
		return " (the exercise has no sides, or this is said before a side is chosen)"
	case "hold":
		return " (the exercise has no hold step)"
	case "rest":
		return " (the exercise has no rest step)"
	case "rep", "set":
		return " (only steps are said per repetition and set)"
	case "set_rest":
		return " (the exercise has only one set)"
	case "breaths", "inhale", "exhale":
		return " (only the warm-up has breaths)"
	}
	return ""
}

// TagOfLanguageName is the tag of a language given by its name ("English",
// "español"), when it has a phrasebook.
func TagOfLanguageName(name string) (string, bool) {
	tag, ok := languageNames[strings.ToLower(strings.TrimSpace(name))]
	return tag, ok
}

// languageNames are the names a routine's author may write for a language
// that has a phrasebook, in English and in the phrasebooks' languages, with
// its tag: "language: English" is a slip for "language: en".
var languageNames = map[string]string{
	"english": "en", "englisch": "en", "inglés": "en", "ingles": "en", "anglais": "en", "inglese": "en",
	"spanish": "es", "español": "es", "espanol": "es", "castellano": "es", "spanisch": "es", "espagnol": "es", "spagnolo": "es",
	"german": "de", "deutsch": "de", "alemán": "de", "aleman": "de", "allemand": "de", "tedesco": "de",
	"french": "fr", "français": "fr", "francais": "fr", "französisch": "fr", "francés": "fr", "frances": "fr", "francese": "fr",
	"italian": "it", "italiano": "it", "italienisch": "it", "italien": "it",
}

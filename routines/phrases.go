package routines

import (
	"embed"
	"fmt"
	"path"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/goccy/go-yaml"
)

//go:embed phrases/*.yaml
var phraseFiles embed.FS

// Phrasebook holds the words routinecast adds around a routine's own lines, in
// one language: numbers, "switch sides", "breathe in" and so on.
type Phrasebook struct {
	Language    string            `yaml:"language"`
	Units       []string          `yaml:"units"`
	Tens        []string          `yaml:"tens"`
	Compound    string            `yaml:"compound"`
	Hundreds    string            `yaml:"hundreds"`
	HundredsAnd string            `yaml:"hundreds_and"`
	Half        string            `yaml:"half"`
	Phrases     map[string]string `yaml:"phrases"`
}

// The phrases every phrasebook must have.
var phraseKeys = []string{"intro", "warmup", "outro", "next", "set", "switch_sides",
	"breathe_in", "breathe_out", "rest", "last_one", "halfway", "well_done"}

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
		var pb Phrasebook
		if err := yaml.UnmarshalWithOptions(src, &pb, yaml.Strict()); err != nil {
			phrasebooksErr = fmt.Errorf("routines: phrasebook %s: %w", e.Name(), err)
			return
		}
		if len(pb.Units) != 20 || len(pb.Tens) != 10 {
			phrasebooksErr = fmt.Errorf("routines: phrasebook %s: needs 20 units and 10 tens", e.Name())
			return
		}
		for _, k := range phraseKeys {
			if pb.Phrases[k] == "" {
				phrasebooksErr = fmt.Errorf("routines: phrasebook %s: missing phrase %q", e.Name(), k)
				return
			}
		}
		phrasebooks[pb.Language] = &pb
	}
}

// PhrasebookFor returns the phrasebook of a language ("en").
func PhrasebookFor(lang string) (*Phrasebook, error) {
	phrasebooksOnce.Do(loadPhrasebooks)
	if phrasebooksErr != nil {
		return nil, phrasebooksErr
	}
	pb, ok := phrasebooks[lang]
	if !ok {
		return nil, fmt.Errorf("routines: no phrasebook for language %q", lang)
	}
	return pb, nil
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

// Number says a whole number from 0 to 999 999 in words.
func (pb *Phrasebook) Number(n int) string {
	switch {
	case n < 0:
		return fmt.Sprint(n)
	case n < 20:
		return pb.Units[n]
	case n < 100:
		if n%10 == 0 {
			return pb.Tens[n/10]
		}
		return fill(pb.Compound, map[string]string{"tens": pb.Tens[n/10], "units": pb.Units[n%10]})
	case n < 1000:
		h := fill(pb.Hundreds, map[string]string{"units": pb.Units[n/100]})
		if n%100 == 0 {
			return h
		}
		return fill(pb.HundredsAnd, map[string]string{"hundreds": h, "rest": pb.Number(n % 100)})
	}
	return fmt.Sprint(n)
}

// Seconds says a duration as a number of seconds in words: whole seconds as a
// number, halves with the phrasebook's "and a half", anything else in digits.
func (pb *Phrasebook) Seconds(d time.Duration) string {
	switch {
	case d%time.Second == 0:
		return pb.Number(int(d / time.Second))
	case d%(time.Second/2) == 0:
		return fill(pb.Half, map[string]string{"n": pb.Number(int(d / time.Second))})
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

package page

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	_ "embed"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"maps"
	"slices"

	"routinecast/mixer"
	"routinecast/routines"
)

var (
	//go:embed assets/index.html.tmpl
	indexSource string
	//go:embed assets/follow.css
	css string
	//go:embed assets/follow.js
	script string
	//go:embed assets/sw.js
	serviceWorker []byte
)

var indexTemplate = template.Must(template.New("index").Parse(indexSource))

// ServiceWorkerName is the service worker's file name, beside the pages it
// serves: its scope is their folder.
const ServiceWorkerName = "sw.js"

// Options say what a page shows and links to. File names are relative to
// the page's folder.
type Options struct {
	Title    string // the routine's title
	Subtitle string // e.g. its level and length
	Language string // BCP 47; default "en"
	Audio    string // the audio file the page plays
	Handout  string // the printable handout, or ""
	Cues     string // the cues JSON file (the data the page holds), or ""
	Back     string // a link back (a pack's page), or ""
	Version  string // the program's version
	// Pictures are the exercises' pictures by exercise (or variant) name,
	// as data: URLs (see PicturesOf): the page shows one beside its name.
	Pictures map[string]string
}

// PicturesOf returns the pictures of r's exercises and variants by name, as
// data: URLs, so that the page holds them and works offline and from file://.
func PicturesOf(r *routines.Routine) (map[string]string, error) {
	out := map[string]string{}
	add := func(ex *routines.Exercise) error {
		if ex == nil || ex.Image == nil {
			return nil
		}
		b, err := ex.Image.Read()
		if err != nil {
			return fmt.Errorf("page: %w", err)
		}
		out[ex.Name] = "data:" + ex.Image.Type + ";base64," + base64.StdEncoding.EncodeToString(b)
		return nil
	}
	for i := range r.Exercises {
		if err := cmp.Or(add(&r.Exercises[i]), add(r.Exercises[i].Variant)); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// scriptWords are the labels the page's script shows, passed to it as data
// in the page's language.
var scriptWords = []string{"chapter_of", "exercise_of", "rep_of", "set_of", "breath_of", "side", "next",
	"get_ready", "hold", "rest", "set_break", "breathe_in", "breathe_out", "timer_of", "left",
	"left_in_exercise", "left_in_part", "play", "pause", "saving_offline", "works_offline"}

// markupWords are the labels the page's markup shows.
var markupWords = []string{"playback", "previous_chapter", "play", "next_chapter", "all_episodes", "handout", "audio"}

type indexData struct {
	Options
	W     map[string]string // markupWords in the page's language
	Words template.JS       // scriptWords as JSON
	Data  template.JS       // the Follow JSON, inline so that file:// needs no fetch
	Pics  template.JS       // Pictures as JSON
	Files template.JS       // what the service worker keeps, with a stamp of this build
	CSS   template.CSS
	JS    template.JS
}

// Write writes the page following f to w.
func Write(w io.Writer, f mixer.Follow, o Options) error {
	if o.Audio == "" {
		return fmt.Errorf("page: no audio file to play")
	}
	if o.Language == "" {
		o.Language = "en"
	}
	data, err := json.Marshal(f) // escapes <, > and &: safe inside a script element
	if err != nil {
		return fmt.Errorf("page: %w", err)
	}
	h := sha256.New()
	h.Write(data)
	h.Write([]byte(o.Audio + o.Handout + o.Version))
	for _, name := range slices.Sorted(maps.Keys(o.Pictures)) {
		h.Write([]byte(name + o.Pictures[name]))
	}
	sum := h.Sum(nil)
	files := []string{o.Audio}
	for _, name := range []string{o.Handout, o.Cues} {
		if name != "" {
			files = append(files, name)
		}
	}
	fj, err := json.Marshal(struct {
		Stamp string   `json:"stamp"`
		Files []string `json:"files"`
	}{hex.EncodeToString(sum[:8]), files})
	if err != nil {
		return fmt.Errorf("page: %w", err)
	}
	if o.Pictures == nil {
		o.Pictures = map[string]string{}
	}
	pics, err := json.Marshal(o.Pictures)
	if err != nil {
		return fmt.Errorf("page: %w", err)
	}
	pb := routines.LabelsFor(o.Language)
	pick := func(keys []string) map[string]string {
		m := make(map[string]string, len(keys))
		for _, k := range keys {
			m[k] = pb.Label(k)
		}
		return m
	}
	words, err := json.Marshal(pick(scriptWords))
	if err != nil {
		return fmt.Errorf("page: %w", err)
	}
	var b bytes.Buffer
	if err := indexTemplate.Execute(&b, indexData{Options: o, W: pick(markupWords), Words: template.JS(words), Data: template.JS(data), Pics: template.JS(pics), Files: template.JS(fj), CSS: template.CSS(css), JS: template.JS(script)}); err != nil {
		return fmt.Errorf("page: %w", err)
	}
	_, err = w.Write(b.Bytes())
	return err
}

// ServiceWorker is the service worker's script. It is the same for every
// page: each page tells it which files to keep.
func ServiceWorker() []byte { return bytes.Clone(serviceWorker) }

// WriteCues writes f as the cues JSON file holds it.
func WriteCues(w io.Writer, f mixer.Follow) error {
	enc := json.NewEncoder(w)
	if err := enc.Encode(f); err != nil {
		return fmt.Errorf("page: %w", err)
	}
	return nil
}

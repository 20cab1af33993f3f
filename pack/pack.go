package pack

import (
	_ "embed"
	"net/url"
	"time"

	"routinecast/internal/yamlfile"
	"routinecast/job"
	"routinecast/routines"
)

// NoMusic is what a pack file's music field says for no music: an episode
// that says it goes without the pack's music.
const NoMusic = "none"

// Pack is a pack file, validated, with every path resolved against the pack
// file's folder.
type Pack struct {
	// File is the pack file's path as given to Load.
	File string

	Title       string
	Author      string // itunes:author, and the artist of every episode
	Description string
	Language    string // BCP 47 tag of the feed, e.g. "en" or "en-GB"
	Copyright   string // optional
	Email       string // the owner's address (itunes:owner, podcast:locked)
	// Locked asks other podcast platforms not to import the feed
	// (podcast:locked); default true.
	Locked bool
	// BaseURL is where the built folder will be published, ending in "/".
	// Enclosure, chapter and transcript URLs and the episode guids start with it.
	BaseURL string
	// Link is the pack's web page. Default: BaseURL (where index.html is).
	Link       string
	Cover      Cover
	Categories []Category
	Explicit   bool
	Audio      Audio
	// Music is the music under every episode that names none: a built-in
	// bed's name (mixer.BedNames) or a resolved music file; "" for none.
	Music    string
	Episodes []*Episode

	coverAt  yamlfile.Pos // where the pack file names the cover
	coverRel string       // the cover as the pack file names it
	// languageSet tells whether the pack file gives the language; if not,
	// it is the episodes' routines' when they agree.
	languageSet bool
}

// Cover is the pack's artwork: a square PNG or JPEG of 1400 to 3000 pixels,
// as Apple Podcasts requires.
type Cover struct {
	Path   string // resolved path of the image file
	Type   string // "image/png" or "image/jpeg"
	Width  int
	Height int
}

// ext is the file extension the cover gets in the built folder.
func (c Cover) ext() string {
	if c.Type == "image/jpeg" {
		return ".jpg"
	}
	return ".png"
}

// Category is an Apple Podcasts category, with an optional subcategory.
type Category struct {
	Name string // e.g. "Health & Fitness"
	Sub  string // e.g. "Fitness"; empty for none
}

func (c Category) String() string {
	if c.Sub == "" {
		return c.Name
	}
	return c.Name + "/" + c.Sub
}

// Audio holds the pack's audio settings, shared by every episode. Zero values
// mean the exporter's defaults.
type Audio struct {
	Bitrate    int     // kbit/s
	SampleRate int     // Hz
	Channels   int     // 1 or 2
	Loudness   float64 // target LUFS
}

// Episode is one routine at one level, with its own voice and music.
type Episode struct {
	// Slug names the episode's files (SLUG.mp3, SLUG.chapters.json, SLUG.vtt)
	// and ends its guid, so it should not change once the pack is published.
	// Default: the routine's name and the level, e.g. "lower-back-gentle".
	Slug string
	// RoutineRef is the routine as the pack file gives it: a built-in name or a
	// path relative to the pack file.
	RoutineRef string
	// RoutinePath is the resolved routine file, or "" for a built-in routine.
	RoutinePath string
	// Routine is the loaded routine; routineSrc is its YAML source, hashed to
	// decide whether the episode must be rendered again.
	Routine    *routines.Routine
	routineSrc []byte
	Level      routines.Level
	// Minutes, if not zero, replaces Level: the session is stretched to last
	// that long (job.Fit).
	Minutes float64
	Voice   string // resolved voice folder; "" for the default voice
	Music   string // a built-in bed's name (mixer.BedNames), a resolved music file, or "" for none
	Title   string
	// Description defaults to the routine's description.
	Description string
	Published   time.Time
	// Number is the episode's position in the pack file, from 1.
	Number int

	// Where the pack file names the routine, voice and music, for Check's
	// messages, and the voice and music as it names them.
	routineAt, voiceAt, musicAt yamlfile.Pos
	voiceRel, musicRel          string
}

// length is how long the episode is asked to last; 0 when a level says it.
func (e *Episode) length() time.Duration {
	return time.Duration(e.Minutes * float64(time.Minute)).Round(time.Millisecond)
}

// levelName says how the episode's ranges are chosen: a level, or "28 min".
func (e *Episode) levelName() routines.Level {
	if e.Minutes != 0 {
		return job.MinutesLabel(e.length())
	}
	return e.Level
}

// mp3Name, chaptersName and vttName are the episode's files in the folder.
func (e *Episode) mp3Name() string      { return e.Slug + ".mp3" }
func (e *Episode) chaptersName() string { return e.Slug + ".chapters.json" }
func (e *Episode) vttName() string      { return e.Slug + ".vtt" }
func (e *Episode) handoutName() string  { return e.Slug + ".pdf" }
func (e *Episode) cuesName() string     { return e.Slug + ".cues.json" }
func (e *Episode) followName() string   { return e.Slug + ".follow.html" } // not SLUG.html: a slug may be "index"

// files are the names of the files an episode's render writes, in the
// order the manifest records them. Its handout and follow-along page are
// made again by every build.
func (e *Episode) files() []string {
	return []string{e.mp3Name(), e.chaptersName(), e.vttName(), e.cuesName()}
}

// guid is the episode's feed guid: stable as long as the base URL and the
// slug are.
func (p *Pack) guid(e *Episode) string { return p.BaseURL + e.Slug }

// url returns the published URL of a file in the built folder.
func (p *Pack) url(name string) string { return p.BaseURL + url.PathEscape(name) }

// Error is one problem in a pack file, at a line and column (1-based; zero
// when the problem concerns the whole file).
type Error = yamlfile.Error

// Errors is every problem found in a pack file and the routine files it
// names, in file order, one line each: the pack file's, then each routine
// file's. It is the type routines.Errors is.
type Errors = yamlfile.Errors

//go:embed template.yaml
var templateFile []byte

// Template returns a commented pack file that shows every field.
func Template() []byte { return append([]byte(nil), templateFile...) }

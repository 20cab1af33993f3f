package pack

import (
	"strings"

	"routinecast/internal/yamlfile"
	"routinecast/mixer"
	"routinecast/routines"
)

// SchemaURL is the pack schema's $id (see routines.SchemaURL).
const SchemaURL = "urn:routinecast:schema:pack"

var (
	titleText  = yamlfile.Text{MaxLen: maxTitle}
	pathText   = yamlfile.Text{MaxLen: 1000, Strict: true}
	webAddress = yamlfile.Text{Pattern: `^https?://`, MaxLen: 2000}

	// The bed names are export's (mixer.BedNames), so a new bed is offered here too.
	musicDoc = "a built-in bed (" + strings.Join(mixer.BedNames(), ", ") + ") or a music file: .mp3, .wav or .flac"

	audioDef = &yamlfile.Object{Doc: "the episodes' MP3 settings", Fields: []yamlfile.Field{
		{Name: "bitrate", Doc: "kbit/s", Shape: yamlfile.Number{Integer: true, Min: 8, Max: 320}},
		{Name: "sample_rate", Doc: "Hz", Shape: yamlfile.Number{Integer: true, Min: 8000, Max: 48000, Enum: []float64{16000, 22050, 24000, 32000, 44100, 48000}}},
		{Name: "channels", Shape: yamlfile.Number{Integer: true, Min: 1, Max: 2}},
		{Name: "loudness", Doc: "target integrated loudness, LUFS", Shape: yamlfile.Number{Min: -36, Max: -6}},
	}}

	episodeDef = &yamlfile.Object{Fields: []yamlfile.Field{
		{Name: "routine", Required: true, Doc: "a built-in routine's name, or a routine file beside the pack", Shape: pathText},
		{Name: "level", Doc: "default standard", Shape: yamlfile.Text{Enum: levelNames()}},
		{Name: "minutes", Doc: "the session's length, instead of a level", Shape: yamlfile.Number{Min: 1, Max: 600}},
		{Name: "slug", Doc: "the episode's file names", Shape: yamlfile.Text{Pattern: slugPattern.String()}},
		{Name: "title", Shape: titleText},
		{Name: "description", Shape: yamlfile.Text{MaxLen: maxDescription}},
		{Name: "published", Required: true, Doc: "a date such as 2026-01-05 or 2026-01-05 07:30", Shape: yamlfile.Text{Pattern: `^[0-9]{4}-[0-9]{2}-[0-9]{2}`}},
		{Name: "voice", Doc: "a voice folder, or a cached voice's name as --voice takes it", Shape: pathText},
		{Name: "music", Doc: musicDoc, Shape: pathText},
	}}

	packDef = &yamlfile.Object{Doc: "a routinecast pack: a podcast of routines", Fields: []yamlfile.Field{
		{Name: "title", Required: true, Shape: titleText},
		{Name: "author", Required: true, Shape: titleText},
		{Name: "description", Required: true, Shape: yamlfile.Text{MaxLen: maxDescription}},
		{Name: "language", Shape: yamlfile.Text{Pattern: languageTag.String()}},
		{Name: "copyright", Shape: titleText},
		{Name: "email", Required: true, Doc: "the owner's address, which Apple Podcasts requires", Shape: yamlfile.Text{Pattern: "@", MaxLen: maxTitle}},
		{Name: "base_url", Required: true, Doc: "where the pack will be published", Shape: webAddress},
		{Name: "link", Shape: webAddress},
		{Name: "cover", Required: true, Doc: "a square PNG or JPEG, 1400-3000 px", Shape: pathText},
		{Name: "categories", Required: true, Doc: "Apple Podcasts categories, such as Health & Fitness/Fitness", Shape: yamlfile.OneOf{yamlfile.Text{Strict: true}, yamlfile.List{Item: yamlfile.Text{Strict: true}, MinItems: 1}}},
		{Name: "explicit", Shape: yamlfile.Bool{}},
		{Name: "locked", Shape: yamlfile.Bool{}},
		{Name: "audio", Shape: audioDef},
		{Name: "music", Doc: musicDoc + "; under every episode that names none", Shape: pathText},
		{Name: "episodes", Required: true, Shape: yamlfile.List{Item: episodeDef, MinItems: 1, MaxItems: maxEpisodes}},
	}}
)

func levelNames() []string {
	var out []string
	for _, l := range routines.Levels() {
		out = append(out, string(l))
	}
	return out
}

// Schema is the JSON Schema (draft 2020-12) of a pack file, made from the
// definitions the loader takes its fields from.
func Schema() []byte {
	return yamlfile.JSONSchema(SchemaURL, "routinecast pack", packDef, nil)
}

package narration

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"

	"routinecast/audio/mp3"
	"routinecast/internal/textcheck"
	"routinecast/internal/yamlfile"
)

// ManifestFile is the name of a voice's manifest inside its folder.
const ManifestFile = "voice.yaml"

// Recorded is the engine name of a voice whose clips people recorded.
const Recorded = "recorded"

// Manifest is a voice's voice.yaml: what the voice is, how its clips were
// made, and how new clips are stored. For example:
//
//	name: slt
//	language: en
//	engine:
//	  name: festival
//	  voice: cmu_us_slt_arctic_hts
//	clips:
//	  format: mp3
//	  sample_rate: 24000
//	  bitrate: 40
//
// A voice made with any program through the command engine (here piper,
// which reads the text on its standard input when no argument holds
// {text}):
//
//	name: lessac
//	language: en
//	engine:
//	  name: command
//	  command: [piper, --model, /opt/piper/en_US-lessac-medium.onnx, --output_file, "{out}"]
//
// A voice of recordings says engine: {name: recorded}.
type Manifest struct {
	// Name of the voice, shown in listings and credits.
	Name string `yaml:"name"`
	// Language of the voice as a BCP 47 tag ("en", "de", "pt-BR").
	Language string `yaml:"language"`
	// Engine says how the clips are made.
	Engine EngineSpec `yaml:"engine"`
	// Clips says how rendered and imported clips are stored.
	Clips ClipFormat `yaml:"clips,omitempty"`
	// Credit names the voice's origin and licence, for the README and
	// exported files.
	Credit string `yaml:"credit,omitempty"`
}

// EngineSpec names a speech engine and its settings: everything that changes
// how a clip sounds, and nothing else.
type EngineSpec struct {
	// Name is festival, flite, espeak-ng, say, command, or recorded.
	Name string `yaml:"name"`
	// Voice is the engine's voice: a festival voice (cmu_us_slt_arctic_hts),
	// a flite voice (slt, kal16, awb, rms, or a .flitevox file), an
	// espeak-ng voice or language (en, en-us, de), or a macOS say voice
	// (Samantha). Empty picks the engine's default.
	Voice string `yaml:"voice,omitempty"`
	// Command is the argument list of the command engine. {out} stands for
	// the WAV file the program must write and {text} for the line; with no
	// {text} the line is written to the program's standard input.
	Command []string `yaml:"command,omitempty,flow"`
	// Rate is the speaking rate against the voice's own: 0.8 speaks 20%
	// slower (longer sounds, not longer pauses). Festival's HTS voices
	// only (cmu_us_slt_arctic_hts); 0 means the voice's own rate.
	Rate float64 `yaml:"rate,omitempty"`
}

// ClipFormat says how clips are stored. The zero value stores 16-bit WAV at
// the engine's own sample rate, at -20 LUFS.
type ClipFormat struct {
	// Format is wav, flac or mp3.
	Format string `yaml:"format,omitempty"`
	// SampleRate in Hz; 0 keeps the engine's rate (for MP3, 24000).
	SampleRate int `yaml:"sample_rate,omitempty"`
	// Bitrate of MP3 clips in kbit/s; 0 means 40.
	Bitrate int `yaml:"bitrate,omitempty"`
	// Loudness of every clip in LUFS; 0 means -20.
	Loudness float64 `yaml:"loudness,omitempty"`
}

// Defaults of ClipFormat.
const (
	DefaultLoudness   = -20.0
	defaultMP3Rate    = 24000
	defaultMP3Bitrate = 40
)

// resolved fills in the defaults.
func (f ClipFormat) resolved() ClipFormat {
	if f.Format == "" {
		f.Format = "wav"
	}
	if f.Format == "mp3" {
		if f.SampleRate == 0 {
			f.SampleRate = defaultMP3Rate
		}
		if f.Bitrate == 0 {
			f.Bitrate = defaultMP3Bitrate
		}
	}
	if f.Loudness == 0 {
		f.Loudness = DefaultLoudness
	}
	return f
}

func (f ClipFormat) check() error {
	r := f.resolved()
	switch r.Format {
	case "wav", "flac", "mp3":
	default:
		return fieldErrorf("clips.format", "clips: format %q: use wav, flac or mp3", f.Format)
	}
	if f.SampleRate != 0 && (f.SampleRate < 8000 || f.SampleRate > 192000) {
		return fieldErrorf("clips.sample_rate", "clips: sample_rate %d: use 8000 to 192000 Hz, or 0 for the engine's rate", f.SampleRate)
	}
	if f.Bitrate != 0 && r.Format != "mp3" {
		return fieldErrorf("clips.bitrate", "clips: bitrate applies to mp3 clips only")
	}
	if r.Format == "mp3" {
		rates := mp3.Bitrates(r.SampleRate)
		if rates == nil {
			return fieldErrorf("clips.sample_rate", "clips: MP3 cannot store %d Hz: use 16000, 22050, 24000, 32000, 44100 or 48000", r.SampleRate)
		}
		ok := false
		for _, b := range rates {
			ok = ok || b == r.Bitrate
		}
		if !ok {
			return fieldErrorf("clips.bitrate", "clips: MP3 at %d Hz has no %d kbit/s: use one of %v", r.SampleRate, r.Bitrate, rates)
		}
	}
	if math.IsNaN(f.Loudness) || r.Loudness < -40 || r.Loudness > -6 {
		return fieldErrorf("clips.loudness", "clips: loudness %v LUFS: use -40 to -6", f.Loudness)
	}
	return nil
}

// ext is the file extension of clips stored in this format.
func (f ClipFormat) ext() string { return "." + f.resolved().Format }

// Identity is the part of a clip key that stands for the voice: the engine
// and its settings, or "recorded". Clips made another way have other keys.
func (m *Manifest) Identity() string { return m.Engine.identity() }

func (e EngineSpec) identity() string {
	if e.Name == Recorded {
		return Recorded
	}
	parts := []string{e.Name, "voice=" + e.Voice}
	if len(e.Command) > 0 {
		parts = append(parts, "command="+strings.Join(e.Command, "\x1f"))
	}
	// Only a rate that is set changes the key, so that voices made before
	// the setting existed keep their clips.
	if e.Rate != 0 && e.Rate != 1 {
		parts = append(parts, "rate="+strconv.FormatFloat(e.Rate, 'g', -1, 64))
	}
	return strings.Join(parts, "\x00")
}

// ParseManifest reads a voice.yaml strictly: unknown or repeated fields are
// errors, and every error carries the line and column of its field. name is
// used in error messages.
func ParseManifest(name string, data []byte) (*Manifest, error) {
	var m Manifest
	// Checked as text and for its shape first: the yaml package would
	// expand aliases, and quote control characters in its messages.
	if err := yamlfile.CheckSource(name, data); err != nil {
		return nil, fmt.Errorf("narration: %w", err)
	}
	if err := yaml.UnmarshalWithOptions(data, &m, yaml.Strict()); err != nil {
		return nil, fmt.Errorf("narration: %s: %s", name, yaml.FormatError(err, false, false))
	}
	problems := m.problems()
	if len(problems) == 0 {
		return &m, nil
	}
	file, _ := parser.ParseBytes(data, 0)
	errs := make([]error, len(problems))
	for i, p := range problems {
		errs[i] = fmt.Errorf("narration: %s%s: %w", name, position(file, p.field), p)
	}
	return nil, errors.Join(errs...)
}

// fieldError is a problem with one field of a manifest, named by its path
// ("clips.format").
type fieldError struct {
	field string
	msg   string
}

func (e *fieldError) Error() string { return e.msg }

func fieldErrorf(field, format string, args ...any) error {
	return &fieldError{field: field, msg: fmt.Sprintf(format, args...)}
}

// position returns ":line:col" of a field in a parsed YAML file, or of the
// nearest enclosing field that is there, or "" when none is.
func position(file *ast.File, field string) string {
	if file == nil {
		return ""
	}
	for f := field; f != ""; {
		if p, err := yaml.PathString("$." + f); err == nil {
			if n, err := p.FilterFile(file); err == nil && n != nil && n.GetToken() != nil {
				pos := n.GetToken().Position
				return fmt.Sprintf(":%d:%d", pos.Line, pos.Column)
			}
		}
		i := strings.LastIndexByte(f, '.')
		if i < 0 {
			break
		}
		f = f[:i]
	}
	return ""
}

// Check reports what is wrong with a manifest, every problem at once.
func (m *Manifest) Check() error {
	problems := m.problems()
	errs := make([]error, len(problems))
	for i, p := range problems {
		errs[i] = p
	}
	return errors.Join(errs...)
}

func (m *Manifest) problems() []*fieldError {
	var out []*fieldError
	add := func(err error) {
		var fe *fieldError
		if errors.As(err, &fe) {
			out = append(out, fe)
		} else if err != nil {
			out = append(out, &fieldError{msg: err.Error()})
		}
	}
	if strings.TrimSpace(m.Name) == "" {
		add(fieldErrorf("name", "name is empty"))
	}
	if !validLanguage(m.Language) {
		add(fieldErrorf("language", "language %q is not a language tag such as en or pt-BR", m.Language))
	}
	add(m.Engine.check())
	add(m.Clips.check())
	// Names and credits reach terminals and exported tags, and the
	// engine's voice and command its argument list.
	for _, f := range []struct{ field, text string }{{"name", m.Name}, {"credit", m.Credit}, {"engine.voice", m.Engine.Voice}} {
		if err := textcheck.Check(f.text); err != nil {
			add(fieldErrorf(f.field, "%s: %v", f.field, err))
		}
	}
	for i, a := range m.Engine.Command {
		if err := textcheck.Check(a); err != nil {
			add(fieldErrorf("engine.command", "engine.command: argument %d: %v", i+1, err))
		}
	}
	return out
}

// validLanguage accepts BCP 47-looking tags: letters and digits in
// hyphen-separated parts, the first two or three letters.
func validLanguage(s string) bool {
	parts := strings.Split(s, "-")
	if len(parts[0]) < 2 || len(parts[0]) > 3 {
		return false
	}
	for i, p := range parts {
		if p == "" || len(p) > 8 {
			return false
		}
		for _, r := range p {
			letter := 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z'
			if !letter && (i == 0 || !('0' <= r && r <= '9')) {
				return false
			}
		}
	}
	return true
}

// Marshal renders the manifest as voice.yaml text.
func (m *Manifest) Marshal() ([]byte, error) {
	b, err := yaml.MarshalWithOptions(m, yaml.Indent(2))
	if err != nil {
		return nil, fmt.Errorf("narration: %w", err)
	}
	if len(b) > 0 && b[len(b)-1] != '\n' {
		b = append(b, '\n')
	}
	return append([]byte("# routinecast voice: see 'go doc routinecast/narration.Manifest'\n"), b...), nil
}

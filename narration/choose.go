package narration

import (
	"context"
	"fmt"
	"strings"

	"routinecast/narration/internal/pico"
)

// Choice is what a user says about the voice to use: Voice, a folder or the
// name of a cached voice; Engine and EngineVoice, the speech engine that
// renders the clips the voice lacks.
type Choice struct {
	Voice, Engine, EngineVoice string
}

// LookupVoice resolves a voice for a task that only reads it: "" is the
// embedded voice (returned as ""), anything else a folder or the name of a
// cached voice (see [FindVoice]). Its errors are [ErrBadInput].
func LookupVoice(arg string) (string, error) {
	if arg == "" {
		return "", nil
	}
	dir, err := FindVoice(arg)
	if err != nil {
		return "", inputError(err)
	}
	return dir, nil
}

// OpenVoice opens the voice a user names (see [LookupVoice]), or the
// embedded one for "".
func OpenVoice(arg string) (*Voice, error) {
	dir, err := LookupVoice(arg)
	if err != nil {
		return nil, err
	}
	if dir == "" {
		return Default(), nil
	}
	v, err := Open(dir)
	if err != nil {
		return nil, inputError(err)
	}
	return v, nil
}

// EngineVoice prepares the voice an engine renders into: c.Voice (a folder,
// or a cached voice of that name) when given, else the engine's folder in the
// cache (see [CacheDir]). An existing voice keeps the engine it was made
// with unless c names another, which is refused. With no engine anywhere it
// is the built-in engine for the language (see [BuiltinFor]). clips, when not nil, becomes the voice's clip format. Nothing
// is written until a clip is (see [Prepare]). Its errors are [ErrBadInput].
func EngineVoice(c Choice, language string, clips *ClipFormat) (*Voice, error) {
	v, err := engineVoice(c, language, clips)
	if err != nil {
		return nil, inputError(err)
	}
	return v, nil
}

func engineVoice(c Choice, language string, clips *ClipFormat) (*Voice, error) {
	spec := EngineSpec{Name: c.Engine, Voice: c.EngineVoice}
	dir := c.Voice
	if dir != "" {
		if found, err := FindVoice(dir); err == nil {
			dir = found
		}
		if v, err := Open(dir); err == nil {
			if spec.Name == "" && spec.Voice == "" {
				return withClips(v, clips)
			}
			if spec.Name == "" {
				spec.Name = v.Manifest.Engine.Name
			}
			if language == "" {
				language = v.Manifest.Language
			}
		}
	}
	if spec.Name == "" {
		spec.Name = BuiltinFor(language)
	}
	if dir == "" {
		d, err := CacheDir(spec, language)
		if err != nil {
			return nil, err
		}
		dir = d
	}
	m := Manifest{Language: language, Engine: spec}
	if clips != nil {
		m.Clips = *clips
	}
	v, err := Prepare(dir, m)
	if err != nil {
		return nil, err
	}
	// Prepare keeps the format of a voice that exists already.
	return withClips(v, clips)
}

func withClips(v *Voice, clips *ClipFormat) (*Voice, error) {
	if clips == nil {
		return v, nil
	}
	if err := v.SetClips(*clips); err != nil {
		return nil, err
	}
	return v, nil
}

// InstalledEngine is the first speech engine installed on this machine, in
// the order of [Engines] (the built-in engine first, as it is always there),
// or "": the engine that advice names.
func InstalledEngine() string {
	for _, e := range Engines() {
		if e.Installed() {
			return e.Name
		}
	}
	return ""
}

// Describe names a voice for messages: the embedded voice "NAME" (HOW), or
// the voice "NAME" in DIR (HOW).
func (v *Voice) Describe() string {
	m := v.Manifest
	how := m.Engine.Name
	switch {
	case m.Engine.Name == Recorded:
		how = "recorded"
	case m.Engine.Voice != "":
		how += " " + m.Engine.Voice
	}
	if v.dir == "" {
		return fmt.Sprintf("the embedded voice %q (%s)", m.Name, how)
	}
	return fmt.Sprintf("the voice %q in %s (%s)", m.Name, v.dir, how)
}

// BuiltinFor is the engine inside the program that speaks language: pico
// for the languages it has a voice for, else builtin (Flite, English).
func BuiltinFor(language string) string {
	if pico.VoiceFor(language) != "" {
		return Pico
	}
	return Builtin
}

// SameLanguage tells whether two language tags have the same primary
// subtag (en and en-GB do).
func SameLanguage(a, b string) bool {
	p := func(s string) string { return strings.ToLower(strings.SplitN(s, "-", 2)[0]) }
	return p(a) == p(b)
}

// SpeakerFor is the voice that speaks lines when the user names none: the
// embedded voice ("") when it has a clip for every line, else the built-in
// engine's voice for language in the cache, with the lines it lacks rendered
// first (progress goes to opt.Progress); Pico's for the languages it speaks
// (see [BuiltinFor]). A track is never spoken by the two: one voice speaks
// every line.
func SpeakerFor(ctx context.Context, language string, lines []string, opt RenderOptions) (string, error) {
	if len(Default().Missing(lines)) == 0 {
		return "", nil
	}
	v, err := EngineVoice(Choice{Engine: BuiltinFor(language)}, language, nil)
	if err != nil {
		return "", err
	}
	if _, err := Render(ctx, v, lines, opt); err != nil {
		return "", err
	}
	return v.Dir(), nil
}

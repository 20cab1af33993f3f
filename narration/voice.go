package narration

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Voice is a folder of clips and its manifest. A line finds its clip by key
// (see [Key]), so a voice answers for any routine whose lines it has clips
// for.
type Voice struct {
	// Manifest is the voice's voice.yaml.
	Manifest Manifest
	fsys     fs.FS
	dir      string            // the folder on disk, "" for the embedded voice
	clips    map[string]string // key -> file name
}

// Open reads the voice in folder dir.
func Open(dir string) (*Voice, error) {
	v, err := openFS(os.DirFS(dir), dir)
	if err != nil {
		return nil, err
	}
	v.dir = dir
	return v, nil
}

// openFS reads a voice from fsys; name is its folder in messages.
func openFS(fsys fs.FS, name string) (*Voice, error) {
	data, err := fs.ReadFile(fsys, ManifestFile)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("narration: %s is not a voice: it has no %s (render into it with 'routinecast voice render', or import recordings with 'routinecast voice import'): %w", name, ManifestFile, fs.ErrNotExist)
	}
	if err != nil {
		return nil, fmt.Errorf("narration: %w", err)
	}
	m, err := ParseManifest(filepath.Join(name, ManifestFile), data)
	if err != nil {
		return nil, err
	}
	v := &Voice{Manifest: *m, fsys: fsys}
	if err := v.scan(); err != nil {
		return nil, fmt.Errorf("narration: %s: %w", name, err)
	}
	return v, nil
}

// Create opens the voice in dir, or makes dir a new voice with manifest m
// when it has no voice.yaml yet. The engine's default voice is written into
// the new manifest, so the file says exactly how the clips are made. An
// existing voice must have been made the same way as m says (same engine and
// settings): its clips would not fit otherwise.
func Create(dir string, m Manifest) (*Voice, error) {
	m.Engine = m.Engine.withDefaults(m.Language)
	if m.Name == "" {
		m.Name = filepath.Base(dir)
	}
	if err := m.Check(); err != nil {
		return nil, fmt.Errorf("narration: %s: %w", dir, err)
	}
	v, err := Open(dir)
	if err == nil {
		if v.Manifest.Identity() != m.Identity() {
			return nil, fmt.Errorf("narration: %s holds a voice made with %s, not %s: use another folder", dir, v.Manifest.Engine.describe(), m.Engine.describe())
		}
		return v, nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	data, err := m.Marshal()
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("narration: %w", err)
	}
	if err := writeFileAtomic(filepath.Join(dir, ManifestFile), data); err != nil {
		return nil, err
	}
	return Open(dir)
}

// describe names an engine and its settings for messages.
func (e EngineSpec) describe() string {
	switch {
	case e.Name == Recorded:
		return "recordings"
	case e.Name == commandEngine:
		return fmt.Sprintf("the command %q", e.Command)
	case e.Voice != "" && e.Rate != 0 && e.Rate != 1:
		return fmt.Sprintf("%s (voice %s, rate %g)", e.Name, e.Voice, e.Rate)
	case e.Voice != "":
		return e.Name + " (voice " + e.Voice + ")"
	}
	return e.Name
}

// scan indexes the clips in the voice's folder by key.
func (v *Voice) scan() error {
	entries, err := fs.ReadDir(v.fsys, ".")
	if err != nil {
		return err
	}
	v.clips = map[string]string{}
	for _, e := range entries {
		if !e.Type().IsRegular() || strings.HasPrefix(e.Name(), ".") {
			continue
		}
		if k, ok := keyOf(e.Name()); ok {
			if prev, dup := v.clips[k]; dup {
				return fmt.Errorf("%s and %s are clips of the same line: remove one", prev, e.Name())
			}
			v.clips[k] = e.Name()
		}
	}
	return nil
}

// Dir is the voice's folder, or "" for the embedded default voice.
func (v *Voice) Dir() string { return v.dir }

// Key returns the clip key of a line in this voice.
func (v *Voice) Key(text string) string { return Key(text, v.Manifest.Identity()) }

// ClipFile returns the file name of a line's clip, and false when the voice
// has none.
func (v *Voice) ClipFile(text string) (string, bool) {
	name, ok := v.clips[v.Key(text)]
	return name, ok
}

// FileName is the name a new clip of text gets in this voice: a readable
// part, then its key, then the extension of the voice's clip format. Only
// the "-KEY.ext" ending matters: a clip may be renamed as long as it keeps
// it.
func (v *Voice) FileName(text string) string {
	return clipBase(text, v.Manifest.Identity()) + v.Manifest.Clips.ext()
}

// Missing returns the lines that have no clip, in the order given, each
// once.
func (v *Voice) Missing(lines []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, l := range lines {
		k := v.Key(l)
		if _, ok := v.clips[k]; !ok && !seen[k] {
			seen[k] = true
			out = append(out, l)
		}
	}
	return out
}

// Unused returns the clip files that none of lines needs, sorted.
func (v *Voice) Unused(lines []string) []string {
	need := map[string]bool{}
	for _, l := range lines {
		need[v.Key(l)] = true
	}
	var out []string
	for k, name := range v.clips {
		if !need[k] {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}

// Len is the number of clips in the voice.
func (v *Voice) Len() int { return len(v.clips) }

// writeFileAtomic writes data to path through a temporary file in the same
// folder, so that path is either absent, the old file, or all of data.
func writeFileAtomic(path string, data []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), ".tmp-*")
	if err != nil {
		return fmt.Errorf("narration: %w", err)
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Chmod(0o644)
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), path)
	}
	if err != nil {
		os.Remove(f.Name())
		return fmt.Errorf("narration: %w", err)
	}
	return nil
}

// CacheDir is the folder a voice made by an engine lives in when no folder
// is given: routinecast/voices/ENGINE-VOICE under the user's cache folder
// (os.UserCacheDir), e.g. ~/.cache/routinecast/voices/flite-slt on Linux.
func CacheDir(spec EngineSpec, language string) (string, error) {
	spec = spec.withDefaults(language)
	if spec.Name == commandEngine || spec.Name == Recorded {
		return "", fmt.Errorf("narration: a voice made with %s needs a folder of its own (--voice DIR)", spec.describe())
	}
	if err := spec.check(); err != nil {
		return "", fmt.Errorf("narration: %w", err)
	}
	base, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("narration: no cache folder for voices: %w", err)
	}
	name := spec.Name
	if spec.Voice != "" {
		name += "-" + strings.TrimSuffix(filepath.Base(spec.Voice), ".flitevox")
	}
	return filepath.Join(base, "routinecast", "voices", name), nil
}

// SetClips changes how the voice stores new clips, and saves voice.yaml.
// Clips already in the folder stay as they are: a clip is found by its key
// whatever its format.
func (v *Voice) SetClips(f ClipFormat) error {
	if v.dir == "" {
		return fmt.Errorf("narration: the embedded voice cannot change")
	}
	if err := f.check(); err != nil {
		return fmt.Errorf("narration: %w", err)
	}
	if f == v.Manifest.Clips {
		return nil
	}
	m := v.Manifest
	m.Clips = f
	data, err := m.Marshal()
	if err != nil {
		return err
	}
	if err := writeFileAtomic(filepath.Join(v.dir, ManifestFile), data); err != nil {
		return err
	}
	v.Manifest = m
	return nil
}

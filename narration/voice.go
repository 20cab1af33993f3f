package narration

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"routinecast/internal/atomicfile"
	"routinecast/internal/textcheck"
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
	// unsaved is set on a voice from Prepare whose folder may not exist
	// yet; save writes it once.
	unsaved *sync.Once
	saveErr error
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
	data, err := readManifest(fsys)
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

// maxManifestBytes bounds voice.yaml, a file of a few lines.
const maxManifestBytes = 1 << 20

// readManifest reads voice.yaml when it is a regular file of a sane size.
func readManifest(fsys fs.FS) ([]byte, error) {
	return readRegularFS(fsys, ManifestFile, ManifestFile, maxManifestBytes)
}

// Create opens the voice in dir, or makes dir a new voice with manifest m
// when it has no voice.yaml yet. The engine's default voice is written into
// the new manifest, so the file says exactly how the clips are made. An
// existing voice must have been made the same way as m says (same engine and
// settings): its clips would not fit otherwise.
func Create(dir string, m Manifest) (*Voice, error) {
	v, err := prepare(dir, m, false)
	if err != nil {
		return nil, err
	}
	if err := v.save(); err != nil {
		return nil, err
	}
	return v, nil
}

// Prepare is Create without touching the disk: a new voice's folder and
// voice.yaml are written only with its first clip (by [Render] or [Import]),
// so a render that fails leaves nothing behind that would tie the folder to
// an engine. A folder whose voice has no clip at all is taken over by m: it
// holds nothing that m's clips would not fit.
func Prepare(dir string, m Manifest) (*Voice, error) { return prepare(dir, m, true) }

func prepare(dir string, m Manifest, takeOverEmpty bool) (*Voice, error) {
	m.Engine = m.Engine.withDefaults(m.Language)
	if m.Name == "" {
		m.Name = filepath.Base(dir)
	}
	if err := m.Check(); err != nil {
		return nil, fmt.Errorf("narration: %s: %w", dir, err)
	}
	v, err := Open(dir)
	if err == nil {
		if v.Manifest.Identity() == m.Identity() {
			return v, nil
		}
		if v.Len() > 0 || !takeOverEmpty {
			return nil, fmt.Errorf("narration: %s holds a voice made with %s, not %s: use another folder", dir, v.Manifest.Engine.describe(), m.Engine.describe())
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	return &Voice{Manifest: m, fsys: os.DirFS(dir), dir: dir, clips: map[string]string{}, unsaved: &sync.Once{}}, nil
}

// save writes a prepared voice's folder and manifest, once; later calls
// return the first call's error.
func (v *Voice) save() error {
	if v.unsaved == nil {
		return nil
	}
	v.unsaved.Do(func() {
		data, err := v.Manifest.Marshal()
		if err == nil {
			err = os.MkdirAll(v.dir, 0o755)
			if err != nil {
				err = fmt.Errorf("narration: %w", err)
			}
		}
		if err == nil {
			err = writeFileAtomic(filepath.Join(v.dir, ManifestFile), data)
		}
		v.saveErr = err
	})
	return v.saveErr
}

// store makes the clip file name in the voice's folder: write makes it at
// a temporary path (in scratch, or a folder of its own when scratch is ""),
// and only a clip that was made saves a prepared voice and moves in.
func (v *Voice) store(name, scratch string, write func(tmp string) error) error {
	if scratch == "" {
		d, err := os.MkdirTemp("", "routinecast-clip-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(d)
		scratch = d
	}
	tmp := filepath.Join(scratch, "clip"+filepath.Ext(name))
	if err := write(tmp); err != nil {
		return err
	}
	if err := v.save(); err != nil {
		return err
	}
	dst := filepath.Join(v.dir, name)
	if err := os.Rename(tmp, dst); err == nil {
		return nil
	}
	// The scratch folder may be on another file system.
	data, err := os.ReadFile(tmp)
	if err != nil {
		return err
	}
	return writeFileAtomic(dst, data)
}

// OnDisk reports whether the voice's folder and voice.yaml exist (a voice
// from [Prepare] has none until its first clip).
func (v *Voice) OnDisk() bool {
	if v.dir == "" {
		return false
	}
	_, err := os.Stat(filepath.Join(v.dir, ManifestFile))
	return err == nil
}

// describe names an engine and its settings for messages.
func (e EngineSpec) describe() string {
	switch {
	case e.Name == Recorded:
		return "recordings"
	case e.Name == CommandEngine:
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
		// A name with control characters is not a clip of ours, and must
		// not reach a terminal in a listing.
		if !e.Type().IsRegular() || strings.HasPrefix(e.Name(), ".") || textcheck.Check(e.Name()) != nil {
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
	err := atomicfile.Write(path, func(f *atomicfile.File) error {
		_, err := f.Write(data)
		return err
	})
	if err != nil {
		return fmt.Errorf("narration: %w", err)
	}
	return nil
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
	if !v.OnDisk() {
		v.Manifest = m // written with the first clip
		return nil
	}
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

// Prune deletes the clips that none of lines needs, and returns their file
// names.
func (v *Voice) Prune(lines []string) ([]string, error) {
	if v.dir == "" {
		return nil, fmt.Errorf("narration: the embedded voice cannot change")
	}
	unused := v.Unused(lines)
	for _, name := range unused {
		if err := os.Remove(filepath.Join(v.dir, name)); err != nil {
			return nil, fmt.Errorf("narration: %w", err)
		}
		k, _ := keyOf(name)
		delete(v.clips, k)
	}
	return unused, nil
}

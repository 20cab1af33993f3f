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

// CacheRoot is the folder that holds the voices engines render into when no
// folder is given: routinecast/voices under the user's cache folder
// (os.UserCacheDir: $XDG_CACHE_HOME, else ~/.cache, on Linux).
func CacheRoot() (string, error) {
	base, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("narration: no cache folder for voices: %w", err)
	}
	return filepath.Join(base, "routinecast", "voices"), nil
}

// CacheName is the name of the cached voice an engine and its voice render
// into: ENGINE or ENGINE-VOICE, e.g. flite-slt.
func CacheName(spec EngineSpec, language string) (string, error) {
	spec = spec.withDefaults(language)
	if spec.Name == CommandEngine || spec.Name == Recorded {
		return "", fmt.Errorf("narration: a voice made with %s needs a folder of its own (--voice DIR)", spec.describe())
	}
	if err := spec.check(); err != nil {
		return "", fmt.Errorf("narration: %w", err)
	}
	name := spec.Name
	if spec.Voice != "" {
		name += "-" + strings.TrimSuffix(filepath.Base(spec.Voice), ".flitevox")
	}
	return name, nil
}

// CacheDir is the folder a voice made by an engine lives in when no folder
// is given: CacheRoot/CacheName, e.g. ~/.cache/routinecast/voices/flite-slt
// on Linux.
func CacheDir(spec EngineSpec, language string) (string, error) {
	name, err := CacheName(spec, language)
	if err != nil {
		return "", err
	}
	root, err := CacheRoot()
	if err != nil {
		return "", err
	}
	return filepath.Join(root, name), nil
}

// ErrNoVoice is returned by FindVoice for a name that is neither a voice
// folder nor a cached voice.
var ErrNoVoice = errors.New("no such voice")

// FindVoice resolves what a user calls a voice: a folder (any path that
// exists, or that has a path separator), or else the name of a voice in the
// cache (see [CachedVoices]). A folder of that name wins over the cache, so a
// name never hides a folder the user points at.
func FindVoice(arg string) (string, error) {
	if st, err := os.Stat(arg); err == nil {
		if !st.IsDir() {
			return "", fmt.Errorf("narration: voice %s is a file; a voice is a folder with a %s", arg, ManifestFile)
		}
		return arg, nil
	}
	if strings.ContainsAny(arg, `/\`) || arg == "." || arg == ".." {
		return "", fmt.Errorf("narration: voice folder %s does not exist: %w", arg, ErrNoVoice)
	}
	root, err := CacheRoot()
	if err == nil {
		dir := filepath.Join(root, arg)
		if _, err := os.Stat(filepath.Join(dir, ManifestFile)); err == nil {
			return dir, nil
		}
	}
	names := "none yet: 'routinecast voice render ROUTINE --engine E' makes one"
	if cached, _ := CachedVoices(); len(cached) > 0 {
		var ns []string
		for _, c := range cached {
			ns = append(ns, c.Name)
		}
		names = strings.Join(ns, ", ")
	}
	return "", fmt.Errorf("narration: voice %q is neither a folder nor a cached voice (cached: %s): %w", arg, names, ErrNoVoice)
}

// CachedVoice is a voice in the cache.
type CachedVoice struct {
	Name  string // the folder's name, which --voice takes
	Dir   string
	Voice *Voice
	Bytes int64 // the folder's size
}

// CachedVoices lists the voices in the cache, by name. A folder there that is
// not a readable voice is skipped: the cache is the program's, not the user's.
func CachedVoices() ([]CachedVoice, error) {
	root, err := CacheRoot()
	if err != nil {
		return nil, err
	}
	entries, err := os.ReadDir(root)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("narration: %w", err)
	}
	var out []CachedVoice
	for _, e := range entries {
		if !e.IsDir() || strings.HasPrefix(e.Name(), ".") {
			continue
		}
		dir := filepath.Join(root, e.Name())
		v, err := Open(dir)
		if err != nil {
			continue
		}
		out = append(out, CachedVoice{Name: e.Name(), Dir: dir, Voice: v, Bytes: dirSize(dir)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

func dirSize(dir string) int64 {
	var n int64
	filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			if info, err := d.Info(); err == nil {
				n += info.Size()
			}
		}
		return nil
	})
	return n
}

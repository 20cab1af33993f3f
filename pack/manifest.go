package pack

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"routinecast/internal/safefile"
	"routinecast/job"
)

// manifestName is the build's record in the built folder. Its leading dot
// keeps it out of directory listings; Handler does not serve it.
const manifestName = ".routinecast-pack.json"

// manifestFormat changes whenever what pack writes for an episode changes, so
// that files from an older layout are not carried over.
const manifestFormat = 2 // 2: each episode has its follow-along page

// manifest records what a build made from which inputs, so that the next
// build can keep what did not change. It holds nothing that varies between
// two builds of the same inputs (no times), so it is byte-identical too.
type manifest struct {
	Format    int               `json:"format"`
	Generator string            `json:"generator"`
	BaseURL   string            `json:"base_url"`
	Cover     fileRecord        `json:"cover"`
	Episodes  []manifestEpisode `json:"episodes"`
}

type manifestEpisode struct {
	Slug     string        `json:"slug"`
	Inputs   string        `json:"inputs"` // SHA-256 of everything that goes into the episode's files
	Duration time.Duration `json:"duration_ns"`
	Chapters []Chapter     `json:"chapters"`
	Files    []fileRecord  `json:"files"` // the MP3, the chapters JSON and the transcript, in that order
}

type fileRecord struct {
	Name   string `json:"name"`
	Bytes  int64  `json:"bytes"`
	SHA256 string `json:"sha256"`
}

func (m *manifest) write(path string) error {
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return fmt.Errorf("pack: %w", err)
	}
	return writeFileSync(path, append(b, '\n'))
}

// previousBuild reads the manifest of the build in dir. It returns nil for a
// folder that does not exist or is empty, and an error for one that holds
// anything but a build, which Build must not replace.
// maxManifestBytes bounds the build's manifest: a few hundred bytes an
// episode, for at most maxEpisodes.
const maxManifestBytes = 16 << 20

func previousBuild(dir string) (*manifest, error) {
	st, err := os.Stat(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("pack: %w", err)
	}
	if !st.IsDir() {
		return nil, fmt.Errorf("pack: %s exists and is not a folder", dir)
	}
	// A regular file of a bounded size only: the folder may be anyone's.
	src, err := safefile.ReadFile(context.Background(), filepath.Join(dir, manifestName), maxManifestBytes)
	if errors.Is(err, fs.ErrNotExist) {
		entries, err := os.ReadDir(dir)
		if err != nil {
			return nil, fmt.Errorf("pack: %w", err)
		}
		if len(entries) > 0 {
			return nil, fmt.Errorf("pack: %s is not empty and holds no pack built by routinecast (no %s); refusing to replace it: remove it or choose another folder", dir, manifestName)
		}
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("pack: %w", err)
	}
	var m manifest
	if err := json.Unmarshal(src, &m); err != nil || m.Format != manifestFormat {
		return &manifest{}, nil // ours, but unreadable or older: render everything
	}
	return &m, nil
}

// recordFile measures a file of the build.
func recordFile(dir, name string) (fileRecord, error) {
	f, err := os.Open(filepath.Join(dir, name))
	if err != nil {
		return fileRecord{}, fmt.Errorf("pack: %w", err)
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return fileRecord{}, fmt.Errorf("pack: %w", err)
	}
	return fileRecord{Name: name, Bytes: n, SHA256: hex.EncodeToString(h.Sum(nil))}, nil
}

// matches reports whether the file at path is still the one recorded.
func (r fileRecord) matches(path string) bool {
	st, err := os.Stat(path)
	if err != nil || !st.Mode().IsRegular() || st.Size() != r.Bytes {
		return false
	}
	got, err := recordFile(filepath.Dir(path), filepath.Base(path))
	return err == nil && got.SHA256 == r.SHA256
}

func sha256Hex(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// episodeInputs is everything an episode's files depend on. Its JSON is hashed;
// a field added here renders every episode once more, which is the safe side.
type episodeInputs struct {
	Format   int     `json:"format"`
	Program  string  `json:"program"`
	Routine  string  `json:"routine"` // SHA-256 of the routine's YAML
	Level    string  `json:"level"`
	Minutes  float64 `json:"minutes,omitempty"`
	Voice    string  `json:"voice"` // "default", or the hash of the voice folder's files
	Music    string  `json:"music"` // "", "bed:NAME", or the SHA-256 of the music file
	Audio    Audio   `json:"audio"`
	Title    string  `json:"title"`
	Artist   string  `json:"artist"`
	Album    string  `json:"album"`
	Comment  string  `json:"comment"`
	Language string  `json:"language"`
	Date     string  `json:"date"`
	Track    int     `json:"track"`
	Cover    string  `json:"cover"` // SHA-256 of the cover image
}

// inputs hashes an episode's inputs.
func (b *builder) inputs(e *Episode) (string, error) {
	t := b.tags(e)
	in := episodeInputs{
		Format: manifestFormat, Program: b.o.Version, Routine: sha256Hex(e.routineSrc), Level: string(e.Level), Minutes: e.Minutes,
		Voice: "default", Audio: b.p.Audio, Title: t.Title, Artist: t.Artist, Album: t.Album,
		Comment: t.Comment, Language: t.Language, Date: t.Date, Track: t.Track, Cover: sha256Hex(t.Cover),
	}
	var err error
	if e.Voice != "" {
		if in.Voice, err = hashTree(e.Voice); err != nil {
			return "", fmt.Errorf("pack: episode %d (%s): voice: %w", e.Number, e.Slug, err)
		}
	}
	if job.IsBed(e.Music) {
		// The bed's samples are the program's: Program covers them.
		in.Music = "bed:" + e.Music
	} else if e.Music != "" {
		rec, err := recordFile(filepath.Dir(e.Music), filepath.Base(e.Music))
		if err != nil {
			return "", fmt.Errorf("pack: episode %d (%s): music: %w", e.Number, e.Slug, err)
		}
		in.Music = rec.SHA256
	}
	j, err := json.Marshal(in)
	if err != nil {
		return "", fmt.Errorf("pack: %w", err)
	}
	return sha256Hex(j), nil
}

// hashTree hashes every file under dir: its path within dir, its size and its
// content. A clip re-recorded, added, removed or renamed changes the hash.
func hashTree(dir string) (string, error) {
	h := sha256.New()
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			return nil
		}
		rel, err := filepath.Rel(dir, path)
		if err != nil {
			return err
		}
		rec, err := recordFile(filepath.Dir(path), filepath.Base(path)) // follows a link to a file
		if err != nil {
			return err
		}
		fmt.Fprintf(h, "%s\x00%d\x00%s\n", filepath.ToSlash(rel), rec.Bytes, rec.SHA256)
		return nil
	})
	if err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

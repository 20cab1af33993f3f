package narration

import (
	"container/list"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"

	"github.com/gopxl/beep/v2"

	"routinecast/internal/atomicfile"
)

// Decoding a voice's clips costs more than mixing and encoding the whole
// track (about 2 s of CPU for the embedded voice's 5 minutes of MP3), and
// holding them all decoded costs 28 MB. So a clip, once decoded and
// resampled, is kept on disk in the user's cache as raw 16-bit samples,
// named by a hash of the clip file's bytes and the rate; later exports read
// it back instead of decoding, and memory holds only the clips in use and
// the most recently used ones.

// pcmVersion names the decoder and resampler that made a cached clip: a
// change to either must change it, so that old files are not read.
const pcmVersion = "pcm1"

// PCMCacheEnv, when set to a folder, moves the decoded-clip cache there;
// "off" turns it off.
const PCMCacheEnv = "ROUTINECAST_PCM_CACHE"

// pcmCacheDir is the folder of decoded clips, or "" when there is none.
func pcmCacheDir() string {
	switch d := os.Getenv(PCMCacheEnv); d {
	case "off":
		return ""
	case "":
		base, err := os.UserCacheDir()
		if err != nil {
			return ""
		}
		return filepath.Join(base, "routinecast", "pcm")
	default:
		return d
	}
}

// pcmKey names the decoded form of a clip file's bytes at a rate.
func pcmKey(data []byte, sr beep.SampleRate) string {
	h := sha256.New()
	h.Write([]byte(pcmVersion))
	binary.Write(h, binary.LittleEndian, int64(sr))
	h.Write(data)
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// readPCM reads a cached clip, or returns nil.
func readPCM(dir, key string) []int16 {
	if dir == "" {
		return nil
	}
	b, err := os.ReadFile(filepath.Join(dir, key[:2], key+".s16"))
	if err != nil || len(b)%2 != 0 {
		return nil
	}
	pcm := make([]int16, len(b)/2)
	for i := range pcm {
		pcm[i] = int16(binary.LittleEndian.Uint16(b[2*i:]))
	}
	return pcm
}

// writePCM stores a decoded clip; failing to is no error (the cache is an
// optimisation), but a full disk must not leave a partial file: atomicfile.
func writePCM(dir, key string, pcm []int16) {
	if dir == "" {
		return
	}
	sub := filepath.Join(dir, key[:2])
	if err := os.MkdirAll(sub, 0o755); err != nil {
		return
	}
	b := make([]byte, 2*len(pcm))
	for i, v := range pcm {
		binary.LittleEndian.PutUint16(b[2*i:], uint16(v))
	}
	atomicfile.Write(filepath.Join(sub, key+".s16"), func(f *atomicfile.File) error {
		_, err := f.Write(b)
		return err
	})
}

// clipLRU keeps recently used decoded clips in memory, up to a number of
// samples.
type clipLRU struct {
	mu     sync.Mutex
	limit  int
	size   int
	order  *list.List // of *lruEntry, most recent first
	byName map[string]*list.Element
}

type lruEntry struct {
	name string
	pcm  []int16
}

func newClipLRU(limit int) *clipLRU {
	return &clipLRU{limit: limit, order: list.New(), byName: map[string]*list.Element{}}
}

func (c *clipLRU) get(name string) ([]int16, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.byName[name]
	if !ok {
		return nil, false
	}
	c.order.MoveToFront(el)
	return el.Value.(*lruEntry).pcm, true
}

func (c *clipLRU) put(name string, pcm []int16) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.byName[name]; ok || len(pcm) > c.limit {
		return
	}
	c.byName[name] = c.order.PushFront(&lruEntry{name, pcm})
	c.size += len(pcm)
	for c.size > c.limit {
		el := c.order.Back()
		e := el.Value.(*lruEntry)
		c.order.Remove(el)
		delete(c.byName, e.name)
		c.size -= len(e.pcm)
	}
}

// decodeClip returns a clip file decoded at rate sr, from the disk cache
// when it is there.
func decodeClip(fsys fs.FS, name string, sr beep.SampleRate, dir string) ([]int16, error) {
	data, err := readClipFS(fsys, name)
	if err != nil {
		return nil, fmt.Errorf("narration: %w", err)
	}
	key := pcmKey(data, sr)
	if pcm := readPCM(dir, key); pcm != nil {
		return pcm, nil
	}
	pcm, err := decodeBytes(data, name, sr)
	if err != nil {
		return nil, err
	}
	writePCM(dir, key, pcm)
	return pcm, nil
}

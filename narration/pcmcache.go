package narration

import (
	"container/list"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/gopxl/beep/v2"

	"routinecast/internal/safefile"
)

// Decoding a voice's clips costs more than mixing and encoding the whole
// track (about 2 s of CPU for the embedded voice's 5 minutes of MP3), and
// holding them all decoded costs 28 MB. So a clip, once decoded and
// resampled, is kept on disk in the user's cache as raw 16-bit samples,
// named by a hash of the clip file's bytes and the rate; later exports read
// it back instead of decoding, and memory holds only the clips in use and
// the most recently used ones.

// pcmVersion names the decoder, the resampler, the cleaning (cleanPCM) and the file layout that made
// a cached clip: a change to any must change it, so that old files are not
// read.
const pcmVersion = "pcm4"

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

// pcmSource is what a cached clip was decoded from: a hash of the decoder's
// version, the rate and the clip file's bytes. Its first half names the
// file; the whole of it is in the file, so that an entry moved or copied to
// another name is known.
type pcmSource [sha256.Size]byte

// pcmKey names the decoded form of a clip file's bytes at a rate.
func pcmKey(data []byte, sr beep.SampleRate) pcmSource {
	h := sha256.New()
	h.Write([]byte(pcmVersion))
	binary.Write(h, binary.LittleEndian, int64(sr))
	h.Write(data)
	return pcmSource(h.Sum(nil))
}

func (k pcmSource) name() string { return hex.EncodeToString(k[:16]) }

// pcmPath is where the entry of k lives in dir.
func pcmPath(dir string, k pcmSource) string {
	n := k.name()
	return filepath.Join(dir, n[:2], n+".s16")
}

// A cached clip's file: pcmMagic (8 bytes), the sample count (4 bytes), 4
// spare bytes, the source it was decoded from (32 bytes), a SHA-256 of the
// samples (32 bytes), then the samples, 16-bit little-endian. Files are
// written without fsync (a cache must be cheap to fill: a sync can take a
// second on a busy disk, and play decodes as it goes), so a crash may leave
// one cut short or empty; and the cache is a folder anyone with the user's
// rights may change. So an entry is trusted only when it is a regular file
// of exactly the size its header gives, within pcmMaxSeconds, made from
// the source asked for, with samples matching their hash; anything else is
// removed and decoded again.
const (
	pcmMagic  = "rcpcm3\x00\x00"
	pcmHeader = 8 + 4 + 4 + sha256.Size + sha256.Size
)

// pcmMaxSeconds bounds a cached clip: a clip is one spoken line, and a
// longer one is simply not cached. It bounds what is read from the cache
// before anything in it is checked.
const pcmMaxSeconds = 10 * 60

// CacheRepair tells that an entry of a program-owned cache was found bad
// and removed; it is being made again. Libraries hand it to a callback;
// the program prints it.
type CacheRepair struct {
	What   string // what the entry is: "decoded-clip cache entry", "clip"
	Path   string // the entry removed
	Reason string // what was wrong with it
}

// String is the notice, on one line.
func (r CacheRepair) String() string {
	return fmt.Sprintf("note: %s %s %s: removed, making it again", r.What, r.Path, r.Reason)
}

// badPCM is why an entry cannot be used.
type badPCM struct{ reason string }

func (b *badPCM) Error() string { return b.reason }

// readPCM reads a cached clip: nil and no error when there is none, an
// error saying why when the entry there is bad.
func readPCM(dir string, key pcmSource, sr beep.SampleRate) ([]int16, error) {
	if dir == "" {
		return nil, nil
	}
	path := pcmPath(dir, key)
	// Lstat first: an entry is a file this program wrote, never a link
	// (one to /dev/zero would be read forever).
	lst, err := os.Lstat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, nil
	case err != nil:
		return nil, &badPCM{err.Error()}
	case !lst.Mode().IsRegular():
		return nil, &badPCM{"is not a regular file"}
	}
	maxCount := int64(sr.N(pcmMaxSeconds * time.Second))
	f, err := safefile.Open(path, pcmHeader+2*maxCount)
	if err != nil {
		return nil, &badPCM{safefile.Short(err).Error()}
	}
	defer f.Close()
	var head [pcmHeader]byte
	if _, err := io.ReadFull(f, head[:]); err != nil {
		return nil, &badPCM{"is cut short"}
	}
	if string(head[:8]) != pcmMagic {
		return nil, &badPCM{"is not a decoded clip"}
	}
	count := int64(binary.LittleEndian.Uint32(head[8:12]))
	st, err := f.Stat()
	switch {
	case err != nil:
		return nil, &badPCM{err.Error()}
	case count > maxCount:
		return nil, &badPCM{fmt.Sprintf("claims %d samples, more than a clip has", count)}
	case st.Size() != pcmHeader+2*count:
		return nil, &badPCM{fmt.Sprintf("is %d bytes, %d for its %d samples", st.Size(), pcmHeader+2*count, count)}
	case pcmSource(head[16:48]) != key:
		return nil, &badPCM{"holds another clip"}
	}
	data := make([]byte, 2*count)
	if _, err := io.ReadFull(f, data); err != nil {
		return nil, &badPCM{"is cut short"}
	}
	if sha256.Sum256(data) != [sha256.Size]byte(head[48:80]) {
		return nil, &badPCM{"has samples that do not match their hash"}
	}
	pcm := make([]int16, count)
	for i := range pcm {
		pcm[i] = int16(binary.LittleEndian.Uint16(data[2*i:]))
	}
	return pcm, nil
}

// writePCM stores a decoded clip; failing to is no error (the cache is an
// optimisation). It is written beside its name and renamed, so a reader
// never sees a file being written.
func writePCM(dir string, key pcmSource, sr beep.SampleRate, pcm []int16) {
	if dir == "" || len(pcm) > sr.N(pcmMaxSeconds*time.Second) {
		return
	}
	path := pcmPath(dir, key)
	sub := filepath.Dir(path)
	if err := os.MkdirAll(sub, 0o755); err != nil {
		return
	}
	b := make([]byte, pcmHeader+2*len(pcm))
	copy(b, pcmMagic)
	binary.LittleEndian.PutUint32(b[8:], uint32(len(pcm)))
	copy(b[16:48], key[:])
	for i, v := range pcm {
		binary.LittleEndian.PutUint16(b[pcmHeader+2*i:], uint16(v))
	}
	sum := sha256.Sum256(b[pcmHeader:])
	copy(b[48:80], sum[:])
	f, err := os.CreateTemp(sub, "."+key.name()+".tmp-*")
	if err != nil {
		return
	}
	_, werr := f.Write(b)
	cerr := f.Close()
	if werr != nil || cerr != nil || os.Rename(f.Name(), path) != nil {
		os.Remove(f.Name())
	}
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
// when it holds a good entry for it. A bad entry is removed, reported to
// repaired (when set), and made again.
func decodeClip(fsys fs.FS, name string, sr beep.SampleRate, dir string, repaired func(CacheRepair)) ([]int16, error) {
	data, err := readClipFS(fsys, name)
	if err != nil {
		return nil, fmt.Errorf("narration: %w", err)
	}
	key := pcmKey(data, sr)
	pcm, err := readPCM(dir, key, sr)
	if pcm != nil {
		return pcm, nil
	}
	if err != nil {
		path := pcmPath(dir, key)
		os.Remove(path)
		if repaired != nil {
			repaired(CacheRepair{What: "decoded-clip cache entry", Path: path, Reason: err.Error()})
		}
	}
	pcm, err = decodeBytes(data, name, sr)
	if err != nil {
		return nil, err
	}
	writePCM(dir, key, sr, pcm)
	return pcm, nil
}

package narration

import (
	"container/list"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"hash/crc32"
	"io/fs"
	"os"
	"path/filepath"
	"sync"

	"github.com/gopxl/beep/v2"
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
const pcmVersion = "pcm2"

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

// A cached clip's file: "rcpcm1" and two spare bytes, the sample count (4 bytes), a CRC-32C
// of the samples (4 bytes), then the samples, 16-bit little-endian. Files
// are written without fsync (a cache must be cheap to fill: a sync can take
// a second on a busy disk, and play decodes as it goes), so a crash may
// leave one cut short or empty: the header and CRC tell, and such a file is
// decoded again.
const pcmMagic = "rcpcm1"

var pcmCRC = crc32.MakeTable(crc32.Castagnoli)

// readPCM reads a cached clip, or returns nil when it is missing or damaged.
func readPCM(dir, key string) []int16 {
	if dir == "" {
		return nil
	}
	b, err := os.ReadFile(filepath.Join(dir, key[:2], key+".s16"))
	if err != nil || len(b) < 16 || string(b[:6]) != pcmMagic {
		return nil
	}
	count := int(binary.LittleEndian.Uint32(b[8:12]))
	data := b[16:]
	if len(data) != 2*count || crc32.Checksum(data, pcmCRC) != binary.LittleEndian.Uint32(b[12:16]) {
		return nil
	}
	pcm := make([]int16, count)
	for i := range pcm {
		pcm[i] = int16(binary.LittleEndian.Uint16(data[2*i:]))
	}
	return pcm
}

// writePCM stores a decoded clip; failing to is no error (the cache is an
// optimisation). It is written beside its name and renamed, so a reader
// never sees a file being written.
func writePCM(dir, key string, pcm []int16) {
	if dir == "" {
		return
	}
	sub := filepath.Join(dir, key[:2])
	if err := os.MkdirAll(sub, 0o755); err != nil {
		return
	}
	b := make([]byte, 16+2*len(pcm))
	copy(b, pcmMagic)
	binary.LittleEndian.PutUint32(b[8:], uint32(len(pcm)))
	for i, v := range pcm {
		binary.LittleEndian.PutUint16(b[16+2*i:], uint16(v))
	}
	binary.LittleEndian.PutUint32(b[12:], crc32.Checksum(b[16:], pcmCRC))
	f, err := os.CreateTemp(sub, "."+key+".tmp-*")
	if err != nil {
		return
	}
	_, werr := f.Write(b)
	cerr := f.Close()
	if werr != nil || cerr != nil || os.Rename(f.Name(), filepath.Join(sub, key+".s16")) != nil {
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

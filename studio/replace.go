package studio

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"time"
)

// stamp is what the studio remembers of a file it read or wrote, to tell
// later whether someone else changed it since.
type stamp struct {
	sum     [sha256.Size]byte
	modTime time.Time
	gone    bool // the file was not there
}

func stampOf(data []byte, modTime time.Time) stamp {
	return stamp{sum: sha256.Sum256(data), modTime: modTime}
}

// version is the stamp as the page holds it: the content's hash, in hex,
// or absent.
func (s stamp) version() string {
	if s.gone {
		return absent
	}
	return hex.EncodeToString(s.sum[:])
}

// readRegular reads a regular file (through symlinks) of at most max bytes
// and stamps it; a FIFO or a device is refused rather than read.
func readRegular(path string, max int64) ([]byte, stamp, error) {
	// Looked at before it is opened: opening a FIFO waits for a writer.
	if info, err := os.Stat(path); err != nil {
		return nil, stamp{}, err
	} else if !info.Mode().IsRegular() {
		return nil, stamp{}, fmt.Errorf("%s is not a regular file", path)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, stamp{}, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, stamp{}, err
	}
	if !info.Mode().IsRegular() {
		return nil, stamp{}, fmt.Errorf("%s is not a regular file", path)
	}
	data, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil {
		return nil, stamp{}, err
	}
	if int64(len(data)) > max {
		return nil, stamp{}, fmt.Errorf("%s is over %d KiB", path, max>>10)
	}
	return data, stampOf(data, info.ModTime()), nil
}

// replaceFile writes data to path as an editor that respects the file
// does: through a symlink to the file it names (the link stays a link),
// keeping the file's permission bits, atomically (a temporary file beside
// the real file, renamed over it once whole and on disk). check, when not
// nil, runs just before the rename, so that a change made meanwhile by
// someone else is found as late as can be; its error leaves the file as it
// was. A path that does not exist becomes a new file of mode 0644.
func replaceFile(path string, data []byte, check func() error) error {
	real, mode := path, fs.FileMode(0o644)
	if _, err := os.Lstat(path); err == nil {
		if real, err = filepath.EvalSymlinks(path); err != nil {
			return err
		}
		info, err := os.Stat(real)
		if err != nil {
			return err
		}
		if !info.Mode().IsRegular() {
			return fmt.Errorf("%s is not a regular file", real)
		}
		mode = info.Mode().Perm()
	} else if !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	dir, base := filepath.Split(real)
	if dir == "" {
		dir = "."
	}
	// Named as internal/atomicfile names its temporaries, so that what a
	// killed run leaves is removed by the next.
	tmp, err := os.CreateTemp(dir, "."+base+".tmp-"+strconv.Itoa(os.Getpid())+"-*")
	if err != nil {
		return err
	}
	done := false
	defer func() {
		if !done {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if _, err := tmp.Write(data); err != nil {
		return err
	}
	// Chmod on the open file: the mode is not narrowed by the umask.
	if err := tmp.Chmod(mode); err != nil {
		return err
	}
	if err := tmp.Sync(); err != nil {
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if check != nil {
		if err := check(); err != nil {
			return err
		}
	}
	if err := os.Rename(tmp.Name(), real); err != nil {
		return err
	}
	done = true
	return nil
}

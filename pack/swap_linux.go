package pack

import (
	"errors"
	"os"

	"golang.org/x/sys/unix"
)

// replaceDir puts the folder tmp in dir's place, and removes what was there.
// On Linux both names are exchanged in one atomic step (renameat2 with
// RENAME_EXCHANGE): at every instant dir is either the whole old build or the
// whole new one. File systems without the exchange fall back to two renames.
func replaceDir(tmp, dir string) error {
	if _, err := os.Lstat(dir); errors.Is(err, os.ErrNotExist) {
		return os.Rename(tmp, dir)
	}
	err := unix.Renameat2(unix.AT_FDCWD, tmp, unix.AT_FDCWD, dir, unix.RENAME_EXCHANGE)
	if err == nil {
		os.RemoveAll(tmp) // tmp now holds the old build; a leftover is harmless
		return nil
	}
	if errors.Is(err, unix.ENOSYS) || errors.Is(err, unix.EINVAL) || errors.Is(err, unix.EOPNOTSUPP) {
		return replaceByRenames(tmp, dir)
	}
	return err
}

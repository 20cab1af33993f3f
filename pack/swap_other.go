//go:build !linux

package pack

import (
	"errors"
	"os"
)

// replaceDir puts the folder tmp in dir's place, and removes what was there.
func replaceDir(tmp, dir string) error {
	if _, err := os.Lstat(dir); errors.Is(err, os.ErrNotExist) {
		return os.Rename(tmp, dir)
	}
	return replaceByRenames(tmp, dir)
}

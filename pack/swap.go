package pack

import (
	"fmt"
	"os"
	"path/filepath"

	"routinecast/internal/atomicfile"
)

// replaceByRenames moves dir aside, moves tmp to dir and deletes the old
// build. Between the two renames dir is briefly missing; if the second rename
// fails, the old build is moved back.
func replaceByRenames(tmp, dir string) error {
	aside, err := atomicfile.MkdirTemp(filepath.Dir(dir), "."+filepath.Base(dir)+".old-")
	if err != nil {
		return err
	}
	if err := os.Remove(aside); err != nil { // only the unique name is wanted
		return err
	}
	if err := os.Rename(dir, aside); err != nil {
		return err
	}
	if err := os.Rename(tmp, dir); err != nil {
		if back := os.Rename(aside, dir); back != nil {
			return fmt.Errorf("%w (and the previous build could not be moved back from %s: %v)", err, aside, back)
		}
		return err
	}
	os.RemoveAll(aside) // the new build is in place; a leftover is harmless
	return nil
}

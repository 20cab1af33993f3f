// Package atomicfile writes a file so that it appears whole or not at all: the
// data goes to a temporary file in the target's folder, which replaces the
// target only on Commit. An error, a panic or Ctrl-C before then leaves the
// target as it was, and Close removes the temporary file. What a SIGKILL
// leaves behind (.NAME.tmp-PID-*, and the folders MkdirTemp makes) the next
// run of the same kind removes, once their process is gone.
package atomicfile

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// File is a temporary file that becomes the target on Commit.
type File struct {
	*os.File
	target    string
	committed bool
	closed    bool
}

// Create starts writing path. The temporary file is in the same folder, so the
// final rename stays on one file system and is atomic.
//
// A target that exists and is not a regular file (a device such as /dev/null,
// a FIFO, a folder) is refused with a *NotRegularError: the rename would put a
// regular file in its place.
func Create(path string) (*File, error) {
	if err := checkRegular(path); err != nil {
		return nil, err
	}
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	removeStaleOnce(dir)
	f, err := os.CreateTemp(dir, tempPrefix("."+base+".tmp-")+"*")
	if err != nil {
		// The temporary file's name means nothing to the user: name the
		// folder.
		var pe *os.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return nil, fmt.Errorf("atomicfile: cannot make a file in %s: %w", filepath.Clean(dir), err)
	}
	return &File{File: f, target: path}, nil
}

// Commit flushes the file to disk and renames it over the target.
func (f *File) Commit() error {
	if f.committed {
		return nil
	}
	if err := f.File.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.File.Close(); err != nil {
		f.closed = true
		os.Remove(f.Name())
		return err
	}
	f.closed = true
	// CreateTemp makes files 0600; an output file should have the usual mode.
	if err := os.Chmod(f.Name(), 0o644); err != nil {
		os.Remove(f.Name())
		return err
	}
	if err := checkRegular(f.target); err != nil { // made meanwhile
		os.Remove(f.Name())
		return err
	}
	if err := os.Rename(f.Name(), f.target); err != nil {
		os.Remove(f.Name())
		return fmt.Errorf("atomicfile: %w", err)
	}
	f.committed = true
	return nil
}

// Close abandons the file unless it was committed: the temporary file is
// removed and the target is untouched. It is safe to defer Close right after
// Create and call Commit at the end.
func (f *File) Close() error {
	if f.committed || f.closed {
		return nil
	}
	f.closed = true
	f.File.Close()
	return os.Remove(f.Name())
}

// checkRegular refuses a path that exists and is not a regular file (through
// symbolic links: a link to a device is refused too).
func checkRegular(path string) error {
	if st, err := os.Stat(path); err == nil && !st.Mode().IsRegular() {
		return &NotRegularError{path}
	}
	return nil
}

// Write writes path through write, atomically: the target changes only if
// write and the commit succeed.
func Write(path string, write func(f *File) error) error {
	f, err := Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := write(f); err != nil {
		return err
	}
	return f.Commit()
}

package atomicfile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"time"
)

// ErrSuperseded reports that another writer replaced a target while this one
// was writing it: its file is kept, and this one's is dropped.
var ErrSuperseded = errors.New("superseded")

// SupersededError names the target another writer replaced.
type SupersededError struct{ Path string }

func (e *SupersededError) Error() string {
	return fmt.Sprintf("atomicfile: %s was replaced by another writer meanwhile: that one is kept, this one is dropped", e.Path)
}

// Is makes errors.Is(err, ErrSuperseded) true.
func (e *SupersededError) Is(target error) bool { return target == ErrSuperseded }

// Set is files that replace their targets together: an audio file and its
// sidecars, say. Every temporary file is made when the set is, so a target
// that cannot be written is known before any work; Commit replaces all the
// targets or, failing, puts back those it had replaced. A target that
// another writer replaced since the set was made is not overwritten: the
// set is dropped, and Commit says so with a *SupersededError.
type Set struct {
	files  []*File
	before []state
}

// state is what a target was when a set began writing it.
type state struct {
	info fs.FileInfo // nil: there was none
}

func stateOf(path string) (state, error) {
	st, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return state{}, nil
	}
	if err != nil {
		return state{}, err
	}
	return state{st}, nil
}

// replacedSince tells whether path is another file than s was: made, or
// replaced, or written. A target removed meanwhile was not superseded.
func (s state) replacedSince(path string) bool {
	now, err := os.Stat(path)
	if err != nil {
		return false
	}
	if s.info == nil {
		return true
	}
	return !os.SameFile(s.info, now) || !s.info.ModTime().Equal(now.ModTime()) || s.info.Size() != now.Size()
}

// NotRegularError is the error of a target that exists and is not a
// regular file (a folder, a device): writing would replace or feed it.
type NotRegularError struct{ Path string }

func (e *NotRegularError) Error() string {
	return fmt.Sprintf("%s is not a regular file (a folder, device or pipe): give the name of a file to write", e.Path)
}

// CreateSet starts writing paths together; File(i) is the file of paths[i].
// Each target must be a regular file or absent, in a folder where a file
// can be made.
func CreateSet(paths ...string) (*Set, error) {
	s := &Set{}
	for _, p := range paths {
		st, err := stateOf(p)
		if err != nil {
			s.Close()
			return nil, err
		}
		if st.info != nil && !st.info.Mode().IsRegular() {
			s.Close()
			return nil, &NotRegularError{p}
		}
		f, err := Create(p)
		if err != nil {
			s.Close()
			return nil, err
		}
		s.files = append(s.files, f)
		s.before = append(s.before, st)
	}
	return s, nil
}

// CheckTargets tells whether CreateSet could start writing paths, leaving
// nothing behind.
func CheckTargets(paths ...string) error {
	s, err := CreateSet(paths...)
	if err != nil {
		return err
	}
	return s.Close()
}

// File is the file that replaces the i-th target.
func (s *Set) File(i int) *File { return s.files[i] }

// Close abandons the files not committed; the targets are untouched.
func (s *Set) Close() error {
	var errs []error
	for _, f := range s.files {
		if f.committed {
			continue
		}
		if !f.closed {
			f.closed = true
			f.File.Close()
		}
		if err := os.Remove(f.Name()); err != nil && !errors.Is(err, fs.ErrNotExist) {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// Commit flushes every file and renames each over its target, all or none.
// While it checks and renames, it holds a lock on the targets' folders, so
// that two sets committing at once to the same target are told apart: the
// second finds the target replaced and is dropped.
func (s *Set) Commit() error {
	for _, f := range s.files {
		if err := f.ready(); err != nil {
			s.Close()
			return err
		}
	}
	var dirs []string
	for _, f := range s.files {
		dirs = append(dirs, filepath.Dir(f.target))
	}
	slices.Sort(dirs)
	for _, d := range slices.Compact(dirs) {
		unlock, err := lockDir(d)
		if err != nil {
			s.Close()
			return fmt.Errorf("atomicfile: %w", err)
		}
		defer unlock()
	}
	for i, f := range s.files {
		if s.before[i].replacedSince(f.target) {
			s.Close()
			return &SupersededError{f.target}
		}
	}
	// Hard links keep the targets being replaced, so that a failed rename
	// can put them all back.
	backups := make([]string, len(s.files))
	defer func() {
		for _, b := range backups {
			if b != "" {
				os.Remove(b)
			}
		}
	}()
	for i, f := range s.files {
		if s.before[i].info == nil {
			continue
		}
		dir, base := filepath.Split(f.target)
		b := filepath.Join(dir, tempPrefix("."+base+".tmp-")+"old-"+strconv.FormatInt(time.Now().UnixNano(), 36))
		if os.Link(f.target, b) == nil {
			backups[i] = b
		}
	}
	for i, f := range s.files {
		if err := os.Rename(f.Name(), f.target); err != nil {
			for j := range i {
				if backups[j] != "" {
					os.Rename(backups[j], s.files[j].target)
					backups[j] = ""
				} else if s.before[j].info == nil {
					os.Remove(s.files[j].target)
				}
			}
			s.Close()
			return fmt.Errorf("atomicfile: %w", err)
		}
		f.committed = true
	}
	return nil
}

// ready flushes and closes the file, with the mode of an output file, ready
// to be renamed.
func (f *File) ready() error {
	if err := f.File.Sync(); err != nil {
		return err
	}
	f.closed = true
	if err := f.File.Close(); err != nil {
		return err
	}
	// CreateTemp makes files 0600; an output file should have the usual mode.
	return os.Chmod(f.Name(), 0o644)
}

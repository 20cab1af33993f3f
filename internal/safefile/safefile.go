// Package safefile opens the files that a routine, pack or voice names as
// regular files only, with a size bound suited to their kind, and reads them
// with cancellation. A path given by a file is input like any other: it may
// name a device that never ends (/dev/zero), a FIFO that blocks the opener
// until someone writes, or a folder, and none of those may hang or swell the
// program.
package safefile

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
)

// ErrNotRegular reports a path that names something other than a regular
// file: a folder, a device, a FIFO or a socket.
var ErrNotRegular = errors.New("not a regular file")

// NotRegularError is the error of a path that is not a regular file; What
// says what it is ("a folder", "a FIFO (named pipe)").
type NotRegularError struct{ What string }

func (e *NotRegularError) Error() string { return "it is " + e.What + ", not a regular file" }

// Is makes errors.Is(err, ErrNotRegular) true.
func (e *NotRegularError) Is(target error) bool { return target == ErrNotRegular }

// ErrTooLarge reports a file over the size bound of its kind.
var ErrTooLarge = errors.New("file too large")

// kindOf names what a non-regular file is, for messages.
func kindOf(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a folder"
	case m&fs.ModeNamedPipe != 0:
		return "a FIFO (named pipe)"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeCharDevice != 0:
		return "a character device"
	case m&fs.ModeDevice != 0:
		return "a device"
	}
	return "not a regular file"
}

// Open opens path for reading when it is a regular file of at most max bytes
// (max <= 0: no bound). Symbolic links are followed: what counts is the file
// they lead to. The error wraps ErrNotRegular or ErrTooLarge, or the os
// package's error (fs.ErrNotExist...), and names the path.
func Open(path string, max int64) (*os.File, error) {
	// O_NONBLOCK keeps the open of a FIFO from waiting for a writer; it
	// changes nothing for a regular file, the only kind kept.
	f, err := os.OpenFile(path, os.O_RDONLY|nonblock, 0)
	if err != nil {
		return nil, err
	}
	return kept(f, path, max)
}

// chunk is how much ReadFile reads between looks at its context.
const chunk = 256 << 10

// ReadFile reads a whole regular file of at most max bytes, as Open admits
// it, stopping with ctx's error when ctx ends. A file that grows past max
// while being read is refused too.
func ReadFile(ctx context.Context, path string, max int64) ([]byte, error) {
	f, err := Open(path, max)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, _ := f.Stat() // Open has just succeeded in the same call
	var out []byte
	if st != nil && st.Size() > 0 {
		out = make([]byte, 0, st.Size())
	}
	buf := make([]byte, chunk)
	for {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		n, err := f.Read(buf)
		out = append(out, buf[:n]...)
		if max > 0 && int64(len(out)) > max {
			return nil, &os.PathError{Op: "read", Path: path, Err: fmt.Errorf("%w: more than %d bytes", ErrTooLarge, max)}
		}
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
	}
}

// Short drops the operation from a path error ("open /x: ..." becomes
// "/x: ...") for messages that already say what was being done.
func Short(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return fmt.Errorf("%s: %w", pe.Path, pe.Err)
	}
	return err
}

// OpenIn is Open for a name inside root: besides being a regular file, the
// file must resolve inside root's folder, through any symbolic links (os.Root
// refuses "..", absolute links and links that lead out).
func OpenIn(root *os.Root, name string, max int64) (*os.File, error) {
	f, err := root.OpenFile(name, os.O_RDONLY|nonblock, 0)
	if err != nil {
		return nil, err
	}
	return kept(f, name, max)
}

// kept checks a file just opened (with nonblock) by Open or OpenIn: a
// regular file within max bytes comes back ready to read (blocking again);
// anything else is closed and is an error naming path.
func kept(f *os.File, path string, max int64) (*os.File, error) {
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	if !st.Mode().IsRegular() {
		f.Close()
		return nil, &os.PathError{Op: "open", Path: path, Err: &NotRegularError{kindOf(st.Mode())}}
	}
	if max > 0 && st.Size() > max {
		f.Close()
		return nil, &os.PathError{Op: "open", Path: path, Err: fmt.Errorf("%w: %d bytes, at most %d", ErrTooLarge, st.Size(), max)}
	}
	if err := clearNonblock(f); err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

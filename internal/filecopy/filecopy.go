// Package filecopy gives a file a second name, sharing its bytes where it can.
package filecopy

import (
	"io"
	"os"
)

// LinkOrCopy makes dst hold src's bytes: a hard link where the file system
// allows it (costing no space or time, and leaving the only name when the
// old one is deleted), else a copy written to disk before it returns.
func LinkOrCopy(src, dst string) error {
	if err := os.Link(src, dst); err == nil {
		return nil
	}
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

package routines

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"routinecast/internal/typo"
	"routinecast/internal/yamlfile"
)

// Ref is a routine as a person names it, on the command line or in a pack
// file: a built-in routine's name or a routine file's path.
type Ref struct {
	// Name is the reference as given.
	Name string
	// Path is the routine file, resolved against the folder Name is
	// relative to; "" for a built-in routine.
	Path string
}

// UnknownError is ResolveRef's error for a name that is neither a built-in
// routine nor a file. Its text has no package prefix: it is written for the
// person who gave the name, and callers say where the name came from.
type UnknownError struct {
	Name string
	// Nearest is the built-in routine or routine file the name is
	// closest to, if it is close enough to be a typo; "" if none is.
	Nearest string
}

func (e *UnknownError) Error() string {
	msg := fmt.Sprintf("%q is neither a built-in routine (%s) nor a file", e.Name, strings.Join(BuiltinNames(), ", "))
	if e.Nearest != "" {
		msg += fmt.Sprintf(": did you mean %s?", e.Nearest)
	}
	return msg
}

// NotFoundError is Ref.Load's error for a routine file that does not exist.
type NotFoundError struct {
	Path    string
	Nearest string // as UnknownError's
	Err     error  // the os package's
}

func (e *NotFoundError) Error() string {
	msg := fmt.Sprintf("routines: %s: no such file", e.Path)
	if e.Nearest != "" {
		msg += fmt.Sprintf("; did you mean %s?", e.Nearest)
	}
	return msg
}

func (e *NotFoundError) Unwrap() error { return e.Err }

// Nearest is the built-in routine or routine file in the reference's folder
// that its name is closest to, if close enough to be a typo, named as the
// reference names files; "" if none is. It is for the "did you mean" of a
// reference that names nothing.
func (r Ref) Nearest() string {
	path := r.Path
	if path == "" {
		path = r.Name
	}
	return nearest(r.Name, path)
}

// nearest is the built-in routine or routine file in the folder of path
// that name is closest to, if close enough to be a typo: "kne.yaml" finds
// knee.yaml, "lowerback" lower-back, and "knee" knee.yaml. A file is named
// as name would name it, with name's folder.
func nearest(name, path string) string {
	dir := filepath.Dir(path)
	stem := func(s string) string { return strings.TrimSuffix(strings.TrimSuffix(s, ".yaml"), ".yml") }
	byStem := map[string]string{}
	var stems []string
	add := func(s, as string) {
		if _, dup := byStem[stem(s)]; !dup {
			byStem[stem(s)] = as
			stems = append(stems, stem(s))
		}
	}
	for _, b := range BuiltinNames() {
		add(b, b)
	}
	prefix := ""
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		prefix = name[:i+1]
	}
	if entries, err := os.ReadDir(dir); err == nil {
		for _, e := range entries {
			if n := e.Name(); !e.IsDir() && (strings.HasSuffix(n, ".yaml") || strings.HasSuffix(n, ".yml")) {
				add(n, prefix+n)
			}
		}
	}
	// At most two edits: "upper-back" is another routine, not lower-back mistyped.
	base := stem(filepath.Base(name))
	if s := typo.Nearest(base, stems); s != "" && typo.Distance(strings.ToLower(base), strings.ToLower(s)) <= 2 {
		return byStem[s]
	}
	return ""
}

// ResolveRef decides what name refers to. A name that names an existing
// file, holds a slash or backslash, or ends in .yaml or .yml is a file, even
// one that cannot be read, so that reading it gives an error naming it.
// Anything else is a built-in routine's name, or an *UnknownError. A relative
// path is taken from dir; dir "" leaves the path as given.
func ResolveRef(name, dir string) (Ref, error) {
	path := name
	if dir != "" {
		if filepath.IsAbs(name) {
			path = filepath.Clean(name)
		} else {
			path = filepath.Join(dir, filepath.FromSlash(name))
		}
	}
	if _, err := os.Stat(path); err == nil || strings.ContainsAny(name, `/\`) || strings.HasSuffix(name, ".yaml") || strings.HasSuffix(name, ".yml") {
		return Ref{Name: name, Path: path}, nil
	}
	if _, ok := BuiltinSource(name); !ok {
		return Ref{}, &UnknownError{Name: name, Nearest: nearest(name, path)}
	}
	return Ref{Name: name}, nil
}

// Source reads the routine's YAML: a built-in routine's embedded text, or
// the file, which must be a regular file of at most MaxFileBytes. A folder,
// device or FIFO, or a file over the bound, is an *Error naming the file,
// returned at once; other failures (a missing file) are the os package's
// errors.
func (r Ref) Source(ctx context.Context) ([]byte, error) {
	if r.Path != "" {
		return yamlfile.ReadFile(ctx, r.Path, "routine", maxFileBytes)
	}
	src, ok := BuiltinSource(r.Name)
	if !ok {
		return nil, &UnknownError{Name: r.Name}
	}
	return src, nil
}

// Parse validates the routine's source as Source read it. A routine file's
// problems are Errors; a built-in routine is tested, so one that does not
// validate is a bug and panics.
func (r Ref) Parse(src []byte) (*Routine, error) {
	if r.Path != "" {
		return Parse(r.Path, src)
	}
	rt, err := Parse("builtin:"+r.Name, src)
	if err != nil {
		panic(fmt.Sprintf("routines: built-in routine %s is invalid: %v", r.Name, err))
	}
	rt.Name = r.Name
	return rt, nil
}

// Load reads and validates the routine, stopping when ctx ends. Every
// problem of the file is in Errors, as LoadContext gives them.
func (r Ref) Load(ctx context.Context) (*Routine, error) {
	src, err := r.Source(ctx)
	var e *Error
	if errors.As(err, &e) {
		return nil, Errors{e}
	} else if errors.Is(err, fs.ErrNotExist) && r.Path != "" {
		return nil, &NotFoundError{Path: r.Path, Nearest: nearest(r.Name, r.Path), Err: err}
	} else if err != nil {
		return nil, fmt.Errorf("routines: %w", err)
	}
	return r.Parse(src)
}

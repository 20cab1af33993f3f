package cli

import (
	"context"
	"errors"
	"path/filepath"
	"strings"

	"routinecast/routines"
)

// loadRoutine finds a routine by built-in name or file path. A routine that
// does not exist or does not validate is bad input.
func loadRoutine(arg string) (*routines.Routine, error) {
	if arg == "" {
		return nil, Usage(errors.New("missing ROUTINE: give a built-in name (see 'routinecast list') or a routine file"))
	}
	ref, err := routines.ResolveRef(arg, "")
	if err != nil {
		return nil, Usage(err)
	}
	r, err := ref.Load(context.Background())
	if err != nil {
		return nil, Usage(err)
	}
	return r, nil
}

// parseLevel checks a --level value.
func parseLevel(s string) (routines.Level, error) {
	l, err := routines.ParseLevel(s)
	if err != nil {
		return "", Usage(err)
	}
	return l, nil
}

// levelsFor returns the levels a command works on: every level with
// --all-levels, else the one --level names.
func levelsFor(level string, all bool) ([]routines.Level, error) {
	if all {
		return routines.Levels(), nil
	}
	l, err := parseLevel(level)
	if err != nil {
		return nil, err
	}
	return []routines.Level{l}, nil
}

// routineStem is a file name for what is made of a routine: its built-in
// name, or its file's name without the extension.
func routineStem(arg string) string {
	base := filepath.Base(arg)
	if stem := strings.TrimSuffix(base, filepath.Ext(base)); stem != "" && stem != "." && stem != string(filepath.Separator) {
		return stem
	}
	return "routine"
}

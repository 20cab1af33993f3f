package cli

import (
	"errors"
	"fmt"
	"os"
	"strings"

	"routinecast/routines"
)

// loadRoutine finds a routine by built-in name or file path. A routine that
// does not exist or does not validate is bad input.
func loadRoutine(arg string) (*routines.Routine, error) {
	if arg == "" {
		return nil, Usage(errors.New("missing ROUTINE: give a built-in name (see 'routinecast list') or a routine file"))
	}
	if _, err := os.Stat(arg); err == nil || strings.ContainsAny(arg, `/\`) || strings.HasSuffix(arg, ".yaml") || strings.HasSuffix(arg, ".yml") {
		r, err := routines.Load(arg)
		if err != nil {
			return nil, Usage(err)
		}
		return r, nil
	}
	r, err := routines.Builtin(arg)
	if err != nil {
		return nil, Usage(fmt.Errorf("%q is neither a built-in routine (%s) nor a file", arg, strings.Join(routines.BuiltinNames(), ", ")))
	}
	return r, nil
}

// parseLevel checks a --level value.
func parseLevel(s string) (routines.Level, error) {
	for _, l := range routines.Levels {
		if strings.EqualFold(string(l), strings.TrimSpace(s)) {
			return l, nil
		}
	}
	return "", Usage(fmt.Errorf("unknown level %q: use gentle, standard or full", s))
}

// levelsFor returns the levels a command works on: every level with
// --all-levels, else the one --level names.
func levelsFor(level string, all bool) ([]routines.Level, error) {
	if all {
		return routines.Levels, nil
	}
	l, err := parseLevel(level)
	if err != nil {
		return nil, err
	}
	return []routines.Level{l}, nil
}

// Package routinetest gives the tests of the packages that take a routine or
// a script their fixtures (the built-in routines expanded by name, a tiny
// routine the embedded voice can say): the mixer, the voices, the play
// screen, the packs and the commands. It is apart from package testtool,
// which imports nothing of routinecast's, so that the tests of package
// routines can still use that.
package routinetest

import (
	"testing"

	"routinecast/routines"
)

// Script is the built-in routine name expanded at level, failing the test
// when either cannot be had.
func Script(tb testing.TB, name string, level routines.Level) *routines.Script {
	tb.Helper()
	return expand(tb, builtin(tb, name), level)
}

// Scripts is the built-in routine name expanded at every level, as Levels
// expands it.
func Scripts(tb testing.TB, name string) []*routines.Script {
	tb.Helper()
	return Levels(tb, builtin(tb, name))
}

// Levels is r expanded at each of routines.Levels, in that order.
func Levels(tb testing.TB, r *routines.Routine) []*routines.Script {
	tb.Helper()
	var scripts []*routines.Script
	for _, l := range routines.Levels() {
		scripts = append(scripts, expand(tb, r, l))
	}
	return scripts
}

func builtin(tb testing.TB, name string) *routines.Routine {
	tb.Helper()
	r, err := routines.Builtin(name)
	if err != nil {
		tb.Fatal(err)
	}
	return r
}

func expand(tb testing.TB, r *routines.Routine, level routines.Level) *routines.Script {
	tb.Helper()
	s, err := routines.Expand(r, level)
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

// TinySource is a routine that says only lines the embedded voice has
// clips for, so that it compiles and renders in a moment.
const TinySource = `title: Tiny
exercises:
  - name: Bridge
    steps:
      - Lower back down.
      - hold: 4s
`

// Tiny is TinySource, parsed.
func Tiny(tb testing.TB) *routines.Routine {
	tb.Helper()
	r, err := routines.Parse("tiny.yaml", []byte(TinySource))
	if err != nil {
		tb.Fatal(err)
	}
	return r
}

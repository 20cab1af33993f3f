package routines

import (
	"embed"
	"fmt"
	"path"
	"sort"
	"strings"
)

// The built-in routines, and the pictures their exercises name.
//
//go:embed builtin/*.yaml builtin/lower-back/*.png
var builtinFiles embed.FS

// BuiltinNames lists the built-in routines.
func BuiltinNames() []string {
	entries, _ := builtinFiles.ReadDir("builtin")
	var names []string
	for _, e := range entries {
		if e.IsDir() || path.Ext(e.Name()) != ".yaml" {
			continue // a folder of pictures
		}
		names = append(names, strings.TrimSuffix(e.Name(), ".yaml"))
	}
	sort.Strings(names)
	return names
}

// BuiltinsIn lists the built-in routines in a language ("en").
func BuiltinsIn(language string) []string {
	var names []string
	for _, n := range BuiltinNames() {
		if r, err := Builtin(n); err == nil && r.Language == language {
			names = append(names, n)
		}
	}
	return names
}

// Builtin returns a built-in routine by name, e.g. "lower-back".
func Builtin(name string) (*Routine, error) {
	src, ok := BuiltinSource(name)
	if !ok {
		return nil, fmt.Errorf("routines: no built-in routine %q (built in: %s)", name, strings.Join(BuiltinNames(), ", "))
	}
	return Ref{Name: name}.Parse(src)
}

// BuiltinSource returns the YAML of a built-in routine, for people who want to
// start their own from it.
func BuiltinSource(name string) ([]byte, bool) {
	src, err := builtinFiles.ReadFile(path.Join("builtin", name+".yaml"))
	return src, err == nil
}

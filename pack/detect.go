package pack

import (
	"context"

	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"

	"routinecast/internal/safefile"
	"routinecast/internal/yamlfile"
)

// IsPackFile tells a pack file from a routine file by its top-level keys: a
// pack has episodes and no exercises. Only the syntax tree is read, so
// aliases are never expanded; anything unreadable is not a pack file, left
// to the routine loader, whose errors say why.
func IsPackFile(path string) bool {
	// A regular file of at most 1 MB: a device or FIFO is the routine
	// loader's to refuse, at once.
	data, err := safefile.ReadFile(context.Background(), path, 1<<20)
	if err != nil {
		return false
	}
	// Text and shape first, as every reader here does: deep nesting costs
	// the parser time and memory without bound. A file that fails goes to
	// the routine loader, which names the problem.
	if yamlfile.CheckSource(path, data) != nil {
		return false
	}
	f, err := parser.ParseBytes(data, 0)
	if err != nil || len(f.Docs) != 1 {
		return false
	}
	m, ok := f.Docs[0].Body.(*ast.MappingNode)
	if !ok {
		return false
	}
	keys := map[string]bool{}
	for _, v := range m.Values {
		keys[v.Key.String()] = true
	}
	return keys["episodes"] && !keys["exercises"]
}

// Validate loads the pack file at path and checks everything a build needs
// (Load, then Check): what 'pack validate' reports, and 'pack build' does
// before it renders anything.
func Validate(ctx context.Context, path string) (*Pack, error) {
	p, err := LoadContext(ctx, path)
	if err != nil {
		return nil, err
	}
	return p, Check(ctx, p)
}

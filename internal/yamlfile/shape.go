package yamlfile

import (
	"fmt"

	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"

	"routinecast/internal/textcheck"
)

// Bounds on a file's shape, checked before parsing. The YAML parser takes
// time and memory far beyond the file's size on some shapes: 20,000 nested
// "[" took 2.6 s and 650 MB, 500,000 took 23 GB before the kernel killed it,
// and a flat list of 300,000 items took 350 MB. Real routine and pack files
// are a few hundred lines deep in nothing.
const (
	maxDepth = 64    // nested flow collections ([ and {)
	maxItems = 20000 // lines plus the items of flow collections
)

// shapeError checks src's nesting and size in items without parsing it,
// following YAML's lexical rules as far as they decide where a flow
// collection starts: quoted scalars, comments and block scalars (| and >)
// hide brackets; a quote or bracket that does not start a value does not
// count. It returns nil, or an error at the place the bound is passed.
func shapeError(src []byte) *Error {
	var (
		line, col   = 1, 0
		depth       int
		items       int
		quote       byte // '"' or '\'' while in a quoted scalar
		comment     bool
		lastSig     byte // last character on this line that is not a space, 0 at line start
		prev        byte // the previous byte
		indent      = 0  // this line's indentation
		atIndent    = true
		blockIndent = -1 // inside a block scalar: lines indented more than this are its text
		blockCand   bool // this line's value started with | or >
		blockValid  bool // and nothing but indicators, spaces or a comment followed
	)
	for i := 0; i < len(src); i++ {
		c := src[i]
		col++
		if c == '\n' {
			if blockCand && blockValid && depth == 0 && quote == 0 {
				blockIndent = indent
			}
			line, col, comment, lastSig, prev, indent, atIndent, blockCand = line+1, 0, false, 0, c, 0, true, false
			items++
			if items > maxItems {
				return &Error{Line: line - 1, Column: 1, Msg: fmt.Sprintf("more than %d lines and items; a file this size is not a routine or pack", maxItems)}
			}
			continue
		}
		if atIndent {
			if c == ' ' {
				indent++
				prev = c
				continue
			}
			atIndent = false
			if blockIndent >= 0 {
				if indent > blockIndent || c == '\r' {
					comment = true // the block scalar's text: skip the line
				} else {
					blockIndent = -1
				}
			}
		}
		if comment {
			prev = c
			continue
		}
		if blockCand {
			switch {
			case c == ' ' || c == '\t' || c == '\r' || c == '+' || c == '-' || ('0' <= c && c <= '9'):
			case c == '#' && (prev == ' ' || prev == '\t'):
				comment = true
				continue
			default:
				blockValid = false
			}
			prev = c
			continue
		}
		switch {
		case quote == '"':
			if c == '\\' && i+1 < len(src) && src[i+1] != '\n' {
				i++
				col++
			} else if c == '"' {
				quote = 0
			}
		case quote == '\'':
			if c == '\'' {
				if i+1 < len(src) && src[i+1] == '\'' {
					i++
					col++
				} else {
					quote = 0
				}
			}
		case c == '#' && (prev == ' ' || prev == '\t' || prev == '\n' || prev == 0):
			comment = true
		case (c == '"' || c == '\'') && startsValue(lastSig, depth):
			quote = c
		case (c == '[' || c == '{') && (depth > 0 || startsValue(lastSig, depth)):
			depth++
			if depth > maxDepth {
				return &Error{Line: line, Column: col, Msg: fmt.Sprintf("lists or mappings nested more than %d deep", maxDepth)}
			}
		case (c == ']' || c == '}') && depth > 0:
			depth--
		case c == ',' && depth > 0:
			items++
			if items > maxItems {
				return &Error{Line: line, Column: col, Msg: fmt.Sprintf("more than %d lines and items; a file this size is not a routine or pack", maxItems)}
			}
		case (c == '|' || c == '>') && depth == 0 && startsValue(lastSig, depth):
			blockCand, blockValid = true, true
		}
		if c != ' ' && c != '\t' && c != '\r' {
			lastSig = c
		}
		prev = c
	}
	return nil
}

// startsValue reports whether a character after last (the previous one on
// the line that is not a space) begins a value: at the start of a line, after
// "key:", "- " or "? ", and inside a flow collection after "[", "{" or ",".
func startsValue(last byte, depth int) bool {
	switch last {
	case 0, ':', '-', '?':
		return true
	case '[', '{', ',':
		return depth > 0
	}
	return false
}

// CheckSource checks a YAML file's text before any parser sees it, for
// readers that decode with the yaml package directly: it must be UTF-8 text
// without control, escape or bidi characters, of a bounded shape, and
// without anchors, aliases or tags (whose expansion can be exponential). It
// returns the first problem, as an *Error in file name.
func CheckSource(name string, src []byte) error {
	if at, bin := textcheck.Binary(src); bin {
		return &Error{File: name, Line: at.Line, Column: at.Col, Msg: at.What + " here; this looks like binary data, not YAML text"}
	}
	if bad := textcheck.Scan(src, 1); len(bad) > 0 {
		return &Error{File: name, Line: bad[0].Line, Column: bad[0].Col, Msg: bad[0].What + " may not appear in this file"}
	}
	if e := shapeError(src); e != nil {
		e.File = name
		return e
	}
	f, err := parser.ParseBytes(src, 0)
	if err != nil {
		return nil // the decoder reports syntax errors itself
	}
	var found *Error
	for _, doc := range f.Docs {
		ast.Walk(visitFunc(func(n ast.Node) bool {
			switch n.(type) {
			case *ast.AnchorNode, *ast.AliasNode, *ast.TagNode:
				if found == nil {
					p := PosOf(n)
					found = &Error{File: name, Line: p.Line, Column: p.Col, Msg: "anchors, aliases and tags are not supported"}
				}
				return false
			}
			return true
		}), doc)
	}
	if found != nil {
		return found
	}
	return nil
}

type visitFunc func(ast.Node) bool

func (f visitFunc) Visit(n ast.Node) ast.Visitor {
	if !f(n) {
		return nil
	}
	return f
}

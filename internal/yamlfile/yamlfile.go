// Package yamlfile reads the project's YAML files (routines, packs) strictly,
// walking goccy/go-yaml's syntax tree so that every problem is reported at
// once with the line and column it is at: unknown and repeated keys, wrong
// kinds of value, anchors, aliases and tags (which these files have no use
// for, and which would allow exponential expansion).
package yamlfile

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
	"github.com/goccy/go-yaml/token"

	"routinecast/internal/safefile"
	"routinecast/internal/textcheck"
	"routinecast/internal/typo"
)

// Error is one problem in a file, at a line and column (1-based; zero when the
// problem concerns the whole file).
type Error struct {
	File   string
	Line   int
	Column int
	Msg    string
}

func (e *Error) Error() string {
	if e.Line == 0 {
		return fmt.Sprintf("%s: %s", e.File, e.Msg)
	}
	return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Column, e.Msg)
}

// Errors is every problem found in a file, or in a file and the files it
// names, in file order. Its Error method gives one line per problem.
type Errors []*Error

func (es Errors) Error() string {
	lines := make([]string, len(es))
	for i, e := range es {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// Unwrap lets errors.As find each *Error.
func (es Errors) Unwrap() []error {
	out := make([]error, len(es))
	for i, e := range es {
		out[i] = e
	}
	return out
}

// Pos is a place in a file.
type Pos struct{ Line, Col int }

// PosOf is where a node starts. A mapping's own token is its first ':', so a
// mapping is placed at its first key.
func PosOf(n ast.Node) Pos {
	switch v := n.(type) {
	case nil:
		return Pos{}
	case *ast.MappingNode:
		if len(v.Values) > 0 {
			return PosOf(v.Values[0].Key)
		}
	case *ast.MappingValueNode:
		return PosOf(v.Key)
	}
	tk := n.GetToken()
	if tk == nil || tk.Position == nil {
		return Pos{}
	}
	return Pos{tk.Position.Line, tk.Position.Column}
}

// Decoder collects the problems found while reading one file.
type Decoder struct {
	File string
	Kind string // what the file holds, for messages: "routine", "pack"
	Errs []*Error
	// src is the text parsed, by line, to place what the parser misplaces.
	src []string
	// Warns are what the file says that does nothing, though its author
	// may mean it: the file is valid, and the caller may show them.
	Warns []*Error
}

// Warnf records a warning at p.
func (d *Decoder) Warnf(p Pos, format string, args ...any) {
	d.Warns = append(d.Warns, &Error{File: d.File, Line: p.Line, Column: p.Col, Msg: fmt.Sprintf(format, args...)})
}

// SortWarnings puts the warnings in file order.
func (d *Decoder) SortWarnings() { sortErrors(d.Warns) }

// Errorf records a problem at p.
func (d *Decoder) Errorf(p Pos, format string, args ...any) {
	d.Errs = append(d.Errs, &Error{File: d.File, Line: p.Line, Column: p.Col, Msg: fmt.Sprintf(format, args...)})
}

// Sort puts the problems in file order.
func (d *Decoder) Sort() { sortErrors(d.Errs) }

func sortErrors(es []*Error) {
	sort.SliceStable(es, func(i, j int) bool {
		a, b := es[i], es[j]
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Column < b.Column
	})
}

// Parse parses src and returns the body of its one document, or nil after
// recording why there is none (a syntax error, an empty file, or a second
// document). empty says what an empty file lacks.
//
// Before parsing, the source is checked as text: a binary file (NUL bytes,
// invalid UTF-8) is one error that quotes none of it and is not parsed, and
// every control, escape or bidi character is an error at its line and
// column, and is blanked out before parsing, so no later message can carry
// it to a terminal.
func (d *Decoder) Parse(src []byte, empty string) ast.Node {
	if at, bin := textcheck.Binary(src); bin {
		d.Errorf(Pos{at.Line, at.Col}, "not a %s file: %s here; a %s file is UTF-8 text, and this looks like binary data", d.Kind, at.What, d.Kind)
		return nil
	}
	if bad := textcheck.Scan(src, maxFindings+1); len(bad) > 0 {
		for i, b := range bad {
			if i == maxFindings {
				d.Errorf(Pos{b.Line, b.Col}, "more characters that may not appear in a %s file follow; fix these first", d.Kind)
				break
			}
			d.Errorf(Pos{b.Line, b.Col}, "%s may not appear in a %s file", b.What, d.Kind)
		}
		// Read on without them, to report the file's other problems too.
		src = textcheck.Blank(src)
	}
	// Editors on Windows start UTF-8 files with a byte order mark, which
	// the parser would take as part of the first key.
	src = bytes.TrimPrefix(src, []byte("\ufeff"))
	if e := shapeError(src); e != nil {
		e.File = d.File
		d.Errs = append(d.Errs, e)
		return nil
	}
	d.src = strings.Split(string(src), "\n")
	f, err := parser.ParseBytes(src, 0)
	if err != nil {
		d.syntaxError(err, src)
		return nil
	}
	var body ast.Node
	for i, doc := range f.Docs {
		if doc.Body == nil {
			continue
		}
		if body != nil {
			d.Errorf(PosOf(doc.Body), "a %s file holds one YAML document; found another (document %d)", d.Kind, i+1)
			break
		}
		body = doc.Body
	}
	if body == nil {
		d.Errorf(Pos{}, "empty file: %s", empty)
	}
	return body
}

func (d *Decoder) syntaxError(err error, src []byte) {
	var se *yaml.SyntaxError
	if errors.As(err, &se) && se.Token != nil && se.Token.Position != nil {
		at := Pos{se.Token.Position.Line, se.Token.Position.Column}
		if se.Message == "mapping value is not allowed in this context" {
			if p, msg := mappingValueHint(src, at); msg != "" {
				d.Errorf(p, "yaml: %s", msg)
				return
			}
		}
		d.Errorf(at, "yaml: %s", se.Message)
		return
	}
	var de *yaml.DuplicateKeyError
	if errors.As(err, &de) && de.Token != nil && de.Token.Position != nil {
		d.Errorf(Pos{de.Token.Position.Line, de.Token.Position.Column}, "yaml: %s", de.Message)
		return
	}
	msg, _, _ := strings.Cut(err.Error(), "\n")
	d.Errorf(Pos{}, "yaml: %s", msg)
}

// mappingValueHint explains the parser's "mapping value is not allowed in
// this context" at p, which it reports at the value before the cause: a
// value holding ": " that needs quotes (title: Knee: programme), or a key on
// the next line indented under a key that has a value already. It returns
// where the cause is and what to do, or "" when it is neither.
func mappingValueHint(src []byte, p Pos) (Pos, string) {
	lines := strings.Split(string(src), "\n")
	if p.Line < 1 || p.Line > len(lines) {
		return p, ""
	}
	line := strings.TrimRight(lines[p.Line-1], "\r")
	if p.Col-1 <= len(line) {
		value := line[p.Col-1:]
		if i := strings.Index(value, ": "); i >= 0 && !strings.HasPrefix(strings.TrimSpace(value), "#") {
			key := strings.TrimSpace(line[:p.Col-1])
			text := strings.TrimSpace(value)
			return p, fmt.Sprintf("this value holds a colon and a space, which YAML reads as another key: quote it: %s %q", key, text)
		}
	}
	indent := func(l string) int { return len(l) - len(strings.TrimLeft(l, " ")) }
	for n := p.Line; n < len(lines); n++ {
		next := strings.TrimRight(lines[n], "\r")
		if strings.TrimSpace(next) == "" || strings.HasPrefix(strings.TrimSpace(next), "#") {
			continue
		}
		key, _, _ := strings.Cut(strings.TrimSpace(line), ":")
		if indent(next) > indent(line) && strings.Contains(next, ":") {
			return Pos{n + 1, indent(next) + 1}, fmt.Sprintf("this line is indented under %q, which has a value already; line it up with %q", strings.TrimPrefix(key, "- "), strings.TrimPrefix(key, "- "))
		}
		break
	}
	return p, ""
}

// maxFindings bounds how many refused characters are reported one by one.
const maxFindings = 20

// Document returns the body of a file as its top-level mapping and fields.
// A body that is not a mapping, or a mapping none of whose keys is a field
// of the kind, is reported as "not a KIND file" without quoting any of it:
// a path may name any file (a password file, a binary), and its lines must
// not come back as error messages.
func (d *Decoder) Document(body ast.Node, known map[string]bool) (*ast.MappingNode, map[string]ast.Node, bool) {
	var m *ast.MappingNode
	switch v := body.(type) {
	case *ast.MappingNode:
		m = v
	case *ast.MappingValueNode:
		m = &ast.MappingNode{BaseNode: v.BaseNode, Start: v.GetToken(), Values: []*ast.MappingValueNode{v}}
	case *ast.AnchorNode, *ast.AliasNode, *ast.TagNode:
		d.Plain(body, d.Kind)
		return nil, nil, false
	default:
		d.Errorf(PosOf(body), "not a %s file: it holds %s, not key: value lines (known keys: %s)", d.Kind, KindName(body), strings.Join(sortedKeys(known), ", "))
		return nil, nil, false
	}
	any := false
	for _, mv := range m.Values {
		if k, ok := Scalar(mv.Key); ok && known[k] {
			any = true
		}
	}
	if !any {
		d.Errorf(PosOf(m), "not a %s file: none of its %d keys is a %s field (known keys: %s)", d.Kind, len(m.Values), d.Kind, strings.Join(sortedKeys(known), ", "))
		return nil, nil, false
	}
	return m, d.Fields(m, d.Kind, known), true
}

// Plain refuses anchors, aliases and tags.
func (d *Decoder) Plain(n ast.Node, what string) (ast.Node, bool) {
	switch v := n.(type) {
	case *ast.AnchorNode, *ast.AliasNode:
		d.Errorf(PosOf(n), "%s: anchors and aliases are not supported in %s files", what, d.Kind)
		return nil, false
	case *ast.TagNode:
		d.Errorf(PosOf(n), "%s: tags (%s) are not supported in %s files", what, v.Start.Value, d.Kind)
		return nil, false
	}
	return n, true
}

// KindName names the kind of a value, for messages.
func KindName(n ast.Node) string {
	switch n.(type) {
	case *ast.MappingNode, *ast.MappingValueNode:
		return "a mapping"
	case *ast.SequenceNode:
		return "a list"
	case *ast.NullNode:
		return "nothing"
	case *ast.IntegerNode, *ast.FloatNode:
		return "a number"
	case *ast.BoolNode:
		return "true/false"
	}
	return "text"
}

// Mapping returns n as a mapping, or records that it is not one.
func (d *Decoder) Mapping(n ast.Node, what string) (*ast.MappingNode, bool) {
	n, ok := d.Plain(n, what)
	if !ok {
		return nil, false
	}
	switch v := n.(type) {
	case *ast.MappingNode:
		return v, true
	case *ast.MappingValueNode: // a mapping of one key
		return &ast.MappingNode{BaseNode: v.BaseNode, Start: v.GetToken(), Values: []*ast.MappingValueNode{v}}, true
	}
	d.Errorf(PosOf(n), "%s: expected a mapping (key: value lines), found %s", what, KindName(n))
	return nil, false
}

// Sequence returns n as a list, or records that it is not one.
func (d *Decoder) Sequence(n ast.Node, what string) (*ast.SequenceNode, bool) {
	n, ok := d.Plain(n, what)
	if !ok {
		return nil, false
	}
	if s, ok := n.(*ast.SequenceNode); ok {
		return s, true
	}
	d.Errorf(PosOf(n), "%s: expected a list (lines starting with \"- \"), found %s", what, KindName(n))
	return nil, false
}

// Fields returns a mapping's values by key, recording unknown and repeated
// keys. A key with no value maps to a null node at the key.
func (d *Decoder) Fields(m *ast.MappingNode, what string, known map[string]bool) map[string]ast.Node {
	out := map[string]ast.Node{}
	for _, mv := range m.Values {
		key, ok := Scalar(mv.Key)
		if !ok {
			d.Errorf(PosOf(mv.Key), "%s: keys must be plain words", what)
			continue
		}
		if !known[key] {
			if near := typo.Nearest(key, sortedKeys(known)); near != "" {
				d.Errorf(PosOf(mv.Key), "%s: unknown field %q: did you mean %q?", what, key, near)
			} else {
				d.Errorf(PosOf(mv.Key), "%s: unknown field %q (known: %s)", what, key, strings.Join(sortedKeys(known), ", "))
			}
			continue
		}
		if _, dup := out[key]; dup {
			d.Errorf(PosOf(mv.Key), "%s: field %q given twice", what, key)
			continue
		}
		v := mv.Value
		if v == nil {
			v = ast.Null(mv.Key.GetToken())
		}
		out[key] = v
	}
	return out
}

func sortedKeys(m map[string]bool) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Scalar returns a scalar's text as written.
func Scalar(n ast.Node) (string, bool) {
	switch v := n.(type) {
	case *ast.StringNode:
		return v.Value, true
	case *ast.LiteralNode:
		return v.Value.Value, true
	case *ast.IntegerNode, *ast.FloatNode, *ast.BoolNode:
		return v.GetToken().Value, true
	}
	return "", false
}

// Text returns the text of scalar n as written, or records that n is not a
// plain scalar (see Plain) or holds a character that text read from a file
// may not (see textcheck.Check). A missing (nil) or null value is empty
// text, for the caller to judge.
func (d *Decoder) Text(n ast.Node, what string) (string, bool) {
	if n == nil {
		return "", true
	}
	n, ok := d.Plain(n, what)
	if !ok {
		return "", false
	}
	if _, null := n.(*ast.NullNode); null {
		return "", true
	}
	s, ok := Scalar(n)
	if !ok {
		d.Errorf(PosOf(n), "%s: expected text, found %s%s", what, KindName(n), quoteHint(n))
		return "", false
	}
	if p, item, bad := d.continuedItem(n); bad {
		d.Errorf(p, "%s: %q is read as part of the line above (%q), because it is indented further than the \"- \" above it; line it up with that \"- \"", what, item, s)
		return "", false
	}
	if err := textcheck.Check(s); err != nil {
		d.Errorf(PosOf(n), "%s: %v", what, err)
		return "", false
	}
	return s, true
}

// quoteHint explains a mapping of one key and text where text was
// expected: a line holding a colon and a space, which YAML reads as key:
// value. It is "" for any other value.
func quoteHint(n ast.Node) string {
	mv, ok := n.(*ast.MappingValueNode)
	if m, isMap := n.(*ast.MappingNode); isMap && len(m.Values) == 1 {
		mv, ok = m.Values[0], true
	}
	if !ok {
		return ""
	}
	k, kok := Scalar(mv.Key)
	v, vok := Scalar(mv.Value)
	if !kok || !vok {
		return ""
	}
	return fmt.Sprintf(" (YAML reads a colon followed by a space as key: value; if this is one line of text, quote it: %q)", k+": "+v)
}

// continuedItem finds a list item indented one space too far under a plain
// text, which YAML folds into that text ("Go. - hold: 5s"): it returns
// where the item starts and its text. The parser places a text that spans
// lines at its start or at its end, so the item's line is looked for in
// the source around it.
func (d *Decoder) continuedItem(n ast.Node) (Pos, string, bool) {
	sn, ok := n.(*ast.StringNode)
	if !ok || sn.Token == nil || sn.Token.Position == nil || sn.Token.Type != token.StringType {
		return Pos{}, "", false
	}
	rows := strings.Split(strings.TrimRight(sn.Token.Origin, " \n"), "\n")
	for _, row := range rows[1:] {
		row = strings.TrimRight(row, "\r")
		item := strings.TrimLeft(row, " ")
		if !strings.HasPrefix(item, "- ") {
			continue
		}
		at := Pos{sn.Token.Position.Line, len(row) - len(item) + 1}
		for l := max(1, at.Line-len(rows)); l <= min(len(d.src), at.Line+len(rows)); l++ {
			if strings.TrimRight(d.src[l-1], "\r") == row {
				at.Line = l
				break
			}
		}
		return at, item, true
	}
	return Pos{}, "", false
}

// ReadFile reads a file of the given kind ("routine", "pack") with
// cancellation, as a regular file of at most max bytes: a folder, device,
// FIFO or socket, or a file over max, is an *Error naming the file, returned
// at once. Other failures (a missing file) come back as the os package's
// errors.
func ReadFile(ctx context.Context, path, kind string, max int64) ([]byte, error) {
	src, err := safefile.ReadFile(ctx, path, max)
	var nr *safefile.NotRegularError
	switch {
	case err == nil:
		return src, nil
	case errors.As(err, &nr):
		return nil, &Error{File: path, Msg: fmt.Sprintf("is %s, not a %s file", nr.What, kind)}
	case errors.Is(err, safefile.ErrTooLarge):
		return nil, tooLarge(path, kind, max)
	}
	return nil, err
}

// tooLarge says what a file over max is, as Parse says it of a small one:
// binary data (an MP3 given as the routine) is named so whatever its size.
func tooLarge(path, kind string, max int64) *Error {
	head := make([]byte, 8<<10)
	n := 0
	if f, err := safefile.Open(path, 0); err == nil {
		n, _ = io.ReadFull(f, head)
		f.Close()
	}
	head = head[:n]
	if i := bytes.LastIndexByte(head, '\n'); i >= 0 && n == len(head) {
		head = head[:i+1] // a character cut at the end is not binary
	}
	if at, bin := textcheck.Binary(head); bin {
		return &Error{File: path, Line: at.Line, Column: at.Col, Msg: fmt.Sprintf("not a %s file: %s here; a %s file is UTF-8 text, and this looks like binary data", kind, at.What, kind)}
	}
	return &Error{File: path, Msg: fmt.Sprintf("not a %s file: it is over %d KB, and a %s file is text of at most %d KB (a real one is a few KB)", kind, max>>10, kind, max>>10)}
}

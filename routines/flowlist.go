package routines

import (
	"strings"

	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/token"

	"routinecast/internal/textcheck"
	"routinecast/internal/yamlfile"
)

// spokenLists are the keys whose value is a list of lines to say (or of steps,
// which may be lines). side_names is not among them: [left, right] is meant.
var spokenLists = map[string]bool{
	"intro": true, "cautions": true, "outro": true, "say": true,
	"setup": true, "steps": true, "notes": true,
}

// checkFlowLists reports the spoken lines that a flow list split apart. In
// `setup: [Sit or stand tall, arms relaxed.]` the comma ends the first item, so
// the author's one sentence would be spoken as two lines. YAML cannot tell, but
// a piece that starts in lower case after one with no closing punctuation is
// almost surely the rest of a sentence: that is an error, never a silent change
// of what the author wrote.
func (d *decoder) checkFlowLists(n ast.Node) {
	switch v := n.(type) {
	case *ast.MappingNode:
		for _, mv := range v.Values {
			d.checkFlowValue(mv)
		}
	case *ast.MappingValueNode:
		d.checkFlowValue(v)
	case *ast.SequenceNode:
		for _, e := range v.Values {
			d.checkFlowLists(e)
		}
	}
}

func (d *decoder) checkFlowValue(mv *ast.MappingValueNode) {
	key, _ := yamlfile.Scalar(mv.Key)
	seq, ok := mv.Value.(*ast.SequenceNode)
	if ok && seq.IsFlowStyle && spokenLists[key] {
		var prev string
		havePrev := false
		for _, e := range seq.Values {
			text, isText := unquotedScalar(e)
			if !isText {
				havePrev = false
				continue
			}
			if havePrev && splitSentence(prev, text) {
				d.Errorf(yamlfile.PosOf(e), "%s: %q continues the line %q: the comma in [...] split one sentence into two spoken lines; quote the line (%q) or use a block list, one \"- line\" per row",
					key, text, prev, prev+", "+text)
			}
			prev, havePrev = text, true
		}
	}
	d.checkFlowLists(mv.Value)
}

// unquotedScalar returns the text of a plain (unquoted) scalar: a quoted item
// says its author meant it as a line of its own.
func unquotedScalar(n ast.Node) (string, bool) {
	s, ok := yamlfile.Scalar(n)
	if !ok {
		return "", false
	}
	if tk := n.GetToken(); tk != nil && (tk.Type == token.DoubleQuoteType || tk.Type == token.SingleQuoteType) {
		return "", false
	}
	return strings.TrimSpace(s), true
}

// splitSentence tells whether cur reads as the continuation of prev: prev has
// no closing punctuation and cur starts with a lower-case letter, past any
// opening mark (Spanish ¿ and ¡, quotation marks).
func splitSentence(prev, cur string) bool { return textcheck.Continues(prev, cur) }

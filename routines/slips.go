package routines

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/goccy/go-yaml/ast"

	"routinecast/internal/typo"
	"routinecast/internal/yamlfile"
)

// actions are the keys a step may have, in the order messages list them.
var actions = []string{"breathe_in", "breathe_out", "count", "hold", "rest", "say"}

// mistypedStep matches a line that reads as a timed step written without
// its colon (or with no space after it), such as "hold 5s", "rest 3 s",
// "Breathe in 4s" or "hold:5s": said aloud, it would be the words, not a
// timed step.
var mistypedStep = regexp.MustCompile(`(?i)^\s*(hold|rest|breathe[ _-]?in|breathe[ _-]?out)\s*[:=]?\s*(\d[\d.]*\s*[a-z]*(?:\s*-\s*\d[\d.]*\s*[a-z]*)?)\s*\.?\s*$`)

// asStep returns the step a line was meant to be ("hold: 5s"), or "" when
// the line reads as something to say.
func asStep(line string) string {
	m := mistypedStep.FindStringSubmatch(line)
	if m == nil {
		return ""
	}
	d, ok := durationFix(m[2])
	if !ok {
		return ""
	}
	return actionKey(m[1]) + ": " + d
}

// sentence reports whether a line is written as a sentence: a capital
// first letter or a full stop at the end. "Rest 10 seconds." may announce
// a rest; "rest 10s" is a step missing its colon, whatever follows.
func sentence(line string) bool {
	line = strings.TrimSpace(line)
	return strings.HasSuffix(line, ".") || line != "" && strings.ToLower(line[:1]) != line[:1]
}

// announces reports whether the step after a line that reads as the step
// fix ("Rest 10 seconds.") is that timed step: the line then announces it,
// and is said.
func announces(fix string, rest []ast.Node) bool {
	if len(rest) == 0 {
		return false
	}
	key, _, _ := strings.Cut(fix, ":")
	var mv *ast.MappingValueNode
	switch m := rest[0].(type) {
	case *ast.MappingValueNode:
		mv = m
	case *ast.MappingNode:
		if len(m.Values) > 0 {
			mv = m.Values[0]
		}
	}
	if mv == nil {
		return false
	}
	k, _ := yamlfile.Scalar(mv.Key)
	return k == key
}

// actionKey spells a step's action as a key: "Breathe in" is breathe_in.
func actionKey(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	for _, sep := range []string{" ", "-"} {
		s = strings.ReplaceAll(s, sep, "_")
	}
	if s == "breathein" || s == "breatheout" {
		s = s[:7] + "_" + s[7:]
	}
	return s
}

var (
	unitSeconds = regexp.MustCompile(`(\d)(seconds|second|secs|sec)\b`)
	unitMinutes = regexp.MustCompile(`(\d)(minutes|minute|mins|min)\b`)
)

// durationFix rewrites a duration as people write it ("5 seconds", "3 s",
// "1 min") the way a routine file takes it ("5s", "3s", "1m"), if that is
// a duration; ok is false when it is none.
func durationFix(s string) (string, bool) {
	s = strings.ToLower(strings.Join(strings.Fields(s), ""))
	s = strings.TrimSuffix(s, ".")
	s = unitSeconds.ReplaceAllString(s, "${1}s")
	s = unitMinutes.ReplaceAllString(s, "${1}m")
	if _, err := parseDuration(s); err != nil {
		return "", false
	}
	if strings.Trim(s, "0123456789.-") == "" {
		s += "s"
	}
	return s, true
}

// stepKinds returns the actions the steps in nodes have, as written,
// including mistyped ones and ones whose value is wrong, so that a text
// that names {hold} gets no second error from a hold step already reported.
func stepKinds(nodes ...ast.Node) map[CueKind]bool {
	kinds := map[CueKind]bool{}
	for _, n := range nodes {
		seq, ok := n.(*ast.SequenceNode)
		if !ok {
			continue
		}
		for _, v := range seq.Values {
			if s, ok := yamlfile.Scalar(v); ok {
				if fix := asStep(s); fix != "" {
					k, _, _ := strings.Cut(fix, ":")
					kinds[CueKind(k)] = true
				}
				continue
			}
			var keys []*ast.MappingValueNode
			switch m := v.(type) {
			case *ast.MappingNode:
				keys = m.Values
			case *ast.MappingValueNode:
				keys = []*ast.MappingValueNode{m}
			}
			for _, mv := range keys {
				if k, ok := yamlfile.Scalar(mv.Key); ok {
					// A mistyped action ("hodl") is reported as such, once.
					if near := typo.Nearest(actionKey(k), actions); near != "" {
						k = near
					}
					kinds[CueKind(actionKey(k))] = true
				}
			}
		}
	}
	return kinds
}

// mentionsSide reports whether any text in the steps, as written, names
// the side, whether or not it is valid otherwise.
func mentionsSide(n ast.Node) bool {
	found := false
	ast.Walk(visitor(func(n ast.Node) {
		if s, ok := yamlfile.Scalar(n); ok && (strings.Contains(s, "{side") || strings.Contains(s, "{other")) {
			found = true
		}
	}), n)
	return found
}

type visitor func(ast.Node)

func (f visitor) Visit(n ast.Node) ast.Visitor {
	f(n)
	return f
}

// unknownAction explains a step whose key is no action: a mistyped action
// gets the action it was meant to be; anything else is most likely a line
// to say whose colon made YAML read it as key: value, which quoting fixes.
func unknownAction(mv *ast.MappingValueNode, key string) string {
	known := strings.Join(actions, ", ")
	if k := actionKey(key); k != key && contains(actions, k) {
		return fmt.Sprintf("unknown action %q: did you mean %q?", key, k)
	}
	if near := typo.Nearest(actionKey(key), actions); near != "" {
		return fmt.Sprintf("unknown action %q: did you mean %q? (known: %s)", key, near, known)
	}
	if val, ok := yamlfile.Scalar(mv.Value); ok {
		return fmt.Sprintf("unknown action %q (known: %s); if this is a line to say, quote it, since YAML reads a colon followed by a space as key: value: - %q", key, known, key+": "+val)
	}
	return fmt.Sprintf("unknown action %q (known: %s)", key, known)
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

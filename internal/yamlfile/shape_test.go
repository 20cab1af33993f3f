package yamlfile

import (
	"strings"
	"testing"
)

func TestShape(t *testing.T) {
	deep := func(open string, n int) string { return "title: " + strings.Repeat(open, n) + "\n" }
	for _, tc := range []struct {
		name, src, want string // want "" for a file that passes
	}{
		{"plain file", "title: T\nexercises:\n  - name: E\n    steps: [Do it., {hold: 5s}]\n", ""},
		{"nested to the bound", deep("[", maxDepth), ""},
		{"nested past the bound", deep("[", maxDepth+1), "1:72: lists or mappings nested more than 64 deep"},
		{"mappings nested", "a: " + strings.Repeat("{a: ", 100), "1:260: lists or mappings nested more than 64 deep"},
		{"half a million brackets", deep("[", 500000), "1:72: lists or mappings nested more than 64 deep"},
		{"brackets in double quotes", "say: \"" + strings.Repeat("[", 100) + "\"\n", ""},
		{"escaped quote keeps the string open", "say: \"a\\\"" + strings.Repeat("[", 100) + "\"\n", ""},
		{"brackets in single quotes", "say: '" + strings.Repeat("[", 100) + "'\n", ""},
		{"doubled single quote", "say: 'it''s " + strings.Repeat("{", 100) + "'\n", ""},
		{"brackets in a comment", "a: 1 # " + strings.Repeat("[", 100) + "\n", ""},
		{"brackets in a block scalar", "d: |\n  " + strings.Repeat("[", 100) + "\n  '\nb: 1\n", ""},
		{"brackets after a block scalar ends", "d: >-\n  'x\nb: " + strings.Repeat("[", 100) + "\n", "3:68: lists or mappings nested more than 64 deep"},
		{"an apostrophe in plain text hides nothing", "t: Let's go\nb: " + strings.Repeat("[", 100), "2:68: lists or mappings nested more than 64 deep"},
		{"a quote inside flow text hides nothing", "k: [a 'b, " + strings.Repeat("[", 100), "1:74: lists or mappings nested more than 64 deep"},
		{"a comment sign after a quote in flow", "k: [ \" #\", " + strings.Repeat("[", 100), "1:75: lists or mappings nested more than 64 deep"},
		{"brackets inside plain text", "say: Lift [gently] now\n", ""},
		{"a flat list too long", "a: [" + strings.Repeat("1,", maxItems+1) + "]\n", "1:40006: more than 20000 lines and items"},
		{"too many lines", strings.Repeat("- x\n", maxItems+1), "20001:1: more than 20000 lines and items"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := shapeError([]byte(tc.src))
			got := ""
			if e != nil {
				got = strings.TrimPrefix(e.Error(), ":") // no file name here
			}
			if tc.want == "" && got != "" || !strings.HasPrefix(got, tc.want) {
				t.Fatalf("shapeError = %q, want %q", got, tc.want)
			}
		})
	}
}

package routines

import (
	"strings"
	"testing"
)

// TestCheckWebURL: one rule for every web address in routines, packs and
// handouts.
func TestCheckWebURL(t *testing.T) {
	for _, tc := range []struct{ url, want string }{
		{"https://example.org/a?b=c#d", ""},
		{"http://example.org/caf%C3%A9", ""},
		{"example.org", "is not an absolute http or https URL"},
		{"javascript:alert(1)", "is not an absolute http or https URL"},
		{"ftp://example.org/", "is not an absolute http or https URL"},
		{"https://example.org/x y", `holds " " at character 22, which a URL must escape`},
		{"https://example.org/café", "which a URL must escape"},
		{"https://example.org/<b>", `holds "<" at character 21`},
		{"https://me:pw@example.org/", "holds a user name or password"},
	} {
		err := CheckWebURL(tc.url)
		if tc.want == "" && err != nil || tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)) {
			t.Errorf("CheckWebURL(%q) = %v, want %q", tc.url, err, tc.want)
		}
	}
}

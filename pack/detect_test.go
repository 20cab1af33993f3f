package pack

import (
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestIsPackFile(t *testing.T) {
	dir := t.TempDir()
	for name, c := range map[string]struct {
		src  string
		want bool
	}{
		"pack":          {"title: P\nepisodes:\n  - routine: lower-back\n", true},
		"routine":       {"title: R\nexercises:\n  - name: Bridge\n", false},
		"both":          {"episodes: []\nexercises: []\n", false},
		"broken":        {"title: [\n", false},
		"two documents": {"episodes: []\n---\nepisodes: []\n", false},
		"a list":        {"- episodes\n", false},
		// 300,000 nested brackets kept the parser busy for minutes and
		// took gigabytes: the shape check refuses them before it.
		"nested deep": {"episodes: " + strings.Repeat("[", 300000) + "\n", false},
	} {
		p := filepath.Join(dir, strings.ReplaceAll(name, " ", "-")+".yaml")
		os.WriteFile(p, []byte(c.src), 0o644)
		if got := IsPackFile(p); got != c.want {
			t.Errorf("%s: IsPackFile = %v", name, got)
		}
	}
	if IsPackFile(filepath.Join(dir, "missing.yaml")) || IsPackFile(dir) {
		t.Error("a missing file or a folder is a pack file")
	}
}

func TestURLs(t *testing.T) {
	if got := URLs(&net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 8080}); len(got) != 1 || got[0] != "http://127.0.0.1:8080/" {
		t.Errorf("loopback: %q", got)
	}
	for _, u := range URLs(&net.TCPAddr{IP: net.IPv4zero, Port: 80}) {
		if !strings.HasPrefix(u, "http://") || !strings.HasSuffix(u, ":80/") || strings.Contains(u, "0.0.0.0") {
			t.Errorf("unspecified address: %q", u)
		}
	}
}

package pack

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"os"
	"path"
	"strings"
	"sync"
	"time"

	"routinecast/internal/safefile"
)

// Handler serves a built pack folder over HTTP. Files are served with byte
// ranges (podcast apps and browsers seek in the MP3s that way) and their
// types; the build's manifest and other dot files are not served. Only
// regular files that resolve inside the folder are served: a symbolic link
// that leads out of it (to /etc/passwd, to "..") is not followed, a FIFO or
// device in it is not opened, and no folder is listed.
//
// feed.xml is served with the pack's published base URL replaced by the
// address the request came to (http://HOST/), so that the enclosures,
// chapters and transcripts it names are fetched from this server: a phone on
// the same network can subscribe to the pack before it is published. The
// file on disk is not changed.
//
// The folder is opened again for each request, so that a server keeps
// serving while 'pack build' replaces the folder with a new build (Build
// swaps a whole new folder into dir's place): each request sees one build,
// the one in place when it came.
func Handler(dir string) (http.Handler, error) {
	m, err := previousBuild(dir)
	if err != nil {
		return nil, err
	}
	if m == nil || m.BaseURL == "" {
		return nil, fmt.Errorf("pack: %s holds no built pack (build one with 'routinecast pack build')", dir)
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, fmt.Errorf("pack: %w", err)
	}
	root.Close()
	return &server{dir: dir, baseURL: m.BaseURL}, nil
}

// FolderHandler serves any folder as Handler serves a pack's (a follow-along
// page's, say), but for feed.xml, which it serves as it is.
func FolderHandler(dir string) (http.Handler, error) {
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, fmt.Errorf("pack: %w", err)
	}
	root.Close()
	return &server{dir: dir, plain: true}, nil
}

// URLs are the base URLs a server listening at a is reached at: its address,
// or for an unspecified one (0.0.0.0, ::) the IPv4 addresses of the
// machine's interfaces.
func URLs(a *net.TCPAddr) []string {
	url := func(ip net.IP) string {
		return "http://" + net.JoinHostPort(ip.String(), fmt.Sprint(a.Port)) + "/"
	}
	if !a.IP.IsUnspecified() {
		return []string{url(a.IP)}
	}
	var out []string
	addrs, _ := net.InterfaceAddrs()
	for _, ad := range addrs {
		if n, ok := ad.(*net.IPNet); ok && n.IP.To4() != nil {
			out = append(out, url(n.IP))
		}
	}
	if len(out) == 0 {
		out = append(out, url(net.IPv4(127, 0, 0, 1)))
	}
	return out
}

type server struct {
	dir   string
	plain bool // not a pack: feed.xml, if any, is served as it is

	mu      sync.Mutex
	baseURL string // of the last build seen, for a build whose manifest is unreadable
}

// swapWait bounds the wait for a folder that is missing because a build is
// being moved into place by two renames (where the file system cannot
// exchange two names at once), which takes well under a millisecond.
const swapWait = 200 * time.Millisecond

// openBuild opens the build now in s.dir.
func (s *server) openBuild() (*os.Root, error) {
	deadline := time.Now().Add(swapWait)
	for {
		root, err := os.OpenRoot(s.dir)
		if err == nil || !errors.Is(err, fs.ErrNotExist) || time.Now().After(deadline) {
			return root, err
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// base returns the published base URL of the build in root, read from its
// manifest; the last one read when it cannot be.
func (s *server) base(root *os.Root) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	f, err := safefile.OpenIn(root, manifestName, maxManifestBytes)
	if err != nil {
		return s.baseURL
	}
	defer f.Close()
	var m manifest
	if err := json.NewDecoder(f).Decode(&m); err == nil && m.BaseURL != "" {
		s.baseURL = m.BaseURL
	}
	return s.baseURL
}

var contentTypes = map[string]string{
	".mp3":  "audio/mpeg",
	".vtt":  "text/vtt; charset=utf-8",
	".json": "application/json",
	".xml":  "application/rss+xml; charset=utf-8",
	".html": "text/html; charset=utf-8",
	".js":   "text/javascript; charset=utf-8", // a service worker is refused under another type
	".pdf":  "application/pdf",
	".png":  "image/png",
	".jpg":  "image/jpeg",
}

func (s *server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	p := path.Clean("/" + r.URL.Path)
	for _, part := range strings.Split(p, "/") {
		if strings.HasPrefix(part, ".") {
			http.NotFound(w, r)
			return
		}
	}
	if ct, ok := contentTypes[strings.ToLower(path.Ext(p))]; ok {
		w.Header().Set("Content-Type", ct)
	}
	name := strings.TrimPrefix(p, "/")
	if name == "" {
		name = "index.html"
		w.Header().Set("Content-Type", contentTypes[".html"])
	}
	root, err := s.openBuild()
	if err != nil {
		http.NotFound(w, r)
		return
	}
	// An open file stays readable when its build is replaced meanwhile.
	defer root.Close()
	f, err := safefile.OpenIn(root, name, 0)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		http.NotFound(w, r)
		return
	}
	if name == "feed.xml" && !s.plain {
		s.feed(w, r, f, st.ModTime(), s.base(root))
		return
	}
	http.ServeContent(w, r, name, st.ModTime(), f)
}

// maxFeedBytes bounds feed.xml, which is read whole to rewrite its URLs.
const maxFeedBytes = 64 << 20

// feed serves feed.xml with its base URL pointing at this server.
func (s *server) feed(w http.ResponseWriter, r *http.Request, f *os.File, mod time.Time, baseURL string) {
	src, err := io.ReadAll(io.LimitReader(f, maxFeedBytes))
	if err != nil {
		http.NotFound(w, r)
		return
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	here := scheme + "://" + r.Host + "/"
	src = bytes.ReplaceAll(src, []byte(xmlEscape(baseURL)), []byte(xmlEscape(here)))
	http.ServeContent(w, r, "feed.xml", mod, bytes.NewReader(src))
}

// xmlEscape escapes s as encoding/xml writes it in text and attributes.
func xmlEscape(s string) string {
	var b strings.Builder
	xml.EscapeText(&b, []byte(s)) // a strings.Builder does not fail
	return b.String()
}

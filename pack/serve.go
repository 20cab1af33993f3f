package pack

import (
	"bytes"
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path"
	"strings"
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
	// The root stays open for the server's life: a handler has no Close,
	// and serve runs until the process ends.
	return &server{root: root, baseURL: m.BaseURL}, nil
}

// FolderHandler serves any folder as Handler serves a pack's (a follow-along
// page's, say), but for feed.xml, which it serves as it is.
func FolderHandler(dir string) (http.Handler, error) {
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, fmt.Errorf("pack: %w", err)
	}
	return &server{root: root}, nil
}

// Serve serves h on ln until ctx ends, then shuts down, giving the requests
// under way 5 seconds to finish.
func Serve(ctx context.Context, h http.Handler, ln net.Listener) error {
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return srv.Shutdown(shut)
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
	root    *os.Root
	baseURL string
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
	f, err := safefile.OpenIn(s.root, name, 0)
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
	if name == "feed.xml" && s.baseURL != "" {
		s.feed(w, r, f, st.ModTime())
		return
	}
	http.ServeContent(w, r, name, st.ModTime(), f)
}

// maxFeedBytes bounds feed.xml, which is read whole to rewrite its URLs.
const maxFeedBytes = 64 << 20

// feed serves feed.xml with its base URL pointing at this server.
func (s *server) feed(w http.ResponseWriter, r *http.Request, f *os.File, mod time.Time) {
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
	src = bytes.ReplaceAll(src, []byte(xmlEscape(s.baseURL)), []byte(xmlEscape(here)))
	http.ServeContent(w, r, "feed.xml", mod, bytes.NewReader(src))
}

// xmlEscape escapes s as encoding/xml writes it in text and attributes.
func xmlEscape(s string) string {
	var b strings.Builder
	xml.EscapeText(&b, []byte(s)) // a strings.Builder does not fail
	return b.String()
}

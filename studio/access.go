package studio

import (
	"crypto/rand"
	"crypto/subtle"
	"fmt"
	"net"
	"net/http"
	"strings"
)

// cookieName is the name of the login cookie. The cookie is set for the
// studio's own host name only, so its name need not be unique.
const cookieName = "routinecast-studio"

// maxLogins bounds the logins kept: each load of the printed URL makes one.
const maxLogins = 16

// Token is the access token of the printed URL.
func (s *Studio) Token() string { return s.token }

// URL is the address to open the studio at, token included, for a server
// listening on addr. On loopback its host is the studio's own name
// (studio-RANDOM.localhost), which browsers resolve to this machine and to
// which they keep the studio's cookie.
func (s *Studio) URL(addr net.Addr) string {
	host := addr.String()
	if IsLoopback(addr) {
		if _, port, err := net.SplitHostPort(host); err == nil {
			host = net.JoinHostPort(s.hostname, port)
		}
	}
	return "http://" + host + "/?token=" + s.token
}

// ServeHTTP checks the host name, the login and the origin, then answers.
func (s *Studio) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("X-Frame-Options", "DENY")
	w.Header().Set("Referrer-Policy", "no-referrer")
	token, login := r.URL.Query().Get("token"), r.Method == http.MethodGet && r.URL.Path == "/"
	if want, ok := s.wantHost(r); ok && !strings.EqualFold(r.Host, want) {
		// Only the holder of the token learns the host name: it is what
		// keeps a page on another port from sending the browser there.
		if login && token != "" && s.validToken(token) && loopbackName(r.Host) {
			http.Redirect(w, r, "http://"+want+r.URL.RequestURI(), http.StatusTemporaryRedirect)
			return
		}
		http.Error(w, "studio: wrong host name: open the URL the studio printed", http.StatusMisdirectedRequest)
		return
	}
	if login && token != "" {
		if !s.validToken(token) {
			http.Error(w, "studio: wrong token: open the URL the studio printed", http.StatusForbidden)
			return
		}
		http.SetCookie(w, &http.Cookie{Name: cookieName, Value: s.newLogin(), Path: "/", HttpOnly: true, SameSite: http.SameSiteStrictMode})
		// The token leaves the address bar.
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return
	}
	c, err := r.Cookie(cookieName)
	if err != nil || !s.loggedIn(c.Value) {
		http.Error(w, "studio: not logged in: open the URL the studio printed (it ends in ?token=...)", http.StatusForbidden)
		return
	}
	if err := s.fromStudio(r); err != nil {
		http.Error(w, err.Error(), http.StatusForbidden)
		return
	}
	s.mux.ServeHTTP(w, r)
}

// wantHost is the Host a request must name: the studio's host name at the
// port the request came in on. A studio listening beyond loopback answers
// to any name (ok is false): it cannot know the names others reach it by.
func (s *Studio) wantHost(r *http.Request) (host string, ok bool) {
	local, _ := r.Context().Value(http.LocalAddrContextKey).(net.Addr)
	if local == nil || !IsLoopback(local) {
		return "", false
	}
	_, port, err := net.SplitHostPort(local.String())
	if err != nil {
		return "", false
	}
	return net.JoinHostPort(s.hostname, port), true
}

// loopbackName reports whether a Host header names this machine by its
// usual names: the address typed by hand rather than the one printed.
func loopbackName(host string) bool {
	h, _, err := net.SplitHostPort(host)
	if err != nil {
		h = host
	}
	if strings.EqualFold(h, "localhost") {
		return true
	}
	ip := net.ParseIP(strings.Trim(h, "[]"))
	return ip != nil && ip.IsLoopback()
}

func (s *Studio) validToken(t string) bool {
	return subtle.ConstantTimeCompare([]byte(t), []byte(s.token)) == 1
}

// newLogin makes a login: a random value for the cookie, unrelated to the
// token, so that a cookie seen is not the token.
func (s *Studio) newLogin() string {
	v := rand.Text()
	s.loginMu.Lock()
	defer s.loginMu.Unlock()
	s.logins = append(s.logins, v)
	if len(s.logins) > maxLogins {
		s.logins = s.logins[len(s.logins)-maxLogins:]
	}
	return v
}

func (s *Studio) loggedIn(v string) bool {
	s.loginMu.Lock()
	defer s.loginMu.Unlock()
	ok := 0
	for _, l := range s.logins {
		ok |= subtle.ConstantTimeCompare([]byte(v), []byte(l))
	}
	return ok == 1
}

func safeMethod(m string) bool {
	return m == http.MethodGet || m == http.MethodHead || m == http.MethodOptions
}

// fromStudio refuses what a browser sends for a page of another origin.
// Writes go through net/http's CrossOriginProtection, and one that names
// no origin at all is refused too: every browser sends Origin or
// Sec-Fetch-Site with a fetch that writes. Reads other than the page
// itself are refused when the browser says another site asked for them,
// so that an <audio> on a page elsewhere cannot play the takes.
func (s *Studio) fromStudio(r *http.Request) error {
	site := r.Header.Get("Sec-Fetch-Site")
	if safeMethod(r.Method) {
		if r.URL.Path != "/" && (site == "cross-site" || site == "same-site") {
			return fmt.Errorf("studio: refused a request from another site (Sec-Fetch-Site: %s)", site)
		}
		return nil
	}
	origin := r.Header.Get("Origin")
	if site == "" && origin == "" {
		return fmt.Errorf("studio: refused a %s request with no Origin: changes must come from the studio's page", r.Method)
	}
	if err := s.cop.Check(r); err != nil {
		from := origin
		if from == "" {
			from = "Sec-Fetch-Site: " + site
		}
		return fmt.Errorf("studio: refused a %s request from another origin (%s): changes must come from the studio's page", r.Method, from)
	}
	return nil
}

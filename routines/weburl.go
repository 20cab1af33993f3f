package routines

import (
	"fmt"
	"net/url"
	"strings"
)

// CheckWebURL tells whether s is a web address routinecast may print,
// link and publish (a routine's source and contact, a pack's addresses, a
// handout's link): an absolute http or https URL, written as a browser
// shows it after copying (RFC 3986 characters only, so that escaping
// leaves it as it is), without a user name or password. The error says
// what is wrong, quoting s.
func CheckWebURL(s string) error {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("%q is not an absolute http or https URL", s)
	}
	if i, ok := needsEscaping(s); ok {
		return fmt.Errorf("%q holds %q at character %d, which a URL must escape; give the URL as a browser shows it after copying (spaces as %%20)", s, s[i:i+1], i+1)
	}
	if u.User != nil {
		return fmt.Errorf("%q holds a user name or password; it would be published", s)
	}
	return nil
}

// needsEscaping returns the byte offset of the first character of a URL that
// may not appear in it unescaped (RFC 3986: unreserved, reserved and
// percent-encoded octets only): spaces, quotes, angle brackets, backslashes,
// non-ASCII letters. Such a URL would change once escaped, so a link or a
// feed's enclosure would not be what the file says.
func needsEscaping(s string) (int, bool) {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case strings.IndexByte("-._~:/?#[]@!$&'()*+,;=", c) >= 0:
		case c == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]):
		default:
			return i, true
		}
	}
	return 0, false
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

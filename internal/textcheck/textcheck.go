// Package textcheck decides which characters may come from a routine, pack
// or voice file. Text from those files reaches terminals (show, error
// messages), speech engines' argument lists, XML feeds and web pages, so
// characters that control a terminal, end a C string, reorder what is shown
// (bidi controls, the "Trojan source" trick) or cannot be written in XML are
// refused where the file is read, with their place.
//
// It also reads sentences the same way in every language (see [Continues]
// and [Capitalize]): a sentence may open with ¿, ¡ or a quotation mark
// before its first letter.
package textcheck

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Describe returns what r is when it may not appear in text, and false when
// it may. Tab and newline are allowed: the loaders fold them into spaces
// where a field is one line.
func Describe(r rune) (string, bool) {
	switch {
	case r == '\t' || r == '\n':
		return "", false
	case r == 0:
		return "NUL (U+0000)", true
	case r == 0x1b:
		return "ESC (U+001B), which starts terminal escape sequences", true
	case r == '\r':
		return "carriage return (U+000D)", true
	case r < 0x20:
		return fmt.Sprintf("control character U+%04X", r), true
	case r == 0x7f:
		return "DEL (U+007F)", true
	case r >= 0x80 && r <= 0x9f:
		return fmt.Sprintf("C1 control character U+%04X", r), true
	case r == 0x061c || r == 0x200e || r == 0x200f || (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069):
		return fmt.Sprintf("bidirectional control U+%04X, which reorders how text is shown", r), true
	case r == 0xfffd:
		return "U+FFFD, the replacement character left by a broken encoding", true
	case r == 0xfffe || r == 0xffff:
		return fmt.Sprintf("non-character U+%04X", r), true
	}
	return "", false
}

// Check returns an error naming the first character of s that may not
// appear in text, and where it is (counting characters from 1), or nil.
// Invalid UTF-8 is an error too.
func Check(s string) error {
	n := 0
	for i, r := range s {
		n++
		if r == utf8.RuneError {
			if _, size := utf8.DecodeRuneInString(s[i:]); size == 1 {
				return fmt.Errorf("invalid UTF-8 at character %d", n)
			}
		}
		if what, bad := Describe(r); bad {
			return fmt.Errorf("%s at character %d", what, n)
		}
	}
	return nil
}

// Speakable reports whether s holds something a voice can say: a letter or
// a digit. A line of punctuation, symbols or zero-width characters only
// would render as silence.
func Speakable(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return true
		}
	}
	return false
}

// Finding is a character refused in a file's source, at a 1-based line and
// column (in characters).
type Finding struct {
	Line, Col int
	What      string
}

// Binary reports whether src looks like a binary file rather than text:
// invalid UTF-8 or a NUL byte anywhere. It returns the place of the first
// such byte.
func Binary(src []byte) (Finding, bool) {
	line, col := 1, 1
	for i := 0; i < len(src); {
		r, size := utf8.DecodeRune(src[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			return Finding{line, col, "invalid UTF-8"}, true
		case r == 0:
			return Finding{line, col, "a NUL byte"}, true
		}
		col++
		if r == '\n' {
			line, col = line+1, 1
		}
		i += size
	}
	return Finding{}, false
}

// Scan returns every refused character in a text file's source, in order,
// up to limit of them. A carriage return before a newline (a CRLF file) is
// allowed; a byte order mark at the start is skipped.
func Scan(src []byte, limit int) []Finding {
	var out []Finding
	line, col := 1, 1
	for i := 0; i < len(src) && len(out) < limit; {
		r, size := utf8.DecodeRune(src[i:])
		if i == 0 && r == 0xfeff {
			i += size
			continue
		}
		crlf := r == '\r' && i+1 < len(src) && src[i+1] == '\n'
		if r == utf8.RuneError && size == 1 {
			out = append(out, Finding{line, col, "invalid UTF-8"})
		} else if what, bad := Describe(r); bad && !crlf {
			out = append(out, Finding{line, col, what})
		}
		col++
		if r == '\n' {
			line, col = line+1, 1
		}
		i += size
	}
	return out
}

// Blank returns src with every character that Scan refuses replaced by one
// space, so that a parser can still read the rest, at the same lines and
// columns, without any such character reaching its messages.
func Blank(src []byte) []byte {
	out := make([]byte, 0, len(src))
	for i := 0; i < len(src); {
		r, size := utf8.DecodeRune(src[i:])
		crlf := r == '\r' && i+1 < len(src) && src[i+1] == '\n'
		_, bad := Describe(r)
		switch {
		case i == 0 && r == 0xfeff:
			out = append(out, src[:size]...)
		case r == utf8.RuneError && size == 1, bad && !crlf:
			out = append(out, ' ')
		default:
			out = append(out, src[i:i+size]...)
		}
		i += size
	}
	return out
}

// openers are what may come before a sentence's first letter: Spanish ¿ and
// ¡, quotation marks of every language, an opening bracket.
const openers = "¿¡«‹\"“„‘'‚(["

// closers are what may end a sentence, or close one: full stops and their
// kin, and the marks that close a quotation or a bracket after them.
const closers = ".!?…:;)]\"'»›”’“"

// SkipOpeners returns s past the opening marks (¿, ¡, quotation marks,
// brackets) and spaces that may come before a sentence's first letter.
func SkipOpeners(s string) string {
	return strings.TrimLeftFunc(s, func(r rune) bool { return unicode.IsSpace(r) || strings.ContainsRune(openers, r) })
}

// FirstLetter returns the index in s of the first letter of its first
// sentence, past any opening marks, or -1 when something else comes first.
func FirstLetter(s string) int {
	rest := SkipOpeners(s)
	if r, _ := utf8.DecodeRuneInString(rest); !unicode.IsLetter(r) {
		return -1
	}
	return len(s) - len(rest)
}

// Continues reports whether cur reads as the rest of a sentence prev left
// unfinished: prev ends in no closing mark, and cur's first letter, past
// any opening marks, is lower case. It holds in every language whose
// sentences start with a capital: Spanish "¿notas…?" continues, German
// nouns, capitalised anywhere, never do (the check then stays silent rather
// than wrong).
func Continues(prev, cur string) bool {
	prev = strings.TrimRightFunc(prev, unicode.IsSpace)
	last, _ := utf8.DecodeLastRuneInString(prev)
	if prev == "" || strings.ContainsRune(closers, last) {
		return false
	}
	i := FirstLetter(cur)
	if i < 0 {
		return false
	}
	r, _ := utf8.DecodeRuneInString(cur[i:])
	return unicode.IsLower(r)
}

// Capitalize gives s's first letter a capital, past any opening marks:
// "¿izquierda?" becomes "¿Izquierda?".
func Capitalize(s string) string {
	i := FirstLetter(s)
	if i < 0 {
		return s
	}
	r, n := utf8.DecodeRuneInString(s[i:])
	return s[:i] + string(unicode.ToUpper(r)) + s[i+n:]
}

package narration

import (
	"crypto/sha256"
	"encoding/hex"
	"path"
	"strings"
	"unicode"
)

// Normalize returns the form of a line that its clip key is computed from, so
// that changes a listener cannot hear do not ask for a new clip. It:
//
//  1. lower-cases every letter (unicode.ToLower);
//  2. drops apostrophes (' and ’), so "don't" and "dont" are one line;
//  3. turns every other run of characters that are neither letters nor
//     digits (spaces, punctuation, symbols) into a single space;
//  4. trims spaces at both ends.
//
// So "Breathe in." and "  breathe IN!" normalize to "breathe in". Text is
// compared code point by code point after that: a composed "é" and an "e"
// followed by a combining accent are different lines.
func Normalize(text string) string {
	var b strings.Builder
	space := false
	for _, r := range text {
		switch {
		case r == '\'' || r == '’':
			continue
		case unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r):
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(unicode.ToLower(r))
		default:
			space = true
		}
	}
	return b.String()
}

// keyLen is the number of hex digits of a key: 64 bits, so that a collision
// among the few thousand lines of a voice is out of reach.
const keyLen = 16

// Key returns the clip key of a line for a voice identity (see
// [Manifest.Identity]): the first 16 hex digits of the SHA-256 of the
// identity and the normalized text. Rewording a line changes its key, so
// only that line needs a new clip; changing how a voice is made changes
// every key.
func Key(text, identity string) string {
	h := sha256.New()
	h.Write([]byte("routinecast clip v1\x00"))
	h.Write([]byte(identity))
	h.Write([]byte{0})
	h.Write([]byte(Normalize(text)))
	return hex.EncodeToString(h.Sum(nil))[:keyLen]
}

// slugLen bounds the readable part of a clip's file name.
const slugLen = 40

// slug is a short readable form of text for file names: ASCII letters and
// digits of the normalized text, words joined by hyphens, cut at a word
// boundary.
// latinFold spells the accented letters of the languages routinecast has
// phrasebooks for in ASCII, so that a clip's name stays readable:
// "túmbate" is tumbate, not tmbate.
var latinFold = strings.NewReplacer(
	"á", "a", "à", "a", "â", "a", "ä", "a", "ã", "a", "é", "e", "è", "e", "ê", "e", "ë", "e",
	"í", "i", "ì", "i", "î", "i", "ï", "i", "ó", "o", "ò", "o", "ô", "o", "ö", "o", "õ", "o",
	"ú", "u", "ù", "u", "û", "u", "ü", "u", "ñ", "n", "ç", "c", "ß", "ss", "œ", "oe", "æ", "ae", "ÿ", "y")

func slug(text string) string {
	var words []string
	n := 0
	for _, w := range strings.Fields(Normalize(text)) {
		var b strings.Builder
		for _, r := range latinFold.Replace(w) {
			if r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
				b.WriteRune(r)
			}
		}
		if b.Len() == 0 {
			continue
		}
		if n > 0 && n+1+b.Len() > slugLen {
			break
		}
		if n == 0 && b.Len() > slugLen {
			words = append(words, b.String()[:slugLen])
			break
		}
		words = append(words, b.String())
		n += b.Len() + 1
	}
	return strings.Join(words, "-")
}

// clipBase is the file name of a clip without its extension: a readable slug
// of the text, a hyphen, and the key. Only the key matters when clips are
// looked up, so a file may be renamed as long as it ends in "-KEY.ext".
func clipBase(text, identity string) string {
	k := Key(text, identity)
	if s := slug(text); s != "" {
		return s + "-" + k
	}
	return k
}

// clipExts are the file extensions a clip may have.
var clipExts = []string{".wav", ".flac", ".mp3"}

// keyOf returns the key in a clip's file name ("...-KEY.ext" or "KEY.ext"),
// and false for names that are not clips.
func keyOf(name string) (string, bool) {
	ext := strings.ToLower(path.Ext(name))
	ok := false
	for _, e := range clipExts {
		ok = ok || e == ext
	}
	if !ok {
		return "", false
	}
	base := name[:len(name)-len(ext)]
	if len(base) < keyLen {
		return "", false
	}
	k := base[len(base)-keyLen:]
	if len(base) > keyLen && base[len(base)-keyLen-1] != '-' {
		return "", false
	}
	for _, r := range k {
		if !('0' <= r && r <= '9' || 'a' <= r && r <= 'f') {
			return "", false
		}
	}
	return k, true
}

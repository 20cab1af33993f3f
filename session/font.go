package session

import "strings"

// glyphs draws the characters of a countdown in five rows. Digits are three
// columns wide, so that "10" to "99" fit a 40-column terminal beside a label.
var glyphs = map[rune][5]string{
	'0': {"███", "█ █", "█ █", "█ █", "███"},
	'1': {" ██", "  █", "  █", "  █", "  █"},
	'2': {"███", "  █", "███", "█  ", "███"},
	'3': {"███", "  █", "███", "  █", "███"},
	'4': {"█ █", "█ █", "███", "  █", "  █"},
	'5': {"███", "█  ", "███", "  █", "███"},
	'6': {"███", "█  ", "███", "█ █", "███"},
	'7': {"███", "  █", "  █", "  █", "  █"},
	'8': {"███", "█ █", "███", "█ █", "███"},
	'9': {"███", "█ █", "███", "  █", "███"},
	':': {" ", "█", " ", "█", " "},
	'I': {"███", " █ ", " █ ", " █ ", "███"},
	'N': {"█  █", "██ █", "█ ██", "█  █", "█  █"},
	'O': {"███", "█ █", "█ █", "█ █", "███"},
	'U': {"█ █", "█ █", "█ █", "█ █", "███"},
	'T': {"███", " █ ", " █ ", " █ ", " █ "},
	' ': {" ", " ", " ", " ", " "},
}

// big draws s in large glyphs (the countdown's, else the letters'), one
// column between them; characters without a glyph are left out.
func big(s string) [5]string {
	var rows [5]string
	first := true
	for _, c := range unaccented(s) {
		g, ok := glyphs[c]
		if !ok {
			g, ok = letters[c]
		}
		if !ok {
			continue
		}
		for r := range rows {
			if !first {
				rows[r] += " "
			}
			rows[r] += g[r]
		}
		first = false
	}
	return rows
}

// letters are the pixels of the large lines' characters (the exercise's
// name, the side and repetition), five high, drawn by bigLine in three rows
// of half blocks so that a name fits beside the countdown's height.
var letters = map[rune][5]string{
	'A': {" █ ", "█ █", "███", "█ █", "█ █"}, 'B': {"██ ", "█ █", "██ ", "█ █", "██ "},
	'C': {"███", "█  ", "█  ", "█  ", "███"}, 'D': {"██ ", "█ █", "█ █", "█ █", "██ "},
	'E': {"███", "█  ", "██ ", "█  ", "███"}, 'F': {"███", "█  ", "██ ", "█  ", "█  "},
	'G': {"███", "█  ", "█ █", "█ █", "███"}, 'H': {"█ █", "█ █", "███", "█ █", "█ █"},
	'I': {"███", " █ ", " █ ", " █ ", "███"}, 'J': {"  █", "  █", "  █", "█ █", "███"},
	'K': {"█ █", "█ █", "██ ", "█ █", "█ █"}, 'L': {"█  ", "█  ", "█  ", "█  ", "███"},
	'M': {"█   █", "██ ██", "█ █ █", "█   █", "█   █"}, 'N': {"█  █", "██ █", "█ ██", "█  █", "█  █"},
	'O': {"███", "█ █", "█ █", "█ █", "███"}, 'P': {"███", "█ █", "███", "█  ", "█  "},
	'Q': {"███", "█ █", "█ █", "███", "  █"}, 'R': {"██ ", "█ █", "██ ", "█ █", "█ █"},
	'S': {"███", "█  ", "███", "  █", "███"}, 'T': {"███", " █ ", " █ ", " █ ", " █ "},
	'U': {"█ █", "█ █", "█ █", "█ █", "███"}, 'V': {"█ █", "█ █", "█ █", "█ █", " █ "},
	'W': {"█   █", "█   █", "█ █ █", "██ ██", "█   █"}, 'X': {"█ █", "█ █", " █ ", "█ █", "█ █"},
	'Y': {"█ █", "█ █", " █ ", " █ ", " █ "}, 'Z': {"███", "  █", " █ ", "█  ", "███"},
	'-': {"   ", "   ", "███", "   ", "   "}, '\'': {"█", "█", " ", " ", " "},
	'/': {"  █", "  █", " █ ", "█  ", "█  "}, '·': {" ", " ", "█", " ", " "},
	'.': {" ", " ", " ", " ", "█"}, ' ': {" ", " ", " ", " ", " "},
}

// bigLine draws s (upper case) in three rows of half blocks, one column
// between characters; ok is false when a character has no glyph.
func bigLine(s string) (rows [3]string, ok bool) {
	half := map[[2]bool]string{{true, true}: "█", {true, false}: "▀", {false, true}: "▄", {false, false}: " "}
	first := true
	for _, c := range unaccented(s) {
		g, found := letters[c]
		if !found {
			d, digit := glyphs[c]
			if !digit || c == ' ' || c > '9' {
				return rows, false
			}
			g = d
		}
		for r := range rows {
			if !first {
				rows[r] += " "
			}
			top, bottom := []rune(g[2*r]), []rune("")
			if 2*r+1 < len(g) {
				bottom = []rune(g[2*r+1])
			}
			for i := range top {
				rows[r] += half[[2]bool{top[i] == '█', i < len(bottom) && bottom[i] == '█'}]
			}
		}
		first = false
	}
	return rows, true
}

// folds are the capitals the large font draws as the letters they are
// built on: five rows leave no room above a capital for its accent, and a
// name without its accents reads better large than small. The small rows
// keep every accent.
var folds = map[rune]string{
	'Á': "A", 'À': "A", 'Â': "A", 'Ä': "A", 'Ã': "A", 'Å': "A", 'Æ': "AE",
	'Ç': "C", 'É': "E", 'È': "E", 'Ê': "E", 'Ë': "E",
	'Í': "I", 'Ì': "I", 'Î': "I", 'Ï': "I", 'Ñ': "N",
	'Ó': "O", 'Ò': "O", 'Ô': "O", 'Ö': "O", 'Õ': "O", 'Œ': "OE",
	'Ú': "U", 'Ù': "U", 'Û': "U", 'Ü': "U", 'Ý': "Y", 'Ÿ': "Y",
	'ß': "SS", 'ẞ': "SS", 'º': "O",
}

// unaccented is s with the large font's folds.
func unaccented(s string) string {
	if !strings.ContainsFunc(s, func(r rune) bool { return r > 0x7f }) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if f, ok := folds[r]; ok {
			b.WriteString(f)
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}

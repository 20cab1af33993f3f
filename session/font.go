package session

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

// big draws s in large glyphs, one column between them; characters without
// a glyph are left out.
func big(s string) [5]string {
	var rows [5]string
	first := true
	for _, c := range s {
		g, ok := glyphs[c]
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
	for _, c := range s {
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

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

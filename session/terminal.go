package session

import (
	"encoding/binary"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// cursorAddressing reports whether the terminal named term (the TERM
// variable) can move its cursor to any cell, which the full screen needs.
// TERM unset or "dumb" (Emacs' shell, some CI logs) cannot; any other terminal
// can unless its terminfo entry says otherwise. A terminal with no entry on
// this system is taken to be the ANSI terminal nearly every one is.
func cursorAddressing(term string) bool {
	if term == "" || term == "dumb" {
		return false
	}
	b, err := readTerminfo(term)
	if err != nil {
		return true
	}
	has, err := hasCursorAddress(b)
	return err != nil || has
}

// maxTerminfo bounds a compiled terminfo entry; real ones are a few KiB.
const maxTerminfo = 1 << 16

// readTerminfo reads the compiled terminfo entry of term from where ncurses
// looks for it.
func readTerminfo(term string) ([]byte, error) {
	if strings.ContainsAny(term, "/\\") || strings.HasPrefix(term, ".") {
		return nil, fmt.Errorf("session: odd terminal name %q", term)
	}
	var dirs []string
	if d := os.Getenv("TERMINFO"); d != "" {
		dirs = append(dirs, d)
	}
	if h, err := os.UserHomeDir(); err == nil {
		dirs = append(dirs, filepath.Join(h, ".terminfo"))
	}
	system := []string{"/etc/terminfo", "/lib/terminfo", "/usr/share/terminfo", "/usr/lib/terminfo"}
	if list, ok := os.LookupEnv("TERMINFO_DIRS"); ok {
		for _, d := range strings.Split(list, ":") {
			if d == "" {
				dirs = append(dirs, system...) // an empty entry means the defaults
			} else {
				dirs = append(dirs, d)
			}
		}
	} else {
		dirs = append(dirs, system...)
	}
	for _, d := range dirs {
		// ncurses files entries under their first letter; macOS under its
		// code in hex.
		for _, sub := range []string{term[:1], fmt.Sprintf("%x", term[0])} {
			f, err := os.Open(filepath.Join(d, sub, term))
			if err != nil {
				continue
			}
			b, err := io.ReadAll(io.LimitReader(f, maxTerminfo))
			f.Close()
			if err == nil {
				return b, nil
			}
		}
	}
	return nil, fmt.Errorf("session: no terminfo entry for %q", term)
}

// cursorAddressIndex is the place of cursor_address (cup) among a terminfo
// entry's string capabilities (term(5)).
const cursorAddressIndex = 10

// hasCursorAddress reads a compiled terminfo entry (term(5): the legacy
// format, or the one with 32-bit numbers) and reports whether it defines
// cursor_address.
func hasCursorAddress(b []byte) (bool, error) {
	const header = 12
	if len(b) < header {
		return false, fmt.Errorf("session: terminfo entry of %d bytes", len(b))
	}
	short := func(i int) int { return int(int16(binary.LittleEndian.Uint16(b[i:]))) }
	numSize := 2
	switch short(0) {
	case 0o432:
	case 0o1036:
		numSize = 4
	default:
		return false, fmt.Errorf("session: not a compiled terminfo entry (magic %#o)", short(0))
	}
	names, bools, nums, strs := short(2), short(4), short(6), short(8)
	if names < 0 || bools < 0 || nums < 0 || strs < 0 {
		return false, fmt.Errorf("session: bad terminfo header")
	}
	if strs <= cursorAddressIndex {
		return false, nil
	}
	off := header + names + bools
	off += off % 2 // numbers start on an even byte
	off += nums*numSize + cursorAddressIndex*2
	if off+2 > len(b) {
		return false, fmt.Errorf("session: terminfo entry cut short")
	}
	// -1 is absent, -2 cancelled; anything else points into the string table.
	return short(off) >= 0, nil
}

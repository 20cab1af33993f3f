package session

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"routinecast/internal/testtool"
)

// TestCursorAddressing compiles terminfo entries with ncurses' tic, one that
// can address its cursor and one that cannot (a glass teletype), each in the
// legacy format and in the one with 32-bit numbers, and reads them as the
// session does.
func TestCursorAddressing(t *testing.T) {
	tic := testtool.Require(t, "tic")
	for _, format := range []struct {
		name  string
		pairs int
		magic int
	}{{"legacy", 64, 0o432}, {"32-bit numbers", 65536, 0o1036}} {
		t.Run(format.name, func(t *testing.T) {
			dir := t.TempDir()
			// A number that does not fit 16 bits makes tic write the
			// format with 32-bit numbers.
			src := testtool.WriteFile(t, filepath.Join(t.TempDir(), "test.ti"), fmt.Sprintf(`rctest-addressable|a terminal that can move its cursor,
	am, cols#80, lines#24, colors#256, pairs#%d,
	bel=^G, clear=\E[H\E[2J, cr=\r, cub1=^H, cud1=\n,
	cup=\E[%%i%%p1%%d;%%p2%%dH, el=\E[K, home=\E[H, smcup=\E[?1049h, rmcup=\E[?1049l,
rctest-glass|a terminal that prints lines and nothing else,
	am, cols#80, pairs#%d,
	bel=^G, cr=\r, cud1=\n, ind=\n,
`, format.pairs, format.pairs))
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			if out, err := exec.CommandContext(ctx, tic, "-o", dir, src).CombinedOutput(); err != nil {
				t.Fatalf("tic: %v: %s", err, out)
			}
			t.Setenv("TERMINFO", dir)
			t.Setenv("TERMINFO_DIRS", "")
			for _, term := range []string{"rctest-addressable", "rctest-glass"} {
				b, err := readTerminfo(term)
				if err != nil {
					t.Fatal(err)
				}
				if magic := int(b[0]) | int(b[1])<<8; magic != format.magic {
					t.Errorf("%s: tic wrote magic %#o, want %#o", term, magic, format.magic)
				}
			}
			for term, want := range map[string]bool{
				"rctest-addressable": true,
				"rctest-glass":       false,
				"dumb":               false,
				"":                   false,
				"rctest-unknown":     true, // no entry: an ANSI terminal, as nearly all are
				"../rctest-glass":    true, // not a name to look up
			} {
				if got := cursorAddressing(term); got != want {
					t.Errorf("TERM=%q: cursor addressing %v, want %v", term, got, want)
				}
			}
		})
	}
}

// TestCursorAddressingSystem reads the entries the system has for two
// common terminals, when it has them.
func TestCursorAddressingSystem(t *testing.T) {
	for term, want := range map[string]bool{"vt100": true, "xterm-256color": true, "linux": true} {
		b, err := readTerminfo(term)
		if err != nil {
			t.Logf("%s: %v", term, err)
			continue
		}
		if got, err := hasCursorAddress(b); err != nil || got != want {
			t.Errorf("%s: cursor addressing %v (%v), want %v", term, got, err, want)
		}
	}
	if _, err := os.Stat("/lib/terminfo/d/dumb"); err == nil {
		b, _ := os.ReadFile("/lib/terminfo/d/dumb")
		if got, err := hasCursorAddress(b); err != nil || got {
			t.Errorf("the system's dumb entry: cursor addressing %v (%v), want false", got, err)
		}
	}
}

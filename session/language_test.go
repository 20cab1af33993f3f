package session

import (
	"fmt"
	"strings"
	"testing"

	"charm.land/lipgloss/v2"

	"routinecast/internal/testtool/routinetest"
	"routinecast/mixer"
	"routinecast/mixer/mixertest"
	"routinecast/routines"
)

// englishOnScreen are the screen's own English words.
var englishOnScreen = []string{"Exercise", "Chapter", "SIDE", "HOLD", "REST", "BREATHE", "GET READY", "rep ", "set ", "breath ",
	"left in", " left", "Next:", "space", "quit", "restart", "PAUSED", "chapter "}

// TestScreenInSpanish renders lower-back-es at a hold on a side, a rest, a
// breath and paused, large and small: every word of the screen is
// Spanish, the exercise's name (with its accent) is drawn in the large
// font, and nothing spills out of the terminal.
func TestScreenInSpanish(t *testing.T) {
	tl, err := mixer.Compile(routinetest.Script(t, "lower-back-es", routines.Standard), &mixertest.Clips{}, mixer.Options{})
	if err != nil {
		t.Fatal(err)
	}
	sec := int(tl.SampleRate)
	es := routines.LabelsFor("es")
	st := noColor()
	hold := find(t, tl, mixer.Hold, 1, inExercise("Rotación de tronco tumbado"))
	rest := find(t, tl, mixer.Rest, 0, inExercise("Rotación de tronco tumbado"))
	inhale := find(t, tl, mixer.BreatheIn, 2, func(w mixer.Where) bool { return w.ChapterTitle == "Respiración profunda" })
	setBreak := find(t, tl, mixer.Rest, 0, func(w mixer.Where) bool { return w.Place.Name == "Marcha sentado" && w.Place.Rep == 0 })
	next := tl.Where(rest.Start + sec/2).Next.Place
	sets := tl.Where(setBreak.Start).Place
	for _, c := range []struct {
		name          string
		pos           int
		width, height int
		paused        bool
		want          []string
	}{
		{"hold-100x30", hold.Start + 3*sec, 100, 30, false, []string{"Ejercicio 1 de 9", " DERECHA ", "repetición 1 de 4", "MANTÉN", "de 8 s",
			"de este ejercicio", "quedan ", "capítulo 3/12", "espacio pausa · ←/p reiniciar (dos veces: atrás) · →/n siguiente · +/- volumen · q salir"}},
		{"hold-40x12", hold.Start + 3*sec, 40, 12, false, []string{" DERECHA ", "repetición 1 de 4", "MANTÉN"}},
		{"rest-80x24", rest.Start + sec/2, 80, 24, false, []string{"DESCANSA", fmt.Sprintf("A continuación: %s, repetición %d de %d", next.Side, next.Rep, next.Reps)}},
		{"breath-80x24", inhale.Start + sec, 80, 24, false, []string{"RESPIRA", "respiración 3 de 6"}},
		{"set-break-80x24", setBreak.Start + 5*sec, 80, 24, false, []string{"DESCANSO ENTRE SERIES", fmt.Sprintf("serie %d de %d", sets.Set, sets.Sets), fmt.Sprintf("A continuación: serie %d de %d", sets.Set+1, sets.Sets)}},
		{"paused-80x24", hold.Start + 3*sec, 80, 24, true, []string{"EN PAUSA · pulsa espacio para seguir", "espacio seguir"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			f := frame{Title: "Estiramientos para la zona lumbar (estándar)", Where: tl.Where(c.pos), Paused: c.paused, Volume: 1, Words: es}
			got := screen(st, f, c.width, c.height)
			checkSize(t, got, c.width, c.height)
			flat := strings.Join(strings.Fields(got), " ")
			for _, w := range c.want {
				if !strings.Contains(got, w) && !strings.Contains(flat, strings.Join(strings.Fields(w), " ")) {
					t.Errorf("the screen does not say %q:\n%s", w, got)
				}
			}
			for _, e := range englishOnScreen {
				if strings.Contains(got, e) {
					t.Errorf("the screen says the English %q:\n%s", e, got)
				}
			}
			if c.width >= 100 && !showsName(got, f.Where.Place.Name, c.width-2) {
				t.Errorf("the exercise's name is not on the screen:\n%s", got)
			}
		})
	}
	// The name with its accent is drawn large, as its letters without it.
	name := strings.ToUpper("Rotación de tronco tumbado")
	rows := bigRows(name, 98, 2)
	if rows == nil {
		t.Fatalf("%q is not drawn large", name)
	}
	if want := bigRows("ROTACION DE TRONCO TUMBADO", 98, 2); fmt.Sprint(rows) != fmt.Sprint(want) {
		t.Errorf("%q is drawn\n%s\nwant\n%s", name, strings.Join(rows, "\n"), strings.Join(want, "\n"))
	}
	f := frame{Title: "T", Where: tl.Where(hold.Start + 3*sec), Volume: 1, Words: es}
	if got := screen(st, f, 100, 30); !strings.Contains(got, rows[0]) {
		t.Errorf("the screen does not draw the name large:\n%s", got)
	}
}

// TestBigLettersAccented: every accented capital of the phrasebooks'
// languages has a large glyph (its letter's), in both large fonts, and
// a breath's words are drawn whole beside the digits.
func TestBigLettersAccented(t *testing.T) {
	accented, plain := "ÁÉÍÓÚÑÜÄÖÀÈÌÒÙÇÂÊÎÔÛËÏŒ", "AEIOUNUAOAEIOUCAEIOUEIOE"
	got, ok := bigLine(accented)
	want, _ := bigLine(plain)
	if !ok || got != want {
		t.Errorf("bigLine(%q) = %v, %q; want %q", accented, ok, got, want)
	}
	if got, want := big("ÉÑ"), big("EN"); got != want || strings.TrimSpace(got[0]) == "" {
		t.Errorf("big(ÉÑ) = %q, want %q", got, want)
	}
	if _, ok := bigLine("STRASSE"); !ok {
		t.Fatal("no large S, T, R, A or E")
	}
	if got, want := big("STRAßE"), big("STRASSE"); got != want {
		t.Errorf("ß is not drawn as SS")
	}
	for _, lang := range routines.Languages() {
		l := routines.LabelsFor(lang)
		for _, key := range []string{"big_in", "big_out"} {
			word := l.Label(key) + " 8"
			rows := big(word)
			// Every character drawn: as wide as the glyphs of its letters.
			n := 0
			for _, r := range unaccented(word) {
				g, ok := glyphs[r]
				if !ok {
					g, ok = letters[r]
				}
				if !ok {
					t.Errorf("%s: %q has no large glyph for %q", lang, word, r)
				}
				n += lipgloss.Width(g[0]) + 1
			}
			if w := lipgloss.Width(rows[0]); w != n-1 {
				t.Errorf("%s: %q is drawn %d columns wide, want %d", lang, word, w, n-1)
			}
		}
	}
}

package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"routinecast/internal/testtool"
	"routinecast/routines"
)

// runBare runs the program in dir with nothing installed: no PATH, and an
// empty home and cache, as on a machine that has only routinecast.
func runBare(t *testing.T, dir string, timeout time.Duration, args ...string) run {
	t.Helper()
	home := filepath.Join(dir, "home")
	if err := os.MkdirAll(home, 0o755); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, binary, args...)
	cmd.Dir = dir
	cmd.Env = []string{"PATH=/nonexistent", "HOME=" + home, "XDG_CACHE_HOME=", "TMPDIR=" + dir}
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	r := run{stdout: out.String(), stderr: errb.String()}
	if ctx.Err() != nil {
		t.Fatalf("routinecast %v did not finish in %v", args, timeout)
	}
	if ee, ok := err.(*exec.ExitError); ok {
		r.code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return r
}

// wordsIn reports whether phrase occurs in text as whole words.
func wordsIn(text, phrase string) bool {
	return regexp.MustCompile(`(?i)(^|[^\pL])` + regexp.QuoteMeta(phrase) + `([^\pL]|$)`).MatchString(text)
}

// TestSpanishRoutineWithNothingInstalled: the Spanish lower-back routine
// exports with nothing installed, voiced by the built-in Spanish voice; its
// transcript is Spanish, numbers and the program's own phrases included, with
// none of the English phrasebook's; its handout keeps the accents.
func TestSpanishRoutineWithNothingInstalled(t *testing.T) {
	if testing.Short() {
		t.Skip("renders a whole routine's lines with Pico: not with -short")
	}
	dir := t.TempDir()
	r := runBare(t, dir, 8*time.Minute, "export", "lower-back-es", "--level", "gentle", "-o", "es.mp3", "--transcript", "es.vtt")
	if r.code != 0 {
		t.Fatalf("export exited %d: %s", r.code, r.stderr)
	}
	if !strings.Contains(r.stderr+r.stdout, "pico-es-ES") {
		t.Errorf("the export does not say it used Pico's Spanish voice:\n%s", r.stderr)
	}
	if st, err := os.Stat(filepath.Join(dir, "es.mp3")); err != nil || st.Size() < 100_000 {
		t.Fatalf("es.mp3: %v", err)
	}
	vtt, err := os.ReadFile(filepath.Join(dir, "es.vtt"))
	if err != nil {
		t.Fatal(err)
	}
	text := string(vtt)
	for _, want := range []string{"uno", "dos", "tres", "Serie uno de tres.", "Serie dos de tres.", "Cambia de lado.",
		"La última.", "Muy bien.", "Ahora: Puente.", "cuatro segundos", "izquierda", "derecha"} {
		if !strings.Contains(text, want) {
			t.Errorf("the transcript does not say %q", want)
		}
	}
	en, err := routines.PhrasebookFor("en")
	if err != nil {
		t.Fatal(err)
	}
	english := []string{}
	for _, k := range routines.PhraseKeys() {
		english = append(english, strings.TrimSuffix(en.Phrase(k, map[string]string{"exercise": "", "set": "", "sets": ""}), "."))
	}
	for n := 1; n <= 10; n++ {
		english = append(english, en.Number(n))
	}
	for _, p := range english {
		p = strings.TrimSpace(strings.Trim(p, ": "))
		if p != "" && wordsIn(text, p) {
			t.Errorf("the transcript says the English %q", p)
		}
	}

	pdftotext := testtool.Require(t, "pdftotext")
	r = runBare(t, dir, 5*time.Minute, "handout", "lower-back-es", "--level", "gentle", "-o", "es.pdf")
	if r.code != 0 {
		t.Fatalf("handout exited %d: %s", r.code, r.stderr)
	}
	pdf := string(testtool.Output(t, pdftotext, "-enc", "UTF-8", filepath.Join(dir, "es.pdf"), "-"))
	for _, want := range []string{"Rotación", "Túmbate", "músculos", "Mantén", "Postura del niño", "Inclinación", "caída", "vómitos", "señales", "Extensión", "doler más"} {
		if !strings.Contains(pdf, want) {
			t.Errorf("the handout's text does not hold %q", want)
		}
	}
}

// TestEveryLanguageWithNothingInstalled: a routine in German, French or
// Italian validates, shows its generated phrases in its language, and
// exports with nothing installed.
func TestEveryLanguageWithNothingInstalled(t *testing.T) {
	if testing.Short() {
		t.Skip("renders with Pico in three languages: not with -short")
	}
	for _, c := range []struct {
		lang, setup, step string
		want              []string
	}{
		{"de", "Setz dich aufrecht auf einen Stuhl, den Rücken gerade.", "\"Jetzt {side}: Streck das Bein nach vorn.\"",
			[]string{"Als Nächstes: Beinstrecken.", "Satz eins von zwei.", "Seite wechseln.", "Die letzte.", "drei", "Gut gemacht.", "Jetzt links: Streck"}},
		{"fr", "Asseyez-vous droit sur une chaise, le dos bien droit.", "Tendez la jambe {side} devant vous.",
			[]string{"Ensuite : Extension de jambe.", "Série un sur deux.", "Changez de côté.", "La dernière.", "trois", "Bravo.", "jambe gauche"}},
		{"it", "Siediti dritto su una sedia, con la schiena dritta.", "Distendi la gamba {side} in avanti.",
			[]string{"Ora: Estensione della gamba.", "Serie uno di due.", "Cambia lato.", "L'ultima.", "tre", "Ben fatto.", "gamba sinistra"}},
	} {
		t.Run(c.lang, func(t *testing.T) {
			dir := t.TempDir()
			name := map[string]string{"de": "Beinstrecken", "fr": "Extension de jambe", "it": "Estensione della gamba"}[c.lang]
			testtool.WriteFile(t, filepath.Join(dir, "r.yaml"), "title: "+name+"\nlanguage: "+c.lang+"\nexercises:\n  - name: "+name+
				"\n    setup:\n      - "+c.setup+"\n    sides: each\n    reps: 3\n    sets: 2\n    set_rest: 5s\n    steps:\n      - say: "+c.step+"\n      - hold: 2s\n      - count: true\n")
			r := runBare(t, dir, 3*time.Minute, "validate", "r.yaml")
			if r.code != 0 {
				t.Fatalf("validate exited %d: %s%s", r.code, r.stdout, r.stderr)
			}
			r = runBare(t, dir, 3*time.Minute, "show", "r.yaml", "--no-render")
			if r.code != 0 {
				t.Fatalf("show exited %d: %s", r.code, r.stderr)
			}
			for _, w := range c.want {
				if !strings.Contains(r.stdout, w) {
					t.Errorf("show does not list %q:\n%s", w, r.stdout)
				}
			}
			r = runBare(t, dir, 3*time.Minute, "export", "r.yaml", "-o", "r.mp3")
			if r.code != 0 {
				t.Fatalf("export exited %d: %s", r.code, r.stderr)
			}
			if voice := "pico-" + map[string]string{"de": "de-DE", "fr": "fr-FR", "it": "it-IT"}[c.lang]; !strings.Contains(r.stderr+r.stdout, voice) {
				t.Errorf("the export does not say it used %s:\n%s", voice, r.stderr)
			}
		})
	}
}

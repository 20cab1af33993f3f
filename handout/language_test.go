package handout

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"routinecast/routines"
)

// sheetText writes r's sheet from start for two weeks and returns its text
// as pdftotext reads it, without the cited source's English title.
func sheetText(t *testing.T, r *routines.Routine, start time.Time) string {
	t.Helper()
	var b bytes.Buffer
	o := Options{Routine: r, Patient: "Ana Ejemplo", Start: start, Weeks: 2, URL: "https://example.org/espalda/", Length: 754 * time.Second}
	if err := Write(&b, o); err != nil {
		t.Fatal(err)
	}
	text := pdfText(t, b.Bytes())
	if r.Source.Title != "" {
		text = strings.ReplaceAll(text, r.Source.Title, "")
	}
	return text
}

// checkWords fails for each wanted text the sheet lacks and each English
// word it has.
func checkWords(t *testing.T, text string, want, english []string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(text, w) {
			t.Errorf("the sheet does not say %q", w)
		}
	}
	for _, w := range english {
		if strings.Contains(text, w) {
			t.Errorf("the sheet says the English %q", w)
		}
	}
	if t.Failed() {
		t.Logf("the sheet:\n%s", text)
	}
}

// englishWords are the sheet's own English words, none of which a sheet in
// another language prints.
var englishWords = []string{"Hold for", "Rest for", "Exercises", "January", " Jan ", "Mon ", "Sun ", " reps", "rep ", " sets",
	"per side", "Level", "Session length", "Safety first", "Warm-up", "Set up", "Each time", "Afterwards", "Source",
	"Your log", "Tick a box", "Pain (0-10)", "Day Done", "How often", "Home programme", "page 1 of", "made with",
	"breaths", "Listen to", "Questions?", "From "}

// The built-in Spanish routine's sheet is Spanish throughout: headings,
// doses, dates, the log and the footer, with its accents and ñ.
func TestHandoutInSpanish(t *testing.T) {
	r, err := routines.Builtin("lower-back-es")
	if err != nil {
		t.Fatal(err)
	}
	text := sheetText(t, r, time.Date(2027, 1, 4, 0, 0, 0, 0, time.UTC))
	want := []string{
		"Nivel: estándar · Duración de la sesión: 12:34",
		"Programa de ejercicios en casa para Ana Ejemplo",
		"Del lunes 4 de enero de 2027 al domingo 17 de enero de 2027 (2 semanas)",
		"Escucha el audio guiado: escanea el código o abre https://example.org/espalda/",
		"Ante todo, seguridad", "Calentamiento: Respiración profunda", "Ejercicios",
		"repeticiones por lado, alternando los lados", "Mantén", "Fuente",
		"Tu registro", "Marca una casilla cada vez que hagas la rutina.", "Día Hecho Dolor (0-10)",
		"lun 4 ene 2027 0 1 2 3 4 5 6 7 8 9 10", "dom 17 ene 2027 0 1 2 3 4 5 6 7 8 9 10",
		"página 1 de", "hecho con routinecast",
	}
	checkWords(t, text, want, englishWords)
}

// A German routine's sheet: German headings, doses with a decimal comma,
// schedule, contact and dates.
func TestHandoutInGerman(t *testing.T) {
	r, err := routines.Parse("ruecken.yaml", []byte(`title: Rückenübungen
language: de
schedule:
  times_per_day: 2
  days_per_week: 5
  weeks: 2
contact:
  name: Praxis Beispiel
  phone: 030 1234567
notes:
  - Langsam steigern.
cautions:
  - Bei Schmerzen aufhören.
warmup:
  breaths: 3
  inhale: 4s
  exhale: 6s
exercises:
  - name: Brücke
    reps: 5
    sets: 2
    set_rest: 30s
    steps:
      - Becken anheben.
      - hold: 2.5s
      - Absenken.
      - rest: 3s
  - name: Knie zur Brust
    sides: each
    reps: 3
    steps:
      - Knie zur Brust ziehen.
      - hold: 10s
outro:
  - Gut gemacht.
`))
	if err != nil {
		t.Fatal(err)
	}
	text := sheetText(t, r, time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC))
	want := []string{
		"Heimprogramm für Ana Ejemplo",
		"Von Montag, 1. März 2027 bis Sonntag, 14. März 2027 (2 Wochen)",
		"Wie oft: Zweimal am Tag, 5 Tage pro Woche, 2 Wochen lang.",
		"Sicherheit zuerst", "Aufwärmen: Tiefe Atmung", "3 Atemzüge: ein 4 s, aus 6 s", "Übungen",
		"2,5 s halten · 5 Wiederholungen · 2 Sätze, dazwischen 30 s Pause", "3 s Pause.",
		"10 s halten · 3 Wiederholungen pro Seite, erst alle links, dann rechts",
		"Zum Abschluss", "Hinweise", "Fragen? Kontakt", "Telefon: 030 1234567",
		"Dein Protokoll", "(2 am Tag)", "Tag Erledigt Schmerz (0-10)",
		"Mo. 1. März 2027", "So. 14. März 2027", "Seite 1 von",
	}
	checkWords(t, text, want, englishWords)
}

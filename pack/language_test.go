package pack

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"routinecast/pack/packtest"
	"routinecast/routines"
)

// TestPackInSpanish: a pack whose episodes are in Spanish, with no language
// of its own, is in Spanish: its feed says so, and its page's own words are
// Spanish.
func TestPackInSpanish(t *testing.T) {
	dir := t.TempDir()
	file := packtest.Write(t, dir)
	src, err := os.ReadFile(filepath.Join(dir, packtest.RoutineFile))
	if err != nil {
		t.Fatal(err)
	}
	es := strings.Replace(string(src), "description:", "language: es\ndescription:", 1)
	es = strings.NewReplacer("Let's begin.", "Empezamos.", "Well done.", "Bien hecho.", "Roll your shoulders.", "Gira los hombros.").Replace(es)
	if err := os.WriteFile(filepath.Join(dir, packtest.RoutineFile), []byte(es), 0o644); err != nil {
		t.Fatal(err)
	}
	yaml := strings.Replace(string(packtest.PackYAML()), "language: en\n", "", 1)
	if err := os.WriteFile(file, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	r, err := routines.Parse(filepath.Join(dir, packtest.RoutineFile), []byte(es))
	if err != nil {
		t.Fatal(err)
	}
	voice := filepath.Join(dir, packtest.VoiceDir)
	if err := os.RemoveAll(voice); err != nil {
		t.Fatal(err)
	}
	packtest.WriteVoice(t, voice, r)

	p := loadPack(t, file)
	if p.Language != "es" {
		t.Fatalf("the pack's language is %q, want es from its episodes", p.Language)
	}
	out := t.TempDir()
	build(t, p, out, BuildOptions{})
	feed, err := os.ReadFile(filepath.Join(out, "feed.xml"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(feed), "<language>es</language>") {
		t.Error("feed.xml does not say <language>es</language>")
	}
	page, err := os.ReadFile(filepath.Join(out, "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`<html lang="es">`, "Suscríbete en tu app de pódcast", "2 episodios", "<h3>Ejercicios</h3>",
		"<summary>Capítulos</summary>", "Transcripción", "Hecho con routinecast.", "Introducción"} {
		if !strings.Contains(string(page), want) {
			t.Errorf("index.html does not say %q", want)
		}
	}
	for _, english := range []string{"Subscribe in your podcast app", ">Exercises<", ">Chapters<", ">Transcript<", "Made with"} {
		if strings.Contains(string(page), english) {
			t.Errorf("index.html says the English %q", english)
		}
	}
}

// TestPageWordsInEveryLanguage: every language with a phrasebook has the
// page's words, each one filled in.
func TestPageWordsInEveryLanguage(t *testing.T) {
	for _, lang := range routines.Languages() {
		w := wordsFor(lang)
		if lang != "en" && w == wordsFor("en") {
			t.Errorf("the page words for %s are English's", lang)
		}
		for i, s := range []string{w.Subscribe, w.SubscribeIn, w.Scan, w.Episode, w.Episodes, w.Exercises, w.Or, w.Chapters, w.ChaptersOf, w.Handout, w.Transcript, w.MadeWith, w.CoverOf} {
			if strings.TrimSpace(s) == "" {
				t.Errorf("%s: page word %d is empty", lang, i)
			}
		}
	}
	if wordsFor("es-MX").Chapters != "Capítulos" || wordsFor("pt").Chapters != "Chapters" {
		t.Error("wordsFor does not go by the primary subtag, with English for the rest")
	}
}

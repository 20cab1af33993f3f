package routines

import (
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/goccy/go-yaml"
)

// numberTables are 0 to 100 in words, ten to a row, written from grammar
// references (RAE's Nueva gramática, Duden, Grevisse's traditional spelling,
// Treccani), not from the phrasebooks.
var numberTables = map[string]string{
	"es": `
		cero, uno, dos, tres, cuatro, cinco, seis, siete, ocho, nueve
		diez, once, doce, trece, catorce, quince, dieciséis, diecisiete, dieciocho, diecinueve
		veinte, veintiuno, veintidós, veintitrés, veinticuatro, veinticinco, veintiséis, veintisiete, veintiocho, veintinueve
		treinta, treinta y uno, treinta y dos, treinta y tres, treinta y cuatro, treinta y cinco, treinta y seis, treinta y siete, treinta y ocho, treinta y nueve
		cuarenta, cuarenta y uno, cuarenta y dos, cuarenta y tres, cuarenta y cuatro, cuarenta y cinco, cuarenta y seis, cuarenta y siete, cuarenta y ocho, cuarenta y nueve
		cincuenta, cincuenta y uno, cincuenta y dos, cincuenta y tres, cincuenta y cuatro, cincuenta y cinco, cincuenta y seis, cincuenta y siete, cincuenta y ocho, cincuenta y nueve
		sesenta, sesenta y uno, sesenta y dos, sesenta y tres, sesenta y cuatro, sesenta y cinco, sesenta y seis, sesenta y siete, sesenta y ocho, sesenta y nueve
		setenta, setenta y uno, setenta y dos, setenta y tres, setenta y cuatro, setenta y cinco, setenta y seis, setenta y siete, setenta y ocho, setenta y nueve
		ochenta, ochenta y uno, ochenta y dos, ochenta y tres, ochenta y cuatro, ochenta y cinco, ochenta y seis, ochenta y siete, ochenta y ocho, ochenta y nueve
		noventa, noventa y uno, noventa y dos, noventa y tres, noventa y cuatro, noventa y cinco, noventa y seis, noventa y siete, noventa y ocho, noventa y nueve
		cien
	`,
	"de": `
		null, eins, zwei, drei, vier, fünf, sechs, sieben, acht, neun
		zehn, elf, zwölf, dreizehn, vierzehn, fünfzehn, sechzehn, siebzehn, achtzehn, neunzehn
		zwanzig, einundzwanzig, zweiundzwanzig, dreiundzwanzig, vierundzwanzig, fünfundzwanzig, sechsundzwanzig, siebenundzwanzig, achtundzwanzig, neunundzwanzig
		dreißig, einunddreißig, zweiunddreißig, dreiunddreißig, vierunddreißig, fünfunddreißig, sechsunddreißig, siebenunddreißig, achtunddreißig, neununddreißig
		vierzig, einundvierzig, zweiundvierzig, dreiundvierzig, vierundvierzig, fünfundvierzig, sechsundvierzig, siebenundvierzig, achtundvierzig, neunundvierzig
		fünfzig, einundfünfzig, zweiundfünfzig, dreiundfünfzig, vierundfünfzig, fünfundfünfzig, sechsundfünfzig, siebenundfünfzig, achtundfünfzig, neunundfünfzig
		sechzig, einundsechzig, zweiundsechzig, dreiundsechzig, vierundsechzig, fünfundsechzig, sechsundsechzig, siebenundsechzig, achtundsechzig, neunundsechzig
		siebzig, einundsiebzig, zweiundsiebzig, dreiundsiebzig, vierundsiebzig, fünfundsiebzig, sechsundsiebzig, siebenundsiebzig, achtundsiebzig, neunundsiebzig
		achtzig, einundachtzig, zweiundachtzig, dreiundachtzig, vierundachtzig, fünfundachtzig, sechsundachtzig, siebenundachtzig, achtundachtzig, neunundachtzig
		neunzig, einundneunzig, zweiundneunzig, dreiundneunzig, vierundneunzig, fünfundneunzig, sechsundneunzig, siebenundneunzig, achtundneunzig, neunundneunzig
		hundert
	`,
	"fr": `
		zéro, un, deux, trois, quatre, cinq, six, sept, huit, neuf
		dix, onze, douze, treize, quatorze, quinze, seize, dix-sept, dix-huit, dix-neuf
		vingt, vingt et un, vingt-deux, vingt-trois, vingt-quatre, vingt-cinq, vingt-six, vingt-sept, vingt-huit, vingt-neuf
		trente, trente et un, trente-deux, trente-trois, trente-quatre, trente-cinq, trente-six, trente-sept, trente-huit, trente-neuf
		quarante, quarante et un, quarante-deux, quarante-trois, quarante-quatre, quarante-cinq, quarante-six, quarante-sept, quarante-huit, quarante-neuf
		cinquante, cinquante et un, cinquante-deux, cinquante-trois, cinquante-quatre, cinquante-cinq, cinquante-six, cinquante-sept, cinquante-huit, cinquante-neuf
		soixante, soixante et un, soixante-deux, soixante-trois, soixante-quatre, soixante-cinq, soixante-six, soixante-sept, soixante-huit, soixante-neuf
		soixante-dix, soixante et onze, soixante-douze, soixante-treize, soixante-quatorze, soixante-quinze, soixante-seize, soixante-dix-sept, soixante-dix-huit, soixante-dix-neuf
		quatre-vingts, quatre-vingt-un, quatre-vingt-deux, quatre-vingt-trois, quatre-vingt-quatre, quatre-vingt-cinq, quatre-vingt-six, quatre-vingt-sept, quatre-vingt-huit, quatre-vingt-neuf
		quatre-vingt-dix, quatre-vingt-onze, quatre-vingt-douze, quatre-vingt-treize, quatre-vingt-quatorze, quatre-vingt-quinze, quatre-vingt-seize, quatre-vingt-dix-sept, quatre-vingt-dix-huit, quatre-vingt-dix-neuf
		cent
	`,
	"it": `
		zero, uno, due, tre, quattro, cinque, sei, sette, otto, nove
		dieci, undici, dodici, tredici, quattordici, quindici, sedici, diciassette, diciotto, diciannove
		venti, ventuno, ventidue, ventitré, ventiquattro, venticinque, ventisei, ventisette, ventotto, ventinove
		trenta, trentuno, trentadue, trentatré, trentaquattro, trentacinque, trentasei, trentasette, trentotto, trentanove
		quaranta, quarantuno, quarantadue, quarantatré, quarantaquattro, quarantacinque, quarantasei, quarantasette, quarantotto, quarantanove
		cinquanta, cinquantuno, cinquantadue, cinquantatré, cinquantaquattro, cinquantacinque, cinquantasei, cinquantasette, cinquantotto, cinquantanove
		sessanta, sessantuno, sessantadue, sessantatré, sessantaquattro, sessantacinque, sessantasei, sessantasette, sessantotto, sessantanove
		settanta, settantuno, settantadue, settantatré, settantaquattro, settantacinque, settantasei, settantasette, settantotto, settantanove
		ottanta, ottantuno, ottantadue, ottantatré, ottantaquattro, ottantacinque, ottantasei, ottantasette, ottantotto, ottantanove
		novanta, novantuno, novantadue, novantatré, novantaquattro, novantacinque, novantasei, novantasette, novantotto, novantanove
		cento
	`,
}

// TestNumbersInEveryLanguage: each phrasebook says 0 to 100 as the grammar
// tables do.
func TestNumbersInEveryLanguage(t *testing.T) {
	for lang, table := range numberTables {
		pb, err := PhrasebookFor(lang)
		if err != nil {
			t.Fatal(err)
		}
		var want []string
		for _, row := range strings.Split(strings.TrimSpace(table), "\n") {
			for _, w := range strings.Split(row, ",") {
				want = append(want, strings.TrimSpace(w))
			}
		}
		if len(want) != 101 {
			t.Fatalf("%s: the table has %d numbers, want 101", lang, len(want))
		}
		for n, w := range want {
			if got := pb.Number(n); got != w {
				t.Errorf("%s: %d is %q, want %q", lang, n, got, w)
			}
		}
	}
}

// TestHundredsAndHalves: numbers past 100 and half seconds, by the same
// references.
func TestHundredsAndHalves(t *testing.T) {
	numbers := map[string]map[int]string{
		"en": {100: "one hundred", 120: "one hundred and twenty", 305: "three hundred and five"},
		"es": {101: "ciento uno", 120: "ciento veinte", 200: "doscientos", 525: "quinientos veinticinco", 999: "novecientos noventa y nueve"},
		"de": {101: "hunderteins", 121: "hunderteinundzwanzig", 200: "zweihundert", 999: "neunhundertneunundneunzig"},
		"fr": {101: "cent un", 180: "cent quatre-vingts", 200: "deux cents", 201: "deux cent un", 271: "deux cent soixante et onze"},
		"it": {101: "centuno", 108: "centotto", 120: "centoventi", 180: "centottanta", 200: "duecento"},
	}
	halves := map[string]map[time.Duration]string{
		"en": {2500 * time.Millisecond: "two and a half"},
		"es": {2500 * time.Millisecond: "dos y medio", 1500 * time.Millisecond: "uno y medio"},
		"de": {2500 * time.Millisecond: "zweieinhalb", 1500 * time.Millisecond: "eineinhalb"},
		"fr": {2500 * time.Millisecond: "deux et demi"},
		"it": {2500 * time.Millisecond: "due e mezzo"},
	}
	for lang, want := range numbers {
		pb, err := PhrasebookFor(lang)
		if err != nil {
			t.Fatal(err)
		}
		for n, w := range want {
			if got := pb.Number(n); got != w {
				t.Errorf("%s: %d is %q, want %q", lang, n, got, w)
			}
		}
		for d, w := range halves[lang] {
			if got := pb.Seconds(d); got != w {
				t.Errorf("%s: %v is %q, want %q", lang, d, got, w)
			}
		}
	}
}

// TestEveryPhrasebookHasEveryKey reads the phrasebook files as a translator
// leaves them: every language has every phrase English has, and no other.
func TestEveryPhrasebookHasEveryKey(t *testing.T) {
	read := func(name string) map[string]any {
		b, err := os.ReadFile(filepath.Join("phrases", name))
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]any
		if err := yaml.Unmarshal(b, &m); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		return m
	}
	keys := func(m map[string]any) []string {
		var out []string
		for k, v := range m["phrases"].(map[string]any) {
			if s, _ := v.(string); strings.TrimSpace(s) != "" {
				out = append(out, k)
			}
		}
		slices.Sort(out)
		return out
	}
	en := keys(read("en.yaml"))
	want := PhraseKeys()
	slices.Sort(want)
	if !slices.Equal(en, want) {
		t.Errorf("en.yaml has the phrases %v, the program says %v", en, want)
	}
	for _, lang := range []string{"es", "de", "fr", "it"} {
		m := read(lang + ".yaml")
		if got := keys(m); !slices.Equal(got, en) {
			t.Errorf("%s.yaml has the phrases %v, want %v", lang, got, en)
		}
		if m["language"] != lang {
			t.Errorf("%s.yaml says its language is %v", lang, m["language"])
		}
		for _, k := range []string{"units", "tens", "compound", "hundreds", "hundreds_and", "half"} {
			if m[k] == nil {
				t.Errorf("%s.yaml has no %s", lang, k)
			}
		}
	}
	labels := func(m map[string]any) map[string]string {
		out := map[string]string{}
		for k, v := range m["labels"].(map[string]any) {
			if s, _ := v.(string); strings.TrimSpace(s) != "" {
				out[k] = s
			}
		}
		return out
	}
	enLabels := labels(read("en.yaml"))
	wantLabels := LabelKeys()
	slices.Sort(wantLabels)
	if got := slices.Sorted(maps.Keys(enLabels)); !slices.Equal(got, wantLabels) {
		t.Errorf("en.yaml has the labels %v, the program says %v", got, wantLabels)
	}
	for _, lang := range []string{"es", "de", "fr", "it"} {
		got := labels(read(lang + ".yaml"))
		for _, k := range wantLabels {
			s, ok := got[k]
			if !ok {
				t.Errorf("%s.yaml has no label %s", lang, k)
				continue
			}
			// A translator changes the words, never the variables.
			if v, w := templateNames(s), templateNames(enLabels[k]); !slices.Equal(v, w) {
				t.Errorf("%s.yaml: label %s has the variables %v, English %v", lang, k, v, w)
			}
		}
		if len(got) != len(wantLabels) {
			t.Errorf("%s.yaml has %d labels, want %d", lang, len(got), len(wantLabels))
		}
		dates, _ := read(lang + ".yaml")["dates"].(map[string]any)
		for _, k := range []string{"months", "months_short", "weekdays", "weekdays_short", "long", "short"} {
			if dates[k] == nil {
				t.Errorf("%s.yaml has no dates: %s", lang, k)
			}
		}
	}
	if got := Languages(); !slices.Equal(got, []string{"de", "en", "es", "fr", "it"}) {
		t.Errorf("Languages() = %v", got)
	}
	for tag, want := range map[string]string{"es-MX": "es", "de-AT": "de", "fr-CA": "fr", "en-GB": "en"} {
		if pb, err := PhrasebookFor(tag); err != nil || pb.Language != want {
			t.Errorf("PhrasebookFor(%q): %v, %v; want the %s phrasebook", tag, pb, err, want)
		}
	}
	if _, err := PhrasebookFor("pt-BR"); err == nil {
		t.Error("PhrasebookFor(pt-BR) found one")
	}
}

// templateNames are the {variables} of a text, sorted.
func templateNames(s string) []string {
	var out []string
	for _, m := range regexp.MustCompile(`\{([a-z_]+)\}`).FindAllStringSubmatch(s, -1) {
		out = append(out, m[1])
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// TestDatesInEveryLanguage: a day as each language writes it, from
// reference usage (RAE, Duden, the Imprimerie nationale, Treccani).
func TestDatesInEveryLanguage(t *testing.T) {
	day := time.Date(2027, 1, 4, 9, 0, 0, 0, time.UTC)
	first := time.Date(2027, 9, 1, 9, 0, 0, 0, time.UTC)
	for lang, want := range map[string][4]string{
		"en": {"Mon 4 Jan 2027", "Mon 4 Jan 2027", "Wed 1 Sep 2027", "Wed 1 Sep 2027"},
		"es": {"lunes 4 de enero de 2027", "lun 4 ene 2027", "miércoles 1 de septiembre de 2027", "mié 1 sept 2027"},
		"de": {"Montag, 4. Januar 2027", "Mo. 4. Jan. 2027", "Mittwoch, 1. September 2027", "Mi. 1. Sept. 2027"},
		"fr": {"lundi 4 janvier 2027", "lun. 4 janv. 2027", "mercredi 1er septembre 2027", "mer. 1er sept. 2027"},
		"it": {"lunedì 4 gennaio 2027", "lun 4 gen 2027", "mercoledì 1º settembre 2027", "mer 1º set 2027"},
	} {
		pb, err := PhrasebookFor(lang)
		if err != nil {
			t.Fatal(err)
		}
		got := [4]string{pb.Date(day, true), pb.Date(day, false), pb.Date(first, true), pb.Date(first, false)}
		if got != want {
			t.Errorf("%s: dates are %q, want %q", lang, got, want)
		}
	}
	en := LabelsFor("en")
	if got := en.Count("reps", 1); got != "1 rep" {
		t.Errorf("Count(reps, 1) = %q", got)
	}
	if got := en.Count("reps", 5); got != "5 reps" {
		t.Errorf("Count(reps, 5) = %q", got)
	}
	if got := LabelsFor("pt").Label("rep_of", "n", "2", "of", "5"); got != "rep 2 of 5" {
		t.Errorf("a language without a phrasebook has the label %q, want English's", got)
	}
	if got := LabelsFor("es-MX").Label("exercise_of", "n", "2", "of", "9"); got != "Ejercicio 2 de 9" {
		t.Errorf("es-MX: %q", got)
	}
}

// TestPhrasebookRefusesMistakes: a translator's slip is named.
func TestPhrasebookRefusesMistakes(t *testing.T) {
	en, err := os.ReadFile("phrases/en.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ from, to, want string }{
		{"  well_done: Well done.\n", "", `missing phrase "well_done"`},
		{"  rest: Rest.\n", "  rest: Rest.\n  resst: Rest.\n", `unknown phrase "resst"`},
		{"nineteen]", "]", "needs 20 units"},
		{"nine hundred]", "]", "needs 10 hundreds"},
		{"[zero,", "[null,", "a number has no words"},
		{"  log_day: Day\n", "", `missing label "log_day"`},
		{"  log_day: Day\n", "  log_day: Day\n  log_dya: Day\n", `unknown label "log_dya"`},
		{", Saturday]", "]", "needs 7 weekdays"},
	} {
		src := strings.Replace(string(en), c.from, c.to, 1)
		if src == string(en) {
			t.Fatalf("%q is not in en.yaml", c.from)
		}
		if _, err := parsePhrasebook([]byte(src)); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("with %q: %v, want an error saying %s", c.from, err, c.want)
		}
	}
}

// TestFillSentenceOpeners: a text that starts with a value starts a
// sentence, past an opening ¿ or ¡ as well.
func TestFillSentenceOpeners(t *testing.T) {
	vars := map[string]string{"side": "izquierda"}
	for tmpl, want := range map[string]string{
		"{side}, despacio.":  "Izquierda, despacio.",
		"¿{side}? Muy bien.": "¿Izquierda? Muy bien.",
		"¡{side}!":           "¡Izquierda!",
		"Hacia la {side}.":   "Hacia la izquierda.",
		"«{side}», dice.":    "«Izquierda», dice.",
	} {
		if got := FillSentence(tmpl, vars); got != want {
			t.Errorf("FillSentence(%q) = %q, want %q", tmpl, got, want)
		}
	}
}

// TestLanguageNamesNamePhrasebooks: every language name validate knows
// leads to a tag that has a phrasebook.
func TestLanguageNamesNamePhrasebooks(t *testing.T) {
	for name, tag := range languageNames {
		if _, err := PhrasebookFor(tag); err != nil || name != strings.ToLower(name) {
			t.Errorf("%q names %q: %v (names are kept in lower case)", name, tag, err)
		}
	}
}

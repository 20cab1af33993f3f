package pack

import "strings"

// pageWords are the page's own words, in the pack's language. They are
// few, so they are a table here rather than a phrasebook entry.
type pageWords struct {
	Subscribe, SubscribeIn, Scan           string
	Episode, Episodes                      string // one, many
	Exercises, Or, Chapters, ChaptersOf    string
	Handout, Transcript, MadeWith, CoverOf string
	HowOften, Follow, FollowHint           string
}

var pageWordsByLanguage = map[string]pageWords{
	"en": {"Subscribe", "Subscribe in your podcast app", "Scan with a phone's camera to subscribe, or add this address in any podcast app:",
		"episode", "episodes", "Exercises", "or", "Chapters", "Chapters of", "Printable handout (PDF)", "Transcript", "Made with routinecast.", "Cover of", "How often:", "Follow along on your phone", "exercise, side, reps and a big countdown as it plays; works offline"},
	"es": {"Suscribirse", "Suscríbete en tu app de pódcast", "Escanea el código con la cámara del móvil para suscribirte, o añade esta dirección en cualquier app de pódcast:",
		"episodio", "episodios", "Ejercicios", "o", "Capítulos", "Capítulos de", "Hoja para imprimir (PDF)", "Transcripción", "Hecho con routinecast.", "Portada de", "Con qué frecuencia:", "Síguelo en el móvil", "ejercicio, lado, repeticiones y una cuenta atrás grande mientras suena; funciona sin conexión"},
	"de": {"Abonnieren", "In deiner Podcast-App abonnieren", "Scanne den Code mit der Handykamera, um zu abonnieren, oder füge diese Adresse in einer beliebigen Podcast-App hinzu:",
		"Folge", "Folgen", "Übungen", "oder", "Kapitel", "Kapitel von", "Handzettel zum Drucken (PDF)", "Transkript", "Erstellt mit routinecast.", "Cover von", "Wie oft:", "Auf dem Handy mitverfolgen", "Übung, Seite, Wiederholungen und ein großer Countdown während der Wiedergabe; funktioniert offline"},
	"fr": {"S'abonner", "Abonnez-vous dans votre application de podcasts", "Scannez le code avec l'appareil photo de votre téléphone pour vous abonner, ou ajoutez cette adresse dans n'importe quelle application de podcasts :",
		"épisode", "épisodes", "Exercices", "ou", "Chapitres", "Chapitres de", "Fiche à imprimer (PDF)", "Transcription", "Réalisé avec routinecast.", "Couverture de", "À quelle fréquence :", "Suivre sur votre téléphone", "exercice, côté, répétitions et un grand compte à rebours pendant l'écoute ; fonctionne hors ligne"},
	"it": {"Iscriviti", "Iscriviti nella tua app di podcast", "Inquadra il codice con la fotocamera del telefono per iscriverti, o aggiungi questo indirizzo in qualsiasi app di podcast:",
		"episodio", "episodi", "Esercizi", "o", "Capitoli", "Capitoli di", "Scheda da stampare (PDF)", "Trascrizione", "Realizzato con routinecast.", "Copertina di", "Quanto spesso:", "Segui sul telefono", "esercizio, lato, ripetizioni e un grande conto alla rovescia durante l'ascolto; funziona offline"},
}

// wordsFor is the table of a language tag's primary subtag; English when
// there is none.
func wordsFor(language string) pageWords {
	if w, ok := pageWordsByLanguage[strings.ToLower(strings.SplitN(language, "-", 2)[0])]; ok {
		return w
	}
	return pageWordsByLanguage["en"]
}

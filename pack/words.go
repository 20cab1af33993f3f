package pack

import "routinecast/routines"

// pageWords are the page's own words, in the pack's language. They live
// with every other word people read, in the phrasebooks' labels.
type pageWords struct {
	Subscribe, SubscribeIn, Scan           string
	Episode, Episodes                      string // one, many
	Exercises, Or, Chapters, ChaptersOf    string
	Handout, Transcript, MadeWith, CoverOf string
	HowOften, Follow, FollowHint           string
}

// wordsFor is the page's words in a language (a tag's primary subtag);
// English when it has no phrasebook.
func wordsFor(language string) pageWords {
	pb := routines.LabelsFor(language)
	l := func(key string) string { return pb.Label(key) }
	return pageWords{
		Subscribe: l("subscribe"), SubscribeIn: l("subscribe_in"), Scan: l("scan"),
		Episode: l("episode"), Episodes: l("episodes"),
		Exercises: l("exercises"), Or: l("or"), Chapters: l("chapters"), ChaptersOf: l("chapters_of"),
		Handout: l("handout"), Transcript: l("transcript"), MadeWith: l("made_with"), CoverOf: l("cover_of"),
		HowOften: l("how_often"), Follow: l("follow"), FollowHint: l("follow_hint"),
	}
}

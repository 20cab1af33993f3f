package routines

import "time"

// CueKind says what a cue does on the timeline.
type CueKind string

// The cue kinds an expanded script holds.
const (
	// Chapter starts a section (intro, warm-up, each exercise, outro); Text is its title
	// and Duration is zero.
	Chapter CueKind = "chapter"
	// Say speaks Text. Duration is an estimate from its words until real clips exist.
	Say CueKind = "say"
	// Count speaks a repetition number (Text is the number in words, e.g. "three").
	Count CueKind = "count"
	// Hold is a timed hold of exactly Duration, with a countdown at its end.
	Hold CueKind = "hold"
	// Rest is a silent pause of exactly Duration.
	Rest CueKind = "rest"
	// BreatheIn and BreatheOut last exactly Duration. Text is the phrase that may be
	// spoken ("Breathe in."); First is set on the first breath of a series.
	BreatheIn  CueKind = "breathe_in"
	BreatheOut CueKind = "breathe_out"
)

// Spoken reports whether a cue of this kind is a line of narration that needs a clip.
func (k CueKind) Spoken() bool { return k == Say || k == Count }

// Timed reports whether a cue of this kind lasts exactly its Duration.
func (k CueKind) Timed() bool {
	return k == Hold || k == Rest || k == BreatheIn || k == BreatheOut
}

// Cue is one step of an expanded script.
type Cue struct {
	Kind     CueKind
	Text     string        // the words said (say, count), the optional phrase (breathe), or the chapter title
	Duration time.Duration // exact for timed cues; estimated for spoken ones; zero for chapters
	First    bool          // breathe cues: the first breath of a series
	// Settle is, on a hold that follows an instruction, the time to get
	// into position before the hold's clock starts. It comes before the
	// hold and is not part of Duration.
	Settle time.Duration
	// Place is where in the routine the cue falls, for displays that follow
	// along; the zero Place is outside every exercise (intro, outro).
	Place Place
}

// Place locates a cue in the routine: the exercise, and within it the set,
// repetition and side being run. Counts are from 1; a zero count means "not
// in one" (the setup of an exercise has no repetition yet, an exercise without
// sides has no Side).
type Place struct {
	Exercise  int    // which exercise, 1 to Exercises; 0 outside the exercises
	Exercises int    // how many exercises the routine has
	Name      string // the exercise's name (a variant's own name in its part)
	Set, Sets int
	Rep, Reps int
	Side      string // the side being worked, as the routine names it ("left")
	// Breath and Breaths count the breaths of the warm-up, where there are no
	// repetitions.
	Breath, Breaths int
}

// Script is a routine expanded at one level: everything that will be said and heard, in order.
type Script struct {
	Title    string
	Language string // BCP 47 tag of the narration, e.g. "en"
	Level    Level
	Cues     []Cue
	// Phrases holds the generated phrases a renderer may add on its own
	// (spoken countdown numbers, "halfway"), already in the routine's language.
	Phrases Extras
}

// Extras are the phrases a mixer may speak that are not cues of the script.
type Extras struct {
	// Countdown[i] is the number i+1 in words ("one" to "ten"): a spoken countdown of
	// n seconds says Countdown[n-1], ..., Countdown[0].
	Countdown []string
	Halfway   string
	// Hold is said at the start of a hold when the mixer is asked to say
	// it (a spoken hold-start). Lines leaves it out, since by default the
	// start is a tone: a voice needs its clip only when it is said.
	Hold string
}

// Total is the nominal length of the script: the sum of its cue durations.
func (s *Script) Total() time.Duration {
	var t time.Duration
	for _, c := range s.Cues {
		t += c.Settle + c.Duration
	}
	return t
}

// Lines returns each distinct text the script may speak, in first-use order: the
// spoken cues, the breathing phrases and the extras. A voice needs a clip for each.
func (s *Script) Lines() []string {
	seen := map[string]bool{}
	var out []string
	add := func(t string) {
		if t != "" && !seen[t] {
			seen[t] = true
			out = append(out, t)
		}
	}
	for _, c := range s.Cues {
		if c.Kind.Spoken() || c.Kind == BreatheIn || c.Kind == BreatheOut {
			add(c.Text)
		}
	}
	for _, t := range s.Phrases.Countdown {
		add(t)
	}
	add(s.Phrases.Halfway)
	return out
}

package routines

import "time"

// Routine is a guided routine as its file describes it, before a level picks
// a value out of each range.
type Routine struct {
	// Name is how the user refers to the routine: a built-in name or the file's path.
	Name        string
	Title       string
	Description string
	Language    string // BCP 47 tag; picks the phrasebook. Default "en".
	Source      Source
	Credits     string
	Intro       []string // said first
	Cautions    []string // said after the intro, before anything else is done
	Warmup      *Warmup  // optional breathing warm-up
	Exercises   []Exercise
	Outro       []string
	// Settle is the time given to get into position before the clock of a
	// hold that follows an instruction starts; nil means DefaultSettle.
	Settle *time.Duration
	// Schedule, Contact and Notes make the routine a home programme: how
	// often to do it, whom to ask, and what the patient should know
	// (progression, when to stop, when to call). They are printed, not said.
	Schedule Schedule
	Contact  Contact
	Notes    []string
	// Warnings are what the file says that does nothing, though an
	// author may mean it (such as count: false): the routine is valid,
	// and validate shows them.
	Warnings Errors
}

// DefaultSettle is the settle time of a routine that gives none: long
// enough to get into position after "Pull your knee to your chest."
const DefaultSettle = 2 * time.Second

// MaxSettle is the longest settle time a routine or exercise may give.
const MaxSettle = 30 * time.Second

// Source credits the material a routine is based on.
type Source struct {
	Title     string
	Author    string
	Publisher string
	URL       string
}

// Warmup is a series of slow, deep breaths before the exercises.
type Warmup struct {
	Title   string   // chapter title; default from the phrasebook
	Say     []string // said before the first breath
	Breaths Range
	Inhale  DurationRange
	Exhale  DurationRange
}

// SideMode says how an exercise moves between the two sides of the body.
type SideMode string

// The side modes.
const (
	NoSides   SideMode = ""          // the exercise has no sides
	Alternate SideMode = "alternate" // every repetition on one side, then the other
	EachSide  SideMode = "each"      // all repetitions on one side, "switch sides", then the other
)

// Exercise is one movement: setup said once, then a pattern of steps run for
// every repetition, side and set.
type Exercise struct {
	Name      string
	Setup     []Step // run once, before the first repetition
	Steps     []Step // run for every repetition (and side)
	Reps      Range
	Sets      Range
	SetRest   DurationRange // rest between sets
	Sides     SideMode
	SideNames [2]string // default "left", "right"
	Notes     []string  // said after the last repetition
	// Variant is an easier or harder version, said and done right after the
	// exercise in the same chapter (e.g. child's pose at a counter).
	Variant *Exercise
	// Settle overrides the routine's settle time for this exercise (a
	// variant without one takes its exercise's); nil keeps it.
	Settle *time.Duration
	// Image is a picture of the exercise, or nil.
	Image *Image
}

// Step is one action of an exercise.
type Step struct {
	Kind     CueKind // Say, Hold, Rest, BreatheIn, BreatheOut or Count
	Text     string  // for Say: a template
	Later    string  // for Say: the template said after the first repetition (often shorter)
	Duration DurationRange
}

// Range is a count that may depend on the level, e.g. "3-5" repetitions.
type Range struct{ Min, Max int }

// At returns the range's value at a level.
func (r Range) At(l Level) int {
	switch l {
	case Gentle:
		return r.Min
	case Full:
		return r.Max
	}
	return r.Min + (r.Max-r.Min+1)/2 // the middle, rounded half up
}

// DurationRange is a duration that may depend on the level, e.g. "5-10s".
type DurationRange struct{ Min, Max time.Duration }

// At returns the range's value at a level. The standard level's middle is
// rounded half up to a whole second when both ends are whole seconds, so that
// it can be said.
func (r DurationRange) At(l Level) time.Duration {
	switch l {
	case Gentle:
		return r.Min
	case Full:
		return r.Max
	}
	mid := r.Min + (r.Max-r.Min)/2
	if r.Min%time.Second == 0 && r.Max%time.Second == 0 {
		mid = r.Min + ((r.Max-r.Min)/time.Second+1)/2*time.Second
	}
	return mid
}

package routines

import "routinecast/internal/yamlfile"

// SchemaURL is the routine schema's $id: a name, not an address (the
// schema is printed by 'routinecast schema routine', not fetched).
const SchemaURL = "urn:routinecast:schema:routine"

// Patterns (ECMA-262, as JSON Schema takes them) for what parseDuration
// and parseCount read: "10s", "1m30s", "500ms", a bare number of seconds,
// or a range "5-10s" whose unit may be given once at the end.
const (
	durationOne     = `[0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h)?([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h))*`
	durationPattern = `^\s*` + durationOne + `(\s*-\s*` + durationOne + `)?\s*$`
	settlePattern   = `^\s*` + durationOne + `\s*$`
	countPattern    = `^\s*[0-9]+(\s*-\s*[0-9]+)?\s*$`
	// A line that reads as a timed step missing its colon, not written as
	// a sentence (see asStep and sentence): always a slip.
	mistypedPattern = `^\s*(hold|rest|breathe[ _-]?(in|out))\s*[:=]?\s*[0-9]+(\.[0-9]+)?\s*[a-z]*(\s*-\s*[0-9]+(\.[0-9]+)?\s*[a-z]*)?\s*$`
)

func duration(max float64) yamlfile.Shape {
	return yamlfile.OneOf{yamlfile.Text{Pattern: durationPattern}, yamlfile.Number{Min: 0.1, Max: max}}
}

func count(max int) yamlfile.Shape {
	return yamlfile.OneOf{yamlfile.Number{Integer: true, Min: 1, Max: float64(max)}, yamlfile.Text{Pattern: countPattern}}
}

var (
	line  = yamlfile.Text{MaxLen: MaxTextLen}
	lines = yamlfile.OneOf{line, yamlfile.List{Item: line}}
	plain = yamlfile.Text{MaxLen: 4 * MaxTextLen}

	settleShape = yamlfile.OneOf{yamlfile.Text{Pattern: settlePattern}, yamlfile.Number{Min: 0, Max: MaxSettle.Seconds()}}

	sourceDef = &yamlfile.Object{Fields: []yamlfile.Field{
		{Name: "title", Shape: plain}, {Name: "author", Shape: plain}, {Name: "publisher", Shape: plain},
		{Name: "url", Doc: "an http or https address", Shape: yamlfile.Text{Pattern: `^https?://`, MaxLen: 4 * MaxTextLen}},
	}}

	warmupDef = &yamlfile.Object{Doc: "slow, deep breaths before the exercises", Fields: []yamlfile.Field{
		{Name: "title", Doc: "the chapter's title", Shape: line},
		{Name: "say", Doc: "said before the first breath; may use {breaths} {inhale} {exhale}", Shape: lines},
		{Name: "breaths", Required: true, Doc: "how many: 5, or a range 3-5 across the levels", Shape: count(MaxBreaths)},
		{Name: "inhale", Required: true, Doc: "each breath in: 4s, or a range 3-5s", Shape: duration(MaxStep.Seconds())},
		{Name: "exhale", Required: true, Doc: "each breath out: 6s, or a range 4-6s", Shape: duration(MaxStep.Seconds())},
	}}

	stepShape = yamlfile.OneOf{
		yamlfile.Text{MaxLen: MaxTextLen, Not: mistypedPattern},
		&yamlfile.Object{Doc: "a line to say", Fields: []yamlfile.Field{
			{Name: "say", Required: true, Shape: line},
			{Name: "later", Doc: "a shorter line said from the second repetition on", Shape: line},
		}},
		timedStep("hold", "a hold, ending with a countdown"),
		timedStep("rest", "a silent pause"),
		timedStep("breathe_in", "a breath in"),
		timedStep("breathe_out", "a breath out"),
		&yamlfile.Object{Fields: []yamlfile.Field{{Name: "count", Required: true, Doc: "true: say the repetition number", Shape: yamlfile.Bool{}}}},
	}

	exerciseDef = exerciseObject(true)
	variantDef  = exerciseObject(false)

	routineDef = &yamlfile.Object{Doc: "a routinecast routine", Fields: []yamlfile.Field{
		{Name: "title", Required: true, Shape: line},
		{Name: "description", Shape: plain},
		{Name: "language", Doc: "the phrasebook for generated phrases (BCP 47 tag)", Shape: yamlfile.Later(func() yamlfile.Shape { return yamlfile.Text{Enum: Languages()} })},
		{Name: "source", Doc: "where the routine comes from", Shape: yamlfile.OneOf{plain, sourceDef}},
		{Name: "credits", Shape: plain},
		{Name: "intro", Doc: "said first", Shape: lines},
		{Name: "cautions", Doc: "said after the intro", Shape: lines},
		{Name: "warmup", Shape: warmupDef},
		{Name: "exercises", Required: true, Shape: yamlfile.List{Item: yamlfile.Ref("exercise"), MinItems: 1}},
		{Name: "outro", Doc: "said last", Shape: lines},
		{Name: "settle", Doc: "time to get into position before a hold that follows a line (default 2s)", Shape: settleShape},
		{Name: "schedule", Doc: "how often to do the routine: one line, or times_per_day, days_per_week, weeks, text", Shape: yamlfile.OneOf{line, scheduleDef}},
		{Name: "contact", Doc: "whom to ask: one line, or name, phone, email, web", Shape: yamlfile.OneOf{line, contactDef}},
		{Name: "notes", Doc: "for the patient (progression, when to stop, when to call): printed, not said", Shape: lines},
	}}

	scheduleDef = &yamlfile.Object{Fields: []yamlfile.Field{
		{Name: "times_per_day", Shape: yamlfile.Number{Integer: true, Min: 1, Max: MaxTimesPerDay}},
		{Name: "days_per_week", Shape: yamlfile.Number{Integer: true, Min: 1, Max: 7}},
		{Name: "weeks", Shape: yamlfile.Number{Integer: true, Min: 1, Max: MaxWeeks}},
		{Name: "text", Shape: line},
	}}

	contactDef = &yamlfile.Object{Fields: []yamlfile.Field{
		{Name: "name", Shape: line}, {Name: "phone", Shape: line}, {Name: "email", Shape: line}, {Name: "web", Shape: line},
	}}
)

func timedStep(key, doc string) *yamlfile.Object {
	return &yamlfile.Object{Fields: []yamlfile.Field{{Name: key, Required: true, Doc: doc + ": 5s, or a range 5-10s", Shape: duration(MaxStep.Seconds())}}}
}

func exerciseObject(withVariant bool) *yamlfile.Object {
	o := &yamlfile.Object{Fields: []yamlfile.Field{
		{Name: "name", Required: true, Doc: "the exercise's chapter title; each exercise has its own", Shape: line},
		{Name: "setup", Doc: "said or done once, before the first repetition", Shape: yamlfile.List{Item: stepShape}},
		{Name: "steps", Required: true, Doc: "run every repetition", Shape: yamlfile.List{Item: stepShape, MinItems: 1}},
		{Name: "reps", Doc: "repetitions: 5, or a range 5-10 (default 1)", Shape: count(MaxReps)},
		{Name: "sets", Doc: "sets: 2, or a range 2-3 (default 1)", Shape: count(MaxSets)},
		{Name: "set_rest", Doc: "rest between sets (default 20s)", Shape: duration(MaxStep.Seconds())},
		{Name: "sides", Doc: "alternate: each repetition on both sides; each: all on one side, then the other", Shape: yamlfile.Text{Enum: []string{"alternate", "each", "none"}}},
		{Name: "side_names", Doc: "default [left, right]", Shape: yamlfile.List{Item: line, MinItems: 2, MaxItems: 2}},
		{Name: "notes", Doc: "said after the last repetition", Shape: lines},
		{Name: "settle", Shape: settleShape},
		{Name: "image", Doc: "a PNG or JPEG picture of the exercise, in the routine's folder", Shape: line},
	}}
	if withVariant {
		o.Fields = append(o.Fields, yamlfile.Field{Name: "variant", Doc: "an easier or harder version, right after, in the same chapter", Shape: yamlfile.Ref("variant")})
	}
	return o
}

// Schema is the JSON Schema (draft 2020-12) of a routine file, made from
// the definitions the loader takes its fields from. Editors with the YAML
// language server use it to complete keys and flag mistakes as one types.
func Schema() []byte {
	return yamlfile.JSONSchema(SchemaURL, "routinecast routine", routineDef,
		map[string]yamlfile.Shape{"exercise": exerciseDef, "variant": variantDef})
}

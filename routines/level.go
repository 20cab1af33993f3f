package routines

import (
	"fmt"
	"slices"
	"strings"
)

// Level picks one value out of every range in a routine.
type Level string

// The three levels. Gentle takes the low end of each range, standard the
// middle (rounded half up to a whole second or count) and full the high end.
const (
	Gentle   Level = "gentle"
	Standard Level = "standard"
	Full     Level = "full"
)

// Levels lists every level, gentlest first. The slice is the caller's own,
// so no caller can change the levels another one sees.
func Levels() []Level { return []Level{Gentle, Standard, Full} }

// known reports whether l is one of the levels.
func (l Level) known() bool { return slices.Contains(Levels(), l) }

// ParseLevel reads a level's name as a person types it: in any case, with
// spaces around it.
func ParseLevel(s string) (Level, error) {
	for _, l := range Levels() {
		if strings.EqualFold(string(l), strings.TrimSpace(s)) {
			return l, nil
		}
	}
	// No package prefix: the message is written for the person who typed
	// the name, and callers add where it came from.
	return "", fmt.Errorf("unknown level %q: use gentle, standard or full", s)
}

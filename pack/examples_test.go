package pack

import (
	"path/filepath"
	"testing"

	"routinecast/narration"
	"routinecast/routines"
)

// The example packs load, and each episode's voice has a clip for every line
// of its routine at its level, so that 'pack build' on them renders.
func TestExamples(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("..", "examples", "*.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	packs := 0
	for _, f := range files {
		if _, err := routines.Load(f); err == nil {
			continue // a routine file, such as box-breathing.yaml
		}
		packs++
		p, err := Load(f)
		if err != nil {
			t.Errorf("%s: %v", f, err)
			continue
		}
		for _, e := range p.Episodes {
			voice := narration.Default()
			if e.Voice != "" {
				if voice, err = narration.Open(e.Voice); err != nil {
					t.Errorf("%s: episode %d: %v", f, e.Number, err)
					continue
				}
			}
			s, err := routines.Expand(e.Routine, e.Level)
			if err != nil {
				t.Fatal(err)
			}
			if missing := voice.Missing(s.Lines()); len(missing) > 0 {
				t.Errorf("%s: episode %d (%s): the voice has no clip for %q", f, e.Number, e.Slug, missing)
			}
		}
	}
	if packs < 2 {
		t.Errorf("found %d example packs, want at least 2", packs)
	}
}

package wasmhost

import (
	"runtime/debug"
	"testing"
)

// gcPercent reads the collector's pacing.
func gcPercent() int {
	p := debug.SetGCPercent(100)
	debug.SetGCPercent(p)
	return p
}

func TestBusySpacesCollectionsUntilTheLastSpellEnds(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	end1 := Busy()
	if p := gcPercent(); p != busyGCPercent {
		t.Fatalf("during a spell the pacing is %d, want %d", p, busyGCPercent)
	}
	end2 := Busy()
	end1()
	end1() // a second call changes nothing
	if p := gcPercent(); p != busyGCPercent {
		t.Errorf("with one spell still on, the pacing is %d, want %d", p, busyGCPercent)
	}
	end2()
	if p := gcPercent(); p != 100 {
		t.Errorf("after the spells, the pacing is %d, want the 100 it was", p)
	}
}

func TestBusyLeavesSparserPacingAlone(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	for _, p := range []int{-1, 800} { // GOGC=off, GOGC=800
		debug.SetGCPercent(p)
		end := Busy()
		if got := gcPercent(); got != p {
			t.Errorf("pacing %d became %d during a spell", p, got)
		}
		end()
		if got := gcPercent(); got != p {
			t.Errorf("pacing %d became %d after a spell", p, got)
		}
	}
}

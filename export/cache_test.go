package export

import (
	"bytes"
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"routinecast/internal/testtool/routinetest"
	"routinecast/job"
	"routinecast/narration"
	"routinecast/routines"
)

// TestDamagedPCMCacheHeals: entries of the decoded-clip cache swapped with
// each other, cut short, grown to a 1 GB sparse file or replaced by a link
// to /dev/zero are each noticed, removed and made again, and the export is
// byte for byte the one a clean cache gives.
func TestDamagedPCMCacheHeals(t *testing.T) {
	cache := t.TempDir()
	t.Setenv(narration.PCMCacheEnv, cache)
	dir := t.TempDir()
	export := func(name string) ([]byte, []narration.CacheRepair) {
		t.Helper()
		var mu sync.Mutex
		var repairs []narration.CacheRepair
		jo := job.Options{Routine: routinetest.Tiny(t), Level: routines.Gentle, Repaired: func(r narration.CacheRepair) {
			mu.Lock()
			defer mu.Unlock()
			repairs = append(repairs, r)
		}}
		p := filepath.Join(dir, name)
		if _, err := WriteFile(context.Background(), p, jo, Options{}); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		return b, repairs
	}
	clean, repairs := export("clean.mp3")
	if len(repairs) != 0 {
		t.Fatalf("repairs on a fresh cache: %v", repairs)
	}
	entries := cacheEntries(t, cache)
	if len(entries) < 3 {
		t.Fatalf("%d cache entries, want 3 or more to damage", len(entries))
	}
	check := func(round string, healed []byte, repairs []narration.CacheRepair, bad ...string) map[string]string {
		t.Helper()
		if !bytes.Equal(healed, clean) {
			t.Errorf("%s: the export over a damaged cache differs from the clean one (%d and %d bytes)", round, len(healed), len(clean))
		}
		got := map[string]string{}
		for _, r := range repairs {
			got[r.Path] = r.String()
		}
		for _, e := range bad {
			if got[e] == "" || strings.Contains(got[e], "\n") {
				t.Errorf("%s: no one-line notice for the bad entry %s; notices: %v", round, e, repairs)
			}
			st, err := os.Lstat(e)
			if err != nil || !st.Mode().IsRegular() || st.Size() > 10<<20 {
				t.Errorf("%s: %s not made again as a regular file of its size: %v, %v", round, e, st, err)
			}
		}
		return got
	}

	// A swapped pair and an entry cut short.
	a, b, c := entries[0], entries[1], entries[2]
	da, db := readBytes(t, a), readBytes(t, b)
	writeBytes(t, a, db)
	writeBytes(t, b, da)
	writeBytes(t, c, readBytes(t, c)[:100])
	healed, repairs := export("swapped.mp3")
	check("swapped and cut short", healed, repairs, a, b, c)

	// A 1 GB sparse entry, refused from its size, and a link to /dev/zero.
	if err := os.Truncate(a, 1<<30); err != nil {
		t.Fatal(err)
	}
	os.Remove(b)
	if err := os.Symlink("/dev/zero", b); err != nil {
		t.Fatal(err)
	}
	healed, repairs = export("huge.mp3")
	got := check("1 GB and a link", healed, repairs, a, b)
	if !strings.Contains(got[a], "1073741824 bytes") {
		t.Errorf("notice of the 1 GB entry: %q", got[a])
	}

	// Made again, the cache is clean.
	again, repairs := export("again.mp3")
	if len(repairs) != 0 || !bytes.Equal(again, clean) {
		t.Errorf("after healing: %d notices, same bytes %v", len(repairs), bytes.Equal(again, clean))
	}
}

// cacheEntries lists the entries of a decoded-clip cache.
func cacheEntries(t *testing.T, root string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err == nil && strings.HasSuffix(p, ".s16") {
			out = append(out, p)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func readBytes(t *testing.T, p string) []byte {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func writeBytes(t *testing.T, p string, b []byte) {
	t.Helper()
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

package routines

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestResolveRef(t *testing.T) {
	dir := t.TempDir()
	for _, f := range []string{"plain", "lower-back"} {
		if err := os.WriteFile(filepath.Join(dir, f), []byte(valid), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range []struct {
		name, ref, dir string
		want           Ref // Path "" for a built-in routine
		unknown        bool
	}{
		{"built-in", "lower-back", "", Ref{Name: "lower-back"}, false},
		{"unknown name", "upper-back", "", Ref{}, true},
		{"missing .yaml file", "mine.yaml", dir, Ref{"mine.yaml", filepath.Join(dir, "mine.yaml")}, false},
		{"missing .yml file", "mine.yml", "", Ref{"mine.yml", "mine.yml"}, false},
		{"a slash makes a path", "sub/mine", dir, Ref{"sub/mine", filepath.Join(dir, "sub", "mine")}, false},
		{"a backslash makes a path", `sub\mine`, "", Ref{`sub\mine`, `sub\mine`}, false},
		{"an existing file without an extension", "plain", dir, Ref{"plain", filepath.Join(dir, "plain")}, false},
		{"a file beside wins over a built-in name", "lower-back", dir, Ref{"lower-back", filepath.Join(dir, "lower-back")}, false},
		{"no dir keeps the path as given", "./x/../mine.yaml", "", Ref{"./x/../mine.yaml", "./x/../mine.yaml"}, false},
		{"an absolute path ignores dir", "/etc//mine.yaml", dir, Ref{"/etc//mine.yaml", "/etc/mine.yaml"}, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, err := ResolveRef(c.ref, c.dir)
			var ue *UnknownError
			if c.unknown {
				want := `"` + c.ref + `" is neither a built-in routine (` + strings.Join(BuiltinNames(), ", ") + `) nor a file`
				if !errors.As(err, &ue) || err.Error() != want {
					t.Fatalf("ResolveRef(%q) = %+v, %v; want error %q", c.ref, got, err, want)
				}
				return
			}
			if err != nil || got != c.want {
				t.Fatalf("ResolveRef(%q, %q) = %+v, %v; want %+v", c.ref, c.dir, got, err, c.want)
			}
		})
	}
}

func TestRefLoad(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	file := filepath.Join(dir, "r.yaml")
	if err := os.WriteFile(file, []byte(valid), 0o644); err != nil {
		t.Fatal(err)
	}
	r, err := Ref{Name: "r.yaml", Path: file}.Load(ctx)
	if err != nil || r.Name != file || r.Title != "T" {
		t.Errorf("a routine file: %+v, %v; want the routine named %s", r, err, file)
	}
	r, err = Ref{Name: "lower-back"}.Load(ctx)
	if err != nil || r.Name != "lower-back" {
		t.Errorf("a built-in routine: %v, %v", r, err)
	}
	var es Errors
	if _, err := (Ref{Name: "sub", Path: dir}).Load(ctx); !errors.As(err, &es) || err.Error() != dir+": is a folder, not a routine file" {
		t.Errorf("a folder: %v, want Errors naming it", err)
	}
	if _, err := (Ref{Name: "gone.yaml", Path: filepath.Join(dir, "gone.yaml")}).Load(ctx); !errors.Is(err, os.ErrNotExist) || !strings.HasPrefix(err.Error(), "routines: ") {
		t.Errorf("a missing file: %v", err)
	}
	var ue *UnknownError
	if _, err := (Ref{Name: "upper-back"}).Load(ctx); !errors.As(err, &ue) {
		t.Errorf("an unknown built-in name: %v, want an *UnknownError", err)
	}
}

package studio

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"routinecast/internal/testtool"
	"routinecast/routines"
)

// TestBuiltinPictures opens the built-in lower-back routine: every exercise's
// chapter on the page names its stick figure, which the studio serves byte
// for byte as the pages embed it, and the chapters that are no exercise name
// none.
func TestBuiltinPictures(t *testing.T) {
	f := newFixture(t, Options{Routine: "lower-back"})
	r, err := routines.Builtin("lower-back")
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]*routines.Exercise{}
	for i := range r.Exercises {
		names[r.Exercises[i].Name] = &r.Exercises[i]
	}
	shown := 0
	for _, ch := range f.state(t).Chapters {
		ex, ok := names[ch.Title]
		if !ok {
			if ch.Picture != "" {
				t.Errorf("chapter %q, no exercise, shows %s", ch.Title, ch.Picture)
			}
			continue
		}
		want, err := ex.Image.Read()
		if err != nil {
			t.Fatal(err)
		}
		code, got := f.do(t, "GET", ch.Picture, nil, nil)
		if code != http.StatusOK || !bytes.Equal(got, want) {
			t.Errorf("%q: %s answers %d with %d bytes, want %s (%d bytes)", ch.Title, ch.Picture, code, len(got), ex.Image.Name, len(want))
		}
		if _, err := png.DecodeConfig(bytes.NewReader(got)); err != nil {
			t.Errorf("%q: %v", ch.Title, err)
		}
		shown++
	}
	if shown != len(r.Exercises) {
		t.Errorf("%d exercises show a picture, want %d", shown, len(r.Exercises))
	}
}

// TestPictureConfined asks for pictures by every name but an exercise's
// number: nothing outside the routine's pictures is served, even a file
// beside the routine's folder.
func TestPictureConfined(t *testing.T) {
	dir := t.TempDir()
	secret := []byte("\x89PNG\r\n\x1a\nsecret")
	testtool.WriteFile(t, filepath.Join(dir, "secret.png"), string(secret))
	folder := filepath.Join(dir, "routine")
	if err := os.MkdirAll(filepath.Join(folder, "pics"), 0o755); err != nil {
		t.Fatal(err)
	}
	pic := testtool.WriteFile(t, filepath.Join(folder, "pics", "neck.png"), string(PicturePNG(t, 60, 40)))
	routine := testtool.WriteFile(t, filepath.Join(folder, "my.yaml"), strings.Replace(TinyRoutine, "  - name: Neck roll\n", "  - name: Neck roll\n    image: pics/neck.png\n", 1))
	f := newFixture(t, Options{Routine: routine})
	want, err := os.ReadFile(pic)
	if err != nil {
		t.Fatal(err)
	}
	if code, b := f.do(t, "GET", "/api/picture/1", nil, nil); code != http.StatusOK || !bytes.Equal(b, want) {
		t.Errorf("the picture of exercise 1: %d, %d bytes; want 200 and the %d bytes of neck.png", code, len(b), len(want))
	}
	for _, p := range []string{
		"/api/picture/0", "/api/picture/2", "/api/picture/3", "/api/picture/-1", "/api/picture/1x",
		"/api/picture/..%2Fsecret.png", "/api/picture/..%2F..%2Fsecret.png", "/api/picture/%2E%2E/secret.png",
		"/api/picture/1/..%2F..%2Fsecret.png", "/api/picture/" + url(filepath.Join(dir, "secret.png")),
		"/secret.png", "/../secret.png", "/assets/..%2F..%2Fsecret.png",
	} {
		code, b := f.do(t, "GET", p, nil, nil)
		if code != http.StatusNotFound && code != http.StatusForbidden {
			t.Errorf("GET %s: %d, want 404 or 403", p, code)
		}
		if bytes.Contains(b, []byte("secret")) {
			t.Errorf("GET %s answers the file beside the routine's folder", p)
		}
	}
}

// url escapes a path as one URL path segment.
func url(p string) string { return strings.ReplaceAll(p, "/", "%2F") }

// PicturePNG is a w×h PNG, green above and orange below, for the tests'
// routines. It is exported for the tests in package studio_test.
func PicturePNG(tb testing.TB, w, h int) []byte {
	tb.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			c := color.NRGBA{31, 111, 92, 255}
			if y >= h/2 {
				c = color.NRGBA{230, 140, 40, 255}
			}
			img.SetNRGBA(x, y, c)
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		tb.Fatal(err)
	}
	return b.Bytes()
}

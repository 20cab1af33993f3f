package wasmhost

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
)

// TestLiftedDataIsEveryInstancesOwn: a module's data, lifted into an image,
// is in each instance's memory where the module put it; what one instance
// writes there no other instance sees; and passive data still works.
func TestLiftedDataIsEveryInstancesOwn(t *testing.T) {
	ctx := context.Background()
	m := compileTestdata(t, "data", "")
	read := func(at uint32, n uint32) string {
		t.Helper()
		inst, err := m.Instantiate(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer inst.Close(ctx)
		b, ok := inst.Memory().Read(at, n)
		if !ok {
			t.Fatalf("memory [%d,%d) out of range", at, at+n)
		}
		return string(b)
	}
	if got := read(16, 5); got != "hello" {
		t.Errorf("memory at 16: %q, want hello", got)
	}
	if got := read(70000, 5); got != "world" {
		t.Errorf("memory at 70000: %q, want world", got)
	}
	if got := read(21, 4); got != "\x00\x00\x00\x00" {
		t.Errorf("memory after the data: %q, want zeros", got)
	}

	a, err := m.Instantiate(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close(ctx)
	if _, err := a.ExportedFunction("put").Call(ctx, 16, 'J'); err != nil {
		t.Fatal(err)
	}
	if got, _ := a.ExportedFunction("get").Call(ctx, 16); got[0] != 'J' {
		t.Errorf("an instance reads %q after writing J", rune(got[0]))
	}
	if got := read(16, 5); got != "hello" {
		t.Errorf("another instance reads %q at 16, want hello", got)
	}
	if _, err := a.ExportedFunction("init").Call(ctx); err != nil {
		t.Fatal(err)
	}
	if b, _ := a.Memory().Read(100, 7); string(b) != "passive" {
		t.Errorf("passive data copied to 100: %q", b)
	}
}

// TestLiftDataDropsCustomSections: the module loses its names section and
// its active data, keeps its passive data, and compiles.
func TestLiftDataDropsCustomSections(t *testing.T) {
	code, err := os.ReadFile(filepath.Join("testdata", "data.wasm"))
	if err != nil {
		t.Fatal(err)
	}
	for _, lift := range []bool{false, true} {
		out, image, err := liftData(code, lift)
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(out, []byte("name")) {
			t.Errorf("lift=%v: the custom section is still there", lift)
		}
		if !bytes.Contains(out, []byte("passive")) {
			t.Errorf("lift=%v: the passive segment is gone", lift)
		}
		if got := bytes.Contains(out, []byte("hello")); got == lift {
			t.Errorf("lift=%v: active data in the module: %v", lift, got)
		}
		if lift && (len(image) != 70005 || string(image[16:21]) != "hello" || string(image[70000:]) != "world") {
			t.Errorf("image: %d bytes", len(image))
		}
	}
	if _, _, err := liftData(code[:len(code)-3], true); err == nil {
		t.Error("a truncated module: no error")
	}
}

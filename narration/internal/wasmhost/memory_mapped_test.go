//go:build linux || darwin || freebsd || netbsd || openbsd || windows

package wasmhost

import (
	"bytes"
	"testing"
)

// TestMappedMemoryGrowsInPlace: an instance's memory starts with its image,
// grows without moving or losing what was written, reads zeros where it
// grew, and refuses to grow past its limit.
func TestMappedMemoryGrowsInPlace(t *testing.T) {
	image := append(bytes.Repeat([]byte{0}, 100), "hello"...)
	alloc, err := newAllocator(image)
	if err != nil {
		t.Fatal(err)
	}
	mem := alloc.Allocate(0, 4*pageSize)
	defer mem.Free()
	b := mem.Reallocate(pageSize)
	if len(b) != pageSize || string(b[100:105]) != "hello" {
		t.Fatalf("a first page of %d bytes holding %q, want %d bytes and the image", len(b), b[100:105], pageSize)
	}
	b[pageSize-1] = 7
	grown := mem.Reallocate(3 * pageSize)
	if len(grown) != 3*pageSize || &grown[0] != &b[0] {
		t.Fatalf("grew to %d bytes at a new place: %v", len(grown), &grown[0] != &b[0])
	}
	if grown[pageSize-1] != 7 || string(grown[100:105]) != "hello" || grown[pageSize] != 0 || grown[3*pageSize-1] != 0 {
		t.Error("growing lost what was written, or the new pages are not zero")
	}
	grown[3*pageSize-1] = 1 // the new pages can be written
	if mem.Reallocate(5*pageSize) != nil {
		t.Error("the memory grew past its limit")
	}
}

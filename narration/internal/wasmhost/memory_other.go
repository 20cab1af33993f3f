//go:build !(linux || darwin || freebsd || netbsd || openbsd)

package wasmhost

import "github.com/tetratelabs/wazero/experimental"

// allocator is wazero's own (the Go heap) where there is no mmap.
var allocator experimental.MemoryAllocator

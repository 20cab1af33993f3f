//go:build !(linux || darwin || freebsd || netbsd || openbsd || windows)

package wasmhost

import "github.com/tetratelabs/wazero/experimental"

// Without mmap, instances take wazero's own memory (the Go heap), and the
// module keeps its data.
const liftsData = false

func newAllocator([]byte) (experimental.MemoryAllocator, error) { return nil, nil }

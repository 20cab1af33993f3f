package pico

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
)

// state is one instance's files and messages.
type state struct {
	files map[string][]byte // what openat can open, by absolute path
	mu    sync.Mutex
	open  map[uint32]*openFile
	next  uint32
	said  []byte // what the module wrote to stdout and stderr
	stop  atomic.Bool
}

type openFile struct {
	b   []byte
	pos int64
}

type stateKey struct{}

// keep bounds the messages an instance may write.
const keep = 2000

// messages is what the module wrote, for an error message.
func (s *state) messages() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	m := strings.Join(strings.Fields(strings.ToValidUTF8(string(s.said), "?")), " ")
	if m == "" {
		return ""
	}
	return ": " + m
}

// errStopped stops an instance whose caller has given up on it.
var errStopped = errors.New("pico: stopped")

// stateOf is the state of the call's instance; a call without one (no
// caller of this package makes it) is stopped.
func stateOf(ctx context.Context) *state {
	st, _ := ctx.Value(stateKey{}).(*state)
	if st == nil || st.stop.Load() {
		panic(errStopped)
	}
	return st
}

// Errors the module expects from its host: negative errno values from the
// syscalls, positive WASI errnos from fd_* calls.
const (
	enoent  = 44 // also WASI's
	ebadf   = 8  // also WASI's
	enotty  = 59 // also WASI's
	einval  = 28 // also WASI's
	efault  = 21
	seekSet = 0
	seekCur = 1
	seekEnd = 2
)

var i32 = api.ValueTypeI32

// instantiateHost adds the host modules the module imports (under their new
// names, see renames) to r.
func instantiateHost(ctx context.Context, r wazero.Runtime) error {
	env := r.NewHostModuleBuilder(renames["env"])
	fn := func(b wazero.HostModuleBuilder, name string, f api.GoModuleFunc, params, results int) {
		p, q := make([]api.ValueType, params), make([]api.ValueType, results)
		for i := range p {
			p[i] = i32
		}
		for i := range q {
			q[i] = i32
		}
		b.NewFunctionBuilder().WithGoModuleFunction(f, p, q).Export(name)
	}
	fn(env, "_emscripten_memcpy_js", memcpy, 3, 0)
	fn(env, "__syscall_openat", openat, 4, 1)
	fn(env, "__syscall_fcntl64", func(ctx context.Context, _ api.Module, stack []uint64) {
		stateOf(ctx)
		stack[0] = 0 // the flags Pico sets on its files change nothing here
	}, 3, 1)
	fn(env, "__syscall_ioctl", func(ctx context.Context, _ api.Module, stack []uint64) {
		stateOf(ctx)
		stack[0] = negErrno(enotty) // no terminals
	}, 3, 1)
	fn(env, "emscripten_resize_heap", resizeHeap, 1, 1)
	if _, err := env.Instantiate(ctx); err != nil {
		return fmt.Errorf("pico: %w", err)
	}
	wasi := r.NewHostModuleBuilder(renames["wasi_snapshot_preview1"])
	fn(wasi, "fd_write", fdWrite, 4, 1)
	fn(wasi, "fd_read", fdRead, 4, 1)
	fn(wasi, "fd_close", fdClose, 1, 1)
	fn(wasi, "fd_seek", fdSeek, 5, 1)
	if _, err := wasi.Instantiate(ctx); err != nil {
		return fmt.Errorf("pico: %w", err)
	}
	return nil
}

func memcpy(ctx context.Context, mod api.Module, stack []uint64) {
	stateOf(ctx)
	dst, src, n := uint32(stack[0]), uint32(stack[1]), uint32(stack[2])
	mem := mod.Memory()
	from, ok1 := mem.Read(src, n)
	to, ok2 := mem.Read(dst, n)
	if !ok1 || !ok2 {
		panic(errors.New("pico: memcpy out of memory bounds"))
	}
	copy(to, from)
}

// negErrno is a syscall's failure as the module expects it.
func negErrno(e int32) uint64 { return uint64(uint32(-e)) }

func openat(ctx context.Context, mod api.Module, stack []uint64) {
	st := stateOf(ctx)
	path, ok := cstring(mod.Memory(), uint32(stack[1]))
	if !ok {
		stack[0] = negErrno(efault)
		return
	}
	b, found := st.files[path]
	if !found {
		stack[0] = negErrno(enoent)
		return
	}
	st.mu.Lock()
	fd := st.next
	st.next++
	st.open[fd] = &openFile{b: b}
	st.mu.Unlock()
	stack[0] = uint64(fd)
}

// cstring reads a NUL-terminated string of at most 4 kB.
func cstring(mem api.Memory, at uint32) (string, bool) {
	var sb strings.Builder
	for i := uint32(0); i < 4096; i++ {
		c, ok := mem.ReadByte(at + i)
		if !ok {
			return "", false
		}
		if c == 0 {
			return sb.String(), true
		}
		sb.WriteByte(c)
	}
	return "", false
}

func resizeHeap(ctx context.Context, mod api.Module, stack []uint64) {
	stateOf(ctx)
	want := uint64(uint32(stack[0]))
	mem := mod.Memory()
	have := uint64(mem.Size())
	stack[0] = 1
	if want <= have {
		return
	}
	if _, ok := mem.Grow(uint32((want - have + 65535) / 65536)); !ok {
		stack[0] = 0 // malloc returns NULL, and Pico reports it
	}
}

// iovecs calls f with each buffer of a WASI iovec array, until f returns
// false; it reports whether every iovec was in bounds.
func iovecs(mem api.Memory, iov, n uint32, f func(b []byte) bool) bool {
	for i := uint32(0); i < n; i++ {
		ptr, ok1 := mem.ReadUint32Le(iov + 8*i)
		size, ok2 := mem.ReadUint32Le(iov + 8*i + 4)
		b, ok3 := mem.Read(ptr, size)
		if !ok1 || !ok2 || !ok3 {
			return false
		}
		if !f(b) {
			break
		}
	}
	return true
}

func fdWrite(ctx context.Context, mod api.Module, stack []uint64) {
	st := stateOf(ctx)
	fd, iov, n, out := uint32(stack[0]), uint32(stack[1]), uint32(stack[2]), uint32(stack[3])
	if fd != 1 && fd != 2 {
		stack[0] = ebadf // Pico writes no files
		return
	}
	total := uint32(0)
	ok := iovecs(mod.Memory(), iov, n, func(b []byte) bool {
		st.mu.Lock()
		st.said = append(st.said, b...)
		if len(st.said) > keep {
			st.said = st.said[len(st.said)-keep:]
		}
		st.mu.Unlock()
		total += uint32(len(b))
		return true
	})
	if !ok || !mod.Memory().WriteUint32Le(out, total) {
		stack[0] = efault
		return
	}
	stack[0] = 0
}

func (st *state) file(fd uint32) *openFile {
	st.mu.Lock()
	defer st.mu.Unlock()
	return st.open[fd]
}

func fdRead(ctx context.Context, mod api.Module, stack []uint64) {
	st := stateOf(ctx)
	fd, iov, n, out := uint32(stack[0]), uint32(stack[1]), uint32(stack[2]), uint32(stack[3])
	f := st.file(fd)
	if f == nil {
		stack[0] = ebadf
		return
	}
	total := uint32(0)
	ok := iovecs(mod.Memory(), iov, n, func(b []byte) bool {
		if f.pos >= int64(len(f.b)) {
			return false
		}
		k := copy(b, f.b[f.pos:])
		f.pos += int64(k)
		total += uint32(k)
		return k == len(b)
	})
	if !ok || !mod.Memory().WriteUint32Le(out, total) {
		stack[0] = efault
		return
	}
	stack[0] = 0
}

func fdClose(ctx context.Context, _ api.Module, stack []uint64) {
	st := stateOf(ctx)
	fd := uint32(stack[0])
	st.mu.Lock()
	defer st.mu.Unlock()
	if _, ok := st.open[fd]; !ok {
		stack[0] = ebadf
		return
	}
	delete(st.open, fd)
	stack[0] = 0
}

// fdSeek is the legacy form this build imports: the 64-bit offset comes as
// two 32-bit halves.
func fdSeek(ctx context.Context, mod api.Module, stack []uint64) {
	st := stateOf(ctx)
	fd := uint32(stack[0])
	off := int64(uint64(uint32(stack[2]))<<32 | uint64(uint32(stack[1])))
	whence, out := uint32(stack[3]), uint32(stack[4])
	f := st.file(fd)
	if f == nil {
		stack[0] = ebadf
		return
	}
	var pos int64
	switch whence {
	case seekSet:
		pos = off
	case seekCur:
		pos = f.pos + off
	case seekEnd:
		pos = int64(len(f.b)) + off
	default:
		stack[0] = einval
		return
	}
	if pos < 0 {
		stack[0] = einval
		return
	}
	f.pos = pos
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], uint64(pos))
	if !mod.Memory().Write(out, b[:]) {
		stack[0] = efault
		return
	}
	stack[0] = 0
}

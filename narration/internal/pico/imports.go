package pico

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
)

// renameImports returns the WebAssembly module b with the module names of
// its imports renamed as names says; everything else is copied as it is.
func renameImports(b []byte, names map[string]string) ([]byte, error) {
	if len(b) < 8 || !bytes.Equal(b[:8], []byte("\x00asm\x01\x00\x00\x00")) {
		return nil, errors.New("not a WebAssembly module (version 1)")
	}
	out := append([]byte(nil), b[:8]...)
	r := &reader{b: b, at: 8}
	for r.at < len(b) {
		id := r.byte()
		size := r.uleb()
		if r.err != nil || uint64(len(b)-r.at) < size {
			return nil, fmt.Errorf("a damaged section at byte %d", r.at)
		}
		body := b[r.at : r.at+int(size)]
		r.at += int(size)
		if id == 2 { // imports
			var err error
			if body, err = renameIn(body, names); err != nil {
				return nil, err
			}
		}
		out = append(out, id)
		out = binary.AppendUvarint(out, uint64(len(body)))
		out = append(out, body...)
	}
	return out, nil
}

// renameIn rewrites an import section's body.
func renameIn(body []byte, names map[string]string) ([]byte, error) {
	r := &reader{b: body}
	n := r.uleb()
	out := binary.AppendUvarint(nil, n)
	for i := uint64(0); i < n && r.err == nil; i++ {
		mod := r.name()
		field := r.name()
		start := r.at
		switch kind := r.byte(); kind {
		case 0: // function: a type index
			r.uleb()
		case 1: // table: element type and limits
			r.byte()
			r.limits()
		case 2: // memory: limits
			r.limits()
		case 3: // global: value type and mutability
			r.byte()
			r.byte()
		default:
			return nil, fmt.Errorf("an import of unknown kind %d", kind)
		}
		if r.err != nil {
			break
		}
		if to, ok := names[mod]; ok {
			mod = to
		}
		for _, s := range []string{mod, field} {
			out = binary.AppendUvarint(out, uint64(len(s)))
			out = append(out, s...)
		}
		out = append(out, body[start:r.at]...)
	}
	if r.err != nil || r.at != len(body) {
		return nil, errors.New("a damaged import section")
	}
	return out, nil
}

// reader reads a module's bytes and keeps the first error.
type reader struct {
	b   []byte
	at  int
	err error
}

func (r *reader) byte() byte {
	if r.err != nil || r.at >= len(r.b) {
		r.err = errors.New("unexpected end")
		return 0
	}
	r.at++
	return r.b[r.at-1]
}

func (r *reader) uleb() uint64 {
	if r.err != nil {
		return 0
	}
	v, n := binary.Uvarint(r.b[r.at:])
	if n <= 0 {
		r.err = errors.New("a damaged number")
		return 0
	}
	r.at += n
	return v
}

func (r *reader) name() string {
	n := r.uleb()
	if r.err != nil || uint64(len(r.b)-r.at) < n {
		r.err = errors.New("a damaged name")
		return ""
	}
	s := string(r.b[r.at : r.at+int(n)])
	r.at += int(n)
	return s
}

func (r *reader) limits() {
	if flags := r.byte(); flags&1 != 0 {
		r.uleb()
	}
	r.uleb()
}

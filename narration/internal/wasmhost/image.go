package wasmhost

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// A module's active data segments are copied into every instance's memory
// as it is made: for Flite, 17 MB of voice data, most of it never read for
// the one voice a line uses, copied again for every line. liftData takes
// them out of the module and returns them as a memory image, which the
// allocator maps into each instance copy-on-write where the system allows
// (see memory_linux.go): an instance then costs the pages it reads and
// writes, not the whole image.
//
// Custom sections (debug information, names: 4 MB in Flite's build) are
// dropped on the way: nothing reads them, and wazero would decode them.

// Section ids of the WebAssembly binary format.
const (
	sectionCustom = 0
	sectionData   = 11
)

var errMalformed = errors.New("malformed module")

// liftData returns the module without its custom sections and, when lift is
// set, with every active data segment of memory 0 emptied, and the image of
// memory those segments made. When a segment's offset is not a constant, or
// lift is not set, the data stays where it was and image is nil.
func liftData(code []byte, lift bool) (module, image []byte, err error) {
	if len(code) < 8 || string(code[:4]) != "\x00asm" {
		return nil, nil, errMalformed
	}
	out := append(make([]byte, 0, len(code)), code[:8]...)
	var data []byte // the data section's contents, when there is one
	dataAt := -1    // where in out it goes
	for p := 8; p < len(code); {
		id := code[p]
		size, n := uvarint(code[p+1:])
		if n <= 0 || uint64(len(code)-p-1-n) < size {
			return nil, nil, fmt.Errorf("%w: section at byte %d", errMalformed, p)
		}
		body := code[p+1+n : p+1+n+int(size)]
		switch id {
		case sectionCustom:
		case sectionData:
			data, dataAt = body, len(out)
		default:
			out = append(out, code[p:p+1+n+int(size)]...)
		}
		p += 1 + n + int(size)
	}
	if data == nil {
		return out, nil, nil
	}
	emptied := data
	if lift {
		var lifted []byte
		if lifted, image, err = liftSegments(data); err != nil {
			return nil, nil, err
		}
		if image != nil {
			emptied = lifted
		}
	}
	section := appendSection(nil, sectionData, emptied)
	module = append(out[:dataAt:dataAt], append(section, out[dataAt:]...)...)
	return module, image, nil
}

func appendSection(b []byte, id byte, body []byte) []byte {
	b = binary.AppendUvarint(append(b, id), uint64(len(body)))
	return append(b, body...)
}

// liftSegments rewrites a data section's contents with each active segment
// of memory 0 empty (same count, same offsets: the module still validates
// and its data count still holds), and returns the image they made, or a
// nil image when a segment's offset is not an i32.const.
func liftSegments(data []byte) (emptied, image []byte, err error) {
	count, n := uvarint(data)
	if n <= 0 {
		return nil, nil, errMalformed
	}
	p := n
	emptied = binary.AppendUvarint(nil, count)
	for range count {
		flags, n := uvarint(data[p:])
		if n <= 0 {
			return nil, nil, errMalformed
		}
		start := p
		p += n
		switch flags {
		case 1: // passive: kept as it is
			size, n := uvarint(data[p:])
			if n <= 0 || uint64(len(data)-p-n) < size {
				return nil, nil, errMalformed
			}
			p += n + int(size)
			emptied = append(emptied, data[start:p]...)
			continue
		case 2: // active, with a memory index
			mem, n := uvarint(data[p:])
			if n <= 0 || mem != 0 {
				return nil, nil, nil
			}
			p += n
		case 0:
		default:
			return nil, nil, errMalformed
		}
		// The offset: i32.const N, end.
		if p >= len(data) || data[p] != 0x41 {
			return nil, nil, nil
		}
		offset, n := varint32(data[p+1:])
		if n <= 0 || p+1+n >= len(data) || data[p+1+n] != 0x0b || offset < 0 {
			return nil, nil, nil
		}
		exprEnd := p + 1 + n + 1
		size, n := uvarint(data[exprEnd:])
		if n <= 0 || uint64(len(data)-exprEnd-n) < size {
			return nil, nil, errMalformed
		}
		bytes := data[exprEnd+n : exprEnd+n+int(size)]
		if end := int(offset) + len(bytes); end > len(image) {
			image = append(image, make([]byte, end-len(image))...)
		}
		copy(image[offset:], bytes)
		emptied = append(emptied, data[start:exprEnd]...)
		emptied = append(emptied, 0) // no bytes
		p = exprEnd + n + int(size)
	}
	if p != len(data) {
		return nil, nil, errMalformed
	}
	if image == nil {
		image = []byte{} // segments, all empty
	}
	return emptied, image, nil
}

// uvarint reads an unsigned LEB128 number of at most 32 bits; n <= 0 when
// there is none.
func uvarint(b []byte) (uint64, int) {
	v, n := binary.Uvarint(b)
	if n <= 0 || n > 5 || v > 1<<32-1 {
		return 0, 0
	}
	return v, n
}

// varint32 reads a signed LEB128 number of at most 32 bits.
func varint32(b []byte) (int64, int) {
	var v int64
	var shift uint
	for i := 0; i < len(b) && i < 5; i++ {
		c := b[i]
		v |= int64(c&0x7f) << shift
		shift += 7
		if c&0x80 == 0 {
			if shift < 64 && c&0x40 != 0 {
				v |= -1 << shift
			}
			return int64(int32(v)), i + 1
		}
	}
	return 0, 0
}

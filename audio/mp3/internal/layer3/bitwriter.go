package layer3

// bitWriter appends bits, most significant first, to a byte slice.
type bitWriter struct {
	buf   []byte
	acc   uint64 // pending bits, right-aligned
	nacc  int    // number of pending bits (< 8 after each write)
	nbits int    // total bits written
}

func (w *bitWriter) reset(buf []byte) {
	w.buf, w.acc, w.nacc, w.nbits = buf[:0], 0, 0, 0
}

// write appends the n low bits of v (n <= 32).
func (w *bitWriter) write(v uint32, n int) {
	if n == 0 {
		return
	}
	w.acc = w.acc<<uint(n) | uint64(v)&(1<<uint(n)-1)
	w.nacc += n
	w.nbits += n
	for w.nacc >= 8 {
		w.nacc -= 8
		w.buf = append(w.buf, byte(w.acc>>uint(w.nacc)))
	}
}

// bytes pads the last byte with zero bits and returns the buffer.
func (w *bitWriter) bytes() []byte {
	if w.nacc > 0 {
		w.buf = append(w.buf, byte(w.acc<<uint(8-w.nacc)))
		w.acc, w.nacc = 0, 0
		w.nbits = len(w.buf) * 8
	}
	return w.buf
}

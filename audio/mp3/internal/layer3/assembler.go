package layer3

// assembler lays the main data of successive frames into the stream. A
// frame's main data starts main_data_begin bytes before its own slots (the
// bytes after its side information), in slots that earlier frames left
// unused, so a frame is written only once the data that fills its slots is
// known. Positions count main-data slots only, from the first frame.
type assembler struct {
	pending []pendingFrame
	data    []byte // main data from position dataPos on
	dataPos int64
	slotPos int64 // first slot of the next frame
	out     []byte
	spare   [][]byte // head buffers of written frames, for reuse
	emit    func([]byte) error
}

type pendingFrame struct {
	head  []byte // header and side information
	start int64  // first slot
	slots int
}

// free returns the bytes of slots before the next frame that no main data
// uses: the most that frame's main_data_begin can be.
func (a *assembler) free() int {
	return int(a.slotPos - (a.dataPos + int64(len(a.data))))
}

// add queues a frame with slots main-data bytes whose own main data md
// starts mdb bytes before its first slot, then writes every frame whose
// slots are complete.
func (a *assembler) add(head []byte, slots, mdb int, md []byte) error {
	start := a.slotPos - int64(mdb)
	for end := a.dataPos + int64(len(a.data)); end < start; end++ {
		a.data = append(a.data, 0) // ancillary stuffing
	}
	a.data = append(a.data, md...)
	var buf []byte
	if n := len(a.spare); n > 0 {
		buf, a.spare = a.spare[n-1][:0], a.spare[:n-1]
	}
	a.pending = append(a.pending, pendingFrame{append(buf, head...), a.slotPos, slots})
	a.slotPos += int64(slots)
	return a.flush()
}

func (a *assembler) flush() error {
	end := a.dataPos + int64(len(a.data))
	n := 0
	for _, f := range a.pending {
		if f.start+int64(f.slots) > end {
			break
		}
		a.out = append(a.out[:0], f.head...)
		off := f.start - a.dataPos
		a.out = append(a.out, a.data[off:off+int64(f.slots)]...)
		if err := a.emit(a.out); err != nil {
			return err
		}
		a.spare = append(a.spare, f.head)
		n++
	}
	if n == 0 {
		return nil
	}
	a.pending = append(a.pending[:0], a.pending[n:]...)
	// Drop the data before the first frame still waiting.
	keep := end
	if len(a.pending) > 0 {
		keep = a.pending[0].start
	}
	drop := keep - a.dataPos
	a.data = append(a.data[:0], a.data[drop:]...)
	a.dataPos = keep
	return nil
}

// close fills the slots of the waiting frames with stuffing and writes them.
func (a *assembler) close() error {
	for end := a.dataPos + int64(len(a.data)); end < a.slotPos; end++ {
		a.data = append(a.data, 0)
	}
	return a.flush()
}

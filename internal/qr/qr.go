// Package qr lays out a QR code as runs of dark modules, the form in which
// both the printed handout and a pack's web page draw it: one filled shape
// a run, so the code stays sharp at any size.
package qr

import qrcode "github.com/skip2/go-qrcode"

// Run is Len dark modules of row Row, from column Col.
type Run struct{ Row, Col, Len int }

// Runs encodes text as a QR code (medium error correction) and returns its
// size in modules, quiet zone included, and its dark runs row by row.
func Runs(text string) (int, []Run, error) {
	code, err := qrcode.New(text, qrcode.Medium)
	if err != nil {
		return 0, nil, err
	}
	bits := code.Bitmap()
	var runs []Run
	for y, row := range bits {
		for x := 0; x < len(row); {
			if !row[x] {
				x++
				continue
			}
			start := x
			for x < len(row) && row[x] {
				x++
			}
			runs = append(runs, Run{Row: y, Col: start, Len: x - start})
		}
	}
	return len(bits), runs, nil
}

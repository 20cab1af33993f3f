//go:build windows

package wasmhost

// imageSource holds a module's lifted data, copied into each instance's
// memory as wazero would have: the mapping of a file into a reservation is
// the Unix systems'.
type imageSource struct{ image []byte }

func newImageSource(image []byte) (*imageSource, error) { return &imageSource{image}, nil }

// size is how much of an instance's memory the image covers.
func (s *imageSource) size() int { return len(s.image) }

func (s *imageSource) mapInto(buf []byte) error {
	copy(buf, s.image)
	return nil
}

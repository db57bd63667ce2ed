package checkpoint

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
)

// FormatVersion is the version of the file format that Encode writes and
// Decode reads.
const FormatVersion = 1

// Limits that Encode enforces and Decode checks before allocating. They are
// far above what EBM Lab's presets need (a replay buffer of 8192 CIFAR-sized
// images is about 25 million elements), and MaxElements fits in an int on
// 32-bit platforms.
const (
	MaxMetaSize = 64 << 20  // bytes of metadata
	MaxTensors  = 4096      // tensors per file
	MaxNameLen  = 256       // bytes per tensor name
	MaxRank     = 8         // dimensions per tensor
	MaxElements = 1<<31 - 1 // elements per tensor, and the maximum dimension
)

// ErrMismatch is wrapped by the errors of File.Expect and File.ExpectInts.
var ErrMismatch = errors.New("checkpoint was made for another architecture")

// Tensor is a named array in row-major order. A tensor holds float32
// elements in Data, or int64 elements in Ints when Ints is not nil. The
// number of elements must equal the product of Shape, which is 1 for an
// empty Shape (a scalar).
type Tensor struct {
	Name  string
	Shape []int
	Data  []float32
	Ints  []int64
}

// IsInt reports whether t holds int64 elements.
func (t *Tensor) IsInt() bool { return t.Ints != nil }

// File is the content of a checkpoint.
type File struct {
	// Meta is caller-defined JSON, such as settings, the preset name, the
	// dataset's identity and summary metrics. It must be valid JSON or
	// empty.
	Meta json.RawMessage

	// Tensors keep their order through Encode and Decode. Names must be
	// unique, non-empty, valid UTF-8 and at most MaxNameLen bytes long.
	Tensors []Tensor
}

// Tensor returns the tensor with the given name and whether it exists. The
// pointer refers to the element of f.Tensors.
func (f *File) Tensor(name string) (*Tensor, bool) {
	for i := range f.Tensors {
		if f.Tensors[i].Name == name {
			return &f.Tensors[i], true
		}
	}
	return nil, false
}

// Expect returns the float32 tensor with the given name after checking its
// shape. The error names the tensor, the expected and the found shape, and
// wraps ErrMismatch.
func (f *File) Expect(name string, shape ...int) (*Tensor, error) {
	return f.expect(name, false, shape)
}

// ExpectInts is Expect for an int64 tensor.
func (f *File) ExpectInts(name string, shape ...int) (*Tensor, error) {
	return f.expect(name, true, shape)
}

func (f *File) expect(name string, isInt bool, shape []int) (*Tensor, error) {
	t, ok := f.Tensor(name)
	if !ok {
		return nil, fmt.Errorf("checkpoint: tensor %q not found: %w", name, ErrMismatch)
	}
	if t.IsInt() != isInt {
		return nil, fmt.Errorf("checkpoint: tensor %q contains %s elements, expected %s: %w",
			name, elementName(t.IsInt()), elementName(isInt), ErrMismatch)
	}
	if !slices.Equal(t.Shape, shape) {
		return nil, fmt.Errorf("checkpoint: tensor %q has shape %v, expected %v: %w",
			name, t.Shape, shape, ErrMismatch)
	}
	return t, nil
}

func elementName(isInt bool) string {
	if isInt {
		return "int64"
	}
	return "float32"
}

// elementCount returns the product of a shape with no negative dimension,
// and false when a dimension or the product exceeds MaxElements.
func elementCount(shape []int) (int, bool) {
	n := 1
	for _, d := range shape {
		if d > MaxElements || (d != 0 && n > MaxElements/d) {
			return 0, false
		}
		n *= d
	}
	return n, true
}

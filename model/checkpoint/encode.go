package checkpoint

import (
	"bufio"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"unicode/utf8"
)

// Layout constants of format version 1.
const (
	magic        = "\x89EBMLAB\n"
	checksumSize = sha256.Size
	typeFloat32  = 1
	typeInt64    = 2

	// chunkSize is the size in bytes of the scratch buffer through which
	// tensor elements are converted to and from little-endian bytes.
	chunkSize = 64 << 10
)

// Encode writes f to w in the binary format described in the package
// documentation. It validates f before writing anything, so on a validation
// error w is untouched. It panics when a tensor's shape has a negative
// dimension or does not match the number of its elements, or when a
// tensor sets both Data and Ints.
func Encode(w io.Writer, f *File) error {
	if err := validate(f); err != nil {
		return err
	}

	h := sha256.New()
	e := encoder{w: bufio.NewWriterSize(io.MultiWriter(w, h), chunkSize), scratch: make([]byte, chunkSize)}
	e.write([]byte(magic))
	e.putUint32(FormatVersion)
	e.putUint64(uint64(len(f.Meta)))
	e.write(f.Meta)
	e.putUint32(uint32(len(f.Tensors)))
	for i := range f.Tensors {
		e.tensor(&f.Tensors[i])
	}
	if e.err != nil {
		return e.err
	}
	if err := e.w.Flush(); err != nil {
		return err
	}

	// The checksum goes to w alone, because it covers the bytes before it.
	_, err := w.Write(h.Sum(nil))
	return err
}

// validate returns an error for a File that Decode would reject, and panics
// on the caller mistakes listed in Encode.
func validate(f *File) error {
	if len(f.Meta) > MaxMetaSize {
		return fmt.Errorf("checkpoint: metadata has %d bytes, more than the limit of %d; store long series as tensors",
			len(f.Meta), MaxMetaSize)
	}
	if len(f.Meta) > 0 && !json.Valid(f.Meta) {
		return fmt.Errorf("checkpoint: metadata is not valid JSON; produce it with encoding/json")
	}
	if len(f.Tensors) > MaxTensors {
		return fmt.Errorf("checkpoint: %d tensors, more than the limit of %d; merge small tensors",
			len(f.Tensors), MaxTensors)
	}

	names := make(map[string]bool, len(f.Tensors))
	for i := range f.Tensors {
		t := &f.Tensors[i]
		if err := checkName(t.Name); err != nil {
			return fmt.Errorf("checkpoint: tensor %d: %w", i, err)
		}
		if names[t.Name] {
			return fmt.Errorf("checkpoint: tensor name %q is used twice; names must be unique", t.Name)
		}
		names[t.Name] = true
		if err := checkShape(t); err != nil {
			return err
		}
	}
	return nil
}

func checkName(name string) error {
	switch {
	case name == "":
		return fmt.Errorf("empty name")
	case len(name) > MaxNameLen:
		return fmt.Errorf("name %.20q… has %d bytes, more than the limit of %d", name, len(name), MaxNameLen)
	case !utf8.ValidString(name):
		return fmt.Errorf("name %q is not valid UTF-8", name)
	}
	return nil
}

func checkShape(t *Tensor) error {
	if t.Data != nil && t.Ints != nil {
		panic(fmt.Sprintf("checkpoint: tensor %q sets both Data and Ints", t.Name))
	}
	for _, d := range t.Shape {
		if d < 0 {
			panic(fmt.Sprintf("checkpoint: tensor %q has a negative dimension in shape %v", t.Name, t.Shape))
		}
	}
	if len(t.Shape) > MaxRank {
		return fmt.Errorf("checkpoint: tensor %q has rank %d, more than the limit of %d", t.Name, len(t.Shape), MaxRank)
	}
	n, ok := elementCount(t.Shape)
	if !ok {
		return fmt.Errorf("checkpoint: tensor %q of shape %v has more than %d elements; split it",
			t.Name, t.Shape, MaxElements)
	}

	have := len(t.Data)
	if t.IsInt() {
		have = len(t.Ints)
	}
	if have != n {
		panic(fmt.Sprintf("checkpoint: tensor %q has shape %v, which needs %d elements, but contains %d",
			t.Name, t.Shape, n, have))
	}
	return nil
}

// encoder writes fields and keeps the first error, so Encode checks once.
type encoder struct {
	w       *bufio.Writer
	scratch []byte
	err     error
}

func (e *encoder) write(p []byte) {
	if e.err == nil {
		_, e.err = e.w.Write(p)
	}
}

func (e *encoder) putUint8(v uint8) {
	e.write([]byte{v})
}

func (e *encoder) putUint16(v uint16) {
	e.write(binary.LittleEndian.AppendUint16(e.scratch[:0], v))
}

func (e *encoder) putUint32(v uint32) {
	e.write(binary.LittleEndian.AppendUint32(e.scratch[:0], v))
}

func (e *encoder) putUint64(v uint64) {
	e.write(binary.LittleEndian.AppendUint64(e.scratch[:0], v))
}

func (e *encoder) tensor(t *Tensor) {
	e.putUint16(uint16(len(t.Name)))
	e.write([]byte(t.Name))
	if t.IsInt() {
		e.putUint8(typeInt64)
	} else {
		e.putUint8(typeFloat32)
	}
	e.putUint8(uint8(len(t.Shape)))
	for _, d := range t.Shape {
		e.putUint64(uint64(d))
	}

	if t.IsInt() {
		for data := t.Ints; len(data) > 0 && e.err == nil; {
			n := min(len(data), len(e.scratch)/8)
			for i, v := range data[:n] {
				binary.LittleEndian.PutUint64(e.scratch[8*i:], uint64(v))
			}
			e.write(e.scratch[:8*n])
			data = data[n:]
		}
		return
	}
	for data := t.Data; len(data) > 0 && e.err == nil; {
		n := min(len(data), len(e.scratch)/4)
		for i, v := range data[:n] {
			binary.LittleEndian.PutUint32(e.scratch[4*i:], math.Float32bits(v))
		}
		e.write(e.scratch[:4*n])
		data = data[n:]
	}
}

package checkpoint

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"math"
	"slices"
	"unicode/utf8"
)

// Decode reads a checkpoint from r, which must end where the checkpoint
// ends. It returns an error, and no File, unless the magic number, the
// version, every length and the checksum are valid. Format errors are
// *FormatError values, and read errors from r are returned wrapped.
//
// When r has a Len method, as *bytes.Reader does, Decode checks every
// length against the unread size before allocating; otherwise memory grows
// as data arrives.
func Decode(r io.Reader) (*File, error) {
	size := int64(-1)
	if l, ok := r.(interface{ Len() int }); ok {
		size = int64(l.Len())
	}
	return decode(r, size)
}

// decode reads a checkpoint of size bytes from r, or of unknown size when
// size is negative.
func decode(r io.Reader, size int64) (*File, error) {
	d := decoder{
		r:       bufio.NewReaderSize(r, chunkSize),
		h:       sha256.New(),
		size:    size,
		scratch: make([]byte, chunkSize),
	}
	f, err := d.file()
	if err != nil {
		return nil, err
	}
	return f, nil
}

type decoder struct {
	r       *bufio.Reader
	h       hash.Hash // hashes every byte before the checksum
	off     int64     // bytes read so far
	size    int64     // input size in bytes, or -1 when unknown
	scratch []byte
}

func (d *decoder) file() (*File, error) {
	if err := d.header(); err != nil {
		return nil, err
	}

	var f File
	meta, err := d.meta()
	if err != nil {
		return nil, err
	}
	f.Meta = meta

	start := d.off
	count, err := d.uint32("tensor count")
	if err != nil {
		return nil, err
	}
	if count > MaxTensors {
		return nil, d.corrupt("tensor count", start, fmt.Sprintf("%d tensors, more than the limit of %d", count, MaxTensors))
	}
	f.Tensors = make([]Tensor, 0, min(int(count), 64))
	names := make(map[string]bool, count)
	for i := range int(count) {
		t, err := d.tensor(i, names)
		if err != nil {
			return nil, err
		}
		f.Tensors = append(f.Tensors, t)
	}

	if err := d.trailer(); err != nil {
		return nil, err
	}
	return &f, nil
}

func (d *decoder) header() error {
	got := d.scratch[:len(magic)]
	n, err := io.ReadFull(d.r, got)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF) {
		return fmt.Errorf("checkpoint: read magic number: %w", err)
	}
	d.h.Write(got[:n])
	d.off += int64(n)
	if string(got[:n]) != magic[:n] {
		return &FormatError{Err: ErrNotCheckpoint, Field: "magic number", Offset: 0,
			Detail: fmt.Sprintf("found %q, expected %q", got[:n], magic), Fix: fixChoose}
	}
	if n < len(magic) {
		return d.truncated("magic number", 0, fmt.Sprintf("the input ends after %d bytes", n))
	}

	version, err := d.uint32("format version")
	if err != nil {
		return err
	}
	switch {
	case version > FormatVersion:
		return &FormatError{Err: ErrVersion, Field: "format version", Offset: int64(len(magic)),
			Detail: fmt.Sprintf("written by a newer EBM Lab (format %d); this version reads format %d", version, FormatVersion),
			Fix:    "upgrade EBM Lab to load it"}
	case version < FormatVersion:
		return &FormatError{Err: ErrVersion, Field: "format version", Offset: int64(len(magic)),
			Detail: fmt.Sprintf("format %d does not exist", version), Fix: fixDamaged}
	}
	return nil
}

func (d *decoder) meta() (json.RawMessage, error) {
	const field = "metadata"
	start := d.off
	n, err := d.uint64("metadata length")
	if err != nil {
		return nil, err
	}
	if n > MaxMetaSize {
		return nil, d.corrupt("metadata length", start, fmt.Sprintf("%d bytes, more than the limit of %d", n, MaxMetaSize))
	}
	if n == 0 {
		return nil, nil
	}
	if err := d.need(int64(n), field); err != nil {
		return nil, err
	}

	start = d.off
	meta := make([]byte, 0, d.capacity(int(n), 1))
	for len(meta) < int(n) {
		k := min(int(n)-len(meta), chunkSize)
		meta = slices.Grow(meta, k)
		if err := d.read(meta[len(meta):len(meta)+k], field); err != nil {
			return nil, err
		}
		meta = meta[:len(meta)+k]
	}
	if !json.Valid(meta) {
		return nil, d.corrupt(field, start, "not valid JSON")
	}
	return meta, nil
}

func (d *decoder) tensor(index int, names map[string]bool) (Tensor, error) {
	var t Tensor
	field := fmt.Sprintf("tensor %d name", index)
	start := d.off
	nameLen, err := d.uint16(field)
	if err != nil {
		return t, err
	}
	if nameLen == 0 || nameLen > MaxNameLen {
		return t, d.corrupt(field, start, fmt.Sprintf("length %d, expected 1 to %d", nameLen, MaxNameLen))
	}
	if err := d.need(int64(nameLen), field); err != nil {
		return t, err
	}
	name := d.scratch[:nameLen]
	if err := d.read(name, field); err != nil {
		return t, err
	}
	switch {
	case !utf8.Valid(name):
		return t, d.corrupt(field, start, fmt.Sprintf("%q is not valid UTF-8", name))
	case names[string(name)]:
		return t, d.corrupt(field, start, fmt.Sprintf("%q is used twice", name))
	}
	t.Name = string(name)
	names[t.Name] = true

	field = fmt.Sprintf("tensor %q element type", t.Name)
	start = d.off
	elemType, err := d.uint8(field)
	if err != nil {
		return t, err
	}
	if elemType != typeFloat32 && elemType != typeInt64 {
		return t, d.corrupt(field, start, fmt.Sprintf("%d, expected %d (float32) or %d (int64)", elemType, typeFloat32, typeInt64))
	}

	n, err := d.shape(&t)
	if err != nil {
		return t, err
	}

	field = fmt.Sprintf("tensor %q elements", t.Name)
	if elemType == typeInt64 {
		t.Ints, err = d.ints(n, field)
	} else {
		t.Data, err = d.floats(n, field)
	}
	return t, err
}

// shape reads the rank and dimensions into t.Shape and returns the number
// of elements.
func (d *decoder) shape(t *Tensor) (int, error) {
	field := fmt.Sprintf("tensor %q rank", t.Name)
	start := d.off
	rank, err := d.uint8(field)
	if err != nil {
		return 0, err
	}
	if rank > MaxRank {
		return 0, d.corrupt(field, start, fmt.Sprintf("%d, more than the limit of %d", rank, MaxRank))
	}

	field = fmt.Sprintf("tensor %q dimensions", t.Name)
	if err := d.need(8*int64(rank), field); err != nil {
		return 0, err
	}
	start = d.off
	t.Shape = make([]int, rank)
	for i := range t.Shape {
		dim, err := d.uint64(field)
		if err != nil {
			return 0, err
		}
		if dim > MaxElements {
			return 0, d.corrupt(field, start, fmt.Sprintf("dimension %d, more than the limit of %d", dim, MaxElements))
		}
		t.Shape[i] = int(dim)
	}
	n, ok := elementCount(t.Shape)
	if !ok {
		return 0, d.corrupt(field, start, fmt.Sprintf("shape %v has more than %d elements", t.Shape, MaxElements))
	}
	return n, nil
}

func (d *decoder) floats(n int, field string) ([]float32, error) {
	if err := d.need(4*int64(n), field); err != nil {
		return nil, err
	}
	data := make([]float32, 0, d.capacity(n, 4))
	for len(data) < n {
		k := min(n-len(data), len(d.scratch)/4)
		b := d.scratch[:4*k]
		if err := d.read(b, field); err != nil {
			return nil, err
		}
		data = slices.Grow(data, k)
		dst := data[len(data) : len(data)+k]
		for i := range dst {
			dst[i] = math.Float32frombits(binary.LittleEndian.Uint32(b[4*i:]))
		}
		data = data[:len(data)+k]
	}
	return data, nil
}

func (d *decoder) ints(n int, field string) ([]int64, error) {
	if err := d.need(8*int64(n), field); err != nil {
		return nil, err
	}
	data := make([]int64, 0, d.capacity(n, 8))
	for len(data) < n {
		k := min(n-len(data), len(d.scratch)/8)
		b := d.scratch[:8*k]
		if err := d.read(b, field); err != nil {
			return nil, err
		}
		data = slices.Grow(data, k)
		dst := data[len(data) : len(data)+k]
		for i := range dst {
			dst[i] = int64(binary.LittleEndian.Uint64(b[8*i:]))
		}
		data = data[:len(data)+k]
	}
	return data, nil
}

// trailer verifies the checksum and that the input ends after it.
func (d *decoder) trailer() error {
	const field = "checksum"
	start := d.off
	want := d.h.Sum(nil)
	got := d.scratch[:checksumSize]
	if _, err := io.ReadFull(d.r, got); err != nil {
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			return d.truncated(field, start, fmt.Sprintf("needs %d bytes", checksumSize))
		}
		return fmt.Errorf("checkpoint: read %s: %w", field, err)
	}
	if !bytes.Equal(got, want) {
		return &FormatError{Err: ErrChecksum, Field: field, Offset: start,
			Detail: fmt.Sprintf("stored SHA-256 %x…, computed %x…", got[:6], want[:6]), Fix: fixDamaged}
	}

	if _, err := d.r.ReadByte(); err == nil {
		return d.corrupt("end of file", start+checksumSize, "unexpected bytes after the checksum")
	} else if !errors.Is(err, io.EOF) {
		return fmt.Errorf("checkpoint: read end of file: %w", err)
	}
	return nil
}

// need returns ErrTruncated when the input size is known and fewer than n
// bytes remain before the checksum.
func (d *decoder) need(n int64, field string) error {
	if d.size < 0 {
		return nil
	}
	remain := d.size - d.off - checksumSize
	if n > remain {
		return d.truncated(field, d.off, fmt.Sprintf("needs %d bytes, %d remain before the checksum", n, max(remain, 0)))
	}
	return nil
}

// capacity returns the capacity to allocate for n elements of the given
// size in bytes. Without a known input size it is at most one chunk, so a
// false length costs memory only for bytes that really arrive.
func (d *decoder) capacity(n, size int) int {
	if d.size >= 0 {
		return n
	}
	return min(n, chunkSize/size)
}

// read fills p from the input and adds it to the checksum.
func (d *decoder) read(p []byte, field string) error {
	if err := d.need(int64(len(p)), field); err != nil {
		return err
	}
	start := d.off
	n, err := io.ReadFull(d.r, p)
	d.off += int64(n)
	if err != nil {
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			return d.truncated(field, start, fmt.Sprintf("needs %d bytes, the input ends after %d", len(p), n))
		}
		return fmt.Errorf("checkpoint: read %s at byte %d: %w", field, start, err)
	}
	d.h.Write(p)
	return nil
}

func (d *decoder) uint8(field string) (uint8, error) {
	b := d.scratch[:1]
	err := d.read(b, field)
	return b[0], err
}

func (d *decoder) uint16(field string) (uint16, error) {
	b := d.scratch[:2]
	err := d.read(b, field)
	return binary.LittleEndian.Uint16(b), err
}

func (d *decoder) uint32(field string) (uint32, error) {
	b := d.scratch[:4]
	err := d.read(b, field)
	return binary.LittleEndian.Uint32(b), err
}

func (d *decoder) uint64(field string) (uint64, error) {
	b := d.scratch[:8]
	err := d.read(b, field)
	return binary.LittleEndian.Uint64(b), err
}

func (d *decoder) truncated(field string, offset int64, detail string) error {
	return &FormatError{Err: ErrTruncated, Field: field, Offset: offset, Detail: detail, Fix: fixDamaged}
}

func (d *decoder) corrupt(field string, offset int64, detail string) error {
	return &FormatError{Err: ErrCorrupt, Field: field, Offset: offset, Detail: detail, Fix: fixDamaged}
}

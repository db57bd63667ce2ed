package export

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"codeberg.org/sbinet/npyio"

	"github.com/ebmlab/ebmlab/model/checkpoint"
)

const (
	// npyMagic starts every .npy file.
	npyMagic = "\x93NUMPY"

	// npyAlign is the multiple of bytes at which numpy starts the data,
	// so that memory-mapped arrays are aligned.
	npyAlign = 64

	// maxHeaderLen is the largest header that version 1.0 can describe
	// with its uint16 length field.
	maxHeaderLen = math.MaxUint16

	// maxReadValues bounds the values that ReadNPY allocates.
	maxReadValues = 1 << 31

	// chunkValues is the number of values converted to bytes at a time.
	chunkValues = 16 << 10
)

// ErrFormat is wrapped by ReadNPY errors about a file that is not a
// float32 .npy file in C order.
var ErrFormat = errors.New("unsupported .npy file")

// WriteNPY writes x as a float32 .npy array of the given shape to w. With
// no shape, x is written as a 1-D array of len(x) values. Values are
// written in row-major order, so x must already be in that order, such as
// NCHW for images.
//
// WriteNPY panics if a dimension is negative or the product of shape
// differs from len(x). It returns the first error of w.
func WriteNPY(w io.Writer, x []float32, shape ...int) error {
	if len(shape) == 0 {
		shape = []int{len(x)}
	}
	checkShape(len(x), shape)

	header := npyHeader(shape)
	if len(header) > maxHeaderLen {
		panic(fmt.Sprintf("export: shape %v needs a %d-byte header, over the %d bytes of .npy version 1.0", shape, len(header), maxHeaderLen))
	}
	prefix := make([]byte, 0, len(npyMagic)+4)
	prefix = append(prefix, npyMagic...)
	prefix = append(prefix, 1, 0)
	prefix = binary.LittleEndian.AppendUint16(prefix, uint16(len(header)))
	if _, err := w.Write(prefix); err != nil {
		return err
	}
	if _, err := io.WriteString(w, header); err != nil {
		return err
	}

	buf := make([]byte, 4*min(len(x), chunkValues))
	for start := 0; start < len(x); start += chunkValues {
		chunk := x[start:min(start+chunkValues, len(x))]
		for i, v := range chunk {
			binary.LittleEndian.PutUint32(buf[4*i:], math.Float32bits(v))
		}
		if _, err := w.Write(buf[:4*len(chunk)]); err != nil {
			return err
		}
	}
	return nil
}

// SaveNPY writes x as a float32 .npy array of the given shape to path, as
// WriteNPY does. It writes a temporary file in the same folder and renames
// it over path, so an interrupted save leaves either the previous file or
// the complete new one. It panics on the shape mistakes that WriteNPY
// panics on, before it creates any file. Errors name path.
func SaveNPY(path string, x []float32, shape ...int) error {
	if len(shape) == 0 {
		shape = []int{len(x)}
	}
	checkShape(len(x), shape)

	err := checkpoint.WriteAtomic(path, func(w io.Writer) error {
		return WriteNPY(w, x, shape...)
	})
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	return nil
}

// ReadNPY reads a float32 .npy array in row-major order from r with the
// reader of codeberg.org/sbinet/npyio and returns its values and shape.
// A 0-D array gives one value and an empty shape. An array of another
// dtype, in Fortran order or with more values than 2^31 gives an error
// that wraps ErrFormat.
func ReadNPY(r io.Reader) (x []float32, shape []int, err error) {
	reader, err := npyio.NewReader(bufio.NewReader(r))
	if err != nil {
		return nil, nil, fmt.Errorf("export: reading .npy header: %w", err)
	}

	descr := reader.Header.Descr
	if dtype := strings.Trim(descr.Type, `'"`); dtype != "<f4" {
		return nil, nil, fmt.Errorf("export: %w: dtype %s, want '<f4' (little-endian float32): convert with astype(numpy.float32)", ErrFormat, descr.Type)
	}
	if descr.Fortran {
		return nil, nil, fmt.Errorf("export: %w: fortran_order is True, want False: save numpy.ascontiguousarray(a)", ErrFormat)
	}
	n := 1
	for _, d := range descr.Shape {
		if d < 0 || (d > 0 && n > maxReadValues/d) {
			return nil, nil, fmt.Errorf("export: %w: shape %v declares more than %d values", ErrFormat, descr.Shape, maxReadValues)
		}
		n *= d
	}

	// npyio allocates len(x) values itself only when x is empty, and then
	// it cannot tell an empty array from a missing one, so the empty case
	// returns before reading.
	x = make([]float32, n)
	if n == 0 {
		return x, descr.Shape, nil
	}
	if err := reader.Read(&x); err != nil {
		if errors.Is(err, io.EOF) {
			err = io.ErrUnexpectedEOF
		}
		return nil, nil, fmt.Errorf("export: reading %d .npy values of shape %v: %w", n, descr.Shape, err)
	}
	return x, descr.Shape, nil
}

// checkShape panics if a dimension of shape is negative or the product of
// the dimensions differs from n.
func checkShape(n int, shape []int) {
	product := 1
	for _, d := range shape {
		if d < 0 {
			panic(fmt.Sprintf("export: negative dimension in shape %v", shape))
		}
		if d > 0 && product > math.MaxInt/d {
			panic(fmt.Sprintf("export: shape %v overflows int", shape))
		}
		product *= d
	}
	if product != n {
		panic(fmt.Sprintf("export: shape %v needs %d values, but x has %d", shape, product, n))
	}
}

// npyHeader returns the header dict of a '<f4' C-order array, padded with
// spaces and ended by a newline so that the magic string, the version,
// the length field and the header together fill a multiple of npyAlign
// bytes.
func npyHeader(shape []int) string {
	var b strings.Builder
	b.WriteString("{'descr': '<f4', 'fortran_order': False, 'shape': (")
	for i, d := range shape {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(strconv.Itoa(d))
	}
	// A Python 1-tuple needs a trailing comma.
	if len(shape) == 1 {
		b.WriteByte(',')
	}
	b.WriteString("), }")

	used := len(npyMagic) + 4 + b.Len() + 1
	b.WriteString(strings.Repeat(" ", (npyAlign-used%npyAlign)%npyAlign))
	b.WriteByte('\n')
	return b.String()
}

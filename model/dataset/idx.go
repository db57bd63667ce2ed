package dataset

import (
	"bufio"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"strconv"
)

// Errors wrapped by FormatError, for use with errors.Is.
var (
	ErrBadMagic        = errors.New("invalid magic number")
	ErrUnsupportedType = errors.New("unsupported element type")
	ErrDimension       = errors.New("invalid dimensions")
	ErrTruncated       = errors.New("truncated")
	ErrCountMismatch   = errors.New("count mismatch")
	ErrTrailingData    = errors.New("trailing data")
)

// FormatError reports a malformed IDX stream.
type FormatError struct {
	Stream string // "images" or "labels"
	File   string // file name when known, else empty
	Offset int64  // byte offset in the decompressed stream where the problem was found
	Err    error  // one of ErrBadMagic, ErrUnsupportedType, ErrDimension, ErrTruncated, ErrCountMismatch, ErrTrailingData
	Detail string // the values involved and, where one exists, the fix
}

func (e *FormatError) Error() string {
	where := e.Stream
	if e.File != "" {
		where += " file " + e.File
	}
	return fmt.Sprintf("dataset: invalid IDX %s at byte %d: %v: %s", where, e.Offset, e.Err, e.Detail)
}

func (e *FormatError) Unwrap() error { return e.Err }

const (
	// idxUnsignedByte is the IDX type code of unsigned byte elements, the
	// only type that MNIST-style image and label files use.
	idxUnsignedByte = 0x08

	// maxPixels bounds the pixel count that a header may declare, so
	// that counts and float32 lengths cannot overflow int.
	maxPixels = 1 << 30

	// chunkSize is the number of bytes read and converted at a time.
	chunkSize = 32 << 10
)

// pixelValue maps a pixel byte p to p/255·2 − 1.
var pixelValue = func() (table [256]float32) {
	for p := range table {
		table[p] = float32(p)/255*2 - 1
	}
	return table
}()

// ReadIDX reads an IDX image file and, unless labels is nil, the matching
// IDX label file. Either stream may be raw or gzipped, and a stream that
// starts with the gzip magic bytes is decompressed. The result has C = 1,
// H and W from the image header, values p/255·2 − 1 in [-1, 1], an empty
// Name, and when labelled the class names "0" to "K−1" for the largest
// label K−1.
//
// A malformed stream gives a *FormatError. A failing reader gives its
// error wrapped with %w. Errors name the file of a reader that has a Name
// method, such as *os.File.
func ReadIDX(images io.Reader, labels io.Reader) (*Dataset, error) {
	return readIDX(images, labels, fileName(images), fileName(labels), 0)
}

// readIDX is ReadIDX with the file names used in errors, which keeps only
// the first limit samples when limit > 0. It then stops reading after
// them, so it does not check the rest of the streams.
func readIDX(images, labels io.Reader, imageFile, labelFile string, limit int) (*Dataset, error) {
	imageStream, err := openIDX("images", imageFile, images)
	if err != nil {
		return nil, err
	}
	imageDims, err := imageStream.readHeader(3)
	if err != nil {
		return nil, err
	}
	count, rows, cols := imageDims[0], imageDims[1], imageDims[2]
	if count == 0 || rows == 0 || cols == 0 {
		return nil, imageStream.formatError(4, ErrDimension, fmt.Sprintf("%d images of %d×%d pixels: every dimension must be at least 1", count, rows, cols))
	}
	// Each size is at most maxPixels, so neither product overflows uint64.
	if perImage := uint64(rows) * uint64(cols); perImage > maxPixels || perImage*uint64(count) > maxPixels {
		return nil, imageStream.formatError(4, ErrDimension, fmt.Sprintf("%d images of %d×%d pixels exceed the limit of %d pixels", count, rows, cols, maxPixels))
	}

	var labelStream *idxStream
	if labels != nil {
		labelStream, err = openIDX("labels", labelFile, labels)
		if err != nil {
			return nil, err
		}
		labelDims, err := labelStream.readHeader(1)
		if err != nil {
			return nil, err
		}
		if labelDims[0] != count {
			return nil, labelStream.formatError(4, ErrCountMismatch, fmt.Sprintf("%d labels for %d images: pass the label file that belongs to the image file", labelDims[0], count))
		}
	}

	keep := count
	if limit > 0 && limit < count {
		keep = limit
	}
	d := &Dataset{C: 1, H: rows, W: cols, Lo: -1, Hi: 1}
	d.X, err = imageStream.readPixels(keep * rows * cols)
	if err != nil {
		return nil, err
	}
	if keep == count {
		if err := imageStream.expectEnd(fmt.Sprintf("the header declares %d images of %d×%d pixels", count, rows, cols)); err != nil {
			return nil, err
		}
	}
	if labelStream == nil {
		return d, nil
	}

	d.Labels, err = labelStream.readLabels(keep)
	if err != nil {
		return nil, err
	}
	if keep == count {
		if err := labelStream.expectEnd(fmt.Sprintf("the header declares %d labels", count)); err != nil {
			return nil, err
		}
	}
	d.Classes = classNames(d.Labels)
	return d, nil
}

// fileName returns the name of a reader that has a Name method, such as
// *os.File, or "".
func fileName(r io.Reader) string {
	if named, ok := r.(interface{ Name() string }); ok {
		return named.Name()
	}
	return ""
}

// idxStream reads one IDX stream and counts the decompressed bytes read.
type idxStream struct {
	name   string // "images" or "labels"
	file   string // file name for errors, or ""
	r      io.Reader
	offset int64
}

func openIDX(name, file string, r io.Reader) (*idxStream, error) {
	s := &idxStream{name: name, file: file}
	br := bufio.NewReader(r)
	magic, err := br.Peek(2)
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("dataset: reading IDX %s: %w", s.where(), err)
	}

	s.r = br
	if len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("dataset: IDX %s: invalid gzip stream: %w", s.where(), err)
		}
		s.r = zr
	}
	return s, nil
}

// where returns the stream name, and its file when known, for error
// messages.
func (s *idxStream) where() string {
	if s.file == "" {
		return s.name
	}
	return s.name + " file " + s.file
}

func (s *idxStream) formatError(offset int64, err error, detail string) *FormatError {
	return &FormatError{Stream: s.name, File: s.file, Offset: offset, Err: err, Detail: detail}
}

// readFull fills buf. An early end of data is reported as ErrTruncated
// with the given detail.
func (s *idxStream) readFull(buf []byte, detail string) error {
	n, err := io.ReadFull(s.r, buf)
	s.offset += int64(n)
	switch {
	case err == nil:
		return nil
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return s.formatError(s.offset, ErrTruncated, detail)
	default:
		return fmt.Errorf("dataset: reading IDX %s at byte %d: %w", s.where(), s.offset, err)
	}
}

// readHeader reads the magic number and the dimension sizes, and checks
// for unsigned byte elements and wantDims dimensions.
func (s *idxStream) readHeader(wantDims int) ([]int, error) {
	var magic [4]byte
	if err := s.readFull(magic[:], "the stream ends inside the 4-byte magic number"); err != nil {
		return nil, err
	}
	want := fmt.Sprintf("00 00 08 %02x", wantDims)
	if magic[0] != 0 || magic[1] != 0 {
		return nil, s.formatError(0, ErrBadMagic, fmt.Sprintf("got % x, want %s: not an IDX file", magic[:], want))
	}
	if magic[2] != idxUnsignedByte {
		return nil, s.formatError(2, ErrUnsupportedType, fmt.Sprintf("type code %#02x, want %#02x (unsigned byte)", magic[2], idxUnsignedByte))
	}
	if dims := int(magic[3]); dims != wantDims {
		detail := fmt.Sprintf("dimension count %d, want %d", dims, wantDims)
		switch {
		case s.name == "images" && dims == 1:
			detail += ": this looks like a label file, so pass the image file first"
		case s.name == "labels" && dims == 3:
			detail += ": this looks like an image file, so pass the label file second"
		}
		return nil, s.formatError(3, ErrDimension, detail)
	}

	buf := make([]byte, 4*wantDims)
	if err := s.readFull(buf, fmt.Sprintf("the stream ends inside the %d dimension sizes", wantDims)); err != nil {
		return nil, err
	}
	dims := make([]int, wantDims)
	for i := range dims {
		size := binary.BigEndian.Uint32(buf[4*i:])
		if size > maxPixels {
			return nil, s.formatError(int64(4+4*i), ErrDimension, fmt.Sprintf("dimension %d is %d, above the limit of %d", i, size, maxPixels))
		}
		dims[i] = int(size)
	}
	return dims, nil
}

// readPixels reads n pixel bytes and returns them scaled to [-1, 1]. The
// result grows with the data read, so a header that overstates the size
// of a short stream costs no memory.
func (s *idxStream) readPixels(n int) ([]float32, error) {
	x := make([]float32, 0, min(n, chunkSize))
	buf := make([]byte, chunkSize)
	for len(x) < n {
		chunk := buf[:min(chunkSize, n-len(x))]
		start := s.offset
		err := s.readFull(chunk, "")
		got := int(s.offset - start)
		// Double the capacity when full, up to n, so that the copies
		// add at most the final size again.
		if need := len(x) + got; need > cap(x) {
			bigger := make([]float32, len(x), min(n, max(2*cap(x), need)))
			copy(bigger, x)
			x = bigger
		}
		base := len(x)
		x = x[:base+got]
		for i, p := range chunk[:got] {
			x[base+i] = pixelValue[p]
		}
		if err != nil {
			return nil, s.withDetail(err, fmt.Sprintf("pixel data ends after %d of %d bytes", len(x), n))
		}
	}
	return x, nil
}

// readLabels reads n label bytes.
func (s *idxStream) readLabels(n int) ([]int, error) {
	labels := make([]int, 0, min(n, chunkSize))
	buf := make([]byte, chunkSize)
	for len(labels) < n {
		chunk := buf[:min(chunkSize, n-len(labels))]
		start := s.offset
		err := s.readFull(chunk, "")
		got := int(s.offset - start)
		for _, label := range chunk[:got] {
			labels = append(labels, int(label))
		}
		if err != nil {
			return nil, s.withDetail(err, fmt.Sprintf("label data ends after %d of %d labels", len(labels), n))
		}
	}
	return labels, nil
}

// withDetail sets the detail of a truncation error and passes other
// errors through.
func (s *idxStream) withDetail(err error, detail string) error {
	var fe *FormatError
	if errors.As(err, &fe) {
		fe.Detail = detail
	}
	return err
}

// expectEnd checks that the stream has no data after the declared
// values. For a gzipped stream, reaching the end also verifies the gzip
// checksum.
func (s *idxStream) expectEnd(declared string) error {
	var extra [1]byte
	n, err := io.ReadFull(s.r, extra[:])
	if n > 0 {
		return s.formatError(s.offset, ErrTrailingData, declared+", but more data follows: the header count is wrong or files were joined")
	}
	if err != nil && !errors.Is(err, io.EOF) {
		return fmt.Errorf("dataset: reading IDX %s at byte %d: %w", s.where(), s.offset, err)
	}
	return nil
}

// classNames returns "0" to "K−1" for the largest label K−1.
func classNames(labels []int) []string {
	largest := 0
	for _, label := range labels {
		largest = max(largest, label)
	}
	names := make([]string, largest+1)
	for i := range names {
		names[i] = strconv.Itoa(i)
	}
	return names
}

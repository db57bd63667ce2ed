package dataset

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path/filepath"
	"regexp"
	"slices"
)

const (
	// cifarSide is the height and width of a CIFAR-10 image in pixels.
	cifarSide = 32

	// cifarRecord is the size in bytes of a CIFAR-10 binary record: one
	// label byte, then the 1024 red, 1024 green and 1024 blue bytes of
	// the image, each plane in row-major order.
	cifarRecord = 1 + 3*cifarSide*cifarSide
)

// cifarClasses are the CIFAR-10 class names in label order, as in the
// batches.meta.txt file of the binary distribution.
var cifarClasses = []string{"airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"}

// cifarTrainBatch matches the names of the CIFAR-10 training batches.
var cifarTrainBatch = regexp.MustCompile(`^data_batch_[0-9]+\.bin$`)

// ReadCIFAR10 reads records of the CIFAR-10 binary format from r until
// the end of the stream. The result has C = 3, H = W = 32, values
// p/255·2 − 1 in [-1, 1], the ten CIFAR-10 class names and an empty Name.
//
// A stream that ends inside a record, has no record, or has a label above
// 9 gives a *ParseError. A failing reader gives its error wrapped with %w.
// Errors name the file of a reader that has a Name method, such as
// *os.File.
func ReadCIFAR10(r io.Reader) (*Dataset, error) {
	d, _, err := readCIFAR10(r, fileName(r), 0, int(sizeHint(r)/cifarRecord))
	return d, err
}

// sizeHint returns the bytes left in a reader that reports them, such as
// *bytes.Reader, or the size of a regular *os.File, and 0 for others.
func sizeHint(r io.Reader) int64 {
	switch v := r.(type) {
	case interface{ Len() int }:
		return int64(v.Len())
	case interface{ Stat() (fs.FileInfo, error) }:
		if info, err := v.Stat(); err == nil && info.Mode().IsRegular() {
			return info.Size()
		}
	}
	return 0
}

// readCIFAR10 is ReadCIFAR10 with the file name used in errors, which
// keeps only the first limit records when limit > 0 and then reports
// whether more followed. It allocates room for expect records up front,
// such as the count that the file size gives, but for at most MaxImages.
func readCIFAR10(r io.Reader, file string, limit, expect int) (d *Dataset, more bool, err error) {
	d = &Dataset{C: 3, H: cifarSide, W: cifarSide, Lo: -1, Hi: 1, Classes: slices.Clone(cifarClasses)}
	expect = min(expect, MaxImages)
	if limit > 0 {
		expect = min(expect, limit)
	}
	d.X = make([]float32, 0, expect*(cifarRecord-1))
	d.Labels = make([]int, 0, expect)
	record := make([]byte, cifarRecord)
	dim := cifarRecord - 1
	for n := 0; ; n++ {
		got, err := io.ReadFull(r, record)
		switch {
		case errors.Is(err, io.EOF):
			if n == 0 {
				return nil, false, &ParseError{Format: "CIFAR-10", File: file, Err: ErrNoData, Detail: "the file is empty: want records of 3073 bytes"}
			}
			return d, false, nil
		case errors.Is(err, io.ErrUnexpectedEOF):
			return nil, false, &ParseError{Format: "CIFAR-10", File: file, Record: n + 1, Err: ErrRecordSize,
				Detail: fmt.Sprintf("the file ends %d bytes into the record, after %d whole records of %d bytes (1 label byte and 3×32×32 pixel bytes): the file is truncated or is not a CIFAR-10 binary batch", got, n, cifarRecord)}
		case err != nil:
			return nil, false, fmt.Errorf("dataset: reading CIFAR-10 file %s at record %d: %w", file, n+1, err)
		}
		if limit > 0 && n == limit {
			return d, true, nil
		}

		if label := record[0]; label > 9 {
			return nil, false, &ParseError{Format: "CIFAR-10", File: file, Record: n + 1, Err: ErrLabelRange,
				Detail: fmt.Sprintf("label byte %d at byte %d, want 0 to 9: the file is not a CIFAR-10 batch (CIFAR-100 records have 2 label bytes and 3074 bytes)", label, int64(n)*cifarRecord)}
		}
		d.Labels = append(d.Labels, int(record[0]))
		d.X = slices.Grow(d.X, dim)
		base := len(d.X)
		d.X = d.X[:base+dim]
		for i, p := range record[1:] {
			d.X[base+i] = pixelValue[p]
		}
	}
}

// openCIFAR10 reads a CIFAR-10 batch file and, for a data_batch_N.bin
// file, the test_batch.bin next to it as the held-out set when present.
// test is nil when there is no such file.
func openCIFAR10(ctx context.Context, path string, size int64, progress func(done, total int), limit int) (train, test *Dataset, limitErr *LimitError, err error) {
	if size%cifarRecord != 0 {
		return nil, nil, nil, &ParseError{Format: "CIFAR-10", File: path, Err: ErrRecordSize,
			Detail: fmt.Sprintf("size %d bytes is not a multiple of the %d-byte record (1 label byte and 3×32×32 pixel bytes): the file is truncated or is not a CIFAR-10 binary batch", size, cifarRecord)}
	}
	testPath := ""
	if cifarTrainBatch.MatchString(filepath.Base(path)) {
		if candidate := filepath.Join(filepath.Dir(path), "test_batch.bin"); fileExists(candidate) {
			testPath = candidate
		}
	}
	count := &byteCount{total: fileSizes(path, testPath)}

	train, limitErr, err = readCIFAR10Path(ctx, path, count, progress, limit)
	if err != nil {
		return nil, nil, nil, err
	}
	if testPath != "" {
		var testLimitErr *LimitError
		test, testLimitErr, err = readCIFAR10Path(ctx, testPath, count, progress, limit)
		if err != nil {
			return nil, nil, nil, err
		}
		if limitErr == nil {
			limitErr = testLimitErr
		}
	}
	progress(int(count.total), int(count.total))
	return train, test, limitErr, nil
}

func readCIFAR10Path(ctx context.Context, path string, count *byteCount, progress func(done, total int), limit int) (*Dataset, *LimitError, error) {
	f, r, err := openTracked(ctx, path, count, progress)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()

	d, more, err := readCIFAR10(r, path, limit, int(sizeHint(f)/cifarRecord))
	if err != nil {
		return nil, nil, cancelled(ctx, path, err)
	}
	if more {
		return d, &LimitError{Path: path, Kind: "images", Kept: limit, Rule: fmt.Sprintf("the first %d", limit)}, nil
	}
	return d, nil, nil
}

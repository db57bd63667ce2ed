package dataset

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ebmlab/ebmlab/assets"
)

func openFixture(t testing.TB, name string) *os.File {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

func TestReadIDXTiny(t *testing.T) {
	tests := []struct {
		name           string
		images, labels string
	}{
		{"raw", "tiny-images-idx3-ubyte", "tiny-labels-idx1-ubyte"},
		{"gzipped", "tiny-images-idx3-ubyte.gz", "tiny-labels-idx1-ubyte.gz"},
		{"raw images, gzipped labels", "tiny-images-idx3-ubyte", "tiny-labels-idx1-ubyte.gz"},
	}
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			d, err := ReadIDX(openFixture(t, test.images), openFixture(t, test.labels))
			if err != nil {
				t.Fatalf("ReadIDX: %v", err)
			}

			if d.C != 1 || d.H != 2 || d.W != 3 {
				t.Errorf("shape = %d×%d×%d, want 1×2×3", d.C, d.H, d.W)
			}
			if d.Len() != 3 {
				t.Errorf("Len = %d, want 3", d.Len())
			}
			if d.Lo != -1 || d.Hi != 1 {
				t.Errorf("range = [%v, %v], want [-1, 1]", d.Lo, d.Hi)
			}
			for i, p := range tinyPixels {
				if want := float32(p)/255*2 - 1; d.X[i] != want {
					t.Errorf("X[%d] = %v, want %v for pixel %d", i, d.X[i], want, p)
				}
			}
			if d.X[0] != -1 || d.X[1] != 1 {
				t.Errorf("pixels 0 and 255 = %v, %v, want -1, 1", d.X[0], d.X[1])
			}
			for i, label := range tinyLabels {
				if d.Labels[i] != int(label) {
					t.Errorf("Labels[%d] = %d, want %d", i, d.Labels[i], label)
				}
			}
			if want := []string{"0", "1", "2"}; strings.Join(d.Classes, ",") != strings.Join(want, ",") {
				t.Errorf("Classes = %q, want %q", d.Classes, want)
			}
		})
	}
}

func TestReadIDXWithoutLabels(t *testing.T) {
	d, err := ReadIDX(openFixture(t, "tiny-images-idx3-ubyte.gz"), nil)
	if err != nil {
		t.Fatalf("ReadIDX: %v", err)
	}
	if d.Len() != 3 {
		t.Errorf("Len = %d, want 3", d.Len())
	}
	if d.Labels != nil || d.Classes != nil {
		t.Errorf("Labels, Classes = %v, %v, want nil without a label file", d.Labels, d.Classes)
	}
}

func TestReadIDXLimit(t *testing.T) {
	d, err := readIDX(openFixture(t, "tiny-images-idx3-ubyte"), openFixture(t, "tiny-labels-idx1-ubyte"), "", "", 2)
	if err != nil {
		t.Fatalf("readIDX: %v", err)
	}
	if d.Len() != 2 || len(d.Labels) != 2 {
		t.Fatalf("Len, len(Labels) = %d, %d, want 2, 2", d.Len(), len(d.Labels))
	}
	if d.Labels[1] != 0 {
		t.Errorf("Labels[1] = %d, want 0", d.Labels[1])
	}
}

func TestReadIDXMalformed(t *testing.T) {
	tests := []struct {
		name           string
		images, labels string // fixture names; labels may be empty
		want           error
		stream         string
		offset         int64
		detail         string
	}{
		{"png file", "png-signature-idx3-ubyte", "", ErrBadMagic, "images", 0, "not an IDX file"},
		{"float elements", "float-images-idx3-ubyte", "", ErrUnsupportedType, "images", 2, "type code 0x0d"},
		{"label file as images", "tiny-labels-idx1-ubyte", "", ErrDimension, "images", 3, "pass the image file first"},
		{"image file as labels", "tiny-images-idx3-ubyte", "tiny-images-idx3-ubyte", ErrDimension, "labels", 3, "pass the label file second"},
		{"short header", "short-header-idx3-ubyte", "", ErrTruncated, "images", 10, "dimension sizes"},
		{"zero rows", "zero-rows-images-idx3-ubyte", "", ErrDimension, "images", 4, "3 images of 0×3 pixels"},
		{"huge header", "huge-images-idx3-ubyte", "", ErrDimension, "images", 4, "exceed the limit"},
		{"overstated header", "overstated-images-idx3-ubyte", "", ErrTruncated, "images", 34, "after 18 of 1073741824 bytes"},
		{"truncated pixels", "truncated-images-idx3-ubyte", "", ErrTruncated, "images", 31, "after 15 of 18 bytes"},
		{"truncated gzipped pixels", "truncated-images-idx3-ubyte.gz", "", ErrTruncated, "images", 31, "after 15 of 18 bytes"},
		{"cut gzip stream", "cut-gzip-images-idx3-ubyte.gz", "", ErrTruncated, "images", -1, "pixel data ends"},
		{"trailing pixels", "trailing-images-idx3-ubyte", "", ErrTrailingData, "images", 34, "declares 3 images"},
		{"label count", "tiny-images-idx3-ubyte", "four-labels-idx1-ubyte", ErrCountMismatch, "labels", 4, "4 labels for 3 images"},
		{"truncated labels", "tiny-images-idx3-ubyte", "truncated-labels-idx1-ubyte", ErrTruncated, "labels", 10, "after 2 of 3 labels"},
	}
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			var labels io.Reader
			if test.labels != "" {
				labels = openFixture(t, test.labels)
			}

			_, err := ReadIDX(openFixture(t, test.images), labels)

			if !errors.Is(err, test.want) {
				t.Fatalf("error = %v, want %v", err, test.want)
			}
			var fe *FormatError
			if !errors.As(err, &fe) {
				t.Fatalf("error %v is not a *FormatError", err)
			}
			if fe.Stream != test.stream {
				t.Errorf("Stream = %q, want %q", fe.Stream, test.stream)
			}
			// The cut gzip stream ends wherever the decompressor
			// stops, so its offset is not checked.
			if test.offset >= 0 && fe.Offset != test.offset {
				t.Errorf("Offset = %d, want %d", fe.Offset, test.offset)
			}
			if !strings.Contains(err.Error(), test.detail) {
				t.Errorf("error = %q, want it to contain %q", err, test.detail)
			}
			if !strings.Contains(err.Error(), filepath.Join("testdata", test.images)) && test.stream == "images" {
				t.Errorf("error = %q, want it to name the file", err)
			}
		})
	}
}

// failingReader returns its data and then err.
type failingReader struct {
	data []byte
	err  error
}

func (r *failingReader) Read(p []byte) (int, error) {
	if len(r.data) == 0 {
		return 0, r.err
	}
	n := copy(p, r.data)
	r.data = r.data[n:]
	return n, nil
}

func TestReadIDXReaderError(t *testing.T) {
	errDisk := errors.New("disk failure")
	images := fixtures()["tiny-images-idx3-ubyte"]

	_, err := ReadIDX(&failingReader{data: images[:20], err: errDisk}, nil)

	if !errors.Is(err, errDisk) {
		t.Fatalf("error = %v, want it to wrap %v", err, errDisk)
	}
	var fe *FormatError
	if errors.As(err, &fe) {
		t.Errorf("error %v is a *FormatError, want a wrapped reader error", err)
	}
	if !strings.Contains(err.Error(), "at byte 20") {
		t.Errorf("error = %q, want the offset 20", err)
	}
}

func FuzzReadIDX(f *testing.F) {
	for name, b := range fixtures() {
		if strings.Contains(name, "labels") {
			f.Add(fixtures()["tiny-images-idx3-ubyte"], b)
		} else {
			f.Add(b, []byte(nil))
			f.Add(b, fixtures()["tiny-labels-idx1-ubyte"])
		}
	}

	f.Fuzz(func(t *testing.T, images, labels []byte) {
		var labelReader io.Reader
		if len(labels) > 0 {
			labelReader = bytes.NewReader(labels)
		}

		d, err := ReadIDX(bytes.NewReader(images), labelReader)

		if err != nil {
			if d != nil {
				t.Fatalf("ReadIDX returned a dataset and error %v", err)
			}
			if !strings.HasPrefix(err.Error(), "dataset: ") {
				t.Fatalf("error %q lacks the dataset: prefix", err)
			}
			return
		}
		if d.Len() < 1 || len(d.X) != d.Len()*d.Dim() || d.C != 1 {
			t.Fatalf("inconsistent shape: C=%d H=%d W=%d len(X)=%d", d.C, d.H, d.W, len(d.X))
		}
		for i, v := range d.X {
			if v < -1 || v > 1 {
				t.Fatalf("X[%d] = %v, outside [-1, 1]", i, v)
			}
		}
		if labelReader != nil {
			if len(d.Labels) != d.Len() {
				t.Fatalf("len(Labels) = %d, want %d", len(d.Labels), d.Len())
			}
			for i, label := range d.Labels {
				if label < 0 || label >= len(d.Classes) {
					t.Fatalf("Labels[%d] = %d, outside the %d classes", i, label, len(d.Classes))
				}
			}
		}
	})
}

func BenchmarkReadIDXMNIST(b *testing.B) {
	images, labels, _, _ := assets.MNIST()
	b.SetBytes(int64(len(images) + len(labels)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ReadIDX(bytes.NewReader(images), bytes.NewReader(labels)); err != nil {
			b.Fatal(err)
		}
	}
}

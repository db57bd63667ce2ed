package dataset

import (
	"bytes"
	"errors"
	"io"
	"slices"
	"strings"
	"testing"
	"testing/iotest"
)

func TestReadCIFAR10(t *testing.T) {
	d, err := ReadCIFAR10(bytes.NewReader(cifarBytes(0, 3, 9, 3)))
	if err != nil {
		t.Fatalf("ReadCIFAR10: %v", err)
	}

	if d.C != 3 || d.H != 32 || d.W != 32 || d.Len() != 4 {
		t.Errorf("shape, Len = %d×%d×%d, %d, want 3×32×32, 4", d.C, d.H, d.W, d.Len())
	}
	if !slices.Equal(d.Labels, []int{0, 3, 9, 3}) {
		t.Errorf("Labels = %v, want [0 3 9 3]", d.Labels)
	}
	if len(d.Classes) != 10 || d.Classes[0] != "airplane" || d.Classes[9] != "truck" {
		t.Errorf("Classes = %q, want the ten CIFAR-10 names", d.Classes)
	}
	if d.Lo != -1 || d.Hi != 1 {
		t.Errorf("range = [%v, %v], want [-1, 1]", d.Lo, d.Hi)
	}
	// The R, G and B planes of a record are the channels in order, each
	// row-major, so value c·1024 + y·32 + x of sample k comes from byte
	// 37k + 85c + 32y + x.
	for _, at := range []struct{ k, c, y, x int }{{0, 0, 0, 0}, {1, 0, 0, 5}, {2, 1, 3, 7}, {3, 2, 31, 31}} {
		p := byte(37*at.k + 85*at.c + 32*at.y + at.x)
		got := d.Sample(at.k)[at.c*1024+at.y*32+at.x]
		if want := pixelValue[p]; got != want {
			t.Errorf("sample %d channel %d pixel (%d, %d) = %v, want %v for byte %d", at.k, at.c, at.x, at.y, got, want, p)
		}
	}
}

func TestReadCIFAR10Errors(t *testing.T) {
	tests := []struct {
		name   string
		data   []byte
		err    error
		record int
		want   string
	}{
		{"empty", nil, ErrNoData, 0, "the file is empty"},
		{"label byte only", []byte{1}, ErrRecordSize, 1, "ends 1 bytes into the record, after 0 whole records"},
		{"truncated second record", cifarBytes(0, 1)[:2*cifarRecord-100], ErrRecordSize, 2, "ends 2973 bytes into the record, after 1 whole records"},
		{"label 10", cifarBytes(10), ErrLabelRange, 1, "label byte 10 at byte 0, want 0 to 9"},
		{"label 255 in record 3", cifarBytes(1, 2, 255), ErrLabelRange, 3, "label byte 255 at byte 6146"},
	}
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			_, err := ReadCIFAR10(bytes.NewReader(test.data))

			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error = %v, want a *ParseError", err)
			}
			if !errors.Is(err, test.err) {
				t.Errorf("error = %v, want it to wrap %v", err, test.err)
			}
			if pe.Record != test.record {
				t.Errorf("Record = %d, want %d", pe.Record, test.record)
			}
			if !strings.Contains(err.Error(), test.want) {
				t.Errorf("error = %q, want it to contain %q", err, test.want)
			}
		})
	}
}

func TestReadCIFAR10ReaderError(t *testing.T) {
	errDisk := errors.New("disk error")
	r := io.MultiReader(bytes.NewReader(cifarBytes(1)), iotest.ErrReader(errDisk))

	_, err := ReadCIFAR10(r)

	if !errors.Is(err, errDisk) {
		t.Errorf("error = %v, want it to wrap the reader's error", err)
	}
	if err == nil || !strings.Contains(err.Error(), "record 2") {
		t.Errorf("error = %v, want the record number 2", err)
	}
}

func TestReadCIFAR10Limit(t *testing.T) {
	d, more, err := readCIFAR10(bytes.NewReader(cifarBytes(1, 2, 3)), "data_batch_1.bin", 2, 3)

	if err != nil {
		t.Fatalf("readCIFAR10: %v", err)
	}
	if !more || !slices.Equal(d.Labels, []int{1, 2}) || d.Len() != 2 {
		t.Errorf("readCIFAR10 = labels %v, Len %d, more %v, want [1 2], 2, true", d.Labels, d.Len(), more)
	}
}

func FuzzReadCIFAR10(f *testing.F) {
	f.Add(cifarBytes(0, 9))
	f.Add(cifarBytes(3)[:100])
	f.Add(cifarBytes(11))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := ReadCIFAR10(bytes.NewReader(data))
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error %v is not a *ParseError", err)
			}
			return
		}

		if d.Len()*cifarRecord != len(data) || len(d.Labels) != d.Len() {
			t.Fatalf("%d bytes gave %d samples and %d labels", len(data), d.Len(), len(d.Labels))
		}
		for i, label := range d.Labels {
			if label < 0 || label > 9 || int(data[i*cifarRecord]) != label {
				t.Fatalf("label %d = %d, want byte %d in 0 to 9", i, label, data[i*cifarRecord])
			}
		}
		for i, v := range d.X {
			if v < -1 || v > 1 {
				t.Fatalf("X[%d] = %v outside [-1, 1]", i, v)
			}
		}
	})
}

func BenchmarkReadCIFAR10(b *testing.B) {
	labels := make([]byte, 1000)
	for i := range labels {
		labels[i] = byte(i % 10)
	}
	data := cifarBytes(labels...)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ReadCIFAR10(bytes.NewReader(data)); err != nil {
			b.Fatal(err)
		}
	}
}

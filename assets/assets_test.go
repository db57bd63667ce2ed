package assets

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"image/png"
	"io"
	"testing"
)

func TestIconDecodes(t *testing.T) {
	img, err := png.Decode(bytes.NewReader(Icon))
	if err != nil {
		t.Fatalf("decoding icon: %v", err)
	}
	if got := img.Bounds().Size(); got.X != 256 || got.Y != 256 {
		t.Errorf("icon size = %v, want 256×256", got)
	}
	if _, _, _, a := img.At(0, 0).RGBA(); a != 0 {
		t.Errorf("icon corner alpha = %d, want 0 for the rounded corner", a)
	}
	if _, _, _, a := img.At(128, 128).RGBA(); a != 0xffff {
		t.Errorf("icon centre alpha = %d, want opaque", a)
	}
}

func TestMNISTHeaders(t *testing.T) {
	trainImages, trainLabels, testImages, testLabels := MNIST()
	tests := []struct {
		name  string
		gz    []byte
		magic uint32
		count int
	}{
		{"train images", trainImages, 0x803, MNISTTrainCount},
		{"train labels", trainLabels, 0x801, MNISTTrainCount},
		{"test images", testImages, 0x803, MNISTTestCount},
		{"test labels", testLabels, 0x801, MNISTTestCount},
	}
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			zr, err := gzip.NewReader(bytes.NewReader(test.gz))
			if err != nil {
				t.Fatalf("opening gzip stream: %v", err)
			}
			raw, err := io.ReadAll(zr)
			if err != nil {
				t.Fatalf("reading gzip stream: %v", err)
			}

			if magic := binary.BigEndian.Uint32(raw[0:4]); magic != test.magic {
				t.Errorf("magic = %#x, want %#x", magic, test.magic)
			}
			if count := binary.BigEndian.Uint32(raw[4:8]); int(count) != test.count {
				t.Errorf("count = %d, want %d", count, test.count)
			}
			header, record := 8, 1
			if test.magic == 0x803 {
				header, record = 16, 28*28
				if rows, cols := binary.BigEndian.Uint32(raw[8:12]), binary.BigEndian.Uint32(raw[12:16]); rows != 28 || cols != 28 {
					t.Errorf("image size = %d×%d, want 28×28", rows, cols)
				}
			}
			if want := header + test.count*record; len(raw) != want {
				t.Errorf("length = %d bytes, want %d", len(raw), want)
			}
			if test.magic == 0x801 {
				for i, label := range raw[header:] {
					if label > 9 {
						t.Fatalf("label %d = %d, want 0 to 9", i, label)
					}
				}
			}
		})
	}
}

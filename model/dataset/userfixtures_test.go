package dataset

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// cifarBytes returns CIFAR-10 records with the given labels. Byte p of
// channel c of record k is (37k + 85c + p) mod 256.
func cifarBytes(labels ...byte) []byte {
	var b []byte
	for k, label := range labels {
		b = append(b, label)
		for c := range 3 {
			for p := range cifarSide * cifarSide {
				b = append(b, byte(37*k+85*c+p))
			}
		}
	}
	return b
}

// pointsCSV is testdata/points.csv: a comment, a header, a blank line, an
// inline comment, spaces and CRLF line ends. Its coordinates run from -1
// to 3, so Lo, Hi = -1.4, 3.4.
const pointsCSV = "# two clusters\r\n" +
	"x,y\r\n" +
	"0,0\r\n" +
	"\r\n" +
	"1, 2  # inline comment\r\n" +
	"-1,3\r\n" +
	"2,-0.5\r\n" +
	"0.25,1e-1\r\n"

// userFixtures returns the content of the CSV, CIFAR-10 and IDX files
// that Open's tests read, by path under testdata.
func userFixtures() map[string][]byte {
	trainImages := idxBytes(0x803, []uint32{3, 2, 3}, tinyPixels)
	trainLabels := idxBytes(0x801, []uint32{3}, tinyLabels)
	testImages := idxBytes(0x803, []uint32{2, 2, 3}, tinyPixels[6:])
	testLabels := idxBytes(0x801, []uint32{2}, []byte{4, 1})
	return map[string][]byte{
		"points.csv":            []byte(pointsCSV),
		"points-bad-number.csv": []byte("x,y\n1,2\n# a comment\n3,abc\n5,6\n"),
		"points-3-columns.csv":  []byte(",x,y\n0,1.5,2\n1,2.5,3\n"),
		"points-nan.csv":        []byte("1,2\n3,4\nNaN,5\n"),
		"points-no-data.csv":    []byte("# only a comment\nx,y\n\n"),
		"points-spaces.txt":     []byte("# x y\n1.000000000000000000e+00 2.000000000000000000e+00\n-3.000000000000000000e+00\t4.000000000000000000e+00\n"),

		"cifar10/data_batch_1.bin": cifarBytes(0, 3, 9, 3),
		"cifar10/test_batch.bin":   cifarBytes(1, 8),
		"truncated_batch.bin":      cifarBytes(0, 1)[:2*cifarRecord-100],
		"bad-label_batch.bin":      cifarBytes(0, 12, 1),
		"empty_batch.bin":          nil,

		"idx-pair/train-images-idx3-ubyte.gz": gzipped(trainImages),
		"idx-pair/train-labels-idx1-ubyte.gz": gzipped(trainLabels),
		"idx-pair/t10k-images-idx3-ubyte.gz":  gzipped(testImages),
		"idx-pair/t10k-labels-idx1-ubyte.gz":  gzipped(testLabels),
	}
}

// shapeImages returns the grey images of testdata/shapes by path: four
// 28×28 PNG files in two class folders, and a 40×20 JPEG file.
func shapeImages() map[string]*image.Gray {
	draw := func(w, h int, ink func(x, y int) bool) *image.Gray {
		m := image.NewGray(image.Rect(0, 0, w, h))
		for y := range h {
			for x := range w {
				if ink(x, y) {
					m.SetGray(x, y, color.Gray{Y: 255})
				}
			}
		}
		return m
	}
	disc := func(cx, cy, r int) func(x, y int) bool {
		return func(x, y int) bool { return (x-cx)*(x-cx)+(y-cy)*(y-cy) <= r*r }
	}
	return map[string]*image.Gray{
		"shapes/bars/bar-0.png": draw(28, 28, func(x, y int) bool { return x >= 12 && x < 16 }),
		"shapes/bars/bar-1.png": draw(28, 28, func(x, y int) bool { return y >= 12 && y < 16 }),
		"shapes/dots/dot-0.png": draw(28, 28, disc(14, 14, 6)),
		"shapes/dots/dot-1.png": draw(28, 28, disc(14, 14, 9)),
		"shapes/dots/wide.jpg":  draw(40, 20, disc(20, 10, 8)),
	}
}

// encodeImage returns m as PNG or, for a .jpg path, as JPEG.
func encodeImage(path string, m image.Image) []byte {
	var buf bytes.Buffer
	if strings.HasSuffix(path, ".jpg") {
		jpeg.Encode(&buf, m, &jpeg.Options{Quality: 95})
	} else {
		png.Encode(&buf, m)
	}
	return buf.Bytes()
}

// TestUserFixturesUpToDate checks the committed fixtures of Open against
// userFixtures and shapeImages, or rewrites them when the test runs with
// -regen. Image files are compared by their decoded pixels, PNG exactly
// and JPEG by size, because encoders may change between Go releases.
func TestUserFixturesUpToDate(t *testing.T) {
	const fix = "run go test -run TestUserFixturesUpToDate -regen"
	files := userFixtures()
	for name, m := range shapeImages() {
		if *regen {
			files[name] = encodeImage(name, m)
			continue
		}
		f, err := os.Open(filepath.Join("testdata", name))
		if err != nil {
			t.Fatalf("%v: %s", err, fix)
		}
		got, _, err := image.Decode(f)
		f.Close()
		if err != nil {
			t.Fatalf("decoding %s: %v", name, err)
		}
		if got.Bounds() != m.Bounds() {
			t.Errorf("%s is %v, want %v: %s", name, got.Bounds(), m.Bounds(), fix)
			continue
		}
		if gray, ok := got.(*image.Gray); ok && strings.HasSuffix(name, ".png") && !bytes.Equal(gray.Pix, m.Pix) {
			t.Errorf("%s differs from shapeImages(): %s", name, fix)
		}
	}

	for name, want := range files {
		path := filepath.Join("testdata", name)
		if *regen {
			if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, want, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		got, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v: %s", err, fix)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from userFixtures(): %s", path, fix)
		}
	}
}

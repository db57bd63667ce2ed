package main

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// makeIDX returns a raw IDX file with the given header words followed by
// body.
func makeIDX(words []uint32, body []byte) []byte {
	raw := make([]byte, 4*len(words), 4*len(words)+len(body))
	for i, w := range words {
		binary.BigEndian.PutUint32(raw[4*i:], w)
	}
	return append(raw, body...)
}

func gzipBytes(t *testing.T, raw []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write(raw); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func gunzipBytes(t *testing.T, gz []byte) []byte {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		t.Fatal(err)
	}
	raw, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

func TestSubsetKeepsLeadingRecords(t *testing.T) {
	f := idxFile{name: "labels", magic: magicLabels, fullCount: 5, keep: 3}
	src := makeIDX([]uint32{magicLabels, 5}, []byte{7, 1, 9, 0, 4})

	gz, err := subset(gzipBytes(t, src), f)
	if err != nil {
		t.Fatalf("subset: %v", err)
	}

	want := makeIDX([]uint32{magicLabels, 3}, []byte{7, 1, 9})
	if got := gunzipBytes(t, gz); !bytes.Equal(got, want) {
		t.Errorf("subset = %v, want %v", got, want)
	}
	again, err := subset(gzipBytes(t, src), f)
	if err != nil {
		t.Fatalf("second subset: %v", err)
	}
	if !bytes.Equal(gz, again) {
		t.Error("two runs wrote different gzip bytes")
	}
}

func TestSubsetRejectsInvalidSource(t *testing.T) {
	images := idxFile{name: "images", magic: magicImages, fullCount: 2, keep: 1}
	labels := idxFile{name: "labels", magic: magicLabels, fullCount: 2, keep: 1}
	image := make([]byte, imageRows*imageCols)
	tests := []struct {
		name string
		f    idxFile
		raw  []byte
		want string
	}{
		{"short header", labels, []byte{0, 0, 8}, "truncated IDX header"},
		{"wrong magic", labels, makeIDX([]uint32{magicImages, 2}, []byte{1, 2}), "invalid IDX magic number"},
		{"wrong count", labels, makeIDX([]uint32{magicLabels, 3}, []byte{1, 2, 3}), "invalid record count 3"},
		{"missing label", labels, makeIDX([]uint32{magicLabels, 2}, []byte{1}), "invalid size"},
		{"label above 9", labels, makeIDX([]uint32{magicLabels, 2}, []byte{1, 10}), "invalid label 10 at byte 9"},
		{"wrong image size", images, makeIDX([]uint32{magicImages, 2, 28, 27}, nil), "invalid image size 28×27"},
		{"short image", images, makeIDX([]uint32{magicImages, 2, 28, 28}, image), "invalid size"},
	}
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			_, err := subset(gzipBytes(t, test.raw), test.f)
			if err == nil {
				t.Fatalf("subset returned no error, want %q", test.want)
			}
			if !strings.Contains(err.Error(), test.want) {
				t.Errorf("error = %q, want it to contain %q", err, test.want)
			}
		})
	}
}

// TestCommittedSubsetMatchesSource regenerates the subset and compares it
// with the files that package assets embeds. Under the race detector it
// skips the training images, whose 47 MB of decompression and compression
// take about 40 s there.
func TestCommittedSubsetMatchesSource(t *testing.T) {
	if testing.Short() {
		t.Skip("regenerating the MNIST subset reads 11 MB of gzip data")
	}
	src, err := sourceDir()
	if err != nil {
		t.Skipf("MNIST source module not available: %v", err)
	}

	for _, f := range files {
		if raceEnabled && f.name == "train-images-idx3-ubyte.gz" {
			t.Logf("%s: skipped under the race detector", f.name)
			continue
		}
		gz, err := os.ReadFile(filepath.Join(src, f.name))
		if err != nil {
			t.Fatal(err)
		}
		got, err := subset(gz, f)
		if err != nil {
			t.Fatalf("%s: %v", f.name, err)
		}
		want, err := os.ReadFile(filepath.Join("..", "..", "mnist", f.name))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s: regenerated file differs from the committed one", f.name)
		}
	}
}

package dataset

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var regen = flag.Bool("regen", false, "rewrite the IDX fixtures in testdata")

// tinyPixels are the three 2×3 images of the tiny fixtures.
var tinyPixels = []byte{
	0, 255, 128, 0, 0, 0,
	255, 255, 255, 255, 255, 255,
	1, 2, 3, 4, 5, 6,
}

var tinyLabels = []byte{2, 0, 1}

// idxBytes returns an IDX file with the given magic number, dimension
// sizes and body.
func idxBytes(magic uint32, dims []uint32, body []byte) []byte {
	b := binary.BigEndian.AppendUint32(nil, magic)
	for _, d := range dims {
		b = binary.BigEndian.AppendUint32(b, d)
	}
	return append(b, body...)
}

// gzipped compresses b with an empty gzip header, so that the output is
// the same on every run.
func gzipped(b []byte) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(b)
	zw.Close()
	return buf.Bytes()
}

// fixtures returns the content of every file in testdata.
func fixtures() map[string][]byte {
	tinyImages := idxBytes(0x803, []uint32{3, 2, 3}, tinyPixels)
	tinyLabelFile := idxBytes(0x801, []uint32{3}, tinyLabels)
	return map[string][]byte{
		"tiny-images-idx3-ubyte":         tinyImages,
		"tiny-labels-idx1-ubyte":         tinyLabelFile,
		"tiny-images-idx3-ubyte.gz":      gzipped(tinyImages),
		"tiny-labels-idx1-ubyte.gz":      gzipped(tinyLabelFile),
		"png-signature-idx3-ubyte":       []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR"),
		"float-images-idx3-ubyte":        idxBytes(0x00000d03, []uint32{3, 2, 3}, make([]byte, 4*18)),
		"short-header-idx3-ubyte":        tinyImages[:10],
		"truncated-images-idx3-ubyte":    tinyImages[:len(tinyImages)-3],
		"truncated-images-idx3-ubyte.gz": gzipped(tinyImages[:len(tinyImages)-3]),
		"cut-gzip-images-idx3-ubyte.gz":  gzipped(tinyImages)[:30],
		"zero-rows-images-idx3-ubyte":    idxBytes(0x803, []uint32{3, 0, 3}, nil),
		"huge-images-idx3-ubyte":         idxBytes(0x803, []uint32{1 << 20, 1 << 10, 1 << 10}, tinyPixels),
		"overstated-images-idx3-ubyte":   idxBytes(0x803, []uint32{1 << 10, 1 << 10, 1 << 10}, tinyPixels),
		"trailing-images-idx3-ubyte":     append(bytes.Clone(tinyImages), 7),
		"four-labels-idx1-ubyte":         idxBytes(0x801, []uint32{4}, []byte{2, 0, 1, 1}),
		"truncated-labels-idx1-ubyte":    idxBytes(0x801, []uint32{3}, tinyLabels[:2]),
	}
}

// TestFixturesUpToDate checks the committed fixtures against fixtures(),
// or rewrites them when the test runs with -regen.
func TestFixturesUpToDate(t *testing.T) {
	for name, want := range fixtures() {
		path := filepath.Join("testdata", name)
		if *regen {
			if err := os.WriteFile(path, want, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		got, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v: run go test -run TestFixturesUpToDate -regen", err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from fixtures(): run go test -run TestFixturesUpToDate -regen", path)
		}
	}
}

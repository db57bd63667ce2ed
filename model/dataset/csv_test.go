package dataset

import (
	"errors"
	"io"
	"math"
	"slices"
	"strings"
	"testing"
	"testing/iotest"
)

func TestReadPointsCSV(t *testing.T) {
	tests := []struct {
		name   string
		text   string
		want   []float32
		lo, hi float32
	}{
		{"plain", "1,2\n3,4\n", []float32{1, 2, 3, 4}, 0.7, 4.3},
		{"header", "x,y\n1,2\n3,4\n", []float32{1, 2, 3, 4}, 0.7, 4.3},
		{"quoted header and values", "\"x\",\"y\"\n\"1\",\"2\"\n3,4", []float32{1, 2, 3, 4}, 0.7, 4.3},
		{"comments and blank lines", "# points\n\n1,2 # first\n  # indented comment\n3,4\n\n", []float32{1, 2, 3, 4}, 0.7, 4.3},
		{"CRLF and byte order mark", "\ufeffx,y\r\n1,2\r\n3,4\r\n", []float32{1, 2, 3, 4}, 0.7, 4.3},
		{"no final newline", "1,2\n3,4", []float32{1, 2, 3, 4}, 0.7, 4.3},
		{"spaces and tabs", "1 2\n3\t 4\n", []float32{1, 2, 3, 4}, 0.7, 4.3},
		{"spaces around commas", " 1 , 2 \n3,4\n", []float32{1, 2, 3, 4}, 0.7, 4.3},
		{"exponents and signs", "-1e1,+2.5E-1\n10,0\n", []float32{-10, 0.25, 10, 0}, -12, 12},
		{"one point", "2,2\n", []float32{2, 2}, 1, 3},
		{"range from both axes", "0,-5\n1,5\n", []float32{0, -5, 1, 5}, -6, 6},
	}
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			d, err := ReadPointsCSV(strings.NewReader(test.text))
			if err != nil {
				t.Fatalf("ReadPointsCSV: %v", err)
			}

			if d.C != 2 || d.H != 1 || d.W != 1 || !d.IsPoints() {
				t.Errorf("shape = %d×%d×%d, want 2×1×1", d.C, d.H, d.W)
			}
			if !slices.Equal(d.X, test.want) {
				t.Errorf("X = %v, want %v", d.X, test.want)
			}
			if math.Abs(float64(d.Lo-test.lo)) > 1e-6 || math.Abs(float64(d.Hi-test.hi)) > 1e-6 {
				t.Errorf("range = [%v, %v], want [%v, %v]", d.Lo, d.Hi, test.lo, test.hi)
			}
			if d.Labels != nil || d.Classes != nil || d.Name != "" {
				t.Errorf("Labels, Classes, Name = %v, %v, %q, want nil, nil, empty", d.Labels, d.Classes, d.Name)
			}
		})
	}
}

func TestReadPointsCSVErrors(t *testing.T) {
	tests := []struct {
		name string
		text string
		err  error
		line int
		want string // part of the message
	}{
		{"bad number", "x,y\n1,2\n3,abc\n", ErrInvalidNumber, 3, `column 2 is "abc", want a decimal number`},
		{"second header", "x,y\nx,y\n", ErrInvalidNumber, 2, `column 1 is "x"`},
		{"half a header", "x,1\n", ErrInvalidNumber, 1, `column 1 is "x"`},
		{"empty field", "1,\n", ErrInvalidNumber, 1, `column 2 is ""`},
		{"three columns", "1,2,3\n", ErrColumnCount, 1, `3 columns ["1" "2" "3"], want 2 (x,y)`},
		{"one column", "1,2\n3\n", ErrColumnCount, 2, "1 columns"},
		{"three space-separated columns", "1 2 3\n", ErrColumnCount, 1, "3 columns"},
		{"NaN", "1,2\nNaN,3\n", ErrNotFinite, 2, `column 1 is "NaN", want a finite number`},
		{"infinity", "1,-Inf\n", ErrNotFinite, 1, `column 2 is "-Inf"`},
		{"beyond float32", "1e39,0\n", ErrNotFinite, 1, "within ±3.4e38"},
		{"no points", "# nothing\nx,y\n", ErrNoData, 0, "has no points"},
		{"empty", "", ErrNoData, 0, "has no points"},
		{"binary data", "\x89PNG\r\n\x1a\n", ErrColumnCount, 1, "want 2 (x,y)"},
		{"line too long", strings.Repeat("1", maxLineBytes+1), ErrLineTooLong, 1, "longer than 65536 bytes"},
	}
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			_, err := ReadPointsCSV(strings.NewReader(test.text))

			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error = %v, want a *ParseError", err)
			}
			if !errors.Is(err, test.err) {
				t.Errorf("error = %v, want it to wrap %v", err, test.err)
			}
			if pe.Line != test.line {
				t.Errorf("Line = %d, want %d", pe.Line, test.line)
			}
			if !strings.Contains(err.Error(), test.want) {
				t.Errorf("error = %q, want it to contain %q", err, test.want)
			}
		})
	}
}

func TestReadPointsCSVReaderError(t *testing.T) {
	errDisk := errors.New("disk error")
	r := io.MultiReader(strings.NewReader("1,2\n3,"), iotest.ErrReader(errDisk))

	_, err := ReadPointsCSV(r)

	if !errors.Is(err, errDisk) {
		t.Errorf("error = %v, want it to wrap the reader's error", err)
	}
	if err == nil || !strings.Contains(err.Error(), "line 2") {
		t.Errorf("error = %v, want the line number 2", err)
	}
}

func TestReadPointsCSVLimit(t *testing.T) {
	d, more, err := readPointsCSV(strings.NewReader("1,2\n3,4\n5,6\nnot checked\n"), "points.csv", 2)
	if err != nil {
		t.Fatalf("readPointsCSV: %v", err)
	}
	if !more || !slices.Equal(d.X, []float32{1, 2, 3, 4}) {
		t.Errorf("readPointsCSV = %v, more %v, want [1 2 3 4], more true", d.X, more)
	}

	d, more, err = readPointsCSV(strings.NewReader("1,2\n3,4\n"), "points.csv", 2)
	if err != nil || more || d.Len() != 2 {
		t.Errorf("at the limit: Len %d, more %v, error %v, want 2, false, nil", d.Len(), more, err)
	}
}

func FuzzReadPointsCSV(f *testing.F) {
	f.Add(pointsCSV)
	f.Add("x y\n1 2\n")
	f.Add("1,2,3\n")
	f.Add("\"1\",\"2\"\n#\n")
	f.Add("3.4e38,-3.4e38\n")
	f.Fuzz(func(t *testing.T, text string) {
		d, err := ReadPointsCSV(strings.NewReader(text))
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error %v is not a *ParseError", err)
			}
			return
		}

		if d.Len() < 1 || len(d.X) != 2*d.Len() || !d.IsPoints() {
			t.Fatalf("Len %d with %d values and shape %d×%d×%d", d.Len(), len(d.X), d.C, d.H, d.W)
		}
		if !(d.Lo < d.Hi) {
			t.Fatalf("range [%v, %v] is empty", d.Lo, d.Hi)
		}
		for i, v := range d.X {
			if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) || v < d.Lo || v > d.Hi {
				t.Fatalf("X[%d] = %v outside [%v, %v]", i, v, d.Lo, d.Hi)
			}
		}
	})
}

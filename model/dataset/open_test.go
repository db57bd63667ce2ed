package dataset

import (
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ebmlab/ebmlab/ui/imagein"
)

// writeFile writes data to dir/name, creating folders as needed.
func writeFile(t testing.TB, dir, name string, data []byte) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// writePNG writes a w×h PNG filled with c to dir/name.
func writePNG(t testing.TB, dir, name string, w, h int, c color.Color) string {
	t.Helper()
	m := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			m.Set(x, y, c)
		}
	}
	return writeFile(t, dir, name, encodeImage(name, m))
}

// union returns the samples of train and test together, sorted by their
// first value, so that sets can be compared regardless of the split.
func union(train, test *Dataset) [][]float32 {
	var samples [][]float32
	for _, d := range []*Dataset{train, test} {
		for i := range d.Len() {
			samples = append(samples, d.Sample(i))
		}
	}
	slices.SortFunc(samples, func(a, b []float32) int { return slices.Compare(a, b) })
	return samples
}

func TestOpenFormats(t *testing.T) {
	tests := []struct {
		path          string
		c, h, w       int
		trainLen, len int // training set and total samples
		classes       []string
		lo, hi        float32
	}{
		{"testdata/shapes", 1, 28, 28, 4, 5, []string{"bars", "dots"}, -1, 1},
		{"testdata/tiny-images-idx3-ubyte.gz", 1, 2, 3, 2, 3, []string{"0", "1", "2"}, -1, 1},
		{"testdata/tiny-images-idx3-ubyte", 1, 2, 3, 2, 3, []string{"0", "1", "2"}, -1, 1},
		{"testdata/idx-pair/train-images-idx3-ubyte.gz", 1, 2, 3, 3, 5, []string{"0", "1", "2", "3", "4"}, -1, 1},
		{"testdata/cifar10/data_batch_1.bin", 3, 32, 32, 4, 6, cifarClasses, -1, 1},
		{"testdata/cifar10/test_batch.bin", 3, 32, 32, 1, 2, cifarClasses, -1, 1},
		{"testdata/points.csv", 2, 1, 1, 4, 5, nil, -1.4, 3.4},
		{"testdata/points-spaces.txt", 2, 1, 1, 1, 2, nil, -3.7, 4.7},
	}
	for _, test := range tests {
		t.Run(filepath.Base(test.path), func(t *testing.T) {
			train, test_, err := Open(context.Background(), test.path, 1, nil)
			if err != nil {
				t.Fatalf("Open: %v", err)
			}

			for _, d := range []*Dataset{train, test_} {
				if d.C != test.c || d.H != test.h || d.W != test.w {
					t.Errorf("shape = %d×%d×%d, want %d×%d×%d", d.C, d.H, d.W, test.c, test.h, test.w)
				}
				if d.Name != test.path {
					t.Errorf("Name = %q, want %q", d.Name, test.path)
				}
				if !slices.Equal(d.Classes, test.classes) {
					t.Errorf("Classes = %q, want %q", d.Classes, test.classes)
				}
				if test.classes != nil && len(d.Labels) != d.Len() {
					t.Errorf("%d labels for %d samples", len(d.Labels), d.Len())
				}
				if math.Abs(float64(d.Lo-test.lo)) > 1e-6 || math.Abs(float64(d.Hi-test.hi)) > 1e-6 {
					t.Errorf("range = [%v, %v], want [%v, %v]", d.Lo, d.Hi, test.lo, test.hi)
				}
				for i, v := range d.X {
					if v < d.Lo || v > d.Hi {
						t.Fatalf("X[%d] = %v outside [%v, %v]", i, v, d.Lo, d.Hi)
					}
				}
			}
			if train.Len() != test.trainLen || train.Len()+test_.Len() != test.len {
				t.Errorf("Len = %d + %d, want %d + %d", train.Len(), test_.Len(), test.trainLen, test.len-test.trainLen)
			}
		})
	}
}

func TestOpenSeededSplit(t *testing.T) {
	open := func(seed uint64) (*Dataset, *Dataset) {
		train, test, err := Open(context.Background(), "testdata/points.csv", seed, nil)
		if err != nil {
			t.Fatalf("Open: %v", err)
		}
		return train, test
	}
	train, test := open(7)
	again, _ := open(7)

	if !slices.Equal(train.X, again.X) {
		t.Errorf("two opens with seed 7 give training sets %v and %v", train.X, again.X)
	}
	all := []float32{0, 0, 1, 2, -1, 3, 2, -0.5, 0.25, 0.1}
	if got := union(train, test); len(got) != 5 {
		t.Errorf("train and test hold %d points, want 5", len(got))
	}
	for _, p := range union(train, test) {
		if !slices.ContainsFunc(slices.Collect(slices.Chunk(all, 2)), func(q []float32) bool { return slices.Equal(p, q) }) {
			t.Errorf("point %v is not in points.csv", p)
		}
	}
	heldOut := map[float32]bool{}
	for seed := range uint64(20) {
		_, test := open(seed)
		heldOut[test.X[0]] = true
	}
	if len(heldOut) < 2 {
		t.Errorf("20 seeds held out the same point, want the choice to depend on the seed")
	}
}

func TestSplitHeldOut(t *testing.T) {
	tests := []struct{ n, wantTest int }{{2, 1}, {9, 1}, {10, 1}, {25, 2}, {100, 10}, {1001, 100}}
	for _, test := range tests {
		d := &Dataset{Name: "ramp", C: 1, H: 1, W: 2, Lo: -1, Hi: 1, Classes: []string{"even", "odd"}}
		for i := range test.n {
			d.X = append(d.X, float32(i), float32(-i))
			d.Labels = append(d.Labels, i%2)
		}

		train, held, err := splitHeldOut(d, 3)
		if err != nil {
			t.Fatalf("n = %d: splitHeldOut: %v", test.n, err)
		}

		if held.Len() != test.wantTest || train.Len() != test.n-test.wantTest {
			t.Errorf("n = %d: Len = %d + %d, want %d + %d", test.n, train.Len(), held.Len(), test.n-test.wantTest, test.wantTest)
		}
		seen := make([]bool, test.n)
		for _, set := range []*Dataset{train, held} {
			previous := -1
			for k := range set.Len() {
				s := set.Sample(k)
				i := int(s[0])
				if s[1] != -s[0] || set.Labels[k] != i%2 {
					t.Fatalf("n = %d: sample %v with label %d does not match its index %d", test.n, s, set.Labels[k], i)
				}
				if i <= previous {
					t.Errorf("n = %d: sample %d follows %d, want the original order", test.n, i, previous)
				}
				if seen[i] {
					t.Errorf("n = %d: sample %d is in both sets", test.n, i)
				}
				seen[i], previous = true, i
			}
			if set.Name != "ramp" || !slices.Equal(set.Classes, []string{"even", "odd"}) || set.Lo != -1 {
				t.Errorf("n = %d: Name, Classes, Lo = %q, %q, %v, want those of the source", test.n, set.Name, set.Classes, set.Lo)
			}
		}
		if slices.Contains(seen, false) {
			t.Errorf("n = %d: a sample is in neither set", test.n)
		}
	}
}

func TestOpenErrors(t *testing.T) {
	empty := t.TempDir()
	notes := writeFile(t, t.TempDir(), "notes.md", []byte("# notes\n"))
	textOnly := t.TempDir()
	writeFile(t, textOnly, "readme.txt", []byte("images go here\n"))
	cifarDir := t.TempDir()
	writeFile(t, cifarDir, "data_batch_1.bin", cifarBytes(1, 2))
	oneImage := t.TempDir()
	writePNG(t, oneImage, "only.png", 28, 28, color.Gray{Y: 200})
	onePoint := writeFile(t, t.TempDir(), "one.csv", []byte("x,y\n1,2\n"))

	tests := []struct {
		name string
		path string
		err  error    // wrapped by the error
		want []string // parts of the message
	}{
		{"missing path", "testdata/no-such-file", fs.ErrNotExist, []string{"testdata/no-such-file not found: check the path"}},
		{"empty folder", empty, ErrNoImages, []string{"no images found under " + empty, "supported extensions are .png"}},
		{"folder without images", textOnly, ErrNoImages, []string{"no images found"}},
		{"folder of a CIFAR-10 batch", cifarDir, ErrNoImages, []string{"to load data_batch_1.bin, open that file instead of the folder"}},
		{"single image", filepath.Join(oneImage, "only.png"), ErrUnsupportedFile, []string{"is a single image", "open the folder"}},
		{"one image in a folder", oneImage, ErrTooFew, []string{"has only 1 sample", "need at least 2"}},
		{"one point", onePoint, ErrTooFew, []string{"has only 1 sample"}},
		{"unknown file", notes, ErrUnsupportedFile, []string{"notes.md", "choose a folder of images, an IDX image file, a CIFAR-10 .bin batch or a .csv file"}},
		{"IDX label file", "testdata/four-labels-idx1-ubyte", ErrUnsupportedFile, []string{"is an IDX label file", "open the image file"}},
		{"IDX not IDX", "testdata/png-signature-idx3-ubyte", ErrBadMagic, []string{"png-signature-idx3-ubyte", "not an IDX file"}},
		{"IDX float type", "testdata/float-images-idx3-ubyte", ErrUnsupportedType, []string{"unsigned byte"}},
		{"IDX short header", "testdata/short-header-idx3-ubyte", ErrTruncated, []string{"dimension sizes"}},
		{"IDX truncated", "testdata/truncated-images-idx3-ubyte", ErrTruncated, []string{"pixel data ends after 15 of 18 bytes"}},
		{"IDX huge", "testdata/huge-images-idx3-ubyte", ErrDimension, []string{"exceed the limit"}},
		{"CSV bad number", "testdata/points-bad-number.csv", ErrInvalidNumber, []string{"points-bad-number.csv at line 4", `column 2 is "abc"`}},
		{"CSV three columns", "testdata/points-3-columns.csv", ErrColumnCount, []string{"at line 1", "3 columns", "index column"}},
		{"CSV NaN", "testdata/points-nan.csv", ErrNotFinite, []string{"at line 3", `"NaN"`}},
		{"CSV without points", "testdata/points-no-data.csv", ErrNoData, []string{"has no points"}},
		{"CIFAR-10 truncated", "testdata/truncated_batch.bin", ErrRecordSize, []string{"size 6046 bytes is not a multiple of the 3073-byte record"}},
		{"CIFAR-10 label 12", "testdata/bad-label_batch.bin", ErrLabelRange, []string{"at record 2", "label byte 12"}},
		{"CIFAR-10 empty", "testdata/empty_batch.bin", ErrNoData, []string{"the file is empty"}},
	}
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			train, held, err := Open(context.Background(), test.path, 1, nil)

			if train != nil || held != nil {
				t.Errorf("Open returned data with error %v", err)
			}
			if !errors.Is(err, test.err) {
				t.Fatalf("error = %v, want it to wrap %v", err, test.err)
			}
			for _, want := range test.want {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error = %q, want it to contain %q", err, want)
				}
			}
			if !strings.HasPrefix(err.Error(), "dataset: ") {
				t.Errorf("error = %q, want the dataset: prefix", err)
			}
		})
	}
}

func TestOpenCancelled(t *testing.T) {
	paths := []string{
		"testdata/shapes",
		"testdata/tiny-images-idx3-ubyte.gz",
		"testdata/idx-pair/train-images-idx3-ubyte.gz",
		"testdata/cifar10/data_batch_1.bin",
		"testdata/points.csv",
	}
	for _, path := range paths {
		t.Run(filepath.Base(path), func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			cancel()

			train, test, err := Open(ctx, path, 1, nil)

			if !errors.Is(err, context.Canceled) {
				t.Errorf("error = %v, want it to wrap context.Canceled", err)
			}
			if train != nil || test != nil {
				t.Error("a cancelled Open returned data")
			}
		})
	}
}

func TestOpenCancelledWhileDecoding(t *testing.T) {
	dir := t.TempDir()
	const images = 20
	for i := range images {
		writePNG(t, dir, fmt.Sprintf("%02d.png", i), 28, 28, color.Gray{Y: 90})
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	decoded := 0

	_, _, err := Open(ctx, dir, 1, func(done, total int) {
		if total > 0 {
			decoded = done
			cancel()
		}
	})

	if !errors.Is(err, context.Canceled) {
		t.Errorf("error = %v, want it to wrap context.Canceled", err)
	}
	// The first progress call cancels, and each of at most maxDecoders
	// decoders finishes at most one more image.
	if decoded == 0 || decoded > 1+maxDecoders {
		t.Errorf("progress reported %d of %d images decoded, want at most %d", decoded, images, 1+maxDecoders)
	}
}

func TestOpenProgress(t *testing.T) {
	tests := []struct {
		path  string
		total int // last total reported
	}{
		{"testdata/shapes", 5},
		{"testdata/cifar10/data_batch_1.bin", 6 * cifarRecord},
		{"testdata/points.csv", len(pointsCSV)},
		{"testdata/idx-pair/train-images-idx3-ubyte.gz", int(fileSizes(
			"testdata/idx-pair/train-images-idx3-ubyte.gz", "testdata/idx-pair/train-labels-idx1-ubyte.gz",
			"testdata/idx-pair/t10k-images-idx3-ubyte.gz", "testdata/idx-pair/t10k-labels-idx1-ubyte.gz"))},
	}
	for _, test := range tests {
		t.Run(filepath.Base(test.path), func(t *testing.T) {
			type call struct{ done, total int }
			var calls []call

			if _, _, err := Open(context.Background(), test.path, 1, func(done, total int) {
				calls = append(calls, call{done, total})
			}); err != nil {
				t.Fatalf("Open: %v", err)
			}

			if len(calls) == 0 {
				t.Fatal("progress was never called")
			}
			if last := calls[len(calls)-1]; last != (call{test.total, test.total}) {
				t.Errorf("last progress call = %v, want {%d %d}", last, test.total, test.total)
			}
			for k := 1; k < len(calls); k++ {
				if calls[k].total == calls[k-1].total && calls[k].done < calls[k-1].done {
					t.Errorf("progress went back from %v to %v", calls[k-1], calls[k])
				}
			}
		})
	}
}

func TestOpenFolderProgressPhases(t *testing.T) {
	var listing, decoding []int

	if _, _, err := Open(context.Background(), "testdata/shapes", 1, func(done, total int) {
		if total == 0 {
			listing = append(listing, done)
		} else {
			decoding = append(decoding, done)
		}
	}); err != nil {
		t.Fatalf("Open: %v", err)
	}

	if !slices.Equal(listing, []int{1, 2, 3, 4, 5}) {
		t.Errorf("listing progress = %v, want [1 2 3 4 5] with total 0", listing)
	}
	if !slices.Equal(decoding, []int{1, 2, 3, 4, 5}) {
		t.Errorf("decoding progress = %v, want [1 2 3 4 5]", decoding)
	}
}

func TestOpenLimits(t *testing.T) {
	folder := t.TempDir()
	for _, name := range []string{"a/0.png", "a/1.png", "a/2.png", "b/0.png", "b/1.png", "b/2.png"} {
		writePNG(t, folder, name, 28, 28, color.Gray{Y: uint8(40 * len(name))})
	}
	tests := []struct {
		name      string
		path      string
		lim       limits
		kept      int
		total     int // LimitError.Total
		want      string
		keptLabel []int // labels of the kept samples, sorted; nil to skip
	}{
		{"folder", folder, limits{images: 3, points: 1}, 3, 6, "contains 6 images, more than the limit of 3: kept 3 evenly spaced in path order", []int{0, 0, 1}},
		{"IDX", "testdata/tiny-images-idx3-ubyte.gz", limits{images: 2, points: 1}, 2, 0, "contains more than 2 images: kept the first 2", []int{0, 2}},
		{"CIFAR-10", "testdata/truncated_batch.bin", limits{}, 0, 0, "", nil},
		{"CSV", "testdata/points.csv", limits{images: 1, points: 3}, 3, 0, "contains more than 3 points: kept the first 3", nil},
	}
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			if test.want == "" {
				t.Skip("no CIFAR-10 fixture exceeds a limit; readCIFAR10 is tested with a limit directly")
			}
			train, held, err := open(context.Background(), test.path, 1, nil, test.lim)

			var limitErr *LimitError
			if !errors.As(err, &limitErr) {
				t.Fatalf("error = %v, want a *LimitError", err)
			}
			if limitErr.Kept != test.kept || limitErr.Total != test.total {
				t.Errorf("Kept, Total = %d, %d, want %d, %d", limitErr.Kept, limitErr.Total, test.kept, test.total)
			}
			if !strings.Contains(err.Error(), test.want) {
				t.Errorf("error = %q, want it to contain %q", err, test.want)
			}
			if train == nil || held == nil {
				t.Fatal("Open returned no data with a *LimitError")
			}
			if n := train.Len() + held.Len(); n != test.kept {
				t.Errorf("sets hold %d samples, want %d", n, test.kept)
			}
			if test.keptLabel != nil {
				labels := append(slices.Clone(train.Labels), held.Labels...)
				slices.Sort(labels)
				if !slices.Equal(labels, test.keptLabel) {
					t.Errorf("kept labels = %v, want %v", labels, test.keptLabel)
				}
			}
		})
	}
}

func TestOpenIDXHeldOutFile(t *testing.T) {
	train, test, err := Open(context.Background(), "testdata/idx-pair/train-images-idx3-ubyte.gz", 1, nil)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}

	if !slices.Equal(train.Labels, []int{2, 0, 1}) || !slices.Equal(test.Labels, []int{4, 1}) {
		t.Errorf("labels = %v and %v, want [2 0 1] from the train file and [4 1] from the t10k file", train.Labels, test.Labels)
	}
	if !slices.Equal(train.X[6:], test.X) {
		t.Errorf("test pixels = %v, want the last two tiny images %v", test.X, train.X[6:])
	}
}

func TestOpenIDXHeldOutShapeMismatch(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "train-images-idx3-ubyte", idxBytes(0x803, []uint32{3, 2, 3}, tinyPixels))
	writeFile(t, dir, "test-images-idx3-ubyte", idxBytes(0x803, []uint32{1, 3, 2}, tinyPixels[:6]))

	_, _, err := Open(context.Background(), filepath.Join(dir, "train-images-idx3-ubyte"), 1, nil)

	if err == nil || !strings.Contains(err.Error(), "are 3×2 pixels, but the training images") {
		t.Errorf("error = %v, want the two image sizes", err)
	}
}

func TestOpenDetectsFormat(t *testing.T) {
	dir := t.TempDir()
	// The first record has label 0 and starts with the pixel bytes 0, 8
	// and 3, like the IDX magic number 00 00 08 03.
	looksLikeIDX := cifarBytes(0, 1)
	looksLikeIDX[1], looksLikeIDX[2], looksLikeIDX[3] = 0, 8, 3
	tests := []struct {
		name string
		data []byte
		want inputFormat
	}{
		{"data_batch_1.bin", looksLikeIDX, formatCIFAR},
		{"digits.dat", idxBytes(0x803, []uint32{3, 2, 3}, tinyPixels), formatIDX},
		{"digits.dat.gz", gzipped(idxBytes(0x803, []uint32{3, 2, 3}, tinyPixels)), formatIDX},
		{"classes.dat", idxBytes(0x801, []uint32{3}, tinyLabels), formatIDXLabels},
		{"labels-idx1-ubyte", idxBytes(0x801, []uint32{3}, tinyLabels), formatIDXLabels},
		{"broken-idx3-ubyte", []byte("not IDX"), formatIDX},
		{"points.TXT", []byte("1 2\n"), formatCSV},
		{"photo.JPG", []byte("not decoded"), formatImage},
		{"notes.md", []byte("# notes"), formatUnknown},
	}
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			path := writeFile(t, dir, test.name, test.data)
			info, err := os.Stat(path)
			if err != nil {
				t.Fatal(err)
			}

			if got := detectFormat(path, info); got != test.want {
				t.Errorf("detectFormat = %d, want %d", got, test.want)
			}
		})
	}
}

func TestOpenIDXWithoutLabels(t *testing.T) {
	dir := t.TempDir()
	path := writeFile(t, dir, "digits-images-idx3-ubyte", idxBytes(0x803, []uint32{3, 2, 3}, tinyPixels))

	train, test, err := Open(context.Background(), path, 1, nil)

	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	if train.Labels != nil || test.Labels != nil || train.Classes != nil {
		t.Errorf("Labels, Classes = %v, %v, %v, want nil without a label file", train.Labels, test.Labels, train.Classes)
	}
}

func TestOpenImageFileIsNotAFolder(t *testing.T) {
	_, _, err := Open(context.Background(), "testdata/shapes/dots/wide.jpg", 1, nil)

	if !errors.Is(err, ErrUnsupportedFile) {
		t.Errorf("error = %v, want ErrUnsupportedFile", err)
	}
	var fe *imagein.FileError
	if errors.As(err, &fe) {
		t.Errorf("error = %v, want no attempt to decode a single image", err)
	}
}

func TestWritePNGHelper(t *testing.T) {
	path := writePNG(t, t.TempDir(), "x.png", 3, 2, color.NRGBA{R: 255, A: 255})
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	m, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	if r, g, _, _ := m.At(2, 1).RGBA(); m.Bounds().Dx() != 3 || r != 0xffff || g != 0 {
		t.Errorf("helper wrote %v with pixel %v, want a red 3×2 image", m.Bounds(), m.At(2, 1))
	}
}

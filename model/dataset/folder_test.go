package dataset

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ebmlab/ebmlab/ui/imagein"
)

func TestOpenFolderShapes(t *testing.T) {
	d, limitErr, err := openFolder(context.Background(), "testdata/shapes", func(int, int) {}, MaxImages)
	if err != nil || limitErr != nil {
		t.Fatalf("openFolder: %v, %v", limitErr, err)
	}

	if d.C != 1 || d.H != 28 || d.W != 28 || d.Len() != 5 {
		t.Fatalf("shape, Len = %d×%d×%d, %d, want 1×28×28, 5", d.C, d.H, d.W, d.Len())
	}
	if !slices.Equal(d.Labels, []int{0, 0, 1, 1, 1}) || !slices.Equal(d.Classes, []string{"bars", "dots"}) {
		t.Errorf("Labels, Classes = %v, %q, want [0 0 1 1 1], [bars dots]", d.Labels, d.Classes)
	}
	// The 28×28 PNG files are copied without resampling, so bar-0.png
	// (columns 12 to 15 white) comes through exactly.
	bar := d.Sample(0)
	for y := range 28 {
		for x := range 28 {
			want := float32(-1)
			if x >= 12 && x < 16 {
				want = 1
			}
			if got := bar[y*28+x]; got != want {
				t.Fatalf("bar-0 pixel (%d, %d) = %v, want %v", x, y, got, want)
			}
		}
	}
	// wide.jpg is 40×20: KeepAspectPad scales it to 28×14 and pads rows
	// 0 to 6 and 21 to 27 with black.
	wide := d.Sample(4)
	for _, y := range []int{0, 6, 21, 27} {
		for x := range 28 {
			if v := wide[y*28+x]; v != -1 {
				t.Fatalf("wide.jpg padding pixel (%d, %d) = %v, want -1", x, y, v)
			}
		}
	}
	if centre := wide[14*28+14]; centre < 0.9 {
		t.Errorf("wide.jpg centre = %v, want the white disc, above 0.9", centre)
	}
}

func TestOpenFolderColour(t *testing.T) {
	dir := t.TempDir()
	writePNG(t, dir, "a-grey.png", 32, 32, color.Gray{Y: 255})
	writePNG(t, dir, "b-red.png", 16, 16, color.NRGBA{R: 255, A: 255})
	writePNG(t, dir, "c-grey.png", 32, 32, color.Gray{Y: 0})

	d, _, err := openFolder(context.Background(), dir, func(int, int) {}, MaxImages)
	if err != nil {
		t.Fatalf("openFolder: %v", err)
	}

	if d.C != 3 || d.H != 32 || d.W != 32 || d.Len() != 3 {
		t.Fatalf("shape, Len = %d×%d×%d, %d, want 3×32×32, 3", d.C, d.H, d.W, d.Len())
	}
	if d.Labels != nil || d.Classes != nil {
		t.Errorf("Labels, Classes = %v, %v, want nil for images directly in the folder", d.Labels, d.Classes)
	}
	// Sample k, channel c starts at k·3072 + c·1024.
	tests := []struct {
		sample  int
		r, g, b float32
	}{
		{0, 1, 1, 1},
		{1, 1, -1, -1},
		{2, -1, -1, -1},
	}
	for _, test := range tests {
		s := d.Sample(test.sample)
		for c, want := range []float32{test.r, test.g, test.b} {
			if got := s[c*1024+16*32+16]; got != want {
				t.Errorf("sample %d channel %d centre = %v, want %v", test.sample, c, got, want)
			}
		}
	}
}

func TestOpenFolderSkipsHiddenFiles(t *testing.T) {
	dir := t.TempDir()
	writePNG(t, dir, "digits/a.png", 28, 28, color.Gray{Y: 10})
	writePNG(t, dir, "digits/b.png", 28, 28, color.Gray{Y: 20})
	writeFile(t, dir, "digits/._a.png", []byte("macOS resource fork"))
	writeFile(t, dir, ".cache/c.png", []byte("not an image"))
	writeFile(t, dir, "digits/notes.txt", []byte("ignored"))

	d, _, err := openFolder(context.Background(), dir, func(int, int) {}, MaxImages)

	if err != nil {
		t.Fatalf("openFolder: %v", err)
	}
	if d.Len() != 2 || !slices.Equal(d.Classes, []string{"digits"}) {
		t.Errorf("Len, Classes = %d, %q, want 2, [digits]", d.Len(), d.Classes)
	}
}

func TestOpenFolderThroughSymlink(t *testing.T) {
	dir := t.TempDir()
	writePNG(t, dir, "real/cats/a.png", 28, 28, color.Gray{Y: 10})
	writePNG(t, dir, "real/dogs/b.png", 28, 28, color.Gray{Y: 20})
	link := filepath.Join(dir, "link")
	if err := os.Symlink("real", link); err != nil {
		t.Skipf("cannot create a symbolic link: %v", err)
	}

	d, _, err := openFolder(context.Background(), link, func(int, int) {}, MaxImages)

	if err != nil {
		t.Fatalf("openFolder: %v", err)
	}
	if d.Len() != 2 || !slices.Equal(d.Classes, []string{"cats", "dogs"}) {
		t.Errorf("Len, Classes = %d, %q, want 2, [cats dogs]", d.Len(), d.Classes)
	}
}

func TestOpenFolderLabelsNeedEveryImageInASubfolder(t *testing.T) {
	dir := t.TempDir()
	writePNG(t, dir, "top.png", 28, 28, color.Gray{Y: 10})
	writePNG(t, dir, "cats/a.png", 28, 28, color.Gray{Y: 20})
	writePNG(t, dir, "dogs/deep/b.png", 28, 28, color.Gray{Y: 30})

	d, _, err := openFolder(context.Background(), dir, func(int, int) {}, MaxImages)

	if err != nil {
		t.Fatalf("openFolder: %v", err)
	}
	if d.Len() != 3 || d.Labels != nil || d.Classes != nil {
		t.Errorf("Len, Labels, Classes = %d, %v, %v, want 3, nil, nil", d.Len(), d.Labels, d.Classes)
	}

	labels, classes := folderLabels(dir, []string{filepath.Join(dir, "cats", "a.png"), filepath.Join(dir, "dogs", "deep", "b.png")})
	if !slices.Equal(labels, []int{0, 1}) || !slices.Equal(classes, []string{"cats", "dogs"}) {
		t.Errorf("folderLabels = %v, %q, want [0 1], [cats dogs] from the first-level folders", labels, classes)
	}
}

func TestOpenFolderBadFiles(t *testing.T) {
	tests := []struct {
		name       string
		bad        int
		wantListed int
		want       []string
	}{
		{"two bad files", 2, 2, []string{"2 of 3 image files under", "bad-00.png: not a supported image format", "bad-01.png"}},
		{"twelve bad files", 12, 10, []string{"12 of 13 image files", "bad-09.png", "and 2 more"}},
	}
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			dir := t.TempDir()
			writePNG(t, dir, "good.png", 28, 28, color.Gray{Y: 10})
			for i := range test.bad {
				writeFile(t, dir, fmt.Sprintf("bad-%02d.png", i), []byte("not an image"))
			}

			train, held, err := Open(context.Background(), dir, 1, nil)

			var filesErr *ImageFilesError
			if !errors.As(err, &filesErr) {
				t.Fatalf("error = %v, want an *ImageFilesError", err)
			}
			if train != nil || held != nil {
				t.Error("Open returned data with an *ImageFilesError")
			}
			if filesErr.Failed != test.bad || filesErr.Total != test.bad+1 || len(filesErr.Errs) != test.wantListed {
				t.Errorf("Failed, Total, listed = %d, %d, %d, want %d, %d, %d", filesErr.Failed, filesErr.Total, len(filesErr.Errs), test.bad, test.bad+1, test.wantListed)
			}
			if !errors.Is(err, imagein.ErrUnknownFormat) {
				t.Errorf("error does not wrap imagein.ErrUnknownFormat: %v", err)
			}
			for _, want := range test.want {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error = %q, want it to contain %q", err, want)
				}
			}
			if strings.Contains(err.Error(), "bad-10.png") {
				t.Errorf("error lists bad-10.png, want only the first %d files", maxListedErrors)
			}
		})
	}
}

func TestEvenlySpaced(t *testing.T) {
	paths := []string{"a0", "a1", "a2", "a3", "b0", "b1", "b2", "b3"}
	tests := []struct {
		n    int
		want []string
	}{
		{1, []string{"a0"}},
		{2, []string{"a0", "b0"}},
		{3, []string{"a0", "a2", "b1"}},
		{4, []string{"a0", "a2", "b0", "b2"}},
		{8, paths},
	}
	for _, test := range tests {
		if got := evenlySpaced(paths, test.n); !slices.Equal(got, test.want) {
			t.Errorf("evenlySpaced(%d) = %q, want %q", test.n, got, test.want)
		}
	}
}

// ycbcr returns a 4×4 YCbCr image with the given Cb and Cr in every
// pixel, as a JPEG decoder would produce.
func ycbcr(cb, cr uint8) *image.YCbCr {
	m := image.NewYCbCr(image.Rect(0, 0, 4, 4), image.YCbCrSubsampleRatio420)
	for i := range m.Y {
		m.Y[i] = 100
	}
	for i := range m.Cb {
		m.Cb[i], m.Cr[i] = cb, cr
	}
	return m
}

// jpegOf returns m after a JPEG round trip at quality 75.
func jpegOf(t *testing.T, m image.Image) image.Image {
	t.Helper()
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, m, &jpeg.Options{Quality: 75}); err != nil {
		t.Fatal(err)
	}
	out, err := jpeg.Decode(&buf)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestIsGreyish(t *testing.T) {
	filled := func(c color.Color) *image.NRGBA {
		m := image.NewNRGBA(image.Rect(0, 0, 16, 16))
		for y := range 16 {
			for x := range 16 {
				m.Set(x, y, c)
			}
		}
		return m
	}
	withDot := func(m *image.NRGBA, c color.Color) *image.NRGBA {
		m.Set(5, 5, c)
		return m
	}
	ramp := image.NewNRGBA(image.Rect(0, 0, 64, 64))
	for y := range 64 {
		for x := range 64 {
			v := uint8(4 * x)
			ramp.Set(x, y, color.NRGBA{R: v, G: v, B: v, A: 255})
		}
	}
	tests := []struct {
		name string
		img  image.Image
		want bool
	}{
		{"Gray", image.NewGray(image.Rect(0, 0, 4, 4)), true},
		{"Gray16", image.NewGray16(image.Rect(0, 0, 4, 4)), true},
		{"grey NRGBA", filled(color.NRGBA{R: 90, G: 90, B: 90, A: 255}), true},
		{"near-grey NRGBA", filled(color.NRGBA{R: 90, G: 96, B: 98, A: 255}), true},
		{"tinted NRGBA", filled(color.NRGBA{R: 90, G: 99, B: 90, A: 255}), false},
		{"grey with one red pixel", withDot(filled(color.NRGBA{R: 90, G: 90, B: 90, A: 255}), color.NRGBA{R: 255, A: 255}), false},
		{"grey RGBA64", image.NewRGBA64(image.Rect(0, 0, 4, 4)), true},
		{"grey Paletted", image.NewPaletted(image.Rect(0, 0, 4, 4), color.Palette{color.Gray{Y: 3}, color.RGBA{R: 255, A: 255}}), true},
		{"red Paletted", func() image.Image {
			m := image.NewPaletted(image.Rect(0, 0, 4, 4), color.Palette{color.Gray{Y: 3}, color.RGBA{R: 255, A: 255}})
			m.SetColorIndex(1, 1, 1)
			return m
		}(), false},
		{"grey ramp as JPEG", jpegOf(t, ramp), true},
		{"YCbCr with chroma noise", ycbcr(129, 126), true},
		{"YCbCr with a tint", ycbcr(128, 131), false},
		{"red as JPEG", jpegOf(t, filled(color.NRGBA{R: 200, G: 30, B: 30, A: 255})), false},
		{"grey CMYK", func() image.Image {
			m := image.NewCMYK(image.Rect(0, 0, 4, 4))
			for i := range m.Pix {
				if i%4 == 3 {
					m.Pix[i] = 100
				}
			}
			return m
		}(), true},
		{"cyan CMYK", func() image.Image {
			m := image.NewCMYK(image.Rect(0, 0, 4, 4))
			m.Pix[0] = 255
			return m
		}(), false},
	}
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			if _, ok := test.img.(*image.YCbCr); strings.Contains(test.name, "JPEG") && !ok {
				t.Fatalf("JPEG decoded to %T, want *image.YCbCr", test.img)
			}
			if got := isGreyish(test.img); got != test.want {
				t.Errorf("isGreyish = %v, want %v", got, test.want)
			}
		})
	}
}

func BenchmarkOpenFolder(b *testing.B) {
	dir := b.TempDir()
	for i := range 200 {
		writePNG(b, dir, fmt.Sprintf("c%d/%03d.png", i%2, i), 28, 28, color.Gray{Y: uint8(i)})
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := Open(context.Background(), dir, 1, nil); err != nil {
			b.Fatal(err)
		}
	}
}

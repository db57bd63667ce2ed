package imagein

import (
	"bytes"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"math"
	"testing"

	"golang.org/x/image/bmp"
	"golang.org/x/image/tiff"
)

// Quadrant colours, in the layout of the committed fixtures.
var (
	red   = color.RGBA{255, 0, 0, 255}
	green = color.RGBA{0, 255, 0, 255}
	blue  = color.RGBA{0, 0, 255, 255}
	white = color.RGBA{255, 255, 255, 255}
	black = color.RGBA{0, 0, 0, 255}
)

// quadrants returns an n×n paletted image that is red at the top left,
// green at the top right, blue at the bottom left and white at the bottom
// right.
func quadrants(n int) *image.Paletted {
	m := image.NewPaletted(image.Rect(0, 0, n, n), color.Palette{red, green, blue, white})
	for y := range n {
		for x := range n {
			switch {
			case x < n/2 && y < n/2:
				m.SetColorIndex(x, y, 0)
			case y < n/2:
				m.SetColorIndex(x, y, 1)
			case x < n/2:
				m.SetColorIndex(x, y, 2)
			default:
				m.SetColorIndex(x, y, 3)
			}
		}
	}
	return m
}

// toRGBA copies m into an *image.RGBA, so encoders see a true-colour image.
func toRGBA(m image.Image) *image.RGBA {
	out := image.NewRGBA(m.Bounds())
	for y := m.Bounds().Min.Y; y < m.Bounds().Max.Y; y++ {
		for x := m.Bounds().Min.X; x < m.Bounds().Max.X; x++ {
			out.Set(x, y, m.At(x, y))
		}
	}
	return out
}

// encode writes m in format with the standard or golang.org/x/image encoder.
func encode(t testing.TB, format string, m image.Image) []byte {
	t.Helper()
	var buf bytes.Buffer
	var err error
	switch format {
	case "png":
		err = png.Encode(&buf, m)
	case "jpeg":
		err = jpeg.Encode(&buf, m, &jpeg.Options{Quality: 95})
	case "gif":
		err = gif.Encode(&buf, m, nil)
	case "bmp":
		err = bmp.Encode(&buf, m)
	case "tiff":
		err = tiff.Encode(&buf, m, &tiff.Options{Compression: tiff.Deflate})
	default:
		t.Fatalf("no encoder for %q", format)
	}
	if err != nil {
		t.Fatalf("encode %s: %v", format, err)
	}
	return buf.Bytes()
}

// mnist is the target of a 28×28 grey model on [0, 1] with a black background.
var mnist = Target{C: 1, H: 28, W: 28, Lo: 0, Hi: 1, Background: 0}

// at returns the input value of channel c at (x, y).
func at(t Target, input []float32, c, x, y int) float32 {
	return input[c*t.H*t.W+y*t.W+x]
}

// modelValue maps an intensity in [0, 1] into t's range.
func modelValue(t Target, v float64) float64 {
	return float64(t.Lo) + v*float64(t.Hi-t.Lo)
}

func near(a float32, b, tol float64) bool {
	return math.Abs(float64(a)-b) <= tol
}

// decodeBytes runs Decode on data and fails the test on error.
func decodeBytes(t *testing.T, data []byte, name string, target Target, o Options) *Result {
	t.Helper()
	res, err := Decode(bytes.NewReader(data), name, target, o)
	if err != nil {
		t.Fatalf("Decode(%s): %v", name, err)
	}
	if len(res.Input) != target.C*target.H*target.W {
		t.Fatalf("Decode(%s): len(Input) = %d, want %d", name, len(res.Input), target.C*target.H*target.W)
	}
	return res
}

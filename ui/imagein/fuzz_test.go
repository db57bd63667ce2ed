package imagein

import (
	"bytes"
	"errors"
	"image"
	"math"
	"os"
	"testing"
)

func FuzzDecode(f *testing.F) {
	quad := quadrants(8)
	for _, format := range []string{"png", "jpeg", "gif", "bmp", "tiff"} {
		f.Add(encode(f, format, toRGBA(quad)), uint8(1), uint8(0), uint8(0), uint8(8), uint8(8))
	}
	f.Add(encode(f, "png", quad), uint8(3), uint8(1), uint8(2), uint8(5), uint8(9))
	f.Add(encode(f, "png", image.NewNRGBA64(image.Rect(0, 0, 3, 7))), uint8(1), uint8(2), uint8(1), uint8(4), uint8(4))
	for _, name := range []string{"quad-lossless.webp", "quad-lossy.webp", "quad-lossy-alpha.webp", "quad-cmyk.jpg"} {
		data, err := os.ReadFile("testdata/" + name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data, uint8(3), uint8(1), uint8(0), uint8(6), uint8(6))
	}
	f.Add(pngHeader(100000, 100000), uint8(1), uint8(0), uint8(0), uint8(28), uint8(28))
	f.Add([]byte("GIF89a\x00\x00\x00\x00\x00\x00\x00"), uint8(1), uint8(0), uint8(0), uint8(1), uint8(1))

	f.Fuzz(func(t *testing.T, data []byte, channels, resize, polarity, h, w uint8) {
		target := Target{C: 1, H: int(h%32) + 1, W: int(w%32) + 1, Lo: -1, Hi: 1, Background: -1}
		if channels%2 == 1 {
			target.C = 3
		}
		opts := Options{
			Resize:    Resize(resize % 3),
			Invert:    Polarity(polarity % 3),
			MaxPixels: 1 << 16,
			MaxBytes:  1 << 20,
		}

		res, err := Decode(bytes.NewReader(data), "fuzz.png", target, opts)
		if err != nil {
			var fe *FileError
			if !errors.As(err, &fe) {
				t.Fatalf("error %T is not a *FileError: %v", err, err)
			}
			if res != nil {
				t.Fatal("result returned with an error")
			}
			return
		}
		if len(res.Input) != target.C*target.H*target.W {
			t.Fatalf("len(Input) = %d, want %d", len(res.Input), target.C*target.H*target.W)
		}
		for i, v := range res.Input {
			if math.IsNaN(float64(v)) || v < target.Lo || v > target.Hi {
				t.Fatalf("Input[%d] = %v outside [%v, %v]", i, v, target.Lo, target.Hi)
			}
		}
		if len(res.Steps) == 0 {
			t.Fatal("no conversion steps")
		}
	})
}

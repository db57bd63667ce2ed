package imagein

import (
	"bytes"
	"image"
	"image/color"
	"testing"
)

func BenchmarkDecodePNG640x480To28x28(b *testing.B) {
	m := image.NewRGBA(image.Rect(0, 0, 640, 480))
	for y := range 480 {
		for x := range 640 {
			m.SetRGBA(x, y, color.RGBA{uint8(x), uint8(y), uint8(x ^ y), 255})
		}
	}
	data := encode(b, "png", m)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Decode(bytes.NewReader(data), "bench.png", mnist, Options{Resize: KeepAspectPad}); err != nil {
			b.Fatal(err)
		}
	}
}

package imagein

import (
	"image"
	"image/color"
)

// Studio-range conversion from ITU-R BT.601 Y'CbCr to R'G'B'. Lossy WebP
// stores VP8 frames whose samples use the studio range (Y' in 16–235,
// Cb and Cr in 16–240), as libwebp's decoder assumes. golang.org/x/image/webp
// (v0.48.0) returns those samples as an image.YCbCr, whose colour model is
// the full-range JFIF one, so black would read as 16/255 and white as
// 235/255.
const (
	studioKr = 0.299
	studioKb = 0.114
	studioKg = 1 - studioKr - studioKb

	studioYScale = 255.0 / 219 // Y' 16–235 onto 0–255
	studioCScale = 255.0 / 224 // Cb, Cr 16–240 onto −127.5–127.5

	studioCrToR = studioCScale * 2 * (1 - studioKr)
	studioCbToB = studioCScale * 2 * (1 - studioKb)
	studioCbToG = studioCScale * 2 * (1 - studioKb) * studioKb / studioKg
	studioCrToG = studioCScale * 2 * (1 - studioKr) * studioKr / studioKg
)

// expandStudioRange converts a lossy WebP image, *image.YCbCr or
// *image.NYCbCrA, into a 16-bit NRGBA image with the studio-range formula.
// It returns nil for any other image type.
func expandStudioRange(src image.Image) *image.NRGBA64 {
	var ycc *image.YCbCr
	var alpha *image.NYCbCrA
	switch m := src.(type) {
	case *image.YCbCr:
		ycc = m
	case *image.NYCbCrA:
		ycc, alpha = &m.YCbCr, m
	default:
		return nil
	}

	b := ycc.Bounds()
	dst := image.NewNRGBA64(b)
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			yy := studioYScale * (float64(ycc.Y[ycc.YOffset(x, y)]) - 16)
			ci := ycc.COffset(x, y)
			cb := float64(ycc.Cb[ci]) - 128
			cr := float64(ycc.Cr[ci]) - 128

			c := color.NRGBA64{
				R: to16(yy + studioCrToR*cr),
				G: to16(yy - studioCbToG*cb - studioCrToG*cr),
				B: to16(yy + studioCbToB*cb),
				A: 0xffff,
			}
			if alpha != nil {
				c.A = uint16(alpha.A[alpha.AOffset(x, y)]) * 0x101
			}
			dst.SetNRGBA64(x, y, c)
		}
	}
	return dst
}

// to16 clamps an 8-bit-scale value to [0, 255] and returns it on the
// 16-bit scale, keeping the fraction that the conversion produced.
func to16(v float64) uint16 {
	v = min(max(v, 0), 255)
	return uint16(v*257 + 0.5)
}

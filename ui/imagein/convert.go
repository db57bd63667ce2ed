package imagein

import (
	"fmt"
	"image"
	"image/color"
	"math"
	"strings"

	"golang.org/x/image/draw"
)

// ITU-R BT.601 luma weights, applied to gamma-encoded R', G' and B'.
const (
	lumaR = 0.299
	lumaG = 0.587
	lumaB = 0.114
)

// luma returns the BT.601 luma, written as r + 0.587(g − r) + 0.114(b − r)
// so that a grey pixel gives exactly r, and a background pixel exactly the
// background value.
func luma(r, g, b float64) float64 {
	return r + lumaG*(g-r) + lumaB*(b-r)
}

// convert writes the model input for src into dst, which has length
// t.C·t.H·t.W, and returns steps with the conversion steps appended and a
// suggestion, which is empty when there is none.
func convert(dst []float32, src image.Image, t Target, o Options, steps []string) ([]string, string) {
	b := src.Bounds()
	sr, dr := fitRects(b, t.W, t.H, o.Resize)

	// buf starts fully transparent, so the padding outside dr becomes the
	// background when composited, like any transparent pixel.
	buf := image.NewRGBA64(image.Rect(0, 0, t.W, t.H))
	if sr.Size() == dr.Size() {
		draw.Draw(buf, dr, src, sr.Min, draw.Src)
	} else {
		draw.CatmullRom.Scale(buf, dr, src, sr, draw.Src, nil)
	}

	bg := float64(t.Background-t.Lo) / float64(t.Hi-t.Lo)
	stats := measure(buf, dr, bg)
	invert, polarityStep, suggestion := choosePolarity(o.Invert, stats, bg)

	steps = append(steps, colourStep(src, t.C))
	if stats.minAlpha < 1 {
		steps = append(steps, fmt.Sprintf("transparent areas composited over %s, the data's background", describeIntensity(bg)))
	}
	steps = append(steps, resizeStep(b, sr, dr, t, o.Resize, bg))
	if polarityStep != "" {
		steps = append(steps, polarityStep)
	}
	steps = append(steps, fmt.Sprintf("values mapped from [0, 1] to [%g, %g]", t.Lo, t.Hi))

	writeInput(dst, buf, t, bg, invert)
	return steps, suggestion
}

// fitRects returns the source rectangle sr, within b, and the destination
// rectangle dr, within the W×H target, that the resize mode maps onto each
// other.
func fitRects(b image.Rectangle, w, h int, mode Resize) (sr, dr image.Rectangle) {
	sw, sh := int64(b.Dx()), int64(b.Dy())
	tw, th := int64(w), int64(h)
	full := image.Rect(0, 0, w, h)
	wider := sw*th > sh*tw // the source is wider than the target's aspect ratio

	switch mode {
	case KeepAspectPad:
		dw, dh := w, h
		if wider {
			dh = roundDiv(sh*tw, sw)
		} else {
			dw = roundDiv(sw*th, sh)
		}
		x0, y0 := (w-dw)/2, (h-dh)/2
		return b, image.Rect(x0, y0, x0+dw, y0+dh)
	case CenterCrop:
		cw, ch := b.Dx(), b.Dy()
		if wider {
			cw = roundDiv(sh*tw, th)
		} else {
			ch = roundDiv(sw*th, tw)
		}
		x0, y0 := b.Min.X+(b.Dx()-cw)/2, b.Min.Y+(b.Dy()-ch)/2
		return image.Rect(x0, y0, x0+cw, y0+ch), full
	}
	return b, full
}

// roundDiv returns a/d rounded to the nearest integer, and at least 1.
func roundDiv(a, d int64) int {
	return int(max(1, (2*a+d)/(2*d)))
}

// stats summarises the resized image inside its content rectangle, before
// inversion, for the Auto polarity rule.
type stats struct {
	minAlpha    float64 // smallest alpha in the content rectangle
	borderAlpha float64 // mean alpha of the one-pixel border
	borderLuma  float64 // mean luma of the border composited over the background
	inkLuma     float64 // alpha-weighted mean straight luma of all content pixels
	inkAlpha    float64 // sum of alpha over all content pixels
}

func measure(buf *image.RGBA64, dr image.Rectangle, bg float64) stats {
	s := stats{minAlpha: 1}
	var borderN int
	var inkPremul float64
	for y := dr.Min.Y; y < dr.Max.Y; y++ {
		for x := dr.Min.X; x < dr.Max.X; x++ {
			r, g, b, a := pixel(buf, x, y)
			l := luma(r, g, b)
			s.minAlpha = min(s.minAlpha, a)
			inkPremul += l
			s.inkAlpha += a
			if y == dr.Min.Y || y == dr.Max.Y-1 || x == dr.Min.X || x == dr.Max.X-1 {
				s.borderAlpha += a
				s.borderLuma += l + bg*(1-a)
				borderN++
			}
		}
	}
	s.borderAlpha /= float64(borderN)
	s.borderLuma /= float64(borderN)
	if s.inkAlpha > 0 {
		s.inkLuma = inkPremul / s.inkAlpha
	}
	return s
}

// pixel returns the premultiplied colour at (x, y) in [0, 1], with each
// colour channel clamped to alpha.
func pixel(buf *image.RGBA64, x, y int) (r, g, b, a float64) {
	c := buf.RGBA64At(x, y)
	a = float64(c.A) / 0xffff
	r = min(float64(c.R)/0xffff, a)
	g = min(float64(c.G)/0xffff, a)
	b = min(float64(c.B)/0xffff, a)
	return r, g, b, a
}

// suggestMargin is how far from 0.5 the measured border or ink luma must
// be before Keep or Invert suggest the other polarity, so that a mixed or
// mid-grey border, as in most photographs, raises no suggestion.
const suggestMargin = 0.1

// choosePolarity applies p and the Auto rule described in the package
// documentation. It returns whether to invert, the step to show (empty
// when nothing needs saying) and a suggestion (empty when none).
func choosePolarity(p Polarity, s stats, bg float64) (invert bool, step, suggestion string) {
	autoInvert, reason, measured := autoPolarity(s, bg)
	clear := math.Abs(measured-0.5) >= suggestMargin
	if s.inkAlpha == 0 {
		suggestion = "the image is fully transparent, so the input is all background; choose an image with visible content"
	}

	switch p {
	case Keep:
		if autoInvert && clear {
			suggestion = reason + "; try Invert"
		}
		return false, "", suggestion
	case Invert:
		if !autoInvert && reason != "" && clear {
			suggestion = reason + "; try Keep"
		}
		return true, "inverted as requested", suggestion
	}

	if reason == "" {
		return false, "", suggestion
	}
	if autoInvert {
		return true, "inverted: " + reason, suggestion
	}
	return false, "not inverted: " + reason, suggestion
}

// autoPolarity returns the Auto rule's choice, the observation behind it
// and the luma it measured (border or ink). The reason is empty when the
// rule cannot decide: a mid-grey data background or a fully transparent
// image.
func autoPolarity(s stats, bg float64) (invert bool, reason string, measured float64) {
	if bg == 0.5 || s.inkAlpha == 0 {
		return false, "", 0.5
	}
	bgBright := bg > 0.5

	if s.borderAlpha >= 0.5 {
		borderBright := s.borderLuma > 0.5
		if borderBright != bgBright {
			return true, fmt.Sprintf("border is %s (%.2f) but the data's background is %s",
				brightness(borderBright), s.borderLuma, brightness(bgBright)), s.borderLuma
		}
		return false, fmt.Sprintf("border is %s (%.2f) like the data's background",
			brightness(borderBright), s.borderLuma), s.borderLuma
	}

	inkBright := s.inkLuma > 0.5
	if inkBright == bgBright {
		return true, fmt.Sprintf("border is transparent and the drawn pixels are %s (%.2f) like the data's background",
			brightness(inkBright), s.inkLuma), s.inkLuma
	}
	return false, fmt.Sprintf("border is transparent and the drawn pixels are %s (%.2f) against the data's %s background",
		brightness(inkBright), s.inkLuma, brightness(bgBright)), s.inkLuma
}

func brightness(bright bool) string {
	if bright {
		return "bright"
	}
	return "dark"
}

// writeInput inverts, composites over bg, converts to t.C channels and maps
// to [t.Lo, t.Hi], writing NCHW values into dst.
func writeInput(dst []float32, buf *image.RGBA64, t Target, bg float64, invert bool) {
	plane := t.H * t.W
	lo, span := float64(t.Lo), float64(t.Hi-t.Lo)
	value := func(v float64) float32 {
		return float32(min(max(lo+v*span, lo), float64(t.Hi)))
	}

	for y := range t.H {
		for x := range t.W {
			r, g, b, a := pixel(buf, x, y)
			if invert {
				// 1 − c on straight colour is a − c on premultiplied colour.
				r, g, b = a-r, a-g, a-b
			}
			fill := bg * (1 - a)
			r, g, b = r+fill, g+fill, b+fill

			k := y*t.W + x
			if t.C == 1 {
				dst[k] = value(luma(r, g, b))
				continue
			}
			dst[k] = value(r)
			dst[plane+k] = value(g)
			dst[2*plane+k] = value(b)
		}
	}
}

// colourStep describes the colour conversion from src to c channels.
func colourStep(src image.Image, c int) string {
	b := src.Bounds()
	from := fmt.Sprintf("%s %d×%d", colourModelName(src), b.Dx(), b.Dy())
	_, cmyk := src.(*image.CMYK)

	switch {
	case c == 1 && isGrey(src):
		return from + " is already grey"
	case c == 1 && cmyk:
		return from + " → RGB by R = (1−C)(1−K) without a colour profile → grey (ITU-R BT.601 luma)"
	case c == 1:
		return from + " → grey (ITU-R BT.601 luma)"
	case isGrey(src):
		return from + " → RGB (grey copied to R, G and B)"
	case cmyk:
		return from + " → RGB by R = (1−C)(1−K) without a colour profile"
	}
	return from + ", RGB kept"
}

// colourModelName names the decoded pixel layout, using the image
// package's type names.
func colourModelName(src image.Image) string {
	switch m := src.(type) {
	case *image.Gray:
		return "Gray"
	case *image.Gray16:
		return "Gray16 (16-bit)"
	case *image.RGBA:
		return "RGBA"
	case *image.RGBA64:
		return "RGBA64 (16-bit)"
	case *image.NRGBA:
		return "NRGBA"
	case *image.NRGBA64:
		return "NRGBA64 (16-bit)"
	case *image.Paletted:
		return fmt.Sprintf("Paletted (%d colours)", len(m.Palette))
	case *image.YCbCr:
		return "YCbCr " + subsampleName(m.SubsampleRatio)
	case *image.NYCbCrA:
		return "YCbCr " + subsampleName(m.SubsampleRatio) + " with alpha"
	case *image.CMYK:
		return "CMYK"
	case *image.Alpha:
		return "Alpha"
	case *image.Alpha16:
		return "Alpha16 (16-bit)"
	}
	return strings.TrimPrefix(fmt.Sprintf("%T", src), "*")
}

func subsampleName(r image.YCbCrSubsampleRatio) string {
	switch r {
	case image.YCbCrSubsampleRatio444:
		return "4:4:4"
	case image.YCbCrSubsampleRatio422:
		return "4:2:2"
	case image.YCbCrSubsampleRatio420:
		return "4:2:0"
	case image.YCbCrSubsampleRatio440:
		return "4:4:0"
	case image.YCbCrSubsampleRatio411:
		return "4:1:1"
	case image.YCbCrSubsampleRatio410:
		return "4:1:0"
	}
	return r.String()
}

// isGrey reports whether every colour src can hold has R = G = B.
func isGrey(src image.Image) bool {
	switch m := src.(type) {
	case *image.Gray, *image.Gray16, *image.Alpha, *image.Alpha16:
		return true
	case *image.Paletted:
		for _, c := range m.Palette {
			r, g, b, _ := c.RGBA()
			if r != g || g != b {
				return false
			}
		}
		return true
	}
	return src.ColorModel() == color.GrayModel || src.ColorModel() == color.Gray16Model
}

// resizeStep describes how the source rectangle was fitted to the target.
func resizeStep(b, sr, dr image.Rectangle, t Target, mode Resize, bg float64) string {
	full := image.Rect(0, 0, t.W, t.H)
	if sr == b && dr == full && sr.Size() == dr.Size() {
		return fmt.Sprintf("size %s matches the model input, not resized", sizeText(b))
	}

	var parts []string
	if sr != b {
		parts = append(parts, fmt.Sprintf("cropped the centre %s of %s", sizeText(sr), sizeText(b)))
	}
	if sr.Size() != dr.Size() {
		s := fmt.Sprintf("resized %s → %s with Catmull-Rom", sizeText(sr), sizeText(dr))
		switch {
		case mode == KeepAspectPad:
			s += ", keeping the aspect ratio"
		case mode == FitStretch && b.Dx()*t.H != b.Dy()*t.W:
			s += ", stretched to the model's aspect ratio"
		}
		parts = append(parts, s)
	}
	if dr != full {
		parts = append(parts, fmt.Sprintf("padded to %s with %s", sizeText(full), describeIntensity(bg)))
	}
	return strings.Join(parts, ", ")
}

func sizeText(r image.Rectangle) string {
	return fmt.Sprintf("%d×%d", r.Dx(), r.Dy())
}

// describeIntensity names an intensity in [0, 1] for messages.
func describeIntensity(v float64) string {
	switch v {
	case 0:
		return "black"
	case 1:
		return "white"
	}
	return fmt.Sprintf("grey %.2f", v)
}

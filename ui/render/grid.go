package render

import (
	"fmt"
	"image"
	"image/color"
	"math"
	"strconv"

	"gonum.org/v1/plot/vg"
	vgdraw "gonum.org/v1/plot/vg/draw"
)

// gridGap is the width in pixels of the gap between cells of a sample grid.
const gridGap = 1

var (
	// gapColor separates cells and fills unused ones. Mid grey differs from
	// both the black background and the white strokes of digit images.
	gapColor = color.RGBA{R: 0x80, G: 0x80, B: 0x80, A: 0xff}

	// nanColor marks NaN sample values.
	nanColor = color.RGBA{R: 0xff, A: 0xff}
)

// SampleGrid tiles the first n samples of x into a grid of cols columns and
// ceil(n/cols) rows, with a 1 px mid-grey gap between cells. Each sample is
// c×h×w in NCHW order with c = 1 (grey) or c = 3 (RGB), and each of its
// pixels becomes a zoom×zoom block. Values map linearly from black at lo
// to white at hi, values outside are clamped and NaN is painted red.
//
// The image is cols·w·zoom + cols−1 pixels wide and rows·h·zoom + rows−1
// high. cols is used as given, so the grid keeps its size while n grows.
// Unused cells have the gap colour. For n = 0 the image is empty (0×0).
//
// SampleGrid panics if n < 0, c is not 1 or 3, h, w, cols or zoom is less
// than 1, hi ≤ lo, or x has fewer than n·c·h·w values.
func SampleGrid(x []float32, n, c, h, w int, lo, hi float32, cols, zoom int) *image.RGBA {
	checkSampleShape(c, h, w, lo, hi, zoom)
	if n < 0 {
		panic(fmt.Sprintf("render: negative sample count %d", n))
	}
	if cols < 1 {
		panic(fmt.Sprintf("render: grid columns %d, need at least 1", cols))
	}
	size := c * h * w
	if len(x) < n*size {
		panic(fmt.Sprintf("render: %d values for %d samples of %d×%d×%d, need %d", len(x), n, c, h, w, n*size))
	}
	if n == 0 {
		return image.NewRGBA(image.Rectangle{})
	}

	rows := (n + cols - 1) / cols
	cellW, cellH := w*zoom, h*zoom
	dst := image.NewRGBA(image.Rect(0, 0, cols*cellW+(cols-1)*gridGap, rows*cellH+(rows-1)*gridGap))
	fillRGBA(dst, gapColor)

	for s := range n {
		x0 := (s % cols) * (cellW + gridGap)
		y0 := (s / cols) * (cellH + gridGap)
		paintSample(dst, x0, y0, x[s*size:(s+1)*size], c, h, w, lo, hi, zoom)
	}

	return dst
}

// Filmstrip lays out frames left to right, each one sample of c×h×w values
// in the layout of SampleGrid, with its step number centred under it on a
// white background. Cells are wide enough for the longest step number.
// For no frames the image is empty (0×0).
//
// Filmstrip panics if len(steps) differs from len(frames), a frame does not
// have exactly c·h·w values, c is not 1 or 3, h, w or zoom is less than 1,
// or hi ≤ lo.
func Filmstrip(frames [][]float32, steps []int, c, h, w int, lo, hi float32, zoom int) *image.RGBA {
	checkSampleShape(c, h, w, lo, hi, zoom)
	if len(steps) != len(frames) {
		panic(fmt.Sprintf("render: %d step numbers for %d frames", len(steps), len(frames)))
	}
	size := c * h * w
	for i, f := range frames {
		if len(f) != size {
			panic(fmt.Sprintf("render: frame %d has %d values, need %d for %d×%d×%d", i, len(f), size, c, h, w))
		}
	}
	if len(frames) == 0 {
		return image.NewRGBA(image.Rectangle{})
	}

	sty := textStyle(tickSize, textColor)
	sty.XAlign = vgdraw.XCenter
	sty.YAlign = vgdraw.YTop
	labels := make([]string, len(steps))
	var labelW vg.Length
	for i, s := range steps {
		labels[i] = strconv.Itoa(s)
		labelW = max(labelW, sty.Width(labels[i]))
	}

	// Cell and label sizes in pixels. The label row holds the font's full
	// height so that descenders are not cut.
	const pad = 4
	frameW, frameH := w*zoom, h*zoom
	cellW := max(frameW, int(math.Ceil(labelW.Dots(dpi)))+2)
	labelH := int(math.Ceil(sty.FontExtents().Height.Dots(dpi)))
	width := len(frames)*cellW + (len(frames)-1)*pad
	height := frameH + 2 + labelH

	canvas, dc := newCanvas(width, height)
	for i, label := range labels {
		centre := float64(i*(cellW+pad)) + float64(cellW)/2
		top := float64(height - frameH - 2)
		dc.FillText(sty, vg.Point{X: pxLength(centre), Y: pxLength(top)}, label)
	}
	dst := toRGBA(canvas)

	for i, f := range frames {
		x0 := i*(cellW+pad) + (cellW-frameW)/2
		paintSample(dst, x0, 0, f, c, h, w, lo, hi, zoom)
	}

	return dst
}

// checkSampleShape panics unless the sample shape and value range are usable.
func checkSampleShape(c, h, w int, lo, hi float32, zoom int) {
	if c != 1 && c != 3 {
		panic(fmt.Sprintf("render: %d channels, need 1 (grey) or 3 (RGB)", c))
	}
	if h < 1 || w < 1 {
		panic(fmt.Sprintf("render: sample size %d×%d, need at least 1×1", h, w))
	}
	if zoom < 1 {
		panic(fmt.Sprintf("render: zoom %d, need at least 1", zoom))
	}
	if !(hi > lo) {
		panic(fmt.Sprintf("render: value range [%g, %g] is empty, need lo < hi", lo, hi))
	}
}

// paintSample writes one c×h×w sample into dst with its top-left corner at
// (x0, y0), each value as a zoom×zoom block. It builds each pixel row once
// and copies it zoom−1 times, and allocates nothing.
func paintSample(dst *image.RGBA, x0, y0 int, sample []float32, c, h, w int, lo, hi float32, zoom int) {
	plane := h * w
	scale := 255 / (hi - lo)
	rowBytes := 4 * w * zoom
	for y := range h {
		row := dst.Pix[dst.PixOffset(x0, y0+y*zoom):][:rowBytes]
		for x := range w {
			i := y*w + x
			px := nanColor
			if c == 1 {
				if g, ok := level(sample[i], lo, scale); ok {
					px = color.RGBA{R: g, G: g, B: g, A: 0xff}
				}
			} else {
				r, okR := level(sample[i], lo, scale)
				g, okG := level(sample[plane+i], lo, scale)
				b, okB := level(sample[2*plane+i], lo, scale)
				if okR && okG && okB {
					px = color.RGBA{R: r, G: g, B: b, A: 0xff}
				}
			}
			block := row[4*x*zoom : 4*(x+1)*zoom]
			for k := 0; k < len(block); k += 4 {
				block[k], block[k+1], block[k+2], block[k+3] = px.R, px.G, px.B, px.A
			}
		}
		for k := 1; k < zoom; k++ {
			copy(dst.Pix[dst.PixOffset(x0, y0+y*zoom+k):][:rowBytes], row)
		}
	}
}

// level maps v from [lo, lo+255/scale] to 0–255, clamping outside values.
// It reports false for NaN.
func level(v, lo, scale float32) (uint8, bool) {
	t := (v - lo) * scale
	switch {
	case t != t:
		return 0, false
	case t <= 0:
		return 0, true
	case t >= 255:
		return 255, true
	}
	return uint8(t + 0.5), true
}

// fillRGBA paints every pixel of dst. It writes one pixel and doubles the
// painted prefix with copy, which runs at memory speed.
func fillRGBA(dst *image.RGBA, px color.RGBA) {
	if len(dst.Pix) == 0 {
		return
	}
	dst.Pix[0], dst.Pix[1], dst.Pix[2], dst.Pix[3] = px.R, px.G, px.B, px.A
	for n := 4; n < len(dst.Pix); n *= 2 {
		copy(dst.Pix[n:], dst.Pix[:n])
	}
}

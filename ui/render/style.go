package render

import (
	"fmt"
	"image"
	"image/color"
	"image/draw"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/palette/brewer"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	vgdraw "gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// Font sizes in points. At 96 dpi one point is 4/3 px.
const (
	titleSize  = 11
	labelSize  = 10
	tickSize   = 9
	legendSize = 9
)

// Accepted plot sizes in pixels. Below the minimum the axes leave no room
// for data, and the maximum stops a bogus size from allocating gigabytes.
const (
	minWidthPx  = 96
	minHeightPx = 64
	maxSidePx   = 8192
)

// dpi is the resolution of every canvas, so that vg lengths map to pixels
// by the same factor everywhere.
const dpi = vgimg.DefaultDPI

var (
	sansFont = font.Font{Typeface: "Liberation", Variant: "Sans"}

	// seriesColors is read-only after initialisation, which keeps it safe to
	// share between goroutines.
	seriesColors = mustQualitative("Dark2", 8)

	textColor = color.Gray{Y: 0x20}
	noteColor = color.Gray{Y: 0x70}
)

func mustQualitative(name string, n int) []color.Color {
	p, err := brewer.GetPalette(brewer.TypeQualitative, name, n)
	if err != nil {
		panic(fmt.Sprintf("render: brewer palette %s: %v", name, err))
	}
	return p.Colors()
}

// seriesColor returns the colour of the i-th series, cycling after eight.
func seriesColor(i int) color.Color {
	return seriesColors[i%len(seriesColors)]
}

// fade returns c with its opacity set to alpha (0 to 255).
func fade(c color.Color, alpha uint8) color.NRGBA {
	n := color.NRGBAModel.Convert(c).(color.NRGBA)
	n.A = alpha
	return n
}

// textStyle returns a Liberation Sans style of the given size in points.
func textStyle(size float64, c color.Color) text.Style {
	return text.Style{
		Color:   c,
		Font:    font.From(sansFont, vg.Points(size)),
		Handler: plot.DefaultTextHandler,
	}
}

// newPlot returns a plot in the house style: sans-serif text, short ticks
// and no data range yet. Each call builds fresh styles, so plots never share
// mutable state.
func newPlot() *plot.Plot {
	p := plot.New()

	p.Title.TextStyle.Font = font.From(sansFont, titleSize)
	p.Title.TextStyle.Color = textColor
	p.Title.Padding = vg.Points(4)
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		a.Label.TextStyle.Font = font.From(sansFont, labelSize)
		a.Label.TextStyle.Color = textColor
		a.Label.Padding = vg.Points(2)
		a.Tick.Label.Font = font.From(sansFont, tickSize)
		a.Tick.Label.Color = textColor
		a.Tick.Length = vg.Points(4)
		a.Padding = vg.Points(3)
	}
	p.Legend.TextStyle.Font = font.From(sansFont, legendSize)
	p.Legend.TextStyle.Color = textColor

	return p
}

// newLegend returns an empty legend in the house style, for drawing outside
// the data area.
func newLegend() plot.Legend {
	l := plot.NewLegend()
	l.TextStyle = textStyle(legendSize, textColor)
	l.ThumbnailWidth = vg.Points(14)
	l.Padding = vg.Points(1)
	l.Top = true
	l.Left = true
	return l
}

// checkSize returns an error unless widthPx×heightPx is a drawable size.
func checkSize(plotName string, widthPx, heightPx int) error {
	if widthPx < minWidthPx || heightPx < minHeightPx || widthPx > maxSidePx || heightPx > maxSidePx {
		return fmt.Errorf("render: %s size %d×%d px is out of range, use %d×%d to %d×%d",
			plotName, widthPx, heightPx, minWidthPx, minHeightPx, maxSidePx, maxSidePx)
	}
	return nil
}

// newCanvas returns a white raster canvas of exactly widthPx×heightPx pixels
// and a drawing area covering all of it.
func newCanvas(widthPx, heightPx int) (*vgimg.Canvas, vgdraw.Canvas) {
	img := image.NewRGBA(image.Rect(0, 0, widthPx, heightPx))
	c := vgimg.NewWith(vgimg.UseImage(img), vgimg.UseDPI(dpi))
	return c, vgdraw.New(c)
}

// toRGBA returns the canvas pixels as an *image.RGBA without copying when
// the backend already draws into one.
func toRGBA(c *vgimg.Canvas) *image.RGBA {
	src := c.Image()
	if rgba, ok := src.(*image.RGBA); ok {
		return rgba
	}
	dst := image.NewRGBA(src.Bounds())
	draw.Draw(dst, dst.Bounds(), src, src.Bounds().Min, draw.Src)
	return dst
}

// pxLength converts pixels to a vg length on a canvas of resolution dpi.
func pxLength(px float64) vg.Length {
	return vg.Length(px) * vg.Inch / dpi
}

// centredNote is a plot.Plotter that writes a grey message in the middle of
// the data area, such as "no data yet".
type centredNote struct {
	text string
}

func (n centredNote) Plot(c vgdraw.Canvas, _ *plot.Plot) {
	sty := textStyle(labelSize, noteColor)
	sty.XAlign = vgdraw.XCenter
	sty.YAlign = vgdraw.YCenter
	c.FillText(sty, c.Center(), n.text)
}

const noDataText = "no data yet"

// sideLegendArea returns the part of dc left for the plot when leg sits in
// a column to its right. It reports false, and returns dc, when the legend
// is empty or would take more than maxLegendShare of the width.
func sideLegendArea(leg plot.Legend, dc vgdraw.Canvas) (vgdraw.Canvas, bool) {
	const maxLegendShare = 0.45
	r := leg.Rectangle(dc)
	width := r.Max.X - r.Min.X + legendGap
	if width == legendGap || width > vg.Length(maxLegendShare)*(dc.Max.X-dc.Min.X) {
		return dc, false
	}
	return vgdraw.Crop(dc, 0, -width, 0, 0), true
}

// legendGap separates the data area from a legend column.
var legendGap = vg.Points(6)

// drawWithSideLegend draws p into dc with leg in a column to the right of
// the data area, top-aligned with it, so the legend never covers data. A
// legend too wide for a column goes inside the data area at the top right.
func drawWithSideLegend(p *plot.Plot, leg plot.Legend, dc vgdraw.Canvas) {
	plotArea, ok := sideLegendArea(leg, dc)
	if !ok {
		p.Legend = leg
		p.Legend.Left = false
		p.Draw(dc)
		return
	}
	p.Draw(plotArea)

	data := p.DataCanvas(plotArea)
	legendArea := vgdraw.Canvas{
		Canvas: dc.Canvas,
		Rectangle: vg.Rectangle{
			Min: vg.Point{X: plotArea.Max.X + legendGap, Y: data.Min.Y},
			Max: vg.Point{X: dc.Max.X, Y: data.Max.Y},
		},
	}
	leg.Draw(legendArea)
}

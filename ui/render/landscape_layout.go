package render

import (
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	vgdraw "gonum.org/v1/plot/vg/draw"
)

// energyScale is the energy range that the heatmap colours span.
type energyScale struct {
	lo, hi float64
}

// Colour bar geometry in points.
const (
	barGapPt   = 8  // between the heatmap and the bar
	barWidthPt = 10 // the bar itself
	barTickPt  = 3  // tick marks right of the bar
	barTextPt  = 2  // between tick marks and their labels
)

// drawLandscape lays out the heatmap plot p with the legend row above its
// data area and the colour bar to its right. The data area shrinks to the
// aspect ratio of the grid ranges and is centred in the space left.
func drawLandscape(dc vgdraw.Canvas, p *plot.Plot, scale *energyScale, legend []legendEntry, g Grid) {
	main := dc
	var legendH vg.Length
	if len(legend) > 0 {
		legendH = legendRowHeight(legend, dc) + vg.Points(4)
		main = vgdraw.Crop(main, 0, 0, 0, -legendH)
	}
	if scale != nil {
		main = vgdraw.Crop(main, 0, -scale.stripWidth(), 0, 0)
	}

	// Shrink the main area so that one unit of x and y have equal length.
	// Axis sizes do not depend on the area, so the data area shrinks by the
	// same amount as the area.
	data := p.DataCanvas(main)
	w, h := data.Max.X-data.Min.X, data.Max.Y-data.Min.Y
	aspect := vg.Length((g.XMax - g.XMin) / (g.YMax - g.YMin))
	if want := h * aspect; want < w {
		main = vgdraw.Crop(main, (w-want)/2, -(w-want)/2, 0, 0)
	} else if want := w / aspect; want < h {
		main = vgdraw.Crop(main, 0, 0, (h-want)/2, -(h-want)/2)
	}
	p.Draw(main)

	data = p.DataCanvas(main)
	if scale != nil {
		scale.draw(dc, data)
	}
	if len(legend) > 0 {
		row := dc
		row.Min.Y, row.Max.Y = main.Max.Y, main.Max.Y+legendH
		drawLegendRow(row, legend, data.Center().X)
	}
}

// ticks returns the labelled ticks of the scale that lie within it.
func (s energyScale) ticks() []plot.Tick {
	var out []plot.Tick
	for _, t := range (plot.DefaultTicks{}).Ticks(s.lo, s.hi) {
		if t.Label != "" && t.Value >= s.lo && t.Value <= s.hi {
			out = append(out, t)
		}
	}
	return out
}

// stripWidth returns the width that the colour bar, its tick labels and
// its axis label take right of the heatmap.
func (s energyScale) stripWidth() vg.Length {
	tick := textStyle(tickSize, textColor)
	var labelW vg.Length
	for _, t := range s.ticks() {
		labelW = max(labelW, tick.Width(t.Label))
	}
	axis := textStyle(labelSize, textColor)
	return vg.Points(barGapPt+barWidthPt+barTickPt+barTextPt) + labelW + vg.Points(4) + axis.FontExtents().Height
}

// draw paints the colour bar next to the heatmap's data area, spanning its
// height, with ticks and labels on its right.
func (s energyScale) draw(dc vgdraw.Canvas, heat vgdraw.Canvas) {
	left := heat.Max.X + vg.Points(barGapPt)
	right := left + vg.Points(barWidthPt)
	bar := vgdraw.Canvas{
		Canvas:    dc.Canvas,
		Rectangle: vg.Rectangle{Min: vg.Point{X: left, Y: heat.Min.Y}, Max: vg.Point{X: right, Y: heat.Max.Y}},
	}

	// gonum/plot draws the colours. A plot with hidden axes and no padding
	// has a data area equal to the bar.
	p := plot.New()
	p.HideAxes()
	p.X.Padding, p.Y.Padding = 0, 0
	p.Add(&plotter.ColorBar{ColorMap: energyColorMap(s.lo, s.hi), Vertical: true})
	p.Draw(bar)

	frame := vgdraw.LineStyle{Color: textColor, Width: vg.Points(0.5)}
	bar.StrokeLines(frame, []vg.Point{
		bar.Min, {X: bar.Max.X, Y: bar.Min.Y}, bar.Max, {X: bar.Min.X, Y: bar.Max.Y}, bar.Min,
	})

	tick := textStyle(tickSize, textColor)
	tick.YAlign = vgdraw.YCenter
	var labelW vg.Length
	for _, t := range s.ticks() {
		y := bar.Min.Y + (bar.Max.Y-bar.Min.Y)*vg.Length((t.Value-s.lo)/(s.hi-s.lo))
		dc.StrokeLine2(frame, right, y, right+vg.Points(barTickPt), y)
		dc.FillText(tick, vg.Point{X: right + vg.Points(barTickPt+barTextPt), Y: y}, t.Label)
		labelW = max(labelW, tick.Width(t.Label))
	}

	axis := textStyle(labelSize, textColor)
	axis.Rotation = math.Pi / 2
	axis.XAlign = vgdraw.XCenter
	axis.YAlign = vgdraw.YTop
	at := vg.Point{X: right + vg.Points(barTickPt+barTextPt+4) + labelW, Y: bar.Center().Y}
	dc.FillText(axis, at, "energy E(x)")
}

// legendEntry is one item of a legend row.
type legendEntry struct {
	label string
	thumb plot.Thumbnailer
}

// legendRowGap separates the entries of a legend row.
var legendRowGap = vg.Points(12)

// legendRowHeight returns the height of a legend row of entries.
func legendRowHeight(entries []legendEntry, dc vgdraw.Canvas) vg.Length {
	var height vg.Length
	for _, e := range entries {
		l := newLegend()
		l.Add(e.label, e.thumb)
		r := l.Rectangle(dc)
		height = max(height, r.Max.Y-r.Min.Y)
	}
	return height
}

// drawLegendRow draws the entries side by side in row, centred on centreX
// where they fit and kept inside row otherwise.
func drawLegendRow(row vgdraw.Canvas, entries []legendEntry, centreX vg.Length) {
	legends := make([]plot.Legend, len(entries))
	widths := make([]vg.Length, len(entries))
	total := legendRowGap * vg.Length(len(entries)-1)
	for i, e := range entries {
		legends[i] = newLegend()
		legends[i].Add(e.label, e.thumb)
		r := legends[i].Rectangle(row)
		widths[i] = r.Max.X - r.Min.X
		total += widths[i]
	}

	x := centreX - total/2
	x = max(row.Min.X, min(x, row.Max.X-total))
	for i, l := range legends {
		area := row
		area.Min.X, area.Max.X = x, x+widths[i]
		l.Draw(area)
		x += widths[i] + legendRowGap
	}
}

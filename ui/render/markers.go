package render

import (
	"cmp"
	"image/color"
	"slices"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	vgdraw "gonum.org/v1/plot/vg/draw"
)

// maxMarkerRows limits the rows of marker labels above the bars. Labels
// that do not fit go into the last row and may overlap.
const maxMarkerRows = 4

// markerLines is a plot.Plotter that draws labelled vertical dashed lines.
// The labels sit in a band at the top of the data area, in as many rows as
// needed to keep neighbouring labels apart, and the y axis is raised so that
// no bar reaches into the band.
type markerLines struct {
	markers []Marker // sorted by value
	rows    []int    // label row of each marker, 0 at the top
	left    []bool   // whether the label sits left of its line
	line    vgdraw.LineStyle
	label   text.Style
	rowH    vg.Length
}

// markerLineStyle returns the dashed dark-grey style of marker lines.
func markerLineStyle() vgdraw.LineStyle {
	return vgdraw.LineStyle{
		Color:  color.Gray{Y: 0x30},
		Width:  vg.Points(1),
		Dashes: []vg.Length{vg.Points(3), vg.Points(2)},
	}
}

func newMarkerLines(markers []Marker) *markerLines {
	sorted := slices.Clone(markers)
	slices.SortStableFunc(sorted, func(a, b Marker) int { return cmp.Compare(a.Value, b.Value) })

	sty := textStyle(legendSize, textColor)
	sty.YAlign = vgdraw.YTop
	return &markerLines{
		markers: sorted,
		rows:    make([]int, len(sorted)),
		left:    make([]bool, len(sorted)),
		line:    markerLineStyle(),
		label:   sty,
		rowH:    sty.FontExtents().Height + vg.Points(1),
	}
}

// layout assigns label rows for a plot drawn into area and raises p.Y.Max
// to make room for them. It must run after the axis ranges are set, with
// the y axis starting at zero. The
// data area it measures can differ from the final one by the width of the
// y tick labels, which shifts labels by a few points at most.
func (m *markerLines) layout(p *plot.Plot, area vgdraw.Canvas) {
	if len(m.markers) == 0 {
		return
	}
	data := p.DataCanvas(area)
	span := data.Max.X - data.Min.X
	gap := vg.Points(2)

	var ends []vg.Length // right end of the last label in each row
	for i, mk := range m.markers {
		x := data.Min.X + span*vg.Length((mk.Value-p.X.Min)/(p.X.Max-p.X.Min))
		w := m.label.Width(mk.Label)
		start, end := x+gap, x+gap+w
		if end > data.Max.X {
			m.left[i] = true
			start, end = x-gap-w, x-gap
		}

		row := slices.IndexFunc(ends, func(e vg.Length) bool { return e+gap < start })
		if row < 0 {
			if len(ends) < maxMarkerRows {
				ends = append(ends, 0)
			}
			row = len(ends) - 1
		}
		ends[row] = max(ends[row], end)
		m.rows[i] = row
	}

	// Raise the top of the y axis so that the band of label rows lies above
	// the highest bar: the bars keep their share (h−band)/h of the height.
	height := data.Max.Y - data.Min.Y
	band := vg.Length(len(ends))*m.rowH + gap
	if band > height/2 {
		band = height / 2
	}
	p.Y.Max *= float64(height / (height - band))
}

// Plot draws each marker line from the bottom of the data area up to its
// label row, with the label beside the top of the line.
func (m *markerLines) Plot(c vgdraw.Canvas, p *plot.Plot) {
	trX, _ := p.Transforms(&c)
	gap := vg.Points(2)
	for i, mk := range m.markers {
		x := trX(mk.Value)
		top := c.Max.Y - vg.Length(m.rows[i])*m.rowH
		c.StrokeLine2(m.line, x, c.Min.Y, x, top)

		sty := m.label
		at := vg.Point{X: x + gap, Y: top}
		if m.left[i] {
			sty.XAlign = vgdraw.XRight
			at.X = x - gap
		}
		c.FillText(sty, at, mk.Label)
	}
}

// markerThumb is the legend thumbnail of a marker: a short dashed line.
type markerThumb struct {
	style vgdraw.LineStyle
}

func (t markerThumb) Thumbnail(c *vgdraw.Canvas) {
	y := c.Center().Y
	c.StrokeLine2(t.style, c.Min.X, y, c.Max.X, y)
}

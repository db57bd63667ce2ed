package render

import (
	"fmt"
	"image"
	"image/color"
	"math"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	vgdraw "gonum.org/v1/plot/vg/draw"
)

// Curve is one training curve: Y[i] is the value at iteration X[i].
type Curve struct {
	Name string
	X, Y []float64
}

// CurveOptions sets how Curves draws.
type CurveOptions struct {
	// Title is drawn above the plot, followed by a note of any skipped values.
	Title string

	// Smoothing is the weight α of the exponential moving average, from 0
	// (no smoothing) to below 1. A weight of 0.9 averages over roughly ten
	// points, since the unnormalised weights α^k sum to 1/(1−α). The
	// raw series stays visible, faint, behind the smoothed one.
	Smoothing float64

	// LogY draws the y axis on a log scale. Non-positive values cannot be
	// shown on it, so they are skipped and the title gives their count.
	LogY bool

	// Separate draws each curve in its own panel, stacked top to bottom on a
	// shared x range, with the curve name as the y label. Otherwise all
	// curves share one axis and a legend names them.
	Separate bool

	// YLabel is the y-axis label of the shared axis, with its unit, such as
	// "loss (nats)". When empty, a single curve's name is used, or "value".
	YLabel string

	// WidthPx and HeightPx are the image size in pixels.
	WidthPx, HeightPx int
}

// Curves draws training curves against iteration. Points with an X or Y
// that is NaN, ±Inf or beyond ±1e300 are skipped as non-finite, as are
// non-positive Y on a log axis. The title counts the skipped points.
// Smoothing runs over the points that remain, in order, so it is measured
// in points rather than iterations. With no point to draw the axes
// carry the note "no data yet".
//
// A series sorted by X with more than two points per pixel column of the
// data area is drawn through the first, lowest, highest and last point of
// each column only, which looks the same and bounds the drawing time. With
// smoothing on, a raw series of three or more points per column is drawn as
// the faint band between its per-column extremes.
//
// Curves returns an error if o.Smoothing is outside [0, 1) or the size is
// not drawable. It panics if a curve's X and Y differ in length.
func Curves(curves []Curve, o CurveOptions) (*image.RGBA, error) {
	if !(o.Smoothing >= 0 && o.Smoothing < 1) {
		return nil, fmt.Errorf("render: curve smoothing %g is out of range, use 0 (none) up to but excluding 1", o.Smoothing)
	}
	if err := checkSize("curves", o.WidthPx, o.HeightPx); err != nil {
		return nil, err
	}
	for _, c := range curves {
		if len(c.X) != len(c.Y) {
			panic(fmt.Sprintf("render: curve %q has %d x and %d y values", c.Name, len(c.X), len(c.Y)))
		}
	}

	prepared, skip := prepareCurves(curves, o)
	title := titleWithNote(o.Title, o.LogY, skip)

	canvas, dc := newCanvas(o.WidthPx, o.HeightPx)
	if o.Separate && len(prepared) > 1 {
		drawPanels(dc, prepared, title, o)
	} else {
		drawShared(dc, prepared, title, o)
	}
	return toRGBA(canvas), nil
}

// preparedCurve is a Curve with undrawable points removed and its moving
// average computed.
type preparedCurve struct {
	name   string
	index  int // position in the caller's slice, which picks the colour
	raw    plotter.XYs
	smooth plotter.XYs // nil without smoothing
}

// skipCounts counts the points left out of a plot.
type skipCounts struct {
	nonFinite, nonPositive int
}

func prepareCurves(curves []Curve, o CurveOptions) ([]preparedCurve, skipCounts) {
	var skip skipCounts
	out := make([]preparedCurve, len(curves))
	for i, c := range curves {
		pc := preparedCurve{name: c.Name, index: i, raw: make(plotter.XYs, 0, len(c.X))}
		for j, x := range c.X {
			y := c.Y[j]
			switch {
			case !isDrawable(x) || !isDrawable(y):
				skip.nonFinite++
			case o.LogY && y <= 0:
				skip.nonPositive++
			default:
				pc.raw = append(pc.raw, plotter.XY{X: x, Y: y})
			}
		}
		if o.Smoothing > 0 && len(pc.raw) > 0 {
			ys := make([]float64, len(pc.raw))
			for j, p := range pc.raw {
				ys[j] = p.Y
			}
			ema(ys, ys, o.Smoothing)
			pc.smooth = make(plotter.XYs, len(pc.raw))
			for j, p := range pc.raw {
				pc.smooth[j] = plotter.XY{X: p.X, Y: ys[j]}
			}
		}
		out[i] = pc
	}
	return out, skip
}

// ema writes to dst the bias-corrected exponential moving average of y with
// weight alpha: dst[t] = Σ_{i≤t} α^(t−i)(1−α)·y[i] / (1 − α^(t+1)). The
// correction makes dst[0] = y[0] and keeps early values from being pulled
// towards zero, as for the moment estimates of Adam (Kingma and Ba,
// arXiv:1412.6980). dst may be y. ema panics if the lengths differ.
func ema(dst, y []float64, alpha float64) {
	if len(dst) != len(y) {
		panic(fmt.Sprintf("render: ema destination length %d, need %d", len(dst), len(y)))
	}
	var mean, weight float64
	for i, v := range y {
		mean = alpha*mean + (1-alpha)*v
		weight = alpha*weight + (1 - alpha)
		dst[i] = mean / weight
	}
}

// titleWithNote appends to title a note of the log scale and skipped points.
func titleWithNote(title string, logY bool, skip skipCounts) string {
	var parts []string
	if logY {
		parts = append(parts, "log y")
	}
	switch {
	case skip.nonPositive > 0 && skip.nonFinite > 0:
		parts = append(parts, fmt.Sprintf("%d non-positive and %s skipped", skip.nonPositive, countNoun(skip.nonFinite, "non-finite value")))
	case skip.nonPositive > 0:
		parts = append(parts, countNoun(skip.nonPositive, "non-positive value")+" skipped")
	case skip.nonFinite > 0:
		parts = append(parts, countNoun(skip.nonFinite, "non-finite value")+" skipped")
	}
	if len(parts) == 0 {
		return title
	}
	note := strings.Join(parts, ", ")
	if title == "" {
		return note
	}
	return title + " (" + note + ")"
}

// countNoun returns n followed by noun, in the plural unless n is 1.
func countNoun(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}

// drawTitle writes title centred along the top of dc and returns the area
// below it. A title too wide for one line breaks before its note in
// brackets.
func drawTitle(dc vgdraw.Canvas, title string) vgdraw.Canvas {
	if title == "" {
		return dc
	}
	sty := textStyle(titleSize, textColor)
	sty.XAlign = vgdraw.XCenter
	sty.YAlign = vgdraw.YTop
	if sty.Width(title) > dc.Max.X-dc.Min.X {
		title = strings.Replace(title, " (", "\n(", 1)
	}
	dc.FillText(sty, vg.Point{X: dc.Center().X, Y: dc.Max.Y}, title)
	return vgdraw.Crop(dc, 0, 0, 0, -(sty.Height(title) + vg.Points(4)))
}

// drawShared draws all curves on one axis with a legend beside it when
// there is more than one curve.
func drawShared(dc vgdraw.Canvas, curves []preparedCurve, title string, o CurveOptions) {
	dc = drawTitle(dc, title)
	p := newCurvePlot(o.LogY)
	p.X.Label.Text = "iteration"
	p.Y.Label.Text = o.YLabel
	if p.Y.Label.Text == "" {
		p.Y.Label.Text = "value"
		if len(curves) == 1 {
			p.Y.Label.Text = curves[0].name
		}
	}

	leg := newLegend()
	if len(curves) > 1 {
		for _, c := range curves {
			leg.Add(c.name, &plotter.Line{LineStyle: curveStyle(c.index, lineWidthPt(o))})
		}
	}
	xmin, xmax := xRange(curves)
	if xmin > xmax {
		setEmptyRange(p, o.LogY)
		p.Add(centredNote{text: noDataText})
	} else {
		setDataRange(p, curves, xmin, xmax, o.LogY)
	}

	area, _ := sideLegendArea(leg, dc)
	columns := dataColumns(p, area)
	for _, c := range curves {
		addCurve(p, c, xmin, xmax, columns)
	}

	drawWithSideLegend(p, leg, dc)
}

// drawPanels draws each curve in its own panel, stacked top to bottom with
// aligned data areas and a shared x range. Only the bottom panel labels x.
func drawPanels(dc vgdraw.Canvas, curves []preparedCurve, title string, o CurveOptions) {
	dc = drawTitle(dc, title)

	xmin, xmax := xRange(curves)

	plots := make([][]*plot.Plot, len(curves))
	for i, c := range curves {
		p := newCurvePlot(o.LogY)
		p.Y.Label.Text = c.name
		if len(c.raw) == 0 {
			setEmptyRange(p, o.LogY)
			p.Add(centredNote{text: noDataText})
		} else {
			setDataRange(p, []preparedCurve{c}, xmin, xmax, o.LogY)
		}
		if xmin <= xmax {
			p.X.Min, p.X.Max = xmin, xmax
		}
		addCurve(p, c, xmin, xmax, dataColumns(p, dc))
		if i == len(curves)-1 {
			p.X.Label.Text = "iteration"
		} else {
			p.X.Tick.Marker = unlabelled{plot.DefaultTicks{}}
		}
		plots[i] = []*plot.Plot{p}
	}

	tiles := vgdraw.Tiles{Rows: len(curves), Cols: 1, PadY: vg.Points(6)}
	areas := plot.Align(plots, tiles, dc)
	for i := range plots {
		plots[i][0].Draw(areas[i][0])
	}
}

// xRange returns the range of X over all curves, with xmin > xmax when
// they have no points.
func xRange(curves []preparedCurve) (xmin, xmax float64) {
	xmin, xmax = math.Inf(1), math.Inf(-1)
	for _, c := range curves {
		for _, p := range c.raw {
			xmin, xmax = math.Min(xmin, p.X), math.Max(xmax, p.X)
		}
	}
	return xmin, xmax
}

// newCurvePlot returns a plot with a light grid and, if logY, a log y axis.
func newCurvePlot(logY bool) *plot.Plot {
	p := newPlot()
	grid := plotter.NewGrid()
	grid.Vertical = vgdraw.LineStyle{Color: color.Gray{Y: 0xe0}, Width: vg.Points(0.5)}
	grid.Horizontal = grid.Vertical
	p.Add(grid)
	if logY {
		p.Y.Scale = plot.LogScale{}
		p.Y.Tick.Marker = plot.TickerFunc(logTicks)
	}
	return p
}

// addCurve adds c to p, reduced to columns pixel columns over [xmin, xmax]
// first. With smoothing on, the raw series goes faint behind the smoothed
// line. A raw series of three or more points per column is drawn as the
// band between its per-column extremes, which looks the same as the dense
// zigzag line and costs a fraction of its stroking time.
func addCurve(p *plot.Plot, c preparedCurve, xmin, xmax float64, columns int) {
	if len(c.raw) == 0 {
		return
	}
	if c.smooth == nil {
		raw := mustLine(c.name, reduceColumns(c.raw, xmin, xmax, columns))
		raw.LineStyle = curveStyle(c.index, rawLinePt)
		p.Add(raw)
		return
	}

	faint := fade(seriesColor(c.index), 0x50)
	if len(c.raw) >= 3*columns && sortedByX(c.raw) {
		band := &plotter.Polygon{XYs: []plotter.XYs{envelope(c.raw, xmin, xmax, columns)}, Color: fade(seriesColor(c.index), 0x40)}
		p.Add(band)
	} else {
		raw := mustLine(c.name, c.raw)
		raw.LineStyle = vgdraw.LineStyle{Color: faint, Width: vg.Points(0.75)}
		p.Add(raw)
	}
	smooth := mustLine(c.name, reduceColumns(c.smooth, xmin, xmax, columns))
	smooth.LineStyle = curveStyle(c.index, smoothLinePt)
	p.Add(smooth)
}

// lineWidthPt returns the width of the main line of each curve: the
// smoothed line when smoothing is on, else the raw line.
func lineWidthPt(o CurveOptions) float64 {
	if o.Smoothing > 0 {
		return smoothLinePt
	}
	return rawLinePt
}

// Line widths in points of an unsmoothed curve and of a moving average.
const (
	rawLinePt    = 1.25
	smoothLinePt = 1.5
)

// setDataRange sets the axes of p to [xmin, xmax] and the range of the raw
// values of curves, which also holds their moving averages. A flat series
// gets a range around its value: ±0.5 on a linear axis and half a decade
// each way on a log axis. gonum/plot would widen it by ±1, which on a log
// axis can reach zero or below, where its log scale panics.
func setDataRange(p *plot.Plot, curves []preparedCurve, xmin, xmax float64, logY bool) {
	ymin, ymax := math.Inf(1), math.Inf(-1)
	for _, c := range curves {
		for _, q := range c.raw {
			ymin, ymax = math.Min(ymin, q.Y), math.Max(ymax, q.Y)
		}
	}
	if ymin == ymax {
		if logY {
			// A subnormal ymin/√10 can round to zero, which a log axis
			// cannot show, so the range then starts at ymin.
			half := math.Sqrt(10)
			lower := ymin / half
			if lower == 0 {
				lower = ymin
			}
			ymin, ymax = lower, ymax*half
		} else {
			ymin, ymax = ymin-0.5, ymax+0.5
		}
	}
	p.X.Min, p.X.Max = xmin, xmax
	p.Y.Min, p.Y.Max = ymin, ymax
}

// dataColumns returns the width in pixels of the data area of p in area.
func dataColumns(p *plot.Plot, area vgdraw.Canvas) int {
	data := p.DataCanvas(area)
	return max(1, int((data.Max.X - data.Min.X).Dots(dpi)))
}

// mustLine returns a line through xys, which hold only finite values.
func mustLine(name string, xys plotter.XYs) *plotter.Line {
	l, err := plotter.NewLine(xys)
	if err != nil {
		panic(fmt.Sprintf("render: curve %q after removing non-finite points: %v", name, err))
	}
	return l
}

func curveStyle(index int, widthPt float64) vgdraw.LineStyle {
	return vgdraw.LineStyle{Color: seriesColor(index), Width: vg.Points(widthPt)}
}

// setEmptyRange gives an axis with no data a unit range that its scale can
// draw.
func setEmptyRange(p *plot.Plot, logY bool) {
	p.X.Min, p.X.Max = 0, 1
	p.Y.Min, p.Y.Max = 0, 1
	if logY {
		p.Y.Min, p.Y.Max = 1, 10
	}
}

// logTicks places major ticks at powers of ten and minor ticks at their
// multiples 2–9. A range that holds fewer than two powers of ten gets
// linear ticks instead, because a single labelled tick cannot be read.
// With more than six decades only every k-th power is labelled.
func logTicks(min, max float64) []plot.Tick {
	first := math.Floor(math.Log10(min))
	last := math.Floor(math.Log10(max))
	if math.IsInf(first, 0) || math.IsNaN(first) || math.IsInf(last, 0) || math.IsNaN(last) {
		// The range is not positive and finite. The caller's range checks
		// prevent this, and counting decades from −Inf would never end.
		return nil
	}
	if math.Ceil(math.Log10(min)) > last-1 {
		return plot.DefaultTicks{}.Ticks(min, max)
	}

	every := int(math.Ceil((last - first + 1) / 6))
	var ticks []plot.Tick
	for e := first; e <= last; e++ {
		base := math.Pow(10, e)
		label := ""
		if int(e-first)%every == 0 {
			label = strconv.FormatFloat(base, 'g', -1, 64)
		}
		ticks = append(ticks, plot.Tick{Value: base, Label: label})
		for k := 2.0; k < 10; k++ {
			ticks = append(ticks, plot.Tick{Value: k * base})
		}
	}
	return ticks
}

// unlabelled is a plot.Ticker that keeps the tick positions of Ticker but
// drops their labels, for panels that share the x axis of the panel below.
type unlabelled struct {
	plot.Ticker
}

func (u unlabelled) Ticks(min, max float64) []plot.Tick {
	ticks := u.Ticker.Ticks(min, max)
	for i := range ticks {
		ticks[i].Label = ""
	}
	return ticks
}

package render

import (
	"fmt"
	"image"
	"math"
	"slices"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	vgdraw "gonum.org/v1/plot/vg/draw"
)

// Series is a named set of values, such as the energies of a data batch.
type Series struct {
	Name   string
	Values []float64
}

// Marker is a single labelled value, such as the energy of a dropped file.
type Marker struct {
	Label string
	Value float64
}

// Accepted histogram bin counts.
const (
	minBins = 1
	maxBins = 1000
)

// scaleMinCount is the number of finite values a set needs to take part in
// choosing the height of the y axis. A set of one or two values has a
// density spike of 1/(n·bin width) that would flatten every other set, so
// the bars of small sets are cut at the height of the tallest bar of the
// large sets instead.
const scaleMinCount = 20

// Histogram draws the energy histograms of several sets on shared bins, as
// densities so that sets of different sizes compare, with vertical dashed
// markers for single values. The bins span the finite values of all sets,
// and the x axis also covers every finite marker.
//
// Each set is drawn in its series colour (by position in sets), translucent
// so that overlaps stay visible. Empty sets are skipped. NaN, ±Inf and
// values beyond ±1e300 are dropped and counted in the legend, as in
// "noise (3 non-finite)", and such a marker is listed in the legend instead
// of drawn. With no finite value at all the axes are drawn with the note
// "no data yet".
//
// Histogram returns an error if bins is outside 1 to 1000 or the size is not
// drawable.
func Histogram(sets []Series, markers []Marker, bins int, widthPx, heightPx int) (*image.RGBA, error) {
	if bins < minBins || bins > maxBins {
		return nil, fmt.Errorf("render: histogram bin count %d is out of range, use %d to %d", bins, minBins, maxBins)
	}
	if err := checkSize("histogram", widthPx, heightPx); err != nil {
		return nil, err
	}

	p := newPlot()
	p.X.Label.Text = "energy E(x)"
	p.Y.Label.Text = "density (1/E)"
	leg := newLegend()

	clean, lo, hi := finiteSets(sets)
	var drawn []Marker
	var skipped []string
	for _, m := range markers {
		if isDrawable(m.Value) {
			drawn = append(drawn, m)
			lo, hi = math.Min(lo, m.Value), math.Max(hi, m.Value)
		} else {
			skipped = append(skipped, m.Label)
		}
	}

	canvas, dc := newCanvas(widthPx, heightPx)
	if lo > hi {
		addSetLegend(&leg, clean)
		addSkippedMarkers(&leg, skipped)
		p.X.Min, p.X.Max = 0, 1
		p.Y.Min, p.Y.Max = 0, 1
		p.Add(centredNote{text: noDataText})
		drawWithSideLegend(p, leg, dc)
		return toRGBA(canvas), nil
	}

	binLo, binHi := spanOf(clean)
	if binLo > binHi {
		binLo, binHi = lo, hi
	}
	binLo, binHi = widenSpan(binLo, binHi)
	yTop := addDensities(p, clean, binLo, (binHi-binLo)/float64(bins), bins)
	addSetLegend(&leg, clean)

	lo, hi = math.Min(lo, binLo), math.Max(hi, binHi)
	margin := 0.02 * (hi - lo)
	p.X.Min, p.X.Max = lo-margin, hi+margin
	p.Y.Min, p.Y.Max = 0, yTop

	if len(drawn) > 0 || len(skipped) > 0 {
		ml := newMarkerLines(drawn)
		addSkippedMarkers(&leg, skipped)
		plotArea, _ := sideLegendArea(leg, dc)
		ml.layout(p, plotArea)
		p.Add(ml)
	}

	drawWithSideLegend(p, leg, dc)
	return toRGBA(canvas), nil
}

// addDensities adds the density histogram of each non-empty set to p, on
// bins of the given width from lo, and returns the top of the y axis. The
// top sits 5% above the tallest bar of the sets with scaleMinCount or more
// values, or of all sets when none has that many. Taller bars of small
// sets are cut at that height.
func addDensities(p *plot.Plot, sets []cleanSet, lo, width float64, bins int) float64 {
	hists := make([]*plotter.Histogram, 0, len(sets))
	large := anyLarge(sets)
	yTop := 0.0
	for _, s := range sets {
		if len(s.values) == 0 {
			continue
		}
		h := densityHistogram(s.values, lo, width, bins)
		h.FillColor = fade(seriesColor(s.index), 0x55)
		h.LineStyle = vgdraw.LineStyle{Color: seriesColor(s.index), Width: vg.Points(1)}
		hists = append(hists, h)
		if len(s.values) >= scaleMinCount || !large {
			for _, b := range h.Bins {
				yTop = math.Max(yTop, b.Weight)
			}
		}
	}
	if yTop == 0 {
		yTop = 1
	}
	yTop *= 1.05

	for _, h := range hists {
		for i := range h.Bins {
			h.Bins[i].Weight = math.Min(h.Bins[i].Weight, yTop)
		}
		p.Add(h)
	}
	return yTop
}

// cleanSet is a Series with non-finite values removed.
type cleanSet struct {
	name      string
	index     int // position in the caller's slice, which picks the colour
	values    []float64
	nonFinite int
}

// finiteSets drops empty sets and non-finite values, and returns the range
// of the finite values, with lo > hi when there are none.
func finiteSets(sets []Series) (clean []cleanSet, lo, hi float64) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for i, s := range sets {
		if len(s.Values) == 0 {
			continue
		}
		cs := cleanSet{name: s.Name, index: i, values: make([]float64, 0, len(s.Values))}
		for _, v := range s.Values {
			if !isDrawable(v) {
				cs.nonFinite++
				continue
			}
			cs.values = append(cs.values, v)
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
		clean = append(clean, cs)
	}
	return clean, lo, hi
}

// spanOf returns the range of the finite values of all sets, with lo > hi
// when there are none.
func spanOf(sets []cleanSet) (lo, hi float64) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, s := range sets {
		for _, v := range s.values {
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
	}
	return lo, hi
}

// anyLarge reports whether some set has at least scaleMinCount values.
func anyLarge(sets []cleanSet) bool {
	return slices.ContainsFunc(sets, func(s cleanSet) bool { return len(s.values) >= scaleMinCount })
}

// densityHistogram bins values into bins of the given width starting at lo
// and scales the counts to a density that integrates to one. The last bin
// includes its upper edge.
func densityHistogram(values []float64, lo, width float64, bins int) *plotter.Histogram {
	h := &plotter.Histogram{Bins: make([]plotter.HistogramBin, bins), Width: width}
	for i := range h.Bins {
		h.Bins[i].Min = lo + float64(i)*width
		h.Bins[i].Max = lo + float64(i+1)*width
	}
	for _, v := range values {
		i := min(int((v-lo)/width), bins-1)
		h.Bins[max(i, 0)].Weight++
	}
	norm := 1 / (float64(len(values)) * width)
	for i := range h.Bins {
		h.Bins[i].Weight *= norm
	}
	return h
}

// addSetLegend adds one legend entry per set, noting dropped values.
func addSetLegend(leg *plot.Legend, sets []cleanSet) {
	for _, s := range sets {
		label := s.name
		if s.nonFinite > 0 {
			label = fmt.Sprintf("%s (%d non-finite)", s.name, s.nonFinite)
		}
		thumb := &plotter.Histogram{
			FillColor: fade(seriesColor(s.index), 0x55),
			LineStyle: vgdraw.LineStyle{Color: seriesColor(s.index), Width: vg.Points(1)},
		}
		leg.Add(label, thumb)
	}
}

// addSkippedMarkers lists the labels of non-finite markers in the legend.
func addSkippedMarkers(leg *plot.Legend, labels []string) {
	for _, label := range labels {
		leg.Add(label+" (non-finite)", markerThumb{style: markerLineStyle()})
	}
}

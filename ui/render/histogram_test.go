package render

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

func TestHistogramErrors(t *testing.T) {
	sets := []Series{{Name: "data", Values: []float64{1, 2, 3}}}
	cases := []struct {
		name          string
		bins, w, h    int
		wantInMessage string
	}{
		{name: "zero bins", bins: 0, w: 400, h: 250, wantInMessage: "bin count 0"},
		{name: "too many bins", bins: maxBins + 1, w: 400, h: 250, wantInMessage: "bin count 1001"},
		{name: "zero width", bins: 10, w: 0, h: 250, wantInMessage: "size 0×250"},
		{name: "too short", bins: 10, w: 400, h: 10, wantInMessage: "size 400×10"},
	}
	for _, c := range cases {
		img, err := Histogram(sets, nil, c.bins, c.w, c.h)
		if err == nil {
			t.Errorf("%s: no error", c.name)
			continue
		}
		if img != nil {
			t.Errorf("%s: image returned with error", c.name)
		}
		if !strings.Contains(err.Error(), c.wantInMessage) {
			t.Errorf("%s: error %q does not name %q", c.name, err, c.wantInMessage)
		}
	}
}

func TestFiniteSetsDropsNonFinite(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	sets := []Series{
		{Name: "data", Values: []float64{1, 2, 3}},
		{Name: "empty"},
		{Name: "noise", Values: []float64{nan, -4, inf, math.Inf(-1), 5}},
		{Name: "all NaN", Values: []float64{nan, nan}},
	}
	clean, lo, hi := finiteSets(sets)

	want := []struct {
		name      string
		index     int
		values    int
		nonFinite int
	}{
		{name: "data", index: 0, values: 3, nonFinite: 0},
		{name: "noise", index: 2, values: 2, nonFinite: 3},
		{name: "all NaN", index: 3, values: 0, nonFinite: 2},
	}
	if len(clean) != len(want) {
		t.Fatalf("%d sets kept, want %d", len(clean), len(want))
	}
	for i, w := range want {
		c := clean[i]
		if c.name != w.name || c.index != w.index {
			t.Errorf("set %d is %q at index %d, want %q at %d", i, c.name, c.index, w.name, w.index)
		}
		if len(c.values) != w.values {
			t.Errorf("%s: %d finite values, want %d", c.name, len(c.values), w.values)
		}
		if c.nonFinite != w.nonFinite {
			t.Errorf("%s: %d non-finite values, want %d", c.name, c.nonFinite, w.nonFinite)
		}
	}
	if lo != -4 || hi != 5 {
		t.Errorf("range [%g, %g], want [-4, 5]", lo, hi)
	}
}

func TestHistogramNonFiniteOnly(t *testing.T) {
	nan := math.NaN()
	sets := []Series{{Name: "noise", Values: []float64{nan, math.Inf(1)}}}
	markers := []Marker{{Label: "a.png", Value: nan}}
	img, err := Histogram(sets, markers, 20, 400, 250)
	if err != nil {
		t.Fatal(err)
	}
	if img.Bounds().Dx() != 400 || img.Bounds().Dy() != 250 {
		t.Errorf("size %v, want 400×250", img.Bounds())
	}
}

func TestDensityHistogram(t *testing.T) {
	cases := []struct {
		name       string
		values     []float64
		lo, width  float64
		bins       int
		wantCounts []float64
	}{
		{name: "interior", values: []float64{0.5, 1.5, 1.7, 3.2}, lo: 0, width: 1, bins: 4, wantCounts: []float64{1, 2, 0, 1}},
		{name: "upper edge in last bin", values: []float64{0, 4}, lo: 0, width: 1, bins: 4, wantCounts: []float64{1, 0, 0, 1}},
		{name: "half-width bins", values: []float64{-1, -0.9, 0.2}, lo: -1, width: 0.5, bins: 3, wantCounts: []float64{2, 0, 1}},
	}
	for _, c := range cases {
		h := densityHistogram(c.values, c.lo, c.width, c.bins)
		area := 0.0
		for i, b := range h.Bins {
			wantDensity := c.wantCounts[i] / (float64(len(c.values)) * c.width)
			if math.Abs(b.Weight-wantDensity) > 1e-12 {
				t.Errorf("%s: bin %d density %g, want %g", c.name, i, b.Weight, wantDensity)
			}
			area += b.Weight * (b.Max - b.Min)
		}
		if math.Abs(area-1) > 1e-12 {
			t.Errorf("%s: area %g, want 1", c.name, area)
		}
	}
}

func TestMarkerRows(t *testing.T) {
	cases := []struct {
		name     string
		markers  []Marker
		wantRows []int // in value order
	}{
		{name: "far apart share a row", markers: []Marker{{"a.png", 0}, {"b.png", 10}}, wantRows: []int{0, 0}},
		{name: "close labels stack", markers: []Marker{{"a.png", 5}, {"b.png", 5.1}, {"c.png", 5.2}}, wantRows: []int{0, 1, 2}},
		{name: "sorted by value", markers: []Marker{{"b.png", 5.1}, {"a.png", 0}, {"c.png", 5}}, wantRows: []int{0, 0, 1}},
	}
	for _, c := range cases {
		p := newPlot()
		p.X.Min, p.X.Max = 0, 10
		p.Y.Min, p.Y.Max = 0, 1
		_, dc := newCanvas(400, 250)
		m := newMarkerLines(c.markers)
		m.layout(p, dc)
		for i, want := range c.wantRows {
			if m.rows[i] != want {
				t.Errorf("%s: marker %q in row %d, want %d", c.name, m.markers[i].Label, m.rows[i], want)
			}
		}
		if p.Y.Max <= 1 {
			t.Errorf("%s: y max %g, want raised above 1 for the label band", c.name, p.Y.Max)
		}
	}
}

// energySets returns three sets shaped like an EBM mid-training: data at
// low energy, samples near it and noise far above, with a few NaNs.
func energySets(rng *rand.Rand, n int) []Series {
	data, samples, noise := make([]float64, n), make([]float64, n), make([]float64, n)
	for i := range n {
		data[i] = -2 + 0.5*rng.NormFloat64()
		samples[i] = -1.2 + 0.7*rng.NormFloat64()
		noise[i] = 3 + rng.NormFloat64()
	}
	noise[7], noise[11], noise[13] = math.NaN(), math.Inf(1), math.NaN()
	return []Series{{Name: "data", Values: data}, {Name: "samples", Values: samples}, {Name: "noise", Values: noise}}
}

func TestHistogramGolden(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	sets := energySets(rng, 1000)
	sets = append(sets, Series{Name: "dropped files", Values: []float64{-1.9, 0.4}})
	markers := []Marker{{"seven.png", -1.9}, {"cat.jpg", 0.4}, {"scan.png", 0.55}, {"broken.png", math.NaN()}}
	img, err := Histogram(sets, markers, 40, 400, 250)
	if err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "histogram", img)
}

func TestHistogramEmptyGolden(t *testing.T) {
	img, err := Histogram(nil, nil, 40, 400, 250)
	if err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "histogram_empty", img)
}

func BenchmarkHistogram3x1000(b *testing.B) {
	rng := rand.New(rand.NewPCG(7, 8))
	sets := energySets(rng, 1000)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Histogram(sets, nil, 40, 400, 250); err != nil {
			b.Fatal(err)
		}
	}
}

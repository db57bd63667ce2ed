package render

import (
	"math"
	"testing"
)

// TestRenderersExtremeValues checks that values at the limit of what the
// plots accept, beyond it, and ranges near the float64 resolution draw
// without error, panic or endless loop.
func TestRenderersExtremeValues(t *testing.T) {
	const big = maxDrawable
	tiny := math.SmallestNonzeroFloat64
	cases := []struct {
		name   string
		render func() error
	}{
		{name: "histogram huge range", render: func() error {
			_, err := Histogram([]Series{{Name: "data", Values: []float64{-big, big, 0}}}, []Marker{{"a", big}}, 10, 300, 200)
			return err
		}},
		{name: "histogram tiny range", render: func() error {
			_, err := Histogram([]Series{{Name: "data", Values: []float64{0, tiny, 2 * tiny}}}, nil, 10, 300, 200)
			return err
		}},
		{name: "curves huge range", render: func() error {
			_, err := Curves([]Curve{{Name: "loss", X: []float64{0, 1, 2}, Y: []float64{-big, big, 0}}}, CurveOptions{Smoothing: 0.5, WidthPx: 300, HeightPx: 200})
			return err
		}},
		{name: "curves log huge range", render: func() error {
			_, err := Curves([]Curve{{Name: "loss", X: []float64{0, 1}, Y: []float64{tiny, big}}}, CurveOptions{LogY: true, WidthPx: 300, HeightPx: 200})
			return err
		}},
		{name: "curves log single subnormal", render: func() error {
			_, err := Curves([]Curve{{Name: "loss", X: []float64{0, 1}, Y: []float64{tiny, 1e308}}}, CurveOptions{LogY: true, Separate: true, WidthPx: 300, HeightPx: 200})
			return err
		}},
		{name: "histogram beyond drawable", render: func() error {
			_, err := Histogram([]Series{{Name: "data", Values: []float64{1e308, -1e308, 3e38, 3e38}}}, []Marker{{"a", 1e308}}, 10, 300, 200)
			return err
		}},
		{name: "landscape huge energies", render: func() error {
			g := Grid{XMin: -1, XMax: 1, YMin: -1, YMax: 1, NX: 2, NY: 2, E: []float64{-big, big, math.Inf(1), math.NaN()}}
			_, err := Landscape(g, []float32{0, 0}, nil, 300, 300)
			return err
		}},
		{name: "landscape tiny range", render: func() error {
			g := Grid{XMin: 0, XMax: 1e-300, YMin: 0, YMax: 1e-300, NX: 1, NY: 1, E: []float64{0}}
			_, err := Landscape(g, nil, nil, 300, 300)
			return err
		}},
	}
	for _, c := range cases {
		func() {
			defer func() {
				if r := recover(); r != nil {
					t.Errorf("%s: panic: %v", c.name, r)
				}
			}()
			if err := c.render(); err != nil {
				t.Errorf("%s: %v", c.name, err)
			}
		}()
	}
}

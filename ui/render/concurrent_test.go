package render

import (
	"bytes"
	"image"
	"math/rand/v2"
	"sync"
	"testing"
)

// TestRenderersConcurrent renders every picture from several goroutines at
// once and checks that each result equals a render made alone. Run with
// -race, it also checks that the renderers share no mutable state.
func TestRenderersConcurrent(t *testing.T) {
	rng := rand.New(rand.NewPCG(19, 20))
	digits := digitLike(rng, 16, 28, 28)
	sets := energySets(rng, 300)
	markers := []Marker{{"a.png", -1}, {"b.png", 2}}
	curves := trainingCurves(rng, 300)
	grid := mixtureGrid(40)
	points := mixturePoints(rng, 100, 0.3)

	renders := []struct {
		name   string
		render func() (*image.RGBA, error)
	}{
		{name: "sample grid", render: func() (*image.RGBA, error) { return SampleGrid(digits, 16, 1, 28, 28, 0, 1, 4, 1), nil }},
		{name: "filmstrip", render: func() (*image.RGBA, error) {
			return Filmstrip([][]float32{digits[:784], digits[784:1568]}, []int{0, 50}, 1, 28, 28, 0, 1, 1), nil
		}},
		{name: "histogram", render: func() (*image.RGBA, error) { return Histogram(sets, markers, 30, 300, 200) }},
		{name: "curves", render: func() (*image.RGBA, error) {
			return Curves(curves, CurveOptions{Smoothing: 0.9, LogY: true, WidthPx: 300, HeightPx: 200})
		}},
		{name: "landscape", render: func() (*image.RGBA, error) { return Landscape(grid, points, points[:40], 300, 300) }},
	}

	want := make([]*image.RGBA, len(renders))
	for i, r := range renders {
		img, err := r.render()
		if err != nil {
			t.Fatalf("%s: %v", r.name, err)
		}
		want[i] = img
	}

	const copies = 3
	got := make([][copies]*image.RGBA, len(renders))
	var wg sync.WaitGroup
	for i, r := range renders {
		for k := range copies {
			wg.Go(func() {
				img, err := r.render()
				if err != nil {
					t.Errorf("%s: %v", r.name, err)
					return
				}
				got[i][k] = img
			})
		}
	}
	wg.Wait()

	for i, r := range renders {
		for k := range copies {
			img := got[i][k]
			if img == nil {
				continue
			}
			if img.Bounds() != want[i].Bounds() || !bytes.Equal(img.Pix, want[i].Pix) {
				t.Errorf("%s: concurrent render %d differs from the render made alone", r.name, k)
			}
		}
	}
}

package render

import (
	"image"
	"image/color"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

func TestGridPoint(t *testing.T) {
	g := Grid{XMin: -2, XMax: 2, YMin: 0, YMax: 1, NX: 4, NY: 2}
	cases := []struct {
		i, j   int
		wx, wy float64
	}{
		{i: 0, j: 0, wx: -1.5, wy: 0.25},
		{i: 3, j: 0, wx: 1.5, wy: 0.25},
		{i: 1, j: 1, wx: -0.5, wy: 0.75},
	}
	for _, c := range cases {
		x, y := g.Point(c.i, c.j)
		if x != c.wx || y != c.wy {
			t.Errorf("Point(%d, %d) = (%g, %g), want (%g, %g)", c.i, c.j, x, y, c.wx, c.wy)
		}
	}
}

func TestEnergyImageLayout(t *testing.T) {
	// Row j = 0 is at YMin, so it must land in the bottom image row.
	g := Grid{XMin: 0, XMax: 3, YMin: 0, YMax: 2, NX: 3, NY: 2, E: []float64{
		-1, 1, 2,
		3, 4, math.NaN(),
	}}
	img := energyImage(g, 0, 4)
	pal := energyPalette()

	cases := []struct {
		name string
		x, y int
		want color.RGBA
	}{
		{name: "below range", x: 0, y: 1, want: pal[0]},
		{name: "quarter", x: 1, y: 1, want: pal[64]},
		{name: "half", x: 2, y: 1, want: pal[128]},
		{name: "three quarters", x: 0, y: 0, want: pal[191]},
		{name: "top of range", x: 1, y: 0, want: pal[255]},
		{name: "NaN", x: 2, y: 0, want: nanCellColor},
	}
	if img.Bounds() != image.Rect(0, 0, 3, 2) {
		t.Fatalf("bounds %v, want 3×2", img.Bounds())
	}
	for _, c := range cases {
		if got := img.RGBAAt(c.x, c.y); got != c.want {
			t.Errorf("%s: pixel (%d, %d) is %v, want %v", c.name, c.x, c.y, got, c.want)
		}
	}
}

func TestSampleColorStandsOut(t *testing.T) {
	const minDistance = 98
	for i, c := range energyPalette() {
		dr := float64(c.R) - float64(sampleColor.R)
		dg := float64(c.G) - float64(sampleColor.G)
		db := float64(c.B) - float64(sampleColor.B)
		if d := math.Sqrt(dr*dr + dg*dg + db*db); d < minDistance {
			t.Errorf("palette colour %d %v is %.0f from the sample colour, want at least %d", i, c, d, minDistance)
		}
	}
}

func TestLandscapeErrors(t *testing.T) {
	ok := Grid{XMin: -1, XMax: 1, YMin: -1, YMax: 1}
	cases := []struct {
		name          string
		g             Grid
		w, h          int
		wantInMessage string
	}{
		{name: "empty x range", g: Grid{XMin: 1, XMax: 1, YMin: -1, YMax: 1}, w: 400, h: 400, wantInMessage: "x range [1, 1]"},
		{name: "reversed y range", g: Grid{XMin: -1, XMax: 1, YMin: 2, YMax: 1}, w: 400, h: 400, wantInMessage: "y range [2, 1]"},
		{name: "infinite x range", g: Grid{XMin: math.Inf(-1), XMax: 1, YMin: -1, YMax: 1}, w: 400, h: 400, wantInMessage: "x range [-Inf, 1]"},
		{name: "NaN y range", g: Grid{XMin: -1, XMax: 1, YMin: math.NaN(), YMax: 1}, w: 400, h: 400, wantInMessage: "y range [NaN, 1]"},
		{name: "tiny size", g: ok, w: 50, h: 400, wantInMessage: "size 50×400"},
	}
	for _, c := range cases {
		_, err := Landscape(c.g, nil, nil, c.w, c.h)
		if err == nil {
			t.Errorf("%s: no error", c.name)
			continue
		}
		if !strings.Contains(err.Error(), c.wantInMessage) {
			t.Errorf("%s: error %q does not name %q", c.name, err, c.wantInMessage)
		}
	}
}

func TestLandscapePanics(t *testing.T) {
	cases := []struct {
		name    string
		g       Grid
		data    []float32
		samples []float32
	}{
		{name: "short grid", g: Grid{XMin: 0, XMax: 1, YMin: 0, YMax: 1, NX: 2, NY: 2, E: make([]float64, 3)}},
		{name: "negative NX", g: Grid{XMin: 0, XMax: 1, YMin: 0, YMax: 1, NX: -1, NY: 0}},
		{name: "odd data", g: Grid{XMin: 0, XMax: 1, YMin: 0, YMax: 1}, data: make([]float32, 3)},
		{name: "odd samples", g: Grid{XMin: 0, XMax: 1, YMin: 0, YMax: 1}, samples: make([]float32, 1)},
	}
	for _, c := range cases {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: no panic", c.name)
				}
			}()
			Landscape(c.g, c.data, c.samples, 400, 400)
		}()
	}
}

func TestPointsIn(t *testing.T) {
	nan := float32(math.NaN())
	g := Grid{XMin: -1, XMax: 1, YMin: -1, YMax: 1}
	p := []float32{0, 0, 1, 1, 2, 0, 0, -3, nan, 0, 0.5, -0.5}
	xys, out := pointsIn(p, g)
	if len(xys) != 3 {
		t.Errorf("%d points kept, want 3", len(xys))
	}
	if out.view != 2 {
		t.Errorf("%d points outside view, want 2", out.view)
	}
	if out.nonFinite != 1 {
		t.Errorf("%d non-finite points, want 1", out.nonFinite)
	}
}

// TestLandscapeOrientation checks that rows run upward from YMin and
// columns rightward from XMin: with E rising along one axis, the heatmap
// must be lighter on that side, because the Kindlmann map rises in
// luminance.
func TestLandscapeOrientation(t *testing.T) {
	cases := []struct {
		name   string
		energy func(x, y float64) float64
		// low and high are pixel positions, as fractions of the image size,
		// expected to have low and high energy.
		low, high [2]float64
	}{
		{name: "energy rises with y", energy: func(_, y float64) float64 { return y }, low: [2]float64{0.4, 0.75}, high: [2]float64{0.4, 0.3}},
		{name: "energy rises with x", energy: func(x, _ float64) float64 { return x }, low: [2]float64{0.25, 0.5}, high: [2]float64{0.6, 0.5}},
	}
	for _, c := range cases {
		g := Grid{XMin: -1, XMax: 1, YMin: -1, YMax: 1, NX: 20, NY: 20, E: make([]float64, 400)}
		for j := range g.NY {
			for i := range g.NX {
				g.E[j*g.NX+i] = c.energy(g.Point(i, j))
			}
		}
		img, err := Landscape(g, nil, nil, 400, 400)
		if err != nil {
			t.Fatal(err)
		}
		lo := luminanceAt(img, c.low)
		hi := luminanceAt(img, c.high)
		if !(lo < hi) {
			t.Errorf("%s: luminance %.0f at %v, not below %.0f at %v", c.name, lo, c.low, hi, c.high)
		}
	}
}

func luminanceAt(img *image.RGBA, at [2]float64) float64 {
	b := img.Bounds()
	px := img.RGBAAt(int(at[0]*float64(b.Dx())), int(at[1]*float64(b.Dy())))
	return 0.2126*float64(px.R) + 0.7152*float64(px.G) + 0.0722*float64(px.B)
}

func mixtureGrid(n int) Grid {
	g := Grid{XMin: -3, XMax: 3, YMin: -3, YMax: 3, NX: n, NY: n, E: make([]float64, n*n)}
	for j := range n {
		for i := range n {
			g.E[j*n+i] = mixtureEnergy(g.Point(i, j))
		}
	}
	return g
}

func TestLandscapeGolden(t *testing.T) {
	rng := rand.New(rand.NewPCG(15, 16))
	g := mixtureGrid(100)
	data := mixturePoints(rng, 300, 0.3)
	samples := mixturePoints(rng, 100, 0.6)
	samples = append(samples, 5, 0, float32(math.NaN()), 1)
	img, err := Landscape(g, data, samples, 400, 400)
	if err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "landscape", img)
}

func TestLandscapeWideGolden(t *testing.T) {
	rng := rand.New(rand.NewPCG(17, 18))
	g := mixtureGrid(60)
	g.YMin, g.YMax = -1.5, 1.5
	g.E[0] = math.NaN()
	samples := mixturePoints(rng, 50, 0.4)
	img, err := Landscape(g, nil, samples, 480, 240)
	if err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "landscape_wide", img)
}

func TestLandscapeEmptyGolden(t *testing.T) {
	img, err := Landscape(Grid{XMin: -3, XMax: 3, YMin: -3, YMax: 3}, nil, nil, 400, 400)
	if err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "landscape_empty", img)
}

func BenchmarkLandscape100(b *testing.B) {
	rng := rand.New(rand.NewPCG(15, 16))
	g := mixtureGrid(100)
	data := mixturePoints(rng, 500, 0.3)
	samples := mixturePoints(rng, 128, 0.6)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Landscape(g, data, samples, 400, 400); err != nil {
			b.Fatal(err)
		}
	}
}

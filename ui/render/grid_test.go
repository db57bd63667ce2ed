package render

import (
	"image"
	"image/color"
	"math"
	"math/rand/v2"
	"testing"
)

func TestSampleGridSize(t *testing.T) {
	cases := []struct {
		name                  string
		n, h, w, cols, zoom   int
		wantWidth, wantHeight int
	}{
		{name: "full rows", n: 64, h: 28, w: 28, cols: 8, zoom: 2, wantWidth: 8*56 + 7, wantHeight: 8*56 + 7},
		{name: "partial last row", n: 10, h: 28, w: 28, cols: 8, zoom: 1, wantWidth: 8*28 + 7, wantHeight: 2*28 + 1},
		{name: "fewer than cols", n: 3, h: 4, w: 5, cols: 8, zoom: 3, wantWidth: 8*15 + 7, wantHeight: 12},
		{name: "single column", n: 4, h: 2, w: 3, cols: 1, zoom: 1, wantWidth: 3, wantHeight: 4*2 + 3},
		{name: "empty", n: 0, h: 28, w: 28, cols: 8, zoom: 2, wantWidth: 0, wantHeight: 0},
	}
	for _, c := range cases {
		x := make([]float32, c.n*c.h*c.w)
		img := SampleGrid(x, c.n, 1, c.h, c.w, 0, 1, c.cols, c.zoom)
		if got := img.Bounds().Dx(); got != c.wantWidth {
			t.Errorf("%s: width %d, want %d", c.name, got, c.wantWidth)
		}
		if got := img.Bounds().Dy(); got != c.wantHeight {
			t.Errorf("%s: height %d, want %d", c.name, got, c.wantHeight)
		}
	}
}

func TestSampleGridGreyPixels(t *testing.T) {
	const lo, hi = -1, 1
	nan := float32(math.NaN())
	// Two 2×3 samples in a grid of 3 columns at zoom 2, so cell 2 is unused.
	x := []float32{
		lo, hi, 0,
		-5, 5, nan,

		hi, hi, hi,
		lo, lo, lo,
	}
	img := SampleGrid(x, 2, 1, 2, 3, lo, hi, 3, 2)

	grey := func(v uint8) color.RGBA { return color.RGBA{R: v, G: v, B: v, A: 0xff} }
	cases := []struct {
		name string
		x, y int
		want color.RGBA
	}{
		{name: "lo is black", x: 0, y: 0, want: grey(0)},
		{name: "lo block lower right", x: 1, y: 1, want: grey(0)},
		{name: "hi is white", x: 2, y: 0, want: grey(255)},
		{name: "midpoint", x: 4, y: 1, want: grey(128)},
		{name: "below lo clamps", x: 0, y: 2, want: grey(0)},
		{name: "above hi clamps", x: 3, y: 3, want: grey(255)},
		{name: "NaN is red", x: 5, y: 2, want: nanColor},
		{name: "gap between cells", x: 6, y: 0, want: gapColor},
		{name: "second sample hi", x: 7, y: 0, want: grey(255)},
		{name: "second sample lo", x: 12, y: 3, want: grey(0)},
		{name: "unused cell", x: 16, y: 2, want: gapColor},
	}
	for _, c := range cases {
		if got := img.RGBAAt(c.x, c.y); got != c.want {
			t.Errorf("%s: pixel (%d, %d) is %v, want %v", c.name, c.x, c.y, got, c.want)
		}
	}
}

func TestSampleGridRGBPixels(t *testing.T) {
	// One 1×2 RGB sample in planar layout: red plane, green plane, blue plane.
	x := []float32{
		1, 0, // red
		0, 0.5, // green
		0, 1, // blue
	}
	img := SampleGrid(x, 1, 3, 1, 2, 0, 1, 1, 1)
	cases := []struct {
		x    int
		want color.RGBA
	}{
		{x: 0, want: color.RGBA{R: 255, A: 255}},
		{x: 1, want: color.RGBA{G: 128, B: 255, A: 255}},
	}
	for _, c := range cases {
		if got := img.RGBAAt(c.x, 0); got != c.want {
			t.Errorf("pixel (%d, 0) is %v, want %v", c.x, got, c.want)
		}
	}
}

func TestSampleGridPanics(t *testing.T) {
	cases := []struct {
		name                string
		x                   []float32
		n, c, h, w, cols, z int
		lo, hi              float32
	}{
		{name: "short input", x: make([]float32, 7), n: 2, c: 1, h: 2, w: 2, cols: 1, z: 1, lo: 0, hi: 1},
		{name: "two channels", x: make([]float32, 8), n: 1, c: 2, h: 2, w: 2, cols: 1, z: 1, lo: 0, hi: 1},
		{name: "zero columns", x: make([]float32, 4), n: 1, c: 1, h: 2, w: 2, cols: 0, z: 1, lo: 0, hi: 1},
		{name: "zero zoom", x: make([]float32, 4), n: 1, c: 1, h: 2, w: 2, cols: 1, z: 0, lo: 0, hi: 1},
		{name: "empty range", x: make([]float32, 4), n: 1, c: 1, h: 2, w: 2, cols: 1, z: 1, lo: 1, hi: 1},
		{name: "negative count", x: nil, n: -1, c: 1, h: 2, w: 2, cols: 1, z: 1, lo: 0, hi: 1},
	}
	for _, c := range cases {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: no panic", c.name)
				}
			}()
			SampleGrid(c.x, c.n, c.c, c.h, c.w, c.lo, c.hi, c.cols, c.z)
		}()
	}
}

func TestFilmstripLayout(t *testing.T) {
	const h, w, zoom = 4, 3, 2
	grey := make([]float32, h*w)
	for i := range grey {
		grey[i] = 0.5
	}
	frames := [][]float32{make([]float32, h*w), grey, make([]float32, h*w)}
	img := Filmstrip(frames, []int{0, 120, 100000}, 1, h, w, 0, 1, zoom)

	if img.Bounds().Dy() <= h*zoom {
		t.Fatalf("height %d leaves no room for labels under %d px frames", img.Bounds().Dy(), h*zoom)
	}

	// Frames sit on a white background in the top rows, so their left
	// edges are where the colour first changes from white.
	black := color.RGBA{A: 255}
	mid := color.RGBA{R: 128, G: 128, B: 128, A: 255}
	var starts []int
	var last color.RGBA
	for x := range img.Bounds().Dx() {
		px := img.RGBAAt(x, 0)
		if (px == black || px == mid) && px != last {
			starts = append(starts, x)
		}
		last = px
	}
	if len(starts) != 3 {
		t.Fatalf("found %d frames in the top row, want 3", len(starts))
	}
	for i, x0 := range starts {
		want := black
		if i == 1 {
			want = mid
		}
		if got := img.RGBAAt(x0+w*zoom-1, h*zoom-1); got != want {
			t.Errorf("frame %d lower-right pixel %v, want %v", i, got, want)
		}
		if got := img.RGBAAt(x0+w*zoom, 0); got == want {
			t.Errorf("frame %d is wider than %d px", i, w*zoom)
		}
	}
	// The widest label sets one cell width for all frames, so the frames
	// are evenly spaced, and wider apart than the frames themselves.
	if starts[1]-starts[0] != starts[2]-starts[1] {
		t.Errorf("frames start at %v, want even spacing", starts)
	}
	labelW := textStyle(tickSize, textColor).Width("100000").Dots(dpi)
	if float64(starts[1]-starts[0]) < labelW {
		t.Errorf("frame spacing %d px, want at least the %.0f px width of the label 100000", starts[1]-starts[0], labelW)
	}

	labelRow := image.Rect(0, h*zoom+1, img.Bounds().Dx(), img.Bounds().Dy())
	if dark := countDark(img, labelRow); dark == 0 {
		t.Error("no label pixels under the frames")
	}
}

func TestFilmstripEmpty(t *testing.T) {
	img := Filmstrip(nil, nil, 1, 28, 28, 0, 1, 2)
	if !img.Bounds().Empty() {
		t.Errorf("bounds %v, want empty", img.Bounds())
	}
}

func TestFilmstripPanics(t *testing.T) {
	cases := []struct {
		name   string
		frames [][]float32
		steps  []int
	}{
		{name: "missing step", frames: [][]float32{make([]float32, 4)}, steps: nil},
		{name: "short frame", frames: [][]float32{make([]float32, 3)}, steps: []int{0}},
	}
	for _, c := range cases {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: no panic", c.name)
				}
			}()
			Filmstrip(c.frames, c.steps, 1, 2, 2, 0, 1, 1)
		}()
	}
}

// countDark returns the number of pixels in r darker than mid grey.
func countDark(img *image.RGBA, r image.Rectangle) int {
	n := 0
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if img.RGBAAt(x, y).G < 0x80 {
				n++
			}
		}
	}
	return n
}

func TestSampleGridGolden(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	x := digitLike(rng, 64, 28, 28)
	checkGolden(t, "samplegrid", SampleGrid(x, 64, 1, 28, 28, 0, 1, 8, 2))
}

func TestSampleGridRGBGolden(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	const n, h, w = 12, 8, 8
	// Each sample is a diagonal gradient between two random colours, which
	// overshoots [lo, hi] at its ends so that clamping shows.
	x := make([]float32, n*3*h*w)
	for s := range n {
		var from, to [3]float64
		for k := range 3 {
			from[k], to[k] = rng.Float64()*2.4-1.2, rng.Float64()*2.4-1.2
		}
		for k := range 3 {
			for y := range h {
				for xx := range w {
					t := float64(y+xx) / float64(h+w-2)
					x[((s*3+k)*h+y)*w+xx] = float32(from[k] + t*(to[k]-from[k]))
				}
			}
		}
	}
	x[3*h*w+5] = float32(math.NaN())
	checkGolden(t, "samplegrid_rgb", SampleGrid(x, n, 3, h, w, -1, 1, 5, 4))
}

func TestFilmstripGolden(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	const h, w = 28, 28
	target := digitLike(rng, 1, h, w)
	steps := []int{0, 10, 20, 40, 60, 100}
	frames := make([][]float32, len(steps))
	for i, s := range steps {
		// Blend uniform noise into the target as Langevin steps advance.
		keep := float32(s) / 100
		f := make([]float32, h*w)
		for j := range f {
			f[j] = keep*target[j] + (1-keep)*float32(rng.Float64())
		}
		frames[i] = f
	}
	checkGolden(t, "filmstrip", Filmstrip(frames, steps, 1, h, w, 0, 1, 2))
}

func BenchmarkSampleGridMNIST64(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	x := digitLike(rng, 64, 28, 28)
	b.ReportAllocs()
	for b.Loop() {
		SampleGrid(x, 64, 1, 28, 28, 0, 1, 8, 2)
	}
}

func BenchmarkFilmstripMNIST10(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	x := digitLike(rng, 10, 28, 28)
	frames := make([][]float32, 10)
	steps := make([]int, 10)
	for i := range frames {
		frames[i] = x[i*28*28 : (i+1)*28*28]
		steps[i] = 10 * i
	}
	b.ReportAllocs()
	for b.Loop() {
		Filmstrip(frames, steps, 1, 28, 28, 0, 1, 2)
	}
}

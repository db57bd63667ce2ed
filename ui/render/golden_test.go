package render

import (
	"flag"
	"fmt"
	"image"
	"image/png"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
)

var regen = flag.Bool("regen", false, "rewrite testdata/*_golden.png from the current renders")

// Golden comparison tolerance. Anti-aliased edges can move by a shade when
// floating-point rounding differs between CPUs, so a pixel counts as changed
// only when a channel moves by more than maxChannelDelta, and the image
// fails when more than maxChangedShare of its pixels changed.
const (
	maxChannelDelta = 24
	maxChangedShare = 0.001
)

// checkGolden compares img with testdata/<name>_golden.png. With -regen it
// rewrites the golden file instead. A failed render is written to
// testdata/failed/<name>.png for inspection.
func checkGolden(t *testing.T, name string, img image.Image) {
	t.Helper()
	golden := filepath.Join("testdata", name+"_golden.png")
	if *regen {
		if err := writePNG(golden, img); err != nil {
			t.Fatal(err)
		}
		return
	}

	want, err := readPNG(golden)
	if err != nil {
		t.Fatalf("%v: run go test ./ui/render -regen to create it", err)
	}
	share, err := changedShare(img, want)
	if err == nil && share <= maxChangedShare {
		return
	}
	failed := filepath.Join("testdata", "failed", name+".png")
	if werr := writePNG(failed, img); werr != nil {
		t.Errorf("writing failed render: %v", werr)
	}
	if err != nil {
		t.Fatalf("%s: %v, render written to %s", name, err, failed)
	}
	t.Errorf("%s: %.3f%% of pixels differ from %s, allowed %.3f%%, render written to %s",
		name, 100*share, golden, 100*maxChangedShare, failed)
}

// changedShare returns the share of pixels whose colour differs between a
// and b by more than maxChannelDelta in some channel.
func changedShare(a, b image.Image) (float64, error) {
	if a.Bounds() != b.Bounds() {
		return 0, fmt.Errorf("size %v, golden size %v", a.Bounds(), b.Bounds())
	}
	r := a.Bounds()
	if r.Empty() {
		return 0, nil
	}
	changed := 0
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			r1, g1, b1, a1 := a.At(x, y).RGBA()
			r2, g2, b2, a2 := b.At(x, y).RGBA()
			if channelDelta(r1, r2) > maxChannelDelta || channelDelta(g1, g2) > maxChannelDelta ||
				channelDelta(b1, b2) > maxChannelDelta || channelDelta(a1, a2) > maxChannelDelta {
				changed++
			}
		}
	}
	return float64(changed) / float64(r.Dx()*r.Dy()), nil
}

// channelDelta returns |u−v| of two 16-bit channels on the 8-bit scale.
func channelDelta(u, v uint32) uint32 {
	if u > v {
		return (u - v) >> 8
	}
	return (v - u) >> 8
}

func readPNG(path string) (image.Image, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		return nil, fmt.Errorf("decoding %s: %w", path, err)
	}
	return img, nil
}

func writePNG(path string, img image.Image) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := png.Encode(f, img); err != nil {
		f.Close()
		return fmt.Errorf("encoding %s: %w", path, err)
	}
	return f.Close()
}

func TestChangedShare(t *testing.T) {
	base := image.NewRGBA(image.Rect(0, 0, 10, 10))
	shifted := image.NewRGBA(image.Rect(0, 0, 10, 10))
	copy(shifted.Pix, base.Pix)
	shifted.Pix[0] = 200 // red channel of pixel (0, 0)
	shifted.Pix[4] = 10  // within tolerance at pixel (1, 0)

	cases := []struct {
		name    string
		a, b    image.Image
		want    float64
		wantErr bool
	}{
		{name: "identical", a: base, b: base, want: 0},
		{name: "one pixel", a: base, b: shifted, want: 0.01},
		{name: "size", a: base, b: image.NewRGBA(image.Rect(0, 0, 9, 10)), wantErr: true},
	}
	for _, c := range cases {
		got, err := changedShare(c.a, c.b)
		if (err != nil) != c.wantErr {
			t.Errorf("%s: error %v, want error %t", c.name, err, c.wantErr)
		}
		if got != c.want {
			t.Errorf("%s: share %g, want %g", c.name, got, c.want)
		}
	}
}

// digitLike returns n grey h×w samples in [0, 1] that resemble
// hand-written digits: anti-aliased rings and strokes of random size.
func digitLike(rng *rand.Rand, n, h, w int) []float32 {
	x := make([]float32, n*h*w)
	for s := range n {
		cx := float64(w)/2 + rng.NormFloat64()
		cy := float64(h)/2 + rng.NormFloat64()
		rx := float64(w) * (0.15 + 0.15*rng.Float64())
		ry := float64(h) * (0.2 + 0.15*rng.Float64())
		slant := 0.4 * (rng.Float64() - 0.5)
		stroke := rng.Float64() < 0.4
		for y := range h {
			for xx := range w {
				dx := float64(xx) + 0.5 - cx - slant*(float64(y)+0.5-cy)
				dy := float64(y) + 0.5 - cy
				var d float64
				if stroke {
					d = math.Abs(dx) / 1.2
					if math.Abs(dy) > ry {
						d = math.Inf(1)
					}
				} else {
					d = math.Abs(math.Hypot(dx/rx, dy/ry)-1) * math.Min(rx, ry)
				}
				v := math.Max(0, 1-math.Max(0, d-0.8))
				x[(s*h+y)*w+xx] = float32(v)
			}
		}
	}
	return x
}

// mixtureEnergy returns the energy −log Σ exp(−|p−μ|²/2σ²) of a ring of
// eight Gaussians of radius 2 and σ = 0.3, a common 2-D toy target.
func mixtureEnergy(x, y float64) float64 {
	const sigma = 0.3
	sum := 0.0
	for k := range 8 {
		a := 2 * math.Pi * float64(k) / 8
		dx, dy := x-2*math.Cos(a), y-2*math.Sin(a)
		sum += math.Exp(-(dx*dx + dy*dy) / (2 * sigma * sigma))
	}
	return -math.Log(sum + 1e-12)
}

// mixturePoints returns n interleaved (x, y) samples of the eight-Gaussian
// ring with the given standard deviation around each centre.
func mixturePoints(rng *rand.Rand, n int, sigma float64) []float32 {
	p := make([]float32, 2*n)
	for i := range n {
		a := 2 * math.Pi * float64(rng.IntN(8)) / 8
		p[2*i] = float32(2*math.Cos(a) + sigma*rng.NormFloat64())
		p[2*i+1] = float32(2*math.Sin(a) + sigma*rng.NormFloat64())
	}
	return p
}

// Command mkicon draws the application icon, assets/icon.png.
//
// The icon is a 256×256 energy landscape: filled contour bands of a
// mixture-of-Gaussians energy, from deep indigo at high energy to warm yellow
// in the wells, with a few light dots for samples settled in the wells. The
// dot positions come from a PCG generator with a fixed seed and the image is
// encoded with image/png, so a rerun with the same Go release writes the same
// bytes.
//
// Usage, from the repository root:
//
//	go run ./assets/internal/mkicon [-out assets/icon.png]
package main

import (
	"bytes"
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
	"math/rand/v2"
	"os"
	"slices"
)

const (
	size        = 256  // icon width and height in pixels
	supersample = 4    // subpixels per pixel along each axis, for antialiasing
	corner      = 52.0 // radius of the rounded corners in pixels
	bands       = 10   // number of filled contour bands
	gamma       = 0.55 // power applied to the normalised energy before banding
	dotCount    = 8    // number of sample dots
	dotRadius   = 4.5  // sample dot radius in pixels
	seed        = 2019 // PCG seed for the dot positions
)

// well is one Gaussian component of the energy, in the unit square
// [-1, 1]² that the icon maps onto its pixels.
type well struct {
	x, y, std, weight float64
}

var wells = []well{
	{-0.40, -0.28, 0.22, 1.0},
	{0.40, -0.38, 0.17, 0.8},
	{0.28, 0.36, 0.22, 1.25},
	{-0.40, 0.44, 0.14, 0.6},
}

func main() {
	out := flag.String("out", "assets/icon.png", "output PNG file")
	flag.Parse()

	var buf bytes.Buffer
	if err := png.Encode(&buf, render()); err != nil {
		fmt.Fprintln(os.Stderr, "mkicon:", err)
		os.Exit(1)
	}
	if err := os.WriteFile(*out, buf.Bytes(), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "mkicon:", err)
		os.Exit(1)
	}
}

// energy returns the negative log density of the well mixture at (x, y),
// plus a weak quadratic term that lifts the corners.
func energy(x, y float64) float64 {
	var p float64
	for _, w := range wells {
		dx, dy := x-w.x, y-w.y
		p += w.weight * math.Exp(-(dx*dx+dy*dy)/(2*w.std*w.std))
	}
	return -math.Log(p+1e-3) + 0.6*(x*x+y*y)
}

// render draws the icon at supersample resolution and averages each
// supersample×supersample block into one pixel.
func render() *image.NRGBA {
	lo, hi := energyRange()
	dots := sampleDots()

	img := image.NewNRGBA(image.Rect(0, 0, size, size))
	n := float64(supersample * supersample)
	for py := 0; py < size; py++ {
		for px := 0; px < size; px++ {
			var r, g, b, a float64
			for sy := 0; sy < supersample; sy++ {
				for sx := 0; sx < supersample; sx++ {
					fx := float64(px) + (float64(sx)+0.5)/supersample
					fy := float64(py) + (float64(sy)+0.5)/supersample
					if !insideRoundedSquare(fx, fy) {
						continue
					}
					c := shade(fx, fy, lo, hi, dots)
					// Average the colour over the covered subpixels
					// only and carry the coverage in alpha, so that
					// the transparent corners do not darken the edge.
					r += c[0]
					g += c[1]
					b += c[2]
					a++
				}
			}
			if a == 0 {
				continue
			}
			img.SetNRGBA(px, py, color.NRGBA{
				R: uint8(math.Round(255 * r / a)),
				G: uint8(math.Round(255 * g / a)),
				B: uint8(math.Round(255 * b / a)),
				A: uint8(math.Round(255 * a / n)),
			})
		}
	}
	return img
}

// toUnit maps pixel coordinates to the unit square, with y pointing up.
func toUnit(fx, fy float64) (x, y float64) {
	return 2*fx/size - 1, 1 - 2*fy/size
}

func insideRoundedSquare(fx, fy float64) bool {
	dx := math.Max(0, math.Max(corner-fx, fx-(size-corner)))
	dy := math.Max(0, math.Max(corner-fy, fy-(size-corner)))
	return dx*dx+dy*dy <= corner*corner
}

// energyRange returns the minimum and the 97th percentile of the energy on
// a coarse grid. Clipping at a percentile keeps the corners from taking
// all the bands.
func energyRange() (lo, hi float64) {
	const n = 128
	values := make([]float64, 0, n*n)
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			x, y := toUnit((float64(j)+0.5)*size/n, (float64(i)+0.5)*size/n)
			values = append(values, energy(x, y))
		}
	}
	slices.Sort(values)
	lo = values[0]
	hi = values[len(values)*97/100]
	return lo, hi
}

// sampleDots draws dot centres in pixels from the well mixture, keeping
// them clear of the edge and of each other.
func sampleDots() [][2]float64 {
	rng := rand.New(rand.NewPCG(seed, 0))
	var total float64
	for _, w := range wells {
		total += w.weight
	}

	var dots [][2]float64
	for len(dots) < dotCount {
		u := rng.Float64() * total
		k := 0
		for ; k < len(wells)-1 && u > wells[k].weight; k++ {
			u -= wells[k].weight
		}
		w := wells[k]
		x := w.x + 0.8*w.std*rng.NormFloat64()
		y := w.y + 0.8*w.std*rng.NormFloat64()
		fx, fy := (x+1)*size/2, (1-y)*size/2
		if fx < 40 || fx > size-40 || fy < 40 || fy > size-40 {
			continue
		}
		separated := true
		for _, d := range dots {
			if math.Hypot(d[0]-fx, d[1]-fy) < 4*dotRadius {
				separated = false
				break
			}
		}
		if separated {
			dots = append(dots, [2]float64{fx, fy})
		}
	}
	return dots
}

// shade returns the RGB colour, each channel in [0, 1], of the subpixel at
// pixel coordinates (fx, fy).
func shade(fx, fy, lo, hi float64, dots [][2]float64) [3]float64 {
	for _, d := range dots {
		dist := math.Hypot(fx-d[0], fy-d[1])
		if dist <= dotRadius {
			return [3]float64{0.97, 0.98, 1.0}
		}
		if dist <= dotRadius+1.5 {
			return [3]float64{0.08, 0.06, 0.18}
		}
	}

	x, y := toUnit(fx, fy)
	e := energy(x, y)
	u := math.Min(1, math.Max(0, (e-lo)/(hi-lo)))
	// A power below 1 spreads the bands more evenly between the deep
	// wells and the steep rim.
	t := math.Pow(u, gamma)
	band := math.Min(bands-1, math.Floor(t*bands))
	c := palette(1 - band/(bands-1))

	// Contour lines at the band edges: darken where the energy is within
	// a pixel-scaled distance of a level, using the local gradient.
	const h = 1e-3
	gx := (energy(x+h, y) - energy(x-h, y)) / (2 * h)
	gy := (energy(x, y+h) - energy(x, y-h)) / (2 * h)
	// Chain rule through t = u^gamma, in band units per unit length.
	grad := math.Hypot(gx, gy) / (hi - lo) * gamma * math.Pow(math.Max(u, 1e-9), gamma-1) * bands
	level := math.Round(t * bands)
	distPixels := math.Abs(t*bands-level) / math.Max(grad, 1e-9) * size / 2
	if level >= 1 && level <= bands-1 && distPixels < 0.9 {
		for i := range c {
			c[i] *= 0.55
		}
	}
	return c
}

// palette maps s in [0, 1] to a colour from deep indigo (0) through
// magenta and orange to pale yellow (1).
func palette(s float64) [3]float64 {
	stops := [][4]float64{
		{0.00, 0.07, 0.06, 0.22},
		{0.30, 0.23, 0.11, 0.47},
		{0.55, 0.62, 0.18, 0.50},
		{0.78, 0.95, 0.45, 0.25},
		{1.00, 0.99, 0.90, 0.55},
	}
	for i := 1; i < len(stops); i++ {
		if s <= stops[i][0] {
			a, b := stops[i-1], stops[i]
			u := (s - a[0]) / (b[0] - a[0])
			return [3]float64{
				a[1] + u*(b[1]-a[1]),
				a[2] + u*(b[2]-a[2]),
				a[3] + u*(b[3]-a[3]),
			}
		}
	}
	last := stops[len(stops)-1]
	return [3]float64{last[1], last[2], last[3]}
}

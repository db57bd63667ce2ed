package sampler

import (
	"math"
	"math/rand/v2"
)

// Standard normal draws for the Langevin noise, by the ziggurat method of
// Marsaglia and Tsang, "The Ziggurat Method for Generating Random Variables",
// Journal of Statistical Software 5(8), 2000, in float32 with 128 layers of
// equal area under f(x) = e^(−x²/2).
//
// Each draw takes 32 random bits, so one rand.Rand.Uint64 serves two: the low
// 7 bits pick a layer, bit 7 the sign and the top 24 bits a position j in the
// layer. Layer i covers [0, X_i] and accepts x = j·X_i/2²⁴ at once when
// x < X_{i+1}, because that part of the layer lies under the density. About
// 1% of draws fall beyond and take the wedge test or, in the bottom layer,
// the tail method, with float64 uniforms from rng. The results follow
// N(0, 1) up to the 2⁻²⁴ resolution of j within a layer.
const (
	zigLayers = 128
	zigR      = 3.442619855899      // X_1: where the bottom layer's rectangle ends and the tail begins
	zigArea   = 9.91256303526217e-3 // area of each layer
	zigScale  = 1 << 24             // positions j per layer
	zigShift  = 8                   // bits below j: 7 for the layer, 1 for the sign
)

// zig holds the layer tables, built once from zigR and zigArea.
var zig = newZiggurat()

type ziggurat struct {
	width [zigLayers]float32 // X_i/2²⁴: x = j·width[i]
	inner [zigLayers]uint32  // j < inner[i] means x < X_{i+1}: accept at once
	f     [zigLayers + 1]float64
}

// newZiggurat computes the layer edges X_0 > X_1 = zigR > … > X_127 > X_128
// = 0 from f(X_{i+1}) = f(X_i) + zigArea/X_i, with X_0 = zigArea/f(zigR) the
// width of a rectangle of the bottom layer's area, tail included.
func newZiggurat() *ziggurat {
	f := func(x float64) float64 { return math.Exp(-x * x / 2) }
	var x [zigLayers + 1]float64
	x[0] = zigArea / f(zigR)
	x[1] = zigR
	for i := 1; i < zigLayers; i++ {
		y := f(x[i]) + zigArea/x[i]
		if y >= 1 {
			break
		}
		x[i+1] = math.Sqrt(-2 * math.Log(y))
	}
	x[zigLayers] = 0

	z := &ziggurat{}
	for i := range zigLayers {
		z.width[i] = float32(x[i] / zigScale)
		z.inner[i] = uint32(x[i+1] / x[i] * zigScale)
	}
	for i := range x {
		z.f[i] = f(x[i])
	}
	return z
}

// fillNormal fills dst with independent N(0, 1) draws.
func fillNormal(dst []float32, rng *rand.Rand) {
	i := 0
	for ; i+1 < len(dst); i += 2 {
		u := rng.Uint64()
		dst[i] = zig.draw(uint32(u), rng)
		dst[i+1] = zig.draw(uint32(u>>32), rng)
	}
	if i < len(dst) {
		dst[i] = zig.draw(uint32(rng.Uint64()), rng)
	}
}

// draw returns one N(0, 1) value from the 32 random bits in u, drawing more
// from rng only when u falls outside the inner rectangle of its layer.
func (z *ziggurat) draw(u uint32, rng *rand.Rand) float32 {
	for {
		layer := u & (zigLayers - 1)
		j := u >> zigShift
		x := float32(j) * z.width[layer]
		if j < z.inner[layer] {
			if u&(1<<(zigShift-1)) != 0 {
				return -x
			}
			return x
		}

		if layer == 0 {
			// The tail beyond zigR: Marsaglia's method accepts zigR + e1/zigR
			// for exponential e1, e2 with 2·e2 > (e1/zigR)².
			for {
				a := -math.Log(1-rng.Float64()) / zigR
				b := -math.Log(1 - rng.Float64())
				if 2*b > a*a {
					t := float32(zigR + a)
					if u&(1<<(zigShift-1)) != 0 {
						return -t
					}
					return t
				}
			}
		}

		// The wedge between the inner rectangle and the curve: accept x
		// with the probability that a uniform height in the layer falls
		// under f(x).
		lo, hi := z.f[layer], z.f[layer+1]
		if lo+rng.Float64()*(hi-lo) < math.Exp(-float64(x)*float64(x)/2) {
			if u&(1<<(zigShift-1)) != 0 {
				return -x
			}
			return x
		}
		u = uint32(rng.Uint64())
	}
}

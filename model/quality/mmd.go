package quality

import (
	"fmt"
	"math"
)

// maxBandwidth is the largest of the four kernel standard deviations σ,
// in data units, that MMD averages: 0.25, 0.5, 1 and 2. They span the
// scales of the toy sets in [-4, 4]²: σ = 0.25 resolves the width of rings
// and moons, σ = 2 the layout of the modes.
const maxBandwidth = 2

// MMD returns the unbiased estimate of the squared maximum mean discrepancy
// between the samples x and y, each a sequence of points of dim values.
//
// The kernel is k(a, b) = ¼ Σ_σ exp(−‖a − b‖² / (2σ²)) for σ = 0.25,
// 0.5, 1 and 2 in data units. The bandwidths are fixed rather than set by
// a heuristic from the data, so values are comparable across training
// steps. The estimate is
//
//	MMD² = 1/(m(m−1)) Σ_{i≠j} k(xᵢ, xⱼ) + 1/(n(n−1)) Σ_{i≠j} k(yᵢ, yⱼ) − 2/(mn) Σ_{i,j} k(xᵢ, yⱼ)
//
// (MMD²_u in Gretton et al., A Kernel Two-Sample Test, JMLR 13, 2012).
// Its expectation is 0 when x and y come from the same distribution, so a
// value can be slightly negative. It is symmetric in x and y. The cost is
// O((m + n)²·dim) with one exponential per pair, and MMD allocates
// nothing.
//
// MMD panics if dim < 1, if len(x) or len(y) is not a multiple of dim, or
// if either sample has fewer than two points.
func MMD(x, y []float32, dim int) float64 {
	if dim < 1 {
		panic(fmt.Sprintf("quality: MMD dimension %d, want at least 1", dim))
	}
	if len(x)%dim != 0 || len(y)%dim != 0 {
		panic(fmt.Sprintf("quality: MMD sample lengths %d and %d are not multiples of dimension %d", len(x), len(y), dim))
	}
	m, n := len(x)/dim, len(y)/dim
	if m < 2 || n < 2 {
		panic(fmt.Sprintf("quality: MMD needs at least 2 points per sample, got %d and %d", m, n))
	}

	xx := 2 * kernelSumWithin(x, dim) / float64(m*(m-1))
	yy := 2 * kernelSumWithin(y, dim) / float64(n*(n-1))
	xy := kernelSumBetween(x, y, dim) / float64(m*n)
	return xx + yy - 2*xy
}

// kernel returns the mixture kernel for a squared distance d2. The
// bandwidths grow by factors of 2, so each exponential is the 4th power of
// the one for the next larger bandwidth, and one call to math.Exp serves
// all four.
func kernel(d2 float64) float64 {
	e2 := math.Exp(-d2 / (2 * maxBandwidth * maxBandwidth))
	e1 := e2 * e2
	e1 *= e1
	e05 := e1 * e1
	e05 *= e05
	e025 := e05 * e05
	e025 *= e025
	return (e025 + e05 + e1 + e2) / 4
}

// kernelSumWithin returns Σ_{i<j} k(xᵢ, xⱼ).
func kernelSumWithin(x []float32, dim int) float64 {
	n := len(x) / dim
	var sum float64
	for i := 0; i < n; i++ {
		a := x[i*dim : (i+1)*dim]
		for j := i + 1; j < n; j++ {
			sum += kernel(squaredDistance(a, x[j*dim:(j+1)*dim]))
		}
	}
	return sum
}

// kernelSumBetween returns Σ_{i,j} k(xᵢ, yⱼ).
func kernelSumBetween(x, y []float32, dim int) float64 {
	m, n := len(x)/dim, len(y)/dim
	var sum float64
	for i := 0; i < m; i++ {
		a := x[i*dim : (i+1)*dim]
		for j := 0; j < n; j++ {
			sum += kernel(squaredDistance(a, y[j*dim:(j+1)*dim]))
		}
	}
	return sum
}

func squaredDistance(a, b []float32) float64 {
	b = b[:len(a)]
	var d2 float64
	for k, v := range a {
		d := float64(v) - float64(b[k])
		d2 += d * d
	}
	return d2
}

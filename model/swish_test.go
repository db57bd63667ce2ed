package model

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestSwishKernelAccuracy checks σ(x) and x·σ(x) from swishForward, the
// vector kernel on amd64 with AVX2, against float64 math over the whole
// float32 range, including ±Inf and NaN.
func TestSwishKernelAccuracy(t *testing.T) {
	var xs []float32
	for x := -100.0; x <= 100; x += 0.00731 {
		xs = append(xs, float32(x))
	}
	for e := -40; e <= 38; e++ {
		for _, m := range []float64{1, 1.7, 3.3, 9.9} {
			v := m * math.Pow(10, float64(e))
			if v < math.MaxFloat32 {
				xs = append(xs, float32(v), float32(-v))
			}
		}
	}
	xs = append(xs, 0, float32(math.Copysign(0, -1)), math.MaxFloat32, -math.MaxFloat32,
		math.SmallestNonzeroFloat32, float32(math.Inf(1)), float32(math.Inf(-1)), float32(math.NaN()))

	sig := make([]float32, len(xs))
	y := make([]float32, len(xs))
	swishForward(sig, y, xs)

	// 4 float32 ulps (2^-23 each) relative, above the clamp of e^-x at
	// e^87, which bounds σ(x) below by about 1.6e-38.
	const tol = 4.0 / (1 << 23)
	for i, x32 := range xs {
		x := float64(x32)
		switch {
		case math.IsNaN(x):
			if !math.IsNaN(float64(sig[i])) || !math.IsNaN(float64(y[i])) {
				t.Errorf("swish(NaN) = σ %g, y %g, want NaN", sig[i], y[i])
			}
			continue
		case x > 0:
			// Exact at large x, where the rounding of 1 + e^-x gives 1.
		case x < -87:
			if !(sig[i] >= 0 && sig[i] < 2e-38) {
				t.Errorf("σ(%g) = %g, want about 1.6e-38", x, sig[i])
			}
			continue
		}
		want := 1 / (1 + math.Exp(-x))
		if rel := math.Abs(float64(sig[i])-want) / want; rel > tol {
			t.Errorf("σ(%g) = %g, want %g (relative error %.2g)", x, sig[i], want, rel)
		}
		if wantY := x * float64(sig[i]); float64(y[i]) != float64(float32(wantY)) {
			t.Errorf("y(%g) = %g, want x·σ = %g", x, y[i], float32(wantY))
		}
	}
}

// TestSwishKernelMatchesGo checks that the kernels agree with the portable
// loops within rounding, and that a value's result does not depend on the
// slice it came in, for every tail length.
func TestSwishKernelMatchesGo(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	const n = 77
	x := randomSlice(rng, n, -12, 12)
	dy := randomSlice(rng, n, -1, 1)

	sig, y := make([]float32, n), make([]float32, n)
	sigGo, yGo := make([]float32, n), make([]float32, n)
	swishForward(sig, y, x)
	swishForwardGo(sigGo, yGo, x)
	dx, dxGo := make([]float32, n), make([]float32, n)
	swishBackward(dx, dy, sig, y)
	swishBackwardGo(dxGo, dy, sig, y)
	for i := range x {
		if !closeFloat32(sig[i], sigGo[i], 1e-6) || !closeFloat32(y[i], yGo[i], 1e-6) {
			t.Errorf("forward at x = %g: kernel σ %g y %g, Go σ %g y %g", x[i], sig[i], y[i], sigGo[i], yGo[i])
		}
		if !closeFloat32(dx[i], dxGo[i], 1e-6) {
			t.Errorf("backward at x = %g: kernel %g, Go %g", x[i], dx[i], dxGo[i])
		}
	}

	for lo := range 9 {
		for hi := lo; hi <= lo+17; hi++ {
			s, v, d := make([]float32, hi-lo), make([]float32, hi-lo), make([]float32, hi-lo)
			swishForward(s, v, x[lo:hi])
			swishBackward(d, dy[lo:hi], s, v)
			for i := range s {
				if s[i] != sig[lo+i] || v[i] != y[lo+i] || d[i] != dx[lo+i] {
					t.Fatalf("x[%d:%d]: value %d differs from the whole-slice result", lo, hi, i)
				}
			}
		}
	}
}

package sampler

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestFillNormalDistribution compares the moments and the distribution
// function of a million draws with N(0, 1), and checks neighbouring draws
// for correlation. The bounds are about five standard errors.
func TestFillNormalDistribution(t *testing.T) {
	const n = 1 << 20
	x := make([]float32, n)
	fillNormal(x, rand.New(rand.NewPCG(5, 6)))

	var sum, sq, fourth, lag float64
	for i, v := range x {
		f := float64(v)
		sum += f
		sq += f * f
		fourth += f * f * f * f
		if i > 0 {
			lag += f * float64(x[i-1])
		}
	}
	moments := []struct {
		name      string
		got, want float64
		tol       float64
	}{
		{"mean", sum / n, 0, 5 / math.Sqrt(n)},
		{"variance", sq / n, 1, 5 * math.Sqrt(2.0/n)},
		{"fourth moment", fourth / n, 3, 5 * math.Sqrt(96.0/n)},
		{"lag-1 correlation", lag / n, 0, 5 / math.Sqrt(n)},
	}
	for _, m := range moments {
		if math.Abs(m.got-m.want) > m.tol {
			t.Errorf("%s = %.5f, want %.5f ± %.5f", m.name, m.got, m.want, m.tol)
		}
	}

	// The fraction at or below q, for quantiles in the body, at the edges
	// of inner layers and in the tail beyond zigR ≈ 3.44.
	for _, q := range []float64{-4, -3.5, -zigR, -2.5, -1.3, -0.5, 0, 0.2, 1, 1.96, zigR, 3.8} {
		var below int
		for _, v := range x {
			if float64(v) <= q {
				below++
			}
		}
		want := 0.5 * math.Erfc(-q/math.Sqrt2)
		if got := float64(below) / n; math.Abs(got-want) > 5*math.Sqrt(want*(1-want)/n)+1e-6 {
			t.Errorf("P(x ≤ %g) = %.6f, want %.6f", q, got, want)
		}
	}
}

// TestFillNormalOddLength checks that an odd length fills every value and
// that a seeded generator repeats its draws.
func TestFillNormalOddLength(t *testing.T) {
	a, b := make([]float32, 7), make([]float32, 7)
	fillNormal(a, rand.New(rand.NewPCG(1, 1)))
	fillNormal(b, rand.New(rand.NewPCG(1, 1)))
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("draw %d: %g and %g from the same seed", i, a[i], b[i])
		}
		if a[i] == 0 {
			t.Errorf("draw %d is exactly 0, so it was probably not written", i)
		}
	}
}

func BenchmarkFillNormal(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	x := make([]float32, 1024)
	b.SetBytes(4 * 1024)
	b.ReportAllocs()
	for b.Loop() {
		fillNormal(x, rng)
	}
}

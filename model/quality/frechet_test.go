package quality

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// rotated returns R·diag(values)·Rᵀ for the 2-D rotation R by angle.
func rotated(angle float64, values [2]float64) *mat.SymDense {
	sin, cos := math.Sincos(angle)
	r := mat.NewDense(2, 2, []float64{cos, -sin, sin, cos})
	var tmp, out mat.Dense
	tmp.Mul(r, mat.NewDiagDense(2, values[:]))
	out.Mul(&tmp, r.T())
	return mat.NewSymDense(2, []float64{out.At(0, 0), out.At(0, 1), out.At(1, 0), out.At(1, 1)})
}

func TestFrechetDistanceClosedForm(t *testing.T) {
	// For 2×2 covariances, tr(M^½) = √(tr M + 2√det M) for the PSD
	// matrix M = cov2^½·cov1·cov2^½, with tr M = tr(cov1·cov2) and
	// det M = det cov1 · det cov2. This covers covariances that do not
	// commute.
	nonCommuting := func(cov1, cov2 *mat.SymDense) float64 {
		var product mat.Dense
		product.Mul(cov1, cov2)
		traceSqrt := math.Sqrt(mat.Trace(&product) + 2*math.Sqrt(mat.Det(cov1)*mat.Det(cov2)))
		return mat.Trace(cov1) + mat.Trace(cov2) - 2*traceSqrt
	}

	tests := []struct {
		name       string
		mu1, mu2   []float64
		cov1, cov2 *mat.SymDense
		want       float64
	}{
		{
			name: "1-D N(0, 1) and N(1, 4)",
			mu1:  []float64{0}, cov1: mat.NewSymDense(1, []float64{1}),
			mu2: []float64{1}, cov2: mat.NewSymDense(1, []float64{4}),
			want: 1 + (1-2)*(1-2),
		},
		{
			name: "identical",
			mu1:  []float64{0.3, -2}, cov1: rotated(0.4, [2]float64{2, 0.5}),
			mu2: []float64{0.3, -2}, cov2: rotated(0.4, [2]float64{2, 0.5}),
			want: 0,
		},
		{
			name: "diagonal",
			mu1:  []float64{1, 2, 3}, cov1: mat.NewSymDense(3, []float64{1, 0, 0, 0, 4, 0, 0, 0, 9}),
			mu2: []float64{0, 2, 5}, cov2: mat.NewSymDense(3, []float64{4, 0, 0, 0, 4, 0, 0, 0, 1}),
			// ‖Δμ‖² + Σ (√a − √b)².
			want: 1 + 0 + 4 + 1 + 0 + 4,
		},
		{
			name: "commuting rotated",
			mu1:  []float64{0, 0}, cov1: rotated(0.7, [2]float64{9, 1}),
			mu2: []float64{3, 4}, cov2: rotated(0.7, [2]float64{1, 4}),
			want: 25 + 4 + 1,
		},
		{
			name: "non-commuting",
			mu1:  []float64{1, 0}, cov1: rotated(0, [2]float64{3, 0.5}),
			mu2: []float64{0, 0}, cov2: rotated(1.1, [2]float64{2, 0.2}),
			want: 1 + nonCommuting(rotated(0, [2]float64{3, 0.5}), rotated(1.1, [2]float64{2, 0.2})),
		},
		{
			name: "singular against identity",
			mu1:  []float64{0, 0}, cov1: mat.NewSymDense(2, nil),
			mu2: []float64{0, 1}, cov2: mat.NewSymDense(2, []float64{1, 0, 0, 1}),
			want: 1 + 2,
		},
		{
			name: "rank one",
			mu1:  []float64{0, 0}, cov1: mat.NewSymDense(2, []float64{1, 1, 1, 1}),
			mu2: []float64{0, 0}, cov2: mat.NewSymDense(2, []float64{2, 0, 0, 2}),
			// cov2^½·cov1·cov2^½ = 2·cov1 has eigenvalues 4 and 0.
			want: 2 + 4 - 2*2,
		},
	}
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			got := FrechetDistance(test.mu1, test.cov1, test.mu2, test.cov2)

			if math.Abs(got-test.want) > 1e-9*math.Max(1, test.want) {
				t.Errorf("FrechetDistance = %.12g, want %.12g", got, test.want)
			}
		})
	}
}

func TestFrechetDistanceSymmetric(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 9))
	const n = 6
	randomCov := func() *mat.SymDense {
		a := mat.NewDense(n, n, nil)
		for i := 0; i < n; i++ {
			for j := 0; j < n; j++ {
				a.Set(i, j, rng.NormFloat64())
			}
		}
		cov := mat.NewSymDense(n, nil)
		cov.SymOuterK(1, a)
		return cov
	}
	mu1, mu2 := make([]float64, n), make([]float64, n)
	for i := range mu1 {
		mu1[i], mu2[i] = rng.NormFloat64(), rng.NormFloat64()
	}
	cov1, cov2 := randomCov(), randomCov()

	d12 := FrechetDistance(mu1, cov1, mu2, cov2)
	d21 := FrechetDistance(mu2, cov2, mu1, cov1)

	if math.Abs(d12-d21) > 1e-9*d12 {
		t.Errorf("d(1, 2) = %.12g, d(2, 1) = %.12g, want equal", d12, d21)
	}
}

func TestFrechetDistancePanicsOnMismatch(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("FrechetDistance did not panic")
		}
	}()
	FrechetDistance([]float64{0, 0}, mat.NewSymDense(2, nil), []float64{0, 0, 0}, mat.NewSymDense(3, nil))
}

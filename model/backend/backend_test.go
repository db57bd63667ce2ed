package backend

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas32"
)

func TestName(t *testing.T) {
	name := Name()
	if !strings.Contains(name, "gonum") && !strings.Contains(name, "OpenBLAS") {
		t.Errorf("Name() = %q, want it to name gonum or OpenBLAS", name)
	}
}

func TestSetThreads(t *testing.T) {
	defer SetThreads(Threads())

	SetThreads(1)
	if got := Threads(); got != 1 {
		t.Errorf("after SetThreads(1), Threads() = %d, want 1", got)
	}
	SetThreads(2)
	if got := Threads(); got != 2 {
		t.Errorf("after SetThreads(2), Threads() = %d, want 2", got)
	}
	SetThreads(0)
	if got := Threads(); got < 1 {
		t.Errorf("after SetThreads(0), Threads() = %d, want at least 1", got)
	}
}

// gemmCase is one product C = alpha*op(A)*op(B) + beta*C. pad is added to
// every leading dimension to check that strides are honoured.
type gemmCase struct {
	tA, tB      blas.Transpose
	m, n, k     int
	alpha, beta float32
	pad         int
}

var gemmCases = []gemmCase{
	{blas.NoTrans, blas.NoTrans, 3, 4, 5, 1, 0, 0},
	{blas.NoTrans, blas.NoTrans, 16, 2000, 25, 1, 0, 0},
	{blas.NoTrans, blas.Trans, 300, 64, 70, 1, 1, 3},
	{blas.Trans, blas.NoTrans, 144, 500, 32, -0.5, 0.25, 1},
	{blas.Trans, blas.Trans, 130, 200, 17, 2, 0, 2},
	{blas.NoTrans, blas.Trans, 64, 1, 256, 1, 0, 0},
	{blas.NoTrans, blas.NoTrans, 1000, 300, 3, 1, 1, 0},
	{blas.Trans, blas.NoTrans, 200, 200, 0, 1, 0.5, 0},
}

// naiveGemm computes the case's product in float64.
func naiveGemm(tc gemmCase, a []float32, lda int, b []float32, ldb int, c []float32, ldc int) []float64 {
	opA := func(i, l int) float64 {
		if tc.tA == blas.NoTrans {
			return float64(a[i*lda+l])
		}
		return float64(a[l*lda+i])
	}
	opB := func(l, j int) float64 {
		if tc.tB == blas.NoTrans {
			return float64(b[l*ldb+j])
		}
		return float64(b[j*ldb+l])
	}
	want := make([]float64, tc.m*tc.n)
	for i := range tc.m {
		for j := range tc.n {
			var sum float64
			for l := range tc.k {
				sum += opA(i, l) * opB(l, j)
			}
			want[i*tc.n+j] = float64(tc.alpha)*sum + float64(tc.beta)*float64(c[i*ldc+j])
		}
	}
	return want
}

// randomOperands returns A, B and C of the case's shapes filled with values
// in [-1, 1), and their leading dimensions.
func randomOperands(tc gemmCase, rng *rand.Rand) (a []float32, lda int, b []float32, ldb int, c []float32, ldc int) {
	rowsA, colsA := tc.m, tc.k
	if tc.tA != blas.NoTrans {
		rowsA, colsA = tc.k, tc.m
	}
	rowsB, colsB := tc.k, tc.n
	if tc.tB != blas.NoTrans {
		rowsB, colsB = tc.n, tc.k
	}
	lda, ldb, ldc = max(colsA, 1)+tc.pad, colsB+tc.pad, tc.n+tc.pad
	fill := func(n int) []float32 {
		s := make([]float32, n)
		for i := range s {
			s[i] = float32(2*rng.Float64() - 1)
		}
		return s
	}
	return fill(rowsA * lda), lda, fill(rowsB * ldb), ldb, fill(tc.m * ldc), ldc
}

func TestGemmMatchesNaive(t *testing.T) {
	defer SetThreads(Threads())

	for _, threads := range []int{1, 2, 3} {
		SetThreads(threads)
		for i, tc := range gemmCases {
			rng := rand.New(rand.NewPCG(uint64(i), 1))
			a, lda, b, ldb, c, ldc := randomOperands(tc, rng)
			want := naiveGemm(tc, a, lda, b, ldb, c, ldc)

			blas32.Implementation().Sgemm(tc.tA, tc.tB, tc.m, tc.n, tc.k, tc.alpha, a, lda, b, ldb, tc.beta, c, ldc)

			// Each element sums k products of values below 1 in float32,
			// so the rounding error stays below k*2^-23 relative to k.
			tol := 1e-5 * float64(max(tc.k, 1))
			for r := range tc.m {
				for col := range tc.n {
					got := float64(c[r*ldc+col])
					if math.Abs(got-want[r*tc.n+col]) > tol {
						t.Fatalf("threads %d, case %d: C[%d,%d] = %g, want %g", threads, i, r, col, got, want[r*tc.n+col])
					}
				}
			}
		}
	}
}

func BenchmarkSgemmConvShape(b *testing.B) {
	// The forward product of the second convolution of the mnist-cnn preset
	// at batch 128: 32 output channels, 8192 output pixels, 144 = 16·3·3.
	tc := gemmCase{blas.NoTrans, blas.NoTrans, 32, 8192, 144, 1, 0, 0}
	rng := rand.New(rand.NewPCG(4, 4))
	a, lda, bm, ldb, c, ldc := randomOperands(tc, rng)
	b.ReportAllocs()
	for b.Loop() {
		blas32.Implementation().Sgemm(tc.tA, tc.tB, tc.m, tc.n, tc.k, 1, a, lda, bm, ldb, 0, c, ldc)
	}
	b.ReportMetric(float64(2*tc.m*tc.n*tc.k)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
}

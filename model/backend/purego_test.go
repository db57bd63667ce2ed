//go:build !openblas

package backend

import (
	"math/rand/v2"
	"sync"
	"testing"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas32"
)

func TestPureGoRegistered(t *testing.T) {
	if _, ok := blas32.Implementation().(tiledGonum); !ok {
		t.Errorf("blas32.Implementation() is %T, want tiledGonum", blas32.Implementation())
	}
}

// TestTiledSameForAnyThreads checks that the result does not depend on the
// number of threads, because every tile is computed by the same serial gonum
// kernel whichever goroutine takes it.
func TestTiledSameForAnyThreads(t *testing.T) {
	defer SetThreads(Threads())

	for i, tc := range gemmCases {
		rng := rand.New(rand.NewPCG(uint64(i), 2))
		a, lda, b, ldb, c, ldc := randomOperands(tc, rng)
		want := append([]float32(nil), c...)

		SetThreads(1)
		tiledGonum{}.Sgemm(tc.tA, tc.tB, tc.m, tc.n, tc.k, tc.alpha, a, lda, b, ldb, tc.beta, want, ldc)
		SetThreads(3)
		tiledGonum{}.Sgemm(tc.tA, tc.tB, tc.m, tc.n, tc.k, tc.alpha, a, lda, b, ldb, tc.beta, c, ldc)

		for j := range c {
			if c[j] != want[j] {
				t.Errorf("case %d: C element %d = %g with 3 threads, %g with 1", i, j, c[j], want[j])
				break
			}
		}
	}
}

// TestTiledConcurrentCalls runs products from several goroutines at once, so
// that some of them find the pool busy and run serially.
func TestTiledConcurrentCalls(t *testing.T) {
	defer SetThreads(Threads())
	SetThreads(2)

	tc := gemmCase{blas.NoTrans, blas.NoTrans, 64, 1500, 40, 1, 0, 0}
	rng := rand.New(rand.NewPCG(7, 7))
	a, lda, b, ldb, c0, ldc := randomOperands(tc, rng)
	want := append([]float32(nil), c0...)
	SetThreads(1)
	tiledGonum{}.Sgemm(tc.tA, tc.tB, tc.m, tc.n, tc.k, tc.alpha, a, lda, b, ldb, tc.beta, want, ldc)
	SetThreads(2)

	const goroutines = 4
	results := make([][]float32, goroutines)
	var wg sync.WaitGroup
	for g := range goroutines {
		results[g] = append([]float32(nil), c0...)
		wg.Go(func() {
			for range 5 {
				blas32.Implementation().Sgemm(tc.tA, tc.tB, tc.m, tc.n, tc.k, tc.alpha, a, lda, b, ldb, tc.beta, results[g], ldc)
			}
		})
	}
	wg.Wait()

	for g, c := range results {
		for j := range c {
			if c[j] != want[j] {
				t.Errorf("goroutine %d: C element %d = %g, want %g", g, j, c[j], want[j])
				break
			}
		}
	}
}

func TestTiledPanicsOnShortC(t *testing.T) {
	defer func() {
		if r := recover(); r != "blas: insufficient length of c" {
			t.Errorf("recovered %v, want the short-C panic", r)
		}
	}()
	a := make([]float32, 500*500)
	tiledGonum{}.Sgemm(blas.NoTrans, blas.NoTrans, 500, 500, 500, 1, a, 500, a, 500, 0, a[:10], 500)
}

func TestTiledAllocatesNothing(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector allocates")
	}
	defer SetThreads(Threads())
	SetThreads(2)

	tc := gemmCase{blas.NoTrans, blas.NoTrans, 32, 4096, 144, 1, 0, 0}
	rng := rand.New(rand.NewPCG(3, 3))
	a, lda, b, ldb, c, ldc := randomOperands(tc, rng)
	product := func() {
		blas32.Gemm(tc.tA, tc.tB, 1,
			blas32.General{Rows: tc.m, Cols: tc.k, Stride: lda, Data: a},
			blas32.General{Rows: tc.k, Cols: tc.n, Stride: ldb, Data: b},
			0, blas32.General{Rows: tc.m, Cols: tc.n, Stride: ldc, Data: c})
	}
	product()

	if allocs := testing.AllocsPerRun(20, product); allocs != 0 {
		t.Errorf("Gemm allocates %v times per call, want 0", allocs)
	}
}

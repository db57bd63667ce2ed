package quality

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/mat"
)

// FrechetDistance returns the squared Fréchet (2-Wasserstein) distance
// between the Gaussians N(mu1, cov1) and N(mu2, cov2):
//
//	‖mu1 − mu2‖² + tr(cov1) + tr(cov2) − 2·tr((cov2^½ · cov1 · cov2^½)^½)
//
// This is the formula of the Fréchet Inception Distance (Heusel et al.,
// NeurIPS 2017), written with symmetric matrices only so that both square
// roots come from symmetric eigendecompositions. Covariances may be
// singular; eigenvalues below zero from rounding are treated as zero. The
// result is clamped at zero.
//
// FrechetDistance panics if the dimensions differ or an eigendecomposition
// fails.
func FrechetDistance(mu1 []float64, cov1 mat.Symmetric, mu2 []float64, cov2 mat.Symmetric) float64 {
	n := len(mu1)
	if len(mu2) != n || cov1.SymmetricDim() != n || cov2.SymmetricDim() != n {
		panic(fmt.Sprintf("quality: FrechetDistance dimension mismatch: means %d and %d, covariances %d and %d",
			len(mu1), len(mu2), cov1.SymmetricDim(), cov2.SymmetricDim()))
	}
	return frechetDistance(mu1, cov1, mu2, cov2, sqrtPSD(cov2))
}

// frechetDistance is FrechetDistance with sqrt2 = cov2^½ computed by the
// caller, so that a fixed reference distribution pays for it once.
func frechetDistance(mu1 []float64, cov1 mat.Symmetric, mu2 []float64, cov2, sqrt2 mat.Symmetric) float64 {
	n := len(mu1)
	meanTerm := floats.Distance(mu1, mu2, 2)
	meanTerm *= meanTerm

	var tmp, product mat.Dense
	tmp.Mul(sqrt2, cov1)
	product.Mul(&tmp, sqrt2)
	// The product is symmetric in exact arithmetic. Averaging it with its
	// transpose removes the rounding asymmetry before the decomposition.
	sym := mat.NewSymDense(n, nil)
	for i := 0; i < n; i++ {
		for j := i; j < n; j++ {
			sym.SetSym(i, j, (product.At(i, j)+product.At(j, i))/2)
		}
	}
	var traceSqrt float64
	for _, v := range eigenvalues(sym) {
		traceSqrt += math.Sqrt(math.Max(v, 0))
	}

	d := meanTerm + mat.Trace(cov1) + mat.Trace(cov2) - 2*traceSqrt
	return math.Max(d, 0)
}

// sqrtPSD returns the symmetric square root of the positive semidefinite
// matrix a, with negative eigenvalues from rounding set to zero.
func sqrtPSD(a mat.Symmetric) *mat.SymDense {
	var eig mat.EigenSym
	if !eig.Factorize(a, true) {
		panic("quality: eigendecomposition of a covariance matrix failed")
	}
	values := eig.Values(nil)
	var vectors mat.Dense
	eig.VectorsTo(&vectors)

	n := a.SymmetricDim()
	root := mat.NewSymDense(n, nil)
	for k, v := range values {
		if v <= 0 {
			continue
		}
		root.SymRankOne(root, math.Sqrt(v), vectors.ColView(k))
	}
	return root
}

func eigenvalues(a mat.Symmetric) []float64 {
	var eig mat.EigenSym
	if !eig.Factorize(a, false) {
		panic("quality: eigendecomposition of a covariance product failed")
	}
	return eig.Values(nil)
}

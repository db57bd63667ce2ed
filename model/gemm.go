package model

import (
	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas32"
)

// matrix is a dense row-major matrix whose stride equals its column count.
type matrix struct {
	rows, cols int
	data       []float32
}

func (m matrix) general() blas32.General {
	return blas32.General{Rows: m.rows, Cols: m.cols, Stride: m.cols, Data: m.data}
}

// gemm computes c = op(a)·op(b) + beta·c through blas32, so that the BLAS
// registered by package backend serves it. op transposes when the matching
// flag is set.
func gemm(transA bool, a matrix, transB bool, b matrix, beta float32, c matrix) {
	tA, tB := blas.NoTrans, blas.NoTrans
	if transA {
		tA = blas.Trans
	}
	if transB {
		tB = blas.Trans
	}
	blas32.Gemm(tA, tB, 1, a.general(), b.general(), beta, c.general())
}

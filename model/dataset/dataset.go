package dataset

import (
	"fmt"
	"math/rand/v2"
)

// Dataset is a set of samples stored back to back in NCHW order, with
// values in [Lo, Hi].
type Dataset struct {
	Name    string    // "mnist", "8gaussians", a file path, …
	C, H, W int       // per-sample shape; 2-D points have C = 2, H = 1, W = 1
	X       []float32 // Len()·Dim() values, sample after sample
	Labels  []int     // class index of each sample; nil when unlabelled, else len(Labels) == Len()
	Classes []string  // class names indexed by label; nil when unlabelled
	Lo, Hi  float32   // value range, used for noise initialisation and plots
}

// Len returns the number of samples.
func (d *Dataset) Len() int {
	dim := d.Dim()
	if dim == 0 {
		return 0
	}
	return len(d.X) / dim
}

// Dim returns the number of values per sample, C·H·W.
func (d *Dataset) Dim() int {
	return d.C * d.H * d.W
}

// Sample returns sample i. The result aliases X, so writes to it change
// the dataset. Sample panics if i is out of range.
func (d *Dataset) Sample(i int) []float32 {
	n := d.Len()
	if i < 0 || i >= n {
		panic(fmt.Sprintf("dataset: sample index %d out of range [0, %d)", i, n))
	}
	dim := d.Dim()
	return d.X[i*dim : (i+1)*dim : (i+1)*dim]
}

// IsPoints reports whether the samples are 2-D points rather than images.
func (d *Dataset) IsPoints() bool {
	return d.C == 2 && d.H == 1 && d.W == 1
}

// Batch fills dst with len(dst)/Dim() samples drawn uniformly with
// replacement. When noise > 0 it adds independent N(0, noise²) values, in
// the units of X, and for images clamps the result to [Lo, Hi]. Points are
// not clamped, so noise can move them outside the range. Batch allocates
// nothing. It panics if the dataset is empty or len(dst) is not a multiple
// of Dim().
func (d *Dataset) Batch(dst []float32, rng *rand.Rand, noise float64) {
	n := d.Len()
	if n == 0 {
		panic("dataset: Batch on an empty dataset")
	}
	dim := d.Dim()
	if len(dst)%dim != 0 {
		panic(fmt.Sprintf("dataset: Batch destination length %d is not a multiple of the sample size %d", len(dst), dim))
	}

	clamp := !d.IsPoints()
	for k := 0; k < len(dst); k += dim {
		i := rng.IntN(n)
		out := dst[k : k+dim]
		copy(out, d.X[i*dim:(i+1)*dim])
		if noise <= 0 {
			continue
		}
		for j := range out {
			v := out[j] + float32(noise*rng.NormFloat64())
			if clamp {
				v = min(max(v, d.Lo), d.Hi)
			}
			out[j] = v
		}
	}
}

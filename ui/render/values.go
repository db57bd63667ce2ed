package render

import "math"

// maxDrawable bounds the magnitude of values the plots accept. gonum/plot
// maps a value to the page through (v−min)/(max−min), and beyond about
// 9e307 the difference overflows to +Inf.
const maxDrawable = 1e300

// isDrawable reports whether v is finite and within ±maxDrawable. Values
// that are not are dropped and counted as non-finite.
func isDrawable(v float64) bool {
	return math.Abs(v) <= maxDrawable
}

// widenSpan returns [lo, hi], or a range around its middle when it is too
// narrow to split into bins: ±0.5, or ±10⁻⁶ of the magnitude for large
// values, where ±0.5 would vanish in rounding.
func widenSpan(lo, hi float64) (float64, float64) {
	magnitude := math.Max(math.Abs(lo), math.Abs(hi))
	if hi-lo >= math.Max(1e-9*magnitude, 1e-300) {
		return lo, hi
	}
	middle := lo/2 + hi/2
	half := math.Max(0.5, 1e-6*magnitude)
	return middle - half, middle + half
}

package render

import (
	"slices"

	"gonum.org/v1/plot/plotter"
)

// Long series are reduced to the pixel columns they cover before drawing,
// because the cost of stroking a line grows with its length in pixels and a
// noisy series of thousands of points mostly redraws the same columns.
// Both reductions below keep what a pixel column can show: its first and
// last point and its extremes.

// column returns the pixel column of x among columns equal columns spanning
// [xmin, xmax], with x = xmax in the last one.
func column(x, xmin, xmax float64, columns int) int {
	if xmax <= xmin {
		return 0
	}
	c := int((x - xmin) / (xmax - xmin) * float64(columns))
	return max(0, min(c, columns-1))
}

// reduceColumns returns the points of xys that keep its look at the given
// number of columns over [xmin, xmax]: per column the first, lowest,
// highest and last point, in their original order. xys must be sorted by X.
// A series that is not, or that has no more than two points per column, is
// returned unchanged.
func reduceColumns(xys plotter.XYs, xmin, xmax float64, columns int) plotter.XYs {
	if len(xys) <= 2*columns || !sortedByX(xys) {
		return xys
	}

	out := make(plotter.XYs, 0, 4*columns)
	keep := make([]int, 0, 4)
	start := 0
	for start < len(xys) {
		col := column(xys[start].X, xmin, xmax, columns)
		lo, hi, end := start, start, start+1
		for end < len(xys) && column(xys[end].X, xmin, xmax, columns) == col {
			if xys[end].Y < xys[lo].Y {
				lo = end
			}
			if xys[end].Y > xys[hi].Y {
				hi = end
			}
			end++
		}

		keep = append(keep[:0], start, lo, hi, end-1)
		slices.Sort(keep)
		for _, i := range slices.Compact(keep) {
			out = append(out, xys[i])
		}
		start = end
	}
	return out
}

// envelope returns the band between the lowest and highest Y of each
// column as one closed ring: the highs from left to right, then the lows
// back. Each column's corner sits at the mean X of its first and last
// point. xys must be sorted by X.
func envelope(xys plotter.XYs, xmin, xmax float64, columns int) plotter.XYs {
	var highs, lows plotter.XYs
	start := 0
	for start < len(xys) {
		col := column(xys[start].X, xmin, xmax, columns)
		lo, hi, end := xys[start].Y, xys[start].Y, start+1
		for end < len(xys) && column(xys[end].X, xmin, xmax, columns) == col {
			lo, hi = min(lo, xys[end].Y), max(hi, xys[end].Y)
			end++
		}
		x := (xys[start].X + xys[end-1].X) / 2
		highs = append(highs, plotter.XY{X: x, Y: hi})
		lows = append(lows, plotter.XY{X: x, Y: lo})
		start = end
	}
	slices.Reverse(lows)
	return append(highs, lows...)
}

func sortedByX(xys plotter.XYs) bool {
	for i := 1; i < len(xys); i++ {
		if xys[i].X < xys[i-1].X {
			return false
		}
	}
	return true
}

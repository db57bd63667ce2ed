package render

import (
	"testing"

	"gonum.org/v1/plot/plotter"
)

// zigzag returns n points at X = 0, 1, …, n−1 whose Y alternates between
// the index and its negative, so every column of a reduction has distinct
// first, lowest, highest and last points.
func zigzag(n int) plotter.XYs {
	xys := make(plotter.XYs, n)
	for i := range xys {
		y := float64(i)
		if i%2 == 1 {
			y = -y
		}
		xys[i] = plotter.XY{X: float64(i), Y: y}
	}
	return xys
}

func TestColumn(t *testing.T) {
	cases := []struct {
		x, xmin, xmax float64
		columns, want int
	}{
		{x: 0, xmin: 0, xmax: 10, columns: 5, want: 0},
		{x: 1.99, xmin: 0, xmax: 10, columns: 5, want: 0},
		{x: 2, xmin: 0, xmax: 10, columns: 5, want: 1},
		{x: 10, xmin: 0, xmax: 10, columns: 5, want: 4},
		{x: -1, xmin: 0, xmax: 10, columns: 5, want: 0},
		{x: 3, xmin: 3, xmax: 3, columns: 5, want: 0},
	}
	for _, c := range cases {
		if got := column(c.x, c.xmin, c.xmax, c.columns); got != c.want {
			t.Errorf("column(%g, %g, %g, %d) = %d, want %d", c.x, c.xmin, c.xmax, c.columns, got, c.want)
		}
	}
}

func TestReduceColumns(t *testing.T) {
	// Ten points per column: column 0 holds X = 0…9, whose first point is
	// (0, 0), lowest (9, −9), highest (8, 8) and last (9, −9).
	xys := zigzag(40)
	got := reduceColumns(xys, 0, 40, 4)

	want := plotter.XYs{
		{X: 0, Y: 0}, {X: 8, Y: 8}, {X: 9, Y: -9},
		{X: 10, Y: 10}, {X: 18, Y: 18}, {X: 19, Y: -19},
		{X: 20, Y: 20}, {X: 28, Y: 28}, {X: 29, Y: -29},
		{X: 30, Y: 30}, {X: 38, Y: 38}, {X: 39, Y: -39},
	}
	if len(got) != len(want) {
		t.Fatalf("%d points, want %d: %v", len(got), len(want), got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("point %d is %v, want %v", i, got[i], want[i])
		}
	}
}

func TestReduceColumnsUnchanged(t *testing.T) {
	unsorted := zigzag(40)
	unsorted[3], unsorted[30] = unsorted[30], unsorted[3]
	cases := []struct {
		name    string
		xys     plotter.XYs
		columns int
	}{
		{name: "two points per column", xys: zigzag(8), columns: 4},
		{name: "unsorted", xys: unsorted, columns: 4},
	}
	for _, c := range cases {
		got := reduceColumns(c.xys, 0, 40, c.columns)
		if len(got) != len(c.xys) {
			t.Errorf("%s: %d points, want all %d", c.name, len(got), len(c.xys))
		}
	}
}

func TestEnvelope(t *testing.T) {
	got := envelope(zigzag(40), 0, 40, 4)

	// Highs left to right, then lows right to left, each at the mean X of
	// its column's first and last point.
	want := plotter.XYs{
		{X: 4.5, Y: 8}, {X: 14.5, Y: 18}, {X: 24.5, Y: 28}, {X: 34.5, Y: 38},
		{X: 34.5, Y: -39}, {X: 24.5, Y: -29}, {X: 14.5, Y: -19}, {X: 4.5, Y: -9},
	}
	if len(got) != len(want) {
		t.Fatalf("%d points, want %d: %v", len(got), len(want), got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("point %d is %v, want %v", i, got[i], want[i])
		}
	}
}

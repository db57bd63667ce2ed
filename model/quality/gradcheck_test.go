package quality

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/ebmlab/ebmlab/model/dataset"
)

// TestGradientsMatchFiniteDifferences compares every analytic gradient
// entry of a small classifier with a central finite difference of the
// loss, on a mini-batch with labelled and uniform-target rows.
func TestGradientsMatchFiniteDifferences(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	const dim, hidden, classes, n = 6, 5, 4, 7
	d := &dataset.Dataset{C: 1, H: 2, W: 3, X: make([]float32, n*dim), Labels: make([]int, n), Lo: -1, Hi: 1}
	for i := range d.X {
		d.X[i] = float32(2*rng.Float64() - 1)
	}
	for i := range d.Labels {
		d.Labels[i] = rng.IntN(classes)
	}
	c := newClassifier(dim, hidden, classes, rng)
	c.channels, c.rows, c.cols, c.lo, c.scale = 1, 2, 3, -1, 0.5
	for i := range c.b1 {
		c.b1[i] = 0.1 * rng.NormFloat64()
	}
	cfg := trainConfig{outliers: 3, maxShift: 1}
	g := c.newGradients(n + cfg.outliers)
	rows := g.fill(c, d, []int{0, 1, 2, 3, 4, 5, 6}, rng, cfg)
	if rows != n+cfg.outliers || g.targets[n] != uniformTarget {
		t.Fatalf("fill returned %d rows with targets %v, want %d rows ending in uniform targets", rows, g.targets, n+cfg.outliers)
	}
	g.backprop(c, rows)

	params := []struct {
		name  string
		value []float64
		grad  []float64
	}{
		{"w1", c.w1.RawMatrix().Data, slices.Clone(g.w1.RawMatrix().Data)},
		{"b1", c.b1, slices.Clone(g.b1)},
		{"w2", c.w2.RawMatrix().Data, slices.Clone(g.w2.RawMatrix().Data)},
		{"b2", c.b2, slices.Clone(g.b2)},
	}
	const h, tol = 1e-6, 1e-6
	for _, p := range params {
		for i := range p.value {
			saved := p.value[i]
			p.value[i] = saved + h
			up := g.backprop(c, rows)
			p.value[i] = saved - h
			down := g.backprop(c, rows)
			p.value[i] = saved

			numeric := (up - down) / (2 * h)
			if diff := math.Abs(numeric - p.grad[i]); diff > tol*math.Max(1, math.Abs(numeric)) {
				t.Errorf("%s[%d]: analytic %.8f, finite difference %.8f", p.name, i, p.grad[i], numeric)
			}
		}
	}
}

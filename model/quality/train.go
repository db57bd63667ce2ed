package quality

import (
	"context"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"

	"github.com/ebmlab/ebmlab/model/dataset"
)

// trainConfig holds the classifier size and the optimiser settings.
type trainConfig struct {
	hidden       int     // hidden units
	epochs       int     // passes over the training set
	batch        int     // labelled images per mini-batch
	outliers     int     // synthetic non-images added to each mini-batch
	learningRate float64 // peak Adam step size
	maxShift     int     // largest random translation of a training image, in pixels per axis
}

// defaultConfig reached 96.4% to 96.9% test accuracy on the embedded
// MNIST subset with seeds 1 to 7, and 87% on the same counts of
// Fashion-MNIST. Without the random translations the network stays near
// 93% on MNIST, because 10,000 images are few for 100,000 weights.
var defaultConfig = trainConfig{hidden: 128, epochs: 12, batch: 64, outliers: 8, learningRate: 5e-3, maxShift: 1}

// Adam hyperparameters (Kingma and Ba, ICLR 2015).
const (
	adamBeta1   = 0.9
	adamBeta2   = 0.999
	adamEpsilon = 1e-8
)

// uniformTarget marks a mini-batch row whose target is the uniform
// distribution over the classes rather than one label.
const uniformTarget = -1

// train runs cfg.epochs epochs of mini-batch Adam with a cosine-decayed
// step size. It returns ctx.Err() if ctx is cancelled.
func (c *Classifier) train(ctx context.Context, d *dataset.Dataset, rng *rand.Rand, cfg trainConfig) error {
	n, batch := d.Len(), min(cfg.batch, d.Len())
	g := c.newGradients(batch + cfg.outliers)
	opt := []adam{newAdam(c.dim * c.hidden), newAdam(c.hidden), newAdam(c.hidden * c.classes), newAdam(c.classes)}

	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	step, totalSteps := 0, cfg.epochs*((n+batch-1)/batch)
	for epoch := 0; epoch < cfg.epochs; epoch++ {
		rng.Shuffle(n, func(i, j int) { order[i], order[j] = order[j], order[i] })

		for start := 0; start < n; start += batch {
			if err := ctx.Err(); err != nil {
				return err
			}
			rows := g.fill(c, d, order[start:min(start+batch, n)], rng, cfg)
			g.backprop(c, rows)

			progress := float64(step) / float64(totalSteps)
			step++
			lr := cfg.learningRate * (1 + math.Cos(math.Pi*progress)) / 2
			lr *= math.Sqrt(1-math.Pow(adamBeta2, float64(step))) / (1 - math.Pow(adamBeta1, float64(step)))
			opt[0].step(c.w1.RawMatrix().Data, g.w1.RawMatrix().Data, lr)
			opt[1].step(c.b1, g.b1, lr)
			opt[2].step(c.w2.RawMatrix().Data, g.w2.RawMatrix().Data, lr)
			opt[3].step(c.b2, g.b2, lr)
		}
	}
	return nil
}

// adam holds the first and second moment estimates for one parameter.
type adam struct {
	m, v []float64
}

func newAdam(n int) adam {
	return adam{m: make([]float64, n), v: make([]float64, n)}
}

// step applies one Adam update with the bias-corrected step size lr.
func (a adam) step(param, grad []float64, lr float64) {
	for i, g := range grad {
		a.m[i] = adamBeta1*a.m[i] + (1-adamBeta1)*g
		a.v[i] = adamBeta2*a.v[i] + (1-adamBeta2)*g*g
		param[i] -= lr * a.m[i] / (math.Sqrt(a.v[i]) + adamEpsilon)
	}
}

// gradients holds one mini-batch, its activations and the parameter
// gradients, sized for a maximum number of rows.
type gradients struct {
	x, h, probs, dh *mat.Dense // rows×dim, rows×hidden, rows×classes, rows×hidden
	targets         []int      // label of each row, or uniformTarget
	w1, w2          *mat.Dense // same shapes as the weights
	b1, b2          []float64
}

func (c *Classifier) newGradients(rows int) *gradients {
	return &gradients{
		x:       mat.NewDense(rows, c.dim, nil),
		h:       mat.NewDense(rows, c.hidden, nil),
		probs:   mat.NewDense(rows, c.classes, nil),
		dh:      mat.NewDense(rows, c.hidden, nil),
		targets: make([]int, rows),
		w1:      mat.NewDense(c.dim, c.hidden, nil),
		w2:      mat.NewDense(c.hidden, c.classes, nil),
		b1:      make([]float64, c.hidden),
		b2:      make([]float64, c.classes),
	}
}

// fill writes the inputs and targets of a mini-batch and returns its row
// count: the samples d.Sample(i) for i in indices, each translated by up
// to cfg.maxShift pixels per axis, followed by cfg.outliers synthetic
// images with the uniform target.
//
// The synthetic rows teach the network to be unsure on inputs that are not
// images of any class (outlier exposure, Hendrycks et al., ICLR 2019).
// Without them its confidence on noise is arbitrary: with five seeds the
// fraction of uniform-noise images classified with probability ≥ 0.9
// ranged from 0.1 to 0.98.
func (g *gradients) fill(c *Classifier, d *dataset.Dataset, indices []int, rng *rand.Rand, cfg trainConfig) int {
	for r, i := range indices {
		dx, dy := 0, 0
		if cfg.maxShift > 0 {
			dx = rng.IntN(2*cfg.maxShift+1) - cfg.maxShift
			dy = rng.IntN(2*cfg.maxShift+1) - cfg.maxShift
		}
		c.input(g.x.RawRowView(r), d.Sample(i), dx, dy)
		g.targets[r] = d.Labels[i]
	}

	rows := len(indices)
	for k := 0; k < cfg.outliers; k++ {
		c.outlier(g.x.RawRowView(rows), rng)
		g.targets[rows] = uniformTarget
		rows++
	}
	return rows
}

// outlier writes a random network input that is not an image of any
// class: uniform noise, Gaussian noise around a random grey level, which
// includes nearly blank images, or blobs of 4×4-pixel cells.
func (c *Classifier) outlier(dst []float64, rng *rand.Rand) {
	switch rng.IntN(3) {
	case 0:
		for k := range dst {
			dst[k] = rng.Float64()
		}
	case 1:
		mean, std := rng.Float64(), 0.5*rng.Float64()
		for k := range dst {
			dst[k] = min(max(mean+std*rng.NormFloat64(), 0), 1)
		}
	default:
		const cell = 4
		cellCols := (c.cols + cell - 1) / cell
		levels := make([]float64, ((c.rows+cell-1)/cell)*cellCols)
		plane := c.rows * c.cols
		for ch := 0; ch < c.channels; ch++ {
			for k := range levels {
				levels[k] = rng.Float64()
			}
			for y := 0; y < c.rows; y++ {
				for x := 0; x < c.cols; x++ {
					dst[ch*plane+y*c.cols+x] = levels[(y/cell)*cellCols+x/cell]
				}
			}
		}
	}
}

// backprop computes the gradients of the mean cross-entropy over the
// first rows rows of the mini-batch and returns that loss. For a row with
// the uniform target the loss is −(1/K)·Σ log pₖ over the K classes.
func (g *gradients) backprop(c *Classifier, rows int) float64 {
	x := g.x.Slice(0, rows, 0, c.dim).(*mat.Dense)
	h := g.h.Slice(0, rows, 0, c.hidden).(*mat.Dense)
	probs := g.probs.Slice(0, rows, 0, c.classes).(*mat.Dense)
	dh := g.dh.Slice(0, rows, 0, c.hidden).(*mat.Dense)
	c.forward(h, probs, x)

	// The gradient of the mean cross-entropy with respect to the logits
	// is (softmax − target)/rows, computed in place.
	var loss float64
	uniform := 1 / float64(c.classes)
	for r := 0; r < rows; r++ {
		row := probs.RawRowView(r)
		if label := g.targets[r]; label != uniformTarget {
			loss -= math.Log(max(row[label], math.SmallestNonzeroFloat64))
			row[label]--
		} else {
			for j, p := range row {
				loss -= uniform * math.Log(max(p, math.SmallestNonzeroFloat64))
				row[j] -= uniform
			}
		}
		for j := range row {
			row[j] /= float64(rows)
		}
	}
	g.w2.Mul(h.T(), probs)
	columnSums(g.b2, probs)

	// Back through the ReLU: the hidden gradient is zero where the unit
	// was inactive.
	dh.Mul(probs, c.w2.T())
	for r := 0; r < rows; r++ {
		hRow, dhRow := h.RawRowView(r), dh.RawRowView(r)
		for j, v := range hRow {
			if v <= 0 {
				dhRow[j] = 0
			}
		}
	}
	g.w1.Mul(x.T(), dh)
	columnSums(g.b1, dh)
	return loss / float64(rows)
}

// columnSums sets dst[j] to the sum of column j of a.
func columnSums(dst []float64, a *mat.Dense) {
	clear(dst)
	rows, _ := a.Dims()
	for i := 0; i < rows; i++ {
		for j, v := range a.RawRowView(i) {
			dst[j] += v
		}
	}
}

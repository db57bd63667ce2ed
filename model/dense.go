package model

import (
	"fmt"
	"math/rand/v2"
)

// Dense is a fully connected layer, y = W·x + b, with W stored as in PyTorch's
// Linear: Out rows of In values. Its input must be flat (shape In×1×1), so a
// convolution's output goes through Flatten first.
type Dense struct {
	in, out        int
	weight, bias   []float32
	dWeight, dBias []float32

	bound bool
	batch int
	x     []float32 // input of the last forward, owned by the caller
	y     []float32
}

var _ Layer = (*Dense)(nil)

// NewDense returns a Dense layer from in to out features with PyTorch's
// default initialisation: weights and biases from U(-1/√in, 1/√in), drawn by
// rng in that order. A nil rng leaves all parameters zero.
func NewDense(in, out int, rng *rand.Rand) *Dense {
	if in < 1 || out < 1 {
		panic(fmt.Sprintf("model: dense layer sizes %d→%d must be positive", in, out))
	}
	d := &Dense{
		in:      in,
		out:     out,
		weight:  make([]float32, out*in),
		bias:    make([]float32, out),
		dWeight: make([]float32, out*in),
		dBias:   make([]float32, out),
	}
	bound := kaimingBound(in)
	initUniform(d.weight, bound, rng)
	initUniform(d.bias, bound, rng)
	return d
}

// OutShape returns Out×1×1 for an input of shape In×1×1.
func (d *Dense) OutShape(in Shape) (Shape, error) {
	if in.Size() == d.in && (in.H != 1 || in.W != 1) {
		return Shape{}, fmt.Errorf("dense layer expects flat input %d×1×1, got %v: put a Flatten layer before it", d.in, in)
	}
	if in != (Shape{C: d.in, H: 1, W: 1}) {
		return Shape{}, fmt.Errorf("dense layer expects input %d×1×1, got %v", d.in, in)
	}
	return Shape{C: d.out, H: 1, W: 1}, nil
}

// FLOPs returns 2·In·Out.
func (d *Dense) FLOPs(Shape) int {
	return 2 * d.in * d.out
}

// Params returns the weight (Out×In) and bias (Out).
func (d *Dense) Params() []Param {
	return paramsOf(d.tensors())
}

func (d *Dense) String() string {
	return fmt.Sprintf("Dense(%d→%d)", d.in, d.out)
}

func (d *Dense) tensors() []tensor {
	return []tensor{
		{name: "weight", shape: []int{d.out, d.in}, value: &d.weight, grad: &d.dWeight},
		{name: "bias", shape: []int{d.out}, value: &d.bias, grad: &d.dBias},
	}
}

func (d *Dense) bind(Shape, *workspace) {
	if d.bound {
		panic("model: layer " + d.String() + " already belongs to a network")
	}
	d.bound = true
}

func (d *Dense) clone() Layer {
	c := NewDense(d.in, d.out, nil)
	copy(c.weight, d.weight)
	copy(c.bias, d.bias)
	return c
}

func (d *Dense) forward(x []float32, batch int) []float32 {
	d.batch = batch
	d.x = x
	d.y = grow(d.y, batch*d.out)

	// Start from the bias, so that one product with beta = 1 adds x·Wᵀ.
	for i := range batch {
		copy(d.y[i*d.out:(i+1)*d.out], d.bias)
	}
	gemm(false, matrix{batch, d.in, x}, true, matrix{d.out, d.in, d.weight}, 1, matrix{batch, d.out, d.y})
	return d.y
}

func (d *Dense) backward(dx, dy []float32, params bool) {
	batch := d.batch
	if params {
		// ∂L/∂W = dyᵀ·x and ∂L/∂b = Σ over the batch of dy.
		gemm(true, matrix{batch, d.out, dy}, false, matrix{batch, d.in, d.x}, 0, matrix{d.out, d.in, d.dWeight})
		clear(d.dBias)
		for i := range batch {
			row := dy[i*d.out : (i+1)*d.out]
			for j, g := range row {
				d.dBias[j] += g
			}
		}
	}
	if dx != nil {
		// ∂L/∂x = dy·W.
		gemm(false, matrix{batch, d.out, dy}, false, matrix{d.out, d.in, d.weight}, 0, matrix{batch, d.in, dx})
	}
}

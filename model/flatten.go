package model

// Flatten reshapes each C×H×W sample to a vector of C·H·W values, in the
// order C, H, W that PyTorch's Flatten uses. The NCHW layout already stores a
// sample in that order, so forward passes its input through without copying.
type Flatten struct {
	bound bool
}

var _ Layer = (*Flatten)(nil)

// NewFlatten returns a Flatten layer.
func NewFlatten() *Flatten {
	return &Flatten{}
}

// OutShape returns (C·H·W)×1×1.
func (f *Flatten) OutShape(in Shape) (Shape, error) {
	return Shape{C: in.Size(), H: 1, W: 1}, nil
}

// FLOPs returns 0.
func (f *Flatten) FLOPs(Shape) int {
	return 0
}

// Params returns no parameters.
func (f *Flatten) Params() []Param {
	return nil
}

func (f *Flatten) String() string {
	return "Flatten"
}

func (f *Flatten) tensors() []tensor {
	return nil
}

func (f *Flatten) bind(Shape, *workspace) {
	if f.bound {
		panic("model: layer Flatten already belongs to a network")
	}
	f.bound = true
}

func (f *Flatten) clone() Layer {
	return NewFlatten()
}

func (f *Flatten) forward(x []float32, _ int) []float32 {
	return x
}

func (f *Flatten) backward(dx, dy []float32, _ bool) {
	if dx != nil {
		copy(dx, dy)
	}
}

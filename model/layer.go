package model

import (
	"math"
	"math/rand/v2"
)

// Layer is one stage of a Network. A layer maps a batch of samples of its
// input shape, stored back to back in NCHW order, to a batch of its output
// shape in the same layout.
//
// Layers are built by NewDense, NewConv2D, NewSwish, NewLeakyReLU and
// NewFlatten and then handed to NewNetwork, which runs them. A layer belongs
// to at most one network. The interface has unexported methods, so only the
// layer types of this package implement it.
type Layer interface {
	// OutShape returns the per-sample output shape for the per-sample input
	// shape in, or an error that names the mismatch.
	OutShape(in Shape) (Shape, error)

	// FLOPs returns 2 × the multiply-adds of the forward pass of one sample
	// of shape in. Bias additions and activations count as zero, as in
	// PyTorch's profiler counts.
	FLOPs(in Shape) int

	// Params returns the layer's parameter tensors, named "weight" and
	// "bias", or none. Once the layer is in a network the slices alias the
	// network's storage.
	Params() []Param

	// String describes the layer and its configuration.
	String() string

	// bind prepares the layer for inputs of shape in, which OutShape has
	// accepted, with ws as the scratch space it shares with the other
	// layers of its network.
	bind(in Shape, ws *workspace)

	// forward computes the outputs for the batch of inputs in x and returns
	// them in a buffer that the layer owns until its next forward. The
	// layer may keep x until its next forward, for backward.
	forward(x []float32, batch int) []float32

	// backward takes dy, ∂L/∂y for the outputs of the last forward, and
	// writes ∂L/∂x into dx unless dx is nil. If params is true it also
	// overwrites the parameter gradients; otherwise it leaves them alone.
	backward(dx, dy []float32, params bool)

	// tensors lists the parameter tensors for NewNetwork.
	tensors() []tensor

	// clone returns an unbound copy of the layer with copied parameters.
	clone() Layer
}

// workspace is the scratch space that the layers of one network share: each
// buffer holds intermediate values only during one forward or backward call
// of one layer, and grows to the largest size any layer requests.
type workspace struct {
	trans  []float32 // a layer's output or output gradient in a transposed layout
	dcol   []float32 // the input gradient of a convolution in im2col layout
	padded []float32 // the input gradient of a convolution in padded planes
}

// initUniform fills dst with values drawn from U(-bound, bound) by rng, or
// with zeros if rng is nil.
func initUniform(dst []float32, bound float64, rng *rand.Rand) {
	if rng == nil {
		clear(dst)
		return
	}
	for i := range dst {
		dst[i] = float32(bound * (2*rng.Float64() - 1))
	}
}

// kaimingBound returns 1/√fanIn, the bound of PyTorch's default initialisation
// of Linear and Conv2d weights and biases: Kaiming-uniform with a = √5 gives
// gain √(2/(1+5)) and bound gain·√(3/fanIn) = 1/√fanIn.
func kaimingBound(fanIn int) float64 {
	return 1 / math.Sqrt(float64(fanIn))
}

package model

import (
	"fmt"
	"slices"
	"strconv"

	// The backend registers the BLAS implementation that serves blas32.
	_ "github.com/ebmlab/ebmlab/model/backend"
)

// Network is an energy network: a stack of layers that maps each sample of
// its input shape to one scalar energy. A Network is not safe for concurrent
// use; give each goroutine its own Clone.
type Network struct {
	name   string
	in     Shape
	layers []Layer
	shapes []Shape // shapes[i] is the per-sample input shape of layers[i]
	flops  int

	params []Param
	values []float32 // all parameter values, in the order of params
	grads  []float32 // all parameter gradients, in the same order

	ws    workspace
	batch int // batch size of the last Forward, 0 before the first

	// gradBufs alternate as the output and input gradient of the hidden
	// layers during Backward.
	gradBufs [2][]float32
	ones     []float32
	chunk    int // inputs per chunk of InputGrad, set on first use
}

// NewNetwork builds a network called name from layers, applied in order to
// inputs of per-sample shape in. The parameter values that the layers hold
// are moved into the network's contiguous storage. Parameters are named by
// the layer kind and its rank among layers of that kind, such as
// "conv2.weight" or "dense1.bias".
//
// NewNetwork panics if a layer does not accept the shape that the previous
// one produces, if the last layer does not produce one value per sample, or
// if a layer already belongs to a network.
func NewNetwork(name string, in Shape, layers ...Layer) *Network {
	if len(layers) == 0 {
		panic("model: network " + name + " has no layers")
	}
	if in.C < 1 || in.H < 1 || in.W < 1 {
		panic(fmt.Sprintf("model: network %s has empty input shape %v", name, in))
	}
	n := &Network{
		name:   name,
		in:     in,
		layers: slices.Clone(layers),
		shapes: make([]Shape, len(layers)+1),
	}

	n.shapes[0] = in
	for i, l := range layers {
		out, err := l.OutShape(n.shapes[i])
		if err != nil {
			panic(fmt.Sprintf("model: network %s, layer %d (%v): %v", name, i, l, err))
		}
		n.shapes[i+1] = out
		n.flops += l.FLOPs(n.shapes[i])
	}
	if out := n.shapes[len(layers)]; out.Size() != 1 {
		panic(fmt.Sprintf("model: network %s produces %v values per sample, want 1 energy", name, out))
	}
	for i, l := range layers {
		l.bind(n.shapes[i], &n.ws)
	}

	n.collectParams()
	return n
}

// collectParams moves every layer's parameters into n.values and n.grads and
// names them.
func (n *Network) collectParams() {
	var total int
	for _, l := range n.layers {
		for _, t := range l.tensors() {
			total += len(*t.value)
		}
	}
	n.values = make([]float32, total)
	n.grads = make([]float32, total)

	ranks := map[string]int{}
	offset := 0
	for _, l := range n.layers {
		tensors := l.tensors()
		if len(tensors) == 0 {
			continue
		}
		kind := layerKind(l)
		ranks[kind]++
		prefix := kind + strconv.Itoa(ranks[kind]) + "."
		for _, t := range tensors {
			size := len(*t.value)
			value := n.values[offset : offset+size : offset+size]
			grad := n.grads[offset : offset+size : offset+size]
			copy(value, *t.value)
			*t.value, *t.grad = value, grad
			offset += size
			n.params = append(n.params, Param{Name: prefix + t.name, Shape: t.shape, Value: value, Grad: grad})
		}
	}
}

// layerKind returns the prefix of the parameter names of l.
func layerKind(l Layer) string {
	switch l.(type) {
	case *Conv2D:
		return "conv"
	case *Dense:
		return "dense"
	}
	return "layer"
}

// Preset returns the name the network was built with.
func (n *Network) Preset() string {
	return n.name
}

// InShape returns the shape of one input sample.
func (n *Network) InShape() Shape {
	return n.in
}

// Layers returns the network's layers in order. The layers are the
// network's own; use them to inspect, not to run.
func (n *Network) Layers() []Layer {
	return slices.Clone(n.layers)
}

// FLOPsPerSample returns 2 × the multiply-adds of the convolution and dense
// layers in the forward pass of one sample.
func (n *Network) FLOPsPerSample() int {
	return n.flops
}

// Params returns the network's parameter tensors in layer order. Value and
// Grad alias the network's storage, so writes through them change the
// network.
func (n *Network) Params() []Param {
	return slices.Clone(n.params)
}

// NumParams returns the total number of parameter values.
func (n *Network) NumParams() int {
	return len(n.values)
}

// Clone returns a network with the same layers and a copy of the parameters,
// with its own workspaces.
func (n *Network) Clone() *Network {
	layers := make([]Layer, len(n.layers))
	for i, l := range n.layers {
		layers[i] = l.clone()
	}
	return NewNetwork(n.name, n.in, layers...)
}

// CopyParamsFrom copies the parameter values of src into n. It panics unless
// src has the same name and parameter shapes as n.
func (n *Network) CopyParamsFrom(src *Network) {
	if src.name != n.name {
		panic(fmt.Sprintf("model: cannot copy parameters of network %s into network %s", src.name, n.name))
	}
	if len(src.params) != len(n.params) {
		panic(fmt.Sprintf("model: network %s has %d parameter tensors, the source has %d", n.name, len(n.params), len(src.params)))
	}
	for i, p := range n.params {
		if !slices.Equal(p.Shape, src.params[i].Shape) {
			panic(fmt.Sprintf("model: parameter %s has shape %v, the source has %v", p.Name, p.Shape, src.params[i].Shape))
		}
	}
	copy(n.values, src.values)
}

// Forward computes the energies of the batch inputs in x (len(x) ==
// batch*InShape().Size()) and keeps what Backward needs. The returned slice
// is owned by the network and valid until the next Forward. x must not
// change before the Backward that follows, because some layers read it
// there.
func (n *Network) Forward(x []float32, batch int) []float32 {
	if batch < 1 {
		panic(fmt.Sprintf("model: batch size %d must be positive", batch))
	}
	if len(x) != batch*n.in.Size() {
		panic(fmt.Sprintf("model: input length %d, want batch %d × %d", len(x), batch, n.in.Size()))
	}
	n.batch = batch

	for _, l := range n.layers {
		x = l.forward(x, batch)
	}
	return x[:batch]
}

// Backward back-propagates dE (len batch: ∂L/∂E_i for each input of the
// last Forward). If dx != nil it receives ∂L/∂x (same layout as x). If
// params is true the parameter gradients are written (overwritten, not
// accumulated) into each Param.Grad; if false no parameter-gradient work is
// done at all. Backward may be called more than once after one Forward.
func (n *Network) Backward(dE, dx []float32, params bool) {
	if n.batch == 0 {
		panic("model: Backward called before Forward")
	}
	if len(dE) != n.batch {
		panic(fmt.Sprintf("model: energy gradient length %d, want the batch size %d", len(dE), n.batch))
	}
	if dx != nil && len(dx) != n.batch*n.in.Size() {
		panic(fmt.Sprintf("model: input gradient length %d, want batch %d × %d", len(dx), n.batch, n.in.Size()))
	}
	if dx == nil && !params {
		return
	}

	// Layer i reads its output gradient from gradBufs[(i+1)%2] and writes
	// its input gradient to gradBufs[i%2], except at the two ends.
	var largest int
	for _, s := range n.shapes[1:len(n.layers)] {
		largest = max(largest, s.Size())
	}
	for i := range n.gradBufs {
		n.gradBufs[i] = grow(n.gradBufs[i], n.batch*largest)
	}

	dy := dE
	for i := len(n.layers) - 1; i >= 0; i-- {
		in := dx
		if i > 0 {
			in = n.gradBufs[i%2][:n.batch*n.shapes[i].Size()]
		}
		n.layers[i].backward(in, dy, params)
		dy = in
	}
}

// InputGrad writes E(x_i) into e[i] and ∂E/∂x into dx for the len(e) inputs
// in x, with no parameter-gradient work. It allocates nothing once it has
// run at a batch size at least as large.
//
// InputGrad runs the batch through the network in chunks of ChunkSamples
// inputs, a forward and a backward pass per chunk, so that each chunk's
// activations and im2col matrices stay in the processor's cache between the
// two passes. Every input's energy and gradient are computed as in a batch of
// its own chunk's size. A Backward after InputGrad uses the state of the last
// chunk only.
func (n *Network) InputGrad(e, dx, x []float32) {
	batch := len(e)
	if len(dx) != len(x) {
		panic(fmt.Sprintf("model: input gradient length %d, want the input length %d", len(dx), len(x)))
	}
	if len(x) != batch*n.in.Size() {
		panic(fmt.Sprintf("model: input length %d, want batch %d × %d", len(x), batch, n.in.Size()))
	}

	chunk := n.ChunkSamples()
	n.ones = grow(n.ones, min(chunk, batch))
	for i := range n.ones {
		n.ones[i] = 1
	}
	size := n.in.Size()
	for lo := 0; lo < batch; lo += chunk {
		hi := min(lo+chunk, batch)
		copy(e[lo:hi], n.Forward(x[lo*size:hi*size], hi-lo))
		n.Backward(n.ones[:hi-lo], dx[lo*size:hi*size], false)
	}
}

// chunkBytes is the memory that one chunk of InputGrad may touch: the
// inputs, outputs and im2col matrices of all layers. It is a quarter of
// the 2 MiB L2 cache per core of AMD Zen 4.
//
// NOTE: measured on one AMD EPYC (Zen 4) only, in CPU time per InputGrad
// of a batch of 128. There, mnist-cnn chunks of 1 to 12 samples took 20–30%
// less than the whole batch at once, and 2 (what this gives) was among the
// fastest. Processors with a smaller L2 may want smaller chunks.
const chunkBytes = 1 << 19

// maxChunkSamples bounds the chunks of InputGrad and Energy, so that the
// layers' buffers, which grow to the largest batch they see, stay small
// when a caller evaluates a whole data set in one call.
const maxChunkSamples = 1024

// ChunkSamples returns how many inputs InputGrad and Energy pass through the
// network at once: as many as fit in chunkBytes, at least one, for networks
// with a convolution. Networks of dense layers alone run maxChunkSamples at
// once, because their matrix products lose more speed on short batches than
// the cache saves: mlp-2d took 13% more CPU time in chunks of 170 than whole
// at 1024.
func (n *Network) ChunkSamples() int {
	if n.chunk > 0 {
		return n.chunk
	}
	var values int
	convolutions := false
	for i, l := range n.layers {
		values += n.shapes[i].Size() + n.shapes[i+1].Size()
		if c, ok := l.(*Conv2D); ok {
			values += c.patch * c.outH * c.outW
			convolutions = true
		}
	}
	n.chunk = maxChunkSamples
	if convolutions {
		n.chunk = min(max(1, chunkBytes/(4*values)), maxChunkSamples)
	}
	return n.chunk
}

// Energy writes E(x_i) into e[i] for the len(e) inputs in x (forward only).
// Like InputGrad, it runs chunks of ChunkSamples inputs.
func (n *Network) Energy(e, x []float32) {
	batch, size := len(e), n.in.Size()
	if len(x) != batch*size {
		panic(fmt.Sprintf("model: input length %d, want batch %d × %d", len(x), batch, size))
	}
	chunk := n.ChunkSamples()
	for lo := 0; lo < batch; lo += chunk {
		hi := min(lo+chunk, batch)
		copy(e[lo:hi], n.Forward(x[lo*size:hi*size], hi-lo))
	}
}

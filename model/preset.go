package model

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// preset describes one named architecture.
type preset struct {
	name  string
	in    Shape
	build func(rng *rand.Rand) []Layer
}

// presets lists the architectures that NewPreset builds, in the order of
// PresetNames.
var presets = []preset{
	{name: "mnist-cnn", in: Shape{C: 1, H: 28, W: 28}, build: mnistCNN},
	{name: "mlp-2d", in: Shape{C: 2, H: 1, W: 1}, build: mlp2D},
	{name: "cifar-cnn", in: Shape{C: 3, H: 32, W: 32}, build: cifarCNN},
}

// PresetNames returns the names that NewPreset accepts.
func PresetNames() []string {
	names := make([]string, len(presets))
	for i, p := range presets {
		names[i] = p.name
	}
	return names
}

// PresetInShape returns the input shape of the named preset.
func PresetInShape(name string) (Shape, error) {
	p, err := findPreset(name)
	if err != nil {
		return Shape{}, err
	}
	return p.in, nil
}

// NewPreset builds the named network with freshly initialised weights
// (PyTorch-style Kaiming-uniform default init: weights and biases
// U(-1/sqrt(fanIn), 1/sqrt(fanIn))). Unknown names return an error that
// names the value and lists PresetNames().
func NewPreset(name string, rng *rand.Rand) (*Network, error) {
	p, err := findPreset(name)
	if err != nil {
		return nil, err
	}
	return NewNetwork(p.name, p.in, p.build(rng)...), nil
}

func findPreset(name string) (preset, error) {
	for _, p := range presets {
		if p.name == name {
			return p, nil
		}
	}
	return preset{}, fmt.Errorf("unknown network preset %q: use one of %s", name, strings.Join(PresetNames(), ", "))
}

// conv returns a square convolution with the same kernel, stride and padding
// along both axes.
func conv(in, out, kernel, stride, pad int, rng *rand.Rand) *Conv2D {
	return NewConv2D(Conv2DConfig{
		In: in, Out: out,
		KernelH: kernel, KernelW: kernel,
		StrideH: stride, StrideW: stride,
		PadH: pad, PadW: pad,
	}, rng)
}

// mnistCNN is the energy network for 1×28×28 images in [-1, 1]: four
// stride-2 convolutions to 64×2×2, then two dense layers, 1 712 256 FLOPs per
// sample.
func mnistCNN(rng *rand.Rand) []Layer {
	return []Layer{
		conv(1, 16, 5, 2, 4, rng), NewSwish(), // 16×16×16
		conv(16, 32, 3, 2, 1, rng), NewSwish(), // 32×8×8
		conv(32, 64, 3, 2, 1, rng), NewSwish(), // 64×4×4
		conv(64, 64, 3, 2, 1, rng), NewSwish(), // 64×2×2
		NewFlatten(),
		NewDense(256, 64, rng), NewSwish(),
		NewDense(64, 1, rng),
	}
}

// mlp2D is a multilayer perceptron for 2-D points, 66 304 FLOPs per sample.
func mlp2D(rng *rand.Rand) []Layer {
	return []Layer{
		NewDense(2, 128, rng), NewSwish(),
		NewDense(128, 128, rng), NewSwish(),
		NewDense(128, 128, rng), NewSwish(),
		NewDense(128, 1, rng),
	}
}

// cifarCNN is a network in the style of mnistCNN for 3×32×32 colour images
// in [-1, 1]: one stride-1 convolution, three stride-2 convolutions to
// 128×4×4, then two dense layers, 25 886 976 FLOPs per sample.
func cifarCNN(rng *rand.Rand) []Layer {
	return []Layer{
		conv(3, 32, 3, 1, 1, rng), NewSwish(), // 32×32×32
		conv(32, 64, 3, 2, 1, rng), NewSwish(), // 64×16×16
		conv(64, 128, 3, 2, 1, rng), NewSwish(), // 128×8×8
		conv(128, 128, 3, 2, 1, rng), NewSwish(), // 128×4×4
		NewFlatten(),
		NewDense(2048, 128, rng), NewSwish(),
		NewDense(128, 1, rng),
	}
}

package model

import (
	"math/rand/v2"
	"testing"
)

// benchLayer binds l to inputs of shape in, runs one forward pass on a
// random batch and returns the input and the output gradient to time with.
func benchLayer(b *testing.B, l Layer, in Shape, batch int) (x, dy []float32) {
	b.Helper()
	out, err := l.OutShape(in)
	if err != nil {
		b.Fatal(err)
	}
	l.bind(in, &workspace{})
	rng := rand.New(rand.NewPCG(1, 2))
	x = randomSlice(rng, batch*in.Size(), -1, 1)
	dy = randomSlice(rng, batch*out.Size(), -1, 1)
	l.forward(x, batch)
	return x, dy
}

// benchLayers are the layers of the mnist-cnn preset at the shapes they see
// there, run at batch 128.
var benchLayers = []struct {
	name  string
	layer func() Layer
	in    Shape
}{
	{"conv1", func() Layer { return conv(1, 16, 5, 2, 4, nil) }, Shape{1, 28, 28}},
	{"conv2", func() Layer { return conv(16, 32, 3, 2, 1, nil) }, Shape{16, 16, 16}},
	{"conv3", func() Layer { return conv(32, 64, 3, 2, 1, nil) }, Shape{32, 8, 8}},
	{"conv4", func() Layer { return conv(64, 64, 3, 2, 1, nil) }, Shape{64, 4, 4}},
	{"dense256-64", func() Layer { return NewDense(256, 64, nil) }, Shape{256, 1, 1}},
	{"swish16x16x16", func() Layer { return NewSwish() }, Shape{16, 16, 16}},
	{"leakyrelu16x16x16", func() Layer { return NewLeakyReLU(0.2) }, Shape{16, 16, 16}},
	{"flatten64x2x2", func() Layer { return NewFlatten() }, Shape{64, 2, 2}},
}

const benchBatch = 128

func BenchmarkLayerForward(b *testing.B) {
	for _, bl := range benchLayers {
		b.Run(bl.name, func(b *testing.B) {
			l := bl.layer()
			x, _ := benchLayer(b, l, bl.in, benchBatch)
			b.ReportAllocs()
			for b.Loop() {
				l.forward(x, benchBatch)
			}
		})
	}
}

// BenchmarkLayerBackward times the input gradient alone, as Langevin
// sampling needs it, and with the parameter gradients, as training does.
func BenchmarkLayerBackward(b *testing.B) {
	for _, bl := range benchLayers {
		for _, params := range []bool{false, true} {
			name := bl.name + "/input"
			if params {
				name += "+params"
			}
			b.Run(name, func(b *testing.B) {
				l := bl.layer()
				x, dy := benchLayer(b, l, bl.in, benchBatch)
				dx := make([]float32, len(x))
				l.backward(dx, dy, params)
				b.ReportAllocs()
				for b.Loop() {
					l.backward(dx, dy, params)
				}
			})
		}
	}
}

// benchInputGrad times InputGrad, one Langevin step's gradient, and reports
// sample-steps/s: inputs whose energy gradient is computed per second.
func benchInputGrad(b *testing.B, preset string, batch int) {
	n, err := NewPreset(preset, rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		b.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(2, 2))
	x := randomSlice(rng, batch*n.InShape().Size(), -1, 1)
	e := make([]float32, batch)
	dx := make([]float32, len(x))
	n.InputGrad(e, dx, x)

	b.ReportAllocs()
	for b.Loop() {
		n.InputGrad(e, dx, x)
	}
	b.ReportMetric(float64(batch)*float64(b.N)/b.Elapsed().Seconds(), "sample-steps/s")
}

func BenchmarkInputGradMNIST128(b *testing.B) { benchInputGrad(b, "mnist-cnn", 128) }
func BenchmarkInputGradMLP1024(b *testing.B)  { benchInputGrad(b, "mlp-2d", 1024) }
func BenchmarkInputGradCIFAR128(b *testing.B) { benchInputGrad(b, "cifar-cnn", 128) }

// BenchmarkTrainStepMNIST128 times the network part of one training step:
// Forward and Backward with parameter gradients for a batch of 128.
func BenchmarkTrainStepMNIST128(b *testing.B) {
	n, err := NewPreset("mnist-cnn", rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		b.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(3, 3))
	x := randomSlice(rng, benchBatch*n.InShape().Size(), -1, 1)
	dE := randomSlice(rng, benchBatch, -1, 1)
	n.Forward(x, benchBatch)
	n.Backward(dE, nil, true)

	b.ReportAllocs()
	for b.Loop() {
		n.Forward(x, benchBatch)
		n.Backward(dE, nil, true)
	}
	b.ReportMetric(float64(benchBatch)*float64(b.N)/b.Elapsed().Seconds(), "samples/s")
}

package model

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

// layerCase is a layer, the per-sample shape and batch size to run it at,
// and a generator of inputs.
type layerCase struct {
	name  string
	layer func(rng *rand.Rand) Layer
	in    Shape
	batch int
	input func(rng *rand.Rand, n int) []float32
}

func uniformInput(rng *rand.Rand, n int) []float32 {
	return randomSlice(rng, n, -1, 1)
}

func wideInput(rng *rand.Rand, n int) []float32 {
	return randomSlice(rng, n, -5, 5)
}

func convLayer(cfg Conv2DConfig) func(rng *rand.Rand) Layer {
	return func(rng *rand.Rand) Layer { return NewConv2D(cfg, rng) }
}

var layerCases = []layerCase{
	{"dense 3→4", func(rng *rand.Rand) Layer { return NewDense(3, 4, rng) }, Shape{3, 1, 1}, 5, uniformInput},
	{"dense 1→1", func(rng *rand.Rand) Layer { return NewDense(1, 1, rng) }, Shape{1, 1, 1}, 2, uniformInput},
	{"dense 20→7", func(rng *rand.Rand) Layer { return NewDense(20, 7, rng) }, Shape{20, 1, 1}, 3, uniformInput},
	{"conv k2 s1 p0", convLayer(Conv2DConfig{In: 1, Out: 2, KernelH: 2, KernelW: 2, StrideH: 1, StrideW: 1}), Shape{1, 3, 3}, 2, uniformInput},
	{"conv k3 s2 p1", convLayer(Conv2DConfig{In: 3, Out: 4, KernelH: 3, KernelW: 3, StrideH: 2, StrideW: 2, PadH: 1, PadW: 1}), Shape{3, 6, 6}, 3, uniformInput},
	{"conv k5 s2 p4", convLayer(Conv2DConfig{In: 1, Out: 3, KernelH: 5, KernelW: 5, StrideH: 2, StrideW: 2, PadH: 4, PadW: 4}), Shape{1, 9, 8}, 2, uniformInput},
	{"conv k3×2 s2×1 p1×0 on 5×7", convLayer(Conv2DConfig{In: 2, Out: 3, KernelH: 3, KernelW: 2, StrideH: 2, StrideW: 1, PadH: 1}), Shape{2, 5, 7}, 3, uniformInput},
	{"conv k1×4 s1×3 p0×2 on 4×9", convLayer(Conv2DConfig{In: 2, Out: 2, KernelH: 1, KernelW: 4, StrideH: 1, StrideW: 3, PadW: 2}), Shape{2, 4, 9}, 2, uniformInput},
	{"conv k4 s3 p3 on 7×5", convLayer(Conv2DConfig{In: 1, Out: 2, KernelH: 4, KernelW: 4, StrideH: 3, StrideW: 3, PadH: 3, PadW: 3}), Shape{1, 7, 5}, 2, uniformInput},
	{"conv k1 pointwise", convLayer(Conv2DConfig{In: 4, Out: 3, KernelH: 1, KernelW: 1, StrideH: 1, StrideW: 1}), Shape{4, 3, 2}, 2, uniformInput},
	{"conv kernel covers input", convLayer(Conv2DConfig{In: 2, Out: 5, KernelH: 4, KernelW: 3, StrideH: 1, StrideW: 1}), Shape{2, 4, 3}, 3, uniformInput},
	{"swish", func(*rand.Rand) Layer { return NewSwish() }, Shape{2, 3, 4}, 2, wideInput},
	{"leaky relu 0.01", func(*rand.Rand) Layer { return NewLeakyReLU(0.01) }, Shape{3, 2, 2}, 2, awayFromZero},
	{"leaky relu 0.2", func(*rand.Rand) Layer { return NewLeakyReLU(0.2) }, Shape{5, 1, 1}, 3, awayFromZero},
	{"leaky relu 0", func(*rand.Rand) Layer { return NewLeakyReLU(0) }, Shape{1, 2, 3}, 2, awayFromZero},
	{"flatten", func(*rand.Rand) Layer { return NewFlatten() }, Shape{3, 2, 2}, 2, uniformInput},
}

// TestLayerGradients checks every layer's input and parameter gradients
// against central differences of L = Σ r_i·y_i for random r.
func TestLayerGradients(t *testing.T) {
	for i, tc := range layerCases {
		t.Run(tc.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(uint64(i), 11))
			l := tc.layer(rng)
			out, err := l.OutShape(tc.in)
			if err != nil {
				t.Fatalf("OutShape(%v): %v", tc.in, err)
			}
			l.bind(tc.in, &workspace{})

			x := tc.input(rng, tc.batch*tc.in.Size())
			r := randomSlice(rng, tc.batch*out.Size(), -1, 1)
			loss := linearLoss{r: r, outputs: func() []float32 { return l.forward(x, tc.batch) }}

			y := l.forward(x, tc.batch)
			if len(y) != len(r) {
				t.Fatalf("forward returned %d values, want %d", len(y), len(r))
			}
			dx := make([]float32, len(x))
			l.backward(dx, r, true)

			if msg := gradProblem(rng, "∂L/∂x", loss, x, dx, 200); msg != "" {
				t.Error(msg)
			}
			for _, p := range l.Params() {
				if msg := gradProblem(rng, p.Name, loss, p.Value, p.Grad, 200); msg != "" {
					t.Error(msg)
				}
			}
		})
	}
}

func TestConv2DForwardByHand(t *testing.T) {
	// The input is the 3×3 image 1 … 9 in row-major order and the kernel
	// is [[1 2] [3 4]], with bias 0.5.
	input := []float32{1, 2, 3, 4, 5, 6, 7, 8, 9}
	tests := []struct {
		name   string
		stride int
		pad    int
		want   []float32
	}{
		// Each output is the kernel-weighted sum of the 2×2 window under it.
		{"stride 1 no padding", 1, 0, []float32{37.5, 47.5, 67.5, 77.5}},
		// With a zero border the windows start at (-1, -1) and step by 2.
		// The first covers only input 1, under weight 4, the second 2 and
		// 3 under 3 and 4, the third 4 and 7 under 2 and 4.
		{"stride 2 padding 1", 2, 1, []float32{4.5, 18.5, 36.5, 77.5}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := NewConv2D(Conv2DConfig{In: 1, Out: 1, KernelH: 2, KernelW: 2, StrideH: tc.stride, StrideW: tc.stride, PadH: tc.pad, PadW: tc.pad}, nil)
			copy(c.weight, []float32{1, 2, 3, 4})
			c.bias[0] = 0.5
			c.bind(Shape{1, 3, 3}, &workspace{})

			got := c.forward(input, 1)
			for i, w := range tc.want {
				if got[i] != w {
					t.Errorf("output %d = %g, want %g", i, got[i], w)
				}
			}
		})
	}
}

// TestConv2DOutputLayout checks that the output is NCHW for a batch of two
// samples and two output channels: the second channel's kernel sums its
// window, the first picks the window's top-left value.
func TestConv2DOutputLayout(t *testing.T) {
	c := NewConv2D(Conv2DConfig{In: 1, Out: 2, KernelH: 2, KernelW: 1, StrideH: 1, StrideW: 1}, nil)
	copy(c.weight, []float32{1, 0, 1, 1})
	c.bind(Shape{1, 3, 2}, &workspace{})

	// Sample 0 is 1 … 6, sample 1 is 10 … 60, each 3 rows of 2.
	x := []float32{1, 2, 3, 4, 5, 6, 10, 20, 30, 40, 50, 60}
	got := c.forward(x, 2)
	want := []float32{
		1, 2, 3, 4, // sample 0, channel 0: rows 0 and 1
		4, 6, 8, 10, // sample 0, channel 1: row pairs summed
		10, 20, 30, 40,
		40, 60, 80, 100,
	}
	for i, w := range want {
		if got[i] != w {
			t.Errorf("output %d = %g, want %g", i, got[i], w)
		}
	}
}

func TestDenseForwardByHand(t *testing.T) {
	d := NewDense(2, 3, nil)
	copy(d.weight, []float32{1, 2, -1, 0, 0.5, 3})
	copy(d.bias, []float32{0, 1, -2})
	d.bind(Shape{2, 1, 1}, &workspace{})

	got := d.forward([]float32{1, 1, 2, -4}, 2)
	// Row j of W dotted with each input, plus b_j.
	want := []float32{3, 0, 1.5, -6, -1, -13}
	for i, w := range want {
		if got[i] != w {
			t.Errorf("output %d = %g, want %g", i, got[i], w)
		}
	}
}

func TestFlattenKeepsOrder(t *testing.T) {
	f := NewFlatten()
	out, err := f.OutShape(Shape{2, 3, 4})
	if err != nil {
		t.Fatal(err)
	}
	if out != (Shape{24, 1, 1}) {
		t.Errorf("OutShape(2×3×4) = %v, want 24×1×1", out)
	}
	x := randomSlice(rand.New(rand.NewPCG(1, 1)), 48, -1, 1)
	f.bind(Shape{2, 3, 4}, &workspace{})
	y := f.forward(x, 2)
	for i := range x {
		if y[i] != x[i] {
			t.Fatalf("flattened value %d = %g, want input value %g", i, y[i], x[i])
		}
	}
}

func TestLayerOutShapeErrors(t *testing.T) {
	conv := NewConv2D(Conv2DConfig{In: 3, Out: 4, KernelH: 5, KernelW: 5, StrideH: 1, StrideW: 1, PadH: 1, PadW: 1}, nil)
	tests := []struct {
		name  string
		layer Layer
		in    Shape
		want  string
	}{
		{"dense wrong size", NewDense(4, 2, nil), Shape{3, 1, 1}, "expects input 4×1×1"},
		{"dense unflattened", NewDense(4, 2, nil), Shape{1, 2, 2}, "put a Flatten layer before it"},
		{"conv wrong channels", conv, Shape{1, 8, 8}, "expects 3 input channels"},
		{"conv kernel too large", conv, Shape{3, 2, 8}, "larger than input"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := tc.layer.OutShape(tc.in)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("OutShape(%v) error = %v, want one containing %q", tc.in, err, tc.want)
			}
		})
	}
}

func TestNewConv2DPanicsOnBadConfig(t *testing.T) {
	tests := []Conv2DConfig{
		{In: 0, Out: 1, KernelH: 1, KernelW: 1, StrideH: 1, StrideW: 1},
		{In: 1, Out: 1, KernelH: 1, KernelW: 1, StrideH: 0, StrideW: 1},
		{In: 1, Out: 1, KernelH: 1, KernelW: 0, StrideH: 1, StrideW: 1},
		{In: 1, Out: 1, KernelH: 1, KernelW: 1, StrideH: 1, StrideW: 1, PadW: -1},
	}
	for _, cfg := range tests {
		func() {
			defer func() {
				r := recover()
				if msg, ok := r.(string); !ok || !strings.HasPrefix(msg, "model: ") {
					t.Errorf("NewConv2D(%+v) recovered %v, want a model: panic", cfg, r)
				}
			}()
			NewConv2D(cfg, nil)
		}()
	}
}

// TestLeakyReLUAtZero checks the values and gradients on both sides of the
// kink and at ±0, where PyTorch uses the slope.
func TestLeakyReLUAtZero(t *testing.T) {
	l := NewLeakyReLU(0.1)
	l.bind(Shape{5, 1, 1}, &workspace{})
	negZero := float32(math.Copysign(0, -1))
	x := []float32{2, -3, 0, negZero, 1e-30}

	y := l.forward(x, 1)
	wantY := []float32{2, -0.3, 0, 0, 1e-30}
	for i, w := range wantY {
		if !closeFloat32(y[i], w, 1e-7) {
			t.Errorf("y(%g) = %g, want %g", x[i], y[i], w)
		}
	}

	dx := make([]float32, len(x))
	l.backward(dx, []float32{1, 1, 1, 1, 1}, false)
	wantDx := []float32{1, 0.1, 0.1, 0.1, 1}
	for i, w := range wantDx {
		if dx[i] != w {
			t.Errorf("dy/dx at %g = %g, want %g", x[i], dx[i], w)
		}
	}
}

func TestExp32Accuracy(t *testing.T) {
	// Relative error within 4 float32 ulps (2^-23 each) of the float64 value.
	const tol = 4.0 / (1 << 23)
	for x := -87.0; x <= 87; x += 0.0137 {
		got := float64(exp32(float32(x)))
		want := math.Exp(float64(float32(x)))
		if rel := math.Abs(got-want) / want; rel > tol {
			t.Fatalf("exp32(%g) = %g, want %g (relative error %.2g)", x, got, want, rel)
		}
	}
}

func TestSigmoid32(t *testing.T) {
	tests := []struct {
		x, want float64
	}{
		{0, 0.5},
		{1, 1 / (1 + math.Exp(-1))},
		{-3, 1 / (1 + math.Exp(3))},
		{20, 1 / (1 + math.Exp(-20))},
		{-90, 0},
		{100, 1},
	}
	for _, tc := range tests {
		got := float64(sigmoid32(float32(tc.x)))
		if math.Abs(got-tc.want) > 1e-7*math.Max(tc.want, 1e-30)+1e-37 {
			t.Errorf("sigmoid32(%g) = %g, want %g", tc.x, got, tc.want)
		}
	}
}

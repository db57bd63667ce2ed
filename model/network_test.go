package model

import (
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/ebmlab/ebmlab/model/backend"
)

func newPreset(t testing.TB, name string, seed uint64) *Network {
	t.Helper()
	n, err := NewPreset(name, rand.New(rand.NewPCG(seed, 1)))
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestPresetGradients checks each preset's input and parameter gradients
// against central differences of L = Σ r_i·E(x_i) for random r.
func TestPresetGradients(t *testing.T) {
	tests := []struct {
		preset string
		batch  int
		limit  int // coordinates checked one by one per tensor
	}{
		{"mlp-2d", 5, 20},
		{"mnist-cnn", 3, 16},
		{"cifar-cnn", 2, 8},
	}
	for i, tc := range tests {
		t.Run(tc.preset, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(uint64(i), 21))
			n := newPreset(t, tc.preset, uint64(i))
			x := randomSlice(rng, tc.batch*n.InShape().Size(), -1, 1)
			r := randomSlice(rng, tc.batch, -1, 1)
			loss := linearLoss{r: r, outputs: func() []float32 { return n.Forward(x, tc.batch) }}

			n.Forward(x, tc.batch)
			dx := make([]float32, len(x))
			n.Backward(r, dx, true)
			grads := make([][]float32, len(n.Params()))
			for j, p := range n.Params() {
				grads[j] = slices.Clone(p.Grad)
			}

			if msg := gradProblem(rng, "∂L/∂x", loss, x, dx, 2*tc.limit); msg != "" {
				t.Error(msg)
			}
			for j, p := range n.Params() {
				if msg := gradProblem(rng, p.Name, loss, p.Value, grads[j], tc.limit); msg != "" {
					t.Error(msg)
				}
			}
		})
	}
}

// TestInputGradMatchesBackward checks InputGrad against Forward followed by
// Backward with ∂L/∂E = 1.
func TestInputGradMatchesBackward(t *testing.T) {
	for i, name := range PresetNames() {
		t.Run(name, func(t *testing.T) {
			// A batch of 9 spans several chunks of the image presets.
			const batch = 9
			rng := rand.New(rand.NewPCG(uint64(i), 31))
			n := newPreset(t, name, 5)
			size := n.InShape().Size()
			x := randomSlice(rng, batch*size, -1, 1)

			e := make([]float32, batch)
			dx := make([]float32, len(x))
			n.InputGrad(e, dx, x)

			// InputGrad runs chunks of ChunkSamples inputs, so Forward
			// and Backward over the same chunks must give the same bits.
			var wantE []float32
			wantDx := make([]float32, len(x))
			chunk := n.ChunkSamples()
			for lo := 0; lo < batch; lo += chunk {
				hi := min(lo+chunk, batch)
				wantE = append(wantE, n.Forward(x[lo*size:hi*size], hi-lo)...)
				ones := slices.Repeat([]float32{1}, hi-lo)
				n.Backward(ones, wantDx[lo*size:hi*size], false)
			}
			if !slices.Equal(e, wantE) {
				t.Errorf("InputGrad energies %v, Forward gives %v", e, wantE)
			}
			if !slices.Equal(dx, wantDx) {
				t.Error("InputGrad input gradient differs from Backward with ∂L/∂E = 1")
			}

			energies := make([]float32, batch)
			n.Energy(energies, x)
			if !slices.Equal(energies, wantE) {
				t.Errorf("Energy gives %v, Forward gives %v", energies, wantE)
			}
		})
	}
}

// TestBackwardWithoutParams checks that params=false gives the same input
// gradient as params=true and leaves the parameter gradients alone.
func TestBackwardWithoutParams(t *testing.T) {
	for i, name := range PresetNames() {
		t.Run(name, func(t *testing.T) {
			const batch = 3
			rng := rand.New(rand.NewPCG(uint64(i), 41))
			n := newPreset(t, name, 6)
			x := randomSlice(rng, batch*n.InShape().Size(), -1, 1)
			dE := randomSlice(rng, batch, -1, 1)

			const sentinel = 42
			for _, p := range n.Params() {
				for j := range p.Grad {
					p.Grad[j] = sentinel
				}
			}
			n.Forward(x, batch)
			withoutParams := make([]float32, len(x))
			n.Backward(dE, withoutParams, false)
			for _, p := range n.Params() {
				if slices.ContainsFunc(p.Grad, func(g float32) bool { return g != sentinel }) {
					t.Errorf("Backward with params=false changed %s.Grad", p.Name)
				}
			}

			withParams := make([]float32, len(x))
			n.Backward(dE, withParams, true)
			if !slices.Equal(withParams, withoutParams) {
				t.Error("input gradient differs between params=true and params=false")
			}
			for _, p := range n.Params() {
				if !slices.ContainsFunc(p.Grad, func(g float32) bool { return g != sentinel }) {
					t.Errorf("Backward with params=true left %s.Grad unwritten", p.Name)
				}
			}
		})
	}
}

// TestBackwardOverwritesGrads checks that a second Backward gives the same
// parameter gradients instead of adding to the first.
func TestBackwardOverwritesGrads(t *testing.T) {
	n := newPreset(t, "mnist-cnn", 7)
	rng := rand.New(rand.NewPCG(7, 7))
	x := randomSlice(rng, 2*n.InShape().Size(), -1, 1)
	dE := []float32{1, -0.5}

	n.Forward(x, 2)
	n.Backward(dE, nil, true)
	first := slices.Clone(n.Params()[0].Grad)
	n.Backward(dE, nil, true)
	if !slices.Equal(n.Params()[0].Grad, first) {
		t.Error("second Backward changed conv1.weight.Grad, want the same values")
	}
}

// TestEnergyIndependentOfBatch compares each input's energy and input
// gradient alone with the same input at position 3 of a batch of 7.
func TestEnergyIndependentOfBatch(t *testing.T) {
	for i, name := range PresetNames() {
		t.Run(name, func(t *testing.T) {
			const batch, pos = 7, 3
			rng := rand.New(rand.NewPCG(uint64(i), 51))
			n := newPreset(t, name, 8)
			size := n.InShape().Size()
			x := randomSlice(rng, batch*size, -1, 1)
			single := slices.Clone(x[pos*size : (pos+1)*size])

			e := make([]float32, batch)
			dx := make([]float32, len(x))
			n.InputGrad(e, dx, x)
			e1 := make([]float32, 1)
			dx1 := make([]float32, size)
			n.InputGrad(e1, dx1, single)

			// A BLAS may sum in a different order for other matrix
			// sizes, so allow float32 rounding.
			if !closeFloat32(e1[0], e[pos], 1e-5) {
				t.Errorf("energy alone %g, in a batch of %d %g", e1[0], batch, e[pos])
			}
			for j, g := range dx1 {
				if !closeFloat32(g, dx[pos*size+j], 1e-4) {
					t.Fatalf("∂E/∂x[%d] alone %g, in a batch of %d %g", j, g, batch, dx[pos*size+j])
				}
			}
		})
	}
}

// closeFloat32 reports whether a and b agree within rel relative to the
// larger magnitude, with 1e-7 as the smallest scale.
func closeFloat32(a, b float32, rel float64) bool {
	scale := math.Max(math.Max(math.Abs(float64(a)), math.Abs(float64(b))), 1e-7)
	return math.Abs(float64(a)-float64(b)) <= rel*scale
}

func TestFLOPsPerSample(t *testing.T) {
	tests := []struct {
		preset string
		want   int
	}{
		{"mnist-cnn", 1_712_256},
		{"mlp-2d", 66_304},
		{"cifar-cnn", 25_886_976},
	}
	for _, tc := range tests {
		if got := newPreset(t, tc.preset, 1).FLOPsPerSample(); got != tc.want {
			t.Errorf("%s: FLOPsPerSample() = %d, want %d", tc.preset, got, tc.want)
		}
	}
}

func TestPresetParams(t *testing.T) {
	tests := []struct {
		preset string
		names  []string
		shapes [][]int
		total  int
	}{
		{
			"mnist-cnn",
			[]string{"conv1.weight", "conv1.bias", "conv2.weight", "conv2.bias", "conv3.weight", "conv3.bias",
				"conv4.weight", "conv4.bias", "dense1.weight", "dense1.bias", "dense2.weight", "dense2.bias"},
			[][]int{{16, 1, 5, 5}, {16}, {32, 16, 3, 3}, {32}, {64, 32, 3, 3}, {64}, {64, 64, 3, 3}, {64}, {64, 256}, {64}, {1, 64}, {1}},
			76_993,
		},
		{
			"mlp-2d",
			[]string{"dense1.weight", "dense1.bias", "dense2.weight", "dense2.bias", "dense3.weight", "dense3.bias", "dense4.weight", "dense4.bias"},
			[][]int{{128, 2}, {128}, {128, 128}, {128}, {128, 128}, {128}, {1, 128}, {1}},
			33_537,
		},
	}
	for _, tc := range tests {
		t.Run(tc.preset, func(t *testing.T) {
			n := newPreset(t, tc.preset, 1)
			params := n.Params()
			if len(params) != len(tc.names) {
				t.Fatalf("%d parameter tensors, want %d", len(params), len(tc.names))
			}
			for i, p := range params {
				if p.Name != tc.names[i] || !slices.Equal(p.Shape, tc.shapes[i]) {
					t.Errorf("parameter %d is %s %v, want %s %v", i, p.Name, p.Shape, tc.names[i], tc.shapes[i])
				}
				if len(p.Value) != len(p.Grad) || len(p.Value) != product(p.Shape) {
					t.Errorf("%s has %d values and %d gradients, want %d", p.Name, len(p.Value), len(p.Grad), product(p.Shape))
				}
			}
			if got := n.NumParams(); got != tc.total {
				t.Errorf("NumParams() = %d, want %d", got, tc.total)
			}
		})
	}
}

func product(shape []int) int {
	p := 1
	for _, d := range shape {
		p *= d
	}
	return p
}

// TestPresetInit checks that every tensor lies within PyTorch's bound
// 1/√fanIn, spreads over most of it, and is the same for the same seed.
func TestPresetInit(t *testing.T) {
	for _, name := range PresetNames() {
		t.Run(name, func(t *testing.T) {
			n := newPreset(t, name, 9)
			fanIn := map[string]int{}
			for _, p := range n.Params() {
				if strings.HasSuffix(p.Name, ".weight") {
					fanIn[strings.TrimSuffix(p.Name, ".weight")] = product(p.Shape[1:])
				}
			}
			for _, p := range n.Params() {
				layer := p.Name[:strings.IndexByte(p.Name, '.')]
				bound := 1 / math.Sqrt(float64(fanIn[layer]))
				var largest float64
				for _, v := range p.Value {
					largest = math.Max(largest, math.Abs(float64(v)))
				}
				if largest > bound {
					t.Errorf("%s has |value| %g above the bound %g", p.Name, largest, bound)
				}
				if len(p.Value) >= 16 && largest < bound/2 {
					t.Errorf("%s has largest |value| %g, want it near the bound %g", p.Name, largest, bound)
				}
			}

			again := newPreset(t, name, 9)
			for i, p := range again.Params() {
				if !slices.Equal(p.Value, n.Params()[i].Value) {
					t.Errorf("%s differs between two networks from the same seed", p.Name)
				}
			}
		})
	}
}

func TestNewPresetUnknown(t *testing.T) {
	_, err := NewPreset("resnet", rand.New(rand.NewPCG(1, 1)))
	if err == nil {
		t.Fatal("NewPreset(\"resnet\") returned no error")
	}
	for _, want := range append([]string{`"resnet"`}, PresetNames()...) {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not contain %s", err, want)
		}
	}
	if _, err := PresetInShape("resnet"); err == nil {
		t.Error("PresetInShape(\"resnet\") returned no error")
	}
}

func TestPresetInShape(t *testing.T) {
	tests := []struct {
		preset string
		want   Shape
	}{
		{"mnist-cnn", Shape{1, 28, 28}},
		{"mlp-2d", Shape{2, 1, 1}},
		{"cifar-cnn", Shape{3, 32, 32}},
	}
	for _, tc := range tests {
		got, err := PresetInShape(tc.preset)
		if err != nil || got != tc.want {
			t.Errorf("PresetInShape(%q) = %v, %v, want %v", tc.preset, got, err, tc.want)
		}
		if n := newPreset(t, tc.preset, 1); n.InShape() != tc.want || n.Preset() != tc.preset {
			t.Errorf("network %q has InShape %v, want %v", n.Preset(), n.InShape(), tc.want)
		}
	}
}

func TestCloneIsIndependent(t *testing.T) {
	n := newPreset(t, "mnist-cnn", 10)
	rng := rand.New(rand.NewPCG(10, 10))
	x := randomSlice(rng, 2*n.InShape().Size(), -1, 1)
	want := slices.Clone(n.Forward(x, 2))

	c := n.Clone()
	if got := c.Forward(x, 2); !slices.Equal(got, want) {
		t.Fatalf("clone energies %v, want %v", got, want)
	}
	for _, p := range c.Params() {
		for j := range p.Value {
			p.Value[j] = 0
		}
	}
	if got := n.Forward(x, 2); !slices.Equal(got, want) {
		t.Errorf("zeroing the clone changed the original's energies to %v", got)
	}

	n.CopyParamsFrom(c)
	if got := n.Forward(x, 2); got[0] != 0 || got[1] != 0 {
		t.Errorf("after copying zero parameters, energies are %v, want 0", got)
	}
}

func TestCopyParamsFromOtherPresetPanics(t *testing.T) {
	defer func() {
		r := recover()
		if msg, ok := r.(string); !ok || !strings.HasPrefix(msg, "model: ") {
			t.Errorf("recovered %v, want a model: panic", r)
		}
	}()
	newPreset(t, "mnist-cnn", 1).CopyParamsFrom(newPreset(t, "mlp-2d", 1))
}

func TestParamsAliasNetwork(t *testing.T) {
	n := newPreset(t, "mlp-2d", 11)
	x := []float32{0.3, -0.7}
	before := n.Forward(x, 1)[0]

	params := n.Params()
	last := params[len(params)-1]
	last.Value[0] += 1
	if after := n.Forward(x, 1)[0]; !closeFloat32(after, before+1, 1e-6) {
		t.Errorf("raising the output bias by 1 moved the energy from %g to %g", before, after)
	}
}

func TestNewNetworkPanics(t *testing.T) {
	used := NewDense(2, 1, nil)
	NewNetwork("first", Shape{2, 1, 1}, used)
	tests := []struct {
		name   string
		in     Shape
		layers []Layer
	}{
		{"no layers", Shape{2, 1, 1}, nil},
		{"shape mismatch", Shape{3, 1, 1}, []Layer{NewDense(2, 1, nil)}},
		{"two outputs", Shape{2, 1, 1}, []Layer{NewDense(2, 2, nil)}},
		{"conv without flatten", Shape{1, 4, 4}, []Layer{NewConv2D(Conv2DConfig{In: 1, Out: 1, KernelH: 2, KernelW: 2, StrideH: 2, StrideW: 2}, nil), NewDense(4, 1, nil)}},
		{"layer reused", Shape{2, 1, 1}, []Layer{used}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			defer func() {
				r := recover()
				if msg, ok := r.(string); !ok || !strings.HasPrefix(msg, "model: ") {
					t.Errorf("recovered %v, want a model: panic", r)
				}
			}()
			NewNetwork("test", tc.in, tc.layers...)
		})
	}
}

func TestCallerMistakesPanic(t *testing.T) {
	n := newPreset(t, "mlp-2d", 1)
	tests := []struct {
		name string
		call func()
	}{
		{"backward before forward", func() { newPreset(t, "mlp-2d", 1).Backward([]float32{1}, nil, true) }},
		{"input length", func() { n.Forward(make([]float32, 3), 2) }},
		{"zero batch", func() { n.Forward(nil, 0) }},
		{"energy gradient length", func() { n.Forward(make([]float32, 4), 2); n.Backward([]float32{1}, nil, true) }},
		{"input gradient length", func() { n.Forward(make([]float32, 4), 2); n.Backward([]float32{1, 1}, make([]float32, 3), false) }},
		{"InputGrad lengths", func() { n.InputGrad(make([]float32, 2), make([]float32, 2), make([]float32, 4)) }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			defer func() {
				r := recover()
				if msg, ok := r.(string); !ok || !strings.HasPrefix(msg, "model: ") {
					t.Errorf("recovered %v, want a model: panic", r)
				}
			}()
			tc.call()
		})
	}
}

// TestBatchSizeChanges runs a large batch, then a small one, then the large
// one again, and checks the energies against fresh runs.
func TestBatchSizeChanges(t *testing.T) {
	n := newPreset(t, "mnist-cnn", 12)
	rng := rand.New(rand.NewPCG(12, 12))
	size := n.InShape().Size()
	x := randomSlice(rng, 6*size, -1, 1)

	e6 := make([]float32, 6)
	dx6 := make([]float32, len(x))
	n.InputGrad(e6, dx6, x)
	e2 := make([]float32, 2)
	dx2 := make([]float32, 2*size)
	n.InputGrad(e2, dx2, x[:2*size])
	again := make([]float32, 6)
	dxAgain := make([]float32, len(x))
	n.InputGrad(again, dxAgain, x)

	if !slices.Equal(again, e6) || !slices.Equal(dxAgain, dx6) {
		t.Error("batch of 6 after a batch of 2 differs from the first batch of 6")
	}
	for i := range e2 {
		if !closeFloat32(e2[i], e6[i], 1e-5) {
			t.Errorf("energy %d in a batch of 2 is %g, in a batch of 6 %g", i, e2[i], e6[i])
		}
	}
}

func TestInputGradAllocatesNothing(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector allocates")
	}
	for _, tc := range []struct {
		preset string
		batch  int
	}{{"mnist-cnn", 16}, {"mlp-2d", 256}} {
		n := newPreset(t, tc.preset, 13)
		rng := rand.New(rand.NewPCG(13, 13))
		x := randomSlice(rng, tc.batch*n.InShape().Size(), -1, 1)
		e := make([]float32, tc.batch)
		dx := make([]float32, len(x))
		dE := make([]float32, tc.batch)

		step := func() {
			n.InputGrad(e, dx, x)
			n.Forward(x, tc.batch)
			n.Backward(dE, dx, true)
			n.Energy(e, x)
		}
		step()
		if allocs := testing.AllocsPerRun(5, step); allocs != 0 {
			t.Errorf("%s: InputGrad, Forward, Backward and Energy allocate %v times per call, want 0", tc.preset, allocs)
		}
	}
}

// TestThreadsGiveSameResults runs InputGrad with one and with three threads,
// so that the loops and products are split differently, and compares.
func TestThreadsGiveSameResults(t *testing.T) {
	defer backend.SetThreads(backend.Threads())

	for _, name := range []string{"mnist-cnn", "cifar-cnn"} {
		const batch = 24
		n := newPreset(t, name, 14)
		rng := rand.New(rand.NewPCG(14, 14))
		x := randomSlice(rng, batch*n.InShape().Size(), -1, 1)

		run := func(threads int) ([]float32, []float32) {
			backend.SetThreads(threads)
			e := make([]float32, batch)
			dx := make([]float32, len(x))
			n.InputGrad(e, dx, x)
			return e, dx
		}
		e1, dx1 := run(1)
		e3, dx3 := run(3)

		// A native BLAS may sum in another order with more threads.
		for i := range e1 {
			if !closeFloat32(e1[i], e3[i], 1e-5) {
				t.Errorf("%s: energy %d is %g with 1 thread, %g with 3", name, i, e1[i], e3[i])
			}
		}
		for i := range dx1 {
			if !closeFloat32(dx1[i], dx3[i], 1e-4) {
				t.Fatalf("%s: ∂E/∂x[%d] is %g with 1 thread, %g with 3", name, i, dx1[i], dx3[i])
			}
		}
	}
}

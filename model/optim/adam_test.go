package optim

import (
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/ebmlab/ebmlab/model"
)

// newParams returns parameter tensors with the given values and zero
// gradients.
func newParams(values ...[]float32) []model.Param {
	params := make([]model.Param, len(values))
	for i, v := range values {
		params[i] = model.Param{
			Name:  "p" + string(rune('0'+i)),
			Shape: []int{len(v)},
			Value: slices.Clone(v),
			Grad:  make([]float32, len(v)),
		}
	}
	return params
}

func TestAdamTwoStepsByHand(t *testing.T) {
	params := newParams([]float32{1})
	a := NewAdam(params, AdamConfig{LR: 0.1, Beta1: 0.9, Beta2: 0.999, Eps: 1e-8})

	// Step 1, g = 0.5: m = 0.05, v = 0.00025; the bias corrections divide
	// by 0.1 and 0.001, so m̂ = 0.5 and v̂ = 0.25, and p = 1 − 0.1·0.5/0.5.
	params[0].Grad[0] = 0.5
	a.Step(params)
	if got := params[0].Value[0]; math.Abs(float64(got)-0.9) > 1e-6 {
		t.Errorf("after step 1, p = %.7g, want 0.9", got)
	}

	// Step 2, g = −0.25: m = 0.045 − 0.025 = 0.02, v = 0.00024975 +
	// 0.0000625 = 0.00031225; m̂ = 0.02/0.19 = 0.1052632, v̂ =
	// 0.00031225/0.001999 = 0.1562031, √v̂ = 0.3952253, so p = 0.9 −
	// 0.1·0.1052632/0.3952253 = 0.8733663.
	params[0].Grad[0] = -0.25
	a.Step(params)
	if got := params[0].Value[0]; math.Abs(float64(got)-0.8733663) > 1e-6 {
		t.Errorf("after step 2, p = %.7g, want 0.8733663", got)
	}
	if a.Steps() != 2 {
		t.Errorf("Steps() = %d, want 2", a.Steps())
	}
}

// TestAdamBeta1Zero checks that without momentum a zero gradient leaves the
// parameter where it is, while with momentum it keeps moving.
func TestAdamBeta1Zero(t *testing.T) {
	tests := []struct {
		beta1 float64
		moves bool
	}{
		{0, false},
		{0.9, true},
	}
	for _, tc := range tests {
		params := newParams([]float32{1, -2})
		cfg := DefaultAdam()
		cfg.LR, cfg.Beta1 = 0.01, tc.beta1
		a := NewAdam(params, cfg)

		copy(params[0].Grad, []float32{0.3, -0.7})
		a.Step(params)
		before := slices.Clone(params[0].Value)
		clear(params[0].Grad)
		a.Step(params)

		moved := !slices.Equal(params[0].Value, before)
		if moved != tc.moves {
			t.Errorf("beta1 %g: parameter moved on a zero gradient: %v, want %v", tc.beta1, moved, tc.moves)
		}
	}
}

// TestAdamBeta1ZeroUpdate checks the update with beta1 = 0 against its
// formula: p −= LR·g / (√v̂ + ε).
func TestAdamBeta1ZeroUpdate(t *testing.T) {
	params := newParams([]float32{0})
	cfg := AdamConfig{LR: 0.5, Beta1: 0, Beta2: 0.9, Eps: 0.1}
	a := NewAdam(params, cfg)

	var v float64
	want := 0.0
	for step, g := range []float64{1, -3, 0.5} {
		params[0].Grad[0] = float32(g)
		a.Step(params)
		v = 0.9*v + 0.1*g*g
		vHat := v / (1 - math.Pow(0.9, float64(step+1)))
		want -= 0.5 * g / (math.Sqrt(vHat) + 0.1)
		if got := float64(params[0].Value[0]); math.Abs(got-want) > 1e-6 {
			t.Errorf("step %d: p = %.7g, want %.7g", step+1, got, want)
		}
	}
}

// TestAdamClip checks that clipping scales the gradients to norm Clip: with a
// large ε the update grows with the gradient, so a clipped step must equal an
// unclipped step on the scaled gradients.
func TestAdamClip(t *testing.T) {
	cfg := AdamConfig{LR: 0.1, Beta1: 0.9, Beta2: 0.999, Eps: 1}

	clipped := newParams([]float32{0.5}, []float32{-1})
	cfg.Clip = 1
	a := NewAdam(clipped, cfg)
	clipped[0].Grad[0], clipped[1].Grad[0] = 3, 4
	if norm := a.Step(clipped); norm != 5 {
		t.Errorf("Step returned norm %g, want 5, the norm before clipping", norm)
	}

	scaled := newParams([]float32{0.5}, []float32{-1})
	cfg.Clip = 0
	b := NewAdam(scaled, cfg)
	scaled[0].Grad[0], scaled[1].Grad[0] = 0.6, 0.8
	b.Step(scaled)

	unclipped := newParams([]float32{0.5}, []float32{-1})
	c := NewAdam(unclipped, cfg)
	unclipped[0].Grad[0], unclipped[1].Grad[0] = 3, 4
	c.Step(unclipped)

	for i := range clipped {
		got, want := clipped[i].Value[0], scaled[i].Value[0]
		if math.Abs(float64(got-want)) > 1e-7 {
			t.Errorf("tensor %d: clipped step gives %g, step on scaled gradients %g", i, got, want)
		}
		if got == unclipped[i].Value[0] {
			t.Errorf("tensor %d: clipped and unclipped steps both give %g", i, got)
		}
	}
}

func TestAdamClipAboveNormChangesNothing(t *testing.T) {
	run := func(clip float64) []float32 {
		params := newParams([]float32{0.5, 2})
		a := NewAdam(params, AdamConfig{LR: 0.1, Beta1: 0.9, Beta2: 0.999, Eps: 1, Clip: clip})
		copy(params[0].Grad, []float32{0.3, 0.4})
		a.Step(params)
		return params[0].Value
	}
	if got, want := run(1), run(0); !slices.Equal(got, want) {
		t.Errorf("clip 1 above norm 0.5 gives %v, no clipping gives %v", got, want)
	}
}

func TestAdamSkipsNonFiniteGradients(t *testing.T) {
	for _, bad := range []float32{float32(math.NaN()), float32(math.Inf(1))} {
		params := newParams([]float32{1, 2})
		a := NewAdam(params, DefaultAdam())
		copy(params[0].Grad, []float32{0.5, bad})

		norm := a.Step(params)
		if !math.IsNaN(norm) && !math.IsInf(norm, 0) {
			t.Errorf("gradient %g: Step returned norm %g, want NaN or Inf", bad, norm)
		}
		if !slices.Equal(params[0].Value, []float32{1, 2}) || a.Steps() != 0 {
			t.Errorf("gradient %g: values %v after %d steps, want [1 2] and no step", bad, params[0].Value, a.Steps())
		}
	}
}

// randomTrajectory runs steps updates with gradients drawn by rng and
// returns the parameter values after each.
func randomTrajectory(a *Adam, params []model.Param, rng *rand.Rand, steps int) [][]float32 {
	var out [][]float32
	for range steps {
		for _, p := range params {
			for j := range p.Grad {
				p.Grad[j] = float32(rng.NormFloat64())
			}
		}
		a.Step(params)
		var flat []float32
		for _, p := range params {
			flat = append(flat, p.Value...)
		}
		out = append(out, flat)
	}
	return out
}

// TestAdamSaveRestore checks that restoring a saved state, with the
// parameters of that moment, continues the trajectory bit for bit, both in
// the same optimiser and in a new one.
func TestAdamSaveRestore(t *testing.T) {
	cfg := AdamConfig{LR: 0.01, Beta1: 0.5, Beta2: 0.99, Eps: 1e-8, Clip: 2}
	params := newParams([]float32{1, 2, 3}, []float32{-1, 0.5})
	a := NewAdam(params, cfg)
	randomTrajectory(a, params, rand.New(rand.NewPCG(1, 1)), 3)

	var state AdamState
	a.SaveState(&state)
	saved := newParams(params[0].Value, params[1].Value)
	want := randomTrajectory(a, params, rand.New(rand.NewPCG(2, 2)), 4)

	for name, opt := range map[string]*Adam{"same optimiser": a, "new optimiser": NewAdam(saved, cfg)} {
		restored := newParams(saved[0].Value, saved[1].Value)
		opt.RestoreState(&state)
		got := randomTrajectory(opt, restored, rand.New(rand.NewPCG(2, 2)), 4)
		for step := range want {
			if !slices.Equal(got[step], want[step]) {
				t.Errorf("%s: step %d after restore gives %v, want %v", name, step+1, got[step], want[step])
			}
		}
	}
}

func TestAdamSaveStateReusesSlices(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector allocates")
	}
	params := newParams(make([]float32, 100), make([]float32, 7))
	a := NewAdam(params, DefaultAdam())
	var state AdamState
	a.SaveState(&state)
	if allocs := testing.AllocsPerRun(10, func() { a.SaveState(&state) }); allocs != 0 {
		t.Errorf("SaveState allocates %v times after first use, want 0", allocs)
	}
}

func TestAdamCheckState(t *testing.T) {
	params := newParams(make([]float32, 3), make([]float32, 2))
	a := NewAdam(params, DefaultAdam())
	good := func() *AdamState {
		var s AdamState
		a.SaveState(&s)
		return &s
	}
	tests := []struct {
		name   string
		state  func() *AdamState
		substr string
	}{
		{"negative step count", func() *AdamState { s := good(); s.T = -1; return s }, "step count -1"},
		{"missing tensor", func() *AdamState { s := good(); s.M = s.M[:1]; return s }, "1 first"},
		{"short tensor", func() *AdamState { s := good(); s.V[1] = s.V[1][:1]; return s }, "tensor 1"},
		{"negative second moment", func() *AdamState { s := good(); s.V[0][2] = -1; return s }, "second moment -1"},
	}
	if err := a.CheckState(good()); err != nil {
		t.Errorf("CheckState of a saved state: %v", err)
	}
	for _, tc := range tests {
		err := a.CheckState(tc.state())
		if err == nil || !strings.Contains(err.Error(), tc.substr) {
			t.Errorf("%s: CheckState error %v, want one containing %q", tc.name, err, tc.substr)
		}
	}
}

func TestAdamConfigValidate(t *testing.T) {
	tests := []struct {
		name   string
		change func(*AdamConfig)
		substr string // empty for a valid config
	}{
		{"default", func(*AdamConfig) {}, ""},
		{"momentum and clip", func(c *AdamConfig) { c.Beta1, c.Clip = 0.9, 1 }, ""},
		{"zero learning rate", func(c *AdamConfig) { c.LR = 0 }, "learning rate 0"},
		{"NaN learning rate", func(c *AdamConfig) { c.LR = math.NaN() }, "learning rate NaN"},
		{"beta1 one", func(c *AdamConfig) { c.Beta1 = 1 }, "beta1 1"},
		{"negative beta2", func(c *AdamConfig) { c.Beta2 = -0.1 }, "beta2 -0.1"},
		{"zero epsilon", func(c *AdamConfig) { c.Eps = 0 }, "epsilon 0"},
		{"negative clip", func(c *AdamConfig) { c.Clip = -1 }, "clip norm -1"},
		{"infinite clip", func(c *AdamConfig) { c.Clip = math.Inf(1) }, "clip norm +Inf"},
	}
	for _, tc := range tests {
		cfg := DefaultAdam()
		tc.change(&cfg)
		err := cfg.Validate()
		switch {
		case tc.substr == "" && err != nil:
			t.Errorf("%s: Validate() = %v, want nil", tc.name, err)
		case tc.substr != "" && (err == nil || !strings.Contains(err.Error(), tc.substr)):
			t.Errorf("%s: Validate() = %v, want an error containing %q", tc.name, err, tc.substr)
		}
	}
}

func TestDefaultAdam(t *testing.T) {
	want := AdamConfig{LR: 1e-4, Beta1: 0, Beta2: 0.999, Eps: 1e-8, Clip: 0}
	if got := DefaultAdam(); got != want {
		t.Errorf("DefaultAdam() = %+v, want %+v", got, want)
	}
}

func TestAdamSetConfig(t *testing.T) {
	params := newParams([]float32{1})
	a := NewAdam(params, DefaultAdam())
	cfg := DefaultAdam()
	cfg.LR = 0.5
	a.SetConfig(cfg)
	params[0].Grad[0] = 2
	a.Step(params)
	// The first step moves by LR whatever the gradient's size.
	if got := params[0].Value[0]; math.Abs(float64(got)-0.5) > 1e-6 {
		t.Errorf("after SetConfig with LR 0.5, p = %g, want 0.5", got)
	}

	defer func() {
		if r := recover(); r == nil {
			t.Error("SetConfig with LR -1 did not panic")
		}
	}()
	cfg.LR = -1
	a.SetConfig(cfg)
}

func TestAdamStepPanicsOnOtherParams(t *testing.T) {
	a := NewAdam(newParams(make([]float32, 3)), DefaultAdam())
	defer func() {
		r := recover()
		if msg, ok := r.(string); !ok || !strings.HasPrefix(msg, "optim: ") {
			t.Errorf("recovered %v, want an optim: panic", r)
		}
	}()
	a.Step(newParams(make([]float32, 4)))
}

func newMNISTParams(b testing.TB) []model.Param {
	n, err := model.NewPreset("mnist-cnn", rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		b.Fatal(err)
	}
	params := n.Params()
	rng := rand.New(rand.NewPCG(2, 2))
	for _, p := range params {
		for j := range p.Grad {
			p.Grad[j] = float32(rng.NormFloat64() * 1e-3)
		}
	}
	return params
}

func TestAdamStepAllocatesNothing(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector allocates")
	}
	params := newMNISTParams(t)
	cfg := DefaultAdam()
	cfg.Clip = 1e-3
	a := NewAdam(params, cfg)
	if allocs := testing.AllocsPerRun(10, func() { a.Step(params) }); allocs != 0 {
		t.Errorf("Step allocates %v times, want 0", allocs)
	}
}

func BenchmarkAdamStepMNIST(b *testing.B) {
	params := newMNISTParams(b)
	a := NewAdam(params, DefaultAdam())
	b.ReportAllocs()
	for b.Loop() {
		a.Step(params)
	}
}

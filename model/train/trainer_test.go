package train

import (
	"context"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/ebmlab/ebmlab/model/dataset"
)

// newToyTrainer builds a small mlp-2d trainer on 8 Gaussians.
func newToyTrainer(t *testing.T, seed uint64, batch, steps int) *Trainer {
	t.Helper()
	d, err := dataset.Toy("8gaussians", 2000, rand.New(rand.NewPCG(seed, 9)))
	if err != nil {
		t.Fatal(err)
	}
	s := DefaultSettings("mlp-2d", float64(d.Lo), float64(d.Hi))
	s.Batch = batch
	s.BufferSize = 1024
	s.Sampler.Steps = steps
	tr, err := New(Config{Data: d, Preset: "mlp-2d", Seed: seed, Settings: s})
	if err != nil {
		t.Fatal(err)
	}
	return tr
}

func paramsCopy(tr *Trainer) [][]float32 {
	var out [][]float32
	for _, p := range tr.params {
		out = append(out, slices.Clone(p.Value))
	}
	return out
}

func TestLossGradConstantShift(t *testing.T) {
	tr := newToyTrainer(t, 1, 4, 1)
	tr.resize(4, tr.buffer.Cap())
	const b, alpha, c = 4, 0.1, 3.0
	e := []float32{0.5, -1, 2, 0.25, 1, 0, -0.5, 1.5}
	shifted := make([]float32, len(e))
	for i := range e {
		shifted[i] = e[i] + c
	}

	loss0, eData0, eSample0 := tr.lossGrad(e, b, alpha)
	grad0 := slices.Clone(tr.dE)
	loss1, eData1, eSample1 := tr.lossGrad(shifted, b, alpha)
	grad1 := slices.Clone(tr.dE)

	// The contrastive part is unchanged by the shift.
	if got, want := eData1-eSample1, eData0-eSample0; math.Abs(got-want) > 1e-12 {
		t.Errorf("contrastive term changed by the shift: %v, want %v", got, want)
	}
	// Only the α term changes: α·mean((e+c)² − e²) over both halves.
	var wantDelta float64
	for i := range b {
		d, s := float64(e[i]), float64(e[b+i])
		wantDelta += (d+c)*(d+c) - d*d + (s+c)*(s+c) - s*s
	}
	wantDelta *= alpha / b
	if got := loss1 - loss0; math.Abs(got-wantDelta) > 1e-9 {
		t.Errorf("loss changed by %v, want the α term's %v", got, wantDelta)
	}
	// The gradient changes by 2αc/B on every energy.
	for i := range grad0 {
		if got, want := float64(grad1[i]-grad0[i]), 2*alpha*c/b; math.Abs(got-want) > 1e-6 {
			t.Errorf("dL/dE[%d] changed by %v, want %v", i, got, want)
		}
	}
	// Without α, the gradient is ±1/B whatever the energies.
	tr.lossGrad(shifted, b, 0)
	for i, g := range tr.dE {
		want := float32(1.0 / b)
		if i >= b {
			want = -want
		}
		if g != want {
			t.Errorf("α = 0: dL/dE[%d] = %v, want %v", i, g, want)
		}
	}
}

// TestUpdateFixedNegatives checks the direction of the contrastive
// updates with data and negatives held fixed. One Adam step (with β1 = 0
// it moves every weight by about ±lr) need not move each mean the right
// way, since the two gradients share a large common part, but it must
// shrink the gap E(data) − E(samples); a few steps with α > 0 then lower
// E(data) and raise E(samples), towards ∓1/(2α).
func TestUpdateFixedNegatives(t *testing.T) {
	tr := newToyTrainer(t, 2, 64, 1)
	s := tr.Settings()
	s.Adam.LR = 1e-3
	s.Alpha = 0.1
	if err := tr.SetSettings(s); err != nil {
		t.Fatal(err)
	}
	tr.resize(64, tr.buffer.Cap())
	tr.adam.SetConfig(s.Adam)
	b, dim := 64, 2
	rng := rand.New(rand.NewPCG(5, 5))
	xData, xSample := tr.both[:b*dim], tr.both[b*dim:]
	tr.data.Batch(xData, rng, 0)
	// Negatives in a small cloud at the origin, where 8 Gaussians has no
	// mass.
	for i := range xSample {
		xSample[i] = float32(rng.NormFloat64() * 0.1)
	}
	fixed := slices.Clone(tr.both)
	means := func() (float64, float64) {
		e := tr.net.Forward(fixed, 2*b)
		return mean(e[:b]), mean(e[b:])
	}

	eData0, eSample0 := means()
	copy(tr.both, fixed)
	if _, ev := tr.update(s, b); ev != nil {
		t.Fatalf("update rejected: %v", ev)
	}
	eData1, eSample1 := means()
	if gap0, gap1 := eData0-eSample0, eData1-eSample1; !(gap1 < gap0) {
		t.Errorf("one update moved the gap from %v to %v, want lower", gap0, gap1)
	}

	for range 19 {
		copy(tr.both, fixed)
		if _, ev := tr.update(s, b); ev != nil {
			t.Fatalf("update rejected: %v", ev)
		}
	}
	eData20, eSample20 := means()
	if !(eData20 < eData0) {
		t.Errorf("20 updates moved mean E(data) from %v to %v, want lower", eData0, eData20)
	}
	if !(eSample20 > eSample0) {
		t.Errorf("20 updates moved mean E(samples) from %v to %v, want higher", eSample0, eSample20)
	}
}

func mean(x []float32) float64 {
	var s float64
	for _, v := range x {
		s += float64(v)
	}
	return s / float64(len(x))
}

func TestGuardRejectsNaNAndRollsBack(t *testing.T) {
	tr := newToyTrainer(t, 3, 32, 5)
	ctx := context.Background()
	for range 3 {
		if _, ev, err := tr.Iterate(ctx, nil); err != nil || ev != nil {
			t.Fatalf("Iterate: event %v, error %v", ev, err)
		}
	}
	good := make([][]float32, len(tr.goodParams))
	for i := range tr.goodParams {
		good[i] = slices.Clone(tr.goodParams[i])
	}
	bufBefore := make([]float32, tr.buffer.Cap()*2)
	tr.buffer.CopyTo(bufBefore, nil)
	history := len(tr.History())

	tr.params[0].Value[0] = float32(math.NaN())
	_, ev, err := tr.Iterate(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if ev == nil {
		t.Fatal("iteration with a NaN weight was accepted")
	}
	if ev.Cause == "" || ev.Suggestion == "" || ev.RolledBack == "" {
		t.Errorf("event lacks a cause, rollback or suggestion: %+v", ev)
	}
	for i, p := range tr.params {
		if !slices.Equal(p.Value, good[i]) {
			t.Errorf("param %s not restored to the last good state", p.Name)
		}
	}
	bufAfter := make([]float32, len(bufBefore))
	tr.buffer.CopyTo(bufAfter, nil)
	if !slices.Equal(bufAfter, bufBefore) {
		t.Error("rejected iteration changed the replay buffer")
	}
	if got := len(tr.History()); got != history {
		t.Errorf("history grew to %d entries on a rejected iteration, want %d", got, history)
	}

	// Training goes on from the restored state.
	m, ev, err := tr.Iterate(ctx, nil)
	if err != nil || ev != nil {
		t.Fatalf("Iterate after rollback: event %v, error %v", ev, err)
	}
	if math.IsNaN(m.Loss) {
		t.Error("loss is NaN after rollback")
	}
}

func TestGuardCatchesLangevinDivergence(t *testing.T) {
	tr := newToyTrainer(t, 4, 32, 5)
	s := tr.Settings()
	s.Sampler.Temperature1 = false
	s.Sampler.Clamp = false
	s.Sampler.StepSize = 1e9
	s.Sampler.Noise = 1e9
	if err := tr.SetSettings(s); err != nil {
		t.Fatal(err)
	}
	_, ev, err := tr.Iterate(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if ev == nil {
		t.Fatal("diverging Langevin run was accepted")
	}
	if ev.Settings.Sampler.StepSize != 1e9 {
		t.Errorf("event reports step size %v, want the 1e9 in force", ev.Settings.Sampler.StepSize)
	}
	x := make([]float32, tr.buffer.Cap()*2)
	tr.buffer.CopyTo(x, nil)
	for _, v := range x {
		if math.IsNaN(float64(v)) || math.Abs(float64(v)) > 4 {
			t.Fatalf("buffer holds %v after a rejected iteration", v)
		}
	}
}

func TestSeededTrainersAgree(t *testing.T) {
	a := newToyTrainer(t, 5, 32, 5)
	b := newToyTrainer(t, 5, 32, 5)
	ctx := context.Background()
	for range 5 {
		ma, _, _ := a.Iterate(ctx, nil)
		mb, _, _ := b.Iterate(ctx, nil)
		ma.Seconds, mb.Seconds = 0, 0
		if ma != mb {
			t.Fatalf("seeded trainers differ:\n%+v\n%+v", ma, mb)
		}
	}
}

func TestSettingsValidate(t *testing.T) {
	base := DefaultSettings("mnist-cnn", -1, 1)
	if err := base.Validate(); err != nil {
		t.Fatalf("defaults invalid: %v", err)
	}
	cases := []struct {
		name   string
		change func(*Settings)
		want   string
	}{
		{"batch zero", func(s *Settings) { s.Batch = 0 }, "invalid batch size 0"},
		{"batch huge", func(s *Settings) { s.Batch = MaxBatch + 1 }, "invalid batch size"},
		{"buffer zero", func(s *Settings) { s.BufferSize = 0 }, "invalid buffer size 0"},
		{"batch above buffer", func(s *Settings) { s.Batch, s.BufferSize = 256, 128 }, "invalid batch size 256: must be at most the buffer size 128"},
		{"reinit above one", func(s *Settings) { s.Reinit = 1.5 }, "invalid reinit rate 1.5"},
		{"reinit NaN", func(s *Settings) { s.Reinit = math.NaN() }, "invalid reinit rate NaN"},
		{"alpha negative", func(s *Settings) { s.Alpha = -1 }, "invalid alpha -1"},
		{"data noise negative", func(s *Settings) { s.DataNoise = -0.1 }, "invalid data noise -0.1"},
		{"energy bound zero", func(s *Settings) { s.EnergyBound = 0 }, "invalid energy bound 0"},
		{"steps huge", func(s *Settings) { s.Sampler.Steps = MaxSteps + 1 }, "invalid Langevin steps"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := base
			c.change(&s)
			err := s.Validate()
			if err == nil {
				t.Fatal("accepted")
			}
			if got := err.Error(); !strings.HasPrefix(got, c.want) {
				t.Errorf("error %q, want prefix %q", got, c.want)
			}
		})
	}
}

func TestNewRejectsShapeMismatch(t *testing.T) {
	d, err := dataset.Toy("2moons", 100, rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		t.Fatal(err)
	}
	_, err = New(Config{Data: d, Preset: "mnist-cnn", Seed: 1, Settings: DefaultSettings("mnist-cnn", -4, 4)})
	if err == nil {
		t.Fatal("mnist-cnn accepted 2-D points")
	}
	for _, want := range []string{"mnist-cnn", "1×28×28", "2×1×1", "mlp-2d"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %q", err, want)
		}
	}
}

func TestDiversity(t *testing.T) {
	x := []float32{0, 0, 3, 4, 0, 0}
	// Pairs: (0,1) = 5, (0,2) = 0, (1,2) = 5; mean 10/3.
	if got, want := Diversity(x, 3, 2, 128), 10.0/3; math.Abs(got-want) > 1e-12 {
		t.Errorf("Diversity = %v, want %v", got, want)
	}
	if got := Diversity(x, 3, 2, 2); got != 5 {
		t.Errorf("Diversity limited to 2 samples = %v, want 5", got)
	}
	if got := Diversity(x, 1, 2, 128); got != 0 {
		t.Errorf("Diversity of one sample = %v, want 0", got)
	}
}

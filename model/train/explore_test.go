package train

import (
	"bytes"
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/ebmlab/ebmlab/model"
	"github.com/ebmlab/ebmlab/model/dataset"
	"github.com/ebmlab/ebmlab/sampler"
)

// tinyImageNet returns a seeded dense energy network on 1×6×5 images,
// small enough for many Langevin steps under the race detector.
func tinyImageNet() *model.Network {
	rng := rand.New(rand.NewPCG(3, 4))
	return model.NewNetwork("tiny", model.Shape{C: 1, H: 6, W: 5},
		model.NewFlatten(), model.NewDense(30, 16, rng), model.NewSwish(), model.NewDense(16, 1, rng))
}

func tinySettings() sampler.Settings {
	return sampler.Settings{StepSize: 0.5, Noise: 0.05, Steps: 25, GradClip: 0.1, Clamp: true, Lo: -1, Hi: 1}
}

func TestInpaintKeepsObservedBits(t *testing.T) {
	net := tinyImageNet()
	dim := net.InShape().Size()
	rng := rand.New(rand.NewPCG(5, 6))
	x := make([]float32, dim)
	for i := range x {
		x[i] = float32(rng.Float64()*2 - 1)
	}
	// Values the sampler's clamp would never produce, so that a missed
	// write-back shows.
	x[0], x[1] = -0.123456789, 0.987654321

	tests := []struct {
		name   string
		hidden func(i int) bool // i = row·W + column
	}{
		{"top half", func(i int) bool { return i/5 < 3 }},
		{"right half", func(i int) bool { return i%5 >= 3 }},
		{"rectangle", func(i int) bool { r, c := i/5, i%5; return r >= 1 && r < 4 && c >= 1 && c < 3 }},
		{"nothing hidden", func(int) bool { return false }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			hidden := make([]bool, dim)
			for i := range hidden {
				hidden[i] = tc.hidden(i)
			}
			const chains = 6
			dst := make([]float32, chains*dim)
			energies := make([]float32, chains)
			err := Inpaint(context.Background(), dst, energies, net, x, hidden, tinySettings(), rand.New(rand.NewPCG(7, 8)))
			if err != nil {
				t.Fatal(err)
			}
			for c := range chains {
				for i := range dim {
					got := dst[c*dim+i]
					if !hidden[i] && math.Float32bits(got) != math.Float32bits(x[i]) {
						t.Fatalf("chain %d value %d = %v, want observed %v bit for bit", c, i, got, x[i])
					}
					if hidden[i] && (got < -1 || got > 1) {
						t.Fatalf("chain %d hidden value %d = %v outside [-1, 1]", c, i, got)
					}
				}
				if math.IsNaN(float64(energies[c])) {
					t.Errorf("chain %d energy is NaN", c)
				}
			}
		})
	}
}

func TestInpaintChainsDiffer(t *testing.T) {
	net := tinyImageNet()
	dim := net.InShape().Size()
	x := make([]float32, dim)
	hidden := make([]bool, dim)
	for i := range dim / 2 {
		hidden[i] = true
	}
	dst := make([]float32, 2*dim)
	if err := Inpaint(context.Background(), dst, nil, net, x, hidden, tinySettings(), rand.New(rand.NewPCG(1, 1))); err != nil {
		t.Fatal(err)
	}
	if dst[0] == dst[dim] && dst[1] == dst[dim+1] {
		t.Errorf("two chains gave the same hidden values %v, %v", dst[:2], dst[dim:dim+2])
	}
}

func TestInpaintCancelled(t *testing.T) {
	net := tinyImageNet()
	dim := net.InShape().Size()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := Inpaint(ctx, make([]float32, dim), nil, net, make([]float32, dim), make([]bool, dim), tinySettings(), rand.New(rand.NewPCG(1, 1)))
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Inpaint with a cancelled context returned %v, want context.Canceled", err)
	}
}

func TestRelaxFrames(t *testing.T) {
	net := tinyImageNet()
	dim := net.InShape().Size()
	x := make([]float32, dim)
	for i := range x {
		x[i] = 0.5
	}
	tests := []struct {
		every      int
		wantFrames int
	}{
		{every: 5, wantFrames: 6},  // steps 0, 5, 10, 15, 20, 25
		{every: 10, wantFrames: 4}, // steps 0, 10, 20 and the last, 25
		{every: 100, wantFrames: 2},
	}
	for _, tc := range tests {
		frames, err := Relax(context.Background(), net, x, tinySettings(), tc.every, rand.New(rand.NewPCG(2, 2)))
		if err != nil {
			t.Fatal(err)
		}
		if len(frames) != tc.wantFrames {
			t.Errorf("every %d: %d frames, want %d", tc.every, len(frames), tc.wantFrames)
			continue
		}
		if frames[0].Step != 0 || frames[len(frames)-1].Step != 25 {
			t.Errorf("every %d: steps %d to %d, want 0 to 25", tc.every, frames[0].Step, frames[len(frames)-1].Step)
		}
		for i, v := range frames[0].State {
			if v != x[i] {
				t.Fatalf("first frame value %d = %v, want the input %v", i, v, x[i])
			}
		}
	}
	if x[0] != 0.5 {
		t.Errorf("Relax modified its input: x[0] = %v", x[0])
	}
}

func TestOODReportRows(t *testing.T) {
	_, test, err := dataset.Load("mnist", 1)
	if err != nil {
		t.Fatal(err)
	}
	net, err := model.NewPreset("mnist-cnn", rand.New(rand.NewPCG(1, 2)))
	if err != nil {
		t.Fatal(err)
	}
	const n = 40
	sets, notes := OODSets(test, n, 1)
	wantNames := []string{"uniform noise", "Gaussian noise", "flipped left-right", "inverted intensity"}
	if len(sets) < len(wantNames) {
		t.Fatalf("%d sets, want at least %d", len(sets), len(wantNames))
	}
	for i, name := range wantNames {
		if sets[i].Name != name {
			t.Errorf("set %d is %q, want %q", i, sets[i].Name, name)
		}
	}
	if len(sets) == len(wantNames) && len(notes) == 0 {
		t.Errorf("fashion-mnist neither scored nor named in a note")
	}

	var calls, last int
	r, err := EvaluateOOD(context.Background(), net, "mnist", HeldOutInputs(test, n), sets, func(done, total int) {
		calls++
		last = done
		if done > total {
			t.Errorf("progress %d of %d", done, total)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Rows) != len(sets) {
		t.Fatalf("%d rows, want one per set (%d)", len(r.Rows), len(sets))
	}
	for _, row := range r.Rows {
		if !(row.AUROC >= 0 && row.AUROC <= 1) {
			t.Errorf("%s: AUROC %v outside [0, 1]", row.Name, row.AUROC)
		}
		if len(row.Energies) != row.N {
			t.Errorf("%s: %d energies for %d inputs", row.Name, len(row.Energies), row.N)
		}
	}
	if calls == 0 || last != n*(len(sets)+1) && len(sets) == len(wantNames) {
		t.Errorf("progress called %d times, last with %d", calls, last)
	}

	var buf bytes.Buffer
	if err := r.WriteTable(&buf); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, name := range append(wantNames, "mnist (held-out)", "AUROC") {
		if !strings.Contains(out, name) {
			t.Errorf("table lacks %q:\n%s", name, out)
		}
	}
}

func TestEvaluateOODCancelled(t *testing.T) {
	net := tinyImageNet()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := EvaluateOOD(ctx, net, "in", make([]float32, 30*4), nil, nil)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("EvaluateOOD with a cancelled context returned %v, want context.Canceled", err)
	}
}

func TestEngineModelIsPrivate(t *testing.T) {
	h := startEngine(t)
	a, b := h.eng.Model(), h.eng.Model()
	if a == b {
		t.Fatal("Model returned the same network twice")
	}
	a.Params()[0].Value[0] += 1
	if a.Params()[0].Value[0] == b.Params()[0].Value[0] {
		t.Error("changing one copy changed the other")
	}
	if h.eng.HeldOut() == nil {
		t.Error("HeldOut returned nil")
	}
}

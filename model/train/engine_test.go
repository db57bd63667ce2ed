package train

import (
	"context"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/ebmlab/ebmlab/model/dataset"
)

// engineHarness runs an engine on 8 Gaussians and collects snapshots.
type engineHarness struct {
	eng    *Engine
	cancel context.CancelFunc
	done   chan error
	mu     sync.Mutex
	last   *Snapshot
	notify chan struct{}
}

func startEngine(t *testing.T) *engineHarness {
	t.Helper()
	d, err := dataset.Toy("8gaussians", 2000, rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		t.Fatal(err)
	}
	s := DefaultSettings("mlp-2d", float64(d.Lo), float64(d.Hi))
	s.Batch, s.BufferSize, s.Sampler.Steps = 32, 256, 4
	h := &engineHarness{done: make(chan error, 1), notify: make(chan struct{}, 1)}
	h.eng, err = NewEngine(EngineConfig{
		Trainer:       Config{Data: d, Preset: "mlp-2d", Seed: 1, Settings: s},
		SnapshotEvery: time.Millisecond,
		VisibleChains: 4,
		OnSnapshot: func(s *Snapshot) {
			h.mu.Lock()
			h.last = s
			h.mu.Unlock()
			select {
			case h.notify <- struct{}{}:
			default:
			}
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	h.cancel = cancel
	go func() { h.done <- h.eng.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-h.done; err != nil {
			t.Errorf("Run: %v", err)
		}
	})
	return h
}

// waitFor waits until a snapshot satisfies ok.
func (h *engineHarness) waitFor(t *testing.T, what string, ok func(*Snapshot) bool) *Snapshot {
	t.Helper()
	deadline := time.After(30 * time.Second)
	for {
		h.mu.Lock()
		s := h.last
		h.mu.Unlock()
		if s != nil && ok(s) {
			return s
		}
		select {
		case <-h.notify:
		case <-deadline:
			t.Fatalf("no snapshot with %s; last: %+v", what, s)
		}
	}
}

func TestEngineUpdateStepReset(t *testing.T) {
	h := startEngine(t)
	h.waitFor(t, "initial state", func(s *Snapshot) bool { return s.Iteration == 0 && !s.Running })

	h.eng.Update()
	s := h.waitFor(t, "iteration 1", func(s *Snapshot) bool { return s.Iteration == 1 })
	if s.Running {
		t.Error("Update started training")
	}
	if len(s.History) != 1 || s.NSamples == 0 || len(s.SampleEnergies) == 0 {
		t.Errorf("snapshot after Update lacks history or samples: %d metrics, %d samples", len(s.History), s.NSamples)
	}
	frames := len(s.Chain)

	h.eng.Step()
	s = h.waitFor(t, "one more frame", func(s *Snapshot) bool { return len(s.Chain) != frames })
	if s.Iteration != 1 {
		t.Errorf("Step trained: iteration %d, want 1", s.Iteration)
	}
	if last := s.Chain[len(s.Chain)-1]; last.Step != s.Chain[len(s.Chain)-2].Step+1 {
		t.Errorf("Step recorded step %d after %d", last.Step, s.Chain[len(s.Chain)-2].Step)
	}

	h.eng.SetRunning(true)
	h.waitFor(t, "training", func(s *Snapshot) bool { return s.Running && s.Iteration >= 5 })
	h.eng.SetRunning(false)
	paused := h.waitFor(t, "paused", func(s *Snapshot) bool { return !s.Running })
	time.Sleep(50 * time.Millisecond)
	if got := h.eng.Iteration(); got != paused.Iteration {
		t.Errorf("iterations went on while paused: %d, then %d", paused.Iteration, got)
	}

	h.eng.Reset()
	s = h.waitFor(t, "reset", func(s *Snapshot) bool { return s.Message == "model reset" })
	if s.Iteration != 0 || len(s.History) != 0 {
		t.Errorf("after Reset: iteration %d, %d metrics; want 0, 0", s.Iteration, len(s.History))
	}
}

func TestEngineSettingsAndEnergy(t *testing.T) {
	h := startEngine(t)
	s := h.eng.Settings()
	s.Sampler.StepSize = 0.02
	if err := h.eng.SetSettings(s); err != nil {
		t.Fatal(err)
	}
	if got := h.eng.Settings().Sampler.StepSize; got != 0.02 {
		t.Errorf("step size %v after SetSettings, want 0.02", got)
	}
	s.Batch = 0
	if err := h.eng.SetSettings(s); err == nil {
		t.Error("batch 0 accepted")
	}
	if got := h.eng.Settings().Batch; got != 32 {
		t.Errorf("rejected settings changed the batch to %d", got)
	}

	e, err := h.eng.Energy([]float32{0, 0, 1, 1}, 2)
	if err != nil || len(e) != 2 {
		t.Fatalf("Energy: %v, %v", e, err)
	}
	if _, err := h.eng.Energy([]float32{0, 0, 1}, 2); err == nil {
		t.Error("Energy accepted 3 values for 2 points")
	}
}

func TestEngineLandscapeForPoints(t *testing.T) {
	h := startEngine(t)
	h.eng.Update()
	s := h.waitFor(t, "landscape", func(s *Snapshot) bool { return s.Landscape != nil && s.Iteration == 1 })
	l := s.Landscape
	if l.NX*l.NY != len(l.E) || l.NX == 0 {
		t.Errorf("landscape %d×%d with %d energies", l.NX, l.NY, len(l.E))
	}
	if len(s.DataPoints) == 0 || len(s.SamplePoints) == 0 {
		t.Errorf("2-D snapshot lacks points: %d data, %d samples", len(s.DataPoints), len(s.SamplePoints))
	}
}

package train

import (
	"context"
	"encoding/csv"
	"errors"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ebmlab/ebmlab/model/dataset"
	"github.com/ebmlab/ebmlab/model/export"
	"github.com/ebmlab/ebmlab/model/runconfig"
)

// sameData returns a loader that gives the harness's training set, which
// is also its held-out set because the harness sets no test set.
func sameData(h *engineHarness) DataLoader {
	return func(context.Context, string, uint64) (*dataset.Dataset, *dataset.Dataset, error) {
		return h.eng.HeldOut(), nil, nil
	}
}

// updateTo runs single iterations until the engine has accepted n.
func updateTo(t *testing.T, h *engineHarness, n int) *Snapshot {
	t.Helper()
	for i := h.eng.Iteration(); i < n; i++ {
		h.eng.Update()
	}
	return h.waitFor(t, "iteration "+strconv.Itoa(n), func(s *Snapshot) bool { return s.Iteration == n })
}

func TestEngineCheckpointRoundTrip(t *testing.T) {
	h := startEngine(t)
	ctx := context.Background()
	saved := updateTo(t, h, 3)
	path := filepath.Join(t.TempDir(), "run.ebm")
	if err := h.eng.SaveCheckpoint(ctx, path); err != nil {
		t.Fatal(err)
	}
	updateTo(t, h, 5)

	if err := h.eng.LoadCheckpoint(ctx, path, sameData(h), nil); err != nil {
		t.Fatal(err)
	}
	s := h.waitFor(t, "resumed state", func(s *Snapshot) bool { return strings.HasPrefix(s.Message, "resumed") })
	if s.Iteration != 3 || h.eng.Iteration() != 3 {
		t.Errorf("iteration after load: snapshot %d, engine %d; want 3", s.Iteration, h.eng.Iteration())
	}
	if !reflect.DeepEqual(withoutSeconds(s.History), withoutSeconds(saved.History)) {
		t.Errorf("history after load differs from the saved one:\n got %+v\nwant %+v", s.History, saved.History)
	}
	if s.Elapsed <= 0 {
		t.Errorf("elapsed time after load %v, want the saved iterations' time", s.Elapsed)
	}

	h.eng.Update()
	s = h.waitFor(t, "iteration 4", func(s *Snapshot) bool { return s.Iteration == 4 })
	if len(s.History) != 4 {
		t.Errorf("%d metrics after one more update, want 4", len(s.History))
	}
}

func TestEngineLoadCheckpointFailureKeepsModel(t *testing.T) {
	otherData := func(context.Context, string, uint64) (*dataset.Dataset, *dataset.Dataset, error) {
		d, err := dataset.Toy("2moons", 100, rand.New(rand.NewPCG(5, 5)))
		return d, nil, err
	}
	missingData := func(context.Context, string, uint64) (*dataset.Dataset, *dataset.Dataset, error) {
		return nil, nil, errors.New("no such data")
	}
	truncate := func(t *testing.T, path string) {
		info, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.Truncate(path, info.Size()/2); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name    string
		damage  func(t *testing.T, path string)
		load    func(h *engineHarness) DataLoader
		wantErr string
	}{
		{"truncated file", truncate, sameData, "run.ebm"},
		{"missing file", func(t *testing.T, path string) { os.Remove(path) }, sameData, "run.ebm"},
		{"other data", nil, func(*engineHarness) DataLoader { return otherData }, "give the same data"},
		{"data not found", nil, func(*engineHarness) DataLoader { return missingData }, "cannot be loaded"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := startEngine(t)
			ctx := context.Background()
			updateTo(t, h, 2)
			path := filepath.Join(t.TempDir(), "run.ebm")
			if err := h.eng.SaveCheckpoint(ctx, path); err != nil {
				t.Fatal(err)
			}
			if tt.damage != nil {
				tt.damage(t, path)
			}
			updateTo(t, h, 4)
			h.eng.SetRunning(true)
			h.waitFor(t, "training", func(s *Snapshot) bool { return s.Running })

			err := h.eng.LoadCheckpoint(ctx, path, tt.load(h), nil)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("LoadCheckpoint error %v, want one containing %q", err, tt.wantErr)
			}
			s := h.waitFor(t, "more training", func(s *Snapshot) bool { return s.Running && s.Iteration >= 6 })
			if len(s.History) != s.Iteration || s.DataName != "8gaussians" {
				t.Errorf("after a failed load: %d metrics for iteration %d on %q", len(s.History), s.Iteration, s.DataName)
			}
		})
	}
}

func TestEngineLoadCheckpointKeepSampler(t *testing.T) {
	h := startEngine(t)
	ctx := context.Background()
	updateTo(t, h, 1)
	path := filepath.Join(t.TempDir(), "run.ebm")
	if err := h.eng.SaveCheckpoint(ctx, path); err != nil {
		t.Fatal(err)
	}
	saved := h.eng.Settings().Sampler

	keep := saved
	keep.StepSize, keep.Steps, keep.Lo, keep.Hi = 0.002, 7, -100, 100
	if err := h.eng.LoadCheckpoint(ctx, path, sameData(h), &keep); err != nil {
		t.Fatal(err)
	}
	got := h.eng.Settings().Sampler
	if got.StepSize != 0.002 || got.Steps != 7 {
		t.Errorf("kept step size %v and steps %d, want 0.002 and 7", got.StepSize, got.Steps)
	}
	if got.Lo != saved.Lo || got.Hi != saved.Hi {
		t.Errorf("clamp range [%v, %v], want the checkpoint's [%v, %v]", got.Lo, got.Hi, saved.Lo, saved.Hi)
	}

	keep.StepSize = -1
	if err := h.eng.LoadCheckpoint(ctx, path, sameData(h), &keep); err == nil {
		t.Error("invalid kept settings accepted")
	}
	if got := h.eng.Settings().Sampler.StepSize; got != 0.002 {
		t.Errorf("a rejected load changed the step size to %v", got)
	}
}

func TestEngineSaveMetricsCSV(t *testing.T) {
	h := startEngine(t)
	updateTo(t, h, 3)
	path := filepath.Join(t.TempDir(), "metrics.csv")
	if err := h.eng.SaveMetricsCSV(context.Background(), path); err != nil {
		t.Fatal(err)
	}

	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 4 {
		t.Fatalf("%d rows, want a header and 3 iterations", len(rows))
	}
	if !reflect.DeepEqual(rows[0], metricsHeader) {
		t.Errorf("header %v, want %v", rows[0], metricsHeader)
	}
	for i, row := range rows[1:] {
		if row[0] != strconv.Itoa(i+1) {
			t.Errorf("row %d is iteration %s, want %d", i+1, row[0], i+1)
		}
	}
}

func TestEngineSaveBufferNPY(t *testing.T) {
	h := startEngine(t)
	path := filepath.Join(t.TempDir(), "buffer.npy")
	if err := h.eng.SaveBufferNPY(context.Background(), path); err != nil {
		t.Fatal(err)
	}
	x, shape := readNPY(t, path)
	if !reflect.DeepEqual(shape, []int{256, 2}) || len(x) != 512 {
		t.Errorf("2-D buffer: shape %v with %d values, want [256 2] with 512", shape, len(x))
	}
}

func TestEngineSaveBufferNPYImages(t *testing.T) {
	// Unlabelled random images: no quality classifier is trained, so the
	// engine starts at once.
	rng := rand.New(rand.NewPCG(9, 9))
	d := &dataset.Dataset{Name: "noise", C: 1, H: 28, W: 28, Lo: -1, Hi: 1, X: make([]float32, 8*28*28)}
	for i := range d.X {
		d.X[i] = 2*rng.Float32() - 1
	}
	s := DefaultSettings("mnist-cnn", -1, 1)
	s.Batch, s.BufferSize, s.Sampler.Steps = 2, 5, 1
	eng, err := NewEngine(EngineConfig{Trainer: Config{Data: d, Preset: "mnist-cnn", Seed: 1, Settings: s}, VisibleChains: 1})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- eng.Run(ctx) }()
	defer func() {
		cancel()
		<-done
	}()

	path := filepath.Join(t.TempDir(), "buffer.npy")
	if err := eng.SaveBufferNPY(ctx, path); err != nil {
		t.Fatal(err)
	}
	x, shape := readNPY(t, path)
	if !reflect.DeepEqual(shape, []int{5, 1, 28, 28}) || len(x) != 5*28*28 {
		t.Errorf("image buffer: shape %v with %d values, want [5 1 28 28] with %d", shape, len(x), 5*28*28)
	}
}

func readNPY(t *testing.T, path string) ([]float32, []int) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	x, shape, err := export.ReadNPY(f)
	if err != nil {
		t.Fatal(err)
	}
	return x, shape
}

func TestEngineRunConfigRoundTrip(t *testing.T) {
	h := startEngine(t)
	updateTo(t, h, 2)
	c := h.eng.RunConfig()
	if c.Data != "8gaussians" || c.Model != "mlp-2d" || c.Seed != 1 || c.Iterations != 2 {
		t.Errorf("run configuration %+v, want 8gaussians, mlp-2d, seed 1, 2 iterations", c)
	}
	path := filepath.Join(t.TempDir(), "run.toml")
	if err := c.Save(path); err != nil {
		t.Fatal(err)
	}
	back, err := runconfig.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	want := h.eng.Settings()
	defaults := DefaultSettings("mlp-2d", want.Sampler.Lo, want.Sampler.Hi)
	if got := SettingsFromConfig(back, defaults); got != want {
		t.Errorf("settings after a round trip:\n got %+v\nwant %+v", got, want)
	}
}

func TestEngineLoadConfig(t *testing.T) {
	h := startEngine(t)
	updateTo(t, h, 2)
	ctx := context.Background()
	d, err := dataset.Toy("2moons", 500, rand.New(rand.NewPCG(2, 2)))
	if err != nil {
		t.Fatal(err)
	}
	s := DefaultSettings("mlp-2d", float64(d.Lo), float64(d.Hi))
	s.Batch, s.BufferSize, s.Sampler.Steps = 16, 64, 3

	if err := h.eng.LoadConfig(ctx, Config{Data: d, Preset: "mnist-cnn", Seed: 7, Settings: s}, nil); err == nil {
		t.Error("a preset that does not fit the data was accepted")
	}
	if got := h.eng.RunConfig(); got.Data != "8gaussians" || got.Iterations != 2 {
		t.Errorf("a rejected configuration changed the run to %+v", got)
	}

	if err := h.eng.LoadConfig(ctx, Config{Data: d, Preset: "mlp-2d", Seed: 7, Settings: s}, nil); err != nil {
		t.Fatal(err)
	}
	got := h.eng.RunConfig()
	if got.Data != "2moons" || got.Seed != 7 || got.Iterations != 0 || got.Sampler.Steps != 3 {
		t.Errorf("run after LoadConfig %+v, want 2moons, seed 7, 0 iterations, 3 steps", got)
	}
}

func TestAutosaverWritesLoadableFile(t *testing.T) {
	h := startEngine(t)
	path := filepath.Join(t.TempDir(), "auto.ebm")
	saves := make(chan error, 16)
	a := NewAutosaver(h.eng, func(p string, err error) {
		if p != path {
			err = errors.New("saved to " + p)
		}
		select {
		case saves <- err:
		default:
		}
	})
	defer a.Stop()

	a.Set(path, 5*time.Millisecond)
	updateTo(t, h, 1)
	h.eng.SetRunning(true)
	select {
	case err := <-saves:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("no autosave while training")
	}
	a.Set(path, 0)
	if every, _ := a.Interval(); every != 0 {
		t.Errorf("interval %v after switching off, want 0", every)
	}
	h.eng.SetRunning(false)
	h.waitFor(t, "paused", func(s *Snapshot) bool { return !s.Running })

	meta, err := ReadCheckpointMeta(path)
	if err != nil {
		t.Fatal(err)
	}
	if meta.Iteration < 1 {
		t.Errorf("autosaved iteration %d, want at least 1", meta.Iteration)
	}
	if _, err := Resume(path, h.eng.HeldOut()); err != nil {
		t.Errorf("autosaved file does not resume: %v", err)
	}
}

func TestAutosaverSkipsWhilePaused(t *testing.T) {
	h := startEngine(t)
	updateTo(t, h, 1)
	path := filepath.Join(t.TempDir(), "auto.ebm")
	saves := make(chan struct{}, 16)
	a := NewAutosaver(h.eng, func(string, error) {
		select {
		case saves <- struct{}{}:
		default:
		}
	})
	a.Set(path, time.Millisecond)

	// The sleeps let the 1 ms autosave timer fire, and commands run in
	// order, so the ticks queued before the last Update have run once it
	// has.
	for range 3 {
		time.Sleep(5 * time.Millisecond)
		h.eng.Step()
	}
	h.eng.Update()
	h.waitFor(t, "iteration 2", func(s *Snapshot) bool { return s.Iteration == 2 })
	a.Stop()
	if n := len(saves); n != 0 {
		t.Errorf("%d autosaves while paused, want 0", n)
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("autosave file exists while paused: %v", err)
	}
}

func TestOpenDataBuiltInAndPath(t *testing.T) {
	ctx := context.Background()
	trainSet, testSet, err := OpenData(ctx, "2moons", 3, nil)
	if err != nil || trainSet.Name != "2moons" || testSet == nil {
		t.Fatalf("built-in 2moons: %v, %v", trainSet, err)
	}

	path := filepath.Join(t.TempDir(), "points.csv")
	var b strings.Builder
	for i := range 20 {
		b.WriteString(strconv.Itoa(i) + "," + strconv.Itoa(-i) + "\n")
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	trainSet, testSet, err = OpenData(ctx, path, 3, nil)
	if err != nil {
		t.Fatal(err)
	}
	if trainSet.Len()+testSet.Len() != 20 || !trainSet.IsPoints() {
		t.Errorf("CSV of 20 points gave %d + %d samples, points %v", trainSet.Len(), testSet.Len(), trainSet.IsPoints())
	}

	if _, _, err := OpenData(ctx, filepath.Join(t.TempDir(), "missing"), 3, nil); err == nil {
		t.Error("a missing path was accepted")
	}
}

func TestCallAfterStop(t *testing.T) {
	d, err := dataset.Toy("8gaussians", 100, rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		t.Fatal(err)
	}
	s := DefaultSettings("mlp-2d", float64(d.Lo), float64(d.Hi))
	s.Batch, s.BufferSize = 8, 16
	eng, err := NewEngine(EngineConfig{Trainer: Config{Data: d, Preset: "mlp-2d", Seed: 1, Settings: s}})
	if err != nil {
		t.Fatal(err)
	}

	// The engine never runs, so the command waits until the context ends.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err = eng.SaveCheckpoint(ctx, filepath.Join(t.TempDir(), "never.ebm"))
	if !errors.Is(err, ErrEngineStopped) || !errors.Is(err, context.Canceled) {
		t.Errorf("save on a stopped engine: %v, want ErrEngineStopped and context.Canceled", err)
	}
}

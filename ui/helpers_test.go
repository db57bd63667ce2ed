package ui

import (
	"context"
	"image"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/ebmlab/ebmlab/model/dataset"
	"github.com/ebmlab/ebmlab/model/train"
)

// waitLimit bounds every wait for the engine; it only stops a hung test
// and is not a speed requirement.
const waitLimit = 60 * time.Second

// enterKey is the Return key, which commits an entry.
var enterKey = &fyne.KeyEvent{Name: fyne.KeyReturn}

// toyData returns a small seeded 8-Gaussians training set.
func toyData(t *testing.T, name string) *dataset.Dataset {
	t.Helper()
	d, err := dataset.Toy(name, 256, rand.New(rand.NewPCG(1, 2)))
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// smallSettings are the mlp-2d defaults shrunk so that an iteration takes
// milliseconds under the race detector.
func smallSettings(d *dataset.Dataset) train.Settings {
	s := train.DefaultSettings("mlp-2d", float64(d.Lo), float64(d.Hi))
	s.Batch = 16
	s.BufferSize = 64
	s.Sampler.Steps = 4
	return s
}

// snapshots records the engine's snapshots for a test.
type snapshots struct {
	mu     sync.Mutex
	latest *train.Snapshot
	notify chan struct{}
}

func newSnapshots() *snapshots {
	return &snapshots{notify: make(chan struct{}, 1)}
}

func (r *snapshots) record(s *train.Snapshot) {
	r.mu.Lock()
	r.latest = s
	r.mu.Unlock()
	select {
	case r.notify <- struct{}{}:
	default:
	}
}

// waitFor returns the first recorded snapshot for which ok holds.
func (r *snapshots) waitFor(t *testing.T, what string, ok func(*train.Snapshot) bool) *train.Snapshot {
	t.Helper()
	deadline := time.After(waitLimit)
	for {
		r.mu.Lock()
		s := r.latest
		r.mu.Unlock()
		if s != nil && ok(s) {
			return s
		}
		select {
		case <-r.notify:
		case <-deadline:
			t.Fatalf("no snapshot with %s within %v", what, waitLimit)
		}
	}
}

// newEngine builds an engine on 8 Gaussians with the mlp-2d preset. With
// run set it also runs the engine until the test ends.
func newEngine(t *testing.T, rec *snapshots, run bool) *train.Engine {
	t.Helper()
	d := toyData(t, "8gaussians")
	cfg := train.EngineConfig{
		Trainer:       train.Config{Data: d, Preset: "mlp-2d", Seed: 1, Settings: smallSettings(d)},
		VisibleChains: 4,
	}
	if rec != nil {
		cfg.OnSnapshot = rec.record
	}
	eng, err := train.NewEngine(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if run {
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- eng.Run(ctx) }()
		t.Cleanup(func() {
			cancel()
			<-done
		})
	}
	return eng
}

// newTestExplorer builds an explorer in a test window of a temporary app.
func newTestExplorer(t *testing.T, eng *train.Engine, o Options) (*Explorer, fyne.Window, fyne.App) {
	t.Helper()
	a := test.NewTempApp(t)
	if o.Prefs == nil {
		o.Prefs = a.Preferences()
	}
	w := test.NewWindow(nil)
	x := NewExplorer(w, eng, o)
	w.SetContent(x.Content())
	t.Cleanup(func() {
		x.Close()
		w.Close()
	})
	return x, w, a
}

// imageSnapshot returns a hand-made snapshot of 1×8×8 images.
func imageSnapshot(iteration int) *train.Snapshot {
	rng := rand.New(rand.NewPCG(7, uint64(iteration)))
	const n, dim = 16, 64
	s := &train.Snapshot{
		Iteration:         iteration,
		ItersPerSec:       2.5,
		StepsPerSec:       150,
		SampleStepsPerSec: 19200,
		Temperature:       1.25e-6,
		Backend:           "gonum",
		Preset:            "mnist-cnn",
		DataName:          "mnist",
		C:                 1, H: 8, W: 8,
		Lo: -1, Hi: 1,
		NSamples: n,
		Samples:  uniform(rng, n*dim, -1, 1),
		Ages:     make([]int, n),
		Message:  "visible chains at step 3",
	}
	for i := range s.Ages {
		s.Ages[i] = i
	}
	for step := range 3 {
		s.Chain = append(s.Chain, train.ChainFrame{Step: step, State: uniform(rng, dim, -1, 1), Energy: float64(-step)})
	}
	s.DataEnergies = normal(rng, 200, -1)
	s.SampleEnergies = normal(rng, 100, 0)
	s.NoiseEnergies = normal(rng, 200, 2)
	for i := 1; i <= iteration; i++ {
		s.History = append(s.History, train.Metrics{Iteration: i, Loss: 1 / float64(i), EData: -float64(i), ESample: float64(i)})
	}
	s.Quality = map[string][]train.QualityPoint{
		train.QualityRecognisable: {{Iteration: 1, Value: 0.1}, {Iteration: iteration, Value: 0.4}},
	}
	return s
}

// pointsSnapshot returns a hand-made snapshot of 2-D data with a landscape.
func pointsSnapshot(iteration int) *train.Snapshot {
	rng := rand.New(rand.NewPCG(8, uint64(iteration)))

	const grid = 16
	l := &train.Landscape{XMin: -4, XMax: 4, YMin: -4, YMax: 4, NX: grid, NY: grid, E: make([]float64, grid*grid)}
	for j := range grid {
		for i := range grid {
			x, y := float64(i-grid/2), float64(j-grid/2)
			l.E[j*grid+i] = (x*x + y*y) / 10
		}
	}

	s := &train.Snapshot{
		Iteration: iteration,
		Backend:   "gonum",
		Preset:    "mlp-2d",
		DataName:  "8gaussians",
		C:         2, H: 1, W: 1,
		Lo: -4, Hi: 4,
		Landscape:    l,
		DataPoints:   uniform(rng, 200, -3, 3),
		SamplePoints: uniform(rng, 64, -3, 3),
		NSamples:     32,
	}
	s.Samples = s.SamplePoints

	for step := range 4 {
		s.Chain = append(s.Chain, train.ChainFrame{Step: step, State: uniform(rng, 2, -3, 3), Energy: float64(4 - step)})
	}
	s.DataEnergies = normal(rng, 100, -1)
	s.SampleEnergies = normal(rng, 32, 0)
	s.NoiseEnergies = normal(rng, 100, 1)
	for i := 1; i <= iteration; i++ {
		s.History = append(s.History, train.Metrics{Iteration: i, EData: -1, ESample: 1})
	}
	return s
}

func uniform(rng *rand.Rand, n int, lo, hi float32) []float32 {
	x := make([]float32, n)
	for i := range x {
		x[i] = lo + (hi-lo)*rng.Float32()
	}
	return x
}

func normal(rng *rand.Rand, n int, mean float64) []float64 {
	x := make([]float64, n)
	for i := range x {
		x[i] = mean + rng.NormFloat64()
	}
	return x
}

// colourCount returns the number of distinct colours in img, up to limit.
func colourCount(img image.Image, limit int) int {
	seen := map[[4]uint32]bool{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, a := img.At(x, y).RGBA()
			seen[[4]uint32{r, g, bl, a}] = true
			if len(seen) >= limit {
				return len(seen)
			}
		}
	}
	return len(seen)
}

package train

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/ebmlab/ebmlab/model/dataset"
)

// benchTrainer returns a trainer on synthetic data with the default
// settings of preset: 2048 uniform 28×28 images in [-1, 1] for mnist-cnn,
// 8192 points from eight Gaussians of radius 2 and standard deviation 0.02
// for mlp-2d.
func benchTrainer(b *testing.B, preset string) *Trainer {
	b.Helper()
	rng := rand.New(rand.NewPCG(9, 9))
	var d *dataset.Dataset
	switch preset {
	case "mnist-cnn":
		x := make([]float32, 2048*28*28)
		for i := range x {
			x[i] = float32(2*rng.Float64() - 1)
		}
		d = &dataset.Dataset{Name: "uniform", C: 1, H: 28, W: 28, X: x, Lo: -1, Hi: 1}
	case "mlp-2d":
		x := make([]float32, 2*8192)
		for i := range 8192 {
			angle := float64(rng.IntN(8)) * math.Pi / 4
			x[2*i] = float32(2*math.Cos(angle) + 0.02*rng.NormFloat64())
			x[2*i+1] = float32(2*math.Sin(angle) + 0.02*rng.NormFloat64())
		}
		d = &dataset.Dataset{Name: "8gaussians", C: 2, H: 1, W: 1, X: x, Lo: -3, Hi: 3}
	}
	tr, err := New(Config{Data: d, Preset: preset, Seed: 1, Settings: DefaultSettings(preset, float64(d.Lo), float64(d.Hi))})
	if err != nil {
		b.Fatal(err)
	}
	return tr
}

// benchIterate times Trainer.Iterate, Langevin sampling included, and checks
// that it allocates nothing after the first iteration except the one
// Metrics entry that History appends.
func benchIterate(b *testing.B, preset string) {
	tr := benchTrainer(b, preset)
	ctx := context.Background()
	if _, _, err := tr.Iterate(ctx, nil); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		_, event, err := tr.Iterate(ctx, nil)
		if err != nil || event != nil {
			b.Fatalf("iteration failed: %v %v", err, event)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "iterations/s")
}

func BenchmarkTrainIterationMNIST(b *testing.B) { benchIterate(b, "mnist-cnn") }
func BenchmarkTrainIterationMLP2D(b *testing.B) { benchIterate(b, "mlp-2d") }

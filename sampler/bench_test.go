package sampler

import (
	"context"
	"math/rand/v2"
	"testing"
)

func benchmarkLangevinStep(b *testing.B, chains, dim int) {
	l := NewLangevin(cheapQuadratic{dim: dim}, dim)
	x := make([]float32, chains*dim)
	s := Settings{StepSize: 0.01, Temperature1: true, Steps: 1, GradClip: 0.03, Clamp: true, Lo: -1, Hi: 1}
	rng := rand.New(rand.NewPCG(1, 2))
	if _, err := l.Step(x, chains, s, rng); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(4 * len(x)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := l.Step(x, chains, s, rng); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkLangevinStep128x2(b *testing.B)   { benchmarkLangevinStep(b, 128, 2) }
func BenchmarkLangevinStep64x784(b *testing.B)  { benchmarkLangevinStep(b, 64, 784) }
func BenchmarkLangevinStep128x784(b *testing.B) { benchmarkLangevinStep(b, 128, 784) }

func BenchmarkLangevinRun60Steps64x784(b *testing.B) {
	const chains, dim = 64, 784
	l := NewLangevin(cheapQuadratic{dim: dim}, dim)
	x := make([]float32, chains*dim)
	s := Settings{StepSize: 0.01, Temperature1: true, Steps: 60}
	settings := func() Settings { return s }
	rng := rand.New(rand.NewPCG(1, 2))
	ctx := context.Background()
	if _, err := l.Run(ctx, x, chains, settings, rng, nil); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := l.Run(ctx, x, chains, settings, rng, nil); err != nil {
			b.Fatal(err)
		}
	}
}

func benchmarkBufferDrawPut(b *testing.B, capacity, batch, dim int) {
	rng := rand.New(rand.NewPCG(1, 2))
	buf := NewBuffer(capacity, dim, 0, 1, rng)
	dst := make([]float32, batch*dim)
	idx := make([]int, batch)
	fresh := make([]bool, batch)
	b.SetBytes(int64(4 * len(dst)))
	b.ReportAllocs()
	for b.Loop() {
		buf.Draw(dst, idx, fresh, 0.05, rng)
		buf.Put(idx, fresh, dst)
	}
}

func BenchmarkBufferDrawPut10000x128x784(b *testing.B) { benchmarkBufferDrawPut(b, 10000, 128, 784) }
func BenchmarkBufferDrawPut1000x128x2(b *testing.B)    { benchmarkBufferDrawPut(b, 1000, 128, 2) }

// BenchmarkNormFloat64 measures the Gaussian draw that Langevin makes for
// every coordinate at every step.
func BenchmarkNormFloat64(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	var sum float64
	b.ReportAllocs()
	for b.Loop() {
		sum += rng.NormFloat64()
	}
	_ = sum
}

package main

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"runtime"
	"strconv"
	"time"

	"github.com/ebmlab/ebmlab/model/backend"
	"github.com/ebmlab/ebmlab/model/dataset"
	"github.com/ebmlab/ebmlab/model/train"
	"github.com/ebmlab/ebmlab/sampler"
)

// Timing rules of the reference script. Langevin is timed after one warm-up
// run, over at least minRuns runs and minSeconds. Training is timed over
// trainIterations iterations after one warm-up iteration.
const (
	minRuns         = 3
	minSeconds      = 3.0
	trainIterations = 5
)

// workload is one network with its sampler and training settings.
type workload struct {
	name     string // figure prefix, as the reference script names it
	preset   string // model preset
	data     *dataset.Dataset
	settings train.Settings
}

func main() {
	threads := 1
	if len(os.Args) > 1 {
		n, err := strconv.Atoi(os.Args[1])
		if err != nil || n < 1 {
			fmt.Fprintf(os.Stderr, "ebmbench: invalid thread count %q: use a positive integer\n", os.Args[1])
			os.Exit(2)
		}
		threads = n
	}
	runtime.GOMAXPROCS(threads)
	backend.SetThreads(threads)
	fmt.Printf("# ebmlab %s, %s, threads %d\n", runtime.Version(), backend.Name(), backend.Threads())

	rng := rand.New(rand.NewPCG(0, 0))
	for _, w := range []workload{mnistWorkload(rng), mlpWorkload(rng)} {
		if err := run(w); err != nil {
			fmt.Fprintf(os.Stderr, "ebmbench: %s: %v\n", w.name, err)
			os.Exit(1)
		}
	}
}

// mnistWorkload returns the CNN on 2048 uniform stand-in images in [-1, 1]:
// batch 128, 60 steps of size 10, noise 0.005, gradients clipped to ±0.03,
// samples clamped to [-1, 1], Adam with learning rate 1e-4 and β = (0,
// 0.999), α = 0.1, an 8192-sample buffer with 5% reinitialisation.
func mnistWorkload(rng *rand.Rand) workload {
	const n, dim = 2048, 28 * 28
	x := make([]float32, n*dim)
	for i := range x {
		x[i] = float32(2*rng.Float64() - 1)
	}
	s := train.DefaultSettings("mnist-cnn", -1, 1)
	s.Batch, s.BufferSize, s.Reinit, s.Alpha = 128, 8192, 0.05, 0.1
	s.DataNoise = 0
	s.Adam.LR, s.Adam.Beta1, s.Adam.Beta2 = 1e-4, 0, 0.999
	s.Sampler = sampler.Settings{StepSize: 10, Noise: 0.005, Steps: 60, GradClip: 0.03, Clamp: true, Lo: -1, Hi: 1}
	return workload{
		name:     "mnist-cnn",
		preset:   "mnist-cnn",
		data:     &dataset.Dataset{Name: "uniform", C: 1, H: 28, W: 28, X: x, Lo: -1, Hi: 1},
		settings: s,
	}
}

// mlpWorkload returns the 2-D MLP on 8192 points from eight Gaussians of
// standard deviation 0.02 on a circle of radius 2. Langevin runs 100 steps
// of size 0.01 on a batch of 1024 with noise √0.02, without clipping or
// clamping. Adam uses learning rate 1e-3, and the buffer starts uniform in
// [-3, 3]².
func mlpWorkload(rng *rand.Rand) workload {
	const n = 8192
	x := make([]float32, 2*n)
	for i := range n {
		angle := float64(rng.IntN(8)) * 2 * math.Pi / 8
		x[2*i] = float32(2*math.Cos(angle) + 0.02*rng.NormFloat64())
		x[2*i+1] = float32(2*math.Sin(angle) + 0.02*rng.NormFloat64())
	}
	s := train.DefaultSettings("mlp-2d", -3, 3)
	s.Batch, s.BufferSize, s.Reinit, s.Alpha = 1024, 8192, 0.05, 0.1
	s.DataNoise = 0
	s.Adam.LR, s.Adam.Beta1, s.Adam.Beta2 = 1e-3, 0, 0.999
	s.Sampler = sampler.Settings{StepSize: 0.01, Noise: math.Sqrt(0.02), Steps: 100}
	return workload{
		name:     "2d-mlp",
		preset:   "mlp-2d",
		data:     &dataset.Dataset{Name: "8gaussians", C: 2, H: 1, W: 1, X: x, Lo: -3, Hi: 3},
		settings: s,
	}
}

// run times Langevin sampling and training iterations of w and prints the
// figures.
func run(w workload) error {
	ctx := context.Background()
	t, err := train.New(train.Config{Data: w.data, Preset: w.preset, Seed: 1, Settings: w.settings})
	if err != nil {
		return err
	}
	net := t.Network()
	flops := net.FLOPsPerSample()
	fmt.Printf("%s.forward_flops_per_sample %d flop\n", w.name, flops)

	// Langevin from a fixed uniform start, as the reference restarts from
	// the same x0 every run.
	s := w.settings.Sampler
	b, dim := w.settings.Batch, w.data.Dim()
	lang := sampler.NewLangevin(net, dim)
	rng := rand.New(rand.NewPCG(3, 3))
	x0 := make([]float32, b*dim)
	for i := range x0 {
		x0[i] = w.data.Lo + (w.data.Hi-w.data.Lo)*rng.Float32()
	}
	x := make([]float32, len(x0))
	settings := func() sampler.Settings { return s }
	sample := func() error {
		copy(x, x0)
		_, err := lang.Run(ctx, x, b, settings, rng, nil)
		return err
	}
	if err := sample(); err != nil {
		return err
	}
	runs, start := 0, time.Now()
	for runs < minRuns || time.Since(start).Seconds() < minSeconds {
		if err := sample(); err != nil {
			return err
		}
		runs++
	}
	rate := float64(runs*b*s.Steps) / time.Since(start).Seconds()
	fmt.Printf("%s.langevin_sample_steps_per_s %.1f 1/s\n", w.name, rate)
	fmt.Printf("%s.langevin_gflops_per_s %.2f GFLOP/s\n", w.name, rate*2*float64(flops)/1e9)

	iterate := func() error {
		_, event, err := t.Iterate(ctx, nil)
		if err != nil {
			return err
		}
		if event != nil {
			return fmt.Errorf("training diverged: %v", event)
		}
		return nil
	}
	if err := iterate(); err != nil {
		return err
	}
	start = time.Now()
	for range trainIterations {
		if err := iterate(); err != nil {
			return err
		}
	}
	fmt.Printf("%s.train_iterations_per_s %.3f 1/s\n", w.name, trainIterations/time.Since(start).Seconds())
	return nil
}

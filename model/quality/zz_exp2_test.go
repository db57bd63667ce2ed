package quality

import (
	"context"
	"math/rand/v2"
	"syscall"
	"testing"
	"time"

	"github.com/ebmlab/ebmlab/model/dataset"
)

func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func TestZZTime(t *testing.T) {
	train, test, _ := dataset.Load("mnist", 0)
	sub := *train
	sub.X = train.X[:8000*784]
	sub.Labels = train.Labels[:8000]
	real := train.X[8000*784 : 8128*784]
	rng := rand.New(rand.NewPCG(2, 3))
	uniform := make([]float32, 128*784)
	for i := range uniform {
		uniform[i] = float32(2*rng.Float64() - 1)
	}
	for _, cfg := range []trainConfig{defaultConfig, {128, 4, 64, 8, 5e-3, 2}, {128, 3, 64, 8, 5e-3, 1}} {
		for seed := uint64(1); seed <= 3; seed++ {
			start := cpuTime()
			c, acc, _ := trainClassifier(context.Background(), &sub, test, rand.New(rand.NewPCG(seed, 1)), cfg)
			t.Logf("%+v seed %d cpu %v acc %.4f real %+v noise %+v", cfg, seed, cpuTime()-start, acc, c.Score(real, 128), c.Score(uniform, 128))
		}
	}
}

package sampler_test

import (
	"context"
	"fmt"
	"math/rand/v2"

	"github.com/ebmlab/ebmlab/sampler"
)

// gaussian is the energy E(x) = (x − 2)²/2 of the unit Gaussian at 2, on
// 1-D samples.
type gaussian struct{}

func (gaussian) InputGrad(e, dx, x []float32) {
	for i, v := range x {
		d := v - 2
		e[i] = d * d / 2
		dx[i] = d
	}
}

// Example shows one training iteration's sampling: draw a batch from the
// replay buffer, run Langevin on it and write the chains back.
func Example() {
	const batch = 1000
	rng := rand.New(rand.NewPCG(1, 2))
	buf := sampler.NewBuffer(5000, 1, -1, 1, rng)
	l := sampler.NewLangevin(gaussian{}, 1)
	settings := func() sampler.Settings {
		return sampler.Settings{StepSize: 0.05, Temperature1: true, Steps: 200}
	}
	x := make([]float32, batch)
	idx := make([]int, batch)
	fresh := make([]bool, batch)

	buf.Draw(x, idx, fresh, 0.05, rng)
	stats, err := l.Run(context.Background(), x, batch, settings, rng, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	buf.Put(idx, fresh, x)

	var mean float64
	for _, v := range x {
		mean += float64(v) / batch
	}
	fmt.Printf("steps %d, mean %.1f, age %d\n", stats.Steps, mean, buf.Age(idx[0]))
	// Output: steps 200, mean 2.0, age 1
}

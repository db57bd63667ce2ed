package train

import (
	"context"
	"fmt"
	"math/rand/v2"

	"github.com/ebmlab/ebmlab/model"
	"github.com/ebmlab/ebmlab/model/dataset"
	"github.com/ebmlab/ebmlab/sampler"
)

// Model returns a private copy of the weights that Energy uses, taken at
// the last histogram refresh. The caller owns it, so it may run Langevin
// on it from its own goroutine while training goes on.
func (e *Engine) Model() *model.Network {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.eval.Clone()
}

// HeldOut returns the held-out data of the current model: EngineConfig.Test,
// or the training set when no test set was given. The data set is shared
// and must be treated as read-only.
func (e *Engine) HeldOut() *dataset.Dataset {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.heldOut
}

// Relax runs s.Steps Langevin steps from x on net and returns the
// trajectory: the start and every every-th state, each with its energy, and
// always the last state. x is not modified. It returns ctx.Err() when ctx
// is cancelled and a *sampler.DivergenceError when a step diverges, with
// the frames recorded so far.
func Relax(ctx context.Context, net *model.Network, x []float32, s sampler.Settings, every int, rng *rand.Rand) ([]ChainFrame, error) {
	dim := net.InShape().Size()
	if len(x) != dim {
		panic(fmt.Sprintf("train: Relax input has %d values, want %d", len(x), dim))
	}
	if every < 1 {
		panic(fmt.Sprintf("train: Relax frame interval %d, want at least 1", every))
	}
	if err := s.Validate(); err != nil {
		return nil, err
	}

	state := append([]float32(nil), x...)
	energy := make([]float32, 1)
	lang := sampler.NewLangevin(net, dim)
	frame := func(step int) ChainFrame {
		net.Energy(energy, state)
		return frameOf(step, state, 0, dim, float64(energy[0]))
	}

	frames := []ChainFrame{frame(0)}
	for step := 1; step <= s.Steps; step++ {
		if err := ctx.Err(); err != nil {
			return frames, err
		}
		if _, err := lang.Step(state, 1, s, rng); err != nil {
			return frames, err
		}
		if step%every == 0 || step == s.Steps {
			frames = append(frames, frame(step))
		}
	}
	return frames, nil
}

// Inpaint samples the values of x where hidden is true with Langevin on
// net, keeping the other values fixed, for len(dst)/len(x) chains that
// start from independent uniform noise over [s.Lo, s.Hi] in the hidden
// area. It writes the completions into dst, chain after chain, and their
// final energies into energies, which must have one value per chain or be
// nil.
//
// The observed values of every chain are bit-identical to x after every
// step, because they are written back from x after each Langevin step, so
// the hidden values evolve under the gradient at the observed ones. The
// noise range is that of s even when s.Clamp is off. Inpaint returns
// ctx.Err() when ctx is cancelled and a *sampler.DivergenceError when a
// step diverges, leaving dst at the last good state.
func Inpaint(ctx context.Context, dst []float32, energies []float32, net *model.Network, x []float32, hidden []bool, s sampler.Settings, rng *rand.Rand) error {
	dim := net.InShape().Size()
	if len(x) != dim || len(hidden) != dim {
		panic(fmt.Sprintf("train: Inpaint input has %d values and mask %d, want %d each", len(x), len(hidden), dim))
	}
	if len(dst) == 0 || len(dst)%dim != 0 {
		panic(fmt.Sprintf("train: Inpaint destination has %d values, want a positive multiple of %d", len(dst), dim))
	}
	chains := len(dst) / dim
	if energies != nil && len(energies) != chains {
		panic(fmt.Sprintf("train: Inpaint energies has %d values, want %d", len(energies), chains))
	}
	if err := s.Validate(); err != nil {
		return err
	}

	for c := range chains {
		row := dst[c*dim : (c+1)*dim]
		for i, h := range hidden {
			if h {
				row[i] = float32(s.Lo + rng.Float64()*(s.Hi-s.Lo))
			} else {
				row[i] = x[i]
			}
		}
	}

	lang := sampler.NewLangevin(net, dim)
	for range s.Steps {
		if err := ctx.Err(); err != nil {
			return err
		}
		if _, err := lang.Step(dst, chains, s, rng); err != nil {
			return err
		}
		for c := range chains {
			row := dst[c*dim : (c+1)*dim]
			for i, h := range hidden {
				if !h {
					row[i] = x[i]
				}
			}
		}
	}

	if energies != nil {
		net.Energy(energies, dst)
	}
	return nil
}

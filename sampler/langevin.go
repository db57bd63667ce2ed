package sampler

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
)

// DefaultMaxAbs is the divergence bound on |x| that Langevin uses when its
// MaxAbs field is 0.
const DefaultMaxAbs = 1e6

// Langevin is the unadjusted Langevin sampler. Each step sets
//
//	x ← clamp(x − λ·clip(∇E(x), ±c) + σ·ξ, lo, hi)
//
// with ξ ~ N(0, I) drawn fresh for every coordinate of every chain at every
// step, by a float32 ziggurat that takes its random bits from the rand.Rand
// passed in (see fillNormal). A Langevin keeps scratch space
// that grows with the largest batch it has seen, so it is not safe for
// concurrent use.
type Langevin struct {
	// MaxAbs is the divergence bound on |x| for every coordinate, and 0
	// selects DefaultMaxAbs. A step whose result would exceed it, or that
	// meets NaN or ±Inf in x, E or ∇E, returns a *DivergenceError and leaves
	// x unchanged.
	MaxAbs float64

	// SkipFinalEnergy makes Run skip the energy evaluation after the last
	// step, one more input-gradient pass per run, and leave
	// RunStats.FinalEnergy at 0. A trainer that evaluates the samples
	// itself right after the run sets it.
	SkipFinalEnergy bool

	energy Energy
	dim    int

	e     []float32 // energies, one per chain
	dx    []float32 // ∂E/∂x, same layout as x
	next  []float32 // proposed state, copied into x only when the whole step is finite and in bounds
	noise []float32 // the N(0, 1) draws ξ of one step, same layout as x
}

var _ Sampler = (*Langevin)(nil)

// NewLangevin returns a sampler for e over samples of dim values each. It
// panics if e is nil or dim < 1.
func NewLangevin(e Energy, dim int) *Langevin {
	if e == nil {
		panic("sampler: nil Energy")
	}
	if dim < 1 {
		panic(fmt.Sprintf("sampler: invalid dimension %d: must be >= 1", dim))
	}
	return &Langevin{energy: e, dim: dim}
}

// Dim returns the number of values per sample.
func (l *Langevin) Dim() int { return l.dim }

// Step advances the n chains stored back to back in x by one Langevin step
// under s. It returns the error from s.Validate for invalid settings, and a
// *DivergenceError with Step = 0 when the step diverges. In both cases x is
// unchanged. Step panics if len(x) != n·Dim() or rng is nil.
func (l *Langevin) Step(x []float32, n int, s Settings, rng *rand.Rand) (StepStats, error) {
	l.checkBatch(x, n, rng)
	if err := s.Validate(); err != nil {
		return StepStats{}, err
	}
	return l.step(x, n, s, rng, 0)
}

// Run advances the n chains in x by settings().Steps Langevin steps. It
// calls settings before every step, so λ, σ, K, the clip and the clamp can
// change between any two steps, and lowering K below the steps done ends
// the run. If observe is not nil, Run calls it after each step with the
// 1-based step number and x. Run checks ctx before every step and before
// the final energy evaluation, and returns ctx.Err() once ctx is cancelled.
//
// Run returns the error from Settings.Validate if settings() returns
// invalid settings, and a *DivergenceError whose Step is the failed step.
// The returned RunStats then describe the steps completed before the
// error. After the last step Run evaluates the energy once more to report
// RunStats.FinalEnergy, unless SkipFinalEnergy is set. observe must not keep x after it returns, because
// x changes in the next step. Run panics if len(x) != n·Dim() or if rng or
// settings is nil.
func (l *Langevin) Run(ctx context.Context, x []float32, n int, settings func() Settings, rng *rand.Rand, observe func(step int, x []float32)) (RunStats, error) {
	l.checkBatch(x, n, rng)
	if settings == nil {
		panic("sampler: nil settings function")
	}

	var (
		stats       RunStats
		s           Settings
		gradNormSum float64
	)
	for step := 1; ; step++ {
		if err := ctx.Err(); err != nil {
			return stats, err
		}
		s = settings()
		if err := s.Validate(); err != nil {
			return stats, err
		}
		if step > s.Steps {
			break
		}

		st, err := l.step(x, n, s, rng, step)
		if err != nil {
			return stats, err
		}
		stats.Steps = step
		gradNormSum += st.MeanGradNorm
		stats.MeanGradNorm = gradNormSum / float64(step)
		if observe != nil {
			observe(step, x)
		}
	}

	if n == 0 || l.SkipFinalEnergy {
		return stats, nil
	}
	e, dx := l.grow(n)
	l.energy.InputGrad(e, dx, x)
	var sum float64
	for i, v := range e {
		if isNonFinite(float64(v)) {
			return stats, &DivergenceError{
				Step:     stats.Steps,
				Cause:    describeBad("energy after the last step", v, i, 0),
				Settings: s,
			}
		}
		sum += float64(v)
	}
	stats.FinalEnergy = sum / float64(n)
	return stats, nil
}

// step performs one step with validated settings. number is the 1-based
// step within Run, or 0 for a direct call of Step.
func (l *Langevin) step(x []float32, n int, s Settings, rng *rand.Rand, number int) (StepStats, error) {
	if n == 0 {
		return StepStats{}, nil
	}
	bound := l.bound()
	diverged := func(cause string) error {
		return &DivergenceError{Step: number, Cause: cause, Settings: s}
	}

	if i := firstOutside(x, bound); i >= 0 {
		return StepStats{}, diverged(describeBad("x", x[i], i/l.dim, bound))
	}

	e, dx := l.grow(n)
	l.energy.InputGrad(e, dx, x)
	var stats StepStats
	for i, v := range e {
		if isNonFinite(float64(v)) {
			return StepStats{}, diverged(describeBad("energy", v, i, 0))
		}
		stats.MeanEnergy += float64(v)
	}
	for i := range n {
		var sq float64
		chain := dx[i*l.dim : (i+1)*l.dim]
		for _, g := range chain {
			sq += float64(g) * float64(g)
		}
		// A NaN or ±Inf component makes sq NaN or +Inf, and only then,
		// because sums of squares of finite float32 values stay far below
		// the float64 maximum.
		if isNonFinite(sq) {
			for _, g := range chain {
				if isNonFinite(float64(g)) {
					return StepStats{}, diverged(describeBad("energy gradient", g, i, 0))
				}
			}
		}
		stats.MeanGradNorm += math.Sqrt(sq)
	}
	stats.MeanEnergy /= float64(n)
	stats.MeanGradNorm /= float64(n)

	next := l.next[:len(x)]
	if i := propose(next, x, dx, l.noise[:len(x)], s, bound, rng); i >= 0 {
		return StepStats{}, diverged(describeBad("x after the step", next[i], i/l.dim, bound))
	}
	copy(x, next)
	return stats, nil
}

// propose writes clamp(x − λ·clip(dx) + σ·ξ) into dst, with ξ drawn into
// noise first. It returns the index of the first value that is not finite or
// exceeds bound in magnitude, with that value stored in dst, or -1 when all
// values are valid.
func propose(dst, x, dx, noise []float32, s Settings, bound float64, rng *rand.Rand) int {
	lambda, sigma, c := s.StepSize, s.NoiseStd(), s.GradClip
	lo, hi := s.Lo, s.Hi
	limit := min(bound, math.MaxFloat32)
	dst, dx, noise = dst[:len(x)], dx[:len(x)], noise[:len(x)]
	if sigma > 0 {
		fillNormal(noise, rng)
	} else {
		clear(noise)
	}

	for i, xi := range x {
		// The built-in min and max keep a NaN, so the check at the end of
		// the loop still rejects it. On amd64 (Go 1.26) they compile to
		// MINSD and MAXSD without data-dependent branches, which clamped
		// pixels would otherwise mispredict.
		g := float64(dx[i])
		if c > 0 {
			g = min(max(g, -c), c)
		}
		v := float64(xi) - lambda*g
		v += sigma * float64(noise[i])
		if s.Clamp {
			v = min(max(v, lo), hi)
		}

		f := float32(v)
		dst[i] = f
		if !(math.Abs(float64(f)) <= limit) {
			return i
		}
	}
	return -1
}

// firstOutside returns the index of the first value in v that is NaN, ±Inf
// or larger than bound in magnitude, or -1.
func firstOutside(v []float32, bound float64) int {
	limit := min(bound, math.MaxFloat32)
	for i, f := range v {
		if !(math.Abs(float64(f)) <= limit) {
			return i
		}
	}
	return -1
}

// describeBad formats the cause of a divergence for the value v of a chain.
// The message names bound only when v is finite, because then v exceeded it.
func describeBad(what string, v float32, chain int, bound float64) string {
	switch {
	case math.IsNaN(float64(v)):
		return fmt.Sprintf("NaN in %s of chain %d", what, chain)
	case math.IsInf(float64(v), 0):
		return fmt.Sprintf("%+v in %s of chain %d", v, what, chain)
	default:
		return fmt.Sprintf("|x| = %.3g in chain %d exceeds bound %.3g", math.Abs(float64(v)), chain, bound)
	}
}

func (l *Langevin) bound() float64 {
	switch {
	case l.MaxAbs == 0:
		return DefaultMaxAbs
	case l.MaxAbs > 0:
		return l.MaxAbs
	default:
		panic(fmt.Sprintf("sampler: invalid Langevin.MaxAbs %v: must be > 0, or 0 for the default %g", l.MaxAbs, float64(DefaultMaxAbs)))
	}
}

// grow returns the energy and gradient scratch slices for n chains,
// reallocating only when n exceeds every earlier batch.
func (l *Langevin) grow(n int) (e, dx []float32) {
	if cap(l.e) < n {
		l.e = make([]float32, n)
	}
	if cap(l.dx) < n*l.dim {
		l.dx = make([]float32, n*l.dim)
		l.next = make([]float32, n*l.dim)
		l.noise = make([]float32, n*l.dim)
	}
	return l.e[:n], l.dx[:n*l.dim]
}

func (l *Langevin) checkBatch(x []float32, n int, rng *rand.Rand) {
	if n < 0 {
		panic(fmt.Sprintf("sampler: negative batch size %d", n))
	}
	if len(x) != n*l.dim {
		panic(fmt.Sprintf("sampler: len(x) = %d, want n·dim = %d·%d = %d", len(x), n, l.dim, n*l.dim))
	}
	if rng == nil {
		panic("sampler: nil *rand.Rand")
	}
}

package sampler

import (
	"fmt"
	"math/rand/v2"
)

// Energy is a batched energy function with its input gradient, the
// interface through which samplers call the model.
type Energy interface {
	// InputGrad writes E(x_i) into e[i] and ∂E/∂x_i into dx, in the layout
	// of x, for the len(e) inputs stored back to back in x. It must not
	// modify x or keep e, dx or x after it returns.
	InputGrad(e, dx, x []float32)
}

// Sampler advances a batch of chains in place. Langevin implements it, and
// Metropolis-adjusted samplers such as MALA or HMC can implement it too.
type Sampler interface {
	// Step advances the n chains stored back to back in x by one step.
	Step(x []float32, n int, s Settings, rng *rand.Rand) (StepStats, error)
}

// StepStats summarises one step over a batch.
type StepStats struct {
	MeanEnergy   float64 // mean E over chains, before the step
	MeanGradNorm float64 // mean over chains of the L2 norm of ∂E/∂x before clipping
}

// RunStats summarises one sampling run.
type RunStats struct {
	Steps        int     // steps completed
	MeanGradNorm float64 // StepStats.MeanGradNorm averaged over the completed steps, or 0 when none completed
	FinalEnergy  float64 // mean E over chains after the last step, set only when Run returns a nil error
}

// DivergenceError reports a step that produced NaN or Inf, or moved a
// coordinate beyond the divergence bound. The chains keep the values they
// had before that step.
type DivergenceError struct {
	Step     int      // 1-based step number within Run, or 0 when the error comes from a direct call of Step
	Cause    string   // description of the failure, e.g. "NaN in energy gradient of chain 3" or "|x| = 3.2e+06 in chain 4 exceeds bound 1e+06"
	Settings Settings // settings in force at that step
}

// Error describes the failure, the settings in force and how to avoid it.
func (e *DivergenceError) Error() string {
	where := "in a Langevin step"
	if e.Step > 0 {
		where = fmt.Sprintf("at Langevin step %d", e.Step)
	}
	return fmt.Sprintf("chains diverged %s: %s (%v): reduce the step size, set a gradient clip or enable the clamp",
		where, e.Cause, e.Settings)
}

package optim

import (
	"fmt"
	"math"

	"github.com/ebmlab/ebmlab/model"
)

// AdamConfig holds the hyperparameters of Adam.
type AdamConfig struct {
	LR    float64 // learning rate, about the largest change of one parameter per step
	Beta1 float64 // decay of the first moment; 0 turns momentum off
	Beta2 float64 // decay of the second moment
	Eps   float64 // added to √v̂ so that the division stays finite

	// Clip > 0: scale all gradients so their global L2 norm is at most
	// Clip; 0 disables.
	Clip float64
}

// DefaultAdam returns the settings common in energy-based model training:
// LR 1e-4, Beta1 0, Beta2 0.999, Eps 1e-8 and no clipping.
func DefaultAdam() AdamConfig {
	return AdamConfig{LR: 1e-4, Beta1: 0, Beta2: 0.999, Eps: 1e-8, Clip: 0}
}

// Validate returns an error that names the first invalid value and its valid
// range, or nil.
func (c AdamConfig) Validate() error {
	finite := func(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
	switch {
	case !finite(c.LR) || c.LR <= 0:
		return fmt.Errorf("invalid Adam learning rate %g: want a positive finite value such as 1e-4", c.LR)
	case !finite(c.Beta1) || c.Beta1 < 0 || c.Beta1 >= 1:
		return fmt.Errorf("invalid Adam beta1 %g: want a value in [0, 1), such as 0 or 0.9", c.Beta1)
	case !finite(c.Beta2) || c.Beta2 < 0 || c.Beta2 >= 1:
		return fmt.Errorf("invalid Adam beta2 %g: want a value in [0, 1), such as 0.999", c.Beta2)
	case !finite(c.Eps) || c.Eps <= 0:
		return fmt.Errorf("invalid Adam epsilon %g: want a positive finite value such as 1e-8", c.Eps)
	case !finite(c.Clip) || c.Clip < 0:
		return fmt.Errorf("invalid gradient clip norm %g: want 0 to disable clipping or a positive finite norm", c.Clip)
	}
	return nil
}

// Adam holds the optimiser state for one list of parameter tensors.
type Adam struct {
	cfg  AdamConfig
	t    int
	m, v [][]float32
}

// NewAdam returns an optimiser for params with zero moments and step count.
// It panics if cfg is invalid; check user settings with Validate first.
func NewAdam(params []model.Param, cfg AdamConfig) *Adam {
	mustValidate(cfg)
	a := &Adam{
		cfg: cfg,
		m:   make([][]float32, len(params)),
		v:   make([][]float32, len(params)),
	}
	for i, p := range params {
		a.m[i] = make([]float32, len(p.Value))
		a.v[i] = make([]float32, len(p.Value))
	}
	return a
}

func mustValidate(cfg AdamConfig) {
	if err := cfg.Validate(); err != nil {
		panic("optim: " + err.Error())
	}
}

// SetConfig replaces the hyperparameters from the next Step on; the moments
// and step count are kept. It panics if cfg is invalid.
func (a *Adam) SetConfig(cfg AdamConfig) {
	mustValidate(cfg)
	a.cfg = cfg
}

// Config returns the current hyperparameters.
func (a *Adam) Config() AdamConfig {
	return a.cfg
}

// Steps returns the number of updates applied so far.
func (a *Adam) Steps() int {
	return a.t
}

// Step applies one update to params (same list as NewAdam) and returns the
// global gradient L2 norm before clipping. If that norm is NaN or infinite,
// Step changes neither the parameters nor its state, so that one bad batch
// cannot overwrite every weight. The caller sees the norm and decides what
// to do.
func (a *Adam) Step(params []model.Param) float64 {
	a.checkParams(params)

	var sumSquares float64
	for _, p := range params {
		for _, g := range p.Grad {
			sumSquares += float64(g) * float64(g)
		}
	}
	norm := math.Sqrt(sumSquares)
	if math.IsNaN(norm) || math.IsInf(norm, 0) {
		return norm
	}
	scale := 1.0
	if a.cfg.Clip > 0 && norm > a.cfg.Clip {
		scale = a.cfg.Clip / norm
	}

	a.t++
	// 1 − β is rounded from float64, because 1 − float32(0.999) is off by
	// 5e-5 relative, which would bias v against the float64 correction.
	beta1, beta2 := float32(a.cfg.Beta1), float32(a.cfg.Beta2)
	rest1, rest2 := float32(1-a.cfg.Beta1), float32(1-a.cfg.Beta2)
	stepSize := float32(a.cfg.LR / (1 - math.Pow(a.cfg.Beta1, float64(a.t))))
	invSqrtBias2 := float32(1 / math.Sqrt(1-math.Pow(a.cfg.Beta2, float64(a.t))))
	eps, gradScale := float32(a.cfg.Eps), float32(scale)
	for i, p := range params {
		m, v := a.m[i], a.v[i]
		value, grad := p.Value[:len(m)], p.Grad[:len(m)]
		v = v[:len(m)]
		for j, g := range grad {
			g *= gradScale
			m[j] = beta1*m[j] + rest1*g
			v[j] = beta2*v[j] + rest2*g*g
			denom := float32(math.Sqrt(float64(v[j])))*invSqrtBias2 + eps
			value[j] -= stepSize * m[j] / denom
		}
	}
	return norm
}

func (a *Adam) checkParams(params []model.Param) {
	if len(params) != len(a.m) {
		panic(fmt.Sprintf("optim: %d parameter tensors, the optimiser was built for %d", len(params), len(a.m)))
	}
	for i, p := range params {
		if len(p.Value) != len(a.m[i]) || len(p.Grad) != len(a.m[i]) {
			panic(fmt.Sprintf("optim: parameter %s has %d values and %d gradients, the optimiser was built for %d",
				p.Name, len(p.Value), len(p.Grad), len(a.m[i])))
		}
	}
}

// AdamState is a copy of an Adam optimiser's state: the step count and the
// first and second moments, one slice per parameter tensor.
type AdamState struct {
	T    int
	M, V [][]float32
}

// SaveState copies the state into dst, reusing dst's slices where they are
// large enough, so that saving again allocates nothing.
func (a *Adam) SaveState(dst *AdamState) {
	dst.T = a.t
	dst.M = copyMoments(dst.M, a.m)
	dst.V = copyMoments(dst.V, a.v)
}

func copyMoments(dst, src [][]float32) [][]float32 {
	if cap(dst) < len(src) {
		dst = append(dst[:cap(dst)], make([][]float32, len(src)-cap(dst))...)
	}
	dst = dst[:len(src)]
	for i, s := range src {
		if cap(dst[i]) < len(s) {
			dst[i] = make([]float32, len(s))
		}
		dst[i] = dst[i][:len(s)]
		copy(dst[i], s)
	}
	return dst
}

// CheckState returns an error if src does not fit this optimiser's
// parameters, for example because it was saved for another network.
func (a *Adam) CheckState(src *AdamState) error {
	if src.T < 0 {
		return fmt.Errorf("invalid optimiser state: step count %d, want 0 or more", src.T)
	}
	if len(src.M) != len(a.m) || len(src.V) != len(a.v) {
		return fmt.Errorf("optimiser state has %d first and %d second moments, want %d of each, one per parameter tensor",
			len(src.M), len(src.V), len(a.m))
	}
	for i := range a.m {
		if len(src.M[i]) != len(a.m[i]) || len(src.V[i]) != len(a.v[i]) {
			return fmt.Errorf("optimiser state for parameter tensor %d has %d and %d moment values, want %d",
				i, len(src.M[i]), len(src.V[i]), len(a.m[i]))
		}
		for _, v := range src.V[i] {
			if v < 0 || math.IsNaN(float64(v)) {
				return fmt.Errorf("optimiser state for parameter tensor %d has second moment %g, want a value of 0 or more: the state is corrupt", i, v)
			}
		}
	}
	return nil
}

// RestoreState copies src into the optimiser, so that the following steps
// continue exactly where the saved optimiser left off. It panics if CheckState
// reports an error.
func (a *Adam) RestoreState(src *AdamState) {
	if err := a.CheckState(src); err != nil {
		panic("optim: " + err.Error())
	}
	a.t = src.T
	for i := range a.m {
		copy(a.m[i], src.M[i])
		copy(a.v[i], src.V[i])
	}
}

package model

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
)

// Finite-difference settings for float32 layers and networks. The central
// difference (L(v+h) − L(v−h)) / 2h has a truncation error of order h²·L‴
// and a rounding error of about the rounding error of the outputs that the
// step changes, divided by 2h. With float32 outputs a step near 1e-2 balances
// the two; smaller steps drown the quotient in rounding.
const (
	fdStep = 1e-2

	// fdRoundoff bounds the relative rounding error of one float32 output
	// after a few layers of float32 sums (float32 has 2^-24 ≈ 6e-8), and
	// sets the absolute tolerance of each comparison from the outputs that
	// the step changed.
	fdRoundoff = 1e-6

	// fdRelTol is the relative tolerance between the analytic and the
	// numerical derivative. Truncation at h = 1e-2 stays below 1e-4
	// relative for the smooth layers here, so 1e-2 leaves a margin without
	// letting a wrong factor or a dropped term of a few percent pass.
	fdRelTol = 1e-2
)

// randomSlice returns n values drawn uniformly from [lo, hi).
func randomSlice(rng *rand.Rand, n int, lo, hi float64) []float32 {
	s := make([]float32, n)
	for i := range s {
		s[i] = float32(lo + (hi-lo)*rng.Float64())
	}
	return s
}

// awayFromZero returns n values with magnitudes in [0.1, 1) and random signs,
// so that a central difference of step fdStep never crosses a kink at 0.
func awayFromZero(rng *rand.Rand, n int) []float32 {
	s := randomSlice(rng, n, 0.1, 1)
	for i := range s {
		if rng.IntN(2) == 0 {
			s[i] = -s[i]
		}
	}
	return s
}

// linearLoss is L = Σ r_i·y_i for the outputs y of some function of the
// values being perturbed.
type linearLoss struct {
	r       []float32
	outputs func() []float32
}

// eval returns L in float64 and a copy of the outputs.
func (l linearLoss) eval() (float64, []float32) {
	y := slices.Clone(l.outputs())
	var sum float64
	for i, v := range y {
		sum += float64(l.r[i]) * float64(v)
	}
	return sum, y
}

// difference returns (L after up − L after down) / step and the absolute
// tolerance for it: fdRoundoff times the weighted size of the outputs that
// changed, over the step.
func (l linearLoss) difference(up, down func(), step float64) (quotient, atol float64) {
	up()
	lossUp, yUp := l.eval()
	down()
	lossDown, yDown := l.eval()

	var noise float64
	for i := range yUp {
		if yUp[i] != yDown[i] {
			noise += math.Abs(float64(l.r[i])) * (math.Abs(float64(yUp[i])) + math.Abs(float64(yDown[i])))
		}
	}
	return (lossUp - lossDown) / step, fdRoundoff * noise / step
}

// centralDiff returns the central difference of L with respect to v[j],
// dividing by the step that float32 rounding actually leaves, and its
// tolerance.
func (l linearLoss) centralDiff(v []float32, j int) (float64, float64) {
	orig := v[j]
	up, down := orig+fdStep, orig-fdStep
	q, atol := l.difference(func() { v[j] = up }, func() { v[j] = down }, float64(up)-float64(down))
	v[j] = orig
	return q, atol
}

// directionalDiff returns the central difference of L along dir for a unit
// step, an estimate of Σ_j dir_j·∂L/∂v_j, and its tolerance.
func (l linearLoss) directionalDiff(v, dir []float32) (float64, float64) {
	orig := slices.Clone(v)
	shift := func(sign float32) func() {
		return func() {
			for j := range v {
				v[j] = orig[j] + sign*fdStep*dir[j]
			}
		}
	}
	q, atol := l.difference(shift(1), shift(-1), 2*fdStep)
	copy(v, orig)
	return q, atol
}

func dot(a, b []float32) float64 {
	var sum float64
	for i := range a {
		sum += float64(a[i]) * float64(b[i])
	}
	return sum
}

// gradMismatch returns a description of the disagreement between an analytic
// and a numerical derivative, or "" if they agree within atol + fdRelTol·max.
func gradMismatch(what string, analytic, numeric, atol float64) string {
	diff := math.Abs(analytic - numeric)
	if diff <= atol+fdRelTol*math.Max(math.Abs(analytic), math.Abs(numeric)) {
		return ""
	}
	return fmt.Sprintf("%s: analytic %.6g, central difference %.6g (atol %.2g)", what, analytic, numeric, atol)
}

// coordinates returns the indices of v to check one by one: all of them if
// there are at most limit, else the limit/2 largest in magnitude, whose
// derivatives stand out of the rounding noise, and limit/2 drawn at random.
func coordinates(rng *rand.Rand, grad []float32, limit int) []int {
	order := make([]int, len(grad))
	for i := range order {
		order[i] = i
	}
	if len(grad) <= limit {
		return order
	}
	slices.SortFunc(order, func(a, b int) int {
		return cmpAbs(grad[b], grad[a])
	})
	idx := slices.Clone(order[:limit/2])
	for range limit - limit/2 {
		idx = append(idx, rng.IntN(len(grad)))
	}
	return idx
}

func cmpAbs(a, b float32) int {
	x, y := math.Abs(float64(a)), math.Abs(float64(b))
	switch {
	case x < y:
		return -1
	case x > y:
		return 1
	}
	return 0
}

// gradProblem checks the analytic gradient grad of loss with respect to v:
// coordinate by coordinate for up to limit coordinates, and along two random
// directions. It returns the first disagreement, or "".
func gradProblem(rng *rand.Rand, name string, loss linearLoss, v, grad []float32, limit int) string {
	for _, j := range coordinates(rng, grad, limit) {
		numeric, atol := loss.centralDiff(v, j)
		if msg := gradMismatch(fmt.Sprintf("%s[%d]", name, j), float64(grad[j]), numeric, atol); msg != "" {
			return msg
		}
	}
	for d := range 2 {
		dir := randomSlice(rng, len(v), -1, 1)
		numeric, atol := loss.directionalDiff(v, dir)
		if msg := gradMismatch(fmt.Sprintf("%s along direction %d", name, d), dot(grad, dir), numeric, atol); msg != "" {
			return msg
		}
	}
	return ""
}

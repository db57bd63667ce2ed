package sampler

import "math"

// quadratic is the Gaussian energy E(x) = ½ (x − μ)ᵀ P (x − μ) with a
// symmetric positive definite precision matrix P stored row-major.
type quadratic struct {
	mean []float64
	prec []float64
}

func (q *quadratic) InputGrad(e, dx, x []float32) {
	dim := len(q.mean)
	d := make([]float64, dim)
	for i := range e {
		xi := x[i*dim : (i+1)*dim]
		for j := range d {
			d[j] = float64(xi[j]) - q.mean[j]
		}
		var energy float64
		for j := range d {
			var g float64
			for k := range d {
				g += q.prec[j*dim+k] * d[k]
			}
			dx[i*dim+j] = float32(g)
			energy += 0.5 * d[j] * g
		}
		e[i] = float32(energy)
	}
}

// gaussian2D returns the quadratic energy of a 2-D Gaussian with the given
// mean whose covariance has eigenvalues variances[0] and variances[1]
// along the unit vectors at angles theta and theta + π/2. It also returns
// those eigenvectors.
func gaussian2D(mean []float64, variances [2]float64, theta float64) (*quadratic, [2][2]float64) {
	c, s := math.Cos(theta), math.Sin(theta)
	vectors := [2][2]float64{{c, s}, {-s, c}}
	prec := make([]float64, 4)
	for k, v := range vectors {
		for i := range 2 {
			for j := range 2 {
				prec[i*2+j] += v[i] * v[j] / variances[k]
			}
		}
	}
	return &quadratic{mean: mean, prec: prec}, vectors
}

// cheapQuadratic is E(x) = ½ Σ x², which allocates nothing, for benchmarks
// and allocation tests.
type cheapQuadratic struct{ dim int }

func (q cheapQuadratic) InputGrad(e, dx, x []float32) {
	for i := range e {
		var energy float32
		for j, v := range x[i*q.dim : (i+1)*q.dim] {
			dx[i*q.dim+j] = v
			energy += 0.5 * v * v
		}
		e[i] = energy
	}
}

// linear is E(x) = Σ_j g_j x_j per sample, a constant gradient g.
type linear struct{ grad []float32 }

func (l linear) InputGrad(e, dx, x []float32) {
	dim := len(l.grad)
	for i := range e {
		var energy float32
		for j, g := range l.grad {
			dx[i*dim+j] = g
			energy += g * x[i*dim+j]
		}
		e[i] = energy
	}
}

// constant returns the same energy and gradient value for every input.
// With zero values it is the flat energy whose Langevin increments are
// pure noise.
type constant struct{ energy, grad float32 }

func (c constant) InputGrad(e, dx, x []float32) {
	for i := range e {
		e[i] = c.energy
	}
	for i := range dx {
		dx[i] = c.grad
	}
}

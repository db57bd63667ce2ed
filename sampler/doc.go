// Package sampler draws samples from an energy-based model with Langevin
// dynamics and keeps the persistent chains in a replay buffer.
//
// # Overview
//
// An energy function E maps a sample x ∈ ℝ^dim to a scalar. The model
// density is p(x) ∝ exp(−E(x)). The package calls the network only
// through the Energy interface, which returns E and ∂E/∂x for a batch, so
// it does not depend on how the network is built.
//
// Langevin is the unadjusted Langevin sampler. One step updates every
// coordinate of every chain as
//
//	x ← clamp(x − λ·clip(∂E/∂x, −c, c) + σ·ξ, lo, hi),  ξ ~ N(0, 1)
//
// with ξ drawn fresh for each coordinate, chain and step, in float32 by the
// ziggurat method of Marsaglia and Tsang (2000) from the *rand.Rand passed
// in, two draws per 64 random bits. Settings holds λ
// (StepSize), σ (Noise), c (GradClip), the clamp range and the number of
// steps K per run. Run reads the settings again before every step, so a
// change made while a run is in progress applies from the next step.
//
// Buffer is the replay buffer of persistent chains described by Du and
// Mordatch, "Implicit Generation and Generalization in Energy-Based Models"
// (2019, arXiv:1903.08689). A training step draws a batch of chains from
// the buffer, restarts each of them from uniform noise with probability p,
// runs Langevin on the batch and writes the chains back. Recorder keeps
// every k-th state of chosen chains so that a view can show how samples
// evolve during a run.
//
// # Units and temperature
//
// λ multiplies the gradient, so it has units of x² per unit of energy. σ is
// a standard deviation in the units of x. The effective temperature is
// T = σ²/(2λ). With T = 1 and λ → 0 the chain targets exp(−E). Setting
// Temperature1 ties σ = √(2λ), so T = 1 for any λ. With T < 1 the chains
// descend the energy faster than they diffuse, and for small λ they sample
// the sharper density exp(−E/T) instead of exp(−E).
//
// # Bias and stability of the unadjusted chain
//
// No Metropolis correction is applied, so the chain samples exp(−E) only
// in the limit λ → 0. For the Gaussian energy E = (x − μ)²/(2s²) with
// T = 1 and step h = λ, one step is the AR(1) recursion
//
//	x − μ ← (1 − h/s²)(x − μ) + √(2h)·ξ
//
// Its stationary distribution has mean μ and variance s²/(1 − h/(2s²)),
// so h = 0.1 inflates the variance by about 5 % and h = s² doubles it.
// The recursion is unstable for h ≥ 2s²: the chain then grows without
// bound, or at h = 2s² exactly performs a random walk. For a general
// energy, the linear stability condition is λ < 2/L, where L is the
// largest eigenvalue of the Hessian of E along the chain's path. Steps that
// produce NaN or Inf, or leave the bound Langevin.MaxAbs, are rejected with a *DivergenceError and leave
// the chains unchanged.
//
// # Layout and ownership
//
// A batch of n samples is one []float32 of length n·dim, with sample i at
// x[i·dim : (i+1)·dim] in the order the model uses. Energies are one
// float32 per sample. Buffer stores capacity·dim values in the same
// layout. Buffer.Entry returns a slice that aliases the buffer's storage,
// and Recorder.Frames returns copies.
//
// Values are float32 to match the Energy interface. The sampler forms each
// update in float64, rounds the result to float32 and accumulates
// statistics in float64.
//
// # Randomness and concurrency
//
// Every function that draws random numbers takes a *rand.Rand from
// math/rand/v2. The package never uses the global source. With the same
// seed and the same sequence of calls, results are identical from run to
// run. Langevin and Buffer keep scratch space and are not safe for
// concurrent use. Recorder is safe for concurrent use, so one goroutine
// can record while another reads the frames.
//
// # Allocation
//
// Langevin.Step, Buffer.Draw and Buffer.Put allocate nothing once their
// scratch space has grown to the largest batch seen. Langevin.Run
// allocates nothing per step beyond what the Energy and the settings and
// observe functions allocate. Errors allocate when they are returned.
package sampler

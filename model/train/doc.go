// Package train runs contrastive-divergence training of an energy-based
// model with a Langevin sampler and a replay buffer (Du and Mordatch 2019,
// "Implicit Generation and Generalization in Energy-Based Models").
//
// # One iteration
//
// A Trainer iteration draws a batch of B data samples (optionally with
// Gaussian data noise), draws B chains from the replay buffer (each
// restarted from uniform noise over the data range with probability
// Reinit), runs K Langevin steps on them, and takes one Adam step on
//
//	L = mean E(data) − mean E(samples) + α·mean(E(data)² + E(samples)²)
//
// before writing the samples back to the buffer. The first two terms
// lower the energy of data and raise it on the model's own samples; the
// α term keeps the energies near zero, since the contrastive part is
// unchanged by a constant added to E.
//
// # Divergence guard
//
// An iteration is rejected when Langevin diverges (NaN, Inf or a value
// beyond the sampler's bound), when an energy or gradient is not finite,
// or when an energy exceeds Settings.EnergyBound in magnitude. A rejected
// iteration restores the parameters and the Adam state saved before the
// last accepted update and leaves the replay buffer as it was, so no NaN
// reaches the buffer, the metrics or the screen. The rejection is
// reported as a GuardEvent with its cause and the settings in force.
//
// # Concurrency
//
// A Trainer is not safe for concurrent use. Engine wraps one on its own
// goroutine: it takes commands on a channel, reads settings at step
// boundaries and publishes immutable Snapshots through a callback. The
// package never imports a GUI toolkit.
package train

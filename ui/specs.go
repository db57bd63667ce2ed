package ui

import (
	"github.com/ebmlab/ebmlab/model/train"
)

// Entry ranges. They are wider than the slider ranges and narrower than
// what train.Settings.Validate accepts, to catch typing mistakes such as
// a step size of 1e9 before they wreck a run.
const (
	maxStepSize = 1e4
	maxNoise    = 10
	maxClip     = 1e3
	minLR       = 1e-8
	maxLR       = 1
	maxAlpha    = 100
)

// Specs of the numeric controls, in panel order within each section.
var (
	stepSizeSpec = spec{
		name:      "step size λ",
		help:      "Multiplies ∇E(x) in each Langevin step x ← x − λ∇E(x) + σξ, in squared data units per unit of energy. Log scale.",
		scale:     log10,
		sliderMin: 1e-4, sliderMax: 100,
		min: 1e-8, max: maxStepSize,
		live: true,
		get:  func(s train.Settings) float64 { return s.Sampler.StepSize },
		set:  func(s *train.Settings, v float64) { s.Sampler.StepSize = v },
	}
	noiseSpec = spec{
		name:      "noise σ",
		help:      "Standard deviation of the Gaussian noise σξ added in each Langevin step, in data units. 0 turns it off. Log scale.",
		scale:     log10,
		sliderMin: 1e-4, sliderMax: 1,
		min: 0, max: maxNoise,
		live: true,
		get:  func(s train.Settings) float64 { return s.Sampler.NoiseStd() },
		set:  func(s *train.Settings, v float64) { s.Sampler.Noise = v },
	}
	stepsSpec = spec{
		name:      "Langevin steps K",
		help:      "Langevin steps run on each chain drawn from the replay buffer per training iteration. Log scale.",
		scale:     log10,
		integer:   true,
		sliderMin: 1, sliderMax: 1000,
		min: 0, max: train.MaxSteps,
		live: true,
		get:  func(s train.Settings) float64 { return float64(s.Sampler.Steps) },
		set:  func(s *train.Settings, v float64) { s.Sampler.Steps = int(v) },
	}
	clipSpec = spec{
		name:      "gradient clip c",
		help:      "Clips each component of ∇E(x) to [−c, c] before a Langevin step, in energy per data unit. 0 turns clipping off. Log scale.",
		scale:     log10,
		sliderMin: 1e-3, sliderMax: 10,
		min: 0, max: maxClip,
		live: true,
		get:  func(s train.Settings) float64 { return s.Sampler.GradClip },
		set:  func(s *train.Settings, v float64) { s.Sampler.GradClip = v },
	}
	bufferSpec = spec{
		name:      "buffer size",
		help:      "Replay-buffer capacity, in samples. A new size keeps the first entries and fills the rest with uniform noise.",
		scale:     pow2,
		integer:   true,
		sliderMin: 64, sliderMax: 65536,
		min: 1, max: train.MaxBufferSize,
		get: func(s train.Settings) float64 { return float64(s.BufferSize) },
		set: func(s *train.Settings, v float64) { s.BufferSize = int(v) },
	}
	reinitSpec = spec{
		name:      "reinit rate",
		help:      "Probability that a chain drawn from the buffer restarts from uniform noise instead of its stored sample.",
		scale:     linear,
		sliderMin: 0, sliderMax: 1, step: 0.01,
		min: 0, max: 1,
		live: true,
		get:  func(s train.Settings) float64 { return s.Reinit },
		set:  func(s *train.Settings, v float64) { s.Reinit = v },
	}
	learningRateSpec = spec{
		name:      "learning rate",
		help:      "Adam step size for the network weights. Log scale.",
		scale:     log10,
		sliderMin: 1e-6, sliderMax: 0.1,
		min: minLR, max: maxLR,
		live: true,
		get:  func(s train.Settings) float64 { return s.Adam.LR },
		set:  func(s *train.Settings, v float64) { s.Adam.LR = v },
	}
	alphaSpec = spec{
		name:      "regulariser α",
		help:      "Weight of α·(E(data)² + E(samples)²) in the loss, which keeps energies near 0.",
		scale:     linear,
		sliderMin: 0, sliderMax: 1, step: 0.01,
		min: 0, max: maxAlpha,
		live: true,
		get:  func(s train.Settings) float64 { return s.Alpha },
		set:  func(s *train.Settings, v float64) { s.Alpha = v },
	}
	batchSpec = spec{
		name:      "batch size B",
		help:      "Data samples and Langevin chains per training iteration.",
		scale:     pow2,
		integer:   true,
		sliderMin: 1, sliderMax: 4096,
		min: 1, max: train.MaxBatch,
		get: func(s train.Settings) float64 { return float64(s.Batch) },
		set: func(s *train.Settings, v float64) { s.Batch = int(v) },
	}
)

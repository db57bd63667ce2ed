// Package runconfig reads and writes run configurations: small TOML files
// (TOML 1.0, https://toml.io/en/v1.0.0) that a person can edit and that
// `ebmlab train --config FILE` reproduces. The window saves and loads the
// same files.
//
// A configuration must set every key, so that a file read back describes
// one run without defaults that could change between versions. Parse
// rejects unknown keys, wrong types and invalid TOML, and its errors give
// the file name, line and column as NAME:LINE:COLUMN. It checks no ranges:
// a step size of -1 parses, and the trainer rejects it with the valid range.
//
// Example file:
//
//	data = "moons"
//	model = "mlp-2d"
//	seed = 1
//	iterations = 20000
//
//	[sampler]
//	step_size = 0.01
//	noise = 0.005
//	temperature1 = true
//	steps = 100
//	grad_clip = 0.0
//	clamp = true
//
//	[train]
//	batch = 1024
//	buffer_size = 8192
//	reinit = 0.05
//	lr = 0.001
//	beta1 = 0.0
//	beta2 = 0.999
//	alpha = 0.1
//	param_clip = 0.0
//	data_noise = 0.0
//
// Integers may be written where a float is expected (step_size = 10), but
// not the other way round (steps = 100.0 is a type error). TOML integers are
// signed 64-bit, so Seed is limited to MaxSeed.
package runconfig

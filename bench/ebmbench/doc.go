// Command ebmbench times the EBM Lab engine on the two networks that
// bench/torch_reference.py times in PyTorch, with the same settings and
// synthetic data, and prints the same figures as `name value unit` lines:
//
//	ebmbench [THREADS]
//
// THREADS (default 1) bounds the goroutines that Go code runs at once
// (GOMAXPROCS) and the threads of each matrix product and of the loops of
// package model (backend.SetThreads). Lines that start with # describe the
// setup.
//
// Langevin sampling runs through sampler.Langevin on a model.Network, and
// training iterations through train.Trainer, so the figures include the
// engine's divergence checks, replay buffer and rollback copies.
//
// Units: throughputs are per second of wall-clock time, FLOPs count 2 per
// multiply-add of the convolution and dense layers, and GFLOP/s is 10⁹
// FLOPs per second.
package main

// Package model implements batched float32 energy networks with hand-written
// forward and backward passes, for training energy-based models by
// contrastive divergence and sampling them with Langevin dynamics from a
// replay buffer, as Du and Mordatch (2019) do.
//
// A Network maps each input sample x to a scalar energy E(x); low energy means
// likely data. The network returns E itself, so a sampler descends ∂E/∂x.
//
// # Layout
//
// A batch is stored back to back in one []float32, sample after sample, and
// each sample in NCHW order: channel, then row, then column, so value (c, h, w)
// of sample i of shape Shape{C, H, W} is at index i·C·H·W + (c·H + h)·W + w.
// 2-D points are samples of shape 2×1×1. Every layer takes and returns this
// layout, and Flatten keeps the order C, H, W, as PyTorch does.
//
// Parameters use PyTorch's layouts: a convolution weight is Out×In×KH×KW and a
// dense weight is Out×In, each followed by its bias. A network keeps all
// values in one contiguous slice and all gradients in another, in the order of
// Params; Param.Value and Param.Grad alias them.
//
// # Presets
//
// NewPreset builds these networks, where Conv a→b kK sS pP is a convolution
// from a to b channels with a K×K kernel, stride S and zero padding P, and
// every convolution and hidden dense layer is followed by Swish (x·σ(x)):
//
//	mnist-cnn  1×28×28: Conv 1→16 k5 s2 p4, Conv 16→32 k3 s2 p1,
//	           Conv 32→64 k3 s2 p1, Conv 64→64 k3 s2 p1 (64×2×2),
//	           Flatten, Dense 256→64, Dense 64→1
//	mlp-2d     2×1×1: Dense 2→128, 128→128, 128→128, 128→1
//	cifar-cnn  3×32×32: Conv 3→32 k3 s1 p1, Conv 32→64 k3 s2 p1,
//	           Conv 64→128 k3 s2 p1, Conv 128→128 k3 s2 p1 (128×4×4),
//	           Flatten, Dense 2048→128, Dense 128→1
//
// Weights and biases start from PyTorch's default initialisation,
// U(-1/√fanIn, 1/√fanIn), drawn from the *rand.Rand passed in, layer by
// layer, weight before bias.
//
// # Invariants
//
// An input's energy does not depend on the other inputs of its batch: no layer
// uses batch statistics. Backward overwrites parameter gradients rather than
// accumulating them. Forward, Backward, InputGrad and Energy allocate only
// when a batch arrives that is larger than any before, or when worker
// goroutines start after backend.SetThreads raised the thread count. At a
// fixed batch size they allocate nothing. Buffers returned by Forward belong
// to the network and stay valid until the next Forward.
//
// # Computation
//
// Each convolution is lowered by im2col to one matrix product per batch, and
// each dense layer is one product. All products go through
// gonum.org/v1/gonum/blas/blas32, so the BLAS that package backend registers
// computes them. The loops around the products (im2col, col2im, reordering
// and Swish) are split by sample or by value over up to backend.Threads()
// goroutines, so backend.SetThreads bounds the cores one pass uses. These
// loops compute every value the same way whatever the split. Sums run in float32, so results differ from a float64
// computation by rounding that grows with the length of each sum.
//
// On amd64 processors with AVX2 and FMA, Swish runs as assembly over eight
// values at a time (swish_amd64.s). It computes e^x with the same range
// reduction and degree-7 polynomial as the portable code, and its σ(x) is
// within 4 float32 ulps of the exact value. Other processors, and builds
// with the purego tag, run the Go code.
//
// InputGrad, the gradient that each Langevin step needs, passes the batch
// through the network in chunks small enough that one chunk's activations
// and im2col matrices stay in a core's L2 cache between the forward and the
// backward pass (ChunkSamples). A chunk gives the same values as a batch of
// its size, which can differ from the whole batch's by the BLAS's rounding.
//
// Shape mismatches between a network and the slices passed to it are
// programming errors and panic with a "model:" prefix. Unknown preset names
// are errors.
package model

// Package optim implements the Adam optimiser (Kingma and Ba, "Adam: A Method
// for Stochastic Optimization", 2015) for the float32 parameters of package
// model, with the update and bias correction of PyTorch's torch.optim.Adam
// without weight decay:
//
//	m ← β1·m + (1 − β1)·g
//	v ← β2·v + (1 − β2)·g²
//	p ← p − LR · (m / (1 − β1^t)) / (√(v / (1 − β2^t)) + ε)
//
// where t counts the steps taken, starting at 1. Energy-based models are
// usually trained with β1 = 0, which makes m the current gradient.
//
// Before the update, the gradients may be scaled so that their global L2
// norm, over all parameter tensors together, is at most AdamConfig.Clip. A
// step whose gradient norm is NaN or infinite changes nothing.
//
// The moment estimates are float32 slices shaped like the parameters; the
// step count and scalar factors are float64. Step allocates nothing.
package optim

//go:build !amd64 || purego

package model

// hasAVX2 is false: only amd64 has the vector kernels.
const hasAVX2 = false

func swishForward(sig, y, x []float32) { swishForwardGo(sig, y, x) }

func swishBackward(dx, dy, sig, y []float32) { swishBackwardGo(dx, dy, sig, y) }

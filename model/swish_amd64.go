//go:build amd64 && !purego

package model

import "golang.org/x/sys/cpu"

// hasAVX2 selects the AVX2 and FMA kernels of swish_amd64.s.
var hasAVX2 = cpu.X86.HasAVX2 && cpu.X86.HasFMA

//go:noescape
func swishForwardAVX2(sig, y, x *float32, n int)

//go:noescape
func swishBackwardAVX2(dx, dy, sig, y *float32, n int)

// swishForward writes σ(x) into sig and x·σ(x) into y; all three have the
// length of x. With AVX2 every value, including those of a tail shorter than
// eight, goes through the vector kernel, so a value's result does not depend
// on where parallelFor split the loop.
func swishForward(sig, y, x []float32) {
	if !hasAVX2 {
		swishForwardGo(sig, y, x)
		return
	}
	sig, y = sig[:len(x)], y[:len(x)]
	body := len(x) &^ 7
	if body > 0 {
		swishForwardAVX2(&sig[0], &y[0], &x[0], body)
	}
	if body == len(x) {
		return
	}
	var tx, tsig, ty [8]float32
	n := copy(tx[:], x[body:])
	swishForwardAVX2(&tsig[0], &ty[0], &tx[0], 8)
	copy(sig[body:], tsig[:n])
	copy(y[body:], ty[:n])
}

// swishBackward writes dy·(σ + y·(1 − σ)) into dx; all four have the length
// of dy. Tails go through the vector kernel as in swishForward.
func swishBackward(dx, dy, sig, y []float32) {
	if !hasAVX2 {
		swishBackwardGo(dx, dy, sig, y)
		return
	}
	dx, sig, y = dx[:len(dy)], sig[:len(dy)], y[:len(dy)]
	body := len(dy) &^ 7
	if body > 0 {
		swishBackwardAVX2(&dx[0], &dy[0], &sig[0], &y[0], body)
	}
	if body == len(dy) {
		return
	}
	var tdx, tdy, tsig, ty [8]float32
	n := copy(tdy[:], dy[body:])
	copy(tsig[:], sig[body:])
	copy(ty[:], y[body:])
	swishBackwardAVX2(&tdx[0], &tdy[0], &tsig[0], &ty[0], 8)
	copy(dx[body:], tdx[:n])
}

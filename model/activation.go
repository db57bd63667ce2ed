package model

import (
	"fmt"
	"math"
)

// Swish is the activation y = x·σ(x), with σ the logistic sigmoid; PyTorch
// calls it SiLU. It keeps σ(x) and y of the last forward for backward, where
// dy/dx = σ + y·(1 − σ).
type Swish struct {
	bound bool
	sig   []float32
	y     []float32

	// Loop bodies over ranges of values, made once by NewSwish so that
	// parallelFor allocates nothing, and the slices of the current call.
	forwardBody, backwardBody rangeFunc
	x, dx, dy                 []float32
}

var _ Layer = (*Swish)(nil)

// NewSwish returns a Swish activation layer.
func NewSwish() *Swish {
	s := &Swish{}
	s.forwardBody = s.forwardRange
	s.backwardBody = s.backwardRange
	return s
}

// OutShape returns in: the activation acts on each value.
func (s *Swish) OutShape(in Shape) (Shape, error) {
	return in, nil
}

// FLOPs returns 0: activations are not counted.
func (s *Swish) FLOPs(Shape) int {
	return 0
}

// Params returns no parameters.
func (s *Swish) Params() []Param {
	return nil
}

func (s *Swish) String() string {
	return "Swish"
}

func (s *Swish) tensors() []tensor {
	return nil
}

func (s *Swish) bind(Shape, *workspace) {
	if s.bound {
		panic("model: layer Swish already belongs to a network")
	}
	s.bound = true
}

func (s *Swish) clone() Layer {
	return NewSwish()
}

func (s *Swish) forward(x []float32, _ int) []float32 {
	s.sig = grow(s.sig, len(x))
	s.y = grow(s.y, len(x))
	s.x = x
	parallelFor(s.forwardBody, len(x), len(x))
	return s.y
}

func (s *Swish) forwardRange(lo, hi int) {
	swishForward(s.sig[lo:hi], s.y[lo:hi], s.x[lo:hi])
}

// swishForwardGo is the portable swishForward: sig = σ(x) and y = x·σ(x).
func swishForwardGo(sig, y, x []float32) {
	sig, y = sig[:len(x)], y[:len(x)]
	for i, v := range x {
		sv := sigmoid32(v)
		sig[i] = sv
		y[i] = v * sv
	}
}

func (s *Swish) backward(dx, dy []float32, _ bool) {
	if dx == nil {
		return
	}
	s.dx, s.dy = dx, dy
	parallelFor(s.backwardBody, len(s.y), len(s.y))
}

func (s *Swish) backwardRange(lo, hi int) {
	swishBackward(s.dx[lo:hi], s.dy[lo:hi], s.sig[lo:hi], s.y[lo:hi])
}

// swishBackwardGo is the portable swishBackward: dx = dy·(σ + y·(1 − σ)).
func swishBackwardGo(dx, dy, sig, y []float32) {
	sig, y, dx = sig[:len(dy)], y[:len(dy)], dx[:len(dy)]
	for i, g := range dy {
		sv := sig[i]
		dx[i] = g * (sv + y[i]*(1-sv))
	}
}

// LeakyReLU is the activation y = x for x > 0 and y = slope·x otherwise. At
// x = 0 its gradient is slope, as in PyTorch.
type LeakyReLU struct {
	// factors[0] scales inputs above zero and factors[1] the others.
	// Indexing by the sign replaces a branch that random signs would
	// mispredict half the time.
	factors [2]float32

	bound bool
	x     []float32 // input of the last forward, owned by the caller
	y     []float32

	// Loop bodies over ranges of values, made once by NewLeakyReLU so that
	// parallelFor allocates nothing, and the slices of the current call.
	forwardBody, backwardBody rangeFunc
	dx, dy                    []float32
}

var _ Layer = (*LeakyReLU)(nil)

// NewLeakyReLU returns a LeakyReLU activation with the given slope for
// inputs at or below zero; PyTorch's default slope is 0.01.
func NewLeakyReLU(slope float32) *LeakyReLU {
	l := &LeakyReLU{factors: [2]float32{1, slope}}
	l.forwardBody = l.forwardRange
	l.backwardBody = l.backwardRange
	return l
}

// OutShape returns in: the activation acts on each value.
func (l *LeakyReLU) OutShape(in Shape) (Shape, error) {
	return in, nil
}

// FLOPs returns 0: activations are not counted.
func (l *LeakyReLU) FLOPs(Shape) int {
	return 0
}

// Params returns no parameters; the slope is fixed.
func (l *LeakyReLU) Params() []Param {
	return nil
}

func (l *LeakyReLU) String() string {
	return fmt.Sprintf("LeakyReLU(%g)", l.factors[1])
}

func (l *LeakyReLU) tensors() []tensor {
	return nil
}

func (l *LeakyReLU) bind(Shape, *workspace) {
	if l.bound {
		panic("model: layer " + l.String() + " already belongs to a network")
	}
	l.bound = true
}

func (l *LeakyReLU) clone() Layer {
	return NewLeakyReLU(l.factors[1])
}

func (l *LeakyReLU) forward(x []float32, _ int) []float32 {
	l.x = x
	l.y = grow(l.y, len(x))
	parallelFor(l.forwardBody, len(x), len(x))
	return l.y
}

func (l *LeakyReLU) forwardRange(lo, hi int) {
	x := l.x[lo:hi]
	y := l.y[lo:hi]
	y = y[:len(x)]
	for i, v := range x {
		y[i] = v * l.factors[atOrBelowZero(v)]
	}
}

func (l *LeakyReLU) backward(dx, dy []float32, _ bool) {
	if dx == nil {
		return
	}
	l.dx, l.dy = dx, dy
	parallelFor(l.backwardBody, len(l.x), len(l.x))
}

func (l *LeakyReLU) backwardRange(lo, hi int) {
	x := l.x[lo:hi]
	dy, dx := l.dy[lo:hi], l.dx[lo:hi]
	dy, dx = dy[:len(x)], dx[:len(x)]
	for i, v := range x {
		dx[i] = dy[i] * l.factors[atOrBelowZero(v)]
	}
}

// atOrBelowZero returns 1 if v ≤ 0, including -0, and 0 if v > 0, without a
// branch: as an int32 the bits of v are positive exactly when v > 0, so
// subtracting 1 leaves the sign bit set for all other values.
func atOrBelowZero(v float32) uint64 {
	return uint64(int64(int32(math.Float32bits(v)))-1) >> 63
}

// sigmoid32 returns 1/(1 + e^-x) in float32, within a few units in the last
// place of the exact value for |x| ≤ 87. Beyond that the exponent is clamped,
// so σ(x) for x < -87 is about 1.6e-38 instead of smaller.
func sigmoid32(x float32) float32 {
	return 1 / (1 + exp32(-x))
}

// Constants of exp32: log₂e, and ln 2 split into a high part with few
// significant bits, so that k·ln2Hi is exact for |k| < 128, and the rest.
const (
	log2e  = 1.44269504088896340736
	ln2Hi  = 0.693145751953125
	ln2Lo  = 1.42860682030941723212e-06
	expMax = 87
)

// exp32 returns e^x for x clamped to [-87, 87], where both e^x and its
// inverse are normal float32 values. It writes e^x = 2^k·e^r with k the
// integer nearest x·log₂e and |r| ≤ ln2/2, and evaluates e^r by its Taylor
// series to degree 7, whose relative truncation error, at most
// e^r·r⁸/8! < 1e-8, is below half a float32 ulp. The polynomial uses
// Estrin's scheme, whose short dependency chains let the processor overlap
// the multiplications. The clamp uses comparisons because the built-in min
// and max add NaN handling.
func exp32(x float32) float32 {
	if x < -expMax {
		x = -expMax
	}
	if x > expMax {
		x = expMax
	}

	// Adding 128.5 makes the argument positive, so that truncation rounds
	// to nearest.
	k := int32(x*log2e+128.5) - 128
	kf := float32(k)
	r := x - kf*ln2Hi - kf*ln2Lo

	r2 := r * r
	low := (1 + r) + r2*(1.0/2+r*(1.0/6))
	high := (1.0/24 + r*(1.0/120)) + r2*(1.0/720+r*(1.0/5040))
	p := low + r2*r2*high
	return p * math.Float32frombits(uint32(k+127)<<23)
}

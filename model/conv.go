package model

import (
	"fmt"
	"math/rand/v2"
)

// Conv2DConfig is the geometry of a 2-D convolution, with the meanings of
// PyTorch's Conv2d arguments.
type Conv2DConfig struct {
	In, Out          int // input and output channels
	KernelH, KernelW int
	StrideH, StrideW int
	PadH, PadW       int // zeros added on each side of the input
}

// Conv2D is a 2-D convolution with bias (a cross-correlation, as in PyTorch).
// Its weight has PyTorch's layout Out×In×KernelH×KernelW. An input of H×W
// gives an output of OH×OW with OH = (H + 2·PadH − KernelH)/StrideH + 1,
// rounded down, and likewise for OW.
//
// Forward lowers the batch to a matrix by im2col, with one row per weight
// column (In·KernelH·KernelW rows) and one column per output pixel of the
// batch (batch·OH·OW columns), so that one matrix product with the weight
// computes the whole batch. Backward uses the same matrix for the weight
// gradient and scatters the input gradient back with col2im.
type Conv2D struct {
	cfg            Conv2DConfig
	weight, bias   []float32
	dWeight, dBias []float32

	// Geometry, set by bind. The padded plane is one input channel with
	// PadH zero rows above and below and PadW zero columns on each side.
	bound          bool
	in             Shape
	outH, outW     int
	patch          int   // In·KernelH·KernelW, the values under one kernel position
	padW, padPlane int   // width and size of the padded plane
	pixelOffsets   []int // for each output pixel, the offset of its window's top-left corner in the padded plane
	kernelOffsets  []int // for each kernel position (kh, kw), its offset from the window's corner
	ws             *workspace

	batch  int
	padded []float32 // the last forward's input in padded planes, if there is padding
	col    []float32 // im2col of the last forward's input: patch × (batch·OH·OW)
	y      []float32

	// Loop bodies over ranges of samples, made once by bind so that
	// parallelFor allocates nothing, and the slices of the current call
	// that they read or write.
	gatherBody, biasBody, transposeBody, scatterBody rangeFunc
	x, dx, dy                                        []float32
}

var _ Layer = (*Conv2D)(nil)

// NewConv2D returns a convolution with PyTorch's default initialisation:
// weights and biases from U(-1/√fanIn, 1/√fanIn) with fanIn =
// In·KernelH·KernelW, drawn by rng in that order. A nil rng leaves all
// parameters zero. It panics if a channel count, kernel size or stride is
// not positive or a padding is negative.
func NewConv2D(cfg Conv2DConfig, rng *rand.Rand) *Conv2D {
	if cfg.In < 1 || cfg.Out < 1 || cfg.KernelH < 1 || cfg.KernelW < 1 || cfg.StrideH < 1 || cfg.StrideW < 1 || cfg.PadH < 0 || cfg.PadW < 0 {
		panic(fmt.Sprintf("model: invalid convolution %+v: channels, kernel and stride must be positive, padding non-negative", cfg))
	}
	patch := cfg.In * cfg.KernelH * cfg.KernelW
	c := &Conv2D{
		cfg:     cfg,
		weight:  make([]float32, cfg.Out*patch),
		bias:    make([]float32, cfg.Out),
		dWeight: make([]float32, cfg.Out*patch),
		dBias:   make([]float32, cfg.Out),
	}
	bound := kaimingBound(patch)
	initUniform(c.weight, bound, rng)
	initUniform(c.bias, bound, rng)
	return c
}

// Config returns the convolution's geometry.
func (c *Conv2D) Config() Conv2DConfig {
	return c.cfg
}

// OutShape returns Out×OH×OW, or an error if in does not have In channels or
// the kernel does not fit in the padded input.
func (c *Conv2D) OutShape(in Shape) (Shape, error) {
	if in.C != c.cfg.In {
		return Shape{}, fmt.Errorf("convolution expects %d input channels, got shape %v", c.cfg.In, in)
	}
	if in.H+2*c.cfg.PadH < c.cfg.KernelH || in.W+2*c.cfg.PadW < c.cfg.KernelW {
		return Shape{}, fmt.Errorf("convolution kernel %d×%d is larger than input %v with padding %d×%d",
			c.cfg.KernelH, c.cfg.KernelW, in, c.cfg.PadH, c.cfg.PadW)
	}
	return Shape{
		C: c.cfg.Out,
		H: (in.H+2*c.cfg.PadH-c.cfg.KernelH)/c.cfg.StrideH + 1,
		W: (in.W+2*c.cfg.PadW-c.cfg.KernelW)/c.cfg.StrideW + 1,
	}, nil
}

// FLOPs returns 2·Out·OH·OW·In·KernelH·KernelW.
func (c *Conv2D) FLOPs(in Shape) int {
	out, err := c.OutShape(in)
	if err != nil {
		return 0
	}
	return 2 * out.Size() * c.cfg.In * c.cfg.KernelH * c.cfg.KernelW
}

// Params returns the weight (Out×In×KernelH×KernelW) and bias (Out).
func (c *Conv2D) Params() []Param {
	return paramsOf(c.tensors())
}

func (c *Conv2D) String() string {
	return fmt.Sprintf("Conv2D(%d→%d, kernel %d×%d, stride %d×%d, padding %d×%d)",
		c.cfg.In, c.cfg.Out, c.cfg.KernelH, c.cfg.KernelW, c.cfg.StrideH, c.cfg.StrideW, c.cfg.PadH, c.cfg.PadW)
}

func (c *Conv2D) tensors() []tensor {
	return []tensor{
		{name: "weight", shape: []int{c.cfg.Out, c.cfg.In, c.cfg.KernelH, c.cfg.KernelW}, value: &c.weight, grad: &c.dWeight},
		{name: "bias", shape: []int{c.cfg.Out}, value: &c.bias, grad: &c.dBias},
	}
}

func (c *Conv2D) clone() Layer {
	d := NewConv2D(c.cfg, nil)
	copy(d.weight, c.weight)
	copy(d.bias, c.bias)
	return d
}

func (c *Conv2D) bind(in Shape, ws *workspace) {
	if c.bound {
		panic("model: layer " + c.String() + " already belongs to a network")
	}
	out, err := c.OutShape(in)
	if err != nil {
		panic("model: " + err.Error())
	}
	c.bound = true
	c.in = in
	c.outH, c.outW = out.H, out.W
	c.patch = c.cfg.In * c.cfg.KernelH * c.cfg.KernelW
	c.ws = ws

	c.padW = in.W + 2*c.cfg.PadW
	c.padPlane = (in.H + 2*c.cfg.PadH) * c.padW
	c.pixelOffsets = make([]int, 0, c.outH*c.outW)
	for oh := range c.outH {
		for ow := range c.outW {
			c.pixelOffsets = append(c.pixelOffsets, oh*c.cfg.StrideH*c.padW+ow*c.cfg.StrideW)
		}
	}
	c.kernelOffsets = make([]int, 0, c.cfg.KernelH*c.cfg.KernelW)
	for kh := range c.cfg.KernelH {
		for kw := range c.cfg.KernelW {
			c.kernelOffsets = append(c.kernelOffsets, kh*c.padW+kw)
		}
	}

	c.gatherBody = c.gather
	c.biasBody = c.addBias
	c.transposeBody = c.transposeGrad
	c.scatterBody = c.scatter
}

func (c *Conv2D) forward(x []float32, batch int) []float32 {
	out, cols := c.cfg.Out, batch*len(c.pixelOffsets)
	c.batch = batch
	c.x = x
	if c.hasPadding() {
		c.padded = grow(c.padded, batch*c.cfg.In*c.padPlane)
	}
	c.col = grow(c.col, c.patch*cols)
	parallelFor(c.gatherBody, batch, c.patch*cols)

	// yt = W·col is Out × (batch·OH·OW): channel-major over the batch.
	c.ws.trans = grow(c.ws.trans, out*cols)
	gemm(false, matrix{out, c.patch, c.weight}, false, matrix{c.patch, cols, c.col}, 0, matrix{out, cols, c.ws.trans})

	c.y = grow(c.y, out*cols)
	parallelFor(c.biasBody, batch, out*cols)
	return c.y
}

func (c *Conv2D) backward(dx, dy []float32, params bool) {
	if !params && dx == nil {
		return
	}
	out, cols := c.cfg.Out, c.batch*len(c.pixelOffsets)

	c.ws.trans = grow(c.ws.trans, out*cols)
	c.dy = dy
	parallelFor(c.transposeBody, c.batch, out*cols)
	dyt := c.ws.trans

	if params {
		// ∂L/∂W = dyt·colᵀ and ∂L/∂b is the sum of each row of dyt.
		gemm(false, matrix{out, cols, dyt}, true, matrix{c.patch, cols, c.col}, 0, matrix{out, c.patch, c.dWeight})
		for o := range out {
			var sum float32
			for _, g := range dyt[o*cols : (o+1)*cols] {
				sum += g
			}
			c.dBias[o] = sum
		}
	}

	if dx != nil {
		// ∂L/∂col = Wᵀ·dyt, scattered back onto the input pixels.
		c.ws.dcol = grow(c.ws.dcol, c.patch*cols)
		gemm(true, matrix{out, c.patch, c.weight}, false, matrix{out, cols, dyt}, 0, matrix{c.patch, cols, c.ws.dcol})
		if c.hasPadding() {
			c.ws.padded = grow(c.ws.padded, c.batch*c.cfg.In*c.padPlane)
		}
		c.dx = dx
		parallelFor(c.scatterBody, c.batch, c.patch*cols)
	}
}

// hasPadding reports whether the convolution pads its input.
func (c *Conv2D) hasPadding() bool {
	return c.cfg.PadH > 0 || c.cfg.PadW > 0
}

// gather writes the columns of c.col for samples [lo, hi) of c.x: the
// im2col lowering. Row (ch, kh, kw) of c.col holds, for every output pixel,
// the input value under kernel position (kh, kw) of channel ch, or zero in
// the padding. The input is first copied into padded planes, whose borders
// stay zero because only the interior is ever written. One flat loop over
// the pixels, with precomputed offsets, keeps the inner loop long even for
// the 2×2 outputs of small images.
func (c *Conv2D) gather(lo, hi int) {
	inC, pixels := c.cfg.In, len(c.pixelOffsets)
	cols := c.batch * pixels
	positions := len(c.kernelOffsets)

	padded := c.x
	if c.hasPadding() {
		padded = c.padded
		c.copyPlanes(padded, c.x, lo*inC, hi*inC, true)
	}

	for n := lo; n < hi; n++ {
		for ch := range inC {
			plane := padded[(n*inC+ch)*c.padPlane:]
			for k, offset := range c.kernelOffsets {
				row := ch*positions + k
				src := plane[offset:]
				dst := c.col[row*cols+n*pixels : row*cols+(n+1)*pixels]
				dst = dst[:len(c.pixelOffsets)]
				for p, at := range c.pixelOffsets {
					dst[p] = src[at]
				}
			}
		}
	}
}

// copyPlanes copies planes [lo, hi) between the unpadded layout of the input
// and padded planes: into padded if toPadded, else back out of it, dropping
// the border.
func (c *Conv2D) copyPlanes(padded, plain []float32, lo, hi int, toPadded bool) {
	inH, inW := c.in.H, c.in.W
	corner := c.cfg.PadH*c.padW + c.cfg.PadW
	for pl := lo; pl < hi; pl++ {
		inner := padded[pl*c.padPlane+corner:]
		flat := plain[pl*inH*inW : (pl+1)*inH*inW]
		for h := range inH {
			if toPadded {
				copy(inner[h*c.padW:h*c.padW+inW], flat[h*inW:(h+1)*inW])
			} else {
				copy(flat[h*inW:(h+1)*inW], inner[h*c.padW:h*c.padW+inW])
			}
		}
	}
}

// addBias writes the outputs of samples [lo, hi) to c.y in NCHW order, from
// the channel-major product in c.ws.trans plus the bias.
func (c *Conv2D) addBias(lo, hi int) {
	out, pixels := c.cfg.Out, len(c.pixelOffsets)
	cols := c.batch * pixels
	yt := c.ws.trans
	for n := lo; n < hi; n++ {
		for o, b := range c.bias {
			src := yt[o*cols+n*pixels : o*cols+(n+1)*pixels]
			dst := c.y[(n*out+o)*pixels : (n*out+o+1)*pixels]
			dst = dst[:len(src)]
			for i, v := range src {
				dst[i] = v + b
			}
		}
	}
}

// transposeGrad copies the output gradient c.dy of samples [lo, hi) into
// c.ws.trans in the channel-major layout of the forward product.
func (c *Conv2D) transposeGrad(lo, hi int) {
	out, pixels := c.cfg.Out, len(c.pixelOffsets)
	cols := c.batch * pixels
	dyt := c.ws.trans
	for n := lo; n < hi; n++ {
		for o := range out {
			copy(dyt[o*cols+n*pixels:o*cols+(n+1)*pixels], c.dy[(n*out+o)*pixels:(n*out+o+1)*pixels])
		}
	}
}

// scatter overwrites c.dx for samples [lo, hi) with the col2im of
// c.ws.dcol: each value added back to the input pixel that gather read it
// from. Values that gather took from the padding are dropped.
func (c *Conv2D) scatter(lo, hi int) {
	inC, pixels := c.cfg.In, len(c.pixelOffsets)
	cols := c.batch * pixels
	positions := len(c.kernelOffsets)

	// Without padding the padded planes are dx itself.
	padded := c.dx
	if c.hasPadding() {
		padded = c.ws.padded
	}
	clear(padded[lo*inC*c.padPlane : hi*inC*c.padPlane])

	for n := lo; n < hi; n++ {
		for ch := range inC {
			plane := padded[(n*inC+ch)*c.padPlane:]
			for k, offset := range c.kernelOffsets {
				row := ch*positions + k
				dst := plane[offset:]
				src := c.ws.dcol[row*cols+n*pixels : row*cols+(n+1)*pixels]
				src = src[:len(c.pixelOffsets)]
				for p, at := range c.pixelOffsets {
					dst[at] += src[p]
				}
			}
		}
	}

	if c.hasPadding() {
		c.copyPlanes(padded, c.dx, lo*inC, hi*inC, false)
	}
}

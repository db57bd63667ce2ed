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
}

func (c *Conv2D) forward(x []float32, batch int) []float32 {
	out, pixels := c.cfg.Out, c.outH*c.outW
	cols := batch * pixels
	c.batch = batch
	c.col = grow(c.col, c.patch*cols)
	c.im2col(c.col, c.pad(x, batch), batch)

	// yt = W·col is Out × (batch·OH·OW): channel-major over the batch.
	c.ws.trans = grow(c.ws.trans, out*cols)
	yt := c.ws.trans
	gemm(false, matrix{out, c.patch, c.weight}, false, matrix{c.patch, cols, c.col}, 0, matrix{out, cols, yt})

	// Reorder to NCHW and add the bias in the same pass.
	c.y = grow(c.y, batch*out*pixels)
	for o, b := range c.bias {
		src := yt[o*cols : (o+1)*cols]
		for n := range batch {
			s := src[n*pixels : (n+1)*pixels]
			d := c.y[(n*out+o)*pixels : (n*out+o+1)*pixels]
			d = d[:len(s)]
			for i, v := range s {
				d[i] = v + b
			}
		}
	}
	return c.y
}

func (c *Conv2D) backward(dx, dy []float32, params bool) {
	if !params && dx == nil {
		return
	}
	out, pixels := c.cfg.Out, c.outH*c.outW
	batch := c.batch
	cols := batch * pixels

	// dyt is dy in the channel-major layout of the forward product.
	c.ws.trans = grow(c.ws.trans, out*cols)
	dyt := c.ws.trans
	for n := range batch {
		for o := range out {
			copy(dyt[o*cols+n*pixels:o*cols+(n+1)*pixels], dy[(n*out+o)*pixels:(n*out+o+1)*pixels])
		}
	}

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
		dcol := c.ws.dcol
		gemm(true, matrix{out, c.patch, c.weight}, false, matrix{out, cols, dyt}, 0, matrix{c.patch, cols, dcol})
		c.col2im(dx, dcol, batch)
	}
}

// hasPadding reports whether the convolution pads its input.
func (c *Conv2D) hasPadding() bool {
	return c.cfg.PadH > 0 || c.cfg.PadW > 0
}

// pad returns the batch x in padded planes: x itself without padding, else a
// copy whose borders stay zero because only the interior is ever written.
func (c *Conv2D) pad(x []float32, batch int) []float32 {
	if !c.hasPadding() {
		return x
	}
	planes := batch * c.cfg.In
	c.padded = grow(c.padded, planes*c.padPlane)
	inH, inW := c.in.H, c.in.W
	corner := c.cfg.PadH*c.padW + c.cfg.PadW
	for pl := range planes {
		src := x[pl*inH*inW : (pl+1)*inH*inW]
		dst := c.padded[pl*c.padPlane+corner:]
		for h := range inH {
			copy(dst[h*c.padW:h*c.padW+inW], src[h*inW:(h+1)*inW])
		}
	}
	return c.padded
}

// im2col writes the input patches of the batch, given in padded planes, into
// col, a patch × (batch·OH·OW) row-major matrix. Row (ch, kh, kw) holds, for
// every output pixel, the input value under kernel position (kh, kw) of
// channel ch. One flat loop over the pixels, with precomputed offsets, keeps
// the inner loop long even for the 2×2 outputs of small images.
func (c *Conv2D) im2col(col, padded []float32, batch int) {
	pixels := len(c.pixelOffsets)
	cols := batch * pixels
	positions := len(c.kernelOffsets)

	for ch := range c.cfg.In {
		for k, offset := range c.kernelOffsets {
			row := ch*positions + k
			dst := col[row*cols : (row+1)*cols]
			for n := range batch {
				src := padded[(n*c.cfg.In+ch)*c.padPlane+offset:]
				d := dst[n*pixels : (n+1)*pixels]
				d = d[:len(c.pixelOffsets)]
				for p, at := range c.pixelOffsets {
					d[p] = src[at]
				}
			}
		}
	}
}

// col2im overwrites dx with the sum, over the rows of dcol, of each value
// scattered back to the input pixel that im2col read it from. Values that
// im2col took from the padding are dropped.
func (c *Conv2D) col2im(dx, dcol []float32, batch int) {
	pixels := len(c.pixelOffsets)
	cols := batch * pixels
	positions := len(c.kernelOffsets)
	planes := batch * c.cfg.In

	// Without padding the padded planes are dx itself.
	var padded []float32
	if c.hasPadding() {
		c.ws.padded = grow(c.ws.padded, planes*c.padPlane)
		padded = c.ws.padded
	} else {
		padded = dx[:planes*c.padPlane]
	}
	clear(padded)

	for ch := range c.cfg.In {
		for k, offset := range c.kernelOffsets {
			row := ch*positions + k
			src := dcol[row*cols : (row+1)*cols]
			for n := range batch {
				dst := padded[(n*c.cfg.In+ch)*c.padPlane+offset:]
				s := src[n*pixels : (n+1)*pixels]
				s = s[:len(c.pixelOffsets)]
				for p, at := range c.pixelOffsets {
					dst[at] += s[p]
				}
			}
		}
	}
	if !c.hasPadding() {
		return
	}

	// Crop the interior of each padded plane into dx.
	inH, inW := c.in.H, c.in.W
	corner := c.cfg.PadH*c.padW + c.cfg.PadW
	for pl := range planes {
		src := padded[pl*c.padPlane+corner:]
		dst := dx[pl*inH*inW : (pl+1)*inH*inW]
		for h := range inH {
			copy(dst[h*inW:(h+1)*inW], src[h*c.padW:h*c.padW+inW])
		}
	}
}

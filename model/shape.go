package model

import "fmt"

// Shape is the shape of one sample; 2-D points are Shape{C: 2, H: 1, W: 1}.
type Shape struct{ C, H, W int }

// Size returns the number of values in one sample, C·H·W.
func (s Shape) Size() int {
	return s.C * s.H * s.W
}

// String formats the shape as C×H×W.
func (s Shape) String() string {
	return fmt.Sprintf("%d×%d×%d", s.C, s.H, s.W)
}

// Param aliases one parameter tensor of a network and its gradient.
type Param struct {
	Name  string // e.g. "conv1.weight"
	Shape []int
	Value []float32 // aliases the network's storage
	Grad  []float32 // aliases the network's gradient storage
}

// tensor is a layer's handle on one of its parameter tensors, through which
// NewNetwork moves the values into the network's contiguous storage.
type tensor struct {
	name  string // "weight" or "bias"
	shape []int
	value *[]float32
	grad  *[]float32
}

// paramsOf returns the layer-level Params of tensors, named without the
// network's layer prefix.
func paramsOf(tensors []tensor) []Param {
	params := make([]Param, len(tensors))
	for i, t := range tensors {
		params[i] = Param{Name: t.name, Shape: t.shape, Value: *t.value, Grad: *t.grad}
	}
	return params
}

// grow returns buf resliced to length n, allocating a new array only when
// buf's capacity is smaller. The contents are unspecified.
func grow(buf []float32, n int) []float32 {
	if cap(buf) < n {
		return make([]float32, n)
	}
	return buf[:n]
}

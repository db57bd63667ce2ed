package sampler

import (
	"fmt"
	"math/rand/v2"
)

// Buffer is the replay buffer of fixed capacity, stored as capacity×dim float32 values.
//
// Each slot also stores an age: the number of sampling runs since the
// slot's chain last started from uniform noise. A new or reset buffer has
// all ages 0. A Buffer keeps scratch space for Draw, so it is not safe for
// concurrent use.
type Buffer struct {
	capacity, dim int
	lo, hi        float64

	data []float32 // capacity·dim values, slot i at data[i·dim : (i+1)·dim]
	ages []int

	// perm is the identity permutation of slot indices between calls to
	// Draw. Draw runs a partial Fisher–Yates shuffle on it and then undoes
	// its swaps, recorded in swaps, so each draw depends only on rng.
	perm  []int
	swaps []int
}

// NewBuffer returns a buffer filled with uniform noise in [lo, hi], all ages 0.
// It panics if capacity or dim is less than 1, if lo or hi is not finite,
// if lo > hi, or if rng is nil.
func NewBuffer(capacity, dim int, lo, hi float64, rng *rand.Rand) *Buffer {
	if capacity < 1 {
		panic(fmt.Sprintf("sampler: invalid buffer capacity %d: must be >= 1", capacity))
	}
	if dim < 1 {
		panic(fmt.Sprintf("sampler: invalid dimension %d: must be >= 1", dim))
	}
	checkRange(lo, hi)

	b := &Buffer{
		capacity: capacity,
		dim:      dim,
		lo:       lo,
		hi:       hi,
		data:     make([]float32, capacity*dim),
		ages:     make([]int, capacity),
		perm:     make([]int, capacity),
	}
	for i := range b.perm {
		b.perm[i] = i
	}
	b.Reset(rng)
	return b
}

// Cap returns the number of slots.
func (b *Buffer) Cap() int { return b.capacity }

// Dim returns the number of values per sample.
func (b *Buffer) Dim() int { return b.dim }

// Range returns the interval of the uniform noise that starts new chains.
func (b *Buffer) Range() (lo, hi float64) { return b.lo, b.hi }

// SetRange sets the interval of the uniform noise used by later calls to
// Draw and Reset. Stored entries keep their values. SetRange panics under
// the same conditions on lo and hi as NewBuffer.
func (b *Buffer) SetRange(lo, hi float64) {
	checkRange(lo, hi)
	b.lo, b.hi = lo, hi
}

// Draw picks len(idx) distinct slots uniformly at random (sampling without
// replacement), writes their indices into idx and copies their entries
// into dst. It then re-initialises each drawn chain independently with
// probability p with uniform noise in the current range and sets fresh[i]
// to true, and to false for the other chains. The number re-initialised is
// therefore Binomial(len(idx), p) whatever the range. Draw does not change
// the stored entries or ages, and it returns the number re-initialised.
//
// Draw panics if len(idx) > Cap(), if len(fresh) != len(idx) or len(dst)
// != len(idx)·Dim(), if p is outside [0, 1], or if rng is nil.
func (b *Buffer) Draw(dst []float32, idx []int, fresh []bool, p float64, rng *rand.Rand) int {
	batch := len(idx)
	if batch > b.capacity {
		panic(fmt.Sprintf("sampler: batch size %d exceeds buffer capacity %d", batch, b.capacity))
	}
	b.checkBatch(dst, idx, fresh, "dst")
	if !(p >= 0 && p <= 1) {
		panic(fmt.Sprintf("sampler: invalid re-initialisation probability %v: must be in [0, 1]", p))
	}
	if rng == nil {
		panic("sampler: nil *rand.Rand")
	}

	if cap(b.swaps) < batch {
		b.swaps = make([]int, batch)
	}
	swaps := b.swaps[:batch]
	for i := range batch {
		j := i + rng.IntN(b.capacity-i)
		b.perm[i], b.perm[j] = b.perm[j], b.perm[i]
		swaps[i] = j
		idx[i] = b.perm[i]
	}
	for i := batch - 1; i >= 0; i-- {
		j := swaps[i]
		b.perm[i], b.perm[j] = b.perm[j], b.perm[i]
	}

	reinit := 0
	for i, slot := range idx {
		row := dst[i*b.dim : (i+1)*b.dim]
		fresh[i] = rng.Float64() < p
		if fresh[i] {
			b.fillUniform(row, rng)
			reinit++
		} else {
			copy(row, b.data[slot*b.dim:(slot+1)*b.dim])
		}
	}
	return reinit
}

// Put writes x back into the slots idx and updates their ages. The age of
// slot idx[i] becomes 1 if fresh[i] is true and grows by 1 otherwise, so it
// counts the sampling runs since the chain last started from noise.
//
// idx must not contain a slot twice, which holds for the indices from Draw.
// Put panics if len(fresh) != len(idx), if len(x) != len(idx)·Dim(), or if
// an index is outside [0, Cap()).
func (b *Buffer) Put(idx []int, fresh []bool, x []float32) {
	b.checkBatch(x, idx, fresh, "x")
	for _, slot := range idx {
		b.checkSlot(slot)
	}

	for i, slot := range idx {
		copy(b.data[slot*b.dim:(slot+1)*b.dim], x[i*b.dim:(i+1)*b.dim])
		if fresh[i] {
			b.ages[slot] = 1
		} else {
			b.ages[slot]++
		}
	}
}

// Entry returns the values of slot i. The slice aliases the buffer's
// storage, so callers must treat it as read-only and must not keep it
// across a call that changes the buffer.
func (b *Buffer) Entry(i int) []float32 {
	b.checkSlot(i)
	return b.data[i*b.dim : (i+1)*b.dim : (i+1)*b.dim]
}

// Age returns the number of sampling runs since slot i last started from
// uniform noise.
func (b *Buffer) Age(i int) int {
	b.checkSlot(i)
	return b.ages[i]
}

// CopyTo copies all entries into dst, which must have length Cap()·Dim(),
// and all ages into ages, which must be nil or have length Cap(). It
// panics on other lengths.
func (b *Buffer) CopyTo(dst []float32, ages []int) {
	if len(dst) != len(b.data) {
		panic(fmt.Sprintf("sampler: len(dst) = %d, want capacity·dim = %d", len(dst), len(b.data)))
	}
	if ages != nil && len(ages) != b.capacity {
		panic(fmt.Sprintf("sampler: len(ages) = %d, want capacity %d", len(ages), b.capacity))
	}

	copy(dst, b.data)
	copy(ages, b.ages)
}

// Restore loads a snapshot written by CopyTo. A nil ages sets every age
// to 0. Restore returns an error, and leaves the buffer unchanged, if
// len(src) != Cap()·Dim(), if ages is not nil and len(ages) != Cap(), if a
// value is NaN or ±Inf, or if an age is negative. Values outside the noise
// range are accepted because chains may leave it when the clamp is off.
func (b *Buffer) Restore(src []float32, ages []int) error {
	if len(src) != len(b.data) {
		return fmt.Errorf("invalid buffer snapshot: got %d values, want %d (capacity %d × dim %d)",
			len(src), len(b.data), b.capacity, b.dim)
	}
	if ages != nil && len(ages) != b.capacity {
		return fmt.Errorf("invalid buffer snapshot: got %d ages, want %d (one per slot)", len(ages), b.capacity)
	}
	for i, v := range src {
		if isNonFinite(float64(v)) {
			return fmt.Errorf("invalid buffer snapshot: value %v at index %d (slot %d) must be finite", v, i, i/b.dim)
		}
	}
	for i, a := range ages {
		if a < 0 {
			return fmt.Errorf("invalid buffer snapshot: age %d of slot %d must be >= 0", a, i)
		}
	}

	copy(b.data, src)
	if ages == nil {
		clear(b.ages)
	} else {
		copy(b.ages, ages)
	}
	return nil
}

// Reset fills every slot with fresh uniform noise in the current range and
// sets all ages to 0. It panics if rng is nil.
func (b *Buffer) Reset(rng *rand.Rand) {
	if rng == nil {
		panic("sampler: nil *rand.Rand")
	}
	b.fillUniform(b.data, rng)
	clear(b.ages)
}

// fillUniform fills dst with independent values lo + (hi−lo)·U, U uniform
// in [0, 1), rounded to float32. Rounding can yield hi itself.
func (b *Buffer) fillUniform(dst []float32, rng *rand.Rand) {
	width := b.hi - b.lo
	for i := range dst {
		dst[i] = float32(b.lo + width*rng.Float64())
	}
}

func (b *Buffer) checkBatch(values []float32, idx []int, fresh []bool, name string) {
	if len(fresh) != len(idx) {
		panic(fmt.Sprintf("sampler: len(fresh) = %d, want len(idx) = %d", len(fresh), len(idx)))
	}
	if len(values) != len(idx)*b.dim {
		panic(fmt.Sprintf("sampler: len(%s) = %d, want len(idx)·dim = %d·%d = %d",
			name, len(values), len(idx), b.dim, len(idx)*b.dim))
	}
}

func (b *Buffer) checkSlot(i int) {
	if i < 0 || i >= b.capacity {
		panic(fmt.Sprintf("sampler: slot %d out of range [0, %d)", i, b.capacity))
	}
}

func checkRange(lo, hi float64) {
	if isNonFinite(lo) || isNonFinite(hi) || lo > hi {
		panic(fmt.Sprintf("sampler: invalid noise range [%v, %v]: bounds must be finite with lo <= hi", lo, hi))
	}
}

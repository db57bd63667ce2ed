package sampler

import (
	"fmt"
	"sync"
)

// Frame is a recorded state of the chosen chains.
type Frame struct {
	Step   int         // step number passed to Observe
	States [][]float32 // one per chosen chain, in the order given to NewRecorder, dim values each
}

// Recorder keeps every k-th state of chosen chains, for a filmstrip.
//
// It stores at most maxFrames frames in a ring and drops the oldest frame
// when the ring is full. Storage for a frame is allocated the first time
// the ring reaches it and reused afterwards. A Recorder is safe for
// concurrent use.
type Recorder struct {
	chains    []int
	every     int
	dim       int
	maxFrames int

	mu     sync.Mutex
	steps  []int       // step number of each ring position
	states [][]float32 // len(chains)·dim values per ring position
	start  int         // ring position of the oldest frame
	count  int         // frames stored
}

// NewRecorder returns a recorder of the chains with the given indices,
// which keeps the state at every step that is a multiple of every. The
// chains slice is copied. NewRecorder panics if every, dim or maxFrames is
// less than 1 or a chain index is negative.
func NewRecorder(chains []int, every, dim, maxFrames int) *Recorder {
	if every < 1 {
		panic(fmt.Sprintf("sampler: invalid recording interval %d: must be >= 1", every))
	}
	if dim < 1 {
		panic(fmt.Sprintf("sampler: invalid dimension %d: must be >= 1", dim))
	}
	if maxFrames < 1 {
		panic(fmt.Sprintf("sampler: invalid maximum frame count %d: must be >= 1", maxFrames))
	}
	for _, c := range chains {
		if c < 0 {
			panic(fmt.Sprintf("sampler: invalid chain index %d: must be >= 0", c))
		}
	}

	return &Recorder{
		chains:    append([]int(nil), chains...),
		every:     every,
		dim:       dim,
		maxFrames: maxFrames,
		steps:     make([]int, maxFrames),
		states:    make([][]float32, maxFrames),
	}
}

// Observe records the chosen chains of x if step is a multiple of the
// interval, step 0 included. Its signature matches the observe argument of
// Langevin.Run. Observe panics if len(x) is not a multiple of dim or a
// chosen chain lies beyond the end of x.
func (r *Recorder) Observe(step int, x []float32) {
	if step%r.every != 0 {
		return
	}
	if len(x)%r.dim != 0 {
		panic(fmt.Sprintf("sampler: len(x) = %d is not a multiple of dim %d", len(x), r.dim))
	}
	n := len(x) / r.dim
	for _, c := range r.chains {
		if c >= n {
			panic(fmt.Sprintf("sampler: recorded chain %d out of range for a batch of %d chains", c, n))
		}
	}

	r.mu.Lock()
	defer r.mu.Unlock()

	pos := (r.start + r.count) % r.maxFrames
	if r.count == r.maxFrames {
		r.start = (r.start + 1) % r.maxFrames
	} else {
		r.count++
	}
	if r.states[pos] == nil {
		r.states[pos] = make([]float32, len(r.chains)*r.dim)
	}
	r.steps[pos] = step
	for i, c := range r.chains {
		copy(r.states[pos][i*r.dim:(i+1)*r.dim], x[c*r.dim:(c+1)*r.dim])
	}
}

// Frames returns copies of the stored frames, oldest first.
func (r *Recorder) Frames() []Frame {
	r.mu.Lock()
	defer r.mu.Unlock()

	frames := make([]Frame, r.count)
	for k := range frames {
		pos := (r.start + k) % r.maxFrames
		values := append([]float32(nil), r.states[pos]...)
		states := make([][]float32, len(r.chains))
		for i := range states {
			states[i] = values[i*r.dim : (i+1)*r.dim : (i+1)*r.dim]
		}
		frames[k] = Frame{Step: r.steps[pos], States: states}
	}
	return frames
}

// Reset discards all frames and keeps the storage for reuse.
func (r *Recorder) Reset() {
	r.mu.Lock()
	defer r.mu.Unlock()

	r.start, r.count = 0, 0
}

package sampler

import (
	"context"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
)

// batchAt returns a batch of chains·dim values in which value j of chain c
// at step s is 1000·s + 10·c + j, so a recorded state identifies its step
// and chain.
func batchAt(step, chains, dim int) []float32 {
	x := make([]float32, chains*dim)
	for c := range chains {
		for j := range dim {
			x[c*dim+j] = float32(1000*step + 10*c + j)
		}
	}
	return x
}

func TestRecorderKeepsEveryKth(t *testing.T) {
	const batch, dim = 5, 2
	tests := []struct {
		name      string
		chains    []int
		every     int
		maxFrames int
		lastStep  int   // Observe is called for steps 0 to lastStep
		wantSteps []int // steps of the frames kept, oldest first
	}{
		{"every step", []int{0}, 1, 10, 4, []int{0, 1, 2, 3, 4}},
		{"every 3rd", []int{2, 0}, 3, 10, 10, []int{0, 3, 6, 9}},
		{"last frames only", []int{4, 1, 3}, 3, 4, 20, []int{9, 12, 15, 18}},
		{"single frame", []int{1}, 5, 1, 17, []int{15}},
		{"no chains", nil, 2, 3, 6, []int{2, 4, 6}},
	}
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			r := NewRecorder(test.chains, test.every, dim, test.maxFrames)
			for step := 0; step <= test.lastStep; step++ {
				r.Observe(step, batchAt(step, batch, dim))
			}

			frames := r.Frames()

			var steps []int
			for _, f := range frames {
				steps = append(steps, f.Step)
			}
			if !slices.Equal(steps, test.wantSteps) {
				t.Fatalf("frame steps %v, want %v", steps, test.wantSteps)
			}
			for _, f := range frames {
				if len(f.States) != len(test.chains) {
					t.Fatalf("step %d: %d states, want one per chosen chain (%d)", f.Step, len(f.States), len(test.chains))
				}
				full := batchAt(f.Step, batch, dim)
				for i, c := range test.chains {
					if want := full[c*dim : (c+1)*dim]; !slices.Equal(f.States[i], want) {
						t.Errorf("step %d state %d = %v, want chain %d: %v", f.Step, i, f.States[i], c, want)
					}
				}
			}
		})
	}
}

func TestRecorderFramesAreCopies(t *testing.T) {
	r := NewRecorder([]int{1}, 1, 2, 4)
	x := batchAt(0, 2, 2)
	r.Observe(0, x)

	first := r.Frames()
	first[0].States[0][0] = -1
	x[2] = -2
	second := r.Frames()

	if got := second[0].States[0]; !slices.Equal(got, []float32{10, 11}) {
		t.Errorf("stored state %v, want [10 11] unaffected by changes to earlier copies or to x", got)
	}
}

func TestRecorderCopiesChains(t *testing.T) {
	chains := []int{0, 1}
	r := NewRecorder(chains, 1, 1, 2)
	chains[0] = 1

	r.Observe(0, []float32{5, 6})

	if got := r.Frames()[0].States[0]; !slices.Equal(got, []float32{5}) {
		t.Errorf("state of first chosen chain %v, want [5] from chain 0", got)
	}
}

func TestRecorderReset(t *testing.T) {
	r := NewRecorder([]int{0}, 2, 1, 3)
	for step := range 10 {
		r.Observe(step, []float32{float32(step)})
	}

	r.Reset()
	if frames := r.Frames(); len(frames) != 0 {
		t.Fatalf("Frames() after Reset = %v, want none", frames)
	}
	r.Observe(4, []float32{4})

	frames := r.Frames()
	if len(frames) != 1 || frames[0].Step != 4 || frames[0].States[0][0] != 4 {
		t.Errorf("Frames() = %+v, want one frame of step 4", frames)
	}
}

func TestRecorderWithRun(t *testing.T) {
	const chains, dim = 6, 2
	l := NewLangevin(linear{grad: []float32{1, -1}}, dim)
	x := make([]float32, chains*dim)
	r := NewRecorder([]int{5, 2}, 4, dim, 10)
	s := Settings{StepSize: 0.5, Steps: 10}

	r.Observe(0, x)
	if _, err := l.Run(context.Background(), x, chains, func() Settings { return s }, rand.New(rand.NewPCG(1, 1)), r.Observe); err != nil {
		t.Fatalf("Run: %v", err)
	}

	frames := r.Frames()
	if len(frames) != 3 {
		t.Fatalf("%d frames, want steps 0, 4 and 8", len(frames))
	}
	for k, f := range frames {
		want := float32(0.5 * float64(4*k))
		if f.Step != 4*k {
			t.Errorf("frame %d at step %d, want %d", k, f.Step, 4*k)
		}
		for i, state := range f.States {
			if !slices.Equal(state, []float32{-want, want}) {
				t.Errorf("step %d state %d = %v, want [%v %v]", f.Step, i, state, -want, want)
			}
		}
	}
}

// TestRecorderConcurrent records in one goroutine while another reads the
// frames. It finds unsynchronised access when run with -race.
func TestRecorderConcurrent(t *testing.T) {
	r := NewRecorder([]int{0, 1}, 1, 3, 8)
	var wg sync.WaitGroup
	wg.Go(func() {
		for step := range 500 {
			r.Observe(step, batchAt(step, 2, 3))
		}
	})
	wg.Go(func() {
		for range 200 {
			for _, f := range r.Frames() {
				if f.States[1][0] != float32(1000*f.Step+10) {
					t.Errorf("step %d: chain 1 starts with %v, want %v", f.Step, f.States[1][0], 1000*f.Step+10)
					return
				}
			}
		}
	})
	wg.Wait()
}

func TestRecorderPanics(t *testing.T) {
	r := NewRecorder([]int{3}, 1, 2, 4)
	tests := []struct {
		name string
		f    func()
	}{
		{"zero interval", func() { NewRecorder([]int{0}, 0, 2, 4) }},
		{"zero dim", func() { NewRecorder([]int{0}, 1, 0, 4) }},
		{"zero frames", func() { NewRecorder([]int{0}, 1, 2, 0) }},
		{"negative chain", func() { NewRecorder([]int{-1}, 1, 2, 4) }},
		{"chain beyond batch", func() { r.Observe(0, make([]float32, 6)) }},
		{"ragged batch", func() { r.Observe(0, make([]float32, 9)) }},
	}
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			checkPanicPrefix(t, test.f)
		})
	}
}

package sampler

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

func TestNewBuffer(t *testing.T) {
	tests := []struct {
		name   string
		lo, hi float64
	}{
		{"unit", 0, 1},
		{"symmetric", -1, 1},
		{"bytes", 0, 255},
		{"constant", 0.5, 0.5},
	}
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			const capacity, dim = 50, 6
			b := NewBuffer(capacity, dim, test.lo, test.hi, rand.New(rand.NewPCG(1, 2)))

			if b.Cap() != capacity || b.Dim() != dim {
				t.Errorf("Cap(), Dim() = %d, %d, want %d, %d", b.Cap(), b.Dim(), capacity, dim)
			}
			if lo, hi := b.Range(); lo != test.lo || hi != test.hi {
				t.Errorf("Range() = %v, %v, want %v, %v", lo, hi, test.lo, test.hi)
			}
			for i := range capacity {
				if b.Age(i) != 0 {
					t.Errorf("Age(%d) = %d, want 0", i, b.Age(i))
				}
				for _, v := range b.Entry(i) {
					if float64(v) < test.lo || float64(v) > test.hi {
						t.Errorf("Entry(%d) value %v outside [%v, %v]", i, v, test.lo, test.hi)
					}
				}
			}
		})
	}
}

// TestBufferDrawReinit draws 10,000 batches from a buffer whose entries all
// hold a sentinel outside the noise range, so a drawn chain is fresh
// exactly when it no longer holds the sentinel.
func TestBufferDrawReinit(t *testing.T) {
	const (
		batches  = 10000
		batch    = 16
		capacity = 64
		dim      = 3
		bands    = 3 // allowed deviation in standard errors
	)
	tests := []struct {
		name   string
		lo, hi float64
		p      float64
	}{
		{"[0, 1] p=0.05", 0, 1, 0.05},
		{"[-1, 1] p=0.05", -1, 1, 0.05},
		{"[0, 255] p=0.05", 0, 255, 0.05},
		{"[0, 255] p=0.5", 0, 255, 0.5},
		{"[-1, 1] p=0", -1, 1, 0},
		{"[0, 1] p=1", 0, 1, 1},
	}
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(11, 12))
			b := NewBuffer(capacity, dim, test.lo, test.hi, rng)
			sentinel := float32(test.hi + 7)
			snapshot := make([]float32, capacity*dim)
			for i := range snapshot {
				snapshot[i] = sentinel
			}
			if err := b.Restore(snapshot, nil); err != nil {
				t.Fatalf("Restore: %v", err)
			}
			dst := make([]float32, batch*dim)
			idx := make([]int, batch)
			fresh := make([]bool, batch)

			var reinit, freshValues int
			var sum, sumSq float64
			mid := (test.lo + test.hi) / 2
			for range batches {
				got := b.Draw(dst, idx, fresh, test.p, rng)

				count := 0
				for i, f := range fresh {
					row := dst[i*dim : (i+1)*dim]
					if !f {
						if !slices.Equal(row, b.Entry(idx[i])) {
							t.Fatalf("chain %d not re-initialised but differs from its slot %d: %v", i, idx[i], row)
						}
						continue
					}
					count++
					for _, v := range row {
						if float64(v) < test.lo || float64(v) > test.hi {
							t.Fatalf("re-initialised value %v outside [%v, %v]", v, test.lo, test.hi)
						}
						d := float64(v) - mid
						sum += d
						sumSq += d * d
						freshValues++
					}
				}
				if got != count {
					t.Fatalf("Draw returned %d, want the %d entries marked fresh", got, count)
				}
				reinit += count
			}

			n := float64(batches * batch)
			if sd := math.Sqrt(n * test.p * (1 - test.p)); math.Abs(float64(reinit)-n*test.p) > bands*sd {
				t.Errorf("re-initialised %d of %v chains, want %v ± %.1f (3σ)", reinit, n, n*test.p, bands*sd)
			}
			if freshValues > 0 {
				// A uniform value on [lo, hi] has variance w²/12, and its squared
				// deviation from the midpoint has variance w⁴/180.
				w := test.hi - test.lo
				m := float64(freshValues)
				if se := w / math.Sqrt(12*m); math.Abs(sum/m) > bands*se {
					t.Errorf("mean of fresh values %.4g, want midpoint %v ± %.2g (3 SE)", sum/m+mid, mid, bands*se)
				}
				if se := w * w / math.Sqrt(180*m); math.Abs(sumSq/m-w*w/12) > bands*se {
					t.Errorf("variance of fresh values %.4g, want w²/12 = %.4g ± %.2g (3 SE)", sumSq/m, w*w/12, bands*se)
				}
			}
			after := make([]float32, capacity*dim)
			b.CopyTo(after, nil)
			if !slices.Equal(after, snapshot) {
				t.Error("Draw modified the stored entries")
			}
		})
	}
}

// TestBufferDrawWithoutReplacement checks that a batch never repeats a slot
// and that every slot is drawn equally often.
func TestBufferDrawWithoutReplacement(t *testing.T) {
	const (
		capacity = 10
		draws    = 20000
		bands    = 4 // allowed deviation in standard errors
	)
	for _, batch := range []int{1, 4, 10} {
		rng := rand.New(rand.NewPCG(13, 14))
		b := NewBuffer(capacity, 1, 0, 1, rng)
		dst := make([]float32, batch)
		idx := make([]int, batch)
		fresh := make([]bool, batch)
		counts := make([]int, capacity)

		for range draws {
			b.Draw(dst, idx, fresh, 0, rng)
			seen := make([]bool, capacity)
			for _, slot := range idx {
				if seen[slot] {
					t.Fatalf("batch %d: slot %d drawn twice in %v", batch, slot, idx)
				}
				seen[slot] = true
				counts[slot]++
			}
		}

		// Each draw contains a given slot with probability batch/capacity.
		q := float64(batch) / capacity
		want := draws * q
		sd := math.Sqrt(draws * q * (1 - q))
		for slot, c := range counts {
			if math.Abs(float64(c)-want) > bands*sd+1e-9 {
				t.Errorf("batch %d: slot %d drawn %d times, want %v ± %.1f (4σ)", batch, slot, c, want, bands*sd)
			}
		}
	}
}

func TestBufferDrawDeterministic(t *testing.T) {
	draw := func() []int {
		rng := rand.New(rand.NewPCG(21, 22))
		b := NewBuffer(30, 2, 0, 1, rng)
		dst := make([]float32, 8*2)
		idx := make([]int, 8)
		fresh := make([]bool, 8)
		var all []int
		for range 5 {
			b.Draw(dst, idx, fresh, 0.3, rng)
			all = append(all, idx...)
		}
		return all
	}

	first, second := draw(), draw()

	if !slices.Equal(first, second) {
		t.Errorf("same seed gave different slots:\n%v\n%v", first, second)
	}
}

// TestBufferAges follows one slot through a sequence of sampling runs.
func TestBufferAges(t *testing.T) {
	tests := []struct {
		name  string
		fresh []bool // fresh flag of the slot in each run
		want  []int  // age after each run
	}{
		{"kept", []bool{false, false, false}, []int{1, 2, 3}},
		{"fresh first", []bool{true, false, false}, []int{1, 2, 3}},
		{"fresh later", []bool{false, false, true, false}, []int{1, 2, 1, 2}},
		{"fresh every run", []bool{true, true}, []int{1, 1}},
	}
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			b := NewBuffer(3, 2, 0, 1, rand.New(rand.NewPCG(1, 1)))
			idx := []int{1}
			for run, f := range test.fresh {
				b.Put(idx, []bool{f}, []float32{0.25, 0.75})

				if got := b.Age(1); got != test.want[run] {
					t.Errorf("after run %d: Age(1) = %d, want %d", run+1, got, test.want[run])
				}
				if b.Age(0) != 0 || b.Age(2) != 0 {
					t.Errorf("after run %d: ages of other slots %d, %d, want 0, 0", run+1, b.Age(0), b.Age(2))
				}
			}
		})
	}
}

func TestBufferDrawPutRoundTrip(t *testing.T) {
	const capacity, dim, batch = 20, 3, 5
	rng := rand.New(rand.NewPCG(31, 32))
	b := NewBuffer(capacity, dim, -1, 1, rng)
	dst := make([]float32, batch*dim)
	idx := make([]int, batch)
	fresh := make([]bool, batch)

	b.Draw(dst, idx, fresh, 0.4, rng)
	for i := range dst {
		dst[i] += 10
	}
	want := slices.Clone(dst)
	b.Put(idx, fresh, dst)
	dst[0] = 99

	for i, slot := range idx {
		if got := b.Entry(slot); !slices.Equal(got, want[i*dim:(i+1)*dim]) {
			t.Errorf("Entry(%d) = %v, want %v", slot, got, want[i*dim:(i+1)*dim])
		}
		if b.Age(slot) != 1 {
			t.Errorf("Age(%d) = %d, want 1 after one run", slot, b.Age(slot))
		}
	}
	for slot := range capacity {
		if !slices.Contains(idx, slot) && b.Age(slot) != 0 {
			t.Errorf("Age(%d) = %d for a slot not drawn, want 0", slot, b.Age(slot))
		}
	}
}

func TestBufferCopyToRestore(t *testing.T) {
	const capacity, dim = 7, 4
	rng := rand.New(rand.NewPCG(41, 42))
	b := NewBuffer(capacity, dim, 0, 255, rng)
	b.Put([]int{2, 5}, []bool{false, true}, make([]float32, 2*dim))
	b.Put([]int{2}, []bool{false}, []float32{1, 2, 3, 300})

	values := make([]float32, capacity*dim)
	ages := make([]int, capacity)
	b.CopyTo(values, ages)
	restored := NewBuffer(capacity, dim, 0, 255, rand.New(rand.NewPCG(43, 44)))
	if err := restored.Restore(values, ages); err != nil {
		t.Fatalf("Restore: %v", err)
	}

	for i := range capacity {
		if !slices.Equal(restored.Entry(i), b.Entry(i)) {
			t.Errorf("Entry(%d) = %v after restore, want %v", i, restored.Entry(i), b.Entry(i))
		}
		if restored.Age(i) != b.Age(i) {
			t.Errorf("Age(%d) = %d after restore, want %d", i, restored.Age(i), b.Age(i))
		}
	}
	if want := []int{0, 0, 2, 0, 0, 1, 0}; !slices.Equal(ages, want) {
		t.Errorf("copied ages %v, want %v", ages, want)
	}
	if err := restored.Restore(values, nil); err != nil || restored.Age(2) != 0 {
		t.Errorf("Restore with nil ages: error %v, Age(2) = %d, want nil and 0", err, restored.Age(2))
	}
}

func TestBufferRestoreErrors(t *testing.T) {
	const capacity, dim = 4, 3
	good := make([]float32, capacity*dim)
	withNaN := make([]float32, capacity*dim)
	withNaN[7] = float32(math.NaN())
	tests := []struct {
		name   string
		values []float32
		ages   []int
		want   string
	}{
		{"short", make([]float32, 10), nil, "invalid buffer snapshot: got 10 values, want 12 (capacity 4 × dim 3)"},
		{"long", make([]float32, 13), nil, "invalid buffer snapshot: got 13 values, want 12 (capacity 4 × dim 3)"},
		{"empty", nil, nil, "invalid buffer snapshot: got 0 values, want 12 (capacity 4 × dim 3)"},
		{"ages length", good, []int{1, 2, 3}, "invalid buffer snapshot: got 3 ages, want 4 (one per slot)"},
		{"NaN value", withNaN, nil, "invalid buffer snapshot: value NaN at index 7 (slot 2) must be finite"},
		{"negative age", good, []int{0, 0, -1, 0}, "invalid buffer snapshot: age -1 of slot 2 must be >= 0"},
	}
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			b := NewBuffer(capacity, dim, 0, 1, rand.New(rand.NewPCG(1, 1)))
			b.Put([]int{0}, []bool{false}, []float32{0.5, 0.5, 0.5})
			before := make([]float32, capacity*dim)
			beforeAges := make([]int, capacity)
			b.CopyTo(before, beforeAges)

			err := b.Restore(test.values, test.ages)

			if err == nil || err.Error() != test.want {
				t.Errorf("Restore error = %v, want %q", err, test.want)
			}
			after := make([]float32, capacity*dim)
			afterAges := make([]int, capacity)
			b.CopyTo(after, afterAges)
			if !slices.Equal(after, before) || !slices.Equal(afterAges, beforeAges) {
				t.Error("a failed Restore changed the buffer")
			}
		})
	}
}

func TestBufferResetSetRange(t *testing.T) {
	rng := rand.New(rand.NewPCG(51, 52))
	b := NewBuffer(40, 5, 0, 1, rng)
	b.Put([]int{3}, []bool{false}, make([]float32, 5))

	b.SetRange(-3, -2)
	b.Reset(rng)

	if lo, hi := b.Range(); lo != -3 || hi != -2 {
		t.Errorf("Range() = %v, %v, want -3, -2", lo, hi)
	}
	for i := range b.Cap() {
		if b.Age(i) != 0 {
			t.Errorf("Age(%d) = %d after Reset, want 0", i, b.Age(i))
		}
		for _, v := range b.Entry(i) {
			if v < -3 || v > -2 {
				t.Errorf("Entry(%d) value %v outside the new range [-3, -2]", i, v)
			}
		}
	}
}

func TestBufferPanics(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	b := NewBuffer(4, 2, 0, 1, rng)
	tests := []struct {
		name string
		f    func()
	}{
		{"zero capacity", func() { NewBuffer(0, 2, 0, 1, rng) }},
		{"zero dim", func() { NewBuffer(4, 0, 0, 1, rng) }},
		{"reversed range", func() { NewBuffer(4, 2, 1, 0, rng) }},
		{"NaN range", func() { b.SetRange(math.NaN(), 1) }},
		{"batch above capacity", func() { b.Draw(make([]float32, 10), make([]int, 5), make([]bool, 5), 0, rng) }},
		{"short dst", func() { b.Draw(make([]float32, 3), make([]int, 2), make([]bool, 2), 0, rng) }},
		{"short fresh", func() { b.Draw(make([]float32, 4), make([]int, 2), make([]bool, 1), 0, rng) }},
		{"p above 1", func() { b.Draw(make([]float32, 4), make([]int, 2), make([]bool, 2), 1.5, rng) }},
		{"NaN p", func() { b.Draw(make([]float32, 4), make([]int, 2), make([]bool, 2), math.NaN(), rng) }},
		{"Put slot out of range", func() { b.Put([]int{4}, []bool{false}, make([]float32, 2)) }},
		{"Put short x", func() { b.Put([]int{1}, []bool{false}, make([]float32, 1)) }},
		{"Entry out of range", func() { b.Entry(-1) }},
		{"CopyTo short", func() { b.CopyTo(make([]float32, 7), nil) }},
		{"CopyTo short ages", func() { b.CopyTo(make([]float32, 8), make([]int, 3)) }},
	}
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			checkPanicPrefix(t, test.f)
		})
	}
}

func TestBufferDrawPutZeroAllocs(t *testing.T) {
	const capacity, dim, batch = 100, 8, 16
	rng := rand.New(rand.NewPCG(1, 1))
	b := NewBuffer(capacity, dim, 0, 1, rng)
	dst := make([]float32, batch*dim)
	idx := make([]int, batch)
	fresh := make([]bool, batch)

	allocs := testing.AllocsPerRun(100, func() {
		b.Draw(dst, idx, fresh, 0.05, rng)
		b.Put(idx, fresh, dst)
	})

	if allocs != 0 {
		t.Errorf("Draw and Put allocate %v times per call, want 0", allocs)
	}
}

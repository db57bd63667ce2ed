package dataset

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// newImages returns n images of shape 1×2×2 whose values are all equal
// to the image index scaled into [-1, 1].
func newImages(n int) *Dataset {
	d := &Dataset{Name: "test", C: 1, H: 2, W: 2, X: make([]float32, 4*n), Lo: -1, Hi: 1}
	for i := 0; i < n; i++ {
		for j := 0; j < 4; j++ {
			d.X[4*i+j] = -1 + 2*float32(i)/float32(n)
		}
	}
	return d
}

func TestDatasetShape(t *testing.T) {
	tests := []struct {
		name     string
		d        *Dataset
		len, dim int
		points   bool
	}{
		{"images", newImages(5), 5, 4, false},
		{"points", &Dataset{C: 2, H: 1, W: 1, X: make([]float32, 6)}, 3, 2, true},
		{"colour", &Dataset{C: 3, H: 2, W: 2, X: make([]float32, 24)}, 2, 12, false},
		{"one channel point", &Dataset{C: 1, H: 1, W: 2, X: make([]float32, 4)}, 2, 2, false},
		{"zero value", &Dataset{}, 0, 0, false},
	}
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			if got := test.d.Len(); got != test.len {
				t.Errorf("Len = %d, want %d", got, test.len)
			}
			if got := test.d.Dim(); got != test.dim {
				t.Errorf("Dim = %d, want %d", got, test.dim)
			}
			if got := test.d.IsPoints(); got != test.points {
				t.Errorf("IsPoints = %v, want %v", got, test.points)
			}
		})
	}
}

func TestSampleAliasesX(t *testing.T) {
	d := newImages(3)

	s := d.Sample(1)
	s[0] = 0.5

	if d.X[4] != 0.5 {
		t.Errorf("X[4] = %v after writing Sample(1)[0], want 0.5", d.X[4])
	}
	if len(s) != 4 || cap(s) != 4 {
		t.Errorf("len, cap of Sample(1) = %d, %d, want 4, 4", len(s), cap(s))
	}
}

func TestSampleOutOfRangePanics(t *testing.T) {
	d := newImages(3)
	for _, i := range []int{-1, 3} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("Sample(%d) did not panic", i)
				}
			}()
			d.Sample(i)
		}()
	}
}

func TestBatch(t *testing.T) {
	tests := []struct {
		name  string
		d     *Dataset
		noise float64
	}{
		{"images without noise", newImages(10), 0},
		{"images with noise", newImages(10), 0.5},
		{"points without noise", &Dataset{C: 2, H: 1, W: 1, X: []float32{3.9, -3.9, 0, 0, 1, 2}, Lo: -4, Hi: 4}, 0},
		{"points with noise", &Dataset{C: 2, H: 1, W: 1, X: []float32{3.9, -3.9, 0, 0, 1, 2}, Lo: -4, Hi: 4}, 0.5},
	}
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			const k = 200
			dst := make([]float32, k*test.d.Dim())
			test.d.Batch(dst, rand.New(rand.NewPCG(1, 2)), test.noise)

			outside := 0
			seen := map[int]bool{}
			for i := 0; i < k; i++ {
				got := dst[i*test.d.Dim() : (i+1)*test.d.Dim()]
				for _, v := range got {
					if v < test.d.Lo || v > test.d.Hi {
						outside++
					}
				}
				if test.noise > 0 {
					continue
				}
				index := -1
				for j := 0; j < test.d.Len(); j++ {
					if slices.Equal(got, test.d.Sample(j)) {
						index = j
						break
					}
				}
				if index < 0 {
					t.Fatalf("batch row %d = %v is not a sample of the dataset", i, got)
				}
				seen[index] = true
			}

			switch {
			case test.noise == 0 && len(seen) != test.d.Len():
				t.Errorf("batch of %d drew %d distinct samples, want all %d", k, len(seen), test.d.Len())
			case !test.d.IsPoints() && outside > 0:
				t.Errorf("%d image values outside [Lo, Hi], want 0 after clamping", outside)
			case test.d.IsPoints() && test.noise > 0 && outside == 0:
				t.Error("no noisy point outside [Lo, Hi], want some because points are not clamped")
			}
		})
	}
}

func TestBatchNoiseStd(t *testing.T) {
	d := &Dataset{C: 2, H: 1, W: 1, X: []float32{0, 0}, Lo: -4, Hi: 4}
	const k, noise = 20000, 0.3
	dst := make([]float32, 2*k)

	d.Batch(dst, rand.New(rand.NewPCG(3, 4)), noise)

	var sum, sumSq float64
	for _, v := range dst {
		sum += float64(v)
		sumSq += float64(v) * float64(v)
	}
	mean := sum / float64(len(dst))
	variance := sumSq/float64(len(dst)) - mean*mean
	if mean < -0.01 || mean > 0.01 {
		t.Errorf("noise mean = %v, want 0 ± 0.01", mean)
	}
	if want := noise * noise; variance < 0.95*want || variance > 1.05*want {
		t.Errorf("noise variance = %v, want %v ± 5%%", variance, want)
	}
}

func TestBatchSeeded(t *testing.T) {
	d := newImages(50)
	a := make([]float32, 8*d.Dim())
	b := make([]float32, 8*d.Dim())

	d.Batch(a, rand.New(rand.NewPCG(7, 7)), 0.1)
	d.Batch(b, rand.New(rand.NewPCG(7, 7)), 0.1)

	if !slices.Equal(a, b) {
		t.Error("two batches with the same seed differ")
	}
}

func TestBatchAllocatesNothing(t *testing.T) {
	d := newImages(50)
	dst := make([]float32, 16*d.Dim())
	rng := rand.New(rand.NewPCG(1, 1))

	allocs := testing.AllocsPerRun(100, func() { d.Batch(dst, rng, 0.1) })

	if allocs != 0 {
		t.Errorf("Batch allocated %v times per call, want 0", allocs)
	}
}

func TestBatchPanics(t *testing.T) {
	tests := []struct {
		name string
		d    *Dataset
		dst  []float32
	}{
		{"empty dataset", &Dataset{C: 1, H: 2, W: 2}, make([]float32, 4)},
		{"partial sample", newImages(3), make([]float32, 6)},
	}
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Error("Batch did not panic")
				}
			}()
			test.d.Batch(test.dst, rand.New(rand.NewPCG(1, 1)), 0)
		})
	}
}

func BenchmarkBatchMNIST128(b *testing.B) {
	train, _, err := Load("mnist", 1)
	if err != nil {
		b.Fatal(err)
	}
	dst := make([]float32, 128*train.Dim())
	rng := rand.New(rand.NewPCG(1, 1))
	b.SetBytes(int64(4 * len(dst)))
	b.ReportAllocs()
	for b.Loop() {
		train.Batch(dst, rng, 0.05)
	}
}

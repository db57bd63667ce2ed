package ood

import (
	"errors"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

// bruteAUROC counts every (in, out) pair directly, the O(n²) definition.
func bruteAUROC(in, out []float64) float64 {
	var u float64
	for _, a := range in {
		for _, b := range out {
			switch {
			case b > a:
				u++
			case b == a:
				u += 0.5
			}
		}
	}
	return u / float64(len(in)*len(out))
}

// randomScores returns n scores drawn from levels distinct values shifted
// by offset, so that small levels give many ties.
func randomScores(rnd *rand.Rand, n, levels int, offset float64) []float64 {
	s := make([]float64, n)
	for i := range s {
		s[i] = float64(rnd.IntN(levels)) + offset
	}
	return s
}

func TestAUROCKnownValues(t *testing.T) {
	inf := math.Inf(1)
	for _, tc := range []struct {
		name    string
		in, out []float64
		want    float64
	}{
		{"perfect separation", []float64{1, 2, 3}, []float64{4, 5}, 1},
		{"reversed", []float64{4, 5}, []float64{1, 2, 3}, 0},
		{"all ties", []float64{2, 2, 2}, []float64{2, 2}, 0.5},
		{"single pair tie", []float64{7}, []float64{7}, 0.5},
		{"one of four pairs", []float64{1, 3}, []float64{0, 2}, 0.25},
		{"partial ties", []float64{1, 2}, []float64{2, 3}, 0.875},
		{"infinite scores", []float64{-inf, 0}, []float64{inf, 0}, 0.875},
		{"unsorted input", []float64{5, 1, 3}, []float64{4, 2, 6}, 6.0 / 9},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := AUROC(tc.in, tc.out)
			if err != nil {
				t.Fatalf("AUROC: unexpected error %v", err)
			}
			if got != tc.want {
				t.Errorf("AUROC = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestAUROCMatchesBruteForce(t *testing.T) {
	rnd := rand.New(rand.NewPCG(1, 2))
	for trial := range 200 {
		nIn, nOut := 1+rnd.IntN(40), 1+rnd.IntN(40)
		levels := 1 + rnd.IntN(12)
		in := randomScores(rnd, nIn, levels, 0)
		out := randomScores(rnd, nOut, levels, rnd.Float64()*3)

		got, err := AUROC(in, out)
		if err != nil {
			t.Fatalf("trial %d: unexpected error %v", trial, err)
		}
		want := bruteAUROC(in, out)
		if math.Abs(got-want) > 1e-12 {
			t.Fatalf("trial %d: AUROC = %v, brute force = %v (in %v, out %v)", trial, got, want, in, out)
		}
	}
}

func TestAUROCSwapIsComplement(t *testing.T) {
	rnd := rand.New(rand.NewPCG(3, 4))
	for trial := range 200 {
		levels := 1 + rnd.IntN(6)
		in := randomScores(rnd, 1+rnd.IntN(50), levels, 0)
		out := randomScores(rnd, 1+rnd.IntN(50), levels, 0)

		a, err := AUROC(in, out)
		if err != nil {
			t.Fatalf("trial %d: unexpected error %v", trial, err)
		}
		b, err := AUROC(out, in)
		if err != nil {
			t.Fatalf("trial %d: unexpected error %v", trial, err)
		}
		if math.Abs(a+b-1) > 1e-12 {
			t.Fatalf("trial %d: AUROC(in, out) + AUROC(out, in) = %v + %v, want 1", trial, a, b)
		}
	}
}

func TestAUROCLeavesInputUnchanged(t *testing.T) {
	in := []float64{3, 1, 2}
	out := []float64{9, 4, 8}
	if _, err := AUROC(in, out); err != nil {
		t.Fatalf("unexpected error %v", err)
	}
	if in[0] != 3 || in[1] != 1 || in[2] != 2 {
		t.Errorf("in was modified: %v", in)
	}
	if out[0] != 9 || out[1] != 4 || out[2] != 8 {
		t.Errorf("out was modified: %v", out)
	}
}

func TestInvalidInput(t *testing.T) {
	nan := math.NaN()
	for _, tc := range []struct {
		name    string
		in, out []float64
		want    error
		set     string // the set the message must name
	}{
		{"empty in", nil, []float64{1}, ErrEmpty, "in-distribution"},
		{"empty out", []float64{1}, []float64{}, ErrEmpty, "out-of-distribution"},
		{"NaN in", []float64{1, nan}, []float64{1}, ErrNaN, "in-distribution"},
		{"NaN out", []float64{1}, []float64{nan, 2}, ErrNaN, "out-of-distribution"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := AUROC(tc.in, tc.out)
			if !errors.Is(err, tc.want) {
				t.Fatalf("AUROC error = %v, want %v", err, tc.want)
			}
			if !strings.Contains(err.Error(), tc.set+" set") {
				t.Errorf("AUROC error %q does not name the %s set", err, tc.set)
			}

			_, _, err = ROC(tc.in, tc.out)
			if !errors.Is(err, tc.want) {
				t.Fatalf("ROC error = %v, want %v", err, tc.want)
			}
		})
	}
}

func TestROCPoints(t *testing.T) {
	for _, tc := range []struct {
		name     string
		in, out  []float64
		fpr, tpr []float64
	}{
		{"separated", []float64{1, 2}, []float64{3, 4},
			[]float64{0, 0, 0, 0.5, 1}, []float64{0, 0.5, 1, 1, 1}},
		{"all ties", []float64{5, 5}, []float64{5},
			[]float64{0, 1}, []float64{0, 1}},
		{"interleaved with a tie", []float64{1, 3}, []float64{2, 3},
			[]float64{0, 0.5, 0.5, 1}, []float64{0, 0.5, 1, 1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fpr, tpr, err := ROC(tc.in, tc.out)
			if err != nil {
				t.Fatalf("unexpected error %v", err)
			}
			if !equal(fpr, tc.fpr) {
				t.Errorf("fpr = %v, want %v", fpr, tc.fpr)
			}
			if !equal(tpr, tc.tpr) {
				t.Errorf("tpr = %v, want %v", tpr, tc.tpr)
			}
		})
	}
}

func TestROCAreaEqualsAUROC(t *testing.T) {
	rnd := rand.New(rand.NewPCG(5, 6))
	for trial := range 100 {
		levels := 1 + rnd.IntN(10)
		in := randomScores(rnd, 1+rnd.IntN(60), levels, 0)
		out := randomScores(rnd, 1+rnd.IntN(60), levels, 1)

		fpr, tpr, err := ROC(in, out)
		if err != nil {
			t.Fatalf("trial %d: unexpected error %v", trial, err)
		}
		if n := len(fpr); fpr[0] != 0 || tpr[0] != 0 || fpr[n-1] != 1 || tpr[n-1] != 1 {
			t.Fatalf("trial %d: curve runs from (%v, %v) to (%v, %v), want (0, 0) to (1, 1)",
				trial, fpr[0], tpr[0], fpr[n-1], tpr[n-1])
		}
		var area float64
		for k := 1; k < len(fpr); k++ {
			if fpr[k] < fpr[k-1] || tpr[k] < tpr[k-1] {
				t.Fatalf("trial %d: curve decreases at point %d", trial, k)
			}
			area += (fpr[k] - fpr[k-1]) * (tpr[k] + tpr[k-1]) / 2
		}
		want, _ := AUROC(in, out)
		if math.Abs(area-want) > 1e-12 {
			t.Fatalf("trial %d: area under ROC = %v, AUROC = %v", trial, area, want)
		}
	}
}

func TestPercentile(t *testing.T) {
	nan := math.NaN()
	for _, tc := range []struct {
		name string
		ref  []float64
		v    float64
		want float64
	}{
		{"below all", []float64{3, 1, 2}, 0, 0},
		{"above all", []float64{3, 1, 2}, 10, 100},
		{"middle", []float64{4, 1, 3, 2}, 2.5, 50},
		{"exact tie", []float64{1, 2, 3, 4}, 2, 37.5},
		{"all equal", []float64{5, 5, 5}, 5, 50},
		{"NaN skipped", []float64{1, nan, 3}, 2, 50},
		{"infinite value", []float64{1, 2}, math.Inf(1), 100},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Percentile(tc.ref, tc.v); got != tc.want {
				t.Errorf("Percentile(%v, %v) = %v, want %v", tc.ref, tc.v, got, tc.want)
			}
		})
	}
}

func TestPercentileUndefined(t *testing.T) {
	for _, tc := range []struct {
		name string
		ref  []float64
		v    float64
	}{
		{"empty ref", nil, 1},
		{"only NaN in ref", []float64{math.NaN()}, 1},
		{"NaN value", []float64{1, 2}, math.NaN()},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Percentile(tc.ref, tc.v); !math.IsNaN(got) {
				t.Errorf("Percentile(%v, %v) = %v, want NaN", tc.ref, tc.v, got)
			}
		})
	}
}

func equal(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func BenchmarkAUROC10000x10000(b *testing.B) {
	rnd := rand.New(rand.NewPCG(7, 8))
	in := make([]float64, 10000)
	out := make([]float64, 10000)
	for i := range in {
		in[i] = rnd.NormFloat64()
		out[i] = rnd.NormFloat64() + 1
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := AUROC(in, out); err != nil {
			b.Fatal(err)
		}
	}
}

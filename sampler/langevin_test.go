package sampler

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// TestLangevinGaussianStationary checks the stationary mean and covariance
// of unadjusted Langevin at T = 1 against the AR(1) solution. Along an
// eigenvector of the covariance with variance s², one step maps
// y ← a·y + √(2h)·ξ with a = 1 − h/s², so y has stationary variance
// s²/(1 − h/(2s²)), and different eigen-directions are independent.
//
// Samples are taken at every step after burn-in from many independent
// chains. The standard errors use the AR(1) autocorrelations: a^k for y,
// a^(2k) for y² and (a₁a₂)^k for y₁y₂.
func TestLangevinGaussianStationary(t *testing.T) {
	const (
		chains  = 400
		samples = 2000 // steps recorded per chain after burn-in
		bands   = 3    // allowed deviation in standard errors
	)
	tests := []struct {
		name      string
		mean      []float64
		variances []float64 // eigenvalues of the covariance
		theta     float64   // angle of the first eigenvector, 2-D only
		h         float64
	}{
		{name: "1-D h=0.01", mean: []float64{0.5}, variances: []float64{1}, h: 0.01},
		{name: "1-D h=0.1", mean: []float64{0.5}, variances: []float64{1}, h: 0.1},
		{name: "1-D h=1", mean: []float64{0.5}, variances: []float64{1}, h: 1},
		{name: "1-D s=0.5 h=0.1", mean: []float64{-3}, variances: []float64{0.25}, h: 0.1},
		{name: "2-D correlated h=0.01", mean: []float64{1, -2}, variances: []float64{2, 0.8}, theta: math.Pi / 6, h: 0.01},
		{name: "2-D correlated h=0.1", mean: []float64{1, -2}, variances: []float64{2, 0.8}, theta: math.Pi / 6, h: 0.1},
		{name: "2-D correlated h=1", mean: []float64{1, -2}, variances: []float64{2, 0.8}, theta: math.Pi / 6, h: 1},
	}
	for seed, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			dim := len(test.mean)
			var energy *quadratic
			vectors := [][]float64{{1}}
			if dim == 1 {
				energy = &quadratic{mean: test.mean, prec: []float64{1 / test.variances[0]}}
			} else {
				var v [2][2]float64
				energy, v = gaussian2D(test.mean, [2]float64{test.variances[0], test.variances[1]}, test.theta)
				vectors = [][]float64{v[0][:], v[1][:]}
			}

			// Stationary variance and AR(1) coefficient along each eigenvector.
			wantVar := make([]float64, dim)
			coef := make([]float64, dim)
			burnIn := 10
			for k, s2 := range test.variances {
				wantVar[k] = s2 / (1 - test.h/(2*s2))
				coef[k] = 1 - test.h/s2
				// Run until the start's influence on the mean, coef^burnIn, is below e^−10.
				if a := math.Abs(coef[k]); a > 0 {
					burnIn = max(burnIn, int(math.Ceil(10/-math.Log(a))))
				}
			}

			x := make([]float32, chains*dim)
			for i := range x {
				x[i] = float32(test.mean[i%dim])
			}
			l := NewLangevin(energy, dim)
			s := Settings{StepSize: test.h, Temperature1: true, Steps: burnIn}
			rng := rand.New(rand.NewPCG(uint64(seed), 2))
			if _, err := l.Run(context.Background(), x, chains, func() Settings { return s }, rng, nil); err != nil {
				t.Fatalf("burn-in: %v", err)
			}

			sum := make([]float64, dim)
			sumSq := make([]float64, dim)
			var sumCross float64
			y := make([]float64, dim)
			for range samples {
				if _, err := l.Step(x, chains, s, rng); err != nil {
					t.Fatalf("Step: %v", err)
				}
				for c := range chains {
					for k, v := range vectors {
						y[k] = 0
						for j := range dim {
							y[k] += v[j] * (float64(x[c*dim+j]) - test.mean[j])
						}
						sum[k] += y[k]
						sumSq[k] += y[k] * y[k]
					}
					if dim == 2 {
						sumCross += y[0] * y[1]
					}
				}
			}

			n := float64(chains * samples)
			for k := range dim {
				a := coef[k]
				mean := sum[k] / n
				meanSE := math.Sqrt(wantVar[k] / n * (1 + a) / (1 - a))
				if math.Abs(mean) > bands*meanSE {
					t.Errorf("eigen-direction %d: mean offset %.4g from μ, want 0 ± %.2g (3 SE)", k, mean, bands*meanSE)
				}
				variance := sumSq[k] / n
				varSE := wantVar[k] * math.Sqrt(2/n*(1+a*a)/(1-a*a))
				t.Logf("eigen-direction %d: mean offset %.4f (%.1f SE), variance %.4f, want %.4f (%.1f SE)",
					k, mean, mean/meanSE, variance, wantVar[k], (variance-wantVar[k])/varSE)
				if math.Abs(variance-wantVar[k]) > bands*varSE {
					t.Errorf("eigen-direction %d: variance %.4f, want %.4f ± %.2g (3 SE)", k, variance, wantVar[k], bands*varSE)
				}
			}
			if dim == 2 {
				ab := coef[0] * coef[1]
				cross := sumCross / n
				crossSE := math.Sqrt(wantVar[0] * wantVar[1] / n * (1 + ab) / (1 - ab))
				if math.Abs(cross) > bands*crossSE {
					t.Errorf("covariance between eigen-directions %.4g, want 0 ± %.2g (3 SE)", cross, bands*crossSE)
				}
			}
		})
	}
}

// TestLangevinUnstableStepDiverges runs step sizes h ≥ 2s² on the Gaussian
// E = x²/(2s²), where the chain is unstable. At h = 2s² exactly the chain
// is a random walk, so that case uses a small bound to end in time.
func TestLangevinUnstableStepDiverges(t *testing.T) {
	const chains = 16
	tests := []struct {
		name   string
		s2     float64 // variance s² of the Gaussian
		h      float64
		maxAbs float64
	}{
		{name: "h=2.5 s=1", s2: 1, h: 2.5},
		{name: "h=4 s=1", s2: 1, h: 4},
		{name: "h=9 s=2", s2: 4, h: 9},
		{name: "h=2s² random walk", s2: 1, h: 2, maxAbs: 100},
	}
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			l := NewLangevin(&quadratic{mean: []float64{0}, prec: []float64{1 / test.s2}}, 1)
			l.MaxAbs = test.maxAbs
			s := Settings{StepSize: test.h, Temperature1: true, Steps: 100000}
			x := make([]float32, chains)
			last := make([]float32, chains)
			observe := func(step int, x []float32) { copy(last, x) }

			stats, err := l.Run(context.Background(), x, chains, func() Settings { return s }, rand.New(rand.NewPCG(3, 4)), observe)

			var de *DivergenceError
			if !errors.As(err, &de) {
				t.Fatalf("Run error = %v, want a *DivergenceError", err)
			}
			if de.Step != stats.Steps+1 {
				t.Errorf("DivergenceError.Step = %d, want the step after the %d completed", de.Step, stats.Steps)
			}
			if !strings.Contains(de.Cause, "exceeds bound") {
				t.Errorf("Cause = %q, want it to report the bound", de.Cause)
			}
			if de.Settings != s {
				t.Errorf("Settings = %+v, want %+v", de.Settings, s)
			}
			if slices.ContainsFunc(x, func(v float32) bool { return math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) }) {
				t.Errorf("x contains NaN or Inf after divergence: %v", x)
			}
			if stats.Steps > 0 && !slices.Equal(x, last) {
				t.Errorf("x = %v after divergence, want the state after step %d: %v", x, stats.Steps, last)
			}
		})
	}
}

func TestLangevinStepNonFinite(t *testing.T) {
	tests := []struct {
		name   string
		energy Energy
		x      []float32
		cause  string
	}{
		{name: "NaN energy", energy: constant{energy: float32(math.NaN())}, x: []float32{0, 0, 1, 1}, cause: "NaN in energy of chain 0"},
		{name: "Inf gradient", energy: constant{grad: float32(math.Inf(1))}, x: []float32{0, 0, 1, 1}, cause: "+Inf in energy gradient of chain 0"},
		{name: "NaN in x", energy: constant{}, x: []float32{0, 0, 1, float32(math.NaN())}, cause: "NaN in x of chain 1"},
		{name: "x beyond bound", energy: constant{}, x: []float32{0, 0, 2e6, 1}, cause: "|x| = 2e+06 in chain 1 exceeds bound 1e+06"},
		{name: "overflow after step", energy: constant{grad: -1e30}, x: []float32{0, 0, 1, 1}, cause: "exceeds bound"},
	}
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			l := NewLangevin(test.energy, 2)
			x := slices.Clone(test.x)

			_, err := l.Step(x, 2, Settings{StepSize: 0.1, Temperature1: true, Steps: 1}, rand.New(rand.NewPCG(1, 1)))

			var de *DivergenceError
			if !errors.As(err, &de) {
				t.Fatalf("Step error = %v, want a *DivergenceError", err)
			}
			if !strings.Contains(de.Cause, test.cause) {
				t.Errorf("Cause = %q, want it to contain %q", de.Cause, test.cause)
			}
			if de.Step != 0 {
				t.Errorf("Step = %d, want 0 for a direct call", de.Step)
			}
			if !slices.EqualFunc(x, test.x, sameFloat) {
				t.Errorf("x = %v after the error, want it unchanged: %v", x, test.x)
			}
		})
	}
}

// TestLangevinIncrements checks that with a flat energy the increments
// x' − x are the noise σ·ξ: mean 0, variance σ², and uncorrelated across
// steps, across chains and across coordinates of one chain.
func TestLangevinIncrements(t *testing.T) {
	const (
		chains = 32
		dim    = 4
		steps  = 3000
		bands  = 4 // allowed deviation in standard errors
	)
	tests := []struct {
		name     string
		settings Settings
		wantVar  float64
	}{
		{name: "noise 0.7", settings: Settings{StepSize: 0.05, Noise: 0.7}, wantVar: 0.49},
		{name: "temperature 1", settings: Settings{StepSize: 0.02, Temperature1: true, Noise: 5}, wantVar: 0.04},
	}
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			l := NewLangevin(constant{}, dim)
			rng := rand.New(rand.NewPCG(5, 6))
			x := make([]float32, chains*dim)
			before := make([]float32, len(x))
			prev := make([]float64, len(x))
			d := make([]float64, len(x))

			var sum, sumSq, lagSum, chainSum, coordSum float64
			var lagCount, chainCount, coordCount int
			for step := range steps {
				copy(before, x)
				if _, err := l.Step(x, chains, test.settings, rng); err != nil {
					t.Fatalf("Step: %v", err)
				}
				for i := range x {
					d[i] = float64(x[i]) - float64(before[i])
					sum += d[i]
					sumSq += d[i] * d[i]
				}
				if step > 0 {
					for i := range d {
						lagSum += d[i] * prev[i]
					}
					lagCount += len(d)
				}
				for c := range chains - 1 {
					for j := range dim {
						chainSum += d[c*dim+j] * d[(c+1)*dim+j]
					}
					chainCount += dim
				}
				for c := range chains {
					for j := range dim - 1 {
						coordSum += d[c*dim+j] * d[c*dim+j+1]
					}
					coordCount += dim - 1
				}
				copy(prev, d)
			}

			n := float64(steps * chains * dim)
			mean := sum / n
			if se := math.Sqrt(test.wantVar / n); math.Abs(mean) > bands*se {
				t.Errorf("mean increment %.3g, want 0 ± %.2g (4 SE)", mean, bands*se)
			}
			variance := sumSq / n
			if se := test.wantVar * math.Sqrt(2/n); math.Abs(variance-test.wantVar) > bands*se {
				t.Errorf("increment variance %.5f, want σ² = %.5f ± %.2g (4 SE)", variance, test.wantVar, bands*se)
			}
			for _, c := range []struct {
				name  string
				sum   float64
				count int
			}{
				{"lag-1 across steps", lagSum, lagCount},
				{"between neighbouring chains", chainSum, chainCount},
				{"between neighbouring coordinates", coordSum, coordCount},
			} {
				r := c.sum / float64(c.count) / variance
				if se := 1 / math.Sqrt(float64(c.count)); math.Abs(r) > bands*se {
					t.Errorf("correlation %s = %.4f, want 0 ± %.4f (4 SE)", c.name, r, bands*se)
				}
			}
		})
	}
}

func TestLangevinGradClip(t *testing.T) {
	grad := []float32{1000, -1000, 0.2, -0.2}
	tests := []struct {
		name string
		clip float64
		want []float32 // x after one step from 0 with λ = 0.1 and no noise
	}{
		{name: "off", clip: 0, want: []float32{-100, 100, -0.02, 0.02}},
		{name: "c=0.5", clip: 0.5, want: []float32{-0.05, 0.05, -0.02, 0.02}},
		{name: "c=0.1", clip: 0.1, want: []float32{-0.01, 0.01, -0.01, 0.01}},
	}
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			l := NewLangevin(linear{grad: grad}, len(grad))
			x := make([]float32, len(grad))

			stats, err := l.Step(x, 1, Settings{StepSize: 0.1, GradClip: test.clip, Steps: 1}, rand.New(rand.NewPCG(1, 1)))
			if err != nil {
				t.Fatalf("Step: %v", err)
			}

			if !slices.EqualFunc(x, test.want, close32) {
				t.Errorf("x = %v, want %v", x, test.want)
			}
			// The norm is reported before clipping, whatever c is.
			if want := math.Sqrt(2*1000*1000 + 2*0.2*0.2); math.Abs(stats.MeanGradNorm-want) > 1e-3 {
				t.Errorf("MeanGradNorm = %v, want %v", stats.MeanGradNorm, want)
			}
		})
	}
}

func TestLangevinClamp(t *testing.T) {
	tests := []struct {
		name     string
		settings Settings
		wantIn   bool // whether every value must stay in [0, 1]
	}{
		{name: "clamp on", settings: Settings{StepSize: 0.5, Noise: 3, Steps: 50, Clamp: true, Lo: 0, Hi: 1}, wantIn: true},
		{name: "clamp on, temperature 1", settings: Settings{StepSize: 2, Temperature1: true, Steps: 50, Clamp: true, Lo: 0, Hi: 1}, wantIn: true},
		{name: "clamp off", settings: Settings{StepSize: 0.5, Noise: 3, Steps: 50, Lo: 0, Hi: 1}, wantIn: false},
	}
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			const chains, dim = 8, 3
			l := NewLangevin(linear{grad: []float32{10, -10, 0}}, dim)
			x := make([]float32, chains*dim)
			for i := range x {
				x[i] = 0.5
			}
			var hitLo, hitHi, outside bool
			observe := func(step int, x []float32) {
				for _, v := range x {
					hitLo = hitLo || v == 0
					hitHi = hitHi || v == 1
					outside = outside || v < 0 || v > 1
				}
			}

			s := test.settings
			if _, err := l.Run(context.Background(), x, chains, func() Settings { return s }, rand.New(rand.NewPCG(7, 8)), observe); err != nil {
				t.Fatalf("Run: %v", err)
			}

			if test.wantIn {
				if outside {
					t.Error("a value left [0, 1] with the clamp on")
				}
				if !hitLo || !hitHi {
					t.Errorf("clamped values reached 0: %v, 1: %v, want both", hitLo, hitHi)
				}
			} else if !outside {
				t.Error("no value left [0, 1] with the clamp off")
			}
		})
	}
}

// TestRunSettingsChangeMidRun changes the settings after step 3 and checks
// that the change applies from step 4. The energy has the constant
// gradient 1 and there is no noise, so each step moves x by −λ exactly.
func TestRunSettingsChangeMidRun(t *testing.T) {
	before := Settings{StepSize: 0.125, Steps: 10}
	tests := []struct {
		name      string
		after     Settings
		wantSteps int
		wantX     float32
	}{
		{name: "lower K", after: Settings{StepSize: 0.125, Steps: 5}, wantSteps: 5, wantX: -5 * 0.125},
		{name: "K below steps done", after: Settings{StepSize: 0.125, Steps: 2}, wantSteps: 3, wantX: -3 * 0.125},
		{name: "higher K", after: Settings{StepSize: 0.125, Steps: 12}, wantSteps: 12, wantX: -12 * 0.125},
		{name: "larger step size", after: Settings{StepSize: 0.5, Steps: 10}, wantSteps: 10, wantX: -3*0.125 - 7*0.5},
		{name: "clamp switched on", after: Settings{StepSize: 0.125, Steps: 10, Clamp: true, Lo: -0.5, Hi: 0}, wantSteps: 10, wantX: -0.5},
	}
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			l := NewLangevin(linear{grad: []float32{1}}, 1)
			x := []float32{0}
			done := 0
			var seen []int
			settings := func() Settings {
				if done >= 3 {
					return test.after
				}
				return before
			}
			observe := func(step int, x []float32) {
				done = step
				seen = append(seen, step)
			}

			stats, err := l.Run(context.Background(), x, 1, settings, rand.New(rand.NewPCG(1, 1)), observe)
			if err != nil {
				t.Fatalf("Run: %v", err)
			}

			if stats.Steps != test.wantSteps {
				t.Errorf("Steps = %d, want %d", stats.Steps, test.wantSteps)
			}
			if want := seqInts(1, test.wantSteps); !slices.Equal(seen, want) {
				t.Errorf("observed steps %v, want %v", seen, want)
			}
			if x[0] != test.wantX {
				t.Errorf("x = %v, want %v", x[0], test.wantX)
			}
			if stats.FinalEnergy != float64(test.wantX) {
				t.Errorf("FinalEnergy = %v, want E(x) = %v", stats.FinalEnergy, test.wantX)
			}
		})
	}
}

func TestRunInvalidSettingsMidRun(t *testing.T) {
	l := NewLangevin(linear{grad: []float32{1}}, 1)
	x := []float32{0}
	done := 0
	settings := func() Settings {
		if done >= 2 {
			return Settings{StepSize: -1, Steps: 10}
		}
		return Settings{StepSize: 0.25, Steps: 10}
	}

	stats, err := l.Run(context.Background(), x, 1, settings, rand.New(rand.NewPCG(1, 1)), func(step int, _ []float32) { done = step })

	if err == nil || err.Error() != "invalid step size -1: must be > 0" {
		t.Errorf("Run error = %v, want the step size validation error", err)
	}
	if stats.Steps != 2 {
		t.Errorf("Steps = %d, want 2", stats.Steps)
	}
	if x[0] != -0.5 {
		t.Errorf("x = %v, want -0.5 from the two valid steps", x[0])
	}
}

func TestRunContextCancel(t *testing.T) {
	tests := []struct {
		name      string
		cancelAt  int // step whose observe call cancels; 0 cancels before Run
		wantSteps int
	}{
		{name: "before first step", cancelAt: 0, wantSteps: 0},
		{name: "after step 4", cancelAt: 4, wantSteps: 4},
	}
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			if test.cancelAt == 0 {
				cancel()
			}
			l := NewLangevin(linear{grad: []float32{1}}, 1)
			x := []float32{0}
			s := Settings{StepSize: 0.25, Steps: 100}
			observe := func(step int, _ []float32) {
				if step == test.cancelAt {
					cancel()
				}
			}

			stats, err := l.Run(ctx, x, 1, func() Settings { return s }, rand.New(rand.NewPCG(1, 1)), observe)

			if !errors.Is(err, context.Canceled) {
				t.Errorf("Run error = %v, want context.Canceled", err)
			}
			if stats.Steps != test.wantSteps {
				t.Errorf("Steps = %d, want %d", stats.Steps, test.wantSteps)
			}
			if want := float32(-0.25 * float64(test.wantSteps)); x[0] != want {
				t.Errorf("x = %v, want %v", x[0], want)
			}
		})
	}
}

// TestRunMatchesSteps checks that Run with a fixed seed performs exactly the
// steps of a Step loop with the same seed, and that its statistics match.
func TestRunMatchesSteps(t *testing.T) {
	const chains, dim, steps = 5, 3, 20
	energy := &quadratic{mean: []float64{1, 0, -1}, prec: []float64{2, 0.5, 0, 0.5, 1, 0, 0, 0, 4}}
	s := Settings{StepSize: 0.05, Noise: 0.1, Steps: steps, GradClip: 3}
	start := make([]float32, chains*dim)
	for i := range start {
		start[i] = float32(i%7) - 3
	}

	byRun := slices.Clone(start)
	stats, err := NewLangevin(energy, dim).Run(context.Background(), byRun, chains, func() Settings { return s }, rand.New(rand.NewPCG(9, 9)), nil)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}

	byStep := slices.Clone(start)
	l := NewLangevin(energy, dim)
	rng := rand.New(rand.NewPCG(9, 9))
	var gradNorms float64
	for range steps {
		st, err := l.Step(byStep, chains, s, rng)
		if err != nil {
			t.Fatalf("Step: %v", err)
		}
		gradNorms += st.MeanGradNorm
	}
	e := make([]float32, chains)
	energy.InputGrad(e, make([]float32, chains*dim), byStep)
	var final float64
	for _, v := range e {
		final += float64(v) / chains
	}

	if !slices.Equal(byRun, byStep) {
		t.Errorf("Run result %v differs from Step loop %v", byRun, byStep)
	}
	if stats.Steps != steps {
		t.Errorf("Steps = %d, want %d", stats.Steps, steps)
	}
	if want := gradNorms / steps; math.Abs(stats.MeanGradNorm-want) > 1e-12*want {
		t.Errorf("MeanGradNorm = %v, want %v", stats.MeanGradNorm, want)
	}
	if math.Abs(stats.FinalEnergy-final) > 1e-6*math.Abs(final) {
		t.Errorf("FinalEnergy = %v, want %v", stats.FinalEnergy, final)
	}
}

func TestStepStats(t *testing.T) {
	// E = ½ x² per coordinate, so ∂E/∂x = x.
	l := NewLangevin(cheapQuadratic{dim: 2}, 2)
	x := []float32{3, 4, 0, 1}

	stats, err := l.Step(x, 2, Settings{StepSize: 0.1, Steps: 1}, rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		t.Fatalf("Step: %v", err)
	}

	if want := (12.5 + 0.5) / 2; stats.MeanEnergy != want {
		t.Errorf("MeanEnergy = %v, want %v", stats.MeanEnergy, want)
	}
	if want := (5.0 + 1.0) / 2; stats.MeanGradNorm != want {
		t.Errorf("MeanGradNorm = %v, want %v", stats.MeanGradNorm, want)
	}
	if want := []float32{2.7, 3.6, 0, 0.9}; !slices.EqualFunc(x, want, close32) {
		t.Errorf("x = %v, want %v", x, want)
	}
}

func TestStepInvalidSettings(t *testing.T) {
	l := NewLangevin(constant{}, 1)
	x := []float32{0.5}

	_, err := l.Step(x, 1, Settings{StepSize: 0.1, Noise: -1}, rand.New(rand.NewPCG(1, 1)))

	if err == nil || !strings.Contains(err.Error(), "invalid noise -1") {
		t.Errorf("Step error = %v, want the noise validation error", err)
	}
	if x[0] != 0.5 {
		t.Errorf("x = %v, want it unchanged", x[0])
	}
}

func TestStepEmptyBatch(t *testing.T) {
	l := NewLangevin(constant{energy: float32(math.NaN())}, 3)

	stats, err := l.Step(nil, 0, Settings{StepSize: 0.1, Steps: 1}, rand.New(rand.NewPCG(1, 1)))

	if err != nil || stats != (StepStats{}) {
		t.Errorf("Step on an empty batch = %+v, %v, want zero stats and no error", stats, err)
	}
}

func TestLangevinPanics(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	s := Settings{StepSize: 0.1, Steps: 1}
	tests := []struct {
		name string
		f    func()
	}{
		{name: "nil energy", f: func() { NewLangevin(nil, 1) }},
		{name: "zero dim", f: func() { NewLangevin(constant{}, 0) }},
		{name: "short x", f: func() { _, _ = NewLangevin(constant{}, 2).Step(make([]float32, 3), 2, s, rng) }},
		{name: "negative n", f: func() { _, _ = NewLangevin(constant{}, 2).Step(nil, -1, s, rng) }},
		{name: "nil rng", f: func() { _, _ = NewLangevin(constant{}, 1).Step([]float32{0}, 1, s, nil) }},
		{name: "negative MaxAbs", f: func() {
			l := NewLangevin(constant{}, 1)
			l.MaxAbs = -1
			_, _ = l.Step([]float32{0}, 1, s, rng)
		}},
		{name: "Run short x", f: func() {
			_, _ = NewLangevin(constant{}, 2).Run(context.Background(), make([]float32, 3), 2, func() Settings { return s }, rng, nil)
		}},
	}
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			checkPanicPrefix(t, test.f)
		})
	}
}

func TestLangevinZeroAllocs(t *testing.T) {
	const chains, dim = 16, 8
	l := NewLangevin(cheapQuadratic{dim: dim}, dim)
	x := make([]float32, chains*dim)
	s := Settings{StepSize: 0.01, Temperature1: true, Steps: 5, GradClip: 1, Clamp: true, Lo: -1, Hi: 1}
	rng := rand.New(rand.NewPCG(1, 1))
	settings := func() Settings { return s }
	ctx := context.Background()

	step := testing.AllocsPerRun(100, func() {
		if _, err := l.Step(x, chains, s, rng); err != nil {
			t.Fatal(err)
		}
	})
	run := testing.AllocsPerRun(20, func() {
		if _, err := l.Run(ctx, x, chains, settings, rng, nil); err != nil {
			t.Fatal(err)
		}
	})

	if step != 0 {
		t.Errorf("Step allocates %v times per call, want 0", step)
	}
	if run != 0 {
		t.Errorf("Run allocates %v times per call, want 0", run)
	}
}

func seqInts(from, to int) []int {
	var s []int
	for i := from; i <= to; i++ {
		s = append(s, i)
	}
	return s
}

// sameFloat reports whether a and b are equal or both NaN.
func sameFloat(a, b float32) bool {
	return a == b || (a != a && b != b)
}

func close32(a, b float32) bool {
	return math.Abs(float64(a)-float64(b)) <= 1e-6*max(1, math.Abs(float64(b)))
}

// checkPanicPrefix fails the test unless f panics with a string message
// that starts with "sampler: ".
func checkPanicPrefix(t *testing.T, f func()) {
	t.Helper()
	defer func() {
		r := recover()
		msg, ok := r.(string)
		if !ok || !strings.HasPrefix(msg, "sampler: ") {
			t.Errorf("recovered %v, want a panic message starting with \"sampler: \"", r)
		}
	}()
	f()
}

func TestRunSkipFinalEnergy(t *testing.T) {
	e := &countingEnergy{}
	l := NewLangevin(e, 1)
	l.SkipFinalEnergy = true
	x := []float32{0.5, -0.5}
	s := Settings{StepSize: 0.1, Temperature1: true, Steps: 3}
	stats, err := l.Run(context.Background(), x, 2, func() Settings { return s }, rand.New(rand.NewPCG(1, 2)), nil)
	if err != nil {
		t.Fatal(err)
	}
	if e.calls != 3 {
		t.Errorf("%d energy evaluations for 3 steps with SkipFinalEnergy, want 3", e.calls)
	}
	if stats.FinalEnergy != 0 {
		t.Errorf("FinalEnergy = %v with SkipFinalEnergy, want 0", stats.FinalEnergy)
	}
}

// countingEnergy is E = x²/2 that counts its evaluations.
type countingEnergy struct{ calls int }

func (c *countingEnergy) InputGrad(e, dx, x []float32) {
	c.calls++
	for i := range e {
		e[i] = x[i] * x[i] / 2
		dx[i] = x[i]
	}
}

package render

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

func TestEMA(t *testing.T) {
	cases := []struct {
		name  string
		y     []float64
		alpha float64
		want  []float64
	}{
		{name: "no smoothing", y: []float64{3, -1, 4}, alpha: 0, want: []float64{3, -1, 4}},
		{name: "constant stays constant", y: []float64{2, 2, 2, 2}, alpha: 0.9, want: []float64{2, 2, 2, 2}},
		{name: "first value unbiased", y: []float64{5}, alpha: 0.99, want: []float64{5}},
		// Weights α^(t−i)(1−α) normalised: (0.5·1 + 1·0) / 1.5.
		{name: "step down", y: []float64{1, 0}, alpha: 0.5, want: []float64{1, 1.0 / 3}},
		// (0.25·1 + 0.5·2 + 1·4) / 1.75.
		{name: "three points", y: []float64{1, 2, 4}, alpha: 0.5, want: []float64{1, 5.0 / 3, 5.25 / 1.75}},
		{name: "empty", y: nil, alpha: 0.9, want: nil},
	}
	for _, c := range cases {
		got := make([]float64, len(c.y))
		ema(got, c.y, c.alpha)
		for i := range c.want {
			if math.Abs(got[i]-c.want[i]) > 1e-12 {
				t.Errorf("%s: dst[%d] = %g, want %g", c.name, i, got[i], c.want[i])
			}
		}
	}
}

func TestEMAInPlace(t *testing.T) {
	y := []float64{1, 2, 4}
	want := make([]float64, len(y))
	ema(want, y, 0.5)
	ema(y, y, 0.5)
	for i := range y {
		if y[i] != want[i] {
			t.Errorf("in place dst[%d] = %g, want %g", i, y[i], want[i])
		}
	}
}

func TestEMALengthPanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("no panic for mismatched lengths")
		}
	}()
	ema(make([]float64, 2), make([]float64, 3), 0.5)
}

func TestTitleWithNote(t *testing.T) {
	cases := []struct {
		title string
		logY  bool
		skip  skipCounts
		want  string
	}{
		{title: "loss", want: "loss"},
		{title: "loss", logY: true, want: "loss (log y)"},
		{title: "loss", logY: true, skip: skipCounts{nonPositive: 12}, want: "loss (log y, 12 non-positive values skipped)"},
		{title: "loss", skip: skipCounts{nonFinite: 3}, want: "loss (3 non-finite values skipped)"},
		{title: "loss", skip: skipCounts{nonFinite: 1}, want: "loss (1 non-finite value skipped)"},
		{title: "", logY: true, skip: skipCounts{nonPositive: 1, nonFinite: 2}, want: "log y, 1 non-positive and 2 non-finite values skipped"},
	}
	for _, c := range cases {
		if got := titleWithNote(c.title, c.logY, c.skip); got != c.want {
			t.Errorf("titleWithNote(%q, %t, %+v) = %q, want %q", c.title, c.logY, c.skip, got, c.want)
		}
	}
}

func TestPrepareCurvesSkips(t *testing.T) {
	nan := math.NaN()
	curves := []Curve{
		{Name: "loss", X: []float64{0, 1, 2, 3, nan}, Y: []float64{1, -1, nan, 0, 2}},
		{Name: "lr", X: []float64{0, 1}, Y: []float64{0.1, 0.1}},
	}
	cases := []struct {
		name      string
		o         CurveOptions
		wantSkip  skipCounts
		wantKept  []int
		wantSmoth bool
	}{
		{name: "linear", o: CurveOptions{}, wantSkip: skipCounts{nonFinite: 2}, wantKept: []int{3, 2}},
		{name: "log", o: CurveOptions{LogY: true}, wantSkip: skipCounts{nonFinite: 2, nonPositive: 2}, wantKept: []int{1, 2}},
		{name: "smoothed", o: CurveOptions{Smoothing: 0.9}, wantSkip: skipCounts{nonFinite: 2}, wantKept: []int{3, 2}, wantSmoth: true},
	}
	for _, c := range cases {
		got, skip := prepareCurves(curves, c.o)
		if skip != c.wantSkip {
			t.Errorf("%s: skipped %+v, want %+v", c.name, skip, c.wantSkip)
		}
		for i, want := range c.wantKept {
			if len(got[i].raw) != want {
				t.Errorf("%s: curve %q kept %d points, want %d", c.name, got[i].name, len(got[i].raw), want)
			}
			if (got[i].smooth != nil) != c.wantSmoth {
				t.Errorf("%s: curve %q smoothed %t, want %t", c.name, got[i].name, got[i].smooth != nil, c.wantSmoth)
			}
		}
	}
}

func TestCurvesErrors(t *testing.T) {
	curves := []Curve{{Name: "loss", X: []float64{0, 1}, Y: []float64{1, 0.5}}}
	cases := []struct {
		name          string
		o             CurveOptions
		wantInMessage string
	}{
		{name: "smoothing one", o: CurveOptions{Smoothing: 1, WidthPx: 400, HeightPx: 250}, wantInMessage: "smoothing 1"},
		{name: "negative smoothing", o: CurveOptions{Smoothing: -0.1, WidthPx: 400, HeightPx: 250}, wantInMessage: "smoothing -0.1"},
		{name: "NaN smoothing", o: CurveOptions{Smoothing: math.NaN(), WidthPx: 400, HeightPx: 250}, wantInMessage: "smoothing NaN"},
		{name: "zero size", o: CurveOptions{}, wantInMessage: "size 0×0"},
	}
	for _, c := range cases {
		_, err := Curves(curves, c.o)
		if err == nil {
			t.Errorf("%s: no error", c.name)
			continue
		}
		if !strings.Contains(err.Error(), c.wantInMessage) {
			t.Errorf("%s: error %q does not name %q", c.name, err, c.wantInMessage)
		}
	}
}

func TestCurvesLengthMismatchPanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("no panic for X and Y of different lengths")
		}
	}()
	Curves([]Curve{{Name: "loss", X: []float64{0, 1}, Y: []float64{1}}}, CurveOptions{WidthPx: 400, HeightPx: 250})
}

func TestCurvesFlatSeries(t *testing.T) {
	flat := Curve{Name: "lr", X: []float64{0, 1, 2}, Y: []float64{1e-4, 1e-4, 1e-4}}
	cases := []struct {
		name string
		o    CurveOptions
	}{
		{name: "linear", o: CurveOptions{WidthPx: 300, HeightPx: 200}},
		{name: "log", o: CurveOptions{LogY: true, WidthPx: 300, HeightPx: 200}},
		{name: "log panels", o: CurveOptions{LogY: true, Separate: true, WidthPx: 300, HeightPx: 200}},
	}
	for _, c := range cases {
		curves := []Curve{flat, flat}
		if _, err := Curves(curves, c.o); err != nil {
			t.Errorf("%s: %v", c.name, err)
		}
	}
}

func TestLogTicks(t *testing.T) {
	cases := []struct {
		name       string
		min, max   float64
		wantLabels []string
	}{
		{name: "three decades", min: 0.02, max: 30, wantLabels: []string{"0.1", "1", "10"}},
		{name: "within a decade", min: 2, max: 8, wantLabels: []string{"2", "4", "6", "8"}},
		{name: "many decades", min: 1e-9, max: 1e3, wantLabels: []string{"1e-09", "1e-06", "0.001", "1", "1000"}},
	}
	for _, c := range cases {
		var labels []string
		for _, tk := range logTicks(c.min, c.max) {
			if tk.Label != "" && tk.Value >= c.min && tk.Value <= c.max {
				labels = append(labels, tk.Label)
			}
		}
		if strings.Join(labels, " ") != strings.Join(c.wantLabels, " ") {
			t.Errorf("%s: labels %q, want %q", c.name, labels, c.wantLabels)
		}
	}
}

// trainingCurves returns n noisy points of curves shaped like EBM training
// metrics: a contrastive loss around zero, the energies of data and samples,
// and a gradient norm.
func trainingCurves(rng *rand.Rand, n int) []Curve {
	names := []string{"loss", "E(data)", "E(samples)", "grad norm", "lr"}
	curves := make([]Curve, len(names))
	for k, name := range names {
		curves[k] = Curve{Name: name, X: make([]float64, n), Y: make([]float64, n)}
	}
	for i := range n {
		it := float64(10 * i)
		decay := math.Exp(-it / 4000)
		ys := []float64{
			-0.8*decay + 0.15*rng.NormFloat64(),
			-2 - 1.5*(1-decay) + 0.2*rng.NormFloat64(),
			-1.2 - 1.6*(1-decay) + 0.3*rng.NormFloat64(),
			3*decay + 0.4 + 0.3*math.Abs(rng.NormFloat64()),
			1e-4,
		}
		for k := range curves {
			curves[k].X[i] = it
			curves[k].Y[i] = ys[k]
		}
	}
	return curves
}

func TestCurvesGolden(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	curves := trainingCurves(rng, 500)[:3]
	curves[0].Y[100] = math.NaN()
	img, err := Curves(curves, CurveOptions{Title: "contrastive divergence", Smoothing: 0.9, YLabel: "energy E(x)", WidthPx: 400, HeightPx: 250})
	if err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "curves", img)
}

func TestCurvesLogGolden(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	curves := trainingCurves(rng, 500)
	loss := curves[0]
	img, err := Curves([]Curve{loss, curves[3]}, CurveOptions{Title: "training", Smoothing: 0.95, LogY: true, WidthPx: 400, HeightPx: 250})
	if err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "curves_log", img)
}

func TestCurvesSeparateGolden(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 14))
	curves := trainingCurves(rng, 500)
	picked := []Curve{curves[0], curves[3], {Name: "acceptance"}}
	img, err := Curves(picked, CurveOptions{Title: "training metrics", Smoothing: 0.9, Separate: true, WidthPx: 400, HeightPx: 400})
	if err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "curves_separate", img)
}

func TestCurvesDenseGolden(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	curves := trainingCurves(rng, 2000)[:4]
	img, err := Curves(curves, CurveOptions{Title: "training", Smoothing: 0.98, WidthPx: 400, HeightPx: 250})
	if err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "curves_dense", img)
}

func TestCurvesEmptyGolden(t *testing.T) {
	img, err := Curves(nil, CurveOptions{Title: "loss", WidthPx: 400, HeightPx: 250})
	if err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "curves_empty", img)
}

func BenchmarkCurves5x2000(b *testing.B) {
	rng := rand.New(rand.NewPCG(9, 10))
	curves := trainingCurves(rng, 2000)
	o := CurveOptions{Title: "training", Smoothing: 0.9, WidthPx: 400, HeightPx: 250}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Curves(curves, o); err != nil {
			b.Fatal(err)
		}
	}
}

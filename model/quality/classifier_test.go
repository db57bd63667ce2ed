package quality

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/ebmlab/ebmlab/model/dataset"
)

var (
	mnistOnce             sync.Once
	mnistTrain, mnistTest *dataset.Dataset
	quickClassifier       *Classifier
	quickAccuracy         float64
	mnistErr              error
)

// quickConfig trains in a fifth of the default time to about 93% test
// accuracy, enough to tell digits from noise.
var quickConfig = trainConfig{hidden: 128, epochs: 3, batch: 64, outliers: 8, learningRate: 5e-3, maxShift: 1}

// quickImages is the number of leading MNIST training images that the
// quick classifier trains on. The tests score images after them, which neither
// the classifier nor its reference statistics have seen.
const quickImages = 8000

// quickMNIST returns the MNIST sets and a classifier trained with
// quickConfig, shared by the tests of this file.
func quickMNIST(t *testing.T) (c *Classifier, train, test *dataset.Dataset) {
	t.Helper()
	mnistOnce.Do(func() {
		mnistTrain, mnistTest, mnistErr = dataset.Load("mnist", 0)
		if mnistErr != nil {
			return
		}
		subset := *mnistTrain
		subset.X = mnistTrain.X[:quickImages*mnistTrain.Dim()]
		subset.Labels = mnistTrain.Labels[:quickImages]
		quickClassifier, quickAccuracy, mnistErr = trainClassifier(context.Background(), &subset, mnistTest, rand.New(rand.NewPCG(1, 1)), quickConfig)
	})
	if mnistErr != nil {
		t.Fatal(mnistErr)
	}
	return quickClassifier, mnistTrain, mnistTest
}

func TestTrainClassifierAccuracy(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("full classifier training takes about 4 s, and 30 s under the race detector")
	}
	train, test, err := dataset.Load("mnist", 0)
	if err != nil {
		t.Fatal(err)
	}

	c, accuracy, err := TrainClassifier(context.Background(), train, test, rand.New(rand.NewPCG(1, 0)))

	if err != nil {
		t.Fatalf("TrainClassifier: %v", err)
	}
	if accuracy <= 0.95 {
		t.Errorf("test accuracy = %.4f, want above 0.95", accuracy)
	}
	if c.Dim() != 784 {
		t.Errorf("Dim = %d, want 784", c.Dim())
	}
}

func TestQuickClassifierAccuracy(t *testing.T) {
	quickMNIST(t)
	if quickAccuracy < 0.88 {
		t.Errorf("test accuracy = %.4f, want at least 0.88", quickAccuracy)
	}
}

// TestScore checks each score on real, noisy and collapsed batches of 128
// images. The bounds hold with wide margins for the quick classifier.
func TestScore(t *testing.T) {
	c, train, test := quickMNIST(t)
	const n = 128
	dim := test.Dim()
	rng := rand.New(rand.NewPCG(2, 3))

	real := train.X[quickImages*dim : (quickImages+n)*dim]
	uniform := make([]float32, n*dim)
	for i := range uniform {
		uniform[i] = float32(2*rng.Float64() - 1)
	}
	blank := make([]float32, n*dim)
	for i := range blank {
		blank[i] = -1
	}
	var threes []float32
	for i := 0; len(threes) < n*dim; i++ {
		if test.Labels[i] == 3 {
			threes = append(threes, test.Sample(i)...)
		}
	}

	realScore := c.Score(real, n)
	tests := []struct {
		name    string
		samples []float32
		check   func(s ImageScore) bool
		want    string
	}{
		{"real recognisable", real, func(s ImageScore) bool { return s.Recognisable >= 0.6 }, "Recognisable ≥ 0.6"},
		{"real frechet", real, func(s ImageScore) bool { return s.Frechet < 40 }, "Frechet < 40"},
		{"real entropy", real, func(s ImageScore) bool { return s.ClassEntropy > 2.1 }, "ClassEntropy > 2.1 of at most log 10 = 2.30"},
		{"uniform noise recognisable", uniform, func(s ImageScore) bool { return s.Recognisable < 0.1 }, "Recognisable < 0.1"},
		{"uniform noise frechet", uniform, func(s ImageScore) bool { return s.Frechet > 5*realScore.Frechet }, "Frechet above 5 times that of real images"},
		{"blank recognisable", blank, func(s ImageScore) bool { return s.Recognisable < 0.1 }, "Recognisable < 0.1"},
		{"blank frechet", blank, func(s ImageScore) bool { return s.Frechet > 5*realScore.Frechet }, "Frechet above 5 times that of real images"},
		{"blank entropy", blank, func(s ImageScore) bool { return s.ClassEntropy == 0 }, "ClassEntropy 0 for identical images"},
		{"collapsed entropy", threes, func(s ImageScore) bool { return s.ClassEntropy < 0.7 }, "ClassEntropy < 0.7"},
		{"collapsed frechet", threes, func(s ImageScore) bool { return s.Frechet > 2*realScore.Frechet }, "Frechet above twice that of real images"},
	}
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			if s := c.Score(test.samples, n); !test.check(s) {
				t.Errorf("Score = %+v, want %s (real images: %+v)", s, test.want, realScore)
			}
		})
	}
}

func TestScoreDeterministic(t *testing.T) {
	c, _, test := quickMNIST(t)
	samples := test.X[:64*test.Dim()]

	a, b := c.Score(samples, 64), c.Score(samples, 64)

	if a != b {
		t.Errorf("two scores of the same batch differ: %+v and %+v", a, b)
	}
}

func TestScorePanics(t *testing.T) {
	c, _, test := quickMNIST(t)
	tests := []struct {
		name    string
		samples []float32
		n       int
	}{
		{"one sample", test.X[:784], 1},
		{"length mismatch", test.X[:3*784], 2},
	}
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Error("Score did not panic")
				}
			}()
			c.Score(test.samples, test.n)
		})
	}
}

// tinyImages returns a labelled set of n 2×2 images in which the class
// is the position of the brightest pixel.
func tinyImages(n int, rng *rand.Rand) *dataset.Dataset {
	d := &dataset.Dataset{Name: "tiny", C: 1, H: 2, W: 2, X: make([]float32, 4*n), Labels: make([]int, n), Classes: []string{"a", "b", "c", "d"}, Lo: -1, Hi: 1}
	for i := 0; i < n; i++ {
		label := rng.IntN(4)
		d.Labels[i] = label
		for j := 0; j < 4; j++ {
			d.X[4*i+j] = float32(-1 + 0.4*rng.Float64())
		}
		d.X[4*i+label] = 1
	}
	return d
}

func TestTrainClassifierSeeded(t *testing.T) {
	train := tinyImages(500, rand.New(rand.NewPCG(1, 1)))
	test := tinyImages(100, rand.New(rand.NewPCG(2, 2)))
	cfg := trainConfig{hidden: 8, epochs: 5, batch: 32, learningRate: 1e-2}

	a, accA, errA := trainClassifier(context.Background(), train, test, rand.New(rand.NewPCG(5, 5)), cfg)
	b, accB, errB := trainClassifier(context.Background(), train, test, rand.New(rand.NewPCG(5, 5)), cfg)

	if errA != nil || errB != nil {
		t.Fatalf("trainClassifier: %v, %v", errA, errB)
	}
	if accA != accB || !slices.Equal(a.w1.RawMatrix().Data, b.w1.RawMatrix().Data) {
		t.Error("two runs with the same seed differ")
	}
	if accA < 0.99 {
		t.Errorf("accuracy on the brightest-pixel task = %.3f, want at least 0.99", accA)
	}
}

func TestTrainClassifierCancelled(t *testing.T) {
	train := tinyImages(500, rand.New(rand.NewPCG(1, 1)))
	test := tinyImages(100, rand.New(rand.NewPCG(2, 2)))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()

	c, accuracy, err := TrainClassifier(ctx, train, test, rand.New(rand.NewPCG(5, 5)))

	if !errors.Is(err, context.Canceled) {
		t.Errorf("error = %v, want context.Canceled", err)
	}
	if c == nil {
		t.Fatal("classifier = nil, want the partly trained classifier")
	}
	if accuracy < 0 || accuracy > 1 {
		t.Errorf("accuracy = %v, want a fraction", accuracy)
	}
	if s := c.Score(test.X[:8], 2); math.IsNaN(s.Frechet) {
		t.Errorf("Score of the untrained classifier = %+v, want finite values", s)
	}
}

func TestTrainClassifierErrors(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	labelled := tinyImages(20, rng)
	unlabelled := tinyImages(20, rng)
	unlabelled.Labels, unlabelled.Classes = nil, nil
	unlabelled.Name = "8gaussians"
	wide := tinyImages(20, rng)
	wide.W, wide.X = 4, make([]float32, 8*20)
	single := tinyImages(1, rng)
	negative := tinyImages(20, rng)
	negative.Labels[3] = -1

	tests := []struct {
		name        string
		train, test *dataset.Dataset
		want        string
	}{
		{"unlabelled training set", unlabelled, labelled, `training set "8gaussians" has no labels`},
		{"unlabelled test set", labelled, unlabelled, `test set "8gaussians" has no labels`},
		{"different sizes", labelled, wide, "has 8 values per sample, training set"},
		{"one test sample", labelled, single, "has 1 samples, want at least 2"},
		{"negative label", negative, labelled, "negative label -1"},
	}
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			_, _, err := TrainClassifier(context.Background(), test.train, test.test, rand.New(rand.NewPCG(1, 1)))
			if err == nil || !strings.Contains(err.Error(), test.want) {
				t.Errorf("error = %v, want it to contain %q", err, test.want)
			}
		})
	}
}

func TestInputTranslation(t *testing.T) {
	c := &Classifier{dim: 6, channels: 1, rows: 2, cols: 3, lo: -1, scale: 0.5}
	sample := []float32{1, 0, -1, 1, 1, 1}
	tests := []struct {
		dx, dy int
		want   []float64
	}{
		{0, 0, []float64{1, 0.5, 0, 1, 1, 1}},
		{1, 0, []float64{0, 1, 0.5, 0, 1, 1}},
		{-1, 0, []float64{0.5, 0, 0, 1, 1, 0}},
		{0, 1, []float64{0, 0, 0, 1, 0.5, 0}},
		{-1, -1, []float64{1, 1, 0, 0, 0, 0}},
	}
	for _, test := range tests {
		dst := make([]float64, 6)
		c.input(dst, sample, test.dx, test.dy)
		if !slices.Equal(dst, test.want) {
			t.Errorf("input shifted by (%d, %d) = %v, want %v", test.dx, test.dy, dst, test.want)
		}
	}
}

func BenchmarkScore128(b *testing.B) {
	train, test, err := dataset.Load("mnist", 0)
	if err != nil {
		b.Fatal(err)
	}
	cfg := trainConfig{hidden: 128, epochs: 1, batch: 64, learningRate: 5e-3}
	c, _, err := trainClassifier(context.Background(), train, test, rand.New(rand.NewPCG(1, 1)), cfg)
	if err != nil {
		b.Fatal(err)
	}
	samples := test.X[:128*test.Dim()]
	b.ReportAllocs()
	for b.Loop() {
		c.Score(samples, 128)
	}
}

func BenchmarkTrainClassifierMNIST(b *testing.B) {
	train, test, err := dataset.Load("mnist", 0)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := TrainClassifier(context.Background(), train, test, rand.New(rand.NewPCG(1, 0))); err != nil {
			b.Fatal(err)
		}
	}
}

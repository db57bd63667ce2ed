package train

import (
	"context"
	"math/rand/v2"

	"github.com/ebmlab/ebmlab/model/dataset"
	"github.com/ebmlab/ebmlab/model/quality"
	"github.com/ebmlab/ebmlab/sampler"
)

// Names of the sample-quality figures.
const (
	QualityMMD          = "MMD²"         // 2-D data: squared MMD between buffer and held-out data
	QualityRecognisable = "recognisable" // labelled images: fraction of buffer samples classified with p ≥ 0.9
	QualityFrechet      = "Fréchet"      // labelled images: Fréchet distance on classifier features
)

// QualityNames returns the names of the figures an Evaluator of d
// produces, the headline figure first.
func QualityNames(d *dataset.Dataset) []string {
	switch {
	case d.IsPoints():
		return []string{QualityMMD}
	case d.Labels != nil:
		return []string{QualityRecognisable, QualityFrechet}
	}
	return nil
}

// Evaluator measures sample quality on the first entries of a replay
// buffer against held-out data.
type Evaluator struct {
	test       *dataset.Dataset
	classifier *quality.Classifier
	n          int       // buffer entries evaluated
	x          []float32 // workspace: n buffer entries
	ref        []float32 // held-out points for MMD
	Accuracy   float64   // classifier accuracy on the held-out set
}

// NewEvaluator prepares quality figures for train and held-out test data.
// For labelled images it trains a small classifier, which takes seconds;
// for unlabelled images it returns nil and no error, since no figure
// applies.
func NewEvaluator(ctx context.Context, train, test *dataset.Dataset, seed uint64) (*Evaluator, error) {
	if test == nil {
		test = train
	}
	switch {
	case train.IsPoints():
		n := min(1024, test.Len())
		ev := &Evaluator{test: test, n: n, x: make([]float32, n*2), ref: make([]float32, n*2)}
		copy(ev.ref, test.X[:n*2])
		return ev, nil
	case train.Labels != nil && test.Labels != nil:
		c, acc, err := quality.TrainClassifier(ctx, train, test, rand.New(rand.NewPCG(seed, 3)))
		if err != nil {
			return nil, err
		}
		n := 256
		return &Evaluator{test: test, classifier: c, n: n, x: make([]float32, n*train.Dim()), Accuracy: acc}, nil
	}
	return nil, nil
}

// Evaluate returns each figure of QualityNames for the buffer's first
// entries.
func (ev *Evaluator) Evaluate(buf *sampler.Buffer) map[string]float64 {
	n := min(ev.n, buf.Cap())
	dim := buf.Dim()
	for i := range n {
		copy(ev.x[i*dim:(i+1)*dim], buf.Entry(i))
	}
	if ev.classifier == nil {
		return map[string]float64{QualityMMD: quality.MMD(ev.x[:n*dim], ev.ref, dim)}
	}
	s := ev.classifier.Score(ev.x[:n*dim], n)
	return map[string]float64{QualityRecognisable: s.Recognisable, QualityFrechet: s.Frechet}
}

package quality

import (
	"context"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/ebmlab/ebmlab/model/dataset"
)

func preFeatures(c *Classifier, samples []float32, n int) *mat.Dense {
	x := c.toDense(samples, n)
	h := mat.NewDense(n, c.hidden, nil)
	h.Mul(x, c.w1)
	for i := 0; i < n; i++ {
		row := h.RawRowView(i)
		for j := range row {
			row[j] += c.b1[j]
		}
	}
	return h
}

func postFeatures(c *Classifier, samples []float32, n int) *mat.Dense {
	x := c.toDense(samples, n)
	h := mat.NewDense(n, c.hidden, nil)
	p := mat.NewDense(n, c.classes, nil)
	c.forward(h, p, x)
	return h
}

func fd(f func(*Classifier, []float32, int) *mat.Dense, c *Classifier, ref []float32, s []float32, n int) float64 {
	rm, rc := featureStats(f(c, ref, 2000))
	m, cv := featureStats(f(c, s, n))
	return FrechetDistance(m, cv, rm, rc)
}

func TestZZExp(t *testing.T) {
	train, test, _ := dataset.Load("mnist", 0)
	const n = 128
	rng := rand.New(rand.NewPCG(2, 3))
	kinds := map[string][]float32{}
	kinds["real"] = train.X[:n*784]
	u := make([]float32, n*784)
	for i := range u {
		u[i] = float32(2*rng.Float64() - 1)
	}
	kinds["uniform"] = u
	g := make([]float32, n*784)
	for i := range g {
		g[i] = float32(max(-1, min(1, -0.5+0.5*rng.NormFloat64())))
	}
	kinds["gauss"] = g
	for _, alpha := range []float32{0.25, 0.5, 0.75} {
		m := make([]float32, n*784)
		for i := range m {
			m[i] = alpha*train.X[i] + (1-alpha)*u[i]
		}
		kinds["mix"+string('0'+byte(alpha*4))] = m
	}
	// blurred digits: 3x3 box blur twice
	b := make([]float32, n*784)
	copy(b, train.X[:n*784])
	for rep := 0; rep < 2; rep++ {
		out := make([]float32, len(b))
		for s := 0; s < n; s++ {
			for y := 0; y < 28; y++ {
				for x := 0; x < 28; x++ {
					var sum float32
					cnt := 0
					for dy := -1; dy <= 1; dy++ {
						for dx := -1; dx <= 1; dx++ {
							yy, xx := y+dy, x+dx
							if yy >= 0 && yy < 28 && xx >= 0 && xx < 28 {
								sum += b[s*784+yy*28+xx]
								cnt++
							}
						}
					}
					out[s*784+y*28+x] = sum / float32(cnt)
				}
			}
		}
		b = out
	}
	kinds["blurred"] = b
	order := []string{"real", "mix3", "mix2", "mix1", "blurred", "gauss", "uniform"}
	for _, cfg := range []trainConfig{defaultConfig, {128, 12, 64, 0, 5e-3, 2}, {128, 12, 64, 4, 5e-3, 2}} {
		c, acc, _ := trainClassifier(context.Background(), train, test, rand.New(rand.NewPCG(1, 1)), cfg)
		t.Logf("cfg %+v acc %.4f", cfg, acc)
		for _, k := range order {
			s := c.Score(kinds[k], n)
			t.Logf("  %-8s recog %.3f ent %.2f post %.1f pre %.1f", k, s.Recognisable, s.ClassEntropy, fd(postFeatures, c, test.X, kinds[k], n), fd(preFeatures, c, test.X, kinds[k], n))
		}
	}
}

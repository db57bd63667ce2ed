package train

import (
	"maps"
	"time"

	"github.com/ebmlab/ebmlab/model/backend"
)

// histogramSize is the number of held-out and noise inputs whose
// energies the histogram shows.
const histogramSize = 256

// gridSamples is the number of batch samples a snapshot carries.
const gridSamples = 64

// landscapeSize is the landscape grid's points per axis.
const landscapeSize = 80

// publish sends a snapshot unless one was sent less than SnapshotEvery
// ago; force sends one regardless.
func (e *Engine) publish(force bool) {
	if e.cfg.OnSnapshot == nil {
		return
	}
	now := time.Now()
	if !force && now.Sub(e.lastSnap) < e.cfg.SnapshotEvery {
		return
	}
	e.lastSnap = now
	if e.evalReady != nil {
		select {
		case ev := <-e.evalReady:
			e.evaluator = ev
			e.evalReady = nil
		default:
		}
	}
	if now.Sub(e.lastHist) >= e.cfg.HistogramEvery {
		e.lastHist = now
		e.refreshHistogram()
	}
	if e.evaluator != nil && e.trainer.Iteration() > 0 && now.Sub(e.lastQual) >= e.cfg.QualityEvery {
		e.lastQual = now
		e.refreshQuality()
	}
	e.cfg.OnSnapshot(e.snapshot(now))
}

// refreshHistogram recomputes the energies of held-out data and noise,
// the landscape, and the evaluation copy of the weights.
func (e *Engine) refreshHistogram() {
	t := e.trainer
	net := t.Network()
	test := e.cfg.Test
	dim := test.Dim()
	n := min(histogramSize, test.Len())

	x := make([]float32, n*dim)
	for i := range n {
		copy(x[i*dim:(i+1)*dim], test.Sample(i))
	}
	energy := make([]float32, n)
	net.Energy(energy, x)
	e.hist.data = toFloat64(energy)

	for i := range x {
		x[i] = float32(float64(test.Lo) + e.rng.Float64()*float64(test.Hi-test.Lo))
	}
	net.Energy(energy, x)
	e.hist.noise = toFloat64(energy)

	buf := t.Buffer()
	ages := make([]int, buf.Cap())
	for i := range ages {
		ages[i] = buf.Age(i)
	}
	e.hist.bufferAges = ages

	if test.IsPoints() {
		e.hist.landscape = e.landscape(float64(test.Lo), float64(test.Hi))
		pts := min(1024, test.Len())
		e.hist.dataPoints = append([]float32(nil), test.X[:pts*2]...)
	}

	e.mu.Lock()
	e.eval.CopyParamsFrom(net)
	e.mu.Unlock()
}

// landscape evaluates the energy on a square grid over [lo, hi]².
func (e *Engine) landscape(lo, hi float64) *Landscape {
	n := landscapeSize
	x := make([]float32, 2*n*n)
	for j := range n {
		y := lo + (hi-lo)*(float64(j)+0.5)/float64(n)
		for i := range n {
			k := 2 * (j*n + i)
			x[k] = float32(lo + (hi-lo)*(float64(i)+0.5)/float64(n))
			x[k+1] = float32(y)
		}
	}
	energy := make([]float32, n*n)
	e.trainer.Network().Energy(energy, x)
	return &Landscape{XMin: lo, XMax: hi, YMin: lo, YMax: hi, NX: n, NY: n, E: toFloat64(energy)}
}

func (e *Engine) refreshQuality() {
	t := e.trainer
	for name, v := range e.evaluator.Evaluate(t.Buffer()) {
		e.quality[name] = append(e.quality[name], QualityPoint{
			Iteration: t.Iteration(),
			Seconds:   e.elapsed.Seconds(),
			Value:     v,
		})
	}
}

// snapshot copies everything a view needs.
func (e *Engine) snapshot(now time.Time) *Snapshot {
	t := e.trainer
	d := t.Data()
	s := t.Settings()
	dim := d.Dim()
	snap := &Snapshot{
		Taken:         now,
		Running:       e.running,
		Iteration:     t.Iteration(),
		Elapsed:       e.elapsed,
		ItersPerSec:   e.rate,
		Temperature:   s.Sampler.Temperature(),
		Backend:       backend.Name(),
		Preset:        t.Preset(),
		DataName:      d.Name,
		C:             d.C,
		H:             d.H,
		W:             d.W,
		Lo:            d.Lo,
		Hi:            d.Hi,
		Settings:      s,
		History:       t.History(),
		Quality:       maps.Clone(e.quality),
		BufferAges:    e.hist.bufferAges,
		Landscape:     e.hist.landscape,
		DataPoints:    e.hist.dataPoints,
		DataEnergies:  e.hist.data,
		NoiseEnergies: e.hist.noise,
		Events:        append([]GuardEvent(nil), e.events...),
		Message:       e.message,
		Chain:         append([]ChainFrame(nil), e.film...),
	}
	snap.StepsPerSec = e.rate * float64(s.Sampler.Steps)
	snap.SampleStepsPerSec = snap.StepsPerSec * float64(s.Batch)

	_, sampleE, samples, slots := t.LastEnergies()
	if samples != nil {
		snap.SampleEnergies = toFloat64(sampleE)
		n := min(gridSamples, len(sampleE))
		snap.NSamples = n
		snap.Samples = append([]float32(nil), samples[:n*dim]...)
		snap.Ages = make([]int, n)
		for i := range n {
			snap.Ages[i] = t.Buffer().Age(slots[i])
		}
		if d.IsPoints() {
			snap.SamplePoints = append([]float32(nil), samples...)
		}
	} else {
		buf := t.Buffer()
		n := min(gridSamples, buf.Cap())
		snap.NSamples = n
		snap.Samples = make([]float32, 0, n*dim)
		snap.Ages = make([]int, n)
		for i := range n {
			snap.Samples = append(snap.Samples, buf.Entry(i)...)
			snap.Ages[i] = buf.Age(i)
		}
		if d.IsPoints() {
			snap.SamplePoints = append([]float32(nil), snap.Samples...)
		}
	}
	return snap
}

func toFloat64(x []float32) []float64 {
	out := make([]float64, len(x))
	for i, v := range x {
		out[i] = float64(v)
	}
	return out
}

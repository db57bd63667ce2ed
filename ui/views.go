package ui

import (
	"fmt"
	"image"
	"math"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/ebmlab/ebmlab/model/train"
	"github.com/ebmlab/ebmlab/ui/render"
)

// view indexes the explorer's pictures.
type view int

const (
	samplesView   view = iota // sample grid, or energy landscape for 2-D data
	chainView                 // filmstrip of visible chain 0
	histogramView             // energy histogram
	curvesView                // training curves
	numViews
)

// slowViewInterval is the minimum time between two draws of a view that
// gonum/plot draws (curves, landscapes), which take tens of milliseconds
// each. Two draws per second keep them live while leaving the CPU to
// training, since the two virtual cores of a small machine may share one
// physical core. Sample grids and filmstrips are cheap and follow every
// snapshot.
const slowViewInterval = 500 * time.Millisecond

// Histogram and grid geometry.
const (
	histogramBins = 40
	gridColumns   = 8
)

// Pixel sizes used before a view has been laid out, and the range drawn.
// The minimum is the smallest size ui/render accepts, and a view shown
// smaller is scaled down, keeping its aspect ratio.
var (
	defaultViewSize = image.Pt(480, 360)
	minViewWidth    = 96
	minViewHeight   = 64
	maxViewSide     = 2400
)

// viewOptions are the choices that shape the pictures.
type viewOptions struct {
	curves         []string // selected curve names
	smoothing      float64  // EMA weight, [0, 1)
	logY           bool
	separate       bool
	markers        []render.Marker
	markersVersion int
	size           [numViews]image.Point // drawing size in pixels
}

func defaultViewOptions() viewOptions {
	return viewOptions{
		curves:    []string{curveEData, curveESample},
		smoothing: 0.6,
	}
}

// clone returns a copy that shares no slice with o.
func (o viewOptions) clone() viewOptions {
	o.curves = slices.Clone(o.curves)
	o.markers = slices.Clone(o.markers)
	return o
}

// pixels returns the drawing size of v, clamped to what render accepts.
func (o viewOptions) pixels(v view) (w, h int) {
	p := o.size[v]
	if p.X <= 0 || p.Y <= 0 {
		p = defaultViewSize
	}
	return min(max(p.X, minViewWidth), maxViewSide), min(max(p.Y, minViewHeight), maxViewSide)
}

// frame is the output of one render pass for the UI goroutine. A nil
// picture leaves the one on screen.
type frame struct {
	snap     *train.Snapshot
	pictures [numViews]image.Image
	smooth   [numViews]bool   // scale the picture smoothly (plots) rather than by pixel replication
	captions [numViews]string // lines under the pictures
	status   string
	// retry is when to render again because a slow view was skipped. It
	// is 0 when no view is waiting.
	retry time.Duration
}

// renderer draws frames and remembers what it drew last, so that
// unchanged pictures are not drawn again. Its mutex lets tests render on
// their own goroutine while the render goroutine is idle.
type renderer struct {
	mu    sync.Mutex
	keys  [numViews]any
	drawn [numViews]time.Time
}

// render draws the pictures of s whose inputs changed. Slow views drawn
// less than slowViewInterval before now are skipped unless force is set.
func (r *renderer) render(s *train.Snapshot, o viewOptions, now time.Time, force bool) frame {
	r.mu.Lock()
	defer r.mu.Unlock()

	f := frame{snap: s, status: statusText(s)}
	points := isPoints(s)
	draws := [numViews]struct {
		key  any
		slow bool
		draw func() (image.Image, string)
	}{
		samplesView:   {samplesKey(s, o), points, func() (image.Image, string) { return drawSamples(s, o) }},
		chainView:     {chainKey(s, o), points, func() (image.Image, string) { return drawChain(s, o) }},
		histogramView: {histogramKey(s, o), false, func() (image.Image, string) { return drawHistogram(s, o) }},
		curvesView:    {curvesKey(s, o), true, func() (image.Image, string) { return drawCurves(s, o) }},
	}
	for i, d := range draws {
		v := view(i)
		f.smooth[v] = v == histogramView || v == curvesView || points
		if d.key == r.keys[v] {
			continue
		}
		if d.slow && !force {
			if wait := slowViewInterval - now.Sub(r.drawn[v]); wait > 0 {
				if f.retry == 0 || wait < f.retry {
					f.retry = wait
				}
				continue
			}
		}
		f.pictures[v], f.captions[v] = d.draw()
		r.keys[v] = d.key
		r.drawn[v] = now
	}
	return f
}

func isPoints(s *train.Snapshot) bool {
	return s.C == 2 && s.H == 1 && s.W == 1
}

// first returns the address of a slice's first element, which identifies
// a slice the engine shares between snapshots, or nil for an empty slice.
func first[T any](s []T) *T {
	if len(s) == 0 {
		return nil
	}
	return &s[0]
}

type samplesKeyT struct {
	samples   *float32
	landscape *train.Landscape
	points    *float32
	size      image.Point
}

func samplesKey(s *train.Snapshot, o viewOptions) any {
	return samplesKeyT{first(s.Samples), s.Landscape, first(s.SamplePoints), o.size[samplesView]}
}

// drawSamples draws the sample grid of the last batch, or for 2-D data
// the energy landscape with data and samples.
func drawSamples(s *train.Snapshot, o viewOptions) (image.Image, string) {
	w, h := o.pixels(samplesView)
	if isPoints(s) {
		img, err := render.Landscape(landscapeGrid(s), s.DataPoints, s.SamplePoints, w, h)
		if err != nil {
			return nil, err.Error()
		}
		return img, fmt.Sprintf("energy E(x), dark is low · white: held-out data · orange: %d samples of the last batch", len(s.SamplePoints)/2)
	}

	n := s.NSamples
	if n == 0 || s.Hi <= s.Lo || (s.C != 1 && s.C != 3) {
		return nil, "no samples yet"
	}
	rows := (n + gridColumns - 1) / gridColumns
	zoom := max(1, min(w/(gridColumns*(s.W+1)), h/(rows*(s.H+1))))
	img := render.SampleGrid(s.Samples, n, s.C, s.H, s.W, s.Lo, s.Hi, gridColumns, zoom)
	if s.Iteration == 0 {
		return img, fmt.Sprintf("%d replay-buffer entries before training: uniform noise", n)
	}
	mean, oldest := ageStats(s.Ages)
	return img, fmt.Sprintf("%d samples of the last batch · buffer slot age: mean %.1f, max %d sampling runs", n, mean, oldest)
}

// landscapeGrid converts the snapshot's landscape, or an empty grid over
// the data range when there is none yet.
func landscapeGrid(s *train.Snapshot) render.Grid {
	if l := s.Landscape; l != nil {
		return render.Grid{XMin: l.XMin, XMax: l.XMax, YMin: l.YMin, YMax: l.YMax, NX: l.NX, NY: l.NY, E: l.E}
	}
	lo, hi := float64(s.Lo), float64(s.Hi)
	if !(lo < hi) {
		lo, hi = -1, 1
	}
	return render.Grid{XMin: lo, XMax: hi, YMin: lo, YMax: hi}
}

func ageStats(ages []int) (mean float64, oldest int) {
	if len(ages) == 0 {
		return 0, 0
	}
	sum := 0
	for _, a := range ages {
		sum += a
		oldest = max(oldest, a)
	}
	return float64(sum) / float64(len(ages)), oldest
}

type chainKeyT struct {
	frames int
	last   *float32
	size   image.Point
}

func chainKey(s *train.Snapshot, o viewOptions) any {
	k := chainKeyT{frames: len(s.Chain), size: o.size[chainView]}
	if len(s.Chain) > 0 {
		k.last = first(s.Chain[len(s.Chain)-1].State)
	}
	return k
}

// drawChain draws the filmstrip of visible chain 0, or for 2-D data its
// energy against the Langevin step.
func drawChain(s *train.Snapshot, o viewOptions) (image.Image, string) {
	if len(s.Chain) == 0 {
		return nil, "no chain recorded yet"
	}
	w, h := o.pixels(chainView)
	firstFrame, lastFrame := s.Chain[0], s.Chain[len(s.Chain)-1]
	title := fmt.Sprintf("chain 0 from noise: %d frames up to step %d · E %.4g → %.4g",
		len(s.Chain), lastFrame.Step, firstFrame.Energy, lastFrame.Energy)

	if isPoints(s) {
		steps := make([]int, len(s.Chain))
		energies := make([]float64, len(s.Chain))
		for i, c := range s.Chain {
			steps[i], energies[i] = c.Step, c.Energy
		}
		img, err := drawChainEnergy(steps, energies, w, h)
		if err != nil {
			return nil, err.Error()
		}
		return img, title + " · x axis: Langevin step"
	}

	dim := s.C * s.H * s.W
	frames := make([][]float32, 0, len(s.Chain))
	steps := make([]int, 0, len(s.Chain))
	for _, c := range s.Chain {
		if len(c.State) != dim {
			continue
		}
		frames = append(frames, c.State)
		steps = append(steps, c.Step)
	}

	if s.Hi <= s.Lo || (s.C != 1 && s.C != 3) || len(frames) == 0 {
		return nil, title
	}
	// Frames are laid out left to right with a few pixels between them.
	zoom := max(1, min(w/(len(frames)*(s.W+2)), h*4/(5*s.H)))
	return render.Filmstrip(frames, steps, s.C, s.H, s.W, s.Lo, s.Hi, zoom), title
}

type histogramKeyT struct {
	data, samples, noise *float64
	markers              int
	size                 image.Point
}

func histogramKey(s *train.Snapshot, o viewOptions) any {
	return histogramKeyT{first(s.DataEnergies), first(s.SampleEnergies), first(s.NoiseEnergies), o.markersVersion, o.size[histogramView]}
}

// drawHistogram draws the energies of held-out data, the last samples and
// uniform noise on shared bins, with the markers of o.
func drawHistogram(s *train.Snapshot, o viewOptions) (image.Image, string) {
	w, h := o.pixels(histogramView)
	sets := []render.Series{
		{Name: "held-out data", Values: s.DataEnergies},
		{Name: "samples", Values: s.SampleEnergies},
		{Name: "uniform noise", Values: s.NoiseEnergies},
	}
	img, err := render.Histogram(sets, o.markers, histogramBins, w, h)
	if err != nil {
		return nil, err.Error()
	}
	return img, fmt.Sprintf("energy E(x) of %d held-out, %d sample and %d noise inputs · low energy means likely under the model",
		len(s.DataEnergies), len(s.SampleEnergies), len(s.NoiseEnergies))
}

// Names of the curves drawn from Snapshot.History.
const (
	curveLoss      = "loss"
	curveEData     = "mean E(data)"
	curveESample   = "mean E(samples)"
	curveGap       = "gap E(data) − E(samples)"
	curveParamGrad = "parameter gradient norm"
	curveInputGrad = "input gradient norm"
	curveDiversity = "sample diversity"
)

// historyCurves lists the curves taken from Snapshot.History, in menu
// order.
var historyCurves = []struct {
	name  string
	value func(*train.Metrics) float64
}{
	{curveLoss, func(m *train.Metrics) float64 { return m.Loss }},
	{curveEData, func(m *train.Metrics) float64 { return m.EData }},
	{curveESample, func(m *train.Metrics) float64 { return m.ESample }},
	{curveGap, func(m *train.Metrics) float64 { return m.Gap }},
	{curveParamGrad, func(m *train.Metrics) float64 { return m.ParamGradNorm }},
	{curveInputGrad, func(m *train.Metrics) float64 { return m.InputGradNorm }},
	{curveDiversity, func(m *train.Metrics) float64 { return m.Diversity }},
}

// qualityOrder lists the quality figures in menu order. Other names in a
// snapshot follow in sorted order.
var qualityOrder = []string{train.QualityRecognisable, train.QualityFrechet, train.QualityMMD}

// curveMenu returns the names the curve selector offers for s.
func curveMenu(s *train.Snapshot) []string {
	names := make([]string, 0, len(historyCurves)+len(s.Quality))
	for _, c := range historyCurves {
		names = append(names, c.name)
	}
	for _, q := range qualityOrder {
		if _, ok := s.Quality[q]; ok {
			names = append(names, q)
		}
	}
	var extra []string
	for q := range s.Quality {
		if !slices.Contains(qualityOrder, q) {
			extra = append(extra, q)
		}
	}
	slices.Sort(extra)
	return append(names, extra...)
}

type curvesKeyT struct {
	iterations, quality int
	options             string
	size                image.Point
}

func curvesKey(s *train.Snapshot, o viewOptions) any {
	q := 0
	for _, points := range s.Quality {
		q += len(points)
	}
	options := fmt.Sprint(o.curves, o.smoothing, o.logY, o.separate)
	return curvesKeyT{len(s.History), q, options, o.size[curvesView]}
}

// maxCurvePoints bounds the points per curve. Longer histories are
// averaged over consecutive blocks of iterations.
const maxCurvePoints = 2000

// drawCurves draws the curves selected in o.
func drawCurves(s *train.Snapshot, o viewOptions) (image.Image, string) {
	w, h := o.pixels(curvesView)
	var curves []render.Curve
	for _, name := range o.curves {
		if c, ok := curveOf(s, name); ok {
			curves = append(curves, c)
		}
	}
	img, err := render.Curves(curves, render.CurveOptions{
		Smoothing: o.smoothing,
		LogY:      o.logY,
		Separate:  o.separate,
		WidthPx:   w,
		HeightPx:  h,
	})
	if err != nil {
		return nil, err.Error()
	}
	return img, fmt.Sprintf("%d accepted iterations · x axis: iteration", len(s.History))
}

// curveOf returns the named curve of s against iteration.
func curveOf(s *train.Snapshot, name string) (render.Curve, bool) {
	for _, c := range historyCurves {
		if c.name != name {
			continue
		}
		x := make([]float64, len(s.History))
		y := make([]float64, len(s.History))
		for i := range s.History {
			m := &s.History[i]
			x[i] = float64(m.Iteration)
			y[i] = c.value(m)
		}
		x, y = blockMeans(x, y, maxCurvePoints)
		return render.Curve{Name: name, X: x, Y: y}, true
	}
	points, ok := s.Quality[name]
	if !ok {
		return render.Curve{}, false
	}
	x := make([]float64, len(points))
	y := make([]float64, len(points))
	for i, p := range points {
		x[i] = float64(p.Iteration)
		y[i] = p.Value
	}
	return render.Curve{Name: name, X: x, Y: y}, true
}

// blockMeans averages x and y over consecutive blocks so that at most
// limit points remain, and returns shorter series unchanged. A block with
// a non-finite value keeps it, so that the plot still counts it.
func blockMeans(x, y []float64, limit int) ([]float64, []float64) {
	n := len(x)
	if n <= limit {
		return x, y
	}
	block := (n + limit - 1) / limit
	outX := x[:0:0]
	outY := y[:0:0]
	for start := 0; start < n; start += block {
		end := min(start+block, n)
		var sx, sy float64
		for i := start; i < end; i++ {
			sx += x[i]
			sy += y[i]
		}
		k := float64(end - start)
		outX = append(outX, sx/k)
		outY = append(outY, sy/k)
	}
	return outX, outY
}

// statusText formats the status bar line of s.
func statusText(s *train.Snapshot) string {
	state := "paused"
	if s.Running {
		state = "training"
	}
	parts := []string{
		fmt.Sprintf("%s · iteration %d", state, s.Iteration),
		fmt.Sprintf("%.3g it/s", s.ItersPerSec),
		fmt.Sprintf("%s Langevin steps/s (%s sample-steps/s)", formatRate(s.StepsPerSec), formatRate(s.SampleStepsPerSec)),
		fmt.Sprintf("temperature σ²/(2λ) = %.3g", s.Temperature),
		"elapsed " + formatElapsed(s.Elapsed),
		"BLAS: " + s.Backend,
	}
	return strings.Join(parts, "   ·   ")
}

// formatRate prints a rate with three significant digits and a k or M
// suffix.
func formatRate(v float64) string {
	switch {
	case math.IsNaN(v) || math.IsInf(v, 0):
		return "–"
	case v >= 1e6:
		return fmt.Sprintf("%.3gM", v/1e6)
	case v >= 1e3:
		return fmt.Sprintf("%.3gk", v/1e3)
	}
	return fmt.Sprintf("%.3g", v)
}

// formatElapsed prints d as h:mm:ss or m:ss.
func formatElapsed(d time.Duration) string {
	sec := int(d.Round(time.Second) / time.Second)
	h, m, s := sec/3600, sec/60%60, sec%60
	if h > 0 {
		return fmt.Sprintf("%d:%02d:%02d", h, m, s)
	}
	return fmt.Sprintf("%d:%02d", m, s)
}

package train

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/ebmlab/ebmlab/model"
	"github.com/ebmlab/ebmlab/model/dataset"
	"github.com/ebmlab/ebmlab/model/optim"
	"github.com/ebmlab/ebmlab/sampler"
)

// Config selects what a Trainer trains.
type Config struct {
	Data     *dataset.Dataset // training set; its shape must match the preset's input
	Preset   string           // network preset, see model.PresetNames
	Seed     uint64           // seeds weight initialisation and every random draw
	Settings Settings
}

// GuardEvent describes an iteration that the divergence guard rejected.
type GuardEvent struct {
	Iteration  int      // the iteration that was attempted (accepted count + 1)
	Cause      string   // the value that was not finite or out of bounds, and where
	RolledBack string   // the state that was restored
	Settings   Settings // settings in force when it happened
	Suggestion string   // a change of settings that usually avoids it
}

func (e *GuardEvent) String() string {
	return fmt.Sprintf("iteration %d rejected: %s; %s; %s", e.Iteration, e.Cause, e.RolledBack, e.Suggestion)
}

// Trainer runs contrastive-divergence iterations. Only SetSettings and
// Settings may be called concurrently with the other methods.
type Trainer struct {
	data   *dataset.Dataset
	preset string
	seed   uint64
	dim    int

	net    *model.Network
	adam   *optim.Adam
	params []model.Param
	buffer *sampler.Buffer
	lang   *sampler.Langevin
	pcg    *rand.PCG // source of rng, kept so checkpoints can save its state
	rng    *rand.Rand

	mu         sync.Mutex // guards settings
	settings   Settings
	samplerNow func() sampler.Settings // t.samplerSettings, bound once so Iterate does not allocate it

	// Workspaces, sized for the current batch.
	batch   int
	both    []float32 // data batch, then sample batch: 2·B·dim values
	idx     []int
	fresh   []bool
	dE      []float32
	energy  []float32 // energies of the last accepted forward pass, data then samples
	samples []float32 // samples of the last accepted iteration
	lastIdx []int     // their buffer slots

	// State saved before the last accepted update, for rollback.
	goodParams [][]float32
	goodAdam   optim.AdamState

	iteration int
	history   []Metrics
}

// New builds a Trainer with a freshly initialised network and a replay
// buffer of uniform noise over the data range.
func New(cfg Config) (*Trainer, error) {
	if cfg.Data == nil || cfg.Data.Len() == 0 {
		return nil, errors.New("no training data: choose a data set with at least one sample")
	}
	in, err := model.PresetInShape(cfg.Preset)
	if err != nil {
		return nil, err
	}
	d := cfg.Data
	if in.C != d.C || in.H != d.H || in.W != d.W {
		return nil, fmt.Errorf("model %q expects inputs of shape %d×%d×%d but data %q has %d×%d×%d: choose a model for this data (%s)",
			cfg.Preset, in.C, in.H, in.W, d.Name, d.C, d.H, d.W, suggestPreset(d))
	}
	if err := cfg.Settings.Validate(); err != nil {
		return nil, err
	}

	net, err := model.NewPreset(cfg.Preset, rand.New(rand.NewPCG(cfg.Seed, 1)))
	if err != nil {
		return nil, err
	}
	t := &Trainer{
		data:     d,
		preset:   cfg.Preset,
		seed:     cfg.Seed,
		dim:      d.Dim(),
		net:      net,
		params:   net.Params(),
		pcg:      rand.NewPCG(cfg.Seed, 2),
		settings: cfg.Settings,
	}
	t.rng = rand.New(t.pcg)
	t.samplerNow = t.samplerSettings
	t.adam = optim.NewAdam(t.params, cfg.Settings.Adam)
	t.lang = sampler.NewLangevin(net, t.dim)
	// Iterate computes the samples' energies right after Langevin, and
	// checks them, so the sampler's own final evaluation would be wasted.
	t.lang.SkipFinalEnergy = true
	t.buffer = sampler.NewBuffer(cfg.Settings.BufferSize, t.dim, float64(d.Lo), float64(d.Hi), t.rng)
	t.goodParams = make([][]float32, len(t.params))
	for i, p := range t.params {
		t.goodParams[i] = append([]float32(nil), p.Value...)
	}
	t.adam.SaveState(&t.goodAdam)
	return t, nil
}

// suggestPreset names presets whose input shape matches d.
func suggestPreset(d *dataset.Dataset) string {
	var names []string
	for _, name := range model.PresetNames() {
		if in, err := model.PresetInShape(name); err == nil && in.C == d.C && in.H == d.H && in.W == d.W {
			names = append(names, name)
		}
	}
	if len(names) == 0 {
		return "no preset fits; resize the data"
	}
	return fmt.Sprint("try ", names)
}

// SetSettings validates s and makes it take effect at the next Langevin
// step (sampler settings) or the next iteration (the rest). It is safe to
// call from any goroutine.
func (t *Trainer) SetSettings(s Settings) error {
	if err := s.Validate(); err != nil {
		return err
	}
	t.mu.Lock()
	t.settings = s
	t.mu.Unlock()
	return nil
}

// Settings returns the settings in force. It is safe to call from any
// goroutine.
func (t *Trainer) Settings() Settings {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.settings
}

func (t *Trainer) samplerSettings() sampler.Settings {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.settings.Sampler
}

// Network returns the network being trained. Callers must not use it
// while an iteration runs.
func (t *Trainer) Network() *model.Network { return t.net }

// Data returns the training set.
func (t *Trainer) Data() *dataset.Dataset { return t.data }

// Buffer returns the replay buffer. Callers must not use it while an
// iteration runs.
func (t *Trainer) Buffer() *sampler.Buffer { return t.buffer }

// Preset returns the network preset name.
func (t *Trainer) Preset() string { return t.preset }

// Seed returns the seed the trainer was built with.
func (t *Trainer) Seed() uint64 { return t.seed }

// Iteration returns the number of accepted iterations.
func (t *Trainer) Iteration() int { return t.iteration }

// History returns the metrics of every accepted iteration. The returned
// slice is shared: entries are never modified, only appended, so a caller
// may keep it without copying.
func (t *Trainer) History() []Metrics { return t.history[:len(t.history):len(t.history)] }

// LastEnergies returns the energies of the last accepted iteration's data
// batch and samples, the samples themselves and their buffer slots. The
// next iteration reuses the slices, and they are nil before the first.
func (t *Trainer) LastEnergies() (data, samples, x []float32, slots []int) {
	if t.iteration == 0 || t.batch == 0 {
		return nil, nil, nil, nil
	}
	return t.energy[:t.batch], t.energy[t.batch:], t.samples, t.lastIdx
}

// resize makes the workspaces fit a batch of b and the buffer hold
// capacity samples.
func (t *Trainer) resize(b, capacity int) {
	if b != t.batch {
		t.batch = b
		t.both = make([]float32, 2*b*t.dim)
		t.idx = make([]int, b)
		t.fresh = make([]bool, b)
		t.dE = make([]float32, 2*b)
		t.energy = make([]float32, 2*b)
		t.samples = make([]float32, b*t.dim)
		t.lastIdx = make([]int, b)
	}
	if capacity != t.buffer.Cap() {
		t.resizeBuffer(capacity)
	}
}

// resizeBuffer keeps the first entries of the buffer that fit and fills
// the rest with noise. Kept entries count as fresh.
func (t *Trainer) resizeBuffer(capacity int) {
	lo, hi := t.buffer.Range()
	next := sampler.NewBuffer(capacity, t.dim, lo, hi, t.rng)
	keep := min(capacity, t.buffer.Cap())
	idx := make([]int, keep)
	fresh := make([]bool, keep)
	x := make([]float32, 0, keep*t.dim)
	for i := range keep {
		idx[i] = i
		fresh[i] = true
		x = append(x, t.buffer.Entry(i)...)
	}
	next.Put(idx, fresh, x)
	t.buffer = next
}

// Iterate runs one contrastive-divergence iteration. observe, if not nil,
// is called with the sample batch after every Langevin step. A rejected iteration
// returns a GuardEvent and leaves the model, optimiser and buffer as they
// were before the last accepted update. The error is non-nil only when
// ctx was cancelled, in which case nothing changed.
func (t *Trainer) Iterate(ctx context.Context, observe func(step int, x []float32)) (Metrics, *GuardEvent, error) {
	start := time.Now()
	s := t.Settings()
	t.resize(s.Batch, s.BufferSize)
	t.adam.SetConfig(s.Adam)
	b, dim := t.batch, t.dim
	xData, xSample := t.both[:b*dim], t.both[b*dim:]

	// Data batch and chains from the buffer.
	t.data.Batch(xData, t.rng, s.DataNoise)
	reinit := t.buffer.Draw(xSample, t.idx, t.fresh, s.Reinit, t.rng)

	// Langevin: settings are re-read before every step.
	run, err := t.lang.Run(ctx, xSample, b, t.samplerNow, t.rng, observe)
	if err != nil {
		var div *sampler.DivergenceError
		if errors.As(err, &div) {
			return Metrics{}, t.reject(s, "Langevin diverged: "+div.Error(), "reduce the step size λ or the noise σ, or clip gradients"), nil
		}
		return Metrics{}, nil, err
	}

	m, event := t.update(s, b)
	if event != nil {
		return Metrics{}, event, nil
	}
	t.buffer.Put(t.idx, t.fresh, xSample)
	copy(t.samples, xSample)
	copy(t.lastIdx, t.idx)

	t.iteration++
	m.Iteration = t.iteration
	m.InputGradNorm = run.MeanGradNorm
	m.Diversity = Diversity(xSample, b, dim, 128)
	m.Reinit = reinit
	m.Steps = run.Steps
	m.Seconds = time.Since(start).Seconds()
	t.history = append(t.history, m)
	return m, nil, nil
}

// update computes the energies of the data and sample batches held in
// t.both, checks them, and takes one Adam step on the contrastive loss. It
// returns the loss figures, or a GuardEvent after rolling back.
func (t *Trainer) update(s Settings, b int) (Metrics, *GuardEvent) {
	e := t.net.Forward(t.both, 2*b)
	if cause := checkEnergies(e, s.EnergyBound); cause != "" {
		return Metrics{}, t.reject(s, cause, "lower the learning rate or raise α")
	}
	loss, eData, eSample := t.lossGrad(e, b, s.Alpha)
	copy(t.energy, e)
	t.net.Backward(t.dE, nil, true)
	if !gradsFinite(t.params) {
		return Metrics{}, t.reject(s, "non-finite parameter gradient", "lower the learning rate or enable gradient clipping")
	}

	// Accept: remember this state for rollback, then update.
	for i, p := range t.params {
		copy(t.goodParams[i], p.Value)
	}
	t.adam.SaveState(&t.goodAdam)
	gradNorm := t.adam.Step(t.params)
	return Metrics{
		Loss:          loss,
		EData:         eData,
		ESample:       eSample,
		Gap:           eData - eSample,
		ParamGradNorm: gradNorm,
	}, nil
}

// lossGrad computes the loss and writes ∂L/∂E for the 2b energies in e
// (data first) into t.dE.
func (t *Trainer) lossGrad(e []float32, b int, alpha float64) (loss, eData, eSample float64) {
	inv := 1 / float64(b)
	var sq float64
	for i := range b {
		d, s := float64(e[i]), float64(e[b+i])
		eData += d
		eSample += s
		sq += d*d + s*s
		t.dE[i] = float32(inv + 2*alpha*d*inv)
		t.dE[b+i] = float32(-inv + 2*alpha*s*inv)
	}
	eData *= inv
	eSample *= inv
	loss = eData - eSample + alpha*sq*inv
	return loss, eData, eSample
}

// reject restores the state saved before the last accepted update.
func (t *Trainer) reject(s Settings, cause, suggestion string) *GuardEvent {
	for i, p := range t.params {
		copy(p.Value, t.goodParams[i])
	}
	t.adam.RestoreState(&t.goodAdam)
	return &GuardEvent{
		Iteration:  t.iteration + 1,
		Cause:      cause,
		RolledBack: fmt.Sprintf("model and optimiser restored to their state before iteration %d; replay buffer unchanged", t.iteration),
		Settings:   s,
		Suggestion: suggestion,
	}
}

func checkEnergies(e []float32, bound float64) string {
	for i, v := range e {
		f := float64(v)
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return fmt.Sprintf("energy of input %d is %v", i, f)
		}
		if math.Abs(f) > bound {
			return fmt.Sprintf("energy of input %d is %.4g, beyond the bound ±%.4g", i, f, bound)
		}
	}
	return ""
}

func gradsFinite(params []model.Param) bool {
	for _, p := range params {
		for _, g := range p.Grad {
			if math.IsNaN(float64(g)) || math.IsInf(float64(g), 0) {
				return false
			}
		}
	}
	return true
}

// Diversity returns the mean pairwise Euclidean distance between the
// first min(n, limit) samples of x, each dim values long; 0 for fewer than
// two samples.
func Diversity(x []float32, n, dim, limit int) float64 {
	n = min(n, limit)
	if n < 2 {
		return 0
	}
	var sum float64
	for i := range n {
		a := x[i*dim : (i+1)*dim]
		for j := i + 1; j < n; j++ {
			b := x[j*dim : (j+1)*dim]
			var d2 float32
			for k := range a {
				d := a[k] - b[k]
				d2 += d * d
			}
			sum += math.Sqrt(float64(d2))
		}
	}
	return sum / float64(n*(n-1)/2)
}

package train

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ebmlab/ebmlab/model"
	"github.com/ebmlab/ebmlab/model/dataset"
	"github.com/ebmlab/ebmlab/sampler"
)

// EngineConfig configures an Engine.
type EngineConfig struct {
	Trainer Config
	Test    *dataset.Dataset // held-out data for histograms and quality; nil uses the training set

	// OnSnapshot receives every published snapshot on the engine's
	// goroutine; it must return quickly (hand the snapshot to the UI
	// goroutine and return).
	OnSnapshot func(*Snapshot)
	// SnapshotEvery is the minimum time between snapshots while training;
	// 0 means 100 ms.
	SnapshotEvery time.Duration
	// Slow figures (histogram energies, landscape, quality) are
	// recomputed at most this often; 0 means 2 s for histograms and the
	// landscape and 5 s for quality.
	HistogramEvery, QualityEvery time.Duration
	// VisibleChains is the number of chains shown step by step, advanced
	// alongside training; 0 means 2. Only chain 0 is recorded, and each
	// chain costs about 1/Batch of an iteration's Langevin work, so the
	// default keeps the window's overhead small.
	VisibleChains int
}

// maxEvents is the number of guard events a snapshot keeps.
const maxEvents = 20

// maxFilmFrames bounds the filmstrip; older frames are thinned so that
// the noise initialisation always stays first.
const maxFilmFrames = 12

// Engine trains on its own goroutine. All methods are safe to call from
// any goroutine; commands take effect between two iterations, settings at
// the next Langevin step.
type Engine struct {
	cfg  EngineConfig
	cmds chan func()

	iteration atomic.Int64 // accepted iterations, for any goroutine

	mu      sync.Mutex // guards trainer pointer swaps and eval
	trainer *Trainer
	eval    *model.Network   // copy of the weights for Energy, refreshed with each histogram
	heldOut *dataset.Dataset // EngineConfig.Test of the current trainer, for HeldOut

	// Owned by the engine goroutine.
	running    bool
	elapsed    time.Duration
	rate       float64 // smoothed iterations per second
	evaluator  *Evaluator
	evalReady  chan *Evaluator
	quality    map[string][]QualityPoint
	events     []GuardEvent
	eventCount int
	message    string
	chains     []float32
	chainLang  *sampler.Langevin
	chainE     []float32
	chainSteps int
	film       []ChainFrame
	filmEvery  int
	rng        *rand.Rand
	lastSnap   time.Time
	lastHist   time.Time
	lastQual   time.Time
	hist       histState
}

type histState struct {
	data, noise []float64
	landscape   *Landscape
	dataPoints  []float32
	bufferAges  []int
}

// NewEngine builds the trainer; the engine starts paused until Run and
// SetRunning(true).
func NewEngine(cfg EngineConfig) (*Engine, error) {
	if cfg.SnapshotEvery <= 0 {
		cfg.SnapshotEvery = 100 * time.Millisecond
	}
	if cfg.HistogramEvery <= 0 {
		cfg.HistogramEvery = 2 * time.Second
	}
	if cfg.QualityEvery <= 0 {
		cfg.QualityEvery = 5 * time.Second
	}
	if cfg.VisibleChains <= 0 {
		cfg.VisibleChains = 2
	}
	if cfg.Test == nil {
		cfg.Test = cfg.Trainer.Data
	}
	e := &Engine{cfg: cfg, cmds: make(chan func(), 64)}
	if err := e.rebuild(cfg.Trainer); err != nil {
		return nil, err
	}
	return e, nil
}

// rebuild replaces the trainer and everything derived from it.
func (e *Engine) rebuild(c Config) error {
	t, err := New(c)
	if err != nil {
		return err
	}
	e.mu.Lock()
	e.trainer = t
	e.eval = t.Network().Clone()
	e.heldOut = e.cfg.Test
	e.mu.Unlock()

	e.cfg.Trainer = c
	e.iteration.Store(0)
	e.elapsed = 0
	e.rate = 0
	e.quality = map[string][]QualityPoint{}
	e.events = nil
	e.eventCount = 0
	e.rng = rand.New(rand.NewPCG(c.Seed, 4))
	e.lastHist = time.Time{}
	e.lastQual = time.Time{}
	e.hist = histState{}
	e.resetChains()
	e.startEvaluator()
	return nil
}

// resetChains starts the visible chains from uniform noise.
func (e *Engine) resetChains() {
	t := e.trainer
	d := t.Data()
	dim := d.Dim()
	n := e.cfg.VisibleChains
	e.chains = make([]float32, n*dim)
	for i := range e.chains {
		e.chains[i] = float32(float64(d.Lo) + e.rng.Float64()*float64(d.Hi-d.Lo))
	}
	e.chainLang = sampler.NewLangevin(t.Network(), dim)
	e.chainE = make([]float32, n)
	e.chainSteps = 0
	e.filmEvery = 1
	t.Network().Energy(e.chainE, e.chains)
	e.film = []ChainFrame{frameOf(0, e.chains, 0, dim, float64(e.chainE[0]))}
}

// startEvaluator trains the quality classifier in the background; the
// engine picks it up when ready.
func (e *Engine) startEvaluator() {
	ch := make(chan *Evaluator, 1)
	e.evaluator = nil
	e.evalReady = ch
	train, test, seed := e.cfg.Trainer.Data, e.cfg.Test, e.cfg.Trainer.Seed
	go func() {
		ev, err := NewEvaluator(context.Background(), train, test, seed)
		if err != nil {
			ev = nil
		}
		ch <- ev
	}()
}

// Run trains until ctx is cancelled, executing commands between
// iterations. It returns nil when ctx ends.
func (e *Engine) Run(ctx context.Context) error {
	e.publish(true)
	for {
		if e.running {
			select {
			case <-ctx.Done():
				return nil
			case cmd := <-e.cmds:
				cmd()
				e.publish(true)
				continue
			default:
			}
			if err := e.iterate(ctx); err != nil {
				if ctx.Err() != nil {
					return nil
				}
				return err
			}
			e.publish(false)
			continue
		}
		select {
		case <-ctx.Done():
			return nil
		case cmd := <-e.cmds:
			cmd()
			e.publish(true)
		case ev := <-e.evalReady:
			e.evaluator = ev
			e.evalReady = nil
		}
	}
}

// iterate runs one training iteration and advances the visible chains.
func (e *Engine) iterate(ctx context.Context) error {
	t := e.trainer
	m, ev, err := t.Iterate(ctx, nil)
	if err != nil {
		return err
	}
	if ev != nil {
		e.addEvent(*ev)
		return nil
	}
	e.iteration.Store(int64(m.Iteration))
	e.elapsed += time.Duration(m.Seconds * float64(time.Second))
	if m.Seconds > 0 {
		r := 1 / m.Seconds
		if e.rate == 0 {
			e.rate = r
		} else {
			e.rate += 0.2 * (r - e.rate)
		}
	}
	return e.advanceChains(ctx, t.Settings().Sampler.Steps)
}

// advanceChains runs steps Langevin steps on the visible chains and
// records chain 0 in the filmstrip.
func (e *Engine) advanceChains(ctx context.Context, steps int) error {
	t := e.trainer
	dim := t.Data().Dim()
	n := e.cfg.VisibleChains
	settings := func() sampler.Settings {
		s := t.Settings().Sampler
		s.Steps = steps
		return s
	}
	base := e.chainSteps
	observe := func(step int, x []float32) {
		e.chainSteps = base + step
		if e.chainSteps%e.filmEvery == 0 {
			e.record(x, dim, math.NaN())
		}
	}
	_, err := e.chainLang.Run(ctx, e.chains, n, settings, e.rng, observe)
	var div *sampler.DivergenceError
	if errors.As(err, &div) {
		e.addEvent(GuardEvent{
			Iteration:  t.Iteration(),
			Cause:      "visible chains diverged: " + div.Error(),
			RolledBack: "visible chains restarted from noise; model unchanged",
			Settings:   t.Settings(),
			Suggestion: "reduce the step size λ or the noise σ",
		})
		e.resetChains()
		return nil
	}
	return err
}

// record appends chain 0's state to the filmstrip, thinning it to
// maxFilmFrames by dropping every other frame after the first and
// doubling the recording interval.
func (e *Engine) record(x []float32, dim int, energy float64) {
	if math.IsNaN(energy) {
		e.trainer.Network().Energy(e.chainE[:1], x[:dim])
		energy = float64(e.chainE[0])
	}
	e.film = append(e.film, frameOf(e.chainSteps, x, 0, dim, energy))
	if len(e.film) > maxFilmFrames {
		kept := e.film[:1]
		for i := 2; i < len(e.film); i += 2 {
			kept = append(kept, e.film[i])
		}
		e.film = kept
		e.filmEvery *= 2
	}
}

func (e *Engine) addEvent(ev GuardEvent) {
	e.eventCount++
	e.events = append(e.events, ev)
	if len(e.events) > maxEvents {
		e.events = e.events[len(e.events)-maxEvents:]
	}
}

// send queues a command for the engine goroutine.
func (e *Engine) send(cmd func()) { e.cmds <- cmd }

// SetRunning starts or pauses training.
func (e *Engine) SetRunning(run bool) { e.send(func() { e.running = run }) }

// Toggle switches between training and paused.
func (e *Engine) Toggle() { e.send(func() { e.running = !e.running }) }

// Step advances the visible chains by one Langevin step without training.
func (e *Engine) Step() {
	e.send(func() {
		t := e.trainer
		dim := t.Data().Dim()
		s := t.Settings().Sampler
		_, err := e.chainLang.Step(e.chains, e.cfg.VisibleChains, s, e.rng)
		if err != nil {
			e.message = "Step: " + err.Error()
			e.resetChains()
			return
		}
		e.chainSteps++
		e.record(e.chains, dim, math.NaN())
		e.message = fmt.Sprintf("visible chains at step %d", e.chainSteps)
	})
}

// Update runs one training iteration, also while paused.
func (e *Engine) Update() {
	e.send(func() {
		if err := e.iterate(context.Background()); err != nil {
			e.message = "Update: " + err.Error()
		}
	})
}

// Reset replaces the model with a freshly initialised one, empties the
// replay buffer and clears the history; settings stay.
func (e *Engine) Reset() {
	e.send(func() {
		c := e.cfg.Trainer
		c.Settings = e.trainer.Settings()
		c.Seed = e.cfg.Trainer.Seed + 1
		if err := e.rebuild(c); err != nil {
			e.message = "Reset: " + err.Error()
			return
		}
		e.message = "model reset"
	})
}

// Load switches to other data or another preset, with settings s. It
// reports the outcome through the next snapshot's Message.
func (e *Engine) Load(train, test *dataset.Dataset, preset string, s Settings) {
	e.send(func() {
		c := e.cfg.Trainer
		c.Data, c.Preset, c.Settings = train, preset, s
		old := e.cfg.Test
		e.cfg.Test = test
		if test == nil {
			e.cfg.Test = train
		}
		if err := e.rebuild(c); err != nil {
			e.cfg.Test = old
			e.message = "Load: " + err.Error()
			return
		}
		e.message = fmt.Sprintf("loaded %s with %s", train.Name, preset)
	})
}

// SetSettings validates s and applies it at the next Langevin step.
func (e *Engine) SetSettings(s Settings) error {
	e.mu.Lock()
	t := e.trainer
	e.mu.Unlock()
	return t.SetSettings(s)
}

// Settings returns the settings in force.
func (e *Engine) Settings() Settings {
	e.mu.Lock()
	t := e.trainer
	e.mu.Unlock()
	return t.Settings()
}

// Energy computes the energies of n inputs with a copy of the weights
// taken at the last histogram refresh, without waiting for the training
// goroutine.
func (e *Engine) Energy(x []float32, n int) ([]float64, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	dim := e.eval.InShape().Size()
	if len(x) != n*dim {
		return nil, fmt.Errorf("input has %d values, want %d inputs × %d", len(x), n, dim)
	}
	out := make([]float32, n)
	e.eval.Energy(out, x)
	res := make([]float64, n)
	for i, v := range out {
		res[i] = float64(v)
	}
	return res, nil
}

// Iteration returns the number of accepted training iterations.
func (e *Engine) Iteration() int { return int(e.iteration.Load()) }

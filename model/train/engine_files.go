package train

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ebmlab/ebmlab/model/checkpoint"
	"github.com/ebmlab/ebmlab/model/dataset"
	"github.com/ebmlab/ebmlab/model/export"
	"github.com/ebmlab/ebmlab/model/runconfig"
	"github.com/ebmlab/ebmlab/sampler"
)

// ErrEngineStopped is returned by the Engine methods that wait for the
// engine goroutine when their context ends before the command started,
// for example because Run has returned. The command then never runs.
var ErrEngineStopped = errors.New("train: the engine did not run the command because it is stopped or the request was cancelled")

// DataLoader loads the training and held-out test sets of a data set name
// or path, as a checkpoint or a run configuration records it. It may
// return usable sets together with a *dataset.LimitError, which callers
// treat as a warning.
type DataLoader func(ctx context.Context, name string, seed uint64) (train, test *dataset.Dataset, err error)

// OpenData loads a built-in data set with dataset.Load, and anything else
// as a path with dataset.Open, passing progress on. Like dataset.Open it
// returns usable sets together with a *dataset.LimitError when the source
// was cut to the size limit.
func OpenData(ctx context.Context, name string, seed uint64, progress func(done, total int)) (train, test *dataset.Dataset, err error) {
	if slices.Contains(dataset.Names(), name) {
		return dataset.Load(name, seed)
	}
	return dataset.Open(ctx, name, seed, progress)
}

// isLimit reports whether err is a *dataset.LimitError that came with
// usable sets.
func isLimit(err error, train *dataset.Dataset) bool {
	var limit *dataset.LimitError
	return errors.As(err, &limit) && train != nil
}

// call runs cmd on the engine goroutine and returns its error. When ctx
// ends before cmd has started, cmd never runs and call returns
// ErrEngineStopped wrapped with ctx's error. Once cmd has started, call
// waits for it, so an error from ctx always means that nothing changed.
func (e *Engine) call(ctx context.Context, cmd func() error) error {
	const (
		pending = iota
		started
		abandoned
	)
	var state atomic.Int32
	done := make(chan error, 1)
	run := func() {
		if state.CompareAndSwap(pending, started) {
			done <- cmd()
		}
	}
	stopped := func() error {
		if state.CompareAndSwap(pending, abandoned) {
			return fmt.Errorf("%w: %w", ErrEngineStopped, ctx.Err())
		}
		return <-done
	}

	select {
	case e.cmds <- run:
	case <-ctx.Done():
		return stopped()
	}
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		return stopped()
	}
}

// SaveCheckpoint writes the model, optimiser state, replay buffer,
// settings and history to path atomically with Trainer.SaveCheckpoint,
// between two iterations, and names the file in the next snapshot's
// Message. It blocks until the file is written or ctx ends. Errors name
// the path.
func (e *Engine) SaveCheckpoint(ctx context.Context, path string) error {
	return e.call(ctx, func() error {
		if err := e.trainer.SaveCheckpoint(path); err != nil {
			return err
		}
		e.message = fmt.Sprintf("saved iteration %d to %s", e.trainer.Iteration(), path)
		return nil
	})
}

// LoadCheckpoint resumes training from the checkpoint at path. It reads
// the checkpoint's metadata, loads the data set it names with load (nil
// means OpenData without progress), rebuilds the trainer with Resume and
// then swaps it in between two iterations, keeping the running state.
// When keep is not nil, its sampler settings replace the checkpoint's,
// except the clamp range Lo, Hi, which comes from the checkpoint's data.
//
// Reading and checking run on the calling goroutine while training goes
// on. On any error, including a damaged file or data of another shape,
// the engine is left unchanged. A *dataset.LimitError from load is not an
// error, because the kept samples are the ones the checkpoint was trained
// on.
func (e *Engine) LoadCheckpoint(ctx context.Context, path string, load DataLoader, keep *sampler.Settings) error {
	if load == nil {
		load = func(ctx context.Context, name string, seed uint64) (*dataset.Dataset, *dataset.Dataset, error) {
			return OpenData(ctx, name, seed, nil)
		}
	}
	meta, err := ReadCheckpointMeta(path)
	if err != nil {
		return err
	}
	trainSet, testSet, err := load(ctx, meta.Data, meta.Seed)
	if err != nil && !isLimit(err, trainSet) {
		return fmt.Errorf("checkpoint %s was trained on %s, which cannot be loaded: %w", path, meta.Data, err)
	}
	t, err := Resume(path, trainSet)
	if err != nil {
		return err
	}
	if keep != nil {
		s := t.Settings()
		lo, hi := s.Sampler.Lo, s.Sampler.Hi
		s.Sampler = *keep
		s.Sampler.Lo, s.Sampler.Hi = lo, hi
		if err := t.SetSettings(s); err != nil {
			return fmt.Errorf("checkpoint %s: the current sampler settings do not apply to it: %w: keep the checkpoint's settings", path, err)
		}
	}
	if testSet == nil {
		testSet = trainSet
	}
	return e.call(ctx, func() error {
		e.adopt(t, testSet)
		e.message = fmt.Sprintf("resumed %s at iteration %d", path, t.Iteration())
		return nil
	})
}

// adopt replaces the trainer with t and resets everything derived from
// the old one, as rebuild does for a new trainer. The elapsed training
// time restarts from the sum of the iteration times in t's history.
func (e *Engine) adopt(t *Trainer, test *dataset.Dataset) {
	e.mu.Lock()
	e.trainer = t
	e.eval = t.Network().Clone()
	e.heldOut = test
	e.mu.Unlock()

	e.cfg.Test = test
	e.cfg.Trainer = Config{Data: t.Data(), Preset: t.Preset(), Seed: t.Seed(), Settings: t.Settings()}
	e.iteration.Store(int64(t.Iteration()))
	var seconds float64
	for _, m := range t.History() {
		seconds += m.Seconds
	}
	e.elapsed = time.Duration(seconds * float64(time.Second))
	e.rate = 0
	e.quality = map[string][]QualityPoint{}
	e.events = nil
	e.eventCount = 0
	e.rng = rand.New(rand.NewPCG(t.Seed(), 4))
	e.lastHist = time.Time{}
	e.lastQual = time.Time{}
	e.hist = histState{}
	e.resetChains()
	e.startEvaluator()
}

// LoadConfig replaces the model with a freshly initialised one built from
// c, with test as the held-out set (nil means c.Data), and resets the
// history, like Load but with c's seed. It blocks until the engine has
// switched or ctx ends. On error the engine is left unchanged.
func (e *Engine) LoadConfig(ctx context.Context, c Config, test *dataset.Dataset) error {
	if test == nil {
		test = c.Data
	}
	return e.call(ctx, func() error {
		old := e.cfg.Test
		e.cfg.Test = test
		if err := e.rebuild(c); err != nil {
			e.cfg.Test = old
			return err
		}
		e.message = fmt.Sprintf("loaded %s with %s, seed %d", c.Data.Name, c.Preset, c.Seed)
		return nil
	})
}

// SaveMetricsCSV writes the metrics of every accepted iteration to path
// atomically, as WriteCSV formats them: a header and one row per
// iteration. It blocks until the file is written or ctx ends.
func (e *Engine) SaveMetricsCSV(ctx context.Context, path string) error {
	var history []Metrics
	err := e.call(ctx, func() error {
		history = e.trainer.History()
		return nil
	})
	if err != nil {
		return err
	}
	return checkpoint.WriteAtomic(path, func(w io.Writer) error { return WriteCSV(w, history) })
}

// SaveBufferNPY writes the replay buffer to path atomically as a float32
// .npy array of shape N×C×H×W for images and N×2 for 2-D points, where N
// is the buffer capacity. The copy is taken between two iterations and
// written on the calling goroutine. It blocks until the file is written or
// ctx ends.
func (e *Engine) SaveBufferNPY(ctx context.Context, path string) error {
	var values []float32
	var shape []int
	err := e.call(ctx, func() error {
		buf := e.trainer.Buffer()
		d := e.trainer.Data()
		values = make([]float32, buf.Cap()*buf.Dim())
		buf.CopyTo(values, make([]int, buf.Cap()))
		shape = []int{buf.Cap(), d.C, d.H, d.W}
		if d.IsPoints() {
			shape = []int{buf.Cap(), d.Dim()}
		}
		return nil
	})
	if err != nil {
		return err
	}
	return export.SaveNPY(path, values, shape...)
}

// RunConfig returns the run configuration of the current model: data set,
// preset, seed and settings, with the accepted iterations so far as the
// iteration count. It is safe to call from any goroutine.
func (e *Engine) RunConfig() *runconfig.Config {
	e.mu.Lock()
	t := e.trainer
	e.mu.Unlock()
	return ConfigFromSettings(t.Data().Name, t.Preset(), t.Seed(), e.Iteration(), t.Settings())
}

// SettingsFromConfig maps a run configuration onto settings. The fields a
// configuration does not contain (the clamp range, Adam's ε and the energy
// bound) come from defaults, usually DefaultSettings for the data.
func SettingsFromConfig(c *runconfig.Config, defaults Settings) Settings {
	s := defaults
	s.Sampler.StepSize = c.Sampler.StepSize
	s.Sampler.Noise = c.Sampler.Noise
	s.Sampler.Temperature1 = c.Sampler.Temperature1
	s.Sampler.Steps = c.Sampler.Steps
	s.Sampler.GradClip = c.Sampler.GradClip
	s.Sampler.Clamp = c.Sampler.Clamp
	s.Batch = c.Train.Batch
	s.BufferSize = c.Train.BufferSize
	s.Reinit = c.Train.Reinit
	s.Adam.LR = c.Train.LR
	s.Adam.Beta1 = c.Train.Beta1
	s.Adam.Beta2 = c.Train.Beta2
	s.Adam.Clip = c.Train.ParamClip
	s.Alpha = c.Train.Alpha
	s.DataNoise = c.Train.DataNoise
	return s
}

// ConfigFromSettings builds a run configuration from settings. It is the
// inverse of SettingsFromConfig for every field a configuration contains.
func ConfigFromSettings(data, preset string, seed uint64, iterations int, s Settings) *runconfig.Config {
	c := &runconfig.Config{Data: data, Model: preset, Seed: seed, Iterations: iterations}
	c.Sampler.StepSize = s.Sampler.StepSize
	c.Sampler.Noise = s.Sampler.Noise
	c.Sampler.Temperature1 = s.Sampler.Temperature1
	c.Sampler.Steps = s.Sampler.Steps
	c.Sampler.GradClip = s.Sampler.GradClip
	c.Sampler.Clamp = s.Sampler.Clamp
	c.Train.Batch = s.Batch
	c.Train.BufferSize = s.BufferSize
	c.Train.Reinit = s.Reinit
	c.Train.LR = s.Adam.LR
	c.Train.Beta1 = s.Adam.Beta1
	c.Train.Beta2 = s.Adam.Beta2
	c.Train.ParamClip = s.Adam.Clip
	c.Train.Alpha = s.Alpha
	c.Train.DataNoise = s.DataNoise
	return c
}

// Autosaver saves an engine's checkpoint at a fixed interval while the
// engine trains. A save is skipped while training is paused, before the
// first accepted iteration and when the iteration count has not changed
// since the last save. Its methods are safe to
// call from any goroutine.
type Autosaver struct {
	eng    *Engine
	report func(path string, err error)

	mu      sync.Mutex
	path    string
	every   time.Duration
	changed chan struct{} // wakes the goroutine after Set
	stop    chan struct{}
	stopped sync.Once
	done    chan struct{}

	saved int // iteration of the last save, 0 before the first; owned by the engine goroutine
}

// NewAutosaver starts an autosaver for e, switched off until Set. report,
// if not nil, receives the outcome of every save on the engine goroutine
// and must return quickly. Stop ends it.
func NewAutosaver(e *Engine, report func(path string, err error)) *Autosaver {
	a := &Autosaver{
		eng:     e,
		report:  report,
		changed: make(chan struct{}, 1),
		stop:    make(chan struct{}),
		done:    make(chan struct{}),
	}
	go a.loop()
	return a
}

// Set saves to path every interval while training. An interval of 0 or
// less switches autosave off. The first save comes one interval after the
// call.
func (a *Autosaver) Set(path string, every time.Duration) {
	a.mu.Lock()
	a.path, a.every = path, every
	a.mu.Unlock()
	select {
	case a.changed <- struct{}{}:
	default:
	}
}

// Interval returns the interval in force, 0 when autosave is off, and
// the path it saves to.
func (a *Autosaver) Interval() (time.Duration, string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	return max(a.every, 0), a.path
}

// Stop ends the autosaver and waits for its goroutine. It does not wait
// for a save already queued on the engine. It is safe to call more than
// once.
func (a *Autosaver) Stop() {
	a.stopped.Do(func() { close(a.stop) })
	<-a.done
}

func (a *Autosaver) loop() {
	defer close(a.done)
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	defer timer.Stop()

	for {
		select {
		case <-a.stop:
			return
		case <-a.changed:
			timer.Stop()
			if every, _ := a.Interval(); every > 0 {
				timer.Reset(every)
			}
			continue
		case <-timer.C:
		}

		every, path := a.Interval()
		if every <= 0 || path == "" {
			continue
		}
		timer.Reset(every)
		select {
		case a.eng.cmds <- func() { a.save(path) }:
		case <-a.stop:
			return
		}
	}
}

// save runs on the engine goroutine.
func (a *Autosaver) save(path string) {
	t := a.eng.trainer
	if !a.eng.running || t.Iteration() == a.saved {
		return
	}
	err := t.SaveCheckpoint(path)
	if err == nil {
		a.saved = t.Iteration()
		a.eng.message = fmt.Sprintf("autosaved iteration %d to %s", a.saved, path)
	}
	if a.report != nil {
		a.report(path, err)
	}
}

package cli

import (
	"context"
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"image"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/schollz/progressbar/v3"

	"github.com/ebmlab/ebmlab/model"
	"github.com/ebmlab/ebmlab/model/backend"
	"github.com/ebmlab/ebmlab/model/dataset"
	"github.com/ebmlab/ebmlab/model/runconfig"
	"github.com/ebmlab/ebmlab/model/train"
	"github.com/ebmlab/ebmlab/ui/render"
)

const trainUsage = "ebmlab train --data NAME|PATH [--model PRESET] [--iterations N] [--seed S] [--out DIR] [setting flags]"

// trainOptions are the train command's own flags.
type trainOptions struct {
	data         string
	preset       string
	iterations   int
	seed         uint64
	out          string
	config       string
	resume       string
	qualityEvery int
	threads      int
	settings     settingValues
	given        map[string]bool // flags given on the command line
}

func runTrain(ctx context.Context, args []string, env Env) error {
	var o trainOptions
	fs := flag.NewFlagSet("train", flag.ContinueOnError)
	fs.StringVar(&o.data, "data", "", fmt.Sprintf("training data: a built-in name (%v), or the path of an image folder (class sub-folders optional), an IDX file, a CIFAR-10 batch (.bin) or a CSV of 2-D points", dataset.Names()))
	fs.StringVar(&o.preset, "model", "", fmt.Sprintf("network preset (%v); default: the one that fits the data", model.PresetNames()))
	fs.IntVar(&o.iterations, "iterations", 500, "training iterations to reach; a resumed run counts those already done")
	fs.Uint64Var(&o.seed, "seed", 1, "random seed; the same seed and flags give the same metrics.csv on the same machine")
	fs.StringVar(&o.out, "out", "ebmlab-run", "output directory, created if missing")
	fs.StringVar(&o.config, "config", "", "run configuration (TOML) with data, model, seed, iterations and all settings; flags given as well override it")
	fs.StringVar(&o.resume, "resume", "", "checkpoint to continue from; its data, model, seed and settings apply unless flags override the settings")
	fs.IntVar(&o.qualityEvery, "quality-every", 0, "measure sample quality every N iterations into quality.csv; 0 disables")
	fs.IntVar(&o.threads, "threads", 1, "BLAS threads (OpenBLAS builds only)")
	o.settings.register(fs)
	if err := parseFlags(fs, args, false); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			printHelp(fs, env.Stdout, trainUsage)
		}
		return err
	}
	o.given = map[string]bool{}
	fs.Visit(func(f *flag.Flag) { o.given[f.Name] = true })

	// Validate everything before any work or output.
	if o.config != "" && o.resume != "" {
		return usagef("--config and --resume both given: a resumed run takes its settings from the checkpoint; give one of them")
	}
	var base *runconfig.Config
	var err error
	if o.config != "" {
		base, err = o.applyConfig()
		if err != nil {
			return err
		}
	}
	if o.resume != "" && o.given["data"] {
		return usagef("--data given with --resume: a resumed run trains on the data recorded in the checkpoint; drop --data")
	}
	if o.iterations < 1 {
		return usagef("invalid --iterations %d: must be at least 1", o.iterations)
	}
	if o.qualityEvery < 0 {
		return usagef("invalid --quality-every %d: must be 0 (off) or positive", o.qualityEvery)
	}
	if o.threads < 1 {
		return usagef("invalid --threads %d: must be at least 1", o.threads)
	}

	var tr *train.Trainer
	var testSet *dataset.Dataset
	if o.resume != "" {
		tr, testSet, err = o.resumeTrainer(ctx, env)
	} else {
		tr, testSet, err = o.newTrainer(ctx, env, base)
	}
	if err != nil {
		return err
	}
	if tr.Iteration() >= o.iterations {
		return usagef("checkpoint %s is already at iteration %d: give --iterations above %d", o.resume, tr.Iteration(), tr.Iteration())
	}
	if err := os.MkdirAll(o.out, 0o755); err != nil {
		return usagef("cannot create output directory %s: %v", o.out, err)
	}
	backend.SetThreads(o.threads)

	return trainLoop(ctx, tr, testSet, o, env)
}

// applyConfig reads --config into the options not given as flags and
// returns the configuration for its settings.
func (o *trainOptions) applyConfig() (*runconfig.Config, error) {
	if err := mustExist("--config", o.config, "a run configuration such as the config.toml that ebmlab train writes"); err != nil {
		return nil, err
	}
	c, err := runconfig.Load(o.config)
	if err != nil {
		return nil, usageError{err}
	}
	if !o.given["data"] {
		o.data = c.Data
	}
	if !o.given["model"] {
		o.preset = c.Model
	}
	if !o.given["seed"] {
		o.seed = c.Seed
	}
	if !o.given["iterations"] {
		o.iterations = c.Iterations
	}
	return c, nil
}

// newTrainer builds a fresh trainer from the options; base, when not
// nil, replaces the preset's default settings with those it contains.
func (o *trainOptions) newTrainer(ctx context.Context, env Env, base *runconfig.Config) (*train.Trainer, *dataset.Dataset, error) {
	if o.data == "" {
		return nil, nil, usagef("missing --data: give a built-in name (%v) or the path of your data", dataset.Names())
	}
	trainSet, testSet, err := loadData(ctx, o.data, o.seed, env.Stderr)
	if err != nil {
		return nil, nil, err
	}
	if o.preset == "" {
		o.preset, err = presetFor(trainSet)
		if err != nil {
			return nil, nil, err
		}
	}
	if _, err := model.PresetInShape(o.preset); err != nil {
		return nil, nil, usageError{err}
	}
	s := train.DefaultSettings(o.preset, float64(trainSet.Lo), float64(trainSet.Hi))
	if base != nil {
		s = train.SettingsFromConfig(base, s)
	}
	if err := o.settings.apply(&s); err != nil {
		return nil, nil, err
	}
	if err := s.Validate(); err != nil {
		return nil, nil, usagef("%v (the setting flags are listed by ebmlab help train)", err)
	}
	tr, err := train.New(train.Config{Data: trainSet, Preset: o.preset, Seed: o.seed, Settings: s})
	if err != nil {
		return nil, nil, usageError{err}
	}
	return tr, testSet, nil
}

// resumeTrainer loads the checkpoint named by --resume with the data set
// it records.
func (o *trainOptions) resumeTrainer(ctx context.Context, env Env) (*train.Trainer, *dataset.Dataset, error) {
	if err := mustExist("--resume", o.resume, "a checkpoint written by ebmlab train or the window"); err != nil {
		return nil, nil, err
	}
	meta, err := train.ReadCheckpointMeta(o.resume)
	if err != nil {
		return nil, nil, usageError{err}
	}
	trainSet, testSet, err := loadData(ctx, meta.Data, meta.Seed, env.Stderr)
	if err != nil {
		return nil, nil, usagef("checkpoint %s was trained on %q, which cannot be loaded: %v", o.resume, meta.Data, err)
	}
	tr, err := train.Resume(o.resume, trainSet)
	if err != nil {
		return nil, nil, usageError{err}
	}
	s := tr.Settings()
	if err := o.settings.apply(&s); err != nil {
		return nil, nil, err
	}
	if err := tr.SetSettings(s); err != nil {
		return nil, nil, usagef("%v (the setting flags are listed by ebmlab help train)", err)
	}
	return tr, testSet, nil
}

// trainLoop runs the iterations, writing metrics as it goes, then the
// sample picture and the checkpoint.
func trainLoop(ctx context.Context, tr *train.Trainer, test *dataset.Dataset, o trainOptions, env Env) error {
	metricsPath := filepath.Join(o.out, "metrics.csv")
	mf, err := os.Create(metricsPath)
	if err != nil {
		return fmt.Errorf("create %s: %w", metricsPath, err)
	}
	defer mf.Close()
	mw := csv.NewWriter(mf)
	if err := train.WriteCSVHeader(mw); err != nil {
		return fmt.Errorf("write %s: %w", metricsPath, err)
	}
	for _, m := range tr.History() {
		if err := train.WriteCSVRow(mw, m); err != nil {
			return fmt.Errorf("write %s: %w", metricsPath, err)
		}
	}
	configPath := filepath.Join(o.out, "config.toml")
	cfg := train.ConfigFromSettings(tr.Data().Name, tr.Preset(), tr.Seed(), o.iterations, tr.Settings())
	if err := cfg.Save(configPath); err != nil {
		return fmt.Errorf("save %s: %w", configPath, err)
	}

	var ev *train.Evaluator
	var qw *csv.Writer
	if o.qualityEvery > 0 {
		fmt.Fprintln(env.Stderr, "preparing the sample-quality figure...")
		ev, err = train.NewEvaluator(ctx, tr.Data(), test, o.seed)
		if err != nil {
			return err
		}
		if ev != nil {
			qf, err := os.Create(filepath.Join(o.out, "quality.csv"))
			if err != nil {
				return fmt.Errorf("create quality.csv: %w", err)
			}
			defer qf.Close()
			qw = csv.NewWriter(qf)
			defer qw.Flush()
			qw.Write([]string{"iteration", "seconds", "figure", "value"})
		}
	}

	fmt.Fprintf(env.Stderr, "training %s on %s (%d samples), %d iterations, BLAS: %s\n",
		tr.Preset(), tr.Data().Name, tr.Data().Len(), o.iterations, backend.Name())
	progress := newProgress(o.iterations, env)
	var trained time.Duration
	rejected := 0
	var interrupted error
	for tr.Iteration() < o.iterations {
		m, event, err := tr.Iterate(ctx, nil)
		if err != nil {
			if ctx.Err() == nil {
				return err
			}
			// Interrupted: keep what was trained.
			interrupted = ctx.Err()
			fmt.Fprintf(env.Stderr, "\ninterrupted at iteration %d; writing the outputs\n", tr.Iteration())
			break
		}
		if event != nil {
			rejected++
			fmt.Fprintf(env.Stderr, "\nguard: %s\n", event)
			if rejected >= 20 {
				return fmt.Errorf("stopped after %d rejected iterations; last: %s", rejected, event)
			}
			continue
		}
		rejected = 0
		trained += time.Duration(m.Seconds * float64(time.Second))
		if err := train.WriteCSVRow(mw, m); err != nil {
			return fmt.Errorf("write %s: %w", metricsPath, err)
		}
		mw.Flush()
		if ev != nil && m.Iteration%o.qualityEvery == 0 {
			for _, name := range train.QualityNames(tr.Data()) {
				v := ev.Evaluate(tr.Buffer())[name]
				qw.Write([]string{fmt.Sprint(m.Iteration), fmt.Sprintf("%.3f", trained.Seconds()), name, fmt.Sprint(v)})
			}
			qw.Flush()
		}
		progress.add(m)
	}
	progress.finish()
	if err := mw.Error(); err != nil {
		return fmt.Errorf("write %s: %w", metricsPath, err)
	}

	samplesPath := filepath.Join(o.out, "samples.png")
	if err := writeSamples(samplesPath, tr, test); err != nil {
		return err
	}
	ckptPath := filepath.Join(o.out, "checkpoint.ebm")
	if err := tr.SaveCheckpoint(ckptPath); err != nil {
		return fmt.Errorf("save %s: %w", ckptPath, err)
	}
	fmt.Fprintf(env.Stdout, "wrote %s, %s, %s and %s\n", metricsPath, configPath, samplesPath, ckptPath)
	return interrupted
}

// writeSamples renders the replay buffer as a grid, or for 2-D data the
// buffer over the energy landscape.
func writeSamples(path string, tr *train.Trainer, test *dataset.Dataset) error {
	d := tr.Data()
	buf := tr.Buffer()
	var img image.Image
	var err error
	if d.IsPoints() {
		n := min(2048, buf.Cap())
		pts := make([]float32, 0, 2*n)
		for i := range n {
			pts = append(pts, buf.Entry(i)...)
		}
		grid := energyGrid(tr.Network(), float64(d.Lo), float64(d.Hi), 100)
		ref := test.X[:2*min(1024, test.Len())]
		img, err = render.Landscape(grid, ref, pts, 600, 600)
		if err != nil {
			return fmt.Errorf("render %s: %w", path, err)
		}
	} else {
		n := min(100, buf.Cap())
		x := make([]float32, 0, n*d.Dim())
		for i := range n {
			x = append(x, buf.Entry(i)...)
		}
		img = render.SampleGrid(x, n, d.C, d.H, d.W, d.Lo, d.Hi, 10, 2)
	}
	return writePNG(path, img)
}

// energyGrid evaluates net on an n×n grid over [lo, hi]².
func energyGrid(net *model.Network, lo, hi float64, n int) render.Grid {
	x := make([]float32, 2*n*n)
	for j := range n {
		for i := range n {
			x[2*(j*n+i)] = float32(lo + (hi-lo)*(float64(i)+0.5)/float64(n))
			x[2*(j*n+i)+1] = float32(lo + (hi-lo)*(float64(j)+0.5)/float64(n))
		}
	}
	e := make([]float32, n*n)
	net.Energy(e, x)
	g := render.Grid{XMin: lo, XMax: hi, YMin: lo, YMax: hi, NX: n, NY: n, E: make([]float64, n*n)}
	for i, v := range e {
		g.E[i] = float64(v)
	}
	return g
}

// writePNG writes img to path through a temporary file, so an
// interrupted write never leaves a half-written picture.
func writePNG(path string, img image.Image) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".samples-*.png")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	defer os.Remove(tmp.Name())
	if err := png.Encode(tmp, img); err != nil {
		tmp.Close()
		return fmt.Errorf("encode %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return os.Rename(tmp.Name(), path)
}

// progress shows a bar with rate and ETA on a terminal, and otherwise a
// plain line every 10% of the run.
type progress struct {
	bar   *progressbar.ProgressBar
	w     io.Writer
	total int
	next  int
	start time.Time
}

func newProgress(total int, env Env) *progress {
	p := &progress{w: env.Stderr, total: total, next: max(1, total/10), start: time.Now()}
	if env.Terminal {
		p.bar = progressbar.NewOptions(total,
			progressbar.OptionSetWriter(env.Stderr),
			progressbar.OptionSetDescription("training"),
			progressbar.OptionShowCount(),
			progressbar.OptionShowIts(),
			progressbar.OptionSetItsString("it"),
			progressbar.OptionSetPredictTime(true),
			progressbar.OptionThrottle(200*time.Millisecond),
			progressbar.OptionClearOnFinish(),
		)
	}
	return p
}

func (p *progress) add(m train.Metrics) {
	if p.bar != nil {
		p.bar.Describe(fmt.Sprintf("training (gap %.3g)", m.Gap))
		p.bar.Add(1)
		return
	}
	if m.Iteration >= p.next || m.Iteration == p.total {
		elapsed := time.Since(p.start)
		rate := float64(m.Iteration) / elapsed.Seconds()
		eta := time.Duration(float64(p.total-m.Iteration) / rate * float64(time.Second))
		fmt.Fprintf(p.w, "iteration %d/%d  %.2f it/s  ETA %s  loss %.4g  gap %.4g\n",
			m.Iteration, p.total, rate, eta.Round(time.Second), m.Loss, m.Gap)
		p.next += max(1, p.total/10)
	}
}

func (p *progress) finish() {
	if p.bar != nil {
		p.bar.Finish()
	}
}

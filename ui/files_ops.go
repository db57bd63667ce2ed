package ui

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"

	"github.com/ebmlab/ebmlab/model"
	"github.com/ebmlab/ebmlab/model/dataset"
	"github.com/ebmlab/ebmlab/model/runconfig"
	"github.com/ebmlab/ebmlab/model/train"
	"github.com/ebmlab/ebmlab/sampler"
)

func (f *fileMenu) showOpenDataFile() { f.showOpenFile(nil, func(p string) { f.openData(p) }) }

func (f *fileMenu) showOpenDataFolder() {
	d := dialog.NewFolderOpen(func(l fyne.ListableURI, err error) {
		if err != nil {
			f.showError(err)
			return
		}
		if l == nil {
			return
		}
		f.remember(filepath.Join(l.Path(), "."))
		f.openData(l.Path())
	}, f.x.win)
	f.startIn(d)
	d.Show()
}

func (f *fileMenu) showOpenCheckpoint() {
	f.showOpenFile([]string{".ebm"}, func(p string) { f.openCheckpoint(p) })
}

func (f *fileMenu) showSaveCheckpoint() {
	f.showSaveFile(fmt.Sprintf("checkpoint-%d.ebm", f.x.eng.Iteration()), f.saveCheckpoint)
}

func (f *fileMenu) showSaveRunConfig() { f.showSaveFile("run.toml", f.saveRunConfig) }

func (f *fileMenu) showLoadRunConfig() {
	f.showOpenFile([]string{".toml"}, func(p string) { f.loadRunConfig(p) })
}

// loadedData is a data set read for the engine, with the warning of a
// source cut to the size limit.
type loadedData struct {
	train, test *dataset.Dataset
	limit       error // a *dataset.LimitError, or nil
}

// readData loads a data set by name or path with progress. A name that
// the data set selector offers is loaded with Options.LoadData, as the
// selector loads it, and anything else with train.OpenData.
func (f *fileMenu) readData(ctx context.Context, name string, seed uint64, p *progress) (loadedData, error) {
	var trainSet, testSet *dataset.Dataset
	var err error
	if o := f.x.opts; o.LoadData != nil && slices.Contains(o.DataNames, name) {
		trainSet, testSet, err = o.LoadData(name)
	} else {
		trainSet, testSet, err = train.OpenData(ctx, name, seed, p.report)
	}
	var limit *dataset.LimitError
	switch {
	case errors.As(err, &limit) && trainSet != nil:
		return loadedData{train: trainSet, test: testSet, limit: limit}, nil
	case ctx.Err() != nil:
		return loadedData{}, fmt.Errorf("opening %s was cancelled: %w", name, ctx.Err())
	case err != nil:
		return loadedData{}, err
	}
	return loadedData{train: trainSet, test: testSet}, nil
}

// limitNote returns the warning shown when a source was cut to the size
// limit, or an empty string.
func limitNote(d loadedData) string {
	if d.limit == nil {
		return ""
	}
	return "Only part of the data was loaded: " + d.limit.Error()
}

// openData reads a user's data set from path with a progress dialog and
// restarts the engine on it with the first preset that fits (the current
// one when it does) and that preset's default settings. A source cut to
// the size limit is loaded with a warning. It runs on the UI goroutine.
func (f *fileMenu) openData(path string) <-chan error {
	preset := f.x.preset
	p := f.newProgress("Opening data", "Reading "+path+"…")
	return f.background("Open data", func() (string, error) {
		defer p.close()
		seed := f.x.eng.RunConfig().Seed
		d, err := f.readData(p.ctx, path, seed, p)
		if err != nil {
			return "", err
		}
		preset, err := fitPreset(d.train, preset, false)
		if err != nil {
			return "", err
		}
		s := train.DefaultSettings(preset, float64(d.train.Lo), float64(d.train.Hi))
		c := train.Config{Data: d.train, Preset: preset, Seed: seed, Settings: s}
		if err := f.x.eng.LoadConfig(p.ctx, c, d.test); err != nil {
			return "", err
		}
		return limitNote(d), nil
	})
}

// saveCheckpoint saves the engine's checkpoint to path, which autosave
// then writes too.
func (f *fileMenu) saveCheckpoint(path string) <-chan error {
	return f.background("Save checkpoint", func() (string, error) {
		if err := f.x.eng.SaveCheckpoint(f.ctx, path); err != nil {
			return "", writeError("checkpoint", err)
		}
		f.setCheckpointPath(path)
		return "Saved the checkpoint to " + path + ".", nil
	})
}

// openCheckpoint reads the checkpoint's metadata and, when its sampler
// settings differ from the controls, lets the user choose which to keep
// before resuming from it. It runs on the UI goroutine, and the returned
// channel receives the outcome of the whole operation.
func (f *fileMenu) openCheckpoint(path string) <-chan error {
	current := f.x.settings.Sampler
	out := make(chan error, 1)
	f.x.loops.Add(1)
	go func() {
		defer f.x.loops.Done()
		meta, err := train.ReadCheckpointMeta(path)
		if err != nil {
			f.onUI(func() { f.showOutcome("Open checkpoint", "", err) })
			out <- err
			return
		}
		f.onUI(func() {
			f.askSampler(path, meta.Settings.Sampler, current, func(keep *sampler.Settings) {
				go func() { out <- <-f.resumeCheckpoint(path, keep) }()
			})
		})
	}()
	return out
}

// resumeCheckpoint loads the checkpoint at path into the engine, with the
// data set it names, replacing its sampler settings by keep when keep is
// not nil. It runs on the UI goroutine.
func (f *fileMenu) resumeCheckpoint(path string, keep *sampler.Settings) <-chan error {
	p := f.newProgress("Opening checkpoint", "Loading "+path+" and the data it was trained on…")
	var limit error
	load := func(ctx context.Context, name string, seed uint64) (*dataset.Dataset, *dataset.Dataset, error) {
		d, err := f.readData(ctx, name, seed, p)
		limit = d.limit
		return d.train, d.test, err
	}
	return f.background("Open checkpoint", func() (string, error) {
		defer p.close()
		if err := f.x.eng.LoadCheckpoint(p.ctx, path, load, keep); err != nil {
			return "", err
		}
		f.setCheckpointPath(path)
		return limitNote(loadedData{limit: limit}), nil
	})
}

// saveRunConfig saves the engine's run configuration to path.
func (f *fileMenu) saveRunConfig(path string) <-chan error {
	return f.background("Save run configuration", func() (string, error) {
		c := f.x.eng.RunConfig()
		if err := c.Save(path); err != nil {
			return "", writeError("run configuration", err)
		}
		return fmt.Sprintf("Saved %s with model %s, seed %d, to %s.", c.Data, c.Model, c.Seed, path), nil
	})
}

// loadRunConfig reads the run configuration at path and restarts the
// engine with its data set, model, seed and settings. The clamp range,
// Adam's ε and the energy bound, which a configuration does not contain,
// come from the model's defaults. It runs on the UI goroutine.
func (f *fileMenu) loadRunConfig(path string) <-chan error {
	p := f.newProgress("Loading run configuration", "Reading "+path+" and its data…")
	return f.background("Load run configuration", func() (string, error) {
		defer p.close()
		c, err := runconfig.Load(path)
		if err != nil {
			return "", err
		}
		if _, err := model.PresetInShape(c.Model); err != nil {
			return "", fmt.Errorf("run configuration %s: %w: set model to one of %v", path, err, model.PresetNames())
		}
		d, err := f.readData(p.ctx, c.Data, c.Seed, p)
		if err != nil {
			return "", fmt.Errorf("run configuration %s: data %q cannot be loaded: %w", path, c.Data, err)
		}
		s := train.SettingsFromConfig(c, train.DefaultSettings(c.Model, float64(d.train.Lo), float64(d.train.Hi)))
		if err := s.Validate(); err != nil {
			return "", fmt.Errorf("run configuration %s: %w: edit the file", path, err)
		}
		cfg := train.Config{Data: d.train, Preset: c.Model, Seed: c.Seed, Settings: s}
		if err := f.x.eng.LoadConfig(p.ctx, cfg, d.test); err != nil {
			return "", fmt.Errorf("run configuration %s: %w", path, err)
		}
		return limitNote(d), nil
	})
}

// setCheckpointPath makes path the autosave file and moves a running
// autosave there.
func (f *fileMenu) setCheckpointPath(path string) {
	f.mu.Lock()
	f.ckpt = path
	f.mu.Unlock()
	f.onUI(func() {
		prefs := f.x.opts.Prefs
		if prefs != nil {
			prefs.SetString(prefAutosavePath, path)
		}
		f.setAutosave(f.minutes)
	})
}

// autosavePath returns the file autosave writes: the last checkpoint
// saved or opened, or autosaveName in the app's storage folder.
func (f *fileMenu) autosavePath() string {
	f.mu.Lock()
	path := f.ckpt
	f.mu.Unlock()
	if path != "" {
		return path
	}
	if a := fyne.CurrentApp(); a != nil && a.Storage() != nil && a.Storage().RootURI() != nil {
		return filepath.Join(a.Storage().RootURI().Path(), autosaveName)
	}
	return autosaveName
}

// restoreAutosave applies the autosave interval and file saved in the
// preferences.
func (f *fileMenu) restoreAutosave() {
	p := f.x.opts.Prefs
	if p == nil {
		f.setAutosave(0)
		return
	}
	f.mu.Lock()
	f.ckpt = p.String(prefAutosavePath)
	f.mu.Unlock()
	f.setAutosave(p.Int(prefAutosaveMinutes))
}

// setAutosave saves a checkpoint every given number of minutes while
// training, or never for 0, and stores the choice. It runs on the UI
// goroutine.
func (f *fileMenu) setAutosave(minutes int) {
	f.minutes = max(minutes, 0)
	f.startAutosave(time.Duration(f.minutes) * time.Minute)
	if p := f.x.opts.Prefs; p != nil {
		p.SetInt(prefAutosaveMinutes, f.minutes)
	}
	for i, item := range f.autosaveItems {
		item.Checked = autosaveChoices[i] == f.minutes
	}
	f.autosaveTo.Label = "Saves to " + f.autosavePath()
	f.menu.Refresh()
}

// startAutosave sets the autosave interval, where 0 switches autosave off.
func (f *fileMenu) startAutosave(every time.Duration) {
	f.autosave.Set(f.autosavePath(), every)
}

// autosaved reports a failed autosave and switches autosave off, so that
// the error is not repeated every interval. It runs on the engine
// goroutine.
func (f *fileMenu) autosaved(path string, err error) {
	if err == nil {
		return
	}
	err = fmt.Errorf("autosave switched off: %w: %s, then choose File > Autosave checkpoint again", err, writeHint)
	f.onUI(func() {
		f.setAutosave(0)
		f.showOutcome("Autosave", "", err)
	})
}

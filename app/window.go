package main

import (
	"context"
	"log/slog"
	"os"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"

	"github.com/ebmlab/ebmlab/assets"
	"github.com/ebmlab/ebmlab/model"
	"github.com/ebmlab/ebmlab/model/backend"
	"github.com/ebmlab/ebmlab/model/dataset"
	"github.com/ebmlab/ebmlab/model/train"
	"github.com/ebmlab/ebmlab/ui"
)

// Application metadata; FyneApp.toml holds the same values for the fyne
// packaging tool, and a test keeps the two in step.
const (
	appID      = "io.github.ebmlab.ebmlab"
	appName    = "EBM Lab"
	appVersion = "0.1.0"
	appBuild   = 1
)

// defaultData and defaultSeed are what the window starts with.
const (
	defaultData   = "mnist"
	defaultPreset = "mnist-cnn"
	defaultSeed   = 1
)

// logEvery is how often the window logs training progress.
const logEvery = 10 * time.Second

// runWindow opens the explorer on the embedded MNIST subset and trains
// until the window closes or ctx ends; it returns the exit status.
func runWindow(ctx context.Context) int {
	log := newLogger()
	fyneapp.SetMetadata(fyne.AppMetadata{
		ID:         appID,
		Name:       appName,
		Version:    appVersion,
		Build:      appBuild,
		Icon:       fyne.NewStaticResource("icon.png", assets.Icon),
		Migrations: map[string]bool{"fyneDo": true},
	})
	a := fyneapp.NewWithID(appID)
	a.SetIcon(fyne.NewStaticResource("icon.png", assets.Icon))
	w := a.NewWindow(appName)

	dataName, preset := startChoice(a.Preferences(), log)
	trainSet, testSet, err := dataset.Load(dataName, defaultSeed)
	if err != nil {
		log.Error("load data", "data", dataName, "err", err)
		return 1
	}
	settings := ui.RestoredSettings(a.Preferences(), preset, float64(trainSet.Lo), float64(trainSet.Hi))

	var explorer atomic.Pointer[ui.Explorer]
	var lastLog time.Time
	var loggedEvents int
	eng, err := train.NewEngine(train.EngineConfig{
		Trainer: train.Config{Data: trainSet, Preset: preset, Seed: defaultSeed, Settings: settings},
		Test:    testSet,
		OnSnapshot: func(s *train.Snapshot) {
			if time.Since(lastLog) >= logEvery && s.Iteration > 0 {
				lastLog = time.Now()
				log.Info("training", "iteration", s.Iteration, "iterations_per_s", s.ItersPerSec,
					"gap", lastGap(s), "backend", s.Backend)
			}
			if fresh := s.EventCount - loggedEvents; fresh > 0 {
				for _, ev := range s.Events[max(0, len(s.Events)-fresh):] {
					log.Warn("divergence guard", "event", ev.String())
				}
			}
			loggedEvents = s.EventCount
			if x := explorer.Load(); x != nil {
				x.OnSnapshot(s)
			}
		},
	})
	if err != nil {
		log.Error("start engine", "err", err)
		return 1
	}

	x := ui.NewExplorer(w, eng, ui.Options{
		Prefs:     a.Preferences(),
		LoadData:  func(name string) (*dataset.Dataset, *dataset.Dataset, error) { return dataset.Load(name, defaultSeed) },
		DataNames: dataset.Names(),
	})
	explorer.Store(x)
	w.SetContent(x.Content())

	// The engine runs until the window closes or a signal arrives.
	runCtx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		if err := eng.Run(runCtx); err != nil {
			log.Error("engine stopped", "err", err)
		}
	}()
	// Fyne's driver quits the event loop itself on SIGINT and SIGTERM
	// (fyne v2.7.1, internal/driver/glfw), so a signal needs no handling
	// here beyond stopping the engine through ctx.
	eng.SetRunning(true)
	log.Info("window open", "data", dataName, "model", preset, "backend", backend.Name())

	w.ShowAndRun()

	// Stop the render goroutine first: once the event loop has ended,
	// fyne.Do runs on the caller's goroutine, so no frame may arrive
	// after this point.
	x.Close()
	cancel()
	wg.Wait()
	log.Info("window closed", "iteration", eng.Iteration())
	return 0
}

// startChoice returns the data set and preset used last, or the defaults
// when none was saved or the saved pair no longer fits.
func startChoice(p fyne.Preferences, log *slog.Logger) (data, preset string) {
	data, preset = ui.LastChoice(p)
	if data == "" {
		return defaultData, defaultPreset
	}
	if _, err := model.PresetInShape(preset); err != nil || !slices.Contains(dataset.Names(), data) {
		log.Warn("saved data set or model not available; using the defaults", "data", data, "model", preset)
		return defaultData, defaultPreset
	}
	return data, preset
}

func lastGap(s *train.Snapshot) float64 {
	if len(s.History) == 0 {
		return 0
	}
	return s.History[len(s.History)-1].Gap
}

// newLogger logs to standard error; EBMLAB_LOG=debug adds debug records.
func newLogger() *slog.Logger {
	level := slog.LevelInfo
	if os.Getenv("EBMLAB_LOG") == "debug" {
		level = slog.LevelDebug
	}
	return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))
}

package ui

import (
	"errors"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"github.com/ebmlab/ebmlab/model/dataset"
	"github.com/ebmlab/ebmlab/model/train"
)

// The tests below feed snapshots to the explorer with update on the test
// goroutine, because the test driver runs fyne.Do on the calling
// goroutine: a render goroutine would change widgets while the test reads
// them.

func TestUpdateButtonRunsOneIteration(t *testing.T) {
	rec := newSnapshots()
	eng := newEngine(t, rec, true)
	x, _, _ := newTestExplorer(t, eng, Options{})
	x.update(rec.waitFor(t, "the first snapshot", func(*train.Snapshot) bool { return true }))

	test.Tap(x.updateButton)
	s := rec.waitFor(t, "iteration 1", func(s *train.Snapshot) bool { return s.Iteration == 1 })
	x.update(s)

	if s.Running {
		t.Error("Update started continuous training")
	}
	if len(s.History) != 1 {
		t.Errorf("history has %d entries, want 1", len(s.History))
	}
	if !strings.Contains(x.status.Text, "iteration 1") {
		t.Errorf("status %q does not show iteration 1", x.status.Text)
	}
}

func TestStepButtonAddsChainFrame(t *testing.T) {
	rec := newSnapshots()
	eng := newEngine(t, rec, true)
	x, _, _ := newTestExplorer(t, eng, Options{})
	first := rec.waitFor(t, "the first snapshot", func(*train.Snapshot) bool { return true })
	x.update(first)
	frames := len(first.Chain)

	test.Tap(x.stepButton)
	s := rec.waitFor(t, "one more chain frame", func(s *train.Snapshot) bool { return len(s.Chain) == frames+1 })
	x.update(s)

	if s.Iteration != 0 {
		t.Errorf("Step trained: iteration %d", s.Iteration)
	}
	if got := s.Chain[len(s.Chain)-1].Step; got != 1 {
		t.Errorf("last frame at step %d, want 1", got)
	}
	want := strconv.Itoa(frames+1) + " frames up to step 1"
	if !strings.Contains(x.captions[chainView].Text, want) {
		t.Errorf("chain caption %q does not contain %q", x.captions[chainView].Text, want)
	}
}

func TestResetAfterConfirmation(t *testing.T) {
	rec := newSnapshots()
	eng := newEngine(t, rec, true)
	x, _, _ := newTestExplorer(t, eng, Options{})
	test.Tap(x.updateButton)
	test.Tap(x.updateButton)
	x.update(rec.waitFor(t, "iteration 2", func(s *train.Snapshot) bool { return s.Iteration == 2 }))

	test.Tap(x.resetButton)
	if x.resetDialog == nil {
		t.Fatal("Reset showed no confirmation dialog")
	}
	x.resetDialog.Confirm()
	s := rec.waitFor(t, "a reset model", func(s *train.Snapshot) bool { return s.Message == "model reset" })
	x.update(s)

	if s.Iteration != 0 || len(s.History) != 0 {
		t.Errorf("after reset: iteration %d, %d history entries; want 0 and 0", s.Iteration, len(s.History))
	}
	if !strings.Contains(x.status.Text, "iteration 0") {
		t.Errorf("status %q does not show iteration 0", x.status.Text)
	}
}

func TestResetCancelledKeepsModel(t *testing.T) {
	rec := newSnapshots()
	eng := newEngine(t, rec, true)
	x, _, _ := newTestExplorer(t, eng, Options{})
	test.Tap(x.updateButton)
	rec.waitFor(t, "iteration 1", func(s *train.Snapshot) bool { return s.Iteration == 1 })

	test.Tap(x.resetButton)
	x.resetDialog.Dismiss()
	test.Tap(x.stepButton)
	s := rec.waitFor(t, "a chain step", func(s *train.Snapshot) bool { return strings.HasPrefix(s.Message, "visible chains") })

	if s.Iteration != 1 {
		t.Errorf("iteration %d after a cancelled reset, want 1", s.Iteration)
	}
}

func TestStartPauseFollowsEngine(t *testing.T) {
	rec := newSnapshots()
	eng := newEngine(t, rec, true)
	x, _, _ := newTestExplorer(t, eng, Options{})
	x.update(rec.waitFor(t, "the first snapshot", func(*train.Snapshot) bool { return true }))
	if x.startButton.Text != "Start" {
		t.Fatalf("button reads %q while paused, want Start", x.startButton.Text)
	}

	test.Tap(x.startButton)
	x.update(rec.waitFor(t, "training", func(s *train.Snapshot) bool { return s.Running && s.Iteration > 0 }))
	if x.startButton.Text != "Pause" {
		t.Errorf("button reads %q while training, want Pause", x.startButton.Text)
	}

	test.Tap(x.startButton)
	s := rec.waitFor(t, "paused", func(s *train.Snapshot) bool { return !s.Running })
	x.update(s)
	if x.startButton.Text != "Start" {
		t.Errorf("button reads %q after pausing, want Start", x.startButton.Text)
	}
	if !strings.Contains(x.status.Text, "paused") {
		t.Errorf("status %q does not say paused", x.status.Text)
	}
}

func TestKeyboardShortcuts(t *testing.T) {
	rec := newSnapshots()
	eng := newEngine(t, rec, true)
	x, w, _ := newTestExplorer(t, eng, Options{})

	test.TypeOnCanvas(w.Canvas(), "u")
	rec.waitFor(t, "iteration 1 after U", func(s *train.Snapshot) bool { return s.Iteration == 1 })

	// A focused slider passes the keys on.
	x.stepSize.slider.TypedRune('U')
	rec.waitFor(t, "iteration 2 after U on a slider", func(s *train.Snapshot) bool { return s.Iteration == 2 })

	// Typing into an entry goes to the entry only. Commands run in order,
	// so once the S below has run, an update from the typing would have too.
	test.Type(controlByName(t, x, batchSpec.name).entry, "u ")
	test.TypeOnCanvas(w.Canvas(), "s")
	s := rec.waitFor(t, "a chain step after S", func(s *train.Snapshot) bool { return strings.HasPrefix(s.Message, "visible chains") })
	if s.Iteration != 2 || s.Running {
		t.Errorf("typing into an entry reached the engine: iteration %d, running %v", s.Iteration, s.Running)
	}

	test.TypeOnCanvas(w.Canvas(), " ")
	rec.waitFor(t, "training after Space", func(s *train.Snapshot) bool { return s.Running })
	test.TypeOnCanvas(w.Canvas(), " ")
	rec.waitFor(t, "paused after Space", func(s *train.Snapshot) bool { return !s.Running })
}

func TestSettingsTakeEffectWhileTraining(t *testing.T) {
	rec := newSnapshots()
	eng := newEngine(t, rec, true)
	x, _, _ := newTestExplorer(t, eng, Options{})
	test.Tap(x.startButton)
	rec.waitFor(t, "training", func(s *train.Snapshot) bool { return s.Running && s.Iteration > 0 })

	steps := controlByName(t, x, stepsSpec.name)
	steps.entry.SetText("7")
	steps.entry.TypedKey(enterKey)

	s := rec.waitFor(t, "an iteration with 7 steps", func(s *train.Snapshot) bool {
		return len(s.History) > 0 && s.History[len(s.History)-1].Steps == 7
	})
	if s.Settings.Sampler.Steps != 7 {
		t.Errorf("snapshot settings have %d steps, want 7", s.Settings.Sampler.Steps)
	}
	test.Tap(x.startButton)
}

func TestPreferencesRoundTrip(t *testing.T) {
	eng := newEngine(t, nil, false)
	x, _, a := newTestExplorer(t, eng, Options{})
	x.update(pointsSnapshot(1)) // names the preset the settings belong to
	d := toyData(t, "8gaussians")

	for _, in := range []struct {
		control *numberControl
		text    string
	}{
		{x.stepSize, "0.02"},
		{controlByName(t, x, stepsSpec.name), "33"},
		{controlByName(t, x, batchSpec.name), "48"},
		{controlByName(t, x, learningRateSpec.name), "0.0005"},
	} {
		in.control.entry.SetText(in.text)
		in.control.entry.TypedKey(enterKey)
	}
	test.Tap(x.temperature1)

	got := RestoredSettings(a.Preferences(), "mlp-2d", float64(d.Lo), float64(d.Hi))
	if want := eng.Settings(); got != want {
		t.Errorf("restored settings\n%+v\nwant the settings in force\n%+v", got, want)
	}
	other := RestoredSettings(a.Preferences(), "mnist-cnn", -1, 1)
	if want := train.DefaultSettings("mnist-cnn", -1, 1); other != want {
		t.Errorf("settings of another preset = %+v, want its defaults", other)
	}
}

func TestRestoredSettingsFallBack(t *testing.T) {
	defaults := train.DefaultSettings("mlp-2d", -4, 4)
	halfStep := defaults
	halfStep.Sampler.StepSize = 0.5
	cases := []struct {
		name  string
		saved map[string]float64
		want  train.Settings
	}{
		{"nothing saved", nil, defaults},
		{"invalid step size", map[string]float64{"step_size": -1}, defaults},
		{"invalid reinit rate", map[string]float64{"reinit": 2}, defaults},
		{"valid step size", map[string]float64{"step_size": 0.5}, halfStep},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := test.NewTempApp(t).Preferences()
			for field, v := range tc.saved {
				p.SetFloat(settingKey("mlp-2d", field), v)
			}
			if got := RestoredSettings(p, "mlp-2d", -4, 4); got != tc.want {
				t.Errorf("got %+v, want %+v", got, tc.want)
			}
		})
	}
	if got := RestoredSettings(nil, "mlp-2d", -4, 4); got != defaults {
		t.Errorf("nil preferences: got %+v, want the defaults", got)
	}
}

func TestCloseStopsRenderGoroutine(t *testing.T) {
	eng := newEngine(t, nil, false)
	a := test.NewTempApp(t)
	w := test.NewWindow(nil)
	defer w.Close()
	before := runtime.NumGoroutine()

	x := NewExplorer(w, eng, Options{Prefs: a.Preferences()})
	w.SetContent(x.Content())
	for i := range 3 {
		x.OnSnapshot(imageSnapshot(i + 1))
	}
	deadline := time.Now().Add(waitLimit)
	for x.frames.Load() == 0 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if x.frames.Load() == 0 {
		t.Fatal("the render goroutine applied no frame")
	}
	x.Close()
	x.Close()

	// The render goroutine has returned once Close returns; other
	// goroutines of the test app may take a moment to settle.
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > before {
		t.Errorf("%d goroutines after Close, %d before NewExplorer", n, before)
	}
	if !strings.Contains(x.status.Text, "iteration") {
		t.Errorf("status %q after rendering snapshots", x.status.Text)
	}
}

func TestDataSwitchLoadsOffUIGoroutine(t *testing.T) {
	rec := newSnapshots()
	eng := newEngine(t, rec, true)
	calls := make(chan string, 4)
	load := func(name string) (*dataset.Dataset, *dataset.Dataset, error) {
		calls <- name
		if name == "broken" {
			return nil, nil, errors.New("file not found")
		}
		return toyData(t, name), nil, nil
	}
	x, _, a := newTestExplorer(t, eng, Options{LoadData: load, DataNames: []string{"8gaussians", "2moons", "broken"}})
	ui := useUIQueue(x)
	x.update(rec.waitFor(t, "the first snapshot", func(*train.Snapshot) bool { return true }))
	if x.dataSelect.Selected != "8gaussians" || x.presetSelect.Selected != "mlp-2d" {
		t.Fatalf("selectors show %q and %q, want the engine's data and preset", x.dataSelect.Selected, x.presetSelect.Selected)
	}

	x.dataSelect.SetSelected("2moons")
	ui.runNext(t)
	s := rec.waitFor(t, "2moons loaded", func(s *train.Snapshot) bool { return s.DataName == "2moons" })
	x.update(s)

	if got := <-calls; got != "2moons" {
		t.Errorf("LoadData called with %q, want 2moons", got)
	}
	if s.Preset != "mlp-2d" || s.Iteration != 0 {
		t.Errorf("after the switch: preset %q, iteration %d; want mlp-2d and 0", s.Preset, s.Iteration)
	}
	if want := train.DefaultSettings("mlp-2d", -4, 4); s.Settings != want {
		t.Errorf("settings after the switch = %+v, want the preset defaults", s.Settings)
	}
	if data, preset := LastChoice(a.Preferences()); data != "2moons" || preset != "mlp-2d" {
		t.Errorf("saved choice %q, %q; want 2moons, mlp-2d", data, preset)
	}
	if x.dataSelect.Disabled() {
		t.Error("data selector still disabled after loading")
	}

	x.dataSelect.SetSelected("broken")
	ui.runNext(t)
	if !strings.Contains(x.message.Text, "cannot load broken: file not found") {
		t.Errorf("message %q does not report the failed load", x.message.Text)
	}
	if x.dataSelect.Selected != "2moons" {
		t.Errorf("data selector shows %q after a failed load, want 2moons", x.dataSelect.Selected)
	}

	// A preset that does not fit the data is refused before loading.
	x.presetSelect.SetSelected("mnist-cnn")
	ui.runNext(t)
	if !strings.Contains(x.message.Text, `model "mnist-cnn" does not fit`) {
		t.Errorf("message %q does not report the misfit", x.message.Text)
	}
	if x.presetSelect.Selected != "mlp-2d" {
		t.Errorf("preset selector shows %q, want mlp-2d", x.presetSelect.Selected)
	}
}

// uiQueue replaces the UI goroutine in a test. The explorer queues
// functions on it, and the test goroutine runs them one by one.
type uiQueue chan func()

func useUIQueue(x *Explorer) uiQueue {
	q := make(uiQueue, 8)
	x.do = func(f func()) { q <- f }
	return q
}

// runNext runs the next queued function on the test goroutine.
func (q uiQueue) runNext(t *testing.T) {
	t.Helper()
	select {
	case f := <-q:
		f()
	case <-time.After(waitLimit):
		t.Fatalf("nothing queued for the UI goroutine within %v", waitLimit)
	}
}

func TestFitPreset(t *testing.T) {
	points := &dataset.Dataset{Name: "8gaussians", C: 2, H: 1, W: 1}
	digits := &dataset.Dataset{Name: "mnist", C: 1, H: 28, W: 28}
	odd := &dataset.Dataset{Name: "odd", C: 1, H: 5, W: 5}
	cases := []struct {
		name    string
		data    *dataset.Dataset
		preset  string
		keep    bool
		want    string
		wantErr string
	}{
		{"fits", points, "mlp-2d", false, "mlp-2d", ""},
		{"chooses a fitting preset", points, "mnist-cnn", false, "mlp-2d", ""},
		{"chooses for images", digits, "mlp-2d", false, "mnist-cnn", ""},
		{"kept preset must fit", points, "mnist-cnn", true, "", "does not fit"},
		{"nothing fits", odd, "mlp-2d", false, "", "no model fits"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := fitPreset(tc.data, tc.preset, tc.keep)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Errorf("error %v, want one containing %q", err, tc.wantErr)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Errorf("got %q, %v; want %q", got, err, tc.want)
			}
		})
	}
}

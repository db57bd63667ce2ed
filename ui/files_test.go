package ui

import (
	"bytes"
	"encoding/csv"
	"errors"
	"image"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/ebmlab/ebmlab/model/dataset"
	"github.com/ebmlab/ebmlab/model/export"
	"github.com/ebmlab/ebmlab/model/runconfig"
	"github.com/ebmlab/ebmlab/model/train"
	"github.com/ebmlab/ebmlab/sampler"
)

// filesHarness is an explorer on a running 8-Gaussians engine with a File
// menu of its own, whose methods the tests call with paths in place of
// the file dialogs.
type filesHarness struct {
	eng *train.Engine
	rec *snapshots
	x   *Explorer
	w   fyne.Window
	f   *fileMenu
	q   uiQueue // functions for the UI goroutine, which wait runs
}

func newFilesHarness(t *testing.T) *filesHarness {
	t.Helper()
	rec := newSnapshots()
	eng := newEngine(t, rec, true)
	points := toyData(t, "8gaussians")
	x, w, _ := newTestExplorer(t, eng, Options{
		LoadData:  func(string) (*dataset.Dataset, *dataset.Dataset, error) { return points, nil, nil },
		DataNames: []string{"8gaussians"},
	})
	// The queue is long enough that no goroutine blocks on it when a test
	// ends without draining it.
	q := make(uiQueue, 256)
	x.do = func(f func()) { q <- f }
	return &filesHarness{eng: eng, rec: rec, x: x, w: w, f: newFileMenu(x), q: q}
}

// wait runs queued UI functions until a file operation ends, then the
// ones it queued last, and returns its outcome.
func (h *filesHarness) wait(t *testing.T, done <-chan error) error {
	t.Helper()
	deadline := time.After(waitLimit)
	for {
		select {
		case err := <-done:
			h.drain()
			return err
		case f := <-h.q:
			f()
		case <-deadline:
			t.Fatalf("file operation did not finish within %v", waitLimit)
		}
	}
}

// drain runs the queued UI functions.
func (h *filesHarness) drain() {
	for {
		select {
		case f := <-h.q:
			f()
		default:
			return
		}
	}
}

// updateTo runs single iterations until the engine has accepted n.
func (h *filesHarness) updateTo(t *testing.T, n int) *train.Snapshot {
	t.Helper()
	for i := h.eng.Iteration(); i < n; i++ {
		h.eng.Update()
	}
	return h.rec.waitFor(t, "iteration "+strconv.Itoa(n), func(s *train.Snapshot) bool { return s.Iteration == n })
}

// overlayText returns the text of every label in the window's top
// overlay, where dialogs show.
func overlayText(w fyne.Window) string {
	top := w.Canvas().Overlays().Top()
	if top == nil {
		return ""
	}
	var b strings.Builder
	for _, o := range test.LaidOutObjects(top) {
		switch v := o.(type) {
		case *widget.Label:
			b.WriteString(v.Text + "\n")
		case *canvas.Text:
			b.WriteString(v.Text + "\n")
		}
	}
	return b.String()
}

func TestFilesCheckpointSaveOpen(t *testing.T) {
	h := newFilesHarness(t)
	saved := h.updateTo(t, 3)
	path := filepath.Join(t.TempDir(), "run.ebm")
	if err := h.wait(t, h.f.saveCheckpoint(path)); err != nil {
		t.Fatal(err)
	}
	if got := h.f.autosavePath(); got != path {
		t.Errorf("autosave path %q after saving, want %q", got, path)
	}
	h.updateTo(t, 5)

	if err := h.wait(t, h.f.openCheckpoint(path)); err != nil {
		t.Fatal(err)
	}
	s := h.rec.waitFor(t, "resumed state", func(s *train.Snapshot) bool { return strings.HasPrefix(s.Message, "resumed") })
	if s.Iteration != 3 || len(s.History) != 3 {
		t.Errorf("after opening: iteration %d with %d metrics, want 3 and 3", s.Iteration, len(s.History))
	}
	for i := range s.History {
		if s.History[i].Loss != saved.History[i].Loss {
			t.Errorf("iteration %d loss %v after opening, saved %v", i+1, s.History[i].Loss, saved.History[i].Loss)
		}
	}
}

func TestFilesOpenDamagedCheckpoint(t *testing.T) {
	h := newFilesHarness(t)
	h.updateTo(t, 2)
	path := filepath.Join(t.TempDir(), "run.ebm")
	if err := h.wait(t, h.f.saveCheckpoint(path)); err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(path, info.Size()/2); err != nil {
		t.Fatal(err)
	}
	h.updateTo(t, 4)
	h.eng.SetRunning(true)

	err = h.wait(t, h.f.openCheckpoint(path))
	if err == nil || !strings.Contains(err.Error(), path) {
		t.Fatalf("opening a truncated checkpoint: %v, want an error naming %s", err, path)
	}
	if text := overlayText(h.w); !strings.Contains(text, "run.ebm") {
		t.Errorf("error dialog text %q does not name the file", text)
	}
	s := h.rec.waitFor(t, "more training", func(s *train.Snapshot) bool { return s.Running && s.Iteration >= 6 })
	if len(s.History) != s.Iteration {
		t.Errorf("%d metrics at iteration %d after the failed open", len(s.History), s.Iteration)
	}
}

func TestFilesSamplerChooser(t *testing.T) {
	checkpoint := sampler.Settings{StepSize: 0.01, Noise: 0.005, Steps: 100, Clamp: true, Lo: -4, Hi: 4}
	current := checkpoint
	current.StepSize, current.Steps = 0.02, 40

	diffs := samplerDiffs(checkpoint, current)
	want := []settingDiff{{"step size λ", "0.01", "0.02"}, {"Langevin steps", "100", "40"}}
	if !reflect.DeepEqual(diffs, want) {
		t.Errorf("differences %v, want %v", diffs, want)
	}
	if d := samplerDiffs(checkpoint, checkpoint); len(d) != 0 {
		t.Errorf("equal settings differ in %v", d)
	}

	tests := []struct {
		name     string
		choose   func(f *fileMenu)
		wantKeep *sampler.Settings
	}{
		{"keep checkpoint's", func(f *fileMenu) { f.chooser.Confirm() }, nil},
		{"keep current", func(f *fileMenu) { f.chooser.Dismiss() }, &current},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newFilesHarness(t)
			calls := 0
			var got *sampler.Settings
			h.f.askSampler("/tmp/a.ebm", checkpoint, current, func(keep *sampler.Settings) {
				calls++
				got = keep
			})
			if h.f.chooser == nil || calls != 0 {
				t.Fatalf("no chooser shown (%d calls before a choice)", calls)
			}
			text := overlayText(h.w)
			for _, s := range []string{"a.ebm", "step size λ", "0.01", "0.02", "Langevin steps"} {
				if !strings.Contains(text, s) {
					t.Errorf("chooser text lacks %q:\n%s", s, text)
				}
			}
			tt.choose(h.f)
			if calls != 1 || !reflect.DeepEqual(got, tt.wantKeep) {
				t.Errorf("%d calls with %+v, want 1 with %+v", calls, got, tt.wantKeep)
			}
		})
	}

	h := newFilesHarness(t)
	called := false
	h.f.askSampler("a.ebm", checkpoint, checkpoint, func(keep *sampler.Settings) { called = keep == nil })
	if !called || h.f.chooser != nil {
		t.Error("equal settings showed the chooser or did not proceed with the checkpoint's")
	}
}

func TestFilesResumeKeepsChosenSampler(t *testing.T) {
	h := newFilesHarness(t)
	h.updateTo(t, 1)
	path := filepath.Join(t.TempDir(), "run.ebm")
	if err := h.wait(t, h.f.saveCheckpoint(path)); err != nil {
		t.Fatal(err)
	}
	saved := h.eng.Settings().Sampler
	current := saved
	current.StepSize = 0.003

	if err := h.wait(t, h.f.resumeCheckpoint(path, &current)); err != nil {
		t.Fatal(err)
	}
	if got := h.eng.Settings().Sampler.StepSize; got != 0.003 {
		t.Errorf("step size %v after keeping the current settings, want 0.003", got)
	}
	if err := h.wait(t, h.f.resumeCheckpoint(path, nil)); err != nil {
		t.Fatal(err)
	}
	if got := h.eng.Settings().Sampler.StepSize; got != saved.StepSize {
		t.Errorf("step size %v after keeping the checkpoint's, want %v", got, saved.StepSize)
	}
}

func TestFilesExportPictures(t *testing.T) {
	h := newFilesHarness(t)
	s := imageSnapshot(5)
	h.x.mu.Lock()
	h.x.latest = s
	o := h.x.view.clone()
	h.x.mu.Unlock()

	tests := []struct {
		v    view
		draw func(*train.Snapshot, viewOptions) (image.Image, string)
	}{
		{samplesView, drawSamples},
		{chainView, drawChain},
		{curvesView, drawCurves},
	}
	dir := t.TempDir()
	for _, tt := range tests {
		name := exportNames[tt.v].stem
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(dir, name+".png")
			if err := h.wait(t, h.f.exportPicture(tt.v, path)); err != nil {
				t.Fatal(err)
			}
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			got, err := png.Decode(bytes.NewReader(data))
			if err != nil {
				t.Fatal(err)
			}
			want, _ := tt.draw(s, o)
			if got.Bounds().Size() != want.Bounds().Size() {
				t.Errorf("exported %v pixels, the view draws %v", got.Bounds().Size(), want.Bounds().Size())
			}
			if got.Bounds().Dx() < 16 || got.Bounds().Dy() < 8 {
				t.Errorf("exported picture of only %v pixels", got.Bounds().Size())
			}
		})
	}
}

func TestFilesExportPictureNothingYet(t *testing.T) {
	h := newFilesHarness(t)
	h.x.mu.Lock()
	h.x.latest = &train.Snapshot{}
	h.x.mu.Unlock()
	path := filepath.Join(t.TempDir(), "curves.png")
	err := h.wait(t, h.f.exportPicture(curvesView, path))
	if err == nil || !strings.Contains(err.Error(), "train") {
		t.Errorf("export without history: %v, want an error that says to train first", err)
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a failed export touched %s: %v", path, err)
	}
}

func TestFilesExportMetricsAndBuffer(t *testing.T) {
	h := newFilesHarness(t)
	h.updateTo(t, 3)
	dir := t.TempDir()

	csvPath := filepath.Join(dir, "metrics.csv")
	if err := h.wait(t, h.f.exportMetrics(csvPath)); err != nil {
		t.Fatal(err)
	}
	rows := readCSV(t, csvPath)
	if len(rows) != 4 || rows[0][0] != "iteration" {
		t.Errorf("metrics CSV has %d rows starting %v, want a header and 3 rows", len(rows), rows[0])
	}

	npyPath := filepath.Join(dir, "buffer.npy")
	if err := h.wait(t, h.f.exportBuffer(npyPath)); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(npyPath)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	x, shape, err := export.ReadNPY(f)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(shape, []int{64, 2}) || len(x) != 128 {
		t.Errorf("buffer shape %v with %d values, want [64 2] with 128", shape, len(x))
	}
}

func TestFilesExportDropEnergies(t *testing.T) {
	h := newFilesHarness(t)
	path := filepath.Join(t.TempDir(), "energies.csv")
	if err := h.wait(t, h.f.exportDropEnergies(path)); !errors.Is(err, errNoDrops) {
		t.Errorf("export without drops: %v, want errNoDrops", err)
	}

	h.x.drops.mu.Lock()
	h.x.drops.items = []dropItem{
		{path: "/data/a.png", energy: -1.5, pctData: 40, pctSamples: math.NaN()},
		{path: "/data/b.txt", energy: math.NaN(), pctData: math.NaN(), pctSamples: math.NaN(), err: errors.New("b.txt: not an image")},
	}
	h.x.drops.mu.Unlock()
	if err := h.wait(t, h.f.exportDropEnergies(path)); err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		dropEnergiesHeader,
		{"/data/a.png", "-1.5", "40", "", ""},
		{"/data/b.txt", "", "", "", "b.txt: not an image"},
	}
	if got := readCSV(t, path); !reflect.DeepEqual(got, want) {
		t.Errorf("energies CSV\n got %q\nwant %q", got, want)
	}
}

func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func TestFilesRunConfigRoundTrip(t *testing.T) {
	h := newFilesHarness(t)
	h.updateTo(t, 2)
	dir := t.TempDir()
	first := filepath.Join(dir, "first.toml")
	if err := h.wait(t, h.f.saveRunConfig(first)); err != nil {
		t.Fatal(err)
	}
	c, err := runconfig.Load(first)
	if err != nil {
		t.Fatal(err)
	}
	if c.Data != "8gaussians" || c.Model != "mlp-2d" || c.Seed != 1 || c.Sampler.Steps != 4 {
		t.Fatalf("saved configuration %+v, want 8gaussians, mlp-2d, seed 1, 4 steps", c)
	}

	c.Data, c.Seed, c.Sampler.Steps, c.Train.Batch = "2moons", 9, 3, 8
	second := filepath.Join(dir, "second.toml")
	if err := c.Save(second); err != nil {
		t.Fatal(err)
	}
	if err := h.wait(t, h.f.loadRunConfig(second)); err != nil {
		t.Fatal(err)
	}
	got := h.eng.RunConfig()
	c.Iterations = 0
	if !reflect.DeepEqual(got, c) {
		t.Errorf("run after loading\n got %+v\nwant %+v", got, c)
	}
}

func TestFilesLoadRunConfigErrors(t *testing.T) {
	h := newFilesHarness(t)
	dir := t.TempDir()
	good := train.ConfigFromSettings("8gaussians", "mlp-2d", 1, 0, h.eng.Settings())
	write := func(name string, edit func(c *runconfig.Config)) string {
		c := *good
		edit(&c)
		path := filepath.Join(dir, name)
		if err := c.Save(path); err != nil {
			t.Fatal(err)
		}
		return path
	}
	tests := []struct {
		name, path, want string
	}{
		{"missing file", filepath.Join(dir, "none.toml"), "none.toml"},
		{"unknown model", write("model.toml", func(c *runconfig.Config) { c.Model = "resnet" }), "set model"},
		{"unknown data", write("data.toml", func(c *runconfig.Config) { c.Data = filepath.Join(dir, "nowhere") }), "cannot be loaded"},
		{"invalid batch", write("batch.toml", func(c *runconfig.Config) { c.Train.Batch = 0 }), "edit the file"},
		{"model misfits data", write("fit.toml", func(c *runconfig.Config) { c.Model = "mnist-cnn" }), "fit.toml"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := h.wait(t, h.f.loadRunConfig(tt.path))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want one containing %q", err, tt.want)
			}
			if got := h.eng.RunConfig(); got.Data != "8gaussians" || got.Model != "mlp-2d" {
				t.Errorf("a failed load changed the run to %s with %s", got.Data, got.Model)
			}
		})
	}
}

func TestFilesOpenData(t *testing.T) {
	h := newFilesHarness(t)
	dir := t.TempDir()
	path := filepath.Join(dir, "points.csv")
	var b strings.Builder
	for i := range 40 {
		b.WriteString(strconv.Itoa(i%7) + "," + strconv.Itoa(i%5) + "\n")
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := h.wait(t, h.f.openData(path)); err != nil {
		t.Fatal(err)
	}
	if got := h.eng.RunConfig(); got.Data != path || got.Model != "mlp-2d" {
		t.Errorf("after opening %s: data %s, model %s", path, got.Data, got.Model)
	}

	bad := filepath.Join(dir, "notes.doc")
	if err := os.WriteFile(bad, []byte("hello"), 0o644); err != nil {
		t.Fatal(err)
	}
	err := h.wait(t, h.f.openData(bad))
	if err == nil || !strings.Contains(err.Error(), "notes.doc") {
		t.Errorf("opening an unsupported file: %v, want an error naming it", err)
	}
	if got := h.eng.RunConfig().Data; got != path {
		t.Errorf("a failed open changed the data to %s", got)
	}
}

func TestFilesAutosave(t *testing.T) {
	h := newFilesHarness(t)
	path := filepath.Join(t.TempDir(), "auto.ebm")
	h.f.mu.Lock()
	h.f.ckpt = path
	h.f.mu.Unlock()
	h.f.startAutosave(5 * time.Millisecond)
	h.eng.SetRunning(true)

	deadline := time.Now().Add(waitLimit)
	var meta train.CheckpointMeta
	for {
		var err error
		if meta, err = train.ReadCheckpointMeta(path); err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no loadable autosave within %v: %v", waitLimit, err)
		}
		time.Sleep(10 * time.Millisecond)
	}
	// Once training has paused, no autosave is queued or running, so the
	// temporary folder can be removed.
	h.f.autosave.Stop()
	h.eng.SetRunning(false)
	h.rec.waitFor(t, "paused", func(s *train.Snapshot) bool { return !s.Running })
	if meta.Iteration < 1 || meta.Preset != "mlp-2d" {
		t.Errorf("autosave at iteration %d of %s, want at least 1 of mlp-2d", meta.Iteration, meta.Preset)
	}
}

func TestFilesAutosaveMenu(t *testing.T) {
	h := newFilesHarness(t)
	h.f.setAutosave(10)
	if every, _ := h.f.autosave.Interval(); every != 10*time.Minute {
		t.Errorf("interval %v after choosing 10 minutes", every)
	}
	for i, item := range h.f.autosaveItems {
		if item.Checked != (autosaveChoices[i] == 10) {
			t.Errorf("menu item %q checked %v", item.Label, item.Checked)
		}
	}
	if got := h.x.opts.Prefs.Int(prefAutosaveMinutes); got != 10 {
		t.Errorf("stored interval %d, want 10", got)
	}

	// A second menu on the same preferences starts with the stored choice.
	again := newFileMenu(h.x)
	if every, _ := again.autosave.Interval(); every != 10*time.Minute {
		t.Errorf("restored interval %v, want 10 minutes", every)
	}
	again.setAutosave(0)
	if every, _ := again.autosave.Interval(); every != 0 {
		t.Errorf("interval %v after switching off", every)
	}
}

func TestFilesMainMenu(t *testing.T) {
	h := newFilesHarness(t)
	menu := h.w.MainMenu()
	if menu == nil || len(menu.Items) == 0 || menu.Items[0].Label != "File" {
		t.Fatalf("main menu %+v, want a File menu", menu)
	}
	var labels []string
	var walk func(m *fyne.Menu)
	walk = func(m *fyne.Menu) {
		for _, item := range m.Items {
			labels = append(labels, item.Label)
			if item.ChildMenu != nil {
				walk(item.ChildMenu)
			}
		}
	}
	walk(menu.Items[0])
	all := strings.Join(labels, "|")
	for _, want := range []string{"Open checkpoint…", "Save checkpoint…", "Autosave checkpoint", "Every 5 minutes",
		"Samples picture (PNG)…", "Metrics (CSV)…", "Replay buffer (NumPy .npy)…", "Save…", "Load…", "Folder of images…"} {
		if !strings.Contains(all, want) {
			t.Errorf("File menu lacks %q: %s", want, all)
		}
	}
}

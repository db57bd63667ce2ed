package ui

import (
	"image"
	"sync"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/ebmlab/ebmlab/model/dataset"
	"github.com/ebmlab/ebmlab/model/train"
	"github.com/ebmlab/ebmlab/ui/render"
)

// Options configures an Explorer.
type Options struct {
	// Prefs stores the last-used settings, data set and preset. Pass the
	// application's Preferences, or nil to keep nothing.
	Prefs fyne.Preferences
	// LoadData loads a data set by name. It is called off the UI goroutine
	// when the user picks another data set or preset. When it is nil, both
	// selectors are disabled.
	LoadData func(name string) (train, test *dataset.Dataset, err error)
	// DataNames are the choices of the data set selector.
	DataNames []string
}

// Default window size, in Fyne units.
const (
	defaultWidth  = 1500
	defaultHeight = 950
)

// minFrameInterval caps rendering at 20 frames per second.
const minFrameInterval = 50 * time.Millisecond

// Explorer is the content of the main window: live views of an engine's
// snapshots and the controls that drive the engine.
type Explorer struct {
	win  fyne.Window
	eng  *train.Engine
	opts Options

	// Owned by the UI goroutine.
	content   fyne.CanvasObject
	settings  train.Settings // settings in force as far as the controls know
	committed time.Time      // when the controls last changed the settings
	running   bool
	dataName  string
	preset    string
	loading   bool
	syncing   bool // set while a selector is moved to match a snapshot

	controls     []*numberControl
	stepSize     *numberControl
	noise        *numberControl
	temperature1 *widget.Check
	temperature  *widget.Label
	dataSelect   *widget.Select
	presetSelect *widget.Select

	startButton  *widget.Button
	stepButton   *widget.Button
	updateButton *widget.Button
	resetButton  *widget.Button
	resetDialog  *dialog.ConfirmDialog

	images        [numViews]*canvas.Image
	cards         [numViews]*widget.Card
	captions      [numViews]*widget.Label
	curveSelect   *widget.CheckGroup
	curveNames    []string
	smoothing     *widget.Slider
	smoothingText *widget.Label
	logY          *widget.Check
	separate      *widget.Check

	status  *widget.Label
	message *widget.Label

	dropUI dropWidgets
	oodUI  oodWidgets
	drops  dropState // shared with the goroutines that read and score files

	eventsCard  *widget.Card
	bannerText  *widget.Label
	banner      *fyne.Container
	views       *fyne.Container // the banner above the views
	eventsBox   *fyne.Container
	dismissed   string // key of the newest event the user dismissed
	shownEvents string // key of the event list on screen
	eventCount  int    // Snapshot.EventCount of the last snapshot shown

	// Shared with the render goroutine, guarded by mu.
	mu     sync.Mutex
	latest *train.Snapshot
	view   viewOptions

	// do runs a function on the UI goroutine without waiting. It is
	// fyne.Do, except in tests that queue the function instead, because
	// the test driver runs fyne.Do at once on the calling goroutine.
	do func(func())

	renderer renderer
	frames   atomic.Int64 // frames applied, for tests
	wake     chan struct{}
	done     chan struct{}
	closed   atomic.Bool // set by Close, so that no frame is applied after it
	closing  sync.Once
	loops    sync.WaitGroup // the render goroutine and data loaders
}

// NewExplorer builds the explorer for eng in w, resizes w to the default
// size and starts the render goroutine, which Close stops. It must run on
// the UI goroutine. Pass x.OnSnapshot to the engine as
// train.EngineConfig.OnSnapshot and show x.Content() in w.
func NewExplorer(w fyne.Window, eng *train.Engine, o Options) *Explorer {
	x := &Explorer{
		win:      w,
		eng:      eng,
		opts:     o,
		settings: eng.Settings(),
		do:       fyne.Do,
		wake:     make(chan struct{}, 1),
		done:     make(chan struct{}),
	}
	x.view = defaultViewOptions()
	x.content = x.build()
	x.showSettings()

	w.Canvas().SetOnTypedRune(x.typedRune)
	w.SetOnDropped(x.HandleDrop)
	w.SetMainMenu(newFileMenu(x).mainMenu())
	w.Resize(fyne.NewSize(defaultWidth, defaultHeight))

	x.loops.Add(1)
	go x.renderLoop()
	return x
}

// Content returns the window content.
func (x *Explorer) Content() fyne.CanvasObject { return x.content }

// OnSnapshot keeps s as the newest snapshot and wakes the render
// goroutine. It returns at once and is safe to call from any goroutine.
// Pass it to train.EngineConfig.OnSnapshot.
func (x *Explorer) OnSnapshot(s *train.Snapshot) {
	x.mu.Lock()
	x.latest = s
	x.mu.Unlock()
	x.requestRender()
}

// SetEnergyMarkers sets labelled energies, such as those of dropped
// files, to mark on the energy histogram. It is safe to call from any
// goroutine.
func (x *Explorer) SetEnergyMarkers(m []render.Marker) {
	x.mu.Lock()
	x.view.markers = append([]render.Marker(nil), m...)
	x.view.markersVersion++
	x.mu.Unlock()
	x.requestRender()
}

// Close stops the render goroutine and waits for it and for any data set
// still loading. It is safe to call more than once and from the UI
// goroutine. Call it as soon as the window's event loop ends (when
// ShowAndRun returns), before stopping the engine. Once Fyne has shut its
// loop down, fyne.Do runs functions on the calling goroutine, so a frame
// applied then would change widgets off the UI goroutine.
func (x *Explorer) Close() {
	x.closing.Do(func() {
		x.closed.Store(true)
		close(x.done)
		x.cancelDrops()
		if x.dropUI.stopRun != nil {
			x.dropUI.stopRun()
		}
		if x.oodUI.stop != nil {
			x.oodUI.stop()
		}
	})
	x.loops.Wait()
}

// requestRender wakes the render goroutine unless a wake-up is pending.
func (x *Explorer) requestRender() {
	select {
	case x.wake <- struct{}{}:
	default:
	}
}

// renderLoop draws frames from the newest snapshot until Close.
func (x *Explorer) renderLoop() {
	defer x.loops.Done()
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	defer timer.Stop()

	var last time.Time
	for {
		select {
		case <-x.done:
			return
		case <-x.wake:
		case <-timer.C:
		}
		if wait := minFrameInterval - time.Since(last); wait > 0 {
			timer.Reset(wait)
			select {
			case <-x.done:
				return
			case <-timer.C:
			}
		}
		last = time.Now()

		x.mu.Lock()
		s, o := x.latest, x.view.clone()
		x.mu.Unlock()
		if s == nil {
			continue
		}
		x.rescoreDrops(s)
		f := x.renderer.render(s, o, last, false)

		// Wait for the UI goroutine to apply the frame before drawing the
		// next, but never past Close, which may be running on the UI
		// goroutine.
		applied := make(chan struct{})
		x.do(func() {
			x.apply(f)
			close(applied)
		})
		select {
		case <-x.done:
			return
		case <-applied:
		}
		if f.retry > 0 {
			timer.Reset(f.retry)
		}
	}
}

// update renders s and applies it at once on the calling goroutine,
// ignoring the rate limits. Tests use it in place of OnSnapshot. It leaves
// the render goroutine's snapshot alone, so that goroutine stays idle.
func (x *Explorer) update(s *train.Snapshot) {
	x.mu.Lock()
	o := x.view.clone()
	x.mu.Unlock()
	x.apply(x.renderer.render(s, o, time.Now(), true))
}

// setViewSize records the size at which view v is shown, in Fyne units,
// and redraws it at that size.
func (x *Explorer) setViewSize(v view, size fyne.Size) {
	scale := x.win.Canvas().Scale()
	px := image.Pt(int(size.Width*scale), int(size.Height*scale))
	x.mu.Lock()
	x.view.size[v] = px
	x.mu.Unlock()
	x.requestRender()
}

// typedRune handles the keyboard shortcuts. Fyne calls it when no widget
// has the focus, and focused sliders pass their runes on. A focused entry
// keeps its runes, so typing a value never triggers a shortcut.
func (x *Explorer) typedRune(r rune) {
	switch r {
	case ' ':
		x.eng.Toggle()
	case 's', 'S':
		x.eng.Step()
	case 'u', 'U':
		x.eng.Update()
	}
}

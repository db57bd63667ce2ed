package ui

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/widget"

	"github.com/ebmlab/ebmlab/model/train"
)

// Preference keys of the autosave interval, in minutes, and its file.
const (
	prefAutosaveMinutes = "files.autosave_minutes"
	prefAutosavePath    = "files.autosave_path"
)

// autosaveChoices are the autosave intervals the File menu offers, in
// minutes, where 0 switches autosave off.
var autosaveChoices = []int{0, 5, 10, 30}

// autosaveName is the file that autosave writes in the app's storage
// folder until the user saves a checkpoint somewhere else.
const autosaveName = "autosave.ebm"

// progressInterval is the minimum time between two progress updates of a
// long file operation.
const progressInterval = 100 * time.Millisecond

// fileMenu is the File menu of the explorer window: opening data,
// checkpoints and run configurations, saving and exporting. Each menu
// action shows a Fyne file dialog whose callback calls a method that takes
// a path, runs the file work off the UI goroutine and shows a dialog for
// every failure. Training goes on meanwhile.
type fileMenu struct {
	x        *Explorer
	ctx      context.Context // ends when the explorer closes
	autosave *train.Autosaver

	// Owned by the UI goroutine.
	menu          *fyne.MainMenu
	autosaveItems []*fyne.MenuItem // one per autosaveChoices entry
	autosaveTo    *fyne.MenuItem   // shows the autosave file
	minutes       int              // autosave interval in force
	chooser       *dialog.ConfirmDialog

	mu      sync.Mutex
	lastDir string // folder of the last file chosen, where dialogs open
	ckpt    string // last checkpoint saved or opened, where autosave writes
}

// newFileMenu builds the File menu of x and starts its autosaver, which
// stops when x closes. It runs on the UI goroutine.
func newFileMenu(x *Explorer) *fileMenu {
	ctx, cancel := context.WithCancel(context.Background())
	f := &fileMenu{x: x, ctx: ctx}
	f.autosave = train.NewAutosaver(x.eng, f.autosaved)

	x.loops.Add(1)
	go func() {
		defer x.loops.Done()
		<-x.done
		cancel()
		f.autosave.Stop()
	}()

	f.menu = f.build()
	f.restoreAutosave()
	return f
}

// mainMenu returns the window's main menu.
func (f *fileMenu) mainMenu() *fyne.MainMenu { return f.menu }

func (f *fileMenu) build() *fyne.MainMenu {
	item := fyne.NewMenuItem
	openData := fyne.NewMenu("",
		item("Data file (IDX, CIFAR-10 .bin, CSV of points)…", f.showOpenDataFile),
		item("Folder of images…", f.showOpenDataFolder),
	)
	openDataItem := item("Open data", nil)
	openDataItem.ChildMenu = openData

	for _, m := range autosaveChoices {
		label := fmt.Sprintf("Every %d minutes", m)
		if m == 0 {
			label = "Off"
		}
		f.autosaveItems = append(f.autosaveItems, item(label, func() { f.setAutosave(m) }))
	}
	f.autosaveTo = item("", nil)
	f.autosaveTo.Disabled = true
	autosaveItem := item("Autosave checkpoint", nil)
	autosaveItem.ChildMenu = fyne.NewMenu("", append(f.autosaveItems, fyne.NewMenuItemSeparator(), f.autosaveTo)...)

	exportItem := item("Export", nil)
	exportItem.ChildMenu = fyne.NewMenu("",
		item("Samples picture (PNG)…", func() { f.showExportPicture(samplesView) }),
		item("Chain filmstrip (PNG)…", func() { f.showExportPicture(chainView) }),
		item("Training curves (PNG)…", func() { f.showExportPicture(curvesView) }),
		fyne.NewMenuItemSeparator(),
		item("Metrics (CSV)…", f.showExportMetrics),
		item("Replay buffer (NumPy .npy)…", f.showExportBuffer),
		item("Energies of dropped files (CSV)…", f.showExportDropEnergies),
	)

	runItem := item("Run configuration", nil)
	runItem.ChildMenu = fyne.NewMenu("",
		item("Save…", f.showSaveRunConfig),
		item("Load…", f.showLoadRunConfig),
	)

	file := fyne.NewMenu("File",
		openDataItem,
		fyne.NewMenuItemSeparator(),
		item("Open checkpoint…", f.showOpenCheckpoint),
		item("Save checkpoint…", f.showSaveCheckpoint),
		autosaveItem,
		fyne.NewMenuItemSeparator(),
		exportItem,
		runItem,
	)
	return fyne.NewMainMenu(file)
}

// onUI runs fn on the UI goroutine unless the explorer has closed.
func (f *fileMenu) onUI(fn func()) {
	f.x.do(func() {
		if !f.x.closed.Load() {
			fn()
		}
	})
}

// background runs work off the UI goroutine, then shows its outcome: an
// error dialog on failure, or an information dialog titled action with
// the text work returns. The returned channel receives the error once the
// dialog is queued for the UI goroutine. Close waits for the work.
func (f *fileMenu) background(action string, work func() (string, error)) <-chan error {
	out := make(chan error, 1)
	f.x.loops.Add(1)
	go func() {
		defer f.x.loops.Done()
		text, err := work()
		f.onUI(func() { f.showOutcome(action, text, err) })
		out <- err
	}()
	return out
}

// showOutcome shows err, or text under the title action when text is not
// empty. An operation the user cancelled shows nothing.
func (f *fileMenu) showOutcome(action, text string, err error) {
	switch {
	case errors.Is(err, context.Canceled):
	case err != nil:
		fyne.LogError(action+" failed", err)
		dialog.ShowError(err, f.x.win)
	case text != "":
		dialog.ShowInformation(action, text, f.x.win)
	}
}

// showError shows err in a dialog on the UI goroutine.
func (f *fileMenu) showError(err error) {
	dialog.ShowError(err, f.x.win)
}

// progress is a modal dialog for a long file operation, with a Cancel
// button that ends its context.
type progress struct {
	f      *fileMenu
	dialog *dialog.CustomDialog
	bar    *widget.ProgressBar
	text   *widget.Label
	ctx    context.Context
	cancel context.CancelFunc

	mu   sync.Mutex
	last time.Time
}

// newProgress shows a progress dialog. It runs on the UI goroutine.
func (f *fileMenu) newProgress(title, text string) *progress {
	ctx, cancel := context.WithCancel(f.ctx)
	p := &progress{f: f, ctx: ctx, cancel: cancel, bar: widget.NewProgressBar(), text: widget.NewLabel(text)}
	p.text.Wrapping = fyne.TextWrapWord
	content := container.NewVBox(p.text, p.bar)
	p.dialog = dialog.NewCustom(title, "Cancel", content, f.x.win)
	p.dialog.SetOnClosed(cancel)
	p.dialog.Resize(fyne.NewSize(480, 0))
	p.dialog.Show()
	return p
}

// report shows the work done, at most every progressInterval. A total of
// 0 means the total is not known yet. It is safe to call from any
// goroutine.
func (p *progress) report(done, total int) {
	p.mu.Lock()
	now := time.Now()
	if now.Sub(p.last) < progressInterval {
		p.mu.Unlock()
		return
	}
	p.last = now
	p.mu.Unlock()

	p.f.onUI(func() {
		if total > 0 {
			p.bar.SetValue(float64(done) / float64(total))
			return
		}
		p.text.SetText(fmt.Sprintf("%d found so far…", done))
	})
}

// close hides the dialog from any goroutine.
func (p *progress) close() {
	p.f.onUI(p.dialog.Hide)
	p.cancel()
}

// remember records the folder of path, where the next file dialog opens.
func (f *fileMenu) remember(path string) {
	f.mu.Lock()
	f.lastDir = filepath.Dir(path)
	f.mu.Unlock()
}

// startIn opens d in the folder of the last file chosen.
func (f *fileMenu) startIn(d *dialog.FileDialog) {
	f.mu.Lock()
	dir := f.lastDir
	f.mu.Unlock()
	if dir == "" {
		return
	}
	if l, err := storage.ListerForURI(storage.NewFileURI(dir)); err == nil {
		d.SetLocation(l)
	}
}

// showOpenFile shows a file dialog and calls open with the chosen path.
func (f *fileMenu) showOpenFile(exts []string, open func(path string)) {
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil {
			f.showError(err)
			return
		}
		if r == nil {
			return
		}
		path := r.URI().Path()
		r.Close()
		f.remember(path)
		open(path)
	}, f.x.win)
	if len(exts) > 0 {
		d.SetFilter(storage.NewExtensionFileFilter(exts))
	}
	f.startIn(d)
	d.Show()
}

// showSaveFile shows a save dialog proposing name and calls save with the
// chosen path.
//
// NOTE: Fyne's save dialog (v2.7.1) creates or truncates the chosen file
// before its callback runs, so a save that fails afterwards would leave an
// empty file even though every writer here replaces files atomically.
// removeIfEmpty deletes that empty file again, but an overwritten file's
// old content is lost at that point.
func (f *fileMenu) showSaveFile(name string, save func(path string) <-chan error) {
	d := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil {
			f.showError(err)
			return
		}
		if w == nil {
			return
		}
		path := w.URI().Path()
		w.Close()
		f.remember(path)
		done := save(path)
		go func() {
			if <-done != nil {
				removeIfEmpty(path)
			}
		}()
	}, f.x.win)
	d.SetFileName(name)
	f.startIn(d)
	d.Show()
}

// removeIfEmpty removes the file at path when it is empty, as Fyne's save
// dialog leaves it when the save itself fails.
func removeIfEmpty(path string) {
	if info, err := os.Stat(path); err == nil && info.Mode().IsRegular() && info.Size() == 0 {
		os.Remove(path)
	}
}

// writeHint is the fix appended to a failed write.
const writeHint = "choose a folder you can write to with enough free space"

// writeError wraps a failed write of what with the fix.
func writeError(what string, err error) error {
	return fmt.Errorf("cannot save the %s: %w: %s", what, err, writeHint)
}

// baseName returns the file name of path, for dialog titles.
func baseName(path string) string {
	return strings.TrimSpace(filepath.Base(path))
}

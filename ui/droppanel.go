package ui

import (
	"context"
	"errors"
	"fmt"
	"image"
	"math"
	"math/rand/v2"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ebmlab/ebmlab/model/train"
	"github.com/ebmlab/ebmlab/ui/imagein"
	"github.com/ebmlab/ebmlab/ui/render"
)

// Choices of the conversion selectors, in the order of their constants.
var (
	resizeNames = []string{"fit (stretch)", "keep aspect + pad", "centre crop"}
	invertNames = []string{"Auto", "Keep", "Invert"}
)

// inpaintChains is the number of completions that inpainting shows.
const inpaintChains = 6

// Halves that inpainting can hide.
var maskNames = []string{"top half", "bottom half", "left half", "right half"}

// thumbSize is the side of the list thumbnails, in Fyne units.
const thumbSize = 44

// dropWidgets are the widgets of the drop tab, owned by the UI goroutine.
type dropWidgets struct {
	shown    []dropItem // the items the list shows
	selected int        // index into shown, or -1

	list     *widget.List
	status   *widget.Label
	progress *widget.ProgressBar
	spinner  *widget.ProgressBarInfinite
	busyBox  *fyne.Container
	resize   *widget.Select
	invert   *widget.RadioGroup
	details  *widget.Label
	clearAll *widget.Button

	relax   *widget.Button
	inpaint *widget.Button
	stop    *widget.Button
	mask    *widget.Select
	result  *canvas.Image
	caption *widget.Label
	stopRun context.CancelFunc
	runs    uint64 // Langevin runs started, the stream of their generator
}

// buildDropTab creates the drop list with its conversion options and the
// relax and inpainting tools for the selected item.
func (x *Explorer) buildDropTab() fyne.CanvasObject {
	u := &x.dropUI
	u.selected = -1

	add := widget.NewButtonWithIcon("Add files…", theme.FileImageIcon(), x.openFileDialog)
	addFolder := widget.NewButtonWithIcon("Add folder…", theme.FolderOpenIcon(), x.openFolderDialog)
	u.clearAll = widget.NewButtonWithIcon("Clear all", theme.DeleteIcon(), func() { x.removeDrop(-1) })

	u.resize = widget.NewSelect(resizeNames, func(string) { x.setConversion() })
	u.resize.SetSelectedIndex(int(imagein.KeepAspectPad))
	u.invert = widget.NewRadioGroup(invertNames, func(string) { x.setConversion() })
	u.invert.Horizontal = true
	u.invert.Required = true
	u.invert.SetSelected(invertNames[imagein.Auto])
	x.drops.options = imagein.Options{Resize: imagein.KeepAspectPad, Invert: imagein.Auto}

	u.status = caption("Drop image files or folders onto the window. Each is converted to the model's input and scored; low energy means likely under the model.")
	u.progress = widget.NewProgressBar()
	u.spinner = widget.NewProgressBarInfinite()
	u.spinner.Stop()
	cancel := widget.NewButtonWithIcon("Cancel", theme.CancelIcon(), x.cancelDrops)
	u.busyBox = container.NewBorder(nil, nil, nil, cancel, container.NewStack(u.progress, u.spinner))
	u.busyBox.Hide()

	u.list = widget.NewList(
		func() int { return len(u.shown) },
		newDropRow,
		func(id widget.ListItemID, o fyne.CanvasObject) { x.showDropRow(id, o) },
	)
	u.list.OnSelected = func(id widget.ListItemID) { u.selected = id; x.showDetails() }
	u.list.OnUnselected = func(widget.ListItemID) { u.selected = -1; x.showDetails() }

	u.details = caption("")
	u.relax = widget.NewButtonWithIcon("Relax", theme.MediaPlayIcon(), x.runRelax)
	u.mask = widget.NewSelect(maskNames, nil)
	u.mask.SetSelectedIndex(0)
	u.inpaint = widget.NewButtonWithIcon("Inpaint", theme.ContentPasteIcon(), x.runInpaint)
	u.stop = widget.NewButtonWithIcon("Stop", theme.MediaStopIcon(), func() {
		if u.stopRun != nil {
			u.stopRun()
		}
	})
	u.stop.Disable()
	u.result = canvas.NewImageFromImage(nil)
	u.result.FillMode = canvas.ImageFillContain
	u.result.ScaleMode = canvas.ImageScalePixels
	u.result.SetMinSize(fyne.NewSize(200, 90))
	u.caption = caption("Select an item, then Relax runs Langevin from it with the sampler settings in force, and Inpaint hides part of it and samples that part.")
	x.showDetails()

	top := container.NewVBox(
		container.NewGridWithColumns(3, add, addFolder, u.clearAll),
		labelled("resize", u.resize),
		labelled("invert", u.invert),
		u.status, u.busyBox,
	)
	tools := container.NewVBox(
		widget.NewSeparator(),
		u.details,
		container.NewBorder(nil, nil, nil, container.NewHBox(u.relax, u.inpaint, u.stop), u.mask),
		u.result, u.caption,
	)
	return container.NewBorder(top, tools, nil, nil, u.list)
}

// newDropRow creates a list row: original and converted thumbnails, two
// lines of text and a remove button.
func newDropRow() fyne.CanvasObject {
	thumb := func() *canvas.Image {
		img := canvas.NewImageFromImage(nil)
		img.FillMode = canvas.ImageFillContain
		img.ScaleMode = canvas.ImageScalePixels
		img.SetMinSize(fyne.NewSize(thumbSize, thumbSize))
		return img
	}
	title := widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	title.Truncation = fyne.TextTruncateEllipsis
	line := widget.NewLabel("")
	line.Truncation = fyne.TextTruncateEllipsis
	line.SizeName = theme.SizeNameCaptionText
	remove := widget.NewButtonWithIcon("", theme.DeleteIcon(), nil)
	return container.NewBorder(nil, nil, container.NewHBox(thumb(), thumb()), remove, container.NewVBox(title, line))
}

// showDropRow fills row o with item id.
func (x *Explorer) showDropRow(id widget.ListItemID, o fyne.CanvasObject) {
	u := &x.dropUI
	if id >= len(u.shown) {
		return
	}
	d := &u.shown[id]
	row := o.(*fyne.Container)
	text := row.Objects[0].(*fyne.Container)
	thumbs := row.Objects[1].(*fyne.Container)
	remove := row.Objects[2].(*widget.Button)
	original, converted := thumbs.Objects[0].(*canvas.Image), thumbs.Objects[1].(*canvas.Image)
	title, line := text.Objects[0].(*widget.Label), text.Objects[1].(*widget.Label)

	remove.OnTapped = func() { x.removeDrop(id) }
	title.SetText(d.name())
	if d.res == nil {
		original.Image, converted.Image = nil, nil
		line.Importance = widget.DangerImportance
		line.SetText(errorText(d.err))
	} else {
		original.Image = d.res.Original
		converted.Image = inputImage(d.res.Input, d.target)
		line.Importance = widget.MediumImportance
		line.SetText(scoreText(d))
	}
	original.Refresh()
	converted.Refresh()
}

// errorText returns the message of a drop error without the conversion
// marker.
func errorText(err error) string {
	return strings.TrimSuffix(err.Error(), " ("+errNeedsConversion.Error()+")")
}

// scoreText formats an item's energy and percentiles.
func scoreText(d *dropItem) string {
	if math.IsNaN(d.energy) {
		return "not scored yet"
	}
	return fmt.Sprintf("E = %.4g · held-out %s · samples %s", d.energy, percentText(d.pctData), percentText(d.pctSamples))
}

func percentText(p float64) string {
	if math.IsNaN(p) {
		return "–"
	}
	return fmt.Sprintf("%.0f%%", p)
}

// inputImage draws a model input as a picture, or returns nil when its
// length does not match t.
func inputImage(x []float32, t imagein.Target) image.Image {
	if len(x) != t.C*t.H*t.W || (t.C != 1 && t.C != 3) || !(t.Lo < t.Hi) {
		return nil
	}
	return render.SampleGrid(x, 1, t.C, t.H, t.W, t.Lo, t.Hi, 1, 1)
}

// dropsChanged shows the current drop list and marks it on the histogram.
// It runs on the UI goroutine.
func (x *Explorer) dropsChanged() {
	if x.closed.Load() {
		return
	}
	u := &x.dropUI
	x.drops.mu.Lock()
	u.shown = x.drops.items
	busy := x.drops.busy
	x.drops.mu.Unlock()

	if u.selected >= len(u.shown) {
		u.selected = -1
		u.list.UnselectAll()
	}
	u.list.Refresh()
	x.SetEnergyMarkers(dropMarkers(u.shown))
	x.showBusy(busy, "")

	failed := 0
	for _, d := range u.shown {
		if d.res == nil {
			failed++
		}
	}
	switch {
	case len(u.shown) == 0:
		u.status.SetText("No files. Drop image files or folders onto the window.")
	case failed == 0:
		u.status.SetText(fmt.Sprintf("%d files, the first %d marked on the energy histogram. Percentages are the share of held-out and sample energies below each file's energy.", len(u.shown), min(len(u.shown), maxDropMarkers)))
	default:
		u.status.SetText(fmt.Sprintf("%d files, %d could not be used (select one to read why).", len(u.shown), failed))
	}
	x.showDetails()
}

// showBusy shows or hides the progress row.
func (x *Explorer) showBusy(busy bool, text string) {
	u := &x.dropUI
	if text != "" {
		u.status.SetText(text)
	}
	u.clearAll.Enable()
	if busy {
		u.clearAll.Disable()
		u.progress.Hide()
		u.spinner.Show()
		u.spinner.Start()
		u.busyBox.Show()
		return
	}
	u.spinner.Stop()
	u.busyBox.Hide()
}

// showProgress shows the progress of reading files; a negative frac
// shows activity without a fraction.
func (x *Explorer) showProgress(text string, frac float64) {
	u := &x.dropUI
	if !x.dropsBusy() {
		return
	}
	u.status.SetText(text)
	if frac < 0 {
		return
	}
	u.spinner.Stop()
	u.spinner.Hide()
	u.progress.Show()
	u.progress.SetValue(frac)
}

// showDetails shows the conversion steps and suggestion of the selected
// item and enables the tools that need one.
func (x *Explorer) showDetails() {
	u := &x.dropUI
	var d *dropItem
	if u.selected >= 0 && u.selected < len(u.shown) {
		d = &u.shown[u.selected]
	}
	running := u.stopRun != nil
	if d == nil || d.res == nil || running {
		u.relax.Disable()
		u.inpaint.Disable()
	} else {
		u.relax.Enable()
		u.inpaint.Enable()
	}
	switch {
	case d == nil:
		u.details.SetText("Select an item to see how it was converted.")
	case d.res == nil:
		u.details.SetText(errorText(d.err))
	default:
		text := d.path + "\n" + strings.Join(d.res.Steps, "\n")
		if d.res.Suggestion != "" {
			text += "\nSuggestion: " + d.res.Suggestion
		}
		u.details.SetText(text)
	}
}

// setConversion applies the resize and invert selectors and converts the
// drops again.
func (x *Explorer) setConversion() {
	u := &x.dropUI
	if u.resize == nil || u.invert == nil {
		return
	}
	o := imagein.Options{Resize: imagein.Resize(max(0, u.resize.SelectedIndex()))}
	for i, n := range invertNames {
		if n == u.invert.Selected {
			o.Invert = imagein.Polarity(i)
		}
	}
	x.drops.mu.Lock()
	changed := o != x.drops.options
	x.drops.options = o
	x.drops.mu.Unlock()
	if changed {
		x.reconvert()
	}
}

func (x *Explorer) openFileDialog() {
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil || r == nil {
			return
		}
		path := r.URI().Path()
		r.Close()
		x.AddPaths([]string{path})
	}, x.win)
	d.Show()
}

func (x *Explorer) openFolderDialog() {
	d := dialog.NewFolderOpen(func(l fyne.ListableURI, err error) {
		if err != nil || l == nil {
			return
		}
		x.AddPaths([]string{l.Path()})
	}, x.win)
	d.Show()
}

// startRun prepares a Langevin run from the selected item and returns its
// input, the model copy, the settings and a generator, or ok false.
func (x *Explorer) startRun() (ctx context.Context, d dropItem, rng *rand.Rand, ok bool) {
	u := &x.dropUI
	if u.selected < 0 || u.selected >= len(u.shown) || u.shown[u.selected].res == nil || u.stopRun != nil {
		return nil, dropItem{}, nil, false
	}
	ctx, u.stopRun = context.WithCancel(context.Background())
	u.runs++
	u.stop.Enable()
	x.showDetails()
	return ctx, u.shown[u.selected], rand.New(rand.NewPCG(0x7e1a, u.runs)), true
}

// endRun shows a run's picture and caption. It runs on the UI goroutine.
func (x *Explorer) endRun(img image.Image, text string) {
	if x.closed.Load() {
		return
	}
	u := &x.dropUI
	u.stopRun = nil
	u.stop.Disable()
	if img != nil {
		u.result.Image = img
		u.result.Refresh()
	}
	u.caption.SetText(text)
	x.showDetails()
}

// runRelax runs Langevin from the selected item on a copy of the current
// weights, off the UI goroutine.
func (x *Explorer) runRelax() {
	ctx, d, rng, ok := x.startRun()
	if !ok {
		return
	}
	t := d.target
	x.dropUI.caption.SetText("relaxing " + d.name() + "…")
	x.loops.Add(1)
	go func() {
		defer x.loops.Done()
		net := x.eng.Model()
		s := x.eng.Settings().Sampler
		frames, err := train.Relax(ctx, net, d.res.Input, s, max(1, s.Steps/8), rng)
		img, text := relaxPicture(frames, t)
		if err != nil {
			text = fmt.Sprintf("relax stopped: %v. %s", runError(err), text)
		}
		x.do(func() { x.endRun(img, d.name()+": "+text) })
	}()
}

func runError(err error) string {
	if errors.Is(err, context.Canceled) {
		return "cancelled"
	}
	return err.Error()
}

// relaxPicture draws the filmstrip of a relax trajectory and lists its
// energies.
func relaxPicture(frames []train.ChainFrame, t imagein.Target) (image.Image, string) {
	if len(frames) == 0 {
		return nil, ""
	}
	states := make([][]float32, len(frames))
	steps := make([]int, len(frames))
	parts := make([]string, len(frames))
	for i, f := range frames {
		states[i], steps[i] = f.State, f.Step
		parts[i] = fmt.Sprintf("%d: %.3g", f.Step, f.Energy)
	}
	img := render.Filmstrip(states, steps, t.C, t.H, t.W, t.Lo, t.Hi, 2)
	return img, "energy by Langevin step " + strings.Join(parts, ", ")
}

// hiddenMask returns the mask of the half named by name for a C×H×W input.
func hiddenMask(name string, c, h, w int) []bool {
	m := make([]bool, c*h*w)
	for k := range c {
		for y := range h {
			for xx := range w {
				var hide bool
				switch name {
				case "top half":
					hide = y < h/2
				case "bottom half":
					hide = y >= h/2
				case "left half":
					hide = xx < w/2
				case "right half":
					hide = xx >= w/2
				}
				m[(k*h+y)*w+xx] = hide
			}
		}
	}
	return m
}

// runInpaint hides the chosen half of the selected item and samples it
// with Langevin in inpaintChains chains, off the UI goroutine.
func (x *Explorer) runInpaint() {
	maskName := x.dropUI.mask.Selected
	ctx, d, rng, ok := x.startRun()
	if !ok {
		return
	}
	t := d.target
	x.dropUI.caption.SetText("inpainting the " + maskName + " of " + d.name() + "…")
	x.loops.Add(1)
	go func() {
		defer x.loops.Done()
		net := x.eng.Model()
		s := x.eng.Settings().Sampler
		dim := len(d.res.Input)
		hidden := hiddenMask(maskName, t.C, t.H, t.W)
		dst := make([]float32, inpaintChains*dim)
		energies := make([]float32, inpaintChains)
		err := train.Inpaint(ctx, dst, energies, net, d.res.Input, hidden, s, rng)

		// The first picture is the input with the hidden part drawn at the
		// middle of the range, followed by the completions.
		shown := make([]float32, 0, (inpaintChains+1)*dim)
		for i, v := range d.res.Input {
			if hidden[i] {
				v = (t.Lo + t.Hi) / 2
			}
			shown = append(shown, v)
		}
		shown = append(shown, dst...)
		img := render.SampleGrid(shown, inpaintChains+1, t.C, t.H, t.W, t.Lo, t.Hi, inpaintChains+1, 2)
		text := fmt.Sprintf("%s: %s hidden (grey, left), %d completions after %d steps, energies %s", d.name(), maskName, inpaintChains, s.Steps, formatEnergies(energies))
		if err != nil {
			img = nil
			text = fmt.Sprintf("%s: inpainting stopped: %s", d.name(), runError(err))
		}
		x.do(func() { x.endRun(img, text) })
	}()
}

func formatEnergies(e []float32) string {
	parts := make([]string, len(e))
	for i, v := range e {
		parts[i] = fmt.Sprintf("%.3g", v)
	}
	return strings.Join(parts, ", ")
}

package ui

import (
	"context"
	"fmt"
	"image"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ebmlab/ebmlab/model/train"
	"github.com/ebmlab/ebmlab/ui/render"
)

// oodPlotSize is the pixel size of the OOD histogram.
var oodPlotSize = image.Pt(520, 300)

// oodSeed seeds the noise sets, so that repeated runs on the same weights
// give the same table.
const oodSeed = 1

// oodWidgets are the widgets of the out-of-distribution tab, owned by the
// UI goroutine.
type oodWidgets struct {
	compute  *widget.Button
	cancel   *widget.Button
	progress *widget.ProgressBar
	table    *fyne.Container
	plot     *canvas.Image
	caption  *widget.Label
	stop     context.CancelFunc
	report   *train.OODReport // last report shown
	size     int              // inputs per set; tests lower it from train.DefaultOODSize
}

// buildOODTab creates the out-of-distribution tab.
func (x *Explorer) buildOODTab() fyne.CanvasObject {
	u := &x.oodUI
	u.size = train.DefaultOODSize
	u.compute = widget.NewButtonWithIcon("Compute", theme.ViewRefreshIcon(), x.computeOOD)
	u.compute.Importance = widget.HighImportance
	u.cancel = widget.NewButtonWithIcon("Cancel", theme.CancelIcon(), func() {
		if u.stop != nil {
			u.stop()
		}
	})
	u.cancel.Disable()
	u.progress = widget.NewProgressBar()
	u.table = container.NewGridWithColumns(4)
	u.plot = canvas.NewImageFromImage(nil)
	u.plot.FillMode = canvas.ImageFillContain
	u.plot.ScaleMode = canvas.ImageScaleSmooth
	u.plot.SetMinSize(fyne.NewSize(260, 160))
	u.caption = caption(fmt.Sprintf("Compute scores %d held-out inputs and as many from each set with the current weights. "+
		"AUROC is the probability that an input of the set has a higher energy than a held-out one: 1 means the energy "+
		"separates the set perfectly, 0.5 not at all.", train.DefaultOODSize))

	top := container.NewVBox(container.NewBorder(nil, nil, nil, container.NewHBox(u.compute, u.cancel), u.progress), u.caption, u.table)
	return container.NewBorder(top, nil, nil, nil, u.plot)
}

// computeOOD scores the held-out data against the OOD sets and the dropped
// files off the UI goroutine, with a copy of the current weights.
func (x *Explorer) computeOOD() {
	u := &x.oodUI
	if u.stop != nil {
		return
	}
	var ctx context.Context
	ctx, u.stop = context.WithCancel(context.Background())
	u.compute.Disable()
	u.cancel.Enable()
	u.progress.SetValue(0)

	var dropped []float32
	count := 0
	for _, d := range x.dropItems() {
		if d.res != nil {
			dropped = append(dropped, d.res.Input...)
			count++
		}
	}
	net := x.eng.Model()
	test := x.eng.HeldOut()
	size := u.size

	x.loops.Add(1)
	go func() {
		defer x.loops.Done()
		sets, notes := train.OODSets(test, size, oodSeed)
		switch {
		case count > 0 && len(dropped) == count*net.InShape().Size():
			sets = append(sets, train.OODSet{Name: "dropped files", X: dropped, N: count})
		case count > 0:
			notes = append(notes, "dropped files skipped: they were converted for another model")
		default:
			notes = append(notes, "dropped files: none yet")
		}
		var last time.Time
		progress := func(done, total int) {
			if time.Since(last) < dropProgressInterval && done < total {
				return
			}
			last = time.Now()
			x.do(func() {
				if !x.closed.Load() {
					u.progress.SetValue(float64(done) / float64(total))
				}
			})
		}
		r, err := train.EvaluateOOD(ctx, net, test.Name, train.HeldOutInputs(test, size), sets, progress)
		if r != nil {
			r.Notes = notes
		}
		var img image.Image
		if err == nil {
			img = oodHistogram(r)
		}
		x.do(func() { x.showOOD(r, img, err) })
	}()
}

// oodHistogram draws the energies of the held-out data and of every set.
func oodHistogram(r *train.OODReport) image.Image {
	sets := []render.Series{{Name: "held-out " + r.InName, Values: r.InEnergies}}
	for _, row := range r.Rows {
		sets = append(sets, render.Series{Name: row.Name, Values: row.Energies})
	}
	img, err := render.Histogram(sets, nil, histogramBins, oodPlotSize.X, oodPlotSize.Y)
	if err != nil {
		return nil
	}
	return img
}

// showOOD shows a finished OOD run. It runs on the UI goroutine.
func (x *Explorer) showOOD(r *train.OODReport, img image.Image, err error) {
	if x.closed.Load() {
		return
	}
	u := &x.oodUI
	u.stop = nil
	u.compute.Enable()
	u.cancel.Disable()
	if err != nil {
		u.progress.SetValue(0)
		u.caption.SetText("OOD scores not computed: " + runError(err))
		return
	}
	u.report = r
	u.progress.SetValue(1)

	cell := func(text string, bold bool) fyne.CanvasObject {
		l := widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Bold: bold})
		l.Truncation = fyne.TextTruncateEllipsis
		return l
	}
	objs := []fyne.CanvasObject{
		cell("set", true), cell("inputs", true), cell("mean E", true), cell("AUROC", true),
		cell("held-out "+r.InName, false), cell(fmt.Sprint(len(r.InEnergies)), false), cell(fmt.Sprintf("%.4g", r.InMean), false), cell("–", false),
	}
	for _, row := range r.Rows {
		objs = append(objs, cell(row.Name, false), cell(fmt.Sprint(row.N), false), cell(fmt.Sprintf("%.4g", row.MeanEnergy), false), cell(fmt.Sprintf("%.3f", row.AUROC), true))
	}
	u.table.Objects = objs
	u.table.Refresh()
	text := fmt.Sprintf("Energy AUROC against held-out %s, high energy counted as OOD.", r.InName)
	for _, n := range r.Notes {
		text += " " + n + "."
	}
	u.caption.SetText(text)
	if img != nil {
		u.plot.Image = img
		u.plot.Refresh()
	}
}

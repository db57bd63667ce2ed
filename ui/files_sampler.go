package ui

import (
	"strconv"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/ebmlab/ebmlab/sampler"
)

// settingDiff is one sampler setting whose value in a checkpoint differs
// from the value the controls show.
type settingDiff struct {
	name                string
	checkpoint, current string
}

// samplerDiffs lists the sampler settings that differ between a
// checkpoint and the controls. The clamp range is left out because it
// always comes from the checkpoint's data, and the noise σ is compared as
// the value in force, since the temperature-1 tie ignores Noise.
func samplerDiffs(checkpoint, current sampler.Settings) []settingDiff {
	num := func(v float64) string { return strconv.FormatFloat(v, 'g', 4, 64) }
	onOff := func(b bool) string {
		if b {
			return "on"
		}
		return "off"
	}
	all := []settingDiff{
		{"step size λ", num(checkpoint.StepSize), num(current.StepSize)},
		{"noise σ", num(checkpoint.NoiseStd()), num(current.NoiseStd())},
		{"temperature 1", onOff(checkpoint.Temperature1), onOff(current.Temperature1)},
		{"Langevin steps", strconv.Itoa(checkpoint.Steps), strconv.Itoa(current.Steps)},
		{"gradient clip", num(checkpoint.GradClip), num(current.GradClip)},
		{"clamp to the data range", onOff(checkpoint.Clamp), onOff(current.Clamp)},
	}
	var diffs []settingDiff
	for _, d := range all {
		if d.checkpoint != d.current {
			diffs = append(diffs, d)
		}
	}
	return diffs
}

// askSampler calls proceed with nil to keep the checkpoint's sampler
// settings, or with current to keep the controls' settings. When the two
// differ it first shows a dialog that lists the differences and lets the
// user choose. Closing the dialog keeps the current settings. It runs on
// the UI goroutine.
func (f *fileMenu) askSampler(path string, checkpoint, current sampler.Settings, proceed func(keep *sampler.Settings)) {
	diffs := samplerDiffs(checkpoint, current)
	if len(diffs) == 0 {
		proceed(nil)
		return
	}

	bold := func(text string) fyne.CanvasObject {
		return widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	}
	cells := []fyne.CanvasObject{bold("setting"), bold("checkpoint"), bold("current")}
	for _, d := range diffs {
		cells = append(cells, widget.NewLabel(d.name), widget.NewLabel(d.checkpoint), widget.NewLabel(d.current))
	}
	intro := widget.NewLabel("The checkpoint " + baseName(path) + " was saved with other sampler settings than the controls show. " +
		"Choose which to keep; the model, replay buffer and history come from the checkpoint either way.")
	intro.Wrapping = fyne.TextWrapWord
	content := container.NewVBox(intro, container.NewGridWithColumns(3, cells...))

	d := dialog.NewCustomConfirm("Sampler settings differ", "Keep checkpoint's", "Keep current", content, func(keepCheckpoint bool) {
		if keepCheckpoint {
			proceed(nil)
			return
		}
		proceed(&current)
	}, f.x.win)
	d.Resize(fyne.NewSize(560, 0))
	f.chooser = d
	d.Show()
}

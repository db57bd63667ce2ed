package ui

import (
	"fmt"
	"image/color"
	"math"
	"strconv"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ebmlab/ebmlab/model"
	"github.com/ebmlab/ebmlab/model/dataset"
	"github.com/ebmlab/ebmlab/model/train"
)

// emptySnapshot is the snapshot shown before the first one arrives.
var emptySnapshot = &train.Snapshot{}

// buildPanel creates the control panel: run buttons, selectors and one
// control per setting.
func (x *Explorer) buildPanel() fyne.CanvasObject {
	x.startButton = widget.NewButtonWithIcon("", nil, x.eng.Toggle)
	x.startButton.Importance = widget.HighImportance
	x.showRunning(false)
	x.stepButton = widget.NewButtonWithIcon("Step", theme.NavigateNextIcon(), x.eng.Step)
	x.updateButton = widget.NewButtonWithIcon("Update", theme.MediaSkipNextIcon(), x.eng.Update)
	x.resetButton = widget.NewButtonWithIcon("Reset", theme.ViewRefreshIcon(), x.confirmReset)
	buttons := container.NewGridWithColumns(2, x.startButton, x.stepButton, x.updateButton, x.resetButton)
	keys := caption("Start trains continuously, Step runs one Langevin step of the chain views without training, " +
		"Update runs one training iteration, Reset starts a new model. Keys: Space start/pause, S step, U update.")

	x.dataSelect = widget.NewSelect(x.opts.DataNames, func(name string) {
		if !x.syncing {
			x.load(name, x.preset, false)
		}
	})
	x.dataSelect.PlaceHolder = "(data set)"
	x.presetSelect = widget.NewSelect(model.PresetNames(), func(preset string) {
		if !x.syncing {
			x.load(x.dataName, preset, true)
		}
	})
	x.presetSelect.PlaceHolder = "(model)"
	if x.opts.LoadData == nil {
		x.dataSelect.Disable()
		x.presetSelect.Disable()
	}
	choice := container.NewVBox(
		labelled("data set", x.dataSelect),
		labelled("model", x.presetSelect),
		caption("Switching reloads the data, starts a new model and applies the preset's default settings."),
	)

	control := func(sp spec) *numberControl {
		c := newNumberControl(sp, x.typedRune, x.commit)
		x.controls = append(x.controls, c)
		return c
	}
	x.stepSize = control(stepSizeSpec)
	x.noise = control(noiseSpec)
	x.temperature1 = widget.NewCheck("temperature 1: σ = √(2λ)", x.setTemperature1)
	x.temperature = caption("")
	steps := control(stepsSpec)
	clip := control(clipSpec)
	buffer := control(bufferSpec)
	reinit := control(reinitSpec)
	lr := control(learningRateSpec)
	alpha := control(alphaSpec)
	batch := control(batchSpec)

	return container.NewVBox(
		heading("Run"), buttons, keys,
		heading("Data and model"), choice,
		heading("Langevin sampler"),
		x.stepSize.box, x.noise.box,
		x.temperature1, caption("Ties the noise to the step size so that the chains sample exp(−E(x)). The σ control is off while this is on."),
		x.temperature,
		steps.box, clip.box,
		heading("Replay buffer"), buffer.box, reinit.box,
		heading("Training"), lr.box, alpha.box, batch.box,
	)
}

func heading(text string) fyne.CanvasObject {
	l := widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	l.SizeName = theme.SizeNameSubHeadingText
	return container.NewVBox(widget.NewSeparator(), l)
}

func caption(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	l.SizeName = theme.SizeNameCaptionText
	return l
}

func labelled(name string, o fyne.CanvasObject) fyne.CanvasObject {
	l := widget.NewLabelWithStyle(name, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	return container.NewBorder(nil, nil, container.New(fixedWidth{80}, l), nil, o)
}

func withAlpha(c color.Color, a uint8) color.Color {
	r, g, b, _ := c.RGBA()
	return color.NRGBA{R: uint8(r >> 8), G: uint8(g >> 8), B: uint8(b >> 8), A: a}
}

func formatSmoothing(v float64) string {
	return strconv.FormatFloat(v, 'f', 2, 64)
}

// commit applies value v of control c through Engine.SetSettings. A
// rejected value shows the engine's message and moves the control back to
// the value in force. With final set, an accepted value is also saved in
// the preferences.
func (x *Explorer) commit(c *numberControl, v float64, final bool) {
	s := x.settings
	c.set(&s, v)
	if err := x.eng.SetSettings(s); err != nil {
		c.showError(err.Error())
		c.show(c.get(x.settings))
		return
	}
	c.showError("")
	x.settings = s
	x.committed = time.Now()
	if final {
		c.show(v)
		saveSettings(x.opts.Prefs, x.preset, s)
	} else {
		c.entry.setText(c.format(v))
	}
	if c == x.stepSize {
		x.showNoise()
	}
	x.showTemperature()
}

// setTemperature1 turns the temperature-1 tie on or off.
func (x *Explorer) setTemperature1(on bool) {
	if x.syncing || on == x.settings.Sampler.Temperature1 {
		return
	}
	s := x.settings
	s.Sampler.Temperature1 = on
	if !on {
		// Keep the noise that was in force rather than an old value.
		s.Sampler.Noise = x.settings.Sampler.NoiseStd()
	}
	if err := x.eng.SetSettings(s); err != nil {
		x.noise.showError(err.Error())
		x.syncing = true
		x.temperature1.SetChecked(x.settings.Sampler.Temperature1)
		x.syncing = false
		return
	}
	x.noise.showError("")
	x.settings = s
	x.committed = time.Now()
	saveSettings(x.opts.Prefs, x.preset, s)
	x.showNoise()
	x.showTemperature()
}

// showSettings moves every control to x.settings.
func (x *Explorer) showSettings() {
	for _, c := range x.controls {
		c.show(c.get(x.settings))
		c.showError("")
	}
	x.syncing = true
	x.temperature1.SetChecked(x.settings.Sampler.Temperature1)
	x.syncing = false
	x.showNoise()
	x.showTemperature()
}

// showNoise shows the σ in force and enables the σ control unless the
// temperature-1 tie sets it.
func (x *Explorer) showNoise() {
	x.noise.show(x.settings.Sampler.NoiseStd())
	x.noise.setEnabled(!x.settings.Sampler.Temperature1)
}

func (x *Explorer) showTemperature() {
	t := x.settings.Sampler.Temperature()
	text := fmt.Sprintf("Effective temperature σ²/(2λ) = %.3g. At 1 the chains sample exp(−E(x)), and lower values sharpen it towards the energy minima.", t)
	if math.IsNaN(t) || math.IsInf(t, 0) {
		text = "Effective temperature σ²/(2λ) is undefined for this step size."
	}
	x.temperature.SetText(text)
}

// confirmReset shows a confirmation dialog and resets the model when the
// user confirms.
func (x *Explorer) confirmReset() {
	d := dialog.NewConfirm("Reset the model?",
		"Reset replaces the network with freshly initialised weights,\nempties the replay buffer and clears the curves. The settings stay.",
		func(ok bool) {
			if ok {
				x.eng.Reset()
			}
		}, x.win)
	d.SetConfirmText("Reset")
	d.SetDismissText("Cancel")
	x.resetDialog = d
	d.Show()
}

// load loads data set name off the UI goroutine and restarts the engine
// on it with preset, or with the first preset that fits the data when
// keepPreset is false and preset does not. The settings become the
// preset's defaults.
func (x *Explorer) load(name, preset string, keepPreset bool) {
	if x.loading || x.opts.LoadData == nil || name == "" {
		return
	}
	x.loading = true
	x.dataSelect.Disable()
	x.presetSelect.Disable()
	x.message.SetText("loading " + name + "…")

	x.loops.Add(1)
	go func() {
		defer x.loops.Done()
		trainSet, testSet, err := x.opts.LoadData(name)
		if err == nil {
			preset, err = fitPreset(trainSet, preset, keepPreset)
		}
		if err == nil {
			s := train.DefaultSettings(preset, float64(trainSet.Lo), float64(trainSet.Hi))
			x.eng.Load(trainSet, testSet, preset, s)
		}
		x.do(func() { x.loaded(name, preset, err) })
	}()
}

// fitPreset returns preset when it fits d's sample shape. Otherwise it
// returns an error when keep is set, and the first preset that fits when
// it is not.
func fitPreset(d *dataset.Dataset, preset string, keep bool) (string, error) {
	fits := func(name string) bool {
		in, err := model.PresetInShape(name)
		return err == nil && in.C == d.C && in.H == d.H && in.W == d.W
	}
	if fits(preset) {
		return preset, nil
	}
	if keep {
		return "", fmt.Errorf("model %q does not fit data %q of shape %d×%d×%d: choose a model for this data", preset, d.Name, d.C, d.H, d.W)
	}
	for _, name := range model.PresetNames() {
		if fits(name) {
			return name, nil
		}
	}
	return "", fmt.Errorf("no model fits data %q of shape %d×%d×%d: choose another data set", d.Name, d.C, d.H, d.W)
}

// loaded finishes a load on the UI goroutine.
func (x *Explorer) loaded(name, preset string, err error) {
	x.loading = false
	if x.opts.LoadData != nil {
		x.dataSelect.Enable()
		x.presetSelect.Enable()
	}
	if err != nil {
		x.message.SetText(fmt.Sprintf("cannot load %s: %v", name, err))
		x.syncing = true
		selectOrClear(x.dataSelect, x.dataName)
		selectOrClear(x.presetSelect, x.preset)
		x.syncing = false
		return
	}
	x.dataName, x.preset = name, preset
	x.syncing = true
	x.presetSelect.SetSelected(preset)
	x.syncing = false
	saveChoice(x.opts.Prefs, name, preset)
}

// selectOrClear selects value, or clears the selection when value is not
// an option.
func selectOrClear(s *widget.Select, value string) {
	s.SetSelected(value)
	if s.Selected != value {
		s.ClearSelected()
	}
}

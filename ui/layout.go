package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// panelWidth is the width of the control panel, in Fyne units.
const panelWidth = 340

// Minimum sizes of the pictures, in Fyne units.
var (
	minPictureSize = fyne.NewSize(200, 120)
	minChainSize   = fyne.NewSize(200, 70)
)

// build creates every widget and returns the window content.
func (x *Explorer) build() fyne.CanvasObject {
	panel := container.NewVScroll(x.buildPanel())
	left := container.NewHBox(container.New(fixedWidth{panelWidth}, panel), widget.NewSeparator())

	x.status = widget.NewLabel("waiting for the first snapshot")
	x.message = widget.NewLabel("")
	x.message.Truncation = fyne.TextTruncateEllipsis
	x.message.Alignment = fyne.TextAlignTrailing
	x.message.Importance = widget.LowImportance
	statusBar := container.NewVBox(widget.NewSeparator(), container.NewBorder(nil, nil, x.status, nil, x.message))

	side := container.NewAppTabs(
		container.NewTabItemWithIcon("Dropped images", theme.FileImageIcon(), x.buildDropTab()),
		container.NewTabItemWithIcon("Out of distribution", theme.InfoIcon(), x.buildOODTab()),
	)
	main := container.NewHSplit(x.buildViews(), side)
	main.Offset = sideOffset
	return container.NewBorder(nil, statusBar, left, nil, main)
}

// sideOffset is the share of the width right of the control panel that
// the views take, leaving the rest to the drop and OOD tabs.
const sideOffset = 0.64

// buildViews lays out the pictures: samples and histogram on top, the
// chain filmstrip across the middle, curves and guard events at the
// bottom, with the event banner above them all.
func (x *Explorer) buildViews() fyne.CanvasObject {
	titles := [numViews]string{
		samplesView:   "Samples",
		chainView:     "Langevin chain",
		histogramView: "Energy histogram",
		curvesView:    "Training curves",
	}
	var holders [numViews]fyne.CanvasObject
	for v := range numViews {
		img := canvas.NewImageFromImage(nil)
		img.FillMode = canvas.ImageFillContain
		img.SetMinSize(minPictureSize)
		if v == chainView {
			img.SetMinSize(minChainSize)
		}
		x.images[v] = img
		holders[v] = container.New(&sizeReporter{onResize: func(s fyne.Size) { x.setViewSize(v, s) }}, img)
		// Captions are truncated so that a long one cannot widen the
		// window.
		x.captions[v] = caption("waiting for the first snapshot")
		x.captions[v].Wrapping = fyne.TextWrapOff
		x.captions[v].Truncation = fyne.TextTruncateEllipsis
		x.cards[v] = widget.NewCard(titles[v], "", nil)
	}
	curveMenu, curveOptions := x.buildCurveOptions()
	holders[curvesView] = container.NewBorder(nil, curveOptions, curveMenu, nil, holders[curvesView])
	for v := range numViews {
		x.cards[v].SetContent(container.NewBorder(nil, x.captions[v], nil, nil, holders[v]))
	}

	x.eventsBox = container.NewVBox()
	x.eventsCard = widget.NewCard("Divergence guard", "no rejected iterations", container.NewVScroll(x.eventsBox))

	x.bannerText = widget.NewLabel("")
	x.bannerText.Wrapping = fyne.TextWrapWord
	x.bannerText.Importance = widget.WarningImportance
	dismiss := widget.NewButtonWithIcon("Dismiss", theme.CancelIcon(), x.dismissBanner)
	background := canvas.NewRectangle(theme.Color(theme.ColorNameWarning))
	background.FillColor = withAlpha(background.FillColor, 0x30)
	background.CornerRadius = theme.InputRadiusSize()
	x.banner = container.NewStack(background, container.NewPadded(container.NewBorder(nil, nil,
		widget.NewIcon(theme.WarningIcon()), container.NewCenter(dismiss), x.bannerText)))
	x.banner.Hide()

	top := container.NewHSplit(x.cards[samplesView], x.cards[histogramView])
	top.Offset = 0.45
	bottom := container.NewHSplit(x.cards[curvesView], x.eventsCard)
	bottom.Offset = 0.76
	lower := container.NewVSplit(x.cards[chainView], bottom)
	lower.Offset = 0.4
	all := container.NewVSplit(top, lower)
	all.Offset = 0.45
	x.views = container.NewBorder(x.banner, nil, nil, nil, all)
	return x.views
}

// buildCurveOptions creates the curve selector, which goes beside the
// curves, and the row of smoothing slider and axis checks under them.
func (x *Explorer) buildCurveOptions() (menu, options fyne.CanvasObject) {
	x.curveSelect = widget.NewCheckGroup(nil, func(selected []string) {
		if x.syncing {
			return
		}
		x.mu.Lock()
		x.view.curves = append([]string(nil), selected...)
		x.mu.Unlock()
		x.requestRender()
	})
	x.offerCurves(curveMenu(emptySnapshot))
	x.syncing = true
	x.curveSelect.SetSelected(x.view.curves)
	x.syncing = false

	// The smoothing weight is that of an exponential moving average over
	// points, and the raw curve stays faint behind the smoothed one.
	x.smoothingText = widget.NewLabel("")
	x.smoothing = widget.NewSlider(0, 0.99)
	x.smoothing.Step = 0.01
	x.smoothing.Value = x.view.smoothing
	x.smoothing.OnChanged = func(v float64) {
		x.showSmoothing(v)
		x.mu.Lock()
		x.view.smoothing = v
		x.mu.Unlock()
		x.requestRender()
	}
	x.showSmoothing(x.view.smoothing)

	x.logY = widget.NewCheck("log scale", func(on bool) {
		x.mu.Lock()
		x.view.logY = on
		x.mu.Unlock()
		x.requestRender()
	})
	x.separate = widget.NewCheck("one panel per curve", func(on bool) {
		x.mu.Lock()
		x.view.separate = on
		x.mu.Unlock()
		x.requestRender()
	})

	menu = container.New(fixedWidth{230}, container.NewVScroll(x.curveSelect))
	options = container.NewBorder(nil, nil, x.smoothingText, container.NewHBox(x.logY, x.separate), x.smoothing)
	return menu, options
}

func (x *Explorer) showSmoothing(v float64) {
	x.smoothingText.SetText("EMA smoothing " + formatSmoothing(v))
}

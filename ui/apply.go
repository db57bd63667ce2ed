package ui

import (
	"fmt"
	"image"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ebmlab/ebmlab/model/train"
)

// apply shows a rendered frame. It runs on the UI goroutine.
func (x *Explorer) apply(f frame) {
	s := f.snap
	for v := range numViews {
		if f.captions[v] != "" {
			x.captions[v].SetText(f.captions[v])
		}
		if f.pictures[v] == nil {
			continue
		}
		img := x.images[v]
		img.Image = f.pictures[v]
		img.ScaleMode = canvas.ImageScalePixels
		if f.smooth[v] {
			img.ScaleMode = canvas.ImageScaleSmooth
		}
		img.Refresh()
	}

	x.status.SetText(f.status)
	x.message.SetText(s.Message)
	x.showRunning(s.Running)
	x.showEvents(s.Events)
	x.followSnapshot(s)
	x.offerCurves(curveMenu(s))
	x.frames.Add(1)
}

// showRunning sets the Start/Pause button to match the engine.
func (x *Explorer) showRunning(running bool) {
	if running == x.running && x.startButton.Text != "" {
		return
	}
	x.running = running
	if running {
		x.startButton.SetText("Pause")
		x.startButton.SetIcon(theme.MediaPauseIcon())
		return
	}
	x.startButton.SetText("Start")
	x.startButton.SetIcon(theme.MediaPlayIcon())
}

// followSnapshot moves the selectors and the controls to the data set,
// preset and settings of s. Settings older than the last change made by
// the controls are ignored, since s may have been taken before it.
func (x *Explorer) followSnapshot(s *train.Snapshot) {
	if !x.loading {
		x.syncing = true
		if s.DataName != "" && s.DataName != x.dataSelect.Selected {
			x.dataSelect.SetSelected(s.DataName)
		}
		if s.Preset != "" && s.Preset != x.presetSelect.Selected {
			x.presetSelect.SetSelected(s.Preset)
		}
		x.syncing = false
		x.dataName, x.preset = s.DataName, s.Preset
	}

	if !s.Taken.After(x.committed) || s.Settings == x.settings {
		return
	}
	x.settings = s.Settings
	x.showSettings()
	saveSettings(x.opts.Prefs, s.Preset, s.Settings)
}

// offerCurves sets the options of the curve selector to names, keeping the
// selection.
func (x *Explorer) offerCurves(names []string) {
	if slices.Equal(names, x.curveNames) {
		return
	}
	x.curveNames = names
	selected := x.curveSelect.Selected
	x.syncing = true
	x.curveSelect.Options = names
	x.curveSelect.SetSelected(selected)
	x.curveSelect.Refresh()
	x.syncing = false
}

// eventKey identifies a guard event for the banner and the list.
func eventKey(events []train.GuardEvent) string {
	if len(events) == 0 {
		return ""
	}
	e := events[len(events)-1]
	return fmt.Sprintf("%d %d %s", len(events), e.Iteration, e.Cause)
}

// showEvents lists the guard events, newest first, and shows the newest
// in the banner until the user dismisses it.
func (x *Explorer) showEvents(events []train.GuardEvent) {
	key := eventKey(events)
	if key == x.shownEvents {
		return
	}
	x.shownEvents = key

	items := make([]fyne.CanvasObject, 0, len(events))
	for i := len(events) - 1; i >= 0; i-- {
		items = append(items, eventLabel(&events[i]))
	}
	x.eventsBox.Objects = items
	x.eventsBox.Refresh()
	switch len(events) {
	case 0:
		x.eventsCard.SetSubTitle("no rejected iterations")
	case 1:
		x.eventsCard.SetSubTitle("1 rejected iteration")
	default:
		x.eventsCard.SetSubTitle(fmt.Sprintf("%d most recent rejected iterations, newest first", len(events)))
	}

	if len(events) == 0 || key == x.dismissed {
		x.banner.Hide()
		return
	}
	x.bannerText.SetText(eventText(&events[len(events)-1]))
	x.banner.Show()
}

// eventText describes a guard event in three sentences.
func eventText(e *train.GuardEvent) string {
	return fmt.Sprintf("Iteration %d was rejected: %s.\nRestored: %s.\nTry: %s.",
		e.Iteration, strings.TrimSuffix(e.Cause, "."), strings.TrimSuffix(e.RolledBack, "."), strings.TrimSuffix(e.Suggestion, "."))
}

func eventLabel(e *train.GuardEvent) fyne.CanvasObject {
	l := widget.NewLabel(eventText(e))
	l.Wrapping = fyne.TextWrapWord
	return l
}

// dismissBanner hides the banner until another event arrives.
func (x *Explorer) dismissBanner() {
	x.dismissed = x.shownEvents
	x.banner.Hide()
}

// pictureOf returns the picture shown by view v, or nil.
func (x *Explorer) pictureOf(v view) image.Image {
	return x.images[v].Image
}

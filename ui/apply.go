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
	if x.closed.Load() {
		return
	}
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
	x.showEvents(s)
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

// eventKey identifies the newest guard event of s for the banner and the
// list.
func eventKey(s *train.Snapshot) string {
	if len(s.Events) == 0 {
		return ""
	}
	e := s.Events[len(s.Events)-1]
	return fmt.Sprintf("%d %d %s", s.EventCount, e.Iteration, e.Cause)
}

// showEvents lists the guard events of s, newest first, and shows the
// newest in the banner until the user dismisses it.
func (x *Explorer) showEvents(s *train.Snapshot) {
	// The count restarts with every new model, whose events are new even
	// when they read like a dismissed one.
	if s.EventCount < x.eventCount {
		x.dismissed = ""
		x.shownEvents = ""
	}
	x.eventCount = s.EventCount

	key := eventKey(s)
	if key == x.shownEvents {
		return
	}
	x.shownEvents = key

	events := s.Events
	items := make([]fyne.CanvasObject, 0, 2*len(events))
	for i := len(events) - 1; i >= 0; i-- {
		if len(items) > 0 {
			items = append(items, widget.NewSeparator())
		}
		items = append(items, eventLabel(&events[i]))
	}
	x.eventsBox.Objects = items
	x.eventsBox.Refresh()
	switch total := max(s.EventCount, len(events)); {
	case total == 0:
		x.eventsCard.SetSubTitle("no rejected iterations")
	case total == 1:
		x.eventsCard.SetSubTitle("1 rejected iteration")
	case total == len(events):
		x.eventsCard.SetSubTitle(fmt.Sprintf("%d rejected iterations, newest first", total))
	default:
		x.eventsCard.SetSubTitle(fmt.Sprintf("%d rejected iterations, the last %d listed newest first", total, len(events)))
	}

	if len(events) == 0 || key == x.dismissed {
		x.showBanner(false)
		return
	}
	x.bannerText.SetText(eventText(&events[len(events)-1]))
	x.showBanner(true)
}

// showBanner shows or hides the event banner and lays the views out
// again, since hiding an object does not resize its neighbours.
func (x *Explorer) showBanner(on bool) {
	if on == x.banner.Visible() {
		return
	}
	if on {
		x.banner.Show()
	} else {
		x.banner.Hide()
	}
	x.views.Refresh()
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
	x.showBanner(false)
}

// pictureOf returns the picture shown by view v, or nil.
func (x *Explorer) pictureOf(v view) image.Image {
	return x.images[v].Image
}

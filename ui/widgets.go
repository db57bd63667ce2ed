package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"
)

var (
	_ fyne.Focusable = (*hotkeySlider)(nil)
	_ fyne.Focusable = (*commitEntry)(nil)
	_ fyne.Layout    = fixedWidth{}
	_ fyne.Layout    = (*sizeReporter)(nil)
)

// hotkeySlider is a slider that passes typed characters on to the
// explorer's keyboard handler, so that the keys for start/pause, step and
// update keep working after a click has focused the slider. Arrow keys
// still move it.
type hotkeySlider struct {
	widget.Slider
	onRune func(rune)
}

func newHotkeySlider(min, max, step float64, onRune func(rune)) *hotkeySlider {
	s := &hotkeySlider{onRune: onRune}
	s.Min, s.Max, s.Step = min, max, step
	s.Orientation = widget.Horizontal
	s.ExtendBaseWidget(s)
	return s
}

// TypedRune forwards r to the keyboard handler.
func (s *hotkeySlider) TypedRune(r rune) {
	if s.onRune != nil {
		s.onRune(r)
	}
}

// commitEntry is a single-line entry that reports its text when the user
// presses Return or moves the focus away after editing it.
type commitEntry struct {
	widget.Entry
	edited   bool
	onCommit func(text string)
}

func newCommitEntry(onCommit func(string)) *commitEntry {
	e := &commitEntry{onCommit: onCommit}
	e.OnSubmitted = func(text string) { e.commit() }
	e.OnChanged = func(string) { e.edited = true }
	e.ExtendBaseWidget(e)
	return e
}

// setText replaces the text without counting it as an edit.
func (e *commitEntry) setText(text string) {
	e.SetText(text)
	e.edited = false
}

// FocusLost commits an edited text.
func (e *commitEntry) FocusLost() {
	e.Entry.FocusLost()
	if e.edited {
		e.commit()
	}
}

func (e *commitEntry) commit() {
	e.edited = false
	if e.onCommit != nil {
		e.onCommit(e.Text)
	}
}

// fixedWidth lays its objects on top of each other and reports a fixed
// minimum width, whatever the objects' own minimum widths.
type fixedWidth struct{ width float32 }

func (l fixedWidth) MinSize(objects []fyne.CanvasObject) fyne.Size {
	var h float32
	for _, o := range objects {
		h = max(h, o.MinSize().Height)
	}
	return fyne.NewSize(l.width, h)
}

func (l fixedWidth) Layout(objects []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objects {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(size)
	}
}

// sizeReporter lays its objects on top of each other and calls onResize on
// the UI goroutine whenever its size changes, so that pictures can be
// redrawn at the size they are shown.
type sizeReporter struct {
	onResize func(fyne.Size)
	last     fyne.Size
}

func (r *sizeReporter) MinSize(objects []fyne.CanvasObject) fyne.Size {
	var s fyne.Size
	for _, o := range objects {
		s = s.Max(o.MinSize())
	}
	return s
}

func (r *sizeReporter) Layout(objects []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objects {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(size)
	}
	if size != r.last {
		r.last = size
		if r.onResize != nil {
			r.onResize(size)
		}
	}
}

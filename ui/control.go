package ui

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/ebmlab/ebmlab/model/train"
)

// scale maps a setting's value to a slider position.
type scale int

const (
	linear scale = iota
	log10        // position is log10(value), rounded to two significant digits
	pow2         // position is log2(value), so the slider gives powers of two
)

// entryWidth is the width of the numeric entry beside each slider.
const entryWidth = 96

// spec describes one numeric setting: its name in messages, how its
// slider maps to values, the range an entry accepts and the field it
// reads and writes.
type spec struct {
	name string // as in messages, such as "step size λ"
	help string // meaning and unit, shown under the control
	scale
	integer bool
	// Slider range, in value units. Values outside it are valid when
	// [min, max] allows them, and the slider then rests at its end.
	sliderMin, sliderMax float64
	min, max             float64 // values an entry accepts
	step                 float64 // slider step for linear scales
	// A live setting takes effect while the slider moves. The others,
	// which reallocate buffers, take effect when it is released.
	live bool
	get  func(train.Settings) float64
	set  func(*train.Settings, float64)
}

// numberControl is a slider with a numeric entry beside it, a help line
// under it and an error line that shows only after a rejected value.
type numberControl struct {
	spec
	slider  *hotkeySlider
	entry   *commitEntry
	errText *widget.Label
	box     *fyne.Container
	syncing bool // set while the control itself moves the slider

	// commit applies a value. Its final argument is false while a slider
	// moves.
	commit func(c *numberControl, v float64, final bool)
}

func newNumberControl(sp spec, onRune func(rune), commit func(*numberControl, float64, bool)) *numberControl {
	c := &numberControl{spec: sp, commit: commit}
	lo, hi := c.position(sp.sliderMin), c.position(sp.sliderMax)
	step := sp.step
	switch sp.scale {
	case log10:
		step = (hi - lo) / 200
	case pow2:
		step = 1
	}
	c.slider = newHotkeySlider(lo, hi, step, onRune)
	c.slider.OnChanged = c.sliderMoved
	c.slider.OnChangeEnded = c.sliderReleased
	c.entry = newCommitEntry(c.entered)

	name := widget.NewLabelWithStyle(sp.name, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	help := caption(sp.help)
	c.errText = widget.NewLabel("")
	c.errText.Wrapping = fyne.TextWrapWord
	c.errText.Importance = widget.DangerImportance
	c.errText.Hide()

	header := container.NewBorder(nil, nil, name, container.New(fixedWidth{entryWidth}, c.entry))
	c.box = container.NewVBox(header, c.slider, help, c.errText)
	return c
}

// position returns the slider position of v.
func (c *numberControl) position(v float64) float64 {
	switch c.scale {
	case log10:
		return math.Log10(v)
	case pow2:
		return math.Log2(v)
	}
	return v
}

// value returns the setting value at slider position p.
func (c *numberControl) value(p float64) float64 {
	var v float64
	switch c.scale {
	case log10:
		v = roundSignificant(math.Pow(10, p), 2)
	case pow2:
		v = math.Exp2(math.Round(p))
	default:
		v = p
		if c.step > 0 {
			v = math.Round(v/c.step) * c.step
			v = roundSignificant(v, 6)
		}
	}
	if c.integer {
		v = math.Round(v)
	}
	return v
}

// roundSignificant rounds v to digits significant decimal digits, so that
// slider values print as short numbers.
func roundSignificant(v float64, digits int) float64 {
	r, err := strconv.ParseFloat(strconv.FormatFloat(v, 'g', digits, 64), 64)
	if err != nil {
		return v
	}
	return r
}

// format returns the entry text of v.
func (c *numberControl) format(v float64) string {
	if c.integer {
		return strconv.FormatInt(int64(math.Round(v)), 10)
	}
	return strconv.FormatFloat(v, 'g', 4, 64)
}

// parse reads an entry text, rejecting anything outside [min, max].
func (c *numberControl) parse(text string) (float64, error) {
	text = strings.TrimSpace(text)
	v, err := strconv.ParseFloat(text, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, fmt.Errorf("invalid %s %q: enter a number between %s and %s", c.name, text, c.format(c.min), c.format(c.max))
	}
	if c.integer && v != math.Trunc(v) {
		return 0, fmt.Errorf("invalid %s %s: must be a whole number between %s and %s", c.name, text, c.format(c.min), c.format(c.max))
	}
	if v < c.min || v > c.max {
		return 0, fmt.Errorf("invalid %s %s: must be between %s and %s", c.name, text, c.format(c.min), c.format(c.max))
	}
	return v, nil
}

// show moves the slider and the entry to v without applying it.
func (c *numberControl) show(v float64) {
	c.syncing = true
	defer func() { c.syncing = false }()

	p := c.position(v)
	if math.IsNaN(p) || math.IsInf(p, 0) {
		p = c.slider.Min
	}
	c.slider.SetValue(min(max(p, c.slider.Min), c.slider.Max))
	c.entry.setText(c.format(v))
}

// showError displays msg under the control. An empty msg hides the line.
func (c *numberControl) showError(msg string) {
	c.errText.SetText(msg)
	if msg == "" {
		c.errText.Hide()
		return
	}
	c.errText.Show()
}

func (c *numberControl) sliderMoved(p float64) {
	if c.syncing {
		return
	}
	v := c.value(p)
	if c.live {
		c.commit(c, v, false)
		return
	}
	// Preview the value in the entry until the slider is released.
	c.entry.setText(c.format(v))
}

func (c *numberControl) sliderReleased(p float64) {
	if c.syncing {
		return
	}
	c.commit(c, c.value(p), true)
}

func (c *numberControl) entered(text string) {
	v, err := c.parse(text)
	if err != nil {
		c.showError(err.Error())
		return
	}
	c.commit(c, v, true)
}

// setEnabled enables or disables the slider and the entry.
func (c *numberControl) setEnabled(on bool) {
	if on {
		c.slider.Enable()
		c.entry.Enable()
		return
	}
	c.slider.Disable()
	c.entry.Disable()
}

package ui

import (
	"math"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/ebmlab/ebmlab/model/train"
)

// controlByName returns the explorer's control of the named setting.
func controlByName(t *testing.T, x *Explorer, name string) *numberControl {
	t.Helper()
	for _, c := range x.controls {
		if c.name == name {
			return c
		}
	}
	t.Fatalf("no control %q", name)
	return nil
}

func TestSliderChangesSettings(t *testing.T) {
	cases := []struct {
		control string
		value   float64 // value the slider is moved to
		want    func(train.Settings) float64
	}{
		{stepSizeSpec.name, 0.1, func(s train.Settings) float64 { return s.Sampler.StepSize }},
		{stepsSpec.name, 20, func(s train.Settings) float64 { return float64(s.Sampler.Steps) }},
		{clipSpec.name, 0.05, func(s train.Settings) float64 { return s.Sampler.GradClip }},
		{reinitSpec.name, 0.25, func(s train.Settings) float64 { return s.Reinit }},
		{learningRateSpec.name, 0.002, func(s train.Settings) float64 { return s.Adam.LR }},
		{alphaSpec.name, 0.5, func(s train.Settings) float64 { return s.Alpha }},
		{batchSpec.name, 64, func(s train.Settings) float64 { return float64(s.Batch) }},
		{bufferSpec.name, 512, func(s train.Settings) float64 { return float64(s.BufferSize) }},
	}
	// One explorer serves every case: each case sets another field, and
	// the batch of 64 fits the buffer of 64 set before the buffer grows.
	eng := newEngine(t, nil, false)
	x, _, _ := newTestExplorer(t, eng, Options{})
	for _, tc := range cases {
		t.Run(tc.control, func(t *testing.T) {
			c := controlByName(t, x, tc.control)

			c.slider.SetValue(c.position(tc.value))

			if got := tc.want(eng.Settings()); math.Abs(got-tc.value) > 1e-9*tc.value {
				t.Errorf("engine setting = %v, want %v", got, tc.value)
			}
			if got := c.entry.Text; got != c.format(tc.value) {
				t.Errorf("entry shows %q, want %q", got, c.format(tc.value))
			}
		})
	}
}

func TestEntryChangesSettings(t *testing.T) {
	cases := []struct {
		control string
		text    string
		want    func(train.Settings) float64
		value   float64
	}{
		{stepSizeSpec.name, "0.05", func(s train.Settings) float64 { return s.Sampler.StepSize }, 0.05},
		{stepSizeSpec.name, " 2e-3 ", func(s train.Settings) float64 { return s.Sampler.StepSize }, 0.002},
		{stepsSpec.name, "0", func(s train.Settings) float64 { return float64(s.Sampler.Steps) }, 0},
		{batchSpec.name, "48", func(s train.Settings) float64 { return float64(s.Batch) }, 48},
		{alphaSpec.name, "3", func(s train.Settings) float64 { return s.Alpha }, 3},
	}
	eng := newEngine(t, nil, false)
	x, _, _ := newTestExplorer(t, eng, Options{})
	for _, tc := range cases {
		t.Run(tc.control+"="+tc.text, func(t *testing.T) {
			c := controlByName(t, x, tc.control)

			c.entry.SetText(tc.text)
			c.entry.TypedKey(enterKey)

			if got := tc.want(eng.Settings()); got != tc.value {
				t.Errorf("engine setting = %v, want %v", got, tc.value)
			}
			if c.errText.Visible() {
				t.Errorf("error shown for valid text: %q", c.errText.Text)
			}
		})
	}
}

func TestEntryCommitsOnFocusLost(t *testing.T) {
	eng := newEngine(t, nil, false)
	x, w, _ := newTestExplorer(t, eng, Options{})

	w.Canvas().Focus(x.stepSize.entry)
	x.stepSize.entry.SetText("0.3")
	w.Canvas().Unfocus()

	if got := eng.Settings().Sampler.StepSize; got != 0.3 {
		t.Errorf("step size = %v, want 0.3", got)
	}
}

func TestEntryRejectsInvalidText(t *testing.T) {
	cases := []struct {
		control string
		text    string
		inError []string // substrings the error must contain
	}{
		{stepSizeSpec.name, "abc", []string{`"abc"`, "1e-08", "1e+04"}},
		{stepSizeSpec.name, "-1", []string{"-1", "between"}},
		{stepSizeSpec.name, "1e9", []string{"1e9", "1e+04"}},
		{stepSizeSpec.name, "NaN", []string{"NaN", "enter a number"}},
		{batchSpec.name, "2.5", []string{"2.5", "whole number", "65536"}},
		{batchSpec.name, "0", []string{"0", "between 1 and 65536"}},
		{reinitSpec.name, "1.5", []string{"1.5", "between 0 and 1"}},
		{learningRateSpec.name, "", []string{`""`, "enter a number"}},
	}
	eng := newEngine(t, nil, false)
	x, _, _ := newTestExplorer(t, eng, Options{})
	for _, tc := range cases {
		t.Run(tc.control+"="+tc.text, func(t *testing.T) {
			c := controlByName(t, x, tc.control)
			c.showError("")
			before := eng.Settings()
			sliderBefore := c.slider.Value

			c.entry.SetText(tc.text)
			c.entry.TypedKey(enterKey)

			if eng.Settings() != before {
				t.Errorf("settings changed to %+v", eng.Settings())
			}
			if x.settings != before {
				t.Errorf("explorer settings changed to %+v", x.settings)
			}
			if c.slider.Value != sliderBefore {
				t.Errorf("slider moved from %v to %v", sliderBefore, c.slider.Value)
			}
			if !c.errText.Visible() {
				t.Fatal("no error shown")
			}
			for _, want := range tc.inError {
				if !strings.Contains(c.errText.Text, want) {
					t.Errorf("error %q does not contain %q", c.errText.Text, want)
				}
			}
		})
	}
}

func TestErrorClearsAfterValidValue(t *testing.T) {
	eng := newEngine(t, nil, false)
	x, _, _ := newTestExplorer(t, eng, Options{})
	c := x.stepSize

	c.entry.SetText("oops")
	c.entry.TypedKey(enterKey)
	c.entry.SetText("0.2")
	c.entry.TypedKey(enterKey)

	if c.errText.Visible() {
		t.Errorf("error still shown: %q", c.errText.Text)
	}
	if got := eng.Settings().Sampler.StepSize; got != 0.2 {
		t.Errorf("step size = %v, want 0.2", got)
	}
}

func TestRejectedSettingRestoresControl(t *testing.T) {
	eng := newEngine(t, nil, false)
	x, _, _ := newTestExplorer(t, eng, Options{})
	before := eng.Settings()
	batch := controlByName(t, x, batchSpec.name)
	sliderBefore := batch.slider.Value

	// The entry accepts 128, but the engine does not: the batch may not
	// exceed the buffer size of 64.
	batch.entry.SetText("128")
	batch.entry.TypedKey(enterKey)

	if eng.Settings() != before {
		t.Errorf("settings changed to %+v", eng.Settings())
	}
	if !batch.errText.Visible() || !strings.Contains(batch.errText.Text, "batch size 128") {
		t.Errorf("error = %q, want the engine's message about batch size 128", batch.errText.Text)
	}
	if got, want := batch.entry.Text, batch.format(float64(before.Batch)); got != want {
		t.Errorf("entry shows %q, want the value in force %q", got, want)
	}
	if batch.slider.Value != sliderBefore {
		t.Errorf("slider at %v, want it back at %v", batch.slider.Value, sliderBefore)
	}
}

func TestTemperature1TiesNoise(t *testing.T) {
	eng := newEngine(t, nil, false)
	x, _, _ := newTestExplorer(t, eng, Options{})
	if !eng.Settings().Sampler.Temperature1 {
		t.Fatal("mlp-2d defaults should start with temperature 1")
	}
	if !x.noise.slider.Disabled() || !x.noise.entry.Disabled() {
		t.Error("σ control enabled while temperature 1 is on")
	}

	x.stepSize.entry.SetText("0.02")
	x.stepSize.entry.TypedKey(enterKey)
	if got, want := x.noise.entry.Text, x.noise.format(math.Sqrt(0.04)); got != want {
		t.Errorf("σ shows %q after λ = 0.02, want √(2λ) = %q", got, want)
	}

	test.Tap(x.temperature1)
	s := eng.Settings()
	if s.Sampler.Temperature1 {
		t.Fatal("temperature 1 still on after unchecking")
	}
	if math.Abs(s.Sampler.Noise-0.2) > 1e-12 {
		t.Errorf("noise = %v after unchecking, want the tied value 0.2", s.Sampler.Noise)
	}
	if x.noise.slider.Disabled() || x.noise.entry.Disabled() {
		t.Error("σ control disabled while temperature 1 is off")
	}

	x.noise.entry.SetText("0.01")
	x.noise.entry.TypedKey(enterKey)
	if got := eng.Settings().Sampler.NoiseStd(); got != 0.01 {
		t.Errorf("σ in force = %v, want 0.01", got)
	}
	if !strings.Contains(x.temperature.Text, "0.0025") {
		t.Errorf("temperature line %q, want σ²/(2λ) = 0.0025", x.temperature.Text)
	}
}

func TestControlValueMapping(t *testing.T) {
	cases := []struct {
		name     string
		sp       spec
		position float64
		want     float64
	}{
		{"log rounds to two digits", spec{scale: log10}, math.Log10(0.012345), 0.012},
		{"log integer", spec{scale: log10, integer: true}, math.Log10(57.3), 57},
		{"log integer large", spec{scale: log10, integer: true}, math.Log10(123.4), 120},
		{"power of two", spec{scale: pow2, integer: true}, 6.4, 64},
		{"linear step", spec{scale: linear, step: 0.01}, 0.256, 0.26},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := &numberControl{spec: tc.sp}
			if got := c.value(tc.position); got != tc.want {
				t.Errorf("value(%v) = %v, want %v", tc.position, got, tc.want)
			}
		})
	}
}

package ui

import (
	"fyne.io/fyne/v2"

	"github.com/ebmlab/ebmlab/model/train"
)

// Preference keys of the last data set and network preset.
const (
	prefData   = "explorer.data"
	prefPreset = "explorer.preset"
)

// storedFloat and storedInt name the settings that are saved, with the
// field each one reads and writes.
type storedFloat struct {
	key   string
	field func(*train.Settings) *float64
}

type storedInt struct {
	key   string
	field func(*train.Settings) *int
}

var storedFloats = []storedFloat{
	{"step_size", func(s *train.Settings) *float64 { return &s.Sampler.StepSize }},
	{"noise", func(s *train.Settings) *float64 { return &s.Sampler.Noise }},
	{"grad_clip", func(s *train.Settings) *float64 { return &s.Sampler.GradClip }},
	{"reinit", func(s *train.Settings) *float64 { return &s.Reinit }},
	{"learning_rate", func(s *train.Settings) *float64 { return &s.Adam.LR }},
	{"alpha", func(s *train.Settings) *float64 { return &s.Alpha }},
}

var storedInts = []storedInt{
	{"steps", func(s *train.Settings) *int { return &s.Sampler.Steps }},
	{"batch", func(s *train.Settings) *int { return &s.Batch }},
	{"buffer_size", func(s *train.Settings) *int { return &s.BufferSize }},
}

const storedTemperature1 = "temperature1"

// settingKey returns the preference key of one setting of a preset.
func settingKey(preset, field string) string {
	return "settings." + preset + "." + field
}

// RestoredSettings returns the settings last saved in p for preset, on top
// of train.DefaultSettings(preset, lo, hi). It returns the defaults when p
// is nil or the saved set does not validate, for example after a data
// range change.
func RestoredSettings(p fyne.Preferences, preset string, lo, hi float64) train.Settings {
	defaults := train.DefaultSettings(preset, lo, hi)
	if p == nil {
		return defaults
	}

	s := defaults
	for _, f := range storedFloats {
		v := f.field(&s)
		*v = p.FloatWithFallback(settingKey(preset, f.key), *v)
	}
	for _, f := range storedInts {
		v := f.field(&s)
		*v = p.IntWithFallback(settingKey(preset, f.key), *v)
	}
	s.Sampler.Temperature1 = p.BoolWithFallback(settingKey(preset, storedTemperature1), s.Sampler.Temperature1)

	if s.Validate() != nil {
		return defaults
	}
	return s
}

// saveSettings stores the controlled fields of s for preset.
func saveSettings(p fyne.Preferences, preset string, s train.Settings) {
	if p == nil || preset == "" {
		return
	}
	for _, f := range storedFloats {
		p.SetFloat(settingKey(preset, f.key), *f.field(&s))
	}
	for _, f := range storedInts {
		p.SetInt(settingKey(preset, f.key), *f.field(&s))
	}
	p.SetBool(settingKey(preset, storedTemperature1), s.Sampler.Temperature1)
}

// LastChoice returns the data set and network preset chosen last in the
// explorer, or empty strings when none was saved.
func LastChoice(p fyne.Preferences) (data, preset string) {
	if p == nil {
		return "", ""
	}
	return p.String(prefData), p.String(prefPreset)
}

// saveChoice stores the data set and preset in force.
func saveChoice(p fyne.Preferences, data, preset string) {
	if p == nil {
		return
	}
	p.SetString(prefData, data)
	p.SetString(prefPreset, preset)
}

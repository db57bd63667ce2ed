package cli

import (
	"flag"
	"fmt"
	"math"
	"strconv"

	"github.com/ebmlab/ebmlab/model/train"
)

// settingFlag is a command-line flag that overrides one training setting.
// Defaults depend on the model preset, so values are applied after the
// preset is known, and only for flags given on the command line.
type settingFlag struct {
	name  string
	usage string
	apply func(s *train.Settings, v string) error
}

func floatSetting(field func(*train.Settings) *float64) func(*train.Settings, string) error {
	return func(s *train.Settings, v string) error {
		f, err := strconv.ParseFloat(v, 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			return fmt.Errorf("not a finite number")
		}
		*field(s) = f
		return nil
	}
}

func intSetting(field func(*train.Settings) *int) func(*train.Settings, string) error {
	return func(s *train.Settings, v string) error {
		n, err := strconv.Atoi(v)
		if err != nil {
			return fmt.Errorf("not a whole number")
		}
		*field(s) = n
		return nil
	}
}

func boolSetting(field func(*train.Settings) *bool) func(*train.Settings, string) error {
	return func(s *train.Settings, v string) error {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return fmt.Errorf("not true or false")
		}
		*field(s) = b
		return nil
	}
}

var settingFlags = []settingFlag{
	{"step-size", "Langevin step size λ, multiplies the energy gradient", floatSetting(func(s *train.Settings) *float64 { return &s.Sampler.StepSize })},
	{"noise", "Langevin noise σ, standard deviation added per step", floatSetting(func(s *train.Settings) *float64 { return &s.Sampler.Noise })},
	{"temperature1", "tie the noise to the step size, σ = √(2λ)", boolSetting(func(s *train.Settings) *bool { return &s.Sampler.Temperature1 })},
	{"steps", "Langevin steps per iteration", intSetting(func(s *train.Settings) *int { return &s.Sampler.Steps })},
	{"grad-clip", "clip each energy-gradient component to ±c during Langevin; 0 disables", floatSetting(func(s *train.Settings) *float64 { return &s.Sampler.GradClip })},
	{"clamp", "clamp samples to the data range after each step", boolSetting(func(s *train.Settings) *bool { return &s.Sampler.Clamp })},
	{"batch", "data samples and chains per iteration", intSetting(func(s *train.Settings) *int { return &s.Batch })},
	{"buffer-size", "replay buffer capacity, in samples", intSetting(func(s *train.Settings) *int { return &s.BufferSize })},
	{"reinit", "probability that a drawn chain restarts from uniform noise", floatSetting(func(s *train.Settings) *float64 { return &s.Reinit })},
	{"lr", "Adam learning rate", floatSetting(func(s *train.Settings) *float64 { return &s.Adam.LR })},
	{"beta1", "Adam β1 (0 is usual for energy models)", floatSetting(func(s *train.Settings) *float64 { return &s.Adam.Beta1 })},
	{"beta2", "Adam β2", floatSetting(func(s *train.Settings) *float64 { return &s.Adam.Beta2 })},
	{"param-clip", "clip the global parameter-gradient norm to this value; 0 disables", floatSetting(func(s *train.Settings) *float64 { return &s.Adam.Clip })},
	{"alpha", "weight α of the E(data)² + E(samples)² regulariser", floatSetting(func(s *train.Settings) *float64 { return &s.Alpha })},
	{"data-noise", "standard deviation of Gaussian noise added to data batches", floatSetting(func(s *train.Settings) *float64 { return &s.DataNoise })},
	{"energy-bound", "reject an iteration when an energy exceeds ±this value", floatSetting(func(s *train.Settings) *float64 { return &s.EnergyBound })},
}

// settingValues records the setting flags given on the command line, in
// order.
type settingValues struct {
	names, values []string
}

// register adds every setting flag to fs.
func (sv *settingValues) register(fs *flag.FlagSet) {
	for _, f := range settingFlags {
		name := f.name
		isBool := false
		switch name {
		case "temperature1", "clamp":
			isBool = true
		}
		set := func(v string) error {
			sv.names = append(sv.names, name)
			sv.values = append(sv.values, v)
			return nil
		}
		if isBool {
			fs.BoolFunc(name, f.usage+" (true or false; default depends on the model)", set)
		} else {
			fs.Func(name, f.usage+" (default depends on the model)", set)
		}
	}
}

// apply overrides s with the recorded flags.
func (sv *settingValues) apply(s *train.Settings) error {
	for i, name := range sv.names {
		for _, f := range settingFlags {
			if f.name != name {
				continue
			}
			if err := f.apply(s, sv.values[i]); err != nil {
				return usagef("invalid --%s %q: %v", name, sv.values[i], err)
			}
		}
	}
	return nil
}

package sampler

import (
	"math"
	"strings"
	"testing"
)

func TestSettingsValidateRejects(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	valid := Settings{StepSize: 0.1, Noise: 0.01, Steps: 60, GradClip: 0.03, Clamp: true, Lo: 0, Hi: 1}
	tests := []struct {
		name   string
		modify func(*Settings)
		want   string
	}{
		{"negative step size", func(s *Settings) { s.StepSize = -1 }, "invalid step size -1: must be > 0"},
		{"zero step size", func(s *Settings) { s.StepSize = 0 }, "invalid step size 0: must be > 0"},
		{"NaN step size", func(s *Settings) { s.StepSize = nan }, "invalid step size NaN: must be finite and > 0"},
		{"infinite step size", func(s *Settings) { s.StepSize = inf }, "invalid step size +Inf: must be finite and > 0"},
		{"negative noise", func(s *Settings) { s.Noise = -0.5 }, "invalid noise -0.5: must be >= 0 (0 disables the noise)"},
		{"NaN noise", func(s *Settings) { s.Noise = nan }, "invalid noise NaN: must be finite and >= 0 (0 disables the noise)"},
		{"negative steps", func(s *Settings) { s.Steps = -3 }, "invalid steps per run -3: must be >= 0"},
		{"negative clip", func(s *Settings) { s.GradClip = -0.1 }, "invalid gradient clip -0.1: must be >= 0 (0 disables clipping)"},
		{"infinite clip", func(s *Settings) { s.GradClip = inf }, "invalid gradient clip +Inf: must be finite and >= 0 (0 disables clipping)"},
		{"NaN lower bound", func(s *Settings) { s.Lo = nan }, "invalid clamp lower bound NaN: must be finite"},
		{"infinite upper bound", func(s *Settings) { s.Hi = inf }, "invalid clamp upper bound +Inf: must be finite"},
		{"reversed range", func(s *Settings) { s.Lo, s.Hi = 1, -1 }, "invalid clamp range [1, -1]: lower bound must be < upper bound"},
		{"empty range", func(s *Settings) { s.Lo, s.Hi = 0.5, 0.5 }, "invalid clamp range [0.5, 0.5]: lower bound must be < upper bound"},
	}
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			s := valid
			test.modify(&s)

			err := s.Validate()

			if err == nil {
				t.Fatalf("Validate() = nil, want %q", test.want)
			}
			if err.Error() != test.want {
				t.Errorf("Validate() = %q, want %q", err, test.want)
			}
		})
	}
}

func TestSettingsValidateAccepts(t *testing.T) {
	tests := []struct {
		name     string
		settings Settings
	}{
		{"typical", Settings{StepSize: 10, Noise: 0.005, Steps: 60, GradClip: 0.01, Clamp: true, Lo: 0, Hi: 1}},
		{"zero noise", Settings{StepSize: 0.1, Steps: 1}},
		{"zero steps", Settings{StepSize: 0.1, Steps: 0}},
		{"noise ignored at temperature 1", Settings{StepSize: 0.1, Noise: -1, Temperature1: true, Steps: 5}},
		{"range ignored without clamp", Settings{StepSize: 0.1, Steps: 5, Lo: 1, Hi: math.NaN()}},
		{"negative range", Settings{StepSize: 0.1, Steps: 5, Clamp: true, Lo: -255, Hi: -1}},
	}
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			if err := test.settings.Validate(); err != nil {
				t.Errorf("Validate() = %v, want nil", err)
			}
		})
	}
}

func TestSettingsNoiseStdTemperature(t *testing.T) {
	tests := []struct {
		name            string
		settings        Settings
		wantNoise       float64
		wantTemperature float64
	}{
		{"temperature 1 ties sigma", Settings{StepSize: 0.5, Noise: 7, Temperature1: true}, 1, 1},
		{"temperature 1, small step", Settings{StepSize: 0.02, Temperature1: true}, 0.2, 1},
		{"explicit noise at T=1", Settings{StepSize: 0.5, Noise: 1}, 1, 1},
		{"cold chain", Settings{StepSize: 10, Noise: 0.005}, 0.005, 0.005 * 0.005 / 20},
		{"hot chain", Settings{StepSize: 0.125, Noise: 1}, 1, 4},
		{"no noise", Settings{StepSize: 0.1}, 0, 0},
	}
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			if got := test.settings.NoiseStd(); math.Abs(got-test.wantNoise) > 1e-12 {
				t.Errorf("NoiseStd() = %v, want %v", got, test.wantNoise)
			}
			if got := test.settings.Temperature(); math.Abs(got-test.wantTemperature) > 1e-12*max(1, test.wantTemperature) {
				t.Errorf("Temperature() = %v, want %v", got, test.wantTemperature)
			}
		})
	}
}

func TestDivergenceErrorMessage(t *testing.T) {
	s := Settings{StepSize: 2.5, Temperature1: true, Steps: 60}
	tests := []struct {
		name string
		err  *DivergenceError
		want string
	}{
		{
			name: "in Run",
			err:  &DivergenceError{Step: 37, Cause: "|x| = 3.2e+06 in chain 4 exceeds bound 1e+06", Settings: s},
			want: "chains diverged at Langevin step 37: |x| = 3.2e+06 in chain 4 exceeds bound 1e+06 " +
				"(step size 2.5, noise std 2.24, steps 60, gradient clip off, clamp off): " +
				"reduce the step size, set a gradient clip or enable the clamp",
		},
		{
			name: "direct Step",
			err:  &DivergenceError{Cause: "NaN in energy gradient of chain 0", Settings: Settings{StepSize: 0.1, Noise: 0.01, GradClip: 0.05, Clamp: true, Lo: 0, Hi: 1}},
			want: "chains diverged in a Langevin step: NaN in energy gradient of chain 0 " +
				"(step size 0.1, noise std 0.01, steps 0, gradient clip 0.05, clamp [0, 1]): " +
				"reduce the step size, set a gradient clip or enable the clamp",
		},
	}
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			got := test.err.Error()
			if got != test.want {
				t.Errorf("Error() =\n%s\nwant\n%s", got, test.want)
			}
			if strings.HasSuffix(got, ".") {
				t.Errorf("Error() ends with a period: %q", got)
			}
		})
	}
}

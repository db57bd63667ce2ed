package sampler

import (
	"fmt"
	"math"
)

// Settings are the parameters of one Langevin run. Run reads them again
// before every step, so any field may change between two steps.
type Settings struct {
	StepSize     float64 // λ: multiplies the (clipped) energy gradient
	Noise        float64 // σ: standard deviation of the Gaussian noise added per step, ignored when Temperature1
	Temperature1 bool    // ties σ = sqrt(2λ), so the chain targets exp(-E)
	Steps        int     // K: steps per sampling run
	GradClip     float64 // c > 0 clips each gradient component to [-c, c], and 0 disables
	Clamp        bool    // clamp each coordinate to [Lo, Hi] after the step
	Lo, Hi       float64 // clamp range, used only when Clamp is set
}

// NoiseStd returns the noise standard deviation σ in force: sqrt(2·StepSize)
// when Temperature1 is set, Noise otherwise.
func (s Settings) NoiseStd() float64 {
	if s.Temperature1 {
		return math.Sqrt(2 * s.StepSize)
	}
	return s.Noise
}

// Temperature returns the effective temperature σ²/(2λ) of the chain. It is
// 1 when Temperature1 is set, and it is meaningful only for StepSize > 0.
func (s Settings) Temperature() float64 {
	sigma := s.NoiseStd()
	return sigma * sigma / (2 * s.StepSize)
}

// Validate returns an error that names the first invalid field, its value
// and the valid range. It checks Noise only when Temperature1 is unset, and
// Lo and Hi only when Clamp is set. Steps = 0 is valid and makes Run return
// without moving the chains.
func (s Settings) Validate() error {
	if err := checkPositive("step size", s.StepSize); err != nil {
		return err
	}
	if !s.Temperature1 {
		if err := checkNonNegative("noise", s.Noise, "0 disables the noise"); err != nil {
			return err
		}
	}
	if s.Steps < 0 {
		return fmt.Errorf("invalid steps per run %d: must be >= 0", s.Steps)
	}
	if err := checkNonNegative("gradient clip", s.GradClip, "0 disables clipping"); err != nil {
		return err
	}
	if !s.Clamp {
		return nil
	}

	if isNonFinite(s.Lo) {
		return fmt.Errorf("invalid clamp lower bound %v: must be finite", s.Lo)
	}
	if isNonFinite(s.Hi) {
		return fmt.Errorf("invalid clamp upper bound %v: must be finite", s.Hi)
	}
	if s.Lo >= s.Hi {
		return fmt.Errorf("invalid clamp range [%v, %v]: lower bound must be < upper bound", s.Lo, s.Hi)
	}
	return nil
}

// String formats the settings for error messages and logs.
func (s Settings) String() string {
	clip := "off"
	if s.GradClip > 0 {
		clip = fmt.Sprintf("%.3g", s.GradClip)
	}
	clamp := "off"
	if s.Clamp {
		clamp = fmt.Sprintf("[%.3g, %.3g]", s.Lo, s.Hi)
	}
	return fmt.Sprintf("step size %.3g, noise std %.3g, steps %d, gradient clip %s, clamp %s",
		s.StepSize, s.NoiseStd(), s.Steps, clip, clamp)
}

func checkPositive(field string, v float64) error {
	if isNonFinite(v) {
		return fmt.Errorf("invalid %s %v: must be finite and > 0", field, v)
	}
	if v <= 0 {
		return fmt.Errorf("invalid %s %v: must be > 0", field, v)
	}
	return nil
}

func checkNonNegative(field string, v float64, zero string) error {
	if isNonFinite(v) {
		return fmt.Errorf("invalid %s %v: must be finite and >= 0 (%s)", field, v, zero)
	}
	if v < 0 {
		return fmt.Errorf("invalid %s %v: must be >= 0 (%s)", field, v, zero)
	}
	return nil
}

func isNonFinite(v float64) bool {
	return math.IsNaN(v) || math.IsInf(v, 0)
}

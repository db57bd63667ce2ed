package runconfig

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"os"

	"github.com/pelletier/go-toml/v2"

	"github.com/ebmlab/ebmlab/model/checkpoint"
)

// MaxSeed is the largest seed a configuration file can hold, because TOML
// integers are signed 64-bit.
const MaxSeed = math.MaxInt64

// MaxFileSize is the largest file Load reads, in bytes. A saved
// configuration is about 1.5 KiB, so a larger file is almost certainly the
// wrong file.
const MaxFileSize = 1 << 20

// Config is a run configuration. The comment tags become comments in the
// files that Encode writes.
type Config struct {
	Data       string        `toml:"data" comment:"built-in data set name, or path to a data file"`
	Model      string        `toml:"model" comment:"network preset name"`
	Seed       uint64        `toml:"seed" comment:"seed of every random number generator, 0 to 9223372036854775807"`
	Iterations int           `toml:"iterations" comment:"training iterations to run"`
	Sampler    SamplerConfig `toml:"sampler" comment:"Langevin sampler"`
	Train      TrainConfig   `toml:"train" comment:"contrastive-divergence training with Adam"`
}

// SamplerConfig contains the Langevin sampler settings.
type SamplerConfig struct {
	StepSize     float64 `toml:"step_size" comment:"λ, multiplies the clipped energy gradient"`
	Noise        float64 `toml:"noise" comment:"σ, standard deviation of the Gaussian noise added per step; ignored when temperature1 is true"`
	Temperature1 bool    `toml:"temperature1" comment:"true sets σ = sqrt(2λ), so the chains target exp(-E)"`
	Steps        int     `toml:"steps" comment:"Langevin steps per iteration"`
	GradClip     float64 `toml:"grad_clip" comment:"clips each energy gradient component to [-grad_clip, grad_clip]; 0 disables"`
	Clamp        bool    `toml:"clamp" comment:"clamps each sample coordinate to the data range after each step"`
}

// TrainConfig contains the training and optimiser settings.
type TrainConfig struct {
	Batch      int     `toml:"batch" comment:"data samples and chains per iteration"`
	BufferSize int     `toml:"buffer_size" comment:"replay buffer capacity, in samples"`
	Reinit     float64 `toml:"reinit" comment:"probability that a chain drawn from the buffer restarts from uniform noise"`
	LR         float64 `toml:"lr" comment:"Adam learning rate"`
	Beta1      float64 `toml:"beta1" comment:"Adam decay rate of the first moment"`
	Beta2      float64 `toml:"beta2" comment:"Adam decay rate of the second moment"`
	Alpha      float64 `toml:"alpha" comment:"weight α of the energy regulariser α·(E(data)² + E(samples)²)"`
	ParamClip  float64 `toml:"param_clip" comment:"scales the parameter gradients so their global L2 norm is at most param_clip; 0 disables"`
	DataNoise  float64 `toml:"data_noise" comment:"standard deviation of the Gaussian noise added to data batches"`
}

const header = "# EBM Lab run configuration. Reproduce the run with: ebmlab train --config FILE\n\n"

// Load reads and parses the configuration file at path. Errors name the
// path.
func Load(path string) (*Config, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("runconfig: %w", err) // *fs.PathError names the path
	}
	defer f.Close()

	data, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("runconfig: %w", err)
	}
	if len(data) > MaxFileSize {
		return nil, fmt.Errorf("runconfig: %s is larger than %d bytes; choose the .toml file that EBM Lab saved",
			path, MaxFileSize)
	}
	return Parse(data, path)
}

// Parse parses a configuration. The name, usually the file path, starts
// every error message. Errors are *Error values, several joined with
// errors.Join when the file has several unknown or missing keys.
func Parse(data []byte, name string) (*Config, error) {
	// Some Windows editors start UTF-8 files with a byte order mark, which
	// go-toml v2.4.3 rejects as an invalid key.
	data = bytes.TrimPrefix(data, []byte("\uFEFF"))

	var c Config
	dec := toml.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&c); err != nil {
		return nil, convertError(err, data, name)
	}

	// The second decoding, which must succeed after the first, shows which
	// keys the file sets.
	var present map[string]any
	if err := toml.Unmarshal(data, &present); err != nil {
		return nil, convertError(err, data, name)
	}
	if len(present) == 0 {
		return nil, &Error{Name: name, Err: ErrEmpty,
			Msg: "empty configuration; it must set " + keyList(configType)}
	}
	if err := checkMissing(present, name); err != nil {
		return nil, err
	}
	return &c, nil
}

// Encode writes c as TOML with a comment above every key. It returns an
// error when the seed exceeds MaxSeed.
func (c *Config) Encode(w io.Writer) error {
	if c.Seed > MaxSeed {
		return fmt.Errorf("runconfig: seed %d is above %d, the largest TOML integer; choose a smaller seed",
			c.Seed, uint64(MaxSeed))
	}

	var buf bytes.Buffer
	buf.WriteString(header)
	if err := toml.NewEncoder(&buf).Encode(c); err != nil {
		return fmt.Errorf("runconfig: %w", err)
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// Save writes c to path atomically with checkpoint.WriteAtomic, so a crash
// leaves either the previous file or the new one.
func (c *Config) Save(path string) error {
	if err := checkpoint.WriteAtomic(path, c.Encode); err != nil {
		return fmt.Errorf("runconfig: %w", err)
	}
	return nil
}

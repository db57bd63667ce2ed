package runconfig

import (
	"bytes"
	"errors"
	"io/fs"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// valid is a hand-written configuration. Each case of TestParseErrors
// damages one line of it.
const valid = `# hand-written
data = "moons"
model = "mlp-2d"
seed = 7
iterations = 20000

[sampler]
step_size = 10
noise = 0.005
temperature1 = false
steps = 60
grad_clip = 0.03
clamp = true

[train]
batch = 128
buffer_size = 8192
reinit = 0.05
lr = 1e-4
beta1 = 0.0
beta2 = 0.999
alpha = 0.1
param_clip = 0.0
data_noise = 0.005
`

func validConfig() *Config {
	return &Config{
		Data: "moons", Model: "mlp-2d", Seed: 7, Iterations: 20000,
		Sampler: SamplerConfig{StepSize: 10, Noise: 0.005, Steps: 60, GradClip: 0.03, Clamp: true},
		Train: TrainConfig{Batch: 128, BufferSize: 8192, Reinit: 0.05, LR: 1e-4, Beta2: 0.999,
			Alpha: 0.1, DataNoise: 0.005},
	}
}

func randomConfig(rng *rand.Rand) *Config {
	float := func() float64 {
		switch rng.IntN(6) {
		case 0:
			return 0
		case 1:
			return -rng.Float64()
		case 2:
			return math.Ldexp(rng.Float64(), rng.IntN(120)-60) // tiny to huge
		}
		return rng.Float64()
	}
	return &Config{
		Data:       []string{"moons", "/home/ann/data/rings \"v2\".csv", "日本\n\ttab", ""}[rng.IntN(4)],
		Model:      []string{"mlp-2d", "mnist-cnn", "C:\\models\\x"}[rng.IntN(3)],
		Seed:       rng.Uint64N(MaxSeed + 1),
		Iterations: rng.IntN(1 << 30),
		Sampler: SamplerConfig{StepSize: float(), Noise: float(), Temperature1: rng.IntN(2) == 0,
			Steps: rng.IntN(1000) - 10, GradClip: float(), Clamp: rng.IntN(2) == 0},
		Train: TrainConfig{Batch: rng.IntN(4096), BufferSize: rng.IntN(1 << 20), Reinit: float(), LR: float(),
			Beta1: float(), Beta2: float(), Alpha: float(), ParamClip: float(), DataNoise: float()},
	}
}

func encodeConfig(t testing.TB, c *Config) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := c.Encode(&buf); err != nil {
		t.Fatalf("Encode: %v", err)
	}
	return buf.Bytes()
}

func TestParseValid(t *testing.T) {
	got, err := Parse([]byte(valid), "run.toml")
	if err != nil {
		t.Fatal(err)
	}
	if want := validConfig(); !reflect.DeepEqual(got, want) {
		t.Errorf("Parse = %+v, want %+v", got, want)
	}
}

func TestRoundTrip(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	special := validConfig()
	special.Seed = MaxSeed
	special.Sampler.StepSize = math.Inf(1)
	special.Train.Alpha = math.Copysign(0, -1)
	configs := []*Config{validConfig(), special, {}}
	for range 50 {
		configs = append(configs, randomConfig(rng))
	}

	for i, want := range configs {
		encoded := encodeConfig(t, want)
		got, err := Parse(encoded, "saved.toml")
		if err != nil {
			t.Fatalf("config %d: Parse of the encoded file: %v\n%s", i, err, encoded)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("config %d: round trip gives %+v, want %+v", i, got, want)
		}
		if math.Signbit(got.Train.Alpha) != math.Signbit(want.Train.Alpha) {
			t.Errorf("config %d: alpha sign lost", i)
		}
	}
}

func TestRoundTripNaN(t *testing.T) {
	c := validConfig()
	c.Sampler.Noise = math.NaN()
	got, err := Parse(encodeConfig(t, c), "nan.toml")
	if err != nil {
		t.Fatal(err)
	}
	if !math.IsNaN(got.Sampler.Noise) {
		t.Errorf("noise = %v after a round trip, want NaN", got.Sampler.Noise)
	}
}

func TestParseByteOrderMark(t *testing.T) {
	got, err := Parse([]byte("\uFEFF"+valid), "bom.toml")
	if err != nil {
		t.Fatal(err)
	}
	if want := validConfig(); !reflect.DeepEqual(got, want) {
		t.Errorf("Parse = %+v, want %+v", got, want)
	}
}

func TestParseHandEdited(t *testing.T) {
	// Dotted keys and inline tables are other TOML spellings of the tables.
	doc := `data = "rings"
model = "mlp-2d"
seed = 1
iterations = 5
sampler = { step_size = 0.5, noise = 1, temperature1 = true, steps = 3, grad_clip = 0, clamp = false }
train.batch = 2
train.buffer_size = 4
train.reinit = 1
train.lr = 3
train.beta1 = 0.5
train.beta2 = 0.5
train.alpha = 0
train.param_clip = 1.5
train.data_noise = 0
`
	got, err := Parse([]byte(doc), "edited.toml")
	if err != nil {
		t.Fatal(err)
	}
	if got.Sampler.Noise != 1 || !got.Sampler.Temperature1 || got.Train.BufferSize != 4 || got.Train.ParamClip != 1.5 {
		t.Errorf("Parse = %+v", got)
	}
}

func TestParseErrors(t *testing.T) {
	for _, test := range []struct {
		name       string
		old, new   string // replace old in the valid file with new
		want       error
		line, col  int
		key        string
		msg        string
		errorCount int // errors joined; 0 means 1
	}{
		{"misspelled key", "step_size = 10", "setp_size = 10", ErrUnknownKey, 8, 1, "sampler.setp_size",
			`run.toml:8:1: unknown key "sampler.setp_size"; valid keys in [sampler] are step_size, noise, temperature1, steps, grad_clip, clamp`, 0},
		{"misspelled table", "[train]", "[trian]", ErrUnknownKey, 15, 2, "trian",
			`valid top-level keys are data, model, seed, iterations, [sampler], [train]`, 0},
		{"unknown top-level key", "seed = 7", "seed = 7\nepochs = 3", ErrUnknownKey, 5, 1, "epochs", `unknown key "epochs"`, 0},
		{"unknown subtable", "[train]", "[train]\n[train.extra]", ErrUnknownKey, 16, 2, "train.extra", "valid keys in [train] are batch,", 0},
		{"two unknown keys", "lr = 1e-4", "rl = 1e-4\nbeta = 3", ErrUnknownKey, 19, 1, "train.rl", `unknown key "train.rl"`, 2},
		{"string for float", "noise = 0.005", `noise = "0.005"`, ErrType, 9, 9, "sampler.noise",
			`run.toml:9:9: sampler.noise must be a number, found string "0.005"`, 0},
		{"float for integer", "steps = 60", "steps = 60.0", ErrType, 11, 9, "sampler.steps", "sampler.steps must be an integer, found float 60.0", 0},
		{"integer for boolean", "clamp = true", "clamp = 1", ErrType, 13, 9, "sampler.clamp", "must be true or false, found integer 1", 0},
		{"number for string", `data = "moons"`, "data = 3", ErrType, 2, 8, "data", "data must be a string, found integer 3", 0},
		{"negative seed", "seed = 7", "seed = -7", ErrType, 4, 8, "seed", "seed must be an integer from 0 to 9223372036854775807, found integer -7", 0},
		{"scalar for table", "[sampler]", "sampler = 3\n[sampler2]", ErrType, 7, 11, "sampler", "sampler must be a table, found integer 3", 0},
		{"array of tables", "[sampler]", "[[sampler]]", ErrType, 7, 3, "sampler", "sampler must be a table, found an array", 0},
		{"seed beyond int64", "seed = 7", "seed = 9223372036854775808", ErrSyntax, 4, 8, "", "invalid TOML:", 0},
		{"unterminated string", `data = "moons"`, `data = "moons`, ErrSyntax, 2, 0, "", "invalid TOML:", 0},
		{"missing value", "batch = 128", "batch =", ErrSyntax, 16, 0, "", "invalid TOML:", 0},
		{"duplicate key", "batch = 128", "batch = 128\nbatch = 64", ErrSyntax, 17, 1, "", "invalid TOML: key batch is already defined", 0},
		{"missing equals sign", "alpha = 0.1", "alpha 0.1", ErrSyntax, 22, 0, "", "invalid TOML:", 0},
		{"missing key", "grad_clip = 0.03\n", "", ErrMissingKey, 0, 0, "sampler.grad_clip",
			`run.toml: missing key "sampler.grad_clip"; add it`, 0},
		{"missing table", "[sampler]", "[sampler2]", ErrUnknownKey, 7, 2, "sampler2", `unknown key "sampler2"`, 0},
		{"missing keys", "lr = 1e-4\nbeta1 = 0.0\n", "", ErrMissingKey, 0, 0, "train.lr", `missing key "train.lr"`, 2},
	} {
		t.Run(test.name, func(t *testing.T) {
			if !strings.Contains(valid, test.old) {
				t.Fatalf("the valid file does not contain %q", test.old)
			}
			doc := strings.Replace(valid, test.old, test.new, 1)
			c, err := Parse([]byte(doc), "run.toml")
			if c != nil {
				t.Errorf("Parse returned a Config with error %v", err)
			}
			checkError(t, err, test.want, test.line, test.col, test.key, test.msg)
			count := 1
			if joined, ok := err.(interface{ Unwrap() []error }); ok {
				count = len(joined.Unwrap())
			}
			if want := max(test.errorCount, 1); count != want {
				t.Errorf("%d errors, want %d: %v", count, want, err)
			}
		})
	}
}

func TestParseEmpty(t *testing.T) {
	for _, doc := range []string{"", "\n\n", "# only a comment\n"} {
		c, err := Parse([]byte(doc), "run.toml")
		if c != nil {
			t.Errorf("Parse(%q) returned a Config", doc)
		}
		checkError(t, err, ErrEmpty, 0, 0, "",
			"run.toml: empty configuration; it must set data, model, seed, iterations, [sampler], [train]")
	}
}

// checkError checks the first *Error in err. A column of 0 is not checked
// unless the line is 0 too.
func checkError(t *testing.T, err error, want error, line, col int, key, msg string) {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v (%T) is not an *Error", err, err)
	}
	if !errors.Is(err, want) {
		t.Errorf("error %v, want %v", err, want)
	}
	if e.Line != line {
		t.Errorf("line %d, want %d: %v", e.Line, line, err)
	}
	if (col != 0 || line == 0) && e.Column != col {
		t.Errorf("column %d, want %d: %v", e.Column, col, err)
	}
	if e.Key != key {
		t.Errorf("key %q, want %q", e.Key, key)
	}
	if !strings.Contains(err.Error(), msg) {
		t.Errorf("error %q does not contain %q", err, msg)
	}
}

func TestEncodeSeedTooLarge(t *testing.T) {
	c := validConfig()
	c.Seed = MaxSeed + 1
	var buf bytes.Buffer
	err := c.Encode(&buf)
	if err == nil || !strings.Contains(err.Error(), "seed 9223372036854775808 is above 9223372036854775807") {
		t.Errorf("Encode error %v, want one naming the seed and the limit", err)
	}
	if buf.Len() != 0 {
		t.Errorf("Encode wrote %d bytes before failing", buf.Len())
	}
}

func TestSaveLoad(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "run.toml")
	want := randomConfig(rand.New(rand.NewPCG(3, 4)))
	if err := want.Save(path); err != nil {
		t.Fatal(err)
	}
	got, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Load = %+v, want %+v", got, want)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 {
		t.Errorf("directory contains %d entries after Save, want 1", len(entries))
	}
}

func TestLoadErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.toml")
	if err := os.WriteFile(bad, []byte(strings.Replace(valid, "steps = 60", "stpes = 60", 1)), 0o666); err != nil {
		t.Fatal(err)
	}
	huge := filepath.Join(dir, "huge.toml")
	if err := os.WriteFile(huge, bytes.Repeat([]byte("# padding\n"), MaxFileSize/10+1), 0o666); err != nil {
		t.Fatal(err)
	}
	for _, test := range []struct {
		name string
		path string
		want error
		msg  string
	}{
		{"missing file", filepath.Join(dir, "missing.toml"), fs.ErrNotExist, "missing.toml: no such file"},
		{"unknown key", bad, ErrUnknownKey, bad + `:11:1: unknown key "sampler.stpes"`},
		{"file too large", huge, nil, "is larger than 1048576 bytes"},
	} {
		t.Run(test.name, func(t *testing.T) {
			c, err := Load(test.path)
			if c != nil || err == nil {
				t.Fatalf("Load = %v, %v; want an error", c, err)
			}
			if test.want != nil && !errors.Is(err, test.want) {
				t.Errorf("error %v, want %v", err, test.want)
			}
			if !strings.Contains(err.Error(), test.msg) || !strings.Contains(err.Error(), test.path) {
				t.Errorf("error %q does not contain %q and the path", err, test.msg)
			}
		})
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(valid))
	f.Add([]byte(""))
	f.Add([]byte("data = 'x'\n[sampler]\nsetp_size = 1\n"))
	f.Add([]byte("sampler = { step_size = 'a' }"))
	f.Add([]byte("[[train]]\nbatch = 1.5\n"))

	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := Parse(data, "fuzz.toml")
		if err != nil {
			var e *Error
			if c != nil || !errors.As(err, &e) {
				t.Fatalf("got %v, %v; want nil and an *Error", c, err)
			}
			return
		}

		// A parsed configuration must survive Encode and Parse unchanged.
		first := encodeConfig(t, c)
		again, err := Parse(first, "encoded.toml")
		if err != nil {
			t.Fatalf("Parse of the encoded configuration: %v\n%s", err, first)
		}
		if second := encodeConfig(t, again); !bytes.Equal(first, second) {
			t.Fatalf("encodings differ:\n%s\n---\n%s", first, second)
		}
	})
}

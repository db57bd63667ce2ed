package checkpoint

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

// randomFile returns a File with metadata and tensors of every kind:
// float32 and int64, a scalar, an empty tensor and NaN payloads.
func randomFile(rng *rand.Rand, n int) *File {
	data := make([]float32, n*3)
	for i := range data {
		data[i] = float32(rng.NormFloat64())
	}
	if len(data) > 1 {
		data[0] = float32(math.NaN())
		data[1] = math.Float32frombits(0x7fc0_1234) // NaN with a payload
	}
	ages := make([]int64, n)
	for i := range ages {
		ages[i] = rng.Int64() - math.MaxInt64/2
	}
	return &File{
		Meta: json.RawMessage(`{"preset":"mlp-2d","input":[2],"sampler":{"step_size":0.01}}`),
		Tensors: []Tensor{
			{Name: "params/w1", Shape: []int{n, 3}, Data: data},
			{Name: "buffer/ages", Shape: []int{n}, Ints: ages},
			{Name: "adam/step", Shape: []int{}, Ints: []int64{42}},
			{Name: "scalar", Shape: []int{}, Data: []float32{-0.5}},
			{Name: "empty", Shape: []int{0, 4}, Data: []float32{}},
			{Name: "größe", Shape: []int{1, 1, 1}, Data: []float32{float32(math.Inf(-1))}},
		},
	}
}

func encode(t testing.TB, f *File) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := Encode(&buf, f); err != nil {
		t.Fatalf("Encode: %v", err)
	}
	return buf.Bytes()
}

// sameFile compares two Files, treating float32 values as bit patterns so
// NaN payloads count.
func sameFile(a, b *File) bool {
	if !bytes.Equal(a.Meta, b.Meta) || len(a.Tensors) != len(b.Tensors) {
		return false
	}
	for i := range a.Tensors {
		x, y := &a.Tensors[i], &b.Tensors[i]
		if x.Name != y.Name || x.IsInt() != y.IsInt() || len(x.Shape) != len(y.Shape) {
			return false
		}
		for j := range x.Shape {
			if x.Shape[j] != y.Shape[j] {
				return false
			}
		}
		if len(x.Data) != len(y.Data) || len(x.Ints) != len(y.Ints) {
			return false
		}
		for j := range x.Data {
			if math.Float32bits(x.Data[j]) != math.Float32bits(y.Data[j]) {
				return false
			}
		}
		for j := range x.Ints {
			if x.Ints[j] != y.Ints[j] {
				return false
			}
		}
	}
	return true
}

func TestEncodeDecodeEncodeIdentical(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, test := range []struct {
		name string
		file *File
	}{
		{"nothing", &File{}},
		{"metadata only", &File{Meta: json.RawMessage(`{"a": [1, 2]}`)}},
		{"scalar only", &File{Tensors: []Tensor{{Name: "x", Data: []float32{1}}}}},
		{"small", randomFile(rng, 5)},
		{"several chunks", randomFile(rng, 40000)},
	} {
		t.Run(test.name, func(t *testing.T) {
			first := encode(t, test.file)
			decoded, err := Decode(bytes.NewReader(first))
			if err != nil {
				t.Fatalf("Decode: %v", err)
			}
			if !sameFile(decoded, test.file) {
				t.Errorf("decoded file differs from the encoded one")
			}
			second := encode(t, decoded)
			if !bytes.Equal(first, second) {
				t.Errorf("second encoding differs: %d bytes, first %d", len(second), len(first))
			}
		})
	}
}

func TestDecodeUnknownSize(t *testing.T) {
	want := randomFile(rand.New(rand.NewPCG(3, 4)), 30000)
	// Hiding Len makes Decode grow its buffers as data arrives.
	got, err := Decode(struct{ *bytes.Reader }{bytes.NewReader(encode(t, want))})
	if err != nil {
		t.Fatalf("Decode: %v", err)
	}
	if !sameFile(got, want) {
		t.Errorf("decoded file differs from the encoded one")
	}
}

func TestTensorLookup(t *testing.T) {
	f := randomFile(rand.New(rand.NewPCG(5, 6)), 3)
	got, ok := f.Tensor("buffer/ages")
	if !ok || got != &f.Tensors[1] {
		t.Errorf("Tensor(buffer/ages) = %p, %v; want %p, true", got, ok, &f.Tensors[1])
	}
	if got, ok := f.Tensor("missing"); ok || got != nil {
		t.Errorf("Tensor(missing) = %v, %v; want nil, false", got, ok)
	}
}

func TestExpect(t *testing.T) {
	f := randomFile(rand.New(rand.NewPCG(7, 8)), 4)
	for _, test := range []struct {
		name   string
		tensor string
		isInt  bool
		shape  []int
		errMsg string // empty when Expect must succeed
	}{
		{"float match", "params/w1", false, []int{4, 3}, ""},
		{"int match", "buffer/ages", true, []int{4}, ""},
		{"scalar match", "scalar", false, nil, ""},
		{"missing", "params/w9", false, []int{4, 3}, `tensor "params/w9" not found`},
		{"other shape", "params/w1", false, []int{8, 3}, `tensor "params/w1" has shape [4 3], expected [8 3]`},
		{"other rank", "params/w1", false, []int{12}, `has shape [4 3], expected [12]`},
		{"int as float", "buffer/ages", false, []int{4}, `contains int64 elements, expected float32`},
		{"float as int", "scalar", true, nil, `contains float32 elements, expected int64`},
	} {
		t.Run(test.name, func(t *testing.T) {
			expect := f.Expect
			if test.isInt {
				expect = f.ExpectInts
			}
			got, err := expect(test.tensor, test.shape...)
			if test.errMsg == "" {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				if got.Name != test.tensor {
					t.Errorf("got tensor %q, want %q", got.Name, test.tensor)
				}
				return
			}
			if got != nil {
				t.Errorf("got tensor %q with an error", got.Name)
			}
			if !errors.Is(err, ErrMismatch) {
				t.Errorf("error %v does not wrap ErrMismatch", err)
			}
			if err == nil || !strings.Contains(err.Error(), test.errMsg) {
				t.Errorf("error %v does not contain %q", err, test.errMsg)
			}
		})
	}
}

func TestEncodeRejects(t *testing.T) {
	for _, test := range []struct {
		name   string
		file   *File
		errMsg string
	}{
		{"invalid JSON", &File{Meta: json.RawMessage(`{"a":`)}, "metadata is not valid JSON"},
		{"metadata too long", &File{Meta: json.RawMessage(`"` + strings.Repeat("x", MaxMetaSize) + `"`)}, "more than the limit"},
		{"too many tensors", &File{Tensors: make([]Tensor, MaxTensors+1)}, "4097 tensors"},
		{"empty name", &File{Tensors: []Tensor{{Data: []float32{1}}}}, "tensor 0: empty name"},
		{"long name", &File{Tensors: []Tensor{{Name: strings.Repeat("n", MaxNameLen+1), Data: []float32{1}}}}, "257 bytes"},
		{"invalid UTF-8 name", &File{Tensors: []Tensor{{Name: "w\xff", Data: []float32{1}}}}, "not valid UTF-8"},
		{"duplicate name", &File{Tensors: []Tensor{{Name: "w", Data: []float32{1}}, {Name: "w", Data: []float32{2}}}}, `"w" is used twice`},
		{"rank too high", &File{Tensors: []Tensor{{Name: "w", Shape: []int{1, 1, 1, 1, 1, 1, 1, 1, 1}, Data: []float32{1}}}}, "rank 9"},
		{"too many elements", &File{Tensors: []Tensor{{Name: "w", Shape: []int{1 << 20, 1 << 20}}}}, "more than 2147483647 elements"},
	} {
		t.Run(test.name, func(t *testing.T) {
			var buf bytes.Buffer
			err := Encode(&buf, test.file)
			if err == nil || !strings.Contains(err.Error(), test.errMsg) {
				t.Errorf("error %v does not contain %q", err, test.errMsg)
			}
			if buf.Len() != 0 {
				t.Errorf("Encode wrote %d bytes before failing", buf.Len())
			}
		})
	}
}

func TestEncodePanics(t *testing.T) {
	for _, test := range []struct {
		name   string
		tensor Tensor
		msg    string
	}{
		{"shape mismatch", Tensor{Name: "w", Shape: []int{2, 3}, Data: make([]float32, 5)}, "needs 6 elements, but contains 5"},
		{"int shape mismatch", Tensor{Name: "a", Shape: []int{2}, Ints: []int64{1}}, "needs 2 elements, but contains 1"},
		{"scalar without data", Tensor{Name: "s"}, "needs 1 elements, but contains 0"},
		{"negative dimension", Tensor{Name: "w", Shape: []int{-1, 2}}, "negative dimension"},
		{"both element kinds", Tensor{Name: "w", Shape: []int{1}, Data: []float32{1}, Ints: []int64{1}}, "sets both Data and Ints"},
	} {
		t.Run(test.name, func(t *testing.T) {
			defer func() {
				msg, _ := recover().(string)
				if !strings.HasPrefix(msg, "checkpoint: ") || !strings.Contains(msg, test.msg) {
					t.Errorf("panic %q, want a checkpoint: panic containing %q", msg, test.msg)
				}
			}()
			Encode(&bytes.Buffer{}, &File{Tensors: []Tensor{test.tensor}})
		})
	}
}

func BenchmarkEncode(b *testing.B) {
	f := randomFile(rand.New(rand.NewPCG(9, 10)), 1<<20/3)
	var buf bytes.Buffer
	Encode(&buf, f)
	b.SetBytes(int64(buf.Len()))
	b.ReportAllocs()
	for b.Loop() {
		buf.Reset()
		if err := Encode(&buf, f); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecode(b *testing.B) {
	encoded := encode(b, randomFile(rand.New(rand.NewPCG(9, 10)), 1<<20/3))
	b.SetBytes(int64(len(encoded)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Decode(bytes.NewReader(encoded)); err != nil {
			b.Fatal(err)
		}
	}
}

package train

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"

	"github.com/ebmlab/ebmlab/model"
	"github.com/ebmlab/ebmlab/model/checkpoint"
	"github.com/ebmlab/ebmlab/model/dataset"
	"github.com/ebmlab/ebmlab/model/optim"
)

// checkpointKind marks the metadata of a training checkpoint.
const checkpointKind = "ebmlab-training"

// dataEnergyCount is how many training-sample energies a checkpoint keeps
// as the reference distribution for percentiles.
const dataEnergyCount = 2000

// CheckpointMeta is the JSON metadata of a training checkpoint.
type CheckpointMeta struct {
	Kind      string    `json:"kind"`
	Preset    string    `json:"preset"`
	Shape     [3]int    `json:"shape"` // C, H, W
	Data      string    `json:"data"`  // data set name or path
	DataLen   int       `json:"data_len"`
	Lo        float32   `json:"lo"`
	Hi        float32   `json:"hi"`
	Seed      uint64    `json:"seed"`
	Iteration int       `json:"iteration"`
	AdamT     int       `json:"adam_t"`
	Settings  Settings  `json:"settings"`
	History   []Metrics `json:"history"`
	RNG       []byte    `json:"rng"` // state of the trainer's PCG generator
}

// SaveCheckpoint writes the trainer's model, optimiser state, replay
// buffer, settings and history to path atomically, with the energies of
// up to 2,000 training samples as the reference for percentiles.
func (t *Trainer) SaveCheckpoint(path string) error {
	f, err := t.checkpointFile()
	if err != nil {
		return err
	}
	return checkpoint.Save(path, f)
}

func (t *Trainer) checkpointFile() (*checkpoint.File, error) {
	d := t.data
	meta := CheckpointMeta{
		Kind:      checkpointKind,
		Preset:    t.preset,
		Shape:     [3]int{d.C, d.H, d.W},
		Data:      d.Name,
		DataLen:   d.Len(),
		Lo:        d.Lo,
		Hi:        d.Hi,
		Seed:      t.seed,
		Iteration: t.iteration,
		Settings:  t.Settings(),
		History:   t.history,
	}
	var state optim.AdamState
	t.adam.SaveState(&state)
	meta.AdamT = state.T
	var err error
	meta.RNG, err = t.pcg.MarshalBinary()
	if err != nil {
		return nil, fmt.Errorf("save random state: %w", err)
	}
	raw, err := json.Marshal(meta)
	if err != nil {
		return nil, fmt.Errorf("encode checkpoint metadata: %w", err)
	}

	f := &checkpoint.File{Meta: raw}
	for i, p := range t.params {
		f.Tensors = append(f.Tensors,
			checkpoint.Tensor{Name: "param/" + p.Name, Shape: p.Shape, Data: p.Value},
			checkpoint.Tensor{Name: "adam.m/" + p.Name, Shape: p.Shape, Data: state.M[i]},
			checkpoint.Tensor{Name: "adam.v/" + p.Name, Shape: p.Shape, Data: state.V[i]},
		)
	}
	buf := t.buffer
	entries := make([]float32, buf.Cap()*buf.Dim())
	ages := make([]int, buf.Cap())
	buf.CopyTo(entries, ages)
	ages64 := make([]int64, len(ages))
	for i, a := range ages {
		ages64[i] = int64(a)
	}
	f.Tensors = append(f.Tensors,
		checkpoint.Tensor{Name: "buffer", Shape: []int{buf.Cap(), d.C, d.H, d.W}, Data: entries},
		checkpoint.Tensor{Name: "buffer.ages", Shape: []int{buf.Cap()}, Ints: ages64},
	)
	de := t.dataEnergies()
	f.Tensors = append(f.Tensors, checkpoint.Tensor{Name: "data.energies", Shape: []int{len(de)}, Data: de})
	return f, nil
}

// dataEnergies returns the energies of the first training samples.
func (t *Trainer) dataEnergies() []float32 {
	n := min(dataEnergyCount, t.data.Len())
	out := make([]float32, n)
	t.net.Energy(out, t.data.X[:n*t.dim])
	return out
}

// Scorer is a trained network loaded from a checkpoint, with the energies
// of training samples as the reference for percentiles.
type Scorer struct {
	Meta         CheckpointMeta
	Net          *model.Network
	DataEnergies []float64
}

// LoadScorer reads a training checkpoint's network and reference
// energies, checking the architecture against the stored shapes before
// using any value.
func LoadScorer(path string) (*Scorer, error) {
	f, err := checkpoint.Load(path)
	if err != nil {
		return nil, err
	}
	meta, err := readMeta(path, f)
	if err != nil {
		return nil, err
	}
	net, err := model.NewPreset(meta.Preset, rand.New(rand.NewPCG(0, 0)))
	if err != nil {
		return nil, fmt.Errorf("checkpoint %s: %w", path, err)
	}
	for _, p := range net.Params() {
		tensor, err := f.Expect("param/"+p.Name, p.Shape...)
		if err != nil {
			return nil, fmt.Errorf("checkpoint %s: %w", path, err)
		}
		copy(p.Value, tensor.Data)
	}
	de, ok := f.Tensor("data.energies")
	if !ok {
		return nil, fmt.Errorf("checkpoint %s: missing tensor data.energies", path)
	}
	return &Scorer{Meta: meta, Net: net, DataEnergies: toFloat64(de.Data)}, nil
}

// readMeta decodes and checks a training checkpoint's metadata.
func readMeta(path string, f *checkpoint.File) (CheckpointMeta, error) {
	var meta CheckpointMeta
	if err := json.Unmarshal(f.Meta, &meta); err != nil {
		return meta, fmt.Errorf("checkpoint %s: invalid metadata: %w", path, err)
	}
	if meta.Kind != checkpointKind {
		return meta, fmt.Errorf("checkpoint %s: kind %q, want %q: not a training checkpoint of EBM Lab", path, meta.Kind, checkpointKind)
	}
	return meta, nil
}

// ReadCheckpointMeta returns the metadata of the training checkpoint at
// path, so that a caller can load the data set it names before Resume.
func ReadCheckpointMeta(path string) (CheckpointMeta, error) {
	f, err := checkpoint.Load(path)
	if err != nil {
		return CheckpointMeta{}, err
	}
	return readMeta(path, f)
}

// Resume rebuilds the Trainer saved at path on data, which must have the
// shape and size recorded in the checkpoint. Every tensor's shape is
// checked before any value is used; on error nothing is returned.
func Resume(path string, data *dataset.Dataset) (*Trainer, error) {
	f, err := checkpoint.Load(path)
	if err != nil {
		return nil, err
	}
	meta, err := readMeta(path, f)
	if err != nil {
		return nil, err
	}
	if got := [3]int{data.C, data.H, data.W}; got != meta.Shape || data.Len() != meta.DataLen {
		return nil, fmt.Errorf("checkpoint %s was trained on %s (%d samples of %d×%d×%d), not on %s (%d samples of %d×%d×%d): give the same data",
			path, meta.Data, meta.DataLen, meta.Shape[0], meta.Shape[1], meta.Shape[2], data.Name, data.Len(), data.C, data.H, data.W)
	}
	if err := meta.Settings.Validate(); err != nil {
		return nil, fmt.Errorf("checkpoint %s: %w", path, err)
	}
	t, err := New(Config{Data: data, Preset: meta.Preset, Seed: meta.Seed, Settings: meta.Settings})
	if err != nil {
		return nil, fmt.Errorf("checkpoint %s: %w", path, err)
	}

	// Check every tensor before changing anything.
	var state optim.AdamState
	t.adam.SaveState(&state)
	values := make([][]float32, len(t.params))
	for i, p := range t.params {
		for _, name := range []string{"param/", "adam.m/", "adam.v/"} {
			if _, err := f.Expect(name+p.Name, p.Shape...); err != nil {
				return nil, fmt.Errorf("checkpoint %s: %w", path, err)
			}
		}
		tensor, _ := f.Tensor("param/" + p.Name)
		values[i] = tensor.Data
		m, _ := f.Tensor("adam.m/" + p.Name)
		v, _ := f.Tensor("adam.v/" + p.Name)
		copy(state.M[i], m.Data)
		copy(state.V[i], v.Data)
	}
	state.T = meta.AdamT
	buf, err := f.Expect("buffer", meta.Settings.BufferSize, data.C, data.H, data.W)
	if err != nil {
		return nil, fmt.Errorf("checkpoint %s: %w", path, err)
	}
	agesT, err := f.ExpectInts("buffer.ages", meta.Settings.BufferSize)
	if err != nil {
		return nil, fmt.Errorf("checkpoint %s: %w", path, err)
	}
	if err := t.adam.CheckState(&state); err != nil {
		return nil, fmt.Errorf("checkpoint %s: %w", path, err)
	}
	ages := make([]int, len(agesT.Ints))
	for i, a := range agesT.Ints {
		if a < 0 {
			return nil, fmt.Errorf("checkpoint %s: buffer age %d of entry %d is negative: the file is damaged", path, a, i)
		}
		ages[i] = int(a)
	}
	if len(meta.History) != meta.Iteration {
		return nil, fmt.Errorf("checkpoint %s: %d metrics rows for %d iterations: the file is damaged", path, len(meta.History), meta.Iteration)
	}
	pcg := new(rand.PCG)
	if err := pcg.UnmarshalBinary(meta.RNG); err != nil {
		return nil, fmt.Errorf("checkpoint %s: invalid random state: %w", path, err)
	}

	// Everything checked: apply.
	for i, p := range t.params {
		copy(p.Value, values[i])
		copy(t.goodParams[i], values[i])
	}
	t.adam.RestoreState(&state)
	t.adam.SaveState(&t.goodAdam)
	if err := t.buffer.Restore(buf.Data, ages); err != nil {
		return nil, fmt.Errorf("checkpoint %s: %w", path, err)
	}
	*t.pcg = *pcg
	t.iteration = meta.Iteration
	t.history = append([]Metrics(nil), meta.History...)
	return t, nil
}

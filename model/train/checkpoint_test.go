package train

import (
	"bytes"
	"context"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ebmlab/ebmlab/model/checkpoint"
)

func iterateN(t *testing.T, tr *Trainer, n int) {
	t.Helper()
	for range n {
		if _, ev, err := tr.Iterate(context.Background(), nil); err != nil || ev != nil {
			t.Fatalf("iteration %d: event %v, error %v", tr.Iteration()+1, ev, err)
		}
	}
}

func withoutSeconds(h []Metrics) []Metrics {
	out := append([]Metrics(nil), h...)
	for i := range out {
		out[i].Seconds = 0
	}
	return out
}

func TestResumeContinuesSameMetrics(t *testing.T) {
	whole := newToyTrainer(t, 11, 32, 5)
	iterateN(t, whole, 10)

	first := newToyTrainer(t, 11, 32, 5)
	iterateN(t, first, 5)
	path := filepath.Join(t.TempDir(), "run.ebm")
	if err := first.SaveCheckpoint(path); err != nil {
		t.Fatal(err)
	}
	resumed, err := Resume(path, first.Data())
	if err != nil {
		t.Fatal(err)
	}
	if resumed.Iteration() != 5 {
		t.Fatalf("resumed at iteration %d, want 5", resumed.Iteration())
	}
	iterateN(t, resumed, 5)

	a, b := withoutSeconds(whole.History()), withoutSeconds(resumed.History())
	if len(a) != len(b) {
		t.Fatalf("histories have %d and %d rows", len(a), len(b))
	}
	for i := range a {
		if a[i] != b[i] {
			t.Errorf("iteration %d differs after resuming:\n%+v\n%+v", i+1, a[i], b[i])
		}
	}
}

func TestCheckpointSaveLoadSaveIdentical(t *testing.T) {
	tr := newToyTrainer(t, 12, 32, 5)
	iterateN(t, tr, 3)
	dir := t.TempDir()
	p1, p2 := filepath.Join(dir, "a.ebm"), filepath.Join(dir, "b.ebm")
	if err := tr.SaveCheckpoint(p1); err != nil {
		t.Fatal(err)
	}
	again, err := Resume(p1, tr.Data())
	if err != nil {
		t.Fatal(err)
	}
	if err := again.SaveCheckpoint(p2); err != nil {
		t.Fatal(err)
	}
	a, _ := os.ReadFile(p1)
	b, _ := os.ReadFile(p2)
	if !bytes.Equal(a, b) {
		t.Errorf("save, load, save changed the file (%d and %d bytes)", len(a), len(b))
	}
}

func TestResumeRejectsOtherData(t *testing.T) {
	tr := newToyTrainer(t, 13, 32, 5)
	iterateN(t, tr, 1)
	path := filepath.Join(t.TempDir(), "run.ebm")
	if err := tr.SaveCheckpoint(path); err != nil {
		t.Fatal(err)
	}
	other := newToyTrainer(t, 13, 32, 5).Data()
	other.X = other.X[:100*2]
	other.Name = "smaller"
	_, err := Resume(path, other)
	if err == nil || !strings.Contains(err.Error(), "smaller") || !strings.Contains(err.Error(), "give the same data") {
		t.Errorf("Resume on other data: %v", err)
	}
}

func TestResumeRejectsOtherArchitecture(t *testing.T) {
	tr := newToyTrainer(t, 14, 32, 5)
	path := filepath.Join(t.TempDir(), "run.ebm")
	if err := tr.SaveCheckpoint(path); err != nil {
		t.Fatal(err)
	}
	f, err := checkpoint.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	for i := range f.Tensors {
		if strings.HasPrefix(f.Tensors[i].Name, "param/") {
			f.Tensors[i].Shape = []int{len(f.Tensors[i].Data)}
			break
		}
	}
	if err := checkpoint.Save(path, f); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(path)
	_, err = Resume(path, tr.Data())
	if err == nil || !strings.Contains(err.Error(), "architecture") {
		t.Errorf("Resume with a reshaped tensor: %v", err)
	}
	after, _ := os.ReadFile(path)
	if !bytes.Equal(before, after) {
		t.Error("failed Resume changed the checkpoint file")
	}
}

func TestScorerPercentileReference(t *testing.T) {
	tr := newToyTrainer(t, 15, 32, 5)
	iterateN(t, tr, 2)
	path := filepath.Join(t.TempDir(), "run.ebm")
	if err := tr.SaveCheckpoint(path); err != nil {
		t.Fatal(err)
	}
	sc, err := LoadScorer(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(sc.DataEnergies) != dataEnergyCount {
		t.Errorf("%d reference energies, want %d", len(sc.DataEnergies), dataEnergyCount)
	}
	e := make([]float32, 1)
	sc.Net.Energy(e, tr.Data().Sample(0))
	// A batch of one and a batch of 2,000 may round differently in the
	// matrix products, so allow float32 rounding.
	if math.Abs(float64(e[0])-sc.DataEnergies[0]) > 1e-5*max(1, math.Abs(sc.DataEnergies[0])) {
		t.Errorf("loaded network gives %v for sample 0, checkpoint says %v", e[0], sc.DataEnergies[0])
	}
}

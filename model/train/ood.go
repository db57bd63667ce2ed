package train

import (
	"context"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"text/tabwriter"

	"github.com/ebmlab/ebmlab/model"
	"github.com/ebmlab/ebmlab/model/dataset"
	"github.com/ebmlab/ebmlab/model/ood"
)

// OODSet is a named set of inputs to score against held-out data.
type OODSet struct {
	Name string
	X    []float32 // N inputs back to back, in the model's layout
	N    int
}

// OODRow is the result for one OOD set.
type OODRow struct {
	Name       string
	N          int
	AUROC      float64 // probability that the set's energy exceeds a held-out energy
	MeanEnergy float64
	Energies   []float64
}

// OODReport compares the energies of held-out data with those of OOD sets.
type OODReport struct {
	InName     string // name of the held-out set
	InEnergies []float64
	InMean     float64
	Rows       []OODRow
	Notes      []string // sets that were skipped, each with the reason
}

// oodBatch is the number of inputs evaluated at once.
const oodBatch = 250

// DefaultOODSize is the number of inputs per set that the window and the
// command line score.
const DefaultOODSize = 1000

// OODSets builds the standard OOD sets from n held-out inputs of test.
// Every data set gets uniform noise over [Lo, Hi] and Gaussian noise
// centred on the middle of the range with standard deviation (Hi−Lo)/4,
// clamped to the range. Images also get the inputs flipped left to right,
// the inputs with inverted intensity (x → Lo+Hi−x) and the other built-in
// grey data set (Fashion-MNIST for MNIST, MNIST for Fashion-MNIST) when it
// loads. The noise comes from a PCG generator seeded with seed. A set that
// cannot be built is left out and named in notes.
func OODSets(test *dataset.Dataset, n int, seed uint64) (sets []OODSet, notes []string) {
	n = min(n, test.Len())
	dim := test.Dim()
	lo, hi := float64(test.Lo), float64(test.Hi)
	rng := rand.New(rand.NewPCG(seed, 0x00d))

	uniform := make([]float32, n*dim)
	for i := range uniform {
		uniform[i] = float32(lo + rng.Float64()*(hi-lo))
	}
	gauss := make([]float32, n*dim)
	for i := range gauss {
		v := (lo+hi)/2 + rng.NormFloat64()*(hi-lo)/4
		gauss[i] = float32(math.Min(hi, math.Max(lo, v)))
	}
	sets = append(sets,
		OODSet{Name: "uniform noise", X: uniform, N: n},
		OODSet{Name: "Gaussian noise", X: gauss, N: n},
	)
	if test.IsPoints() {
		return sets, notes
	}

	flipped := make([]float32, n*dim)
	inverted := make([]float32, n*dim)
	for i := range n {
		src := test.Sample(i)
		for row := range test.C * test.H {
			for col := range test.W {
				flipped[i*dim+row*test.W+col] = src[row*test.W+test.W-1-col]
			}
		}
		for j, v := range src {
			inverted[i*dim+j] = test.Lo + test.Hi - v
		}
	}
	sets = append(sets,
		OODSet{Name: "flipped left-right", X: flipped, N: n},
		OODSet{Name: "inverted intensity", X: inverted, N: n},
	)

	other := map[string]string{"mnist": "fashion-mnist", "fashion-mnist": "mnist"}[test.Name]
	if other == "" {
		return sets, notes
	}
	_, otherTest, err := dataset.Load(other, seed)
	switch {
	case err != nil:
		notes = append(notes, fmt.Sprintf("%s skipped: %v", other, err))
	case otherTest.C != test.C || otherTest.H != test.H || otherTest.W != test.W:
		notes = append(notes, fmt.Sprintf("%s skipped: shape %d×%d×%d differs from the model's", other, otherTest.C, otherTest.H, otherTest.W))
	default:
		m := min(n, otherTest.Len())
		sets = append(sets, OODSet{Name: other, X: append([]float32(nil), otherTest.X[:m*dim]...), N: m})
	}
	return sets, notes
}

// HeldOutInputs returns a copy of the first n inputs of test, or all of
// them when it has fewer.
func HeldOutInputs(test *dataset.Dataset, n int) []float32 {
	n = min(n, test.Len())
	return append([]float32(nil), test.X[:n*test.Dim()]...)
}

// EvaluateOOD scores the held-out inputs in and every set with the energy
// of net and returns the AUROC of each set against in, treating high
// energy as OOD. net must not be used by another goroutine meanwhile.
// progress, when not nil, is called after each batch with the inputs
// scored so far and the total. EvaluateOOD returns ctx.Err() when ctx is
// cancelled, and an error naming the set whose energies are empty or NaN.
func EvaluateOOD(ctx context.Context, net *model.Network, inName string, in []float32, sets []OODSet, progress func(done, total int)) (*OODReport, error) {
	dim := net.InShape().Size()
	if len(in)%dim != 0 {
		panic(fmt.Sprintf("train: EvaluateOOD held-out input has %d values, not a multiple of %d", len(in), dim))
	}
	total := len(in) / dim
	for _, s := range sets {
		if len(s.X) != s.N*dim {
			panic(fmt.Sprintf("train: EvaluateOOD set %q has %d values, want %d inputs × %d", s.Name, len(s.X), s.N, dim))
		}
		total += s.N
	}

	done := 0
	scratch := make([]float32, oodBatch)
	score := func(x []float32) ([]float64, error) {
		n := len(x) / dim
		out := make([]float64, 0, n)
		for start := 0; start < n; start += oodBatch {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			end := min(start+oodBatch, n)
			e := scratch[:end-start]
			net.Energy(e, x[start*dim:end*dim])
			for _, v := range e {
				out = append(out, float64(v))
			}
			done += end - start
			if progress != nil {
				progress(done, total)
			}
		}
		return out, nil
	}

	inE, err := score(in)
	if err != nil {
		return nil, err
	}
	r := &OODReport{InName: inName, InEnergies: inE, InMean: meanOf(inE)}
	for _, s := range sets {
		e, err := score(s.X)
		if err != nil {
			return nil, err
		}
		auc, err := ood.AUROC(inE, e)
		if err != nil {
			return nil, fmt.Errorf("set %q: %w", s.Name, err)
		}
		r.Rows = append(r.Rows, OODRow{Name: s.Name, N: s.N, AUROC: auc, MeanEnergy: meanOf(e), Energies: e})
	}
	return r, nil
}

func meanOf(x []float64) float64 {
	if len(x) == 0 {
		return math.NaN()
	}
	var s float64
	for _, v := range x {
		s += v
	}
	return s / float64(len(x))
}

// WriteTable writes the report as a tab-separated table with a header
// line, one line for the held-out set and one per OOD set, followed by the
// notes prefixed with "# ".
func (r *OODReport) WriteTable(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "set\tinputs\tmean energy\tAUROC")
	fmt.Fprintf(tw, "%s (held-out)\t%d\t%.4g\t–\n", r.InName, len(r.InEnergies), r.InMean)
	for _, row := range r.Rows {
		fmt.Fprintf(tw, "%s\t%d\t%.4g\t%.3f\n", row.Name, row.N, row.MeanEnergy, row.AUROC)
	}
	for _, n := range r.Notes {
		fmt.Fprintf(tw, "# %s\n", n)
	}
	return tw.Flush()
}
